"""From award to money (`fund contract`) and the round report (`fund report`).

The round, its applications and an award adopted by a motion are set up through the storage
API (`_adopted_round`): the commands that make them (`fund open`, `fund apply`, `fund award
--propose`) are built beside this one; what is judged here is what happens after adoption.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from comunidad_cli.storage import dbapi
from comunidad_cli.storage.funds import applications, rounds
from tests.conftest import ROOT
from tests.helpers import database_of, dump, ok, query, refused, run

EXAMPLE = ROOT / "examples" / "fondos" / "2026-barrio-activo.toml"
AT = datetime(2026, 6, 12, 20, 0, tzinfo=UTC)


@contextmanager
def _db(folder: Path) -> Iterator[dbapi.Db]:
    with dbapi.transaction(database_of(folder), write=True, check=lambda _: None, limit=5) as db:
        yield db


def _adopted_round(
    folder: Path,
    *,
    text: str | None = None,
    outcome: str = "adopted",
    awards: tuple[tuple[str, str, str, str | None, str, dict[str, str], str, str], ...] = (),
) -> None:
    """A workspace (directorio by-laws) with a CLP grant, round 2026-barrio-activo opened
    with it, and an award proposal under a motion of `outcome`. `awards`: (org name,
    application key, project, priority, amount asked, lines asked, amount awarded, outcome)."""
    ok("init", str(folder), "--template", "directorio", "--locale", "en")
    w = ("--workspace", str(folder))
    ok(*w, "org", "add", "Municipalidad", "--kind", "public")
    ok(
        *w,
        "grant",
        "new",
        "--funder",
        "municipalidad",
        "--title",
        "Fondo Barrio Activo",
        "--amount",
        "30000000",
        "--currency",
        "CLP",
        "--from",
        "2026-01-01",
        "--to",
        "2027-06-30",
    )
    grant_key = query(folder, "SELECT key FROM grant_award")[0][0]
    ok(
        *w,
        "meeting",
        "new",
        "--body",
        "directorio",
        "--at",
        "2026-06-12 19:00",
        "--id",
        "adjudicacion",
    )
    ok(
        *w,
        "motion",
        "new",
        "--meeting",
        "adjudicacion",
        "--decision",
        "adjudicar_fondos",
        "--title",
        "Adjudicar el Fondo Barrio Activo 2026",
        "--id",
        "adjudicar",
        "--at",
        "2026-06-12 19:30",
    )
    content = text if text is not None else EXAMPLE.read_text(encoding="utf-8")
    with _db(folder) as db:
        db.execute(
            "UPDATE motion SET outcome = :o, closed_at = :at WHERE key = 'adjudicar'",
            {"o": outcome, "at": db.instant(AT)},
        )
        motion = int(db.value("SELECT id FROM motion WHERE key = 'adjudicar'"))
        grant = int(db.value("SELECT id FROM grant_award"))
        rid = rounds.add_round(
            db,
            key="2026-barrio-activo",
            bylaws_id="directorio",
            body="directorio",
            grant_id=grant,
            opened_at=AT,
        )
        tid = rounds.add_text(db, round_id=rid, sha256="0" * 64, content=content, loaded_at=AT)
        award = db.insert(
            "fund_award",
            {
                "key": "2026-barrio-activo-1",
                "round_id": rid,
                "round_text_id": tid,
                "mode": "skip",
                "seed": None,
                "motion_id": motion,
                "snapshot": "{}",
                "proposed_at": db.instant(AT),
            },
        )
        for rank, (org, key, project, priority, asked, lines, awarded, result) in enumerate(
            awards, 1
        ):
            oid = db.insert(
                "organisation",
                {
                    "key": key + "-org",
                    "name": org,
                    "kind": "community",
                    "created_at": db.instant(AT),
                },
            )
            aid = applications.add_application(
                db,
                key=key,
                round_id=rid,
                organisation_id=oid,
                project=project,
                amount=Decimal(asked),
                own_contribution=Decimal(0),
                priority=priority,
                submitted_at=AT,
                lines={c: Decimal(a) for c, a in lines.items()},
            )
            db.insert(
                "fund_admissibility",
                {
                    "application_id": aid,
                    "admissible": True,
                    "reasons": "[]",
                    "appeal_id": None,
                    "decided_at": db.instant(AT),
                    "by": "Ana",
                },
            )
            db.insert(
                "fund_award_line",
                {
                    "award_id": award,
                    "application_id": aid,
                    "rank": rank,
                    "score": "4",
                    "amount": float(awarded) if db.dialect == "sqlite" else Decimal(awarded),
                    "outcome": result,
                },
            )
    assert grant_key


PLAZA = (
    "Junta de Vecinos «Villa Esperanza»",
    "plaza",
    "Plaza Los Aromos",
    "espacios-publicos",
    "3000000",
    {"materiales": "2000000", "honorarios": "1000000"},
    "3000000",
    "funded",
)
ALARMAS = (
    "Club Adulto Mayor Renacer",
    "alarmas",
    "Alarmas comunitarias",
    "seguridad-comunitaria",
    "2000000",
    {"equipos": "2000000"},
    "1200000",
    "partial",
)
TALLER = (
    "Agrupación Cultural Ñuke",
    "taller",
    "Taller de murales",
    "espacios-publicos",
    "900000",
    {"materiales": "900000"},
    "0",
    "not_funded",
)


def test_each_funded_project_becomes_a_subcontract_with_its_reports(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _adopted_round(folder, awards=(PLAZA, TALLER))
    w = ("--workspace", str(folder))
    out = ok(*w, "fund", "contract", "2026-barrio-activo")
    assert "plaza" in out and "CLP" in out and "3,000,000" in out
    assert "Progress report; Final accounts" in out
    [(key, kind, start, end, status, partner)] = query(
        folder,
        'SELECT s.key, s.kind, s.start, s."end", s.status, o.name FROM subcontract s'
        " JOIN organisation o ON s.partner_id = o.id",
    )
    assert (kind, str(start), str(end), status) == ("subaward", "2026-07-01", "2026-11-30", "draft")
    assert partner == "Junta de Vecinos «Villa Esperanza»"
    lines = {
        c: Decimal(str(a)) for c, a in query(folder, "SELECT category, amount FROM budget_line")
    }
    assert lines == {"materiales": Decimal("2000000"), "honorarios": Decimal("1000000")}
    reports = query(
        folder, "SELECT title, first_due, holds_payments FROM deliverable ORDER BY first_due"
    )
    assert [(t, str(d), bool(h)) for t, d, h in reports] == [
        ("Progress report", "2026-09-15", True),
        ("Final accounts", "2026-12-15", True),
    ]
    assert query(folder, "SELECT COUNT(*) FROM fund_project") == [(1,)]
    # The subcontract is one like any other: its deliverables and its place in the grant.
    assert "Progress report" in ok(*w, "deliverable", "list", "--subcontract", key)
    # Again: nothing new, and said so.
    before = dump(folder)
    code, out, err = run(*w, "fund", "contract", "2026-barrio-activo")
    assert code == 0 and "already has its subcontract" in err and "(made earlier)" in out
    assert dump(folder) == before


def test_a_partial_award_needs_its_lines_and_nothing_is_half_made(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _adopted_round(folder, awards=(PLAZA, ALARMAS))
    w = ("--workspace", str(folder))
    err = refused(folder, *w, "fund", "contract", "2026-barrio-activo")
    assert (
        "alarmas was awarded CLP\xa01,200,000 of the CLP\xa02,000,000 it asked for: give its budget"
        " lines with --line alarmas:CATEGORY=AMOUNT, adding up to CLP\xa01,200,000"
    ) in err
    assert query(folder, "SELECT COUNT(*) FROM subcontract") == [(0,)]
    err = refused(
        folder, *w, "fund", "contract", "2026-barrio-activo", "--line", "alarmas:equipos=1,000,000"
    )
    assert (
        "the lines given for alarmas add up to CLP\xa01,000,000, not to the CLP\xa01,200,000 awarded"
        in err
    )
    err = refused(folder, *w, "fund", "contract", "2026-barrio-activo", "--line", "taller:x=1")
    assert "--line names taller, which has no subcontract to make in this award" in err
    code, _, err = run(*w, "fund", "contract", "2026-barrio-activo", "--line", "equipos=1")
    assert code == 2 and "APPLICATION:CATEGORY=AMOUNT" in err
    ok(
        *w,
        "fund",
        "contract",
        "2026-barrio-activo",
        "--line",
        "alarmas:equipos=1,000,000",
        "--line",
        "alarmas:instalacion=200,000",
    )
    assert query(folder, "SELECT COUNT(*) FROM subcontract") == [(2,)]


def test_refusals_before_an_award_is_adopted(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _adopted_round(folder, outcome="rejected", awards=(PLAZA,))
    w = ("--workspace", str(folder))
    err = refused(folder, *w, "fund", "contract", "2026-barrio-activo")
    assert "no award of round 2026-barrio-activo has been adopted" in err
    err = refused(folder, *w, "fund", "contract", "otro-fondo")
    assert "round otro-fondo is not open" in err


def test_a_round_without_accountability_says_what_to_add(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text[: text.index("# --- Rendición de cuentas")]
    _adopted_round(folder, text=text, awards=(PLAZA,))
    err = refused(folder, "--workspace", str(folder), "fund", "contract", "2026-barrio-activo")
    assert "round 2026-barrio-activo has no [accountability] section" in err


def test_the_grant_limits_what_awards_can_obligate(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    big = (
        "Junta Grande",
        "grande",
        "Sede vecinal",
        "espacios-publicos",
        "29000000",
        {"obras": "29000000"},
        "29000000",
        "funded",
    )
    _adopted_round(folder, awards=(PLAZA, big))
    err = refused(folder, "--workspace", str(folder), "fund", "contract", "2026-barrio-activo")
    assert "30,000,000" in err
    assert query(folder, "SELECT COUNT(*) FROM subcontract") == [(0,)]


def test_the_report_by_priority_and_what_is_unaccounted(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _adopted_round(folder, awards=(PLAZA, TALLER))
    w = ("--workspace", str(folder))
    ok(*w, "fund", "contract", "2026-barrio-activo")
    [(sub,)] = query(folder, "SELECT key FROM subcontract")
    ok(*w, "subcontract", "risk", sub, "--level", "low", "--by", "Ana", "--on", "2026-06-20")
    ok(*w, "subcontract", "status", sub, "active")
    ok(
        *w,
        "payment",
        "add",
        "--subcontract",
        sub,
        "--period-from",
        "2026-07-01",
        "--period-to",
        "2026-07-31",
        "--date",
        "2026-08-01",
        "--status",
        "paid",
        "--line",
        "materiales=1,500,000",
    )
    data = json.loads(
        ok(*w, "fund", "report", "2026-barrio-activo", "--on", "2026-10-01", "--json")
    )
    assert [p["priority"] for p in data["priorities"]] == [
        "espacios-publicos",
        "seguridad-comunitaria",
        "personas-mayores",
    ]
    espacios = data["priorities"][0]
    assert (espacios["applications"], espacios["admissible"], espacios["funded"]) == (2, 2, 1)
    assert (espacios["asked"], espacios["awarded"], espacios["paid"]) == (3900000, 3000000, 1500000)
    assert (espacios["unaccounted"], espacios["overdue_reports"]) == (1500000, 1)
    assert data["priorities"][1]["applications"] == 0
    assert data["total"]["paid"] == 1500000 and data["award"] == "2026-barrio-activo-1"
    [project] = data["projects"]
    assert (project["reports"], project["submitted"], project["accounted"]) == (2, 0, False)
    # Every report handed in: the money is accounted for.
    for deliverable, due in query(folder, "SELECT key, first_due FROM deliverable"):
        ok(*w, "deliverable", "submit", deliverable, "--due", str(due), "--on", "2026-09-10")
    data = json.loads(
        ok(*w, "fund", "report", "2026-barrio-activo", "--on", "2026-12-20", "--json")
    )
    assert data["total"]["unaccounted"] == 0 and data["projects"][0]["accounted"] is True
    out = ok(*w, "fund", "report", "2026-barrio-activo", "--on", "2026-12-20")
    assert "espacios-publicos" in out and "2 of 2, 0 overdue" in out


@pytest.mark.parametrize(
    ("locale", "words"),
    [("es", "no se ha adoptado ninguna adjudicación"), ("ca", "no s'ha adoptat cap adjudicació")],
)
def test_refusals_in_spanish_and_catalan(tmp_path: Path, locale: str, words: str) -> None:
    folder = tmp_path / "ws"
    _adopted_round(folder, outcome="rejected", awards=(PLAZA,))
    err = refused(
        folder,
        "--locale",
        locale,
        "--workspace",
        str(folder),
        "fund",
        "contract",
        "2026-barrio-activo",
    )
    assert words in err
