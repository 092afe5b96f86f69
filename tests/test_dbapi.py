"""The DB-API way to the data (storage.dbapi and its per-domain queries).

The everyday commands must not import SQLAlchemy, SQLModel or pydantic; their SQL must
name only tables and columns that storage.tables defines; and they must refuse a missing,
foreign or out-of-date database with the same messages as the SQLAlchemy path.
"""

from __future__ import annotations

import inspect
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from comunidad_cli.services.errors import ServiceError
from comunidad_cli.storage import capacity as stored_capacity
from comunidad_cli.storage import dbapi
from comunidad_cli.storage import directory as stored_directory
from comunidad_cli.storage import governance as stored_governance
from comunidad_cli.storage import grant_rows as stored_grant_rows
from comunidad_cli.storage import grants as stored_grants
from comunidad_cli.storage import minutes as stored_minutes
from comunidad_cli.storage import resources as stored_resources
from tests.conftest import subprocess_env
from tests.governance import ok, run
from tests.helpers import actor, connect, database_of

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic")


def _imported(cwd: Path, *args: str) -> tuple[str, set[str]]:
    """Run `comunidad ARGS` as a user would; its stdout and every module it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "comunidad_cli", *args],
        cwd=cwd,
        env=subprocess_env(COMUNIDAD_ACTOR="tester"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    return result.stdout, modules


def _last_audit_id(root: Path) -> int:
    """The id of the workspace's latest audit row (0 when none): the rows after it are the
    ones the commands run since wrote, whoever the audit names as their actor."""
    with connect(root) as connection:
        (last,) = connection.execute("select coalesce(max(id), 0) from audit_event").fetchone()
    return int(last)


def test_everyday_commands_import_no_sqlalchemy_sqlmodel_or_pydantic(meeting: str) -> None:
    root = Path.cwd()
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:21")
    before = _last_audit_id(root)
    commands: list[tuple[str, ...]] = [
        ("person", "add", "Nuria Vila", "--email", "nuria@example.org"),
        ("person", "list"),
        ("member", "list", "--body", "nlg", "--on", "2026-11-18"),
        ("meeting", "list"),
        ("meeting", "show", meeting, "--json"),
        ("motion", "vote", motion, "--person", "r2", "--choice", "no", "--at", "18:22"),
        ("motion", "show", motion, "--json"),
        ("meeting", "attend", meeting, "--person", "r6", "--at", "18:30"),
        ("motion", "list", "--meeting", meeting),
        ("audit", "list", "--last", "3"),
    ]
    outs = []
    for args in commands:
        out, modules = _imported(root, *args)
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
        assert not heavy, f"comunidad {' '.join(args)} imported {heavy[:5]}"
        outs.append(out)
    assert "nuria-vila  Nuria Vila" in outs[1]
    assert "Person R1" in outs[2]
    assert outs[3].splitlines()[1].startswith(meeting + "  ")
    assert json.loads(outs[4])["key"] == meeting
    assert outs[8].splitlines()[1].startswith(f"{motion}  {meeting}  award_subcontract")
    # They did their work: the vote and the person are there, audited by the actor (and
    # the reads wrote nothing).
    shown = json.loads(ok("motion", "show", motion, "--json"))
    assert [(v["person"], v["choice"]) for v in shown["voters"]] == [("r1", "yes"), ("r2", "no")]
    with connect(root) as connection:
        rows = connection.execute(
            "select command, entity_id, actor from audit_event where id > ? order by id", (before,)
        ).fetchall()
    tester = actor(root, "tester")
    assert rows == [
        ("person add", "nuria-vila", tester),
        ("motion vote", motion, tester),
        ("meeting attend", meeting, tester),
    ]


def test_grant_everyday_commands_import_no_sqlalchemy_sqlmodel_or_pydantic(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("init", "w", "--locale", "en", "--currency", "EUR")[0] == 0
    root = in_tmp / "w"
    monkeypatch.chdir(root)
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "funder")
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    ok(
        "grant", "new", "--funder", "funder", "--title", "Best Start 2025", "--amount",
        "100,000.00", "--from", "2025-01-01", "--to", "2025-12-31", "--id", "bs",
    )  # fmt: skip
    ok(
        "subcontract", "new", "--grant", "bs", "--partner", "casa", "--kind", "subaward",
        "--from", "2025-02-01", "--to", "2025-11-30", "--id", "casa-1",
        "--line", "personnel=1,000.00", "--line", "supplies=500.00",
    )  # fmt: skip
    ok("subcontract", "risk", "casa-1", "--level", "low", "--by", "Ana", "--on", "2025-01-15")
    ok("subcontract", "status", "casa-1", "active")
    before = _last_audit_id(root)
    commands: list[tuple[str, ...]] = [
        (
            "payment", "add", "--subcontract", "casa-1", "--period-from", "2025-02-01",
            "--period-to", "2025-02-28", "--date", "2025-03-05", "--status", "approved",
            "--line", "personnel=300.10", "--line", "supplies=0.20", "--id", "inv-1",
        ),
        ("payment", "status", "inv-1", "paid"),
        (
            "deliverable", "add", "--subcontract", "casa-1", "--title", "Monthly report",
            "--due", "2025-02-28", "--every", "1", "--unit", "months", "--holds-payments",
            "--id", "monthly",
        ),
        ("deliverable", "submit", "monthly", "--due", "2025-02-28", "--on", "2025-03-02"),
        ("payment", "list", "--subcontract", "casa-1", "--json"),
        ("deliverable", "list", "--json"),
        ("subcontract", "list", "--json"),
        ("subcontract", "show", "casa-1", "--json"),
        ("grant", "list", "--json"),
    ]  # fmt: skip
    outs = []
    for args in commands:
        out, modules = _imported(root, *args)
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
        assert not heavy, f"comunidad {' '.join(args)} imported {heavy[:5]}"
        outs.append(out)
    # They did their work, with the money to the cent (SQLite keeps it as REAL).
    (paid,) = json.loads(outs[4])
    assert (paid["id"], paid["status"], paid["total"]) == ("inv-1", "paid", 300.3)
    assert [(line["category"], line["amount"]) for line in paid["lines"]] == [
        ("personnel", 300.1),
        ("supplies", 0.2),
    ]
    (monthly,) = json.loads(outs[5])
    assert monthly["id"] == "monthly" and monthly["holds_payments"] is True
    assert monthly["occurrences"][0] == {
        "due": "2025-02-28",
        "submitted_on": "2025-03-02",
        "overdue": False,
        "very_late": False,
        "days_late": 2,
    }
    (position,) = json.loads(outs[6])
    assert (position["spent"], position["paid"], position["balance"]) == (300.3, 300.3, 1199.7)
    assert json.loads(outs[7])["payments"] == 1
    (grant,) = json.loads(outs[8])
    assert (grant["id"], grant["spent"], grant["obligated"]) == ("bs", 300.3, 1500.0)
    with connect(root) as connection:
        rows = connection.execute(
            "select command, entity, entity_id, detail, actor from audit_event"
            " where id > ? order by id",
            (before,),
        ).fetchall()
    tester = actor(root, "tester")
    assert [(*r[:3], r[4]) for r in rows] == [
        ("payment add", "payment", "inv-1", tester),
        ("payment status", "payment", "inv-1", tester),
        ("deliverable add", "deliverable", "monthly", tester),
        ("deliverable submit", "submission", "monthly", tester),
    ]
    assert json.loads(rows[0][3])["lines"] == {"personnel": "300.10", "supplies": "0.20"}
    assert json.loads(rows[1][3]) == {"status": ["approved", "paid"], "subcontract": "casa-1"}


_INSTANT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


@pytest.mark.sqlite_only  # SQLite URLs with a query / typeof(): SQLite's storage classes
def test_grant_writes_and_capacity_assess_import_no_sqlalchemy_sqlmodel_or_pydantic(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`grant new`, `subcontract new|risk|status|amend|approve-revision` and `capacity assess`
    write through the storage API: no SQLAlchemy, SQLModel or pydantic, and their rows are
    stored as the SQLAlchemy path stored them (money as a number to the cent, dates as ISO text,
    instants as SQLAlchemy's UTC text, flags as integers), with their audit rows."""
    from tests.test_capacity import MINI, answers

    assert run("init", "w", "--locale", "en", "--currency", "EUR")[0] == 0
    root = in_tmp / "w"
    monkeypatch.chdir(root)
    (root / "instruments").mkdir()
    (root / "instruments" / "mini.toml").write_text(MINI, encoding="utf-8")
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "funder")
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    commands: list[tuple[str, ...]] = [
        (
            "grant", "new", "--funder", "funder", "--title", "Best Start 2025", "--amount",
            "100,000.00", "--match", "5,000.50", "--award-number", "BS-1", "--from",
            "2025-01-01", "--to", "2025-12-31", "--id", "bs",
        ),
        (
            "subcontract", "new", "--grant", "bs", "--partner", "casa", "--kind", "subaward",
            "--from", "2025-02-01", "--to", "2025-11-30", "--id", "casa-1",
            "--line", "personnel=1,000.00", "--line", "supplies=500.10",
        ),
        ("subcontract", "risk", "casa-1", "--level", "low", "--by", "Ana", "--on", "2025-01-15",
         "--notes", "First  look"),
        ("subcontract", "status", "casa-1", "active"),
        (
            "subcontract", "amend", "casa-1", "--effective", "2025-04-01", "--reason", "Move",
            "--line", "personnel=-200.00", "--line", "supplies=200.00",
        ),
        ("subcontract", "approve-revision", "casa-1", "--amendment", "1", "--on", "2025-04-09"),
        (
            "capacity", "assess", "casa", "--instrument", "mini", "--rater", "Ana", "--on",
            "2025-03-01", *answers(g1=1, g2=2, g3=2, g4=1, f1=4, f2="na"),
        ),
    ]  # fmt: skip
    for args in commands:
        _, modules = _imported(root, *args)
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
        assert not heavy, f"comunidad {' '.join(args)} imported {heavy[:5]}"
    with connect(root) as connection:
        grant = connection.execute(
            'SELECT key, award_number, title, amount, typeof(amount), currency, start, "end",'
            " match_required, typeof(match_required), created_at FROM grant_award"
        ).fetchall()
        sub = connection.execute(
            'SELECT key, kind, start, "end", status, created_at FROM subcontract'
        ).fetchall()
        lines = connection.execute(
            "SELECT category, amount, typeof(amount) FROM budget_line ORDER BY id"
        ).fetchall()
        risk = connection.execute(
            "SELECT assessed_on, level, assessed_by, notes FROM risk_assessment"
        ).fetchall()
        amendment = connection.execute(
            "SELECT number, effective, reason, needs_funder_approval,"
            " typeof(needs_funder_approval), funder_approved_on, created_at FROM amendment"
        ).fetchall()
        deltas = connection.execute(
            "SELECT category, delta FROM amendment_line ORDER BY id"
        ).fetchall()
        assessment = connection.execute(
            "SELECT instrument, length(instrument_sha256), rater, assessed_on"
            " FROM capacity_assessment"
        ).fetchall()
        scores = connection.execute(
            "SELECT item, score FROM capacity_answer ORDER BY id"
        ).fetchall()
        audit = connection.execute(
            "SELECT command, action, entity, entity_id, actor FROM audit_event"
            " WHERE command NOT IN ('init', 'org add') ORDER BY id"
        ).fetchall()
        detail = connection.execute(
            "SELECT detail FROM audit_event WHERE command = 'grant new'"
        ).fetchone()[0]
    ((*grant_values, grant_created),) = grant
    # NUMERIC affinity keeps a whole amount as an integer, as it did through SQLAlchemy.
    assert grant_values == [
        "bs", "BS-1", "Best Start 2025", 100000, "integer", "EUR", "2025-01-01", "2025-12-31",
        5000.5, "real",
    ]  # fmt: skip
    ((*sub_values, sub_created),) = sub
    assert sub_values == ["casa-1", "subaward", "2025-02-01", "2025-11-30", "active"]
    assert lines == [("personnel", 1000, "integer"), ("supplies", 500.1, "real")]
    assert risk == [("2025-01-15", "low", "Ana", "First look")]
    ((*amended, amended_at),) = amendment
    assert amended == [1, "2025-04-01", "Move", 1, "integer", "2025-04-09"]
    assert deltas == [("personnel", -200.0), ("supplies", 200.0)]
    assert assessment == [("mini", 64, "Ana", "2025-03-01")]
    assert scores == [("g1", 1), ("g2", 2), ("g3", 2), ("g4", 1), ("f1", 4), ("f2", None)]
    assert all(_INSTANT.fullmatch(t) for t in (grant_created, sub_created, amended_at))
    assert audit == [
        ("grant new", "create", "grant", "bs", "tester"),
        ("subcontract new", "create", "subcontract", "casa-1", "tester"),
        ("subcontract risk", "create", "risk_assessment", "casa-1", "Ana"),
        ("subcontract status", "update", "subcontract", "casa-1", "tester"),
        ("subcontract amend", "create", "amendment", "casa-1#1", "tester"),
        ("subcontract approve-revision", "update", "amendment", "casa-1#1", "tester"),
        ("capacity assess", "create", "capacity_assessment", "casa/mini/Ana/2025-03-01", "tester"),
    ]
    assert json.loads(detail)["amount"] == "100000.00"
    # Read back as the lists show them: the approved move is in force.
    shown = json.loads(ok("subcontract", "show", "casa-1", "--json"))
    assert [(line["category"], line["budget"]) for line in shown["lines"]] == [
        ("personnel", 800.0),
        ("supplies", 700.1),
    ]
    assert shown["amendments"][0]["status"] == "approved"
    assert json.loads(ok("capacity", "show", "casa", "--json"))["org"] == "casa"


