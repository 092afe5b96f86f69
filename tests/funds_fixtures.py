"""The fixtures of the funds' evaluation and award tests, in one place: a workspace under the
directorio local's by-laws with a seated commission and board, a round opened and
applications judged, written behind the commands' back (through `storage/funds/`) until the
commands that open a round, apply and judge admissibility exist; then switch these helpers
to them.

Time is frozen at `TODAY` (during the round's evaluation) by the `fund` fixture and by
tests that call these helpers.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from freezegun import freeze_time

from comunidad_cli.storage import dbapi
from comunidad_cli.storage.funds import applications, rounds
from tests.conftest import ROOT
from tests.helpers import database_of, execute, ok, query, run

TODAY = "2026-05-20 15:00:00"
EXAMPLE = (ROOT / "examples" / "fondos" / "2026-barrio-activo.toml").read_text(encoding="utf-8")
ROUND = "2026-barrio-activo"
#: Seated on the evaluation commission (comision_evaluadora), from 2026-01-01.
REVIEWERS = ("ana", "beto", "carla")
#: Seated on the board (directorio): those of the commission, and four more.
BOARD = ("ana", "beto", "dora", "eli", "fede", "gabi", "hugo")
#: Applying organisations (community), and the one the board's "hugo" works for.
ORGS = ("junta-1", "junta-2", "club-3", "centro-4", "taller-5", "huerto-6")
SUBMITTED = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def workspace(root: Path, locale: str = "es_CL") -> Path:
    """A workspace under `bylaws/directorio-local.toml`, its organisations, the reviewers
    on the commission and the board seated (people added directly)."""
    assert run("init", str(root), "--template", "directorio", "--locale", locale)[0] == 0
    for path in (root / "bylaws").glob("*.toml"):
        path.unlink()
    shutil.copy(ROOT / "bylaws" / "directorio-local.toml", root / "bylaws")
    execute(
        root,
        "insert into organisation (id, key, name, kind, created_at)"
        " values (?, ?, ?, 'community', '2024-01-01 00:00:00')",
        *[(n, key, f"Organización {key}") for n, key in enumerate(ORGS, start=1)],
    )
    people = sorted(set(REVIEWERS) | set(BOARD))
    execute(
        root,
        "insert into person (id, key, name, created_at) values (?, ?, ?, '2024-01-01 00:00:00')",
        *[(n, key, key.capitalize()) for n, key in enumerate(people, start=1)],
    )
    ids = {key: n for n, key in enumerate(people, start=1)}
    seats = [(ids[k], "comision_evaluadora", "comunitaria") for k in REVIEWERS] + [
        (ids[k], "directorio", "comunitaria") for k in BOARD
    ]
    execute(
        root,
        "insert into seat (bylaws_id, body, person_id, member_class, start)"
        " values ('directorio-local', ?, ?, ?, '2026-01-01')",
        *[(body, pid, member_class) for pid, body, member_class in seats],
    )
    return root


def works_for(root: Path, person: str, org: str) -> None:
    """The directory shows `person` working for `org` (a tie: recused on its applications)."""
    execute(
        root,
        "update person set organisation_id = (select id from organisation where key = ?)"
        " where key = ?",
        (org, person),
    )


def round_text(**changes: str) -> str:
    """The example round with top-level keys changed (values as TOML: '"stop"', '3')."""
    lines = EXAMPLE.splitlines(keepends=True)
    for key, value in changes.items():
        at = next((i for i, line in enumerate(lines) if line.startswith(f"{key} =")), None)
        if at is None:
            at = next(i for i, line in enumerate(lines) if line.startswith("award_mode ="))
            lines.insert(at, f"{key} = {value}\n")
            continue
        if value.startswith("["):  # a list may span lines: replace up to its "]"
            end = at
            while "]" not in lines[end]:
                end += 1
            lines[at : end + 1] = [f"{key} = {value}\n"]
        else:
            lines[at] = f"{key} = {value}\n"
    return "".join(lines)


def open_round(root: Path, text: str = EXAMPLE, key: str = ROUND) -> int:
    """Open the round (its file's text in force, as `fund open` will store it)."""
    with dbapi.transaction(database_of(root), write=True, check=lambda _: None, limit=5) as db:
        rid = rounds.add_round(
            db,
            key=key,
            bylaws_id="directorio-local",
            body="directorio",
            grant_id=None,
            opened_at=SUBMITTED - timedelta(days=30),
        )
        rounds.add_text(
            db,
            round_id=rid,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            content=text,
            loaded_at=SUBMITTED - timedelta(days=30),
        )
    return rid


def apply(
    root: Path,
    key: str,
    org: str,
    amount: str,
    *,
    priority: str | None = "espacios-publicos",
    submitted: datetime = SUBMITTED,
    admissible: bool | None = True,
    round_key: str = ROUND,
) -> None:
    """An application and, unless `admissible` is None, its admissibility judgement."""
    with dbapi.transaction(database_of(root), write=True, check=lambda _: None, limit=5) as db:
        found = rounds.round_by_key(db, round_key)
        assert found is not None
        org_id = int(db.value("SELECT id FROM organisation WHERE key = :k", {"k": org}))
        aid = applications.add_application(
            db,
            key=key,
            round_id=found.id,
            organisation_id=org_id,
            project=f"Proyecto «{key}»",
            amount=Decimal(amount),
            own_contribution=Decimal(amount) / 10,
            priority=priority,
            submitted_at=submitted,
            lines={"materiales": Decimal(amount)},
        )
        if admissible is not None:
            judge(db, aid, admissible)


def judge(db: dbapi.Db, application_id: int, admissible: bool) -> None:
    db.insert(
        "fund_admissibility",
        {
            "application_id": application_id,
            "admissible": admissible,
            "reasons": json.dumps([]),
            "decided_at": db.instant(SUBMITTED + timedelta(days=20)),
            "by": "Secretaría",
        },
    )


def score(root: Path, app: str, points: Mapping[str, Mapping[str, int]]) -> None:
    """Each reviewer's points on `app` through `fund score` (reviewer -> criterion -> N)."""
    for reviewer, given in points.items():
        ok(
            "--workspace",
            str(root),
            "fund",
            "score",
            app,
            "--reviewer",
            reviewer,
            *(arg for c, n in given.items() for arg in ("--criterion", f"{c}={n}")),
        )


def sheet(pertinencia: int, participacion: int, viabilidad: int) -> dict[str, int]:
    return {"pertinencia": pertinencia, "participacion": participacion, "viabilidad": viabilidad}


def uniform(root: Path, app: str, points: int | tuple[int, int, int]) -> None:
    """Every reviewer gives `app` the same sheet (all criteria `points`, or the three)."""
    given = sheet(*points) if isinstance(points, tuple) else sheet(points, points, points)
    score(root, app, {r: given for r in REVIEWERS})


def meeting(root: Path, day: str = "2026-06-12", notice: str = "2026-05-29") -> str:
    """A board meeting for the award (notice 12 days before), everyone on the board present."""
    key = ok(
        "--workspace",
        str(root),
        "meeting",
        "new",
        "--body",
        "directorio",
        "--at",
        f"{day} 18:00",
        "--notice-sent",
        notice,
    ).strip()
    for person in BOARD:
        ok("--workspace", str(root), "meeting", "attend", key, "--person", person, "--at", "18:00")
    return key


def rows(root: Path, table: str) -> list[tuple[object, ...]]:
    return query(root, f"select * from {table} order by id")


def frozen_fund(in_tmp: Path) -> Iterator[Path]:
    """A workspace with the round opened, time frozen during its evaluation; cwd inside
    (each test module's `fund` fixture)."""
    with freeze_time(TODAY):
        root = workspace(in_tmp / "w")
        open_round(root)
        os.chdir(root)
        yield root
