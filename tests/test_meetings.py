"""A real meeting of the Best Start Neighborhood Leadership Group, run from the terminal.

The by-laws, not the coordinator's arithmetic, decide quorum and outcomes; every refusal
says why, exits 1 and leaves the database as it was.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comunidad_cli.cli.app import app
from tests.conftest import ROOT

runner = CliRunner()
RESIDENTS = [f"r{n}" for n in range(1, 8)]
AGENCIES = ["a1", "a2", "a3"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, err
    return out


def dump(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        rows: list[tuple[object, ...]] = []
        for table in ("meeting", "attendance", "proxy", "motion", "vote", "recusal", "audit_event"):
            rows += [(table, *row) for row in connection.execute(f"select * from {table} order by id")]
        return rows


@pytest.fixture
def workspace(in_tmp: Path) -> Path:
    """A workspace with the Best Start by-laws and a seated NLG (people added directly)."""
    assert run("init", "w", "--locale", "en_US")[0] == 0
    root = in_tmp / "w"
    (root / "bylaws" / "partnership.toml").unlink()
    shutil.copy(ROOT / "bylaws" / "best-start-partnership.toml", root / "bylaws")
    seats = [(k, "resident") for k in RESIDENTS] + [(k, "agency") for k in AGENCIES] + [("b1", "business"), ("f1", "funder")]
    with sqlite3.connect(root / "comunidad.db") as connection:
        for n, (key, member_class) in enumerate(seats, start=1):
            connection.execute(
                "insert into person (id, key, name, created_at) values (?, ?, ?, '2024-01-01 00:00:00')",
                (n, key, f"Person {key.upper()}"),
            )
            connection.execute(
                "insert into seat (bylaws_id, body, person_id, member_class, start) values ('bsmla', 'nlg', ?, ?, '2024-01-01')",
                (n, member_class),
            )
    import os

    os.chdir(root)
    return root


@pytest.fixture
def meeting(workspace: Path) -> str:
    out = ok("meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10")
    key = out.strip()
    for person in ["r1", "r2", "r3", "r4", "r5", "a1", "a2", "f1"]:
        ok("meeting", "attend", key, "--person", person, "--at", "18:00")
    ok("meeting", "attend", key, "--person", "b1", "--at", "18:10")
    return key


def test_a_meeting_decides_by_the_bylaws(meeting: str, workspace: Path) -> None:
    assert meeting == "nlg-2026-11-18"
    shown = json.loads(ok("meeting", "show", meeting, "--at", "18:12", "--json"))
    assert shown["quorum"] == {
        "required": 6,  # more than 1/2 of 11 voting members (the funder liaison does not vote)
        "present": 8,
        "met": True,
        "voting_members": 11,
        "minimums": [{"class": "resident", "required": 4, "present": 5}],
    }
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract", "--title", "Subcontract to Agency A", "--at", "18:15"
    ).strip()
    ok("motion", "recuse", motion, "--person", "a1", "--reason", "Agency A applies", "--at", "18:16")
    for person, choice in [("r1", "yes"), ("r2", "yes"), ("r3", "yes"), ("r4", "yes"), ("r5", "no"), ("a2", "abstain"), ("b1", "yes")]:
        ok("motion", "vote", motion, "--person", person, "--choice", choice, "--at", "18:20")
    result = json.loads(ok("motion", "close", motion, "--at", "18:25", "--json"))
    assert result["outcome"] == "adopted"
    assert (result["yes"], result["no"], result["abstain"]) == (5, 1, 1)
    assert (result["base"], result["base_total"], result["required"]) == ("cast", 6, 4)
    assert result["quorum"]["met"] is True
    assert [r["person"] for r in result["recused"]] == ["a1"]
    assert len(result["voters"]) == 7
    assert result["bylaws"]["id"] == "bsmla" and len(result["bylaws"]["sha256"]) == 64
    assert json.loads(ok("motion", "show", motion, "--json"))["outcome"] == "adopted"


def test_quorum_lost_by_departures_before_the_vote_gives_no_quorum(meeting: str) -> None:
    motion = ok("motion", "new", "--meeting", meeting, "--decision", "award_subcontract", "--title", "Late item", "--at", "18:40").strip()
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:41")
    for person in ("r3", "r4", "r5"):
        ok("meeting", "leave", meeting, "--person", person, "--at", "18:50")
    result = json.loads(ok("motion", "close", motion, "--at", "19:00", "--json"))
    assert result["outcome"] == "no_quorum"
    assert result["quorum"]["minimums"] == [{"class": "resident", "required": 4, "present": 2}]


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ("f1", "a class without a vote"),
        ("a1", "recused"),
        ("r6", "not present"),
        ("r1", "already voted"),
        ("nobody", "no person \"nobody\""),
    ],
)
def test_refused_votes_change_nothing(meeting: str, workspace: Path, person: str, message: str) -> None:
    motion = ok("motion", "new", "--meeting", meeting, "--decision", "award_subcontract", "--title", "Item", "--at", "18:15").strip()
    ok("motion", "recuse", motion, "--person", "a1", "--reason", "conflict", "--at", "18:16")
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:20")
    before = dump(workspace / "comunidad.db")
    code, _, err = run("motion", "vote", motion, "--person", person, "--choice", "no", "--at", "18:21")
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert dump(workspace / "comunidad.db") == before


def test_no_votes_after_close_and_times_outside_the_meeting(meeting: str, workspace: Path) -> None:
    motion = ok("motion", "new", "--meeting", meeting, "--decision", "award_subcontract", "--title", "Item", "--at", "18:15").strip()
    ok("motion", "close", motion, "--at", "18:30")
    before = dump(workspace / "comunidad.db")
    code, _, err = run("motion", "vote", motion, "--person", "r2", "--choice", "yes", "--at", "18:31")
    assert code == 1 and "is closed" in err
    code, _, err = run("meeting", "attend", meeting, "--person", "r6", "--at", "2026-11-19 10:00")
    assert code == 1 and "is not on the day of meeting" in err
    code, _, err = run("meeting", "attend", meeting, "--person", "r6", "--at", "half past six")
    assert code == 2 and "is not a time" in err
    assert dump(workspace / "comunidad.db") == before


def test_short_notice_warns_but_calls_the_meeting(workspace: Path) -> None:
    code, out, err = run("meeting", "new", "--body", "nlg", "--at", "2026-12-01 18:00", "--notice-sent", "2026-11-28")
    assert code == 0
    assert "notice was 3 days, shorter than the 5 days" in err
    assert out.strip() == "nlg-2026-12-01"


def test_a_decision_of_another_body_is_refused(meeting: str) -> None:
    code, _, err = run("motion", "new", "--meeting", meeting, "--decision", "ordinary", "--title", "x", "--at", "18:15")
    assert code == 1 and "is decided by body \"partnership\"" in err


def test_proxies_are_refused_where_the_bylaws_do_not_allow_them(meeting: str) -> None:
    code, _, err = run("meeting", "proxy", meeting, "--holder", "r1", "--giver", "r6")
    assert code == 1 and "proxies" in err.lower()


def test_closing_the_meeting_needs_motions_closed(meeting: str) -> None:
    motion = ok("motion", "new", "--meeting", meeting, "--decision", "award_subcontract", "--title", "Item", "--at", "18:15").strip()
    code, _, err = run("meeting", "close", meeting, "--at", "20:00")
    assert code == 1 and "still open" in err
    ok("motion", "close", motion, "--at", "18:30")
    ok("meeting", "close", meeting, "--at", "20:00")
    code, _, err = run("meeting", "attend", meeting, "--person", "r6", "--at", "20:30")
    assert code == 1 and "ended at" in err