def test_summary_loads_the_capacity_engine_only_when_something_was_assessed(
    meeting: str,
) -> None:
    """Nothing assessed: `summary` asks the database and leaves the capacity engine
    (instruments, scoring, comparison: about 20 ms of start-up) unimported; once an
    organisation is assessed it loads it and lists the weakest domains."""
    from tests.test_capacity import MINI, add_grant, assess

    root = Path.cwd()
    (root / "instruments").mkdir()
    (root / "instruments" / "mini.toml").write_text(MINI, encoding="utf-8")
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    ok("org", "add", "First 5 LA", "--kind", "funder", "--id", "first5la")
    add_grant(root, "g", funder="first5la", amount="1000", match="100", partners=["casa"])
    engine = {"comunidad_cli.services.capacity.assessments", "comunidad_cli.core.capacity"}
    for args in (("summary",), ("spend-down",), ("summary", "--json")):
        out, modules = _imported(root, *args)
        assert not engine & modules, f"comunidad {' '.join(args)} loaded the capacity engine"
    assert json.loads(out)["weakest_domains"] == []
    assess("casa", "Ana", "2025-03-01", g1=1, g2=2, g3=2, g4=1, f1=4, f2=3)
    out, modules = _imported(root, "summary", "--json")
    assert engine <= modules
    assert [w["domain"] for w in json.loads(out)["weakest_domains"]] == ["gov", "fin"]


def test_summary_resources_and_capacity_import_no_sqlalchemy_sqlmodel_or_pydantic(
    meeting: str,
) -> None:
    """`summary` reads grants, meetings, capacity and resources through the storage API,
    as do `resource list|report`, `capacity show|compare|network` and `export`."""
    from tests.test_capacity import MINI, add_grant, assess

    root = Path.cwd()
    (root / "instruments").mkdir()
    (root / "instruments" / "mini.toml").write_text(MINI, encoding="utf-8")
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    ok("org", "add", "First 5 LA", "--kind", "funder", "--id", "first5la")
    add_grant(root, "g", funder="first5la", amount="1000", match="100", partners=["casa"])
    assess("casa", "Ana", "2025-03-01", g1=1, g2=2, g3=2, g4=1, f1=4, f2=3)
    assess("casa", "Ben", "2025-03-02", g1=2, g2=2, g3=2, g4=2, f1=3, f2="na")
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    ok("motion", "close", motion, "--at", "18:40")
    ok(
        "resource", "log", "--kind", "donation", "--description", "Room hire waived",
        "--received", "120.50", "--grant", "g", "--source", "casa", "--on", "2025-04-01",
    )  # fmt: skip
    ok(
        "resource", "log", "--kind", "funding", "--description", "Funder top-up",
        "--pledged", "300", "--grant", "g", "--source", "first5la", "--on", "2025-04-02",
    )  # fmt: skip
    before = _last_audit_id(root)
    commands: list[tuple[str, ...]] = [
        ("summary", "--json"),
        ("summary",),
        ("resource", "list", "--json"),
        ("resource", "report", "--grant", "g", "--json"),
        ("capacity", "show", "casa", "--json"),
        ("capacity", "network", "--grant", "g", "--json"),
        ("export", "subcontracts"),
        ("export", "payments", "--format", "json"),
        (
            "resource", "log", "--kind", "in_kind", "--description", "Chairs lent",
            "--received", "40.10", "--grant", "g", "--source", "casa", "--on", "2025-05-01",
        ),
    ]  # fmt: skip
    outs = []
    for args in commands:
        out, modules = _imported(root, *args)
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
        assert not heavy, f"comunidad {' '.join(args)} imported {heavy[:5]}"
        if args[0] == "summary":  # its meetings' days need the zone, not the governance facts
            assert "comunidad_cli.services.facts" not in modules
        outs.append(out)
    summary = json.loads(outs[0])
    assert summary["meetings"] == [
        {"meeting": meeting, "body": "nlg", "date": "2026-11-18", "motions": {"rejected": 1}}
    ]
    assert [w["domain"] for w in summary["weakest_domains"]] == ["gov", "fin"]
    assert summary["resources"]["received"] == 120.5
    assert summary["resources"]["grants"] == [
        {"grant": "g", "match": 120.5, "match_required": 100.0, "leverage": 0.4205}
    ]
    assert "Room hire waived" not in outs[1] and meeting in outs[1]
    listed = json.loads(outs[2])
    assert [(r["id"], r["source"], r["received"]) for r in listed] == [
        ("room-hire-waived", "casa", 120.5),
        ("funder-top-up", "first5la", 0),
    ]
    assert json.loads(outs[3])["grant"]["funder"] == "first5la"
    assert json.loads(outs[4])["org"] == "casa"
    assert "casa" in outs[5]
    assert outs[6].splitlines()[1].startswith("g-casa,g,Grant g,casa,")
    assert json.loads(outs[7]) == []
    # resource log wrote the row and its audit, by the actor, money to the cent (and the
    # reports wrote nothing).
    logged = json.loads(ok("resource", "list", "--grant", "g", "--json"))[-1]
    assert (logged["id"], logged["source"], logged["received"]) == ("chairs-lent", "casa", 40.1)
    with connect(root) as connection:
        audit = connection.execute(
            "select command, entity, entity_id, actor from audit_event where id > ? order by id",
            (before,),
        ).fetchall()
    assert audit == [("resource log", "resource", "chairs-lent", actor(root, "tester"))]


# --- the SQL names only what storage.tables defines -------------------------------------------


def _schema_from_metadata(path: Path) -> None:
    """A database built from SQLModel's metadata alone (not from the migrations)."""
    from sqlmodel import SQLModel

    import comunidad_cli.storage.tables  # noqa: F401
    from comunidad_cli.storage.engine import make_engine

    engine = make_engine(f"sqlite:///{path}")
    try:
        SQLModel.metadata.create_all(engine)
    finally:
        engine.dispose()


NOW = datetime(2026, 11, 18, 18, 0, tzinfo=UTC)

#: Every query of the per-domain modules, called with arguments that make it run its SQL.
CALLS: dict[str, Callable[[dbapi.Db], Any]] = {
    "org_id": lambda db: stored_directory.org_id(db, "o"),
    "person_id": lambda db: stored_directory.person_id(db, "p"),
    "people": lambda db: (stored_directory.people(db), stored_directory.people(db, 1)),
    "person_keys": lambda db: stored_directory.person_keys(db),
    "named": lambda db: stored_directory.named(db, "person", lambda name: name == "x"),
    "names": lambda db: stored_directory.names(db, ["p", "q"]),
    "add_person": lambda db: stored_directory.add_person(
        db, key="p", name="P", email=None, phone=None, organisation_id=None, created_at=NOW
    ),
    "organisation": lambda db: stored_directory.organisation(db, "o"),
    "organisations": lambda db: stored_directory.organisations(db),
    "org_key": lambda db: stored_directory.org_key(db, 1),
    "members_of": lambda db: stored_directory.members_of(db, 1),
    "add_org": lambda db: stored_directory.add_org(
        db, key="o", name="O", kind="community", email=None, phone=None, created_at=NOW
    ),
    "change_org": lambda db: stored_directory.change_org(
        db, 1, {"name": "O", "kind": "agency", "email": "e", "phone": "p"}
    ),
    "person": lambda db: stored_directory.person(db, "p"),
    "change_person": lambda db: stored_directory.change_person(
        db, 1, {"name": "P", "email": "e", "phone": "p", "organisation_id": None}
    ),
    "seats_held": lambda db: stored_directory.seats_held(db, 1),
    "meeting_by_key": lambda db: stored_governance.meeting_by_key(db, "m"),
    "meeting_at": lambda db: stored_governance.meeting_at(
        db, "b", "nlg", datetime(2026, 1, 1, 18, tzinfo=UTC)
    ),
    "meeting_by_id": lambda db: stored_governance.meeting_by_id(db, 1),
    "meetings": lambda db: (stored_governance.meetings(db), stored_governance.meetings(db, "b")),
    "motion_by_key": lambda db: stored_governance.motion_by_key(db, "m"),
    "motions_of": lambda db: stored_governance.motions_of(db, 1),
    "meeting_keys": lambda db: stored_governance.meeting_keys(db),
    "motion_keys": lambda db: stored_governance.motion_keys(db),
    "bylaws_version": lambda db: (
        db.execute(
            "INSERT INTO bylaws_version (bylaws_id, sha256, content, loaded_at)"
            " VALUES ('x', 's', 'c', '2026-01-01 00:00:00.000000')"
        ),
        stored_governance.bylaws_version(db, 1),
    ),
    "seats": lambda db: (stored_governance.seats(db, "x"), stored_governance.seats(db, "x", "b")),
    "attendance": lambda db: stored_governance.attendance(db, 1),
    "proxies": lambda db: stored_governance.proxies(db, 1),
    "meeting_names": lambda db: stored_governance.meeting_names(db, "x", "b", 1),
    "recusals": lambda db: stored_governance.recusals(db, 1),
    "votes": lambda db: stored_governance.votes(db, 1),
    "meeting_corrections": lambda db: stored_minutes.meeting_corrections(db, 1),
    "latest_minutes": lambda db: stored_minutes.latest_minutes(db, 1),
    "minutes_corrections": lambda db: stored_minutes.minutes_corrections(db, 1),
    "record_vote": lambda db: stored_governance.record_vote(
        db, motion_id=1, person_id=1, choice="yes", at=NOW, cast_by_id=None
    ),
    "bylaws_version_id": lambda db: stored_governance.bylaws_version_id(db, "s"),
    "add_bylaws_version": lambda db: stored_governance.add_bylaws_version(
        db, bylaws_id="x", sha256="t", content="c", at=NOW
    ),
    "add_meeting": lambda db: stored_governance.add_meeting(
        db,
        key="m",
        bylaws_id="x",
        bylaws_version_id=1,
        body="b",
        kind="regular",
        scheduled_at=NOW,
        notice_sent=date(2026, 11, 10),
        title=None,
    ),
    "end_meeting": lambda db: stored_governance.end_meeting(db, 1, NOW),
    "add_attendance": lambda db: stored_governance.add_attendance(
        db, meeting_id=1, person_id=1, at=NOW, arrived=True
    ),
    "add_proxy": lambda db: stored_governance.add_proxy(db, meeting_id=1, holder_id=1, giver_id=2),
    "open_motions": lambda db: stored_governance.open_motions(db, 1),
    "add_motion": lambda db: stored_governance.add_motion(
        db, key="mo", meeting_id=1, decision="d", title="T", opened_at=NOW
    ),
    "motion_list": lambda db: (
        stored_governance.motion_list(db),
        stored_governance.motion_list(db, 1, open_only=True),
    ),
    "open_motion_rows": lambda db: (
        stored_governance.open_motion_rows(db),
        stored_governance.open_motion_rows(db, 1),
    ),
    "open_votes": lambda db: stored_governance.open_votes(db, 1),
    "open_recusals": lambda db: stored_governance.open_recusals(db, 1),
    "add_recusal": lambda db: stored_governance.add_recusal(
        db, motion_id=1, person_id=1, reason="R", at=NOW
    ),
    "close_motions": lambda db: stored_governance.close_motions(db, [(1, NOW, "adopted", "{}")]),
    "add_minutes": lambda db: stored_minutes.add_minutes(
        db,
        meeting_id=1,
        version=2,
        locale="es",
        content="C",
        sha256="s",
        signed_at=NOW,
        signed_by="B",
        corrects=1,
        reason="R",
    ),
    "add_meeting_correction": lambda db: stored_minutes.add_meeting_correction(
        db, meeting_id=1, at=NOW, text="T", by="B", minutes_version=None
    ),
    "seats_near": lambda db: (
        stored_governance.seats_near(
            db,
            "x",
            body="b",
            person="p",
            start=date(2026, 1, 1),
            end=None,
            member_class=None,
            role=None,
        ),
        stored_governance.seats_near(
            db,
            "x",
            body="b",
            person="p",
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            member_class="c",
            role="r",
        ),
    ),
    "add_seat": lambda db: stored_governance.add_seat(
        db,
        bylaws_id="x",
        body="b",
        person_id=1,
        member_class="c",
        role=None,
        start=date(2026, 1, 1),
        end=None,
    ),
    "end_seat": lambda db: stored_governance.end_seat(db, 1, date(2026, 12, 31)),
    "revision": dbapi.revision,
    "subcontract": lambda db: stored_grants.subcontract(db, "s"),
    "subcontract_by_id": lambda db: (
        db.execute(
            "INSERT INTO organisation (id, key, name, kind, created_at)"
            " VALUES (99, 'o99', 'O', 'funder', '2026-01-01 00:00:00.000000')"
        ),
        db.execute(
            'INSERT INTO grant_award (id, key, funder_id, title, amount, currency, start, "end",'
            " match_required, created_at) VALUES (1, 'g', 99, 'G', 10.5, 'EUR', '2026-01-01',"
            " '2026-12-31', 0, '2026-01-01 00:00:00.000000')"
        ),
        db.execute(
            'INSERT INTO subcontract (id, key, grant_id, partner_id, kind, start, "end", status,'
            " created_at) VALUES (1, 's', 1, 99, 'subaward', '2026-01-01', '2026-12-31',"
            " 'active', '2026-01-01 00:00:00.000000')"
        ),
        stored_grants.subcontract_by_id(db, 1),
    ),
    "subcontracts": lambda db: (stored_grants.subcontracts(db), stored_grants.subcontracts(db, 1)),
    "grant": lambda db: stored_grants.grant(db, "g"),
    "grants": lambda db: (stored_grants.grants(db), stored_grants.grants(db, 1)),
    "budget_lines": lambda db: (
        stored_grants.budget_lines(db, None),
        stored_grants.budget_lines(db, [1, 2]),
    ),
    "amendments": lambda db: (
        stored_grants.amendments(db, None),
        stored_grants.amendments(db, [1]),
    ),
    "amendment_lines": lambda db: stored_grants.amendment_lines(db, [1]),
    "spent": lambda db: (
        stored_grants.spent(db, None, {"paid", "approved"}),
        stored_grants.spent(db, [1], {"paid"}, date(2026, 1, 1)),
    ),
    "paid": lambda db: (
        stored_grants.paid(db, None),
        stored_grants.paid(db, [1], date(2026, 1, 1)),
    ),
    "risks": lambda db: (stored_grants.risks(db, None), stored_grants.risks(db, [1])),
    "deliverables": lambda db: (
        stored_grants.deliverables(db, None),
        stored_grants.deliverables(db, [1]),
    ),
    "submissions": lambda db: (
        stored_grants.submissions(db, None),
        stored_grants.submissions(db, [1]),
    ),
    "payments": lambda db: (stored_grants.payments(db), stored_grants.payments(db, 1)),
    "payment_lines": lambda db: (
        stored_grants.payment_lines(db),
        stored_grants.payment_lines(db, 1),
    ),
    "add_payment": lambda db: stored_grants.add_payment(
        db,
        key="p",
        subcontract_id=1,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        invoice_date=date(2026, 2, 1),
        status="paid",
        total=Decimal("0.30"),
        created_at=NOW,
        lines=[("a", Decimal("0.10")), ("b", Decimal("0.20"))],
    ),
    "payment_status": lambda db: stored_grants.payment_status(db, "p"),
    "set_payment_status": lambda db: stored_grants.set_payment_status(db, 1, "declined"),
    "subcontract_key": lambda db: stored_grants.subcontract_key(db, 1),
    "subcontract_ids": lambda db: stored_grants.subcontract_ids(db, 1),
    "payment_count": lambda db: stored_grants.payment_count(db, 1),
    "add_deliverable": lambda db: stored_grants.add_deliverable(
        db,
        key="d",
        subcontract_id=1,
        title="D",
        first_due=date(2026, 3, 31),
        every=3,
        unit="months",
        until=None,
        holds_payments=True,
    ),
    "deliverable_ref": lambda db: stored_grants.deliverable_ref(db, "d"),
    "deliverables_due": lambda db: stored_grants.deliverables_due(db, 1, date(2026, 1, 1)),
    "grants_from": lambda db: stored_grants.grants_from(db, 1, date(2026, 1, 1)),
    "add_submission": lambda db: stored_grants.add_submission(
        db, deliverable_id=1, due=date(2026, 3, 31), submitted_on=date(2026, 4, 1)
    ),
    "add_grant": lambda db: stored_grants.add_grant(
        db,
        key="g2",
        funder_id=1,
        title="G",
        award_number=None,
        amount=Decimal("10.50"),
        currency="EUR",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        match_required=Decimal("0.10"),
        created_at=NOW,
    ),
    "add_subcontract": lambda db: stored_grants.add_subcontract(
        db,
        key="s2",
        grant_id=1,
        partner_id=1,
        kind="contract",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        status="draft",
        created_at=NOW,
        lines=[("a", Decimal("0.10")), ("b", Decimal("0.20"))],
    ),
    "set_subcontract_status": lambda db: stored_grants.set_subcontract_status(db, 1, "active"),
    "has_risk": lambda db: stored_grants.has_risk(db, 1),
    "add_risk": lambda db: stored_grants.add_risk(
        db, subcontract_id=1, assessed_on=date(2026, 1, 2), level="low", assessed_by="A", notes=None
    ),
    "add_amendment": lambda db: stored_grants.add_amendment(
        db,
        subcontract_id=1,
        number=1,
        effective=date(2026, 2, 1),
        reason="R",
        needs_funder_approval=True,
        created_at=NOW,
        lines=[("a", Decimal("-0.10")), ("b", Decimal("0.10"))],
    ),
    "approve_amendment": lambda db: stored_grants.approve_amendment(db, 1, 1, date(2026, 2, 2)),
    "raters_on": lambda db: stored_capacity.raters_on(db, 1, "mini", date(2026, 1, 1)),
    "add_assessment": lambda db: stored_capacity.add_assessment(
        db,
        organisation_id=1,
        instrument="mini",
        sha256="s",
        rater="R",
        assessed_on=date(2026, 1, 1),
        answers=[("g1", 1), ("g2", None)],
    ),
    "add_answers": lambda db: (
        stored_capacity.add_answers(db, 1, [("g3", 2)]),
        stored_capacity.add_answers(db, 1, [("g3", 2)], table="agreement_answer"),
    ),
    "meetings_latest_first": lambda db: list(stored_governance.meetings_latest_first(db)),
    "motion_outcomes": lambda db: stored_governance.motion_outcomes(db, 1),
    "resources": lambda db: (stored_resources.resources(db), stored_resources.resources(db, 1)),
    "add_resource": lambda db: stored_resources.add_resource(
        db,
        key="r",
        grant_id=None,
        source_id=None,
        kind="donation",
        description="R",
        pledged=Decimal("0.10"),
        received=Decimal("0.10"),
        hours=None,
        dated=date(2026, 1, 1),
    ),
    "assessments": lambda db: (
        stored_capacity.assessments(db),
        stored_capacity.assessments(db, [1, 2], "mini", date(2026, 1, 1)),
    ),
    "assessed": lambda db: (
        stored_capacity.assessed(db),
        stored_capacity.assessed(db, date(2026, 1, 1)),
    ),
    "answers": lambda db: (
        stored_capacity.answers(db, [1]),
        stored_capacity.answers(db, [1], table="agreement_answer"),
    ),
    "org_names": stored_capacity.org_names,
    "partners": lambda db: stored_capacity.partners(db, 1),
    "read_money": lambda db: stored_grants.read_money(0.1),
    "from_cents": lambda db: stored_grants.from_cents(None),
    # What the imports read and match on (services/imports/).
    "keys": lambda db: stored_directory.keys(db, "subcontract"),
    "key_list": lambda db: stored_directory.key_list(db, "network_commitment"),
    "org_rows": stored_directory.org_rows,
    "person_rows": stored_directory.person_rows,
    "org_ids": stored_directory.org_ids,
    "person_ids": stored_directory.person_ids,
    "grant_currencies": stored_grant_rows.grant_currencies,
    "grant_spans": stored_grant_rows.grant_spans,
    "paid_spans": stored_grant_rows.paid_spans,
    "subcontract_grants": stored_grant_rows.subcontract_grants,
    "risk_rows": stored_grant_rows.risk_rows,
    "budget_line_rows": stored_grant_rows.budget_line_rows,
    "subcontracts_in_use": stored_grant_rows.subcontracts_in_use,
    "submission_rows": stored_grant_rows.submission_rows,
    "payment_rows": stored_grant_rows.payment_rows,
    "last_payment_id": stored_grant_rows.last_payment_id,
    "payment_ids_after": lambda db: (
        stored_grant_rows.payment_ids_after(db, None),
        stored_grant_rows.payment_ids_after(db, 1),
    ),
    "resource_rows": stored_resources.resource_rows,
    "answer_rows": lambda db: stored_capacity.answer_rows(db, [1]),
}


def test_every_query_runs_on_the_schema_storage_tables_defines(tmp_path: Path) -> None:
    path = tmp_path / "metadata.db"
    _schema_from_metadata(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        db = dbapi.Db(connection, "sqlite")
        connection.execute("PRAGMA foreign_keys=OFF")  # the rows refer to nothing
        for name, call in CALLS.items():
            try:
                call(db)
            except sqlite3.OperationalError as error:  # no such table / no such column
                pytest.fail(f"{name}: {error}")
    finally:
        connection.close()
    # Every query function of the modules is exercised above: new ones must be added.
    for module in (
        stored_directory,
        stored_governance,
        stored_minutes,
        stored_grants,
        stored_resources,
        stored_capacity,
    ):
        public = {
            n
            for n, f in vars(module).items()
            if inspect.isfunction(f) and f.__module__ == module.__name__ and not n.startswith("_")
        }
        assert public <= set(CALLS), sorted(public - set(CALLS))


def test_meetings_latest_first_reads_page_by_page_without_a_gap_or_a_double(
    tmp_path: Path,
) -> None:
    path = tmp_path / "metadata.db"
    _schema_from_metadata(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        db = dbapi.Db(connection, "sqlite")
        connection.execute("PRAGMA foreign_keys=OFF")
        for n in range(37):  # pairs of meetings at the same time: the order must not wobble
            stored_governance.add_meeting(
                db,
                key=f"m{n}",
                bylaws_id="x",
                bylaws_version_id=1,
                body="b",
                kind="regular",
                scheduled_at=NOW - timedelta(days=n // 2),
                notice_sent=None,
                title=None,
            )
        for page in (1, 5, 16, 37, 100):
            found = [key for _i, key, _b, _at in stored_governance.meetings_latest_first(db, page)]
            assert found == [f"m{n}" for n in (1, 0, 3, 2, 5, 4)] + found[6:], page
            assert sorted(found) == sorted(f"m{n}" for n in range(37)), page
        first = next(stored_governance.meetings_latest_first(db))
        assert first[1:] == ("m1", "b", NOW)
    finally:
        connection.close()


def test_inserts_and_reads_round_trip_times_dates_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "metadata.db"
    _schema_from_metadata(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        db = dbapi.Db(connection, "sqlite")
        first = stored_directory.add_person(
            db, key="ana", name="Ana", email=None, phone=None, organisation_id=None, created_at=NOW
        )
        second = stored_directory.add_person(
            db, key="bo", name="Bo", email="b@x", phone=None, organisation_id=None, created_at=NOW
        )
        assert (first, second) == (1, 2)
        # The text form SQLAlchemy writes and reads for an instant in SQLite.
        assert (
            db.value("SELECT created_at FROM person WHERE id = 1") == "2026-11-18 18:00:00.000000"
        )
        connection.execute(
            'INSERT INTO seat (bylaws_id, body, person_id, member_class, start, "end")'
            " VALUES ('x', 'b', 1, 'resident', '2024-01-01', NULL)"
        )
        assert stored_governance.seats(db, "x", "b") == [
            (1, "ana", "b", "resident", date(2024, 1, 1), None, None)
        ]
        assert stored_directory.names(db, ["bo", "nobody"]) == {"bo": "Bo"}
        assert stored_directory.names(db, []) == {}
    finally:
        connection.close()


def test_money_round_trips_to_the_cent_and_sums_exactly(tmp_path: Path) -> None:
    """SQLite keeps NUMERIC as REAL: amounts come back with two decimals, and sums are taken
    in integer cents (a float sum of 0.10 + 0.20 would not be 0.30)."""
    path = tmp_path / "metadata.db"
    _schema_from_metadata(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        db = dbapi.Db(connection, "sqlite")
        connection.execute("PRAGMA foreign_keys=OFF")
        for n, (status, amounts) in enumerate(
            [("paid", ("0.10", "0.20")), ("approved", ("0.10",)), ("declined", ("99.99",))]
        ):
            lines = [("travel", Decimal(a)) for a in amounts]
            stored_grants.add_payment(
                db,
                key=f"p{n}",
                subcontract_id=7,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 1, 31),
                invoice_date=date(2026, 2, 1 + n),
                status=status,
                total=sum((a for _, a in lines), Decimal(0)),
                created_at=NOW,
                lines=lines,
            )
        assert stored_grants.spent(db, [7], {"paid", "approved"}) == [
            (7, "travel", Decimal("0.40"))
        ]
        assert stored_grants.spent(db, None, {"paid"}, date(2026, 2, 1)) == [
            (7, "travel", Decimal("0.30"))
        ]
        assert stored_grants.paid(db, [7]) == {7: Decimal("0.30")}
        assert stored_grants.paid(db, [8]) == {}
        assert [line[2] for line in stored_grants.payment_lines(db, None)] == [
            Decimal("0.10"),
            Decimal("0.20"),
            Decimal("0.10"),
            Decimal("99.99"),
        ]
        assert str(stored_grants.read_money(1000)) == "1000.00"
        assert str(stored_grants.from_cents(None)) == "0.00"
    finally:
        connection.close()


def test_spending_by_subcontract_and_category_is_the_sum_of_their_lines(tmp_path: Path) -> None:
    """`spent` (one subcontract at a time, from the covering index) gives, for every
    subcontract and category, the sum of the lines of payments in the statuses and up to the
    day asked, ordered by subcontract then category; the payments' SQL reads the lines'
    amounts from the index and sorts no more than one subcontract's lines."""
    import random

    path = tmp_path / "metadata.db"
    _schema_from_metadata(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        db = dbapi.Db(connection, "sqlite")
        connection.execute("PRAGMA foreign_keys=OFF")
        pick = random.Random(9)
        lines_of: list[tuple[int, str, date, str, Decimal]] = []
        for n in range(300):
            sub, day = pick.choice((3, 5, 8, 13)), date(2026, 1, 1) + timedelta(days=n % 90)
            status = pick.choice(("paid", "approved", "submitted", "declined"))
            lines = [
                (
                    pick.choice(("travel", "staff", "rent", "Ñandú")),
                    Decimal(pick.randint(-500, 9999)) / 100,
                )
                for _ in range(pick.randint(1, 3))
            ]
            stored_grants.add_payment(
                db,
                key=f"p{n}",
                subcontract_id=sub,
                period_start=day,
                period_end=day,
                invoice_date=day,
                status=status,
                total=sum((a for _, a in lines), Decimal(0)),
                created_at=NOW,
                lines=lines,
            )
            lines_of += [(sub, status, day, c, a) for c, a in lines]

        def expected(
            ids: set[int] | None, statuses: set[str], until: date | None
        ) -> list[tuple[int, str, Decimal]]:
            sums: dict[tuple[int, str], Decimal] = {}
            for sub, status, day, category, amount in lines_of:
                wanted = (ids is None or sub in ids) and status in statuses
                if wanted and (until is None or day <= until):
                    sums[sub, category] = sums.get((sub, category), Decimal(0)) + amount
            return [(s, c, total) for (s, c), total in sorted(sums.items())]

        for ids, statuses, until in [
            (None, {"paid", "approved"}, None),
            (None, {"paid"}, date(2026, 2, 10)),
            ({5, 13, 99}, {"approved", "submitted"}, None),
            ({8}, {"paid", "approved"}, date(2026, 1, 20)),
            (set(), {"paid"}, None),
        ]:
            assert stored_grants.spent(db, ids, statuses, until) == expected(ids, statuses, until)

        asked: list[tuple[str, Any]] = []
        plain_rows = db.rows

        def rows(sql: str, params: Any = None) -> list[tuple[Any, ...]]:
            asked.append((sql, dict(params or {})))
            return plain_rows(sql, params)

        db.rows = rows  # type: ignore[method-assign]
        stored_grants.spent(db, None, {"paid", "approved"})
        sql, params = next((q, p) for q, p in asked if "payment_line" in q)
        plan = " ".join(str(r[3]) for r in plain_rows(f"EXPLAIN QUERY PLAN {sql}", params))
        assert (
            "SEARCH p USING COVERING INDEX ix_payment_subcontract_id_status_invoice_date_total"
            in plan
        )
        assert "SEARCH l USING COVERING INDEX ix_payment_line_payment_id_category_amount" in plan
        assert "SCAN" not in plan, plan  # no pass over every payment or line
    finally:
        connection.close()


def test_named_parameters_become_the_drivers_style() -> None:
    db = dbapi.Db(object(), "postgresql")
    assert db._sql("SELECT a FROM t WHERE k = :key AND n LIKE '5%' AND x::text = :x") == (
        "SELECT a FROM t WHERE k = %(key)s AND n LIKE '5%%' AND x::text = %(x)s"
    )
    assert dbapi.Db(object(), "sqlite")._sql("k = :key") == "k = :key"


def test_naive_times_are_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="naive"):
        dbapi.Db(object(), "sqlite").instant(datetime(2026, 1, 1, 12, 0))


# --- refusals on the DB-API path: the same as on the SQLAlchemy path --------------------------


def test_a_missing_database_is_refused_and_not_created(tmp_path: Path) -> None:
    from comunidad_cli.services.directory import list_people

    path = tmp_path / "missing.db"
    with pytest.raises(ServiceError) as raised:
        list_people(f"sqlite:///{path}")
    assert raised.value.msg.render() == (
        f"no database at {path}: run comunidad init or comunidad db upgrade"
    )
    assert not path.exists()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    from comunidad_cli.services.directory import add_person

    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not an SQLite database, just some text\n" * 100)
    with pytest.raises(ServiceError) as raised:
        add_person(f"sqlite:///{path}", name="Ana")
    assert raised.value.msg.render() == (
        f"cannot use the database at {path}: file is not a database"
    )


def test_a_database_from_another_version_is_refused(workspace: Path) -> None:
    with connect(workspace) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0004'")
    code, out, err = run("person", "list")
    assert (code, out) == (1, "")
    assert re.search(r"schema is at revision 0004 and this comunidad needs 0\d+", err), err
    with connect(workspace) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    code, _, err = run("motion", "show", "motion-x")
    assert code == 1
    assert "written by a newer comunidad (schema revision 9999" in err


def test_a_refused_statement_writes_nothing(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A constraint the database enforces comes back as a refusal, and the transaction is undone."""
    from comunidad_cli.services import directory

    with connect(workspace) as connection:
        before = connection.execute("select count(*) from audit_event").fetchone()
        if connection.sqlite:
            connection.execute(
                "CREATE TRIGGER no_more_people BEFORE INSERT ON audit_event"
                " WHEN NEW.entity = 'person' BEGIN SELECT RAISE(ABORT, 'audit log full'); END"
            )
        else:
            connection.execute(
                "CREATE FUNCTION no_more_people() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN RAISE EXCEPTION 'audit log full'; END $$"
            )
            connection.execute(
                "CREATE TRIGGER no_more_people BEFORE INSERT ON audit_event FOR EACH ROW"
                " WHEN (NEW.entity = 'person') EXECUTE FUNCTION no_more_people()"
            )
    url = database_of(workspace)
    with pytest.raises(ServiceError) as raised:
        directory.add_person(url, name="Nadia")
    assert raised.value.msg.render() == "the database refused the change: audit log full"
    with connect(workspace) as connection:
        assert connection.execute("select count(*) from person where key = 'nadia'").fetchone() == (
            0,
        )
        assert connection.execute("select count(*) from audit_event").fetchone() == before


@pytest.mark.sqlite_only  # SQLite URLs with a query / typeof(): SQLite's storage classes
def test_other_urls_take_the_same_queries_through_an_engines_connection(workspace: Path) -> None:
    """A URL with a query string is not a plain file: its DB-API connection comes from
    SQLAlchemy (as PostgreSQL's will), and the same queries and audit rows follow."""
    from comunidad_cli.services.directory import add_person, list_people

    url = f"sqlite:///{workspace / 'comunidad.db'}?timeout=10"
    assert dbapi.plain_sqlite_file(url) is None
    added = add_person(url, name="Olga Puig", email="olga@example.org")
    assert added.key == "olga-puig"
    assert [p.key for p in list_people(url)][-1] == "r7"
    with connect(workspace) as connection:
        assert connection.execute(
            "select command, action, entity, entity_id from audit_event order by id desc limit 1"
        ).fetchone() == ("person add", "create", "person", "olga-puig")
    missing = f"sqlite:///{workspace / 'gone.db'}?timeout=10"
    with pytest.raises(ServiceError) as raised:
        list_people(missing)
    assert raised.value.msg.render().startswith("no database at ")
    assert not (workspace / "gone.db").exists()


def test_the_fast_lane_of_attendance_and_votes_imports_no_sqlalchemy(meeting: str) -> None:
    """A clean attendance or votes file is judged and written over the storage API alone:
    a script importing a meeting's record pays no SQLAlchemy start-up, and writes all of it."""
    root = Path.cwd()
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    (root / "attendance.csv").write_text(
        f"meeting,person,at,event\n{meeting},r6,2026-11-18T18:30:00,arrive\n"
        f"{meeting},b1,2026-11-18T19:00:00,leave\n",
        encoding="utf-8",
    )
    (root / "votes.csv").write_text(
        "motion,person,choice,at,by\n"
        + "".join(f"{motion},{p},yes,2026-11-18T18:21:00,\n" for p in ("r1", "r2", "r3"))
        + f"{motion},a1,no,2026-11-18T18:22:00,\n",
        encoding="utf-8",
    )
    before = _last_audit_id(root)
    for kind in ("attendance", "votes"):
        _, modules = _imported(root, "import", kind, f"{kind}.csv")  # the summary is on stderr
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
        assert not heavy, f"comunidad import {kind} imported {heavy[:5]}"
        # No amounts in a meeting's record: no decimal mark nor currency digits from Babel.
        assert "babel.numbers" not in modules, f"comunidad import {kind} loaded babel.numbers"
    shown = json.loads(ok("motion", "show", motion, "--json"))
    assert sorted((v["person"], v["choice"]) for v in shown["voters"]) == [
        ("a1", "no"), ("r1", "yes"), ("r2", "yes"), ("r3", "yes"),
    ]  # fmt: skip
    with connect(root) as connection:
        rows = connection.execute(
            "select command, action, entity, entity_id, actor from audit_event"
            " where id > ? order by id",
            (before,),
        ).fetchall()
        events = connection.execute(
            "select p.key, a.at, a.arrived from attendance a join person p on p.id = a.person_id"
            " where p.key in ('r6', 'b1') order by a.at"
        ).fetchall()
    assert [(key, bool(arrived)) for key, _, arrived in events] == [
        ("b1", True), ("r6", True), ("b1", False),
    ]  # fmt: skip
    tester = actor(root, "tester")
    assert rows == [
        ("import attendance", "create", "attendance", meeting, tester),
        ("import attendance", "import", "attendance", "attendance.csv", tester),
        ("import votes", "create", "vote", motion, tester),
        ("import votes", "import", "vote", "votes.csv", tester),
    ]


def test_meeting_minutes_read_without_sqlalchemy(meeting: str) -> None:
    """`meeting minutes` (the draft and the signed version) reads through the storage API:
    no SQLAlchemy, SQLModel or pydantic, and the same text as the command prints in-process."""
    from tests.test_minutes import _hold_meeting

    root = Path.cwd()
    _hold_meeting(meeting)
    draft, modules = _imported(root, "meeting", "minutes", meeting, "--format", "markdown")
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"comunidad meeting minutes imported {heavy[:5]}"
    assert draft == ok("meeting", "minutes", meeting, "--format", "markdown")
    assert "Subcontract to Agency A" in draft
    signed = ok(
        "meeting", "minutes", meeting, "--format", "markdown", "--sign", "--by", "Secretary"
    )
    with connect(root) as connection:
        connection.execute("update person set name = 'Renamed Person' where key = 'r1'")
    shown, modules = _imported(root, "meeting", "minutes", meeting, "--format", "markdown")
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"comunidad meeting minutes (signed) imported {heavy[:5]}"
    assert shown == signed and "Signed off by Secretary" in shown
    assert "Renamed Person" not in shown


def test_governance_writes_import_no_sqlalchemy(meeting: str) -> None:
    """`motion recuse|close` (one and --all), `member add|end`, `meeting minutes --sign` and
    `meeting correct` read and write through the storage API: no SQLAlchemy, SQLModel or
    pydantic, and their rows and audit rows (actor included) are written."""
    root = Path.cwd()
    motions = [
        ok(
            "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
            "--title", title, "--at", "18:15",
        ).strip()
        for title in ("Subcontract to Agency A", "Subcontract to Agency B")
    ]  # fmt: skip
    for motion in motions:
        for person in ("r1", "r2", "r3", "r4"):
            ok("motion", "vote", motion, "--person", person, "--choice", "yes", "--at", "18:20")
    ok("person", "add", "Nuria Vila")
    before = _last_audit_id(root)
    commands: list[tuple[str, ...]] = [
        ("motion", "recuse", motions[0], "--person", "a1", "--reason", "Agency A applies",
         "--at", "18:16"),
        ("motion", "close", motions[0], "--at", "18:30"),
        ("motion", "close", "--all", "--meeting", meeting, "--at", "18:31"),
        ("member", "end", "--body", "nlg", "--person", "r7", "--on", "2026-12-31"),
        ("member", "add", "--body", "nlg", "--person", "nuria-vila", "--class", "resident",
         "--from", "2027-01-01"),
        ("member", "end", "--body", "nlg", "--person", "nuria-vila", "--on", "2027-06-30"),
        ("meeting", "close", meeting, "--at", "19:00"),
        ("meeting", "minutes", meeting, "--format", "markdown", "--sign", "--by", "Secretary"),
        ("meeting", "correct", meeting, "--text", "r2 arrived at 18:05", "--by", "Secretary"),
    ]  # fmt: skip
    for args in commands:
        _, modules = _imported(root, *args)
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
        if args[:2] != ("meeting", "close"):  # not moved here: `meeting close` is checked above
            assert not heavy, f"comunidad {' '.join(args)} imported {heavy[:5]}"
    shown = [json.loads(ok("motion", "show", motion, "--json")) for motion in motions]
    assert [(s["closed"], s["outcome"]) for s in shown] == [(True, "adopted"), (True, "adopted")]
    assert [r["person"] for r in shown[0]["recused"]] == ["a1"]
    assert [s["at"][11:16] for s in shown] == ["18:30", "18:31"]
    members = ok("member", "list", "--body", "nlg", "--on", "2027-06-30")
    held = [line.split()[0] for line in members.splitlines()[1:]]
    assert "nuria-vila" in held and "r7" not in held and "r6" in held
    assert "nuria-vila" not in ok("member", "list", "--body", "nlg", "--on", "2027-07-01")
    with connect(root) as connection:
        rows = connection.execute(
            "select command, action, entity, actor from audit_event where id > ? order by id",
            (before,),
        ).fetchall()
        versions = connection.execute(
            "select version, corrects, reason, signed_by from minutes order by version"
        ).fetchall()
    tester, secretary = actor(root, "tester"), actor(root, "Secretary")
    assert rows == [
        ("motion recuse", "create", "recusal", tester),
        ("motion close", "update", "motion", tester),
        ("motion close", "update", "motion", tester),
        ("member end", "update", "seat", tester),
        ("member add", "create", "seat", tester),
        ("member end", "update", "seat", tester),
        ("meeting close", "update", "meeting", tester),
        ("meeting minutes", "create", "minutes", secretary),
        ("meeting correct", "create", "meeting_correction", secretary),
    ]
    assert versions == [
        (1, None, None, "Secretary"),
        (2, 1, "r2 arrived at 18:05", "Secretary"),
    ]


def test_the_careful_path_of_every_import_kind_imports_no_sqlalchemy(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every kind's careful path (its plan and its write) runs on the storage API: importing
    a directory and a grant's books, then changing a row, pays no SQLAlchemy, SQLModel or
    pydantic start-up, and writes the rows and their audit."""
    assert run("init", "w", "--locale", "en", "--currency", "EUR")[0] == 0
    root = in_tmp / "w"
    monkeypatch.chdir(root)
    files = {
        "orgs": "id,name,kind\nfunder,Fundació Barri Viu,funder\ncasa,Casa Comunidad,community\n",
        "people": "id,name,org,email\nana,Ana Ruiz,casa,ana@example.org\nbo,Bo Li,,\n",
        "grants": "id,funder,title,amount,currency,from,to\n"
        "bs,funder,Best Start,100000.00,EUR,2025-01-01,2025-12-31\n",
        "subcontracts": "id,grant,partner,kind,from,to,status,risk_level,risk_by,risk_on\n"
        "casa-1,bs,casa,subaward,2025-02-01,2025-11-30,active,low,Ana,2025-01-15\n",
        "budget-lines": "subcontract,category,amount\ncasa-1,personnel,1000.00\n"
        "casa-1,supplies,500.00\n",
        "deliverables": "id,subcontract,title,first_due\nfinal,casa-1,Final report,2025-11-30\n",
        "payments": "payment,subcontract,period_from,period_to,date,status,category,amount\n"
        "inv-1,casa-1,2025-02-01,2025-02-28,2025-03-05,approved,personnel,300.10\n"
        "inv-1,casa-1,2025-02-01,2025-02-28,2025-03-05,approved,supplies,0.20\n",
        "resources": "id,kind,description,grant,source,pledged,received,date\n"
        "r-1,donation,Chairs,bs,casa,250.00,250.00,2025-03-01\n",
    }
    for kind, text in files.items():
        (root / f"{kind}.csv").write_text(text, encoding="utf-8")
        _, modules = _imported(root, "import", kind, f"{kind}.csv")
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
        assert not heavy, f"comunidad import {kind} imported {heavy[:5]}"
    (root / "people.csv").write_text(
        "id,name,org,email\nana,Ana Ruiz,casa,ana.ruiz@example.org\nbo,Bo Li,,\n",
        encoding="utf-8",
    )
    _, modules = _imported(root, "import", "people", "people.csv", "--dry-run")
    assert not [m for m in modules if m.split(".")[0] in HEAVY]
    _, modules = _imported(root, "import", "people", "people.csv")
    assert not [m for m in modules if m.split(".")[0] in HEAVY]
    (paid,) = json.loads(ok("payment", "list", "--subcontract", "casa-1", "--json"))
    assert (paid["id"], paid["status"], paid["total"]) == ("inv-1", "approved", 300.3)
    (position,) = json.loads(ok("subcontract", "list", "--json"))
    assert (position["spent"], position["balance"]) == (300.3, 1199.7)
    with connect(root) as connection:
        people = connection.execute(
            "select p.key, p.email, o.key from person p"
            " left join organisation o on o.id = p.organisation_id order by p.key"
        ).fetchall()
        audit = connection.execute(  # the actor: the database role's, on PostgreSQL
            "select command, action, entity_id from audit_event"
            " where command = 'import people' order by id"
        ).fetchall()
        risks = connection.execute("select level, assessed_by from risk_assessment").fetchall()
    assert people == [("ana", "ana.ruiz@example.org", "casa"), ("bo", None, None)]
    assert audit == [
        ("import people", "create", "ana"),
        ("import people", "create", "bo"),
        ("import people", "import", "people.csv"),
        ("import people", "update", "ana"),
        ("import people", "import", "people.csv"),
    ]
    assert risks == [("low", "Ana")]
