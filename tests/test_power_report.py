"""`comunidad power report`: every figure worked by hand on the Best Start NLG.

Seats (all from 2024-01-01): residents r1..r7 (r7's ends 2026-11-10), agencies a1..a3,
business b1, funder f1 (no vote). One meeting on 2026-11-18: r1..r5, a1, a2, f1 and b1
attend. Motion 1: r1 yes, r2 no, r3 no, a1 yes, a2 yes, b1 yes: adopted 4-2 without the
residents' majority. Motion 2: r1, r2, r3 yes, a1 no: adopted 3-1 with it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import execute, ok, refused

PERIOD = ("--body", "nlg", "--from", "2026-11-01", "--to", "2026-11-30")


def _vote(meeting_key: str, title: str, votes: list[tuple[str, str]]) -> None:
    motion = ok(
        "motion", "new", "--meeting", meeting_key, "--decision", "award_subcontract",
        "--title", title, "--at", "18:15",
    ).strip()  # fmt: skip
    for person, choice in votes:
        ok("motion", "vote", motion, "--person", person, "--choice", choice, "--at", "18:20")
    ok("motion", "close", motion, "--at", "18:30")


def _record(root: Path, meeting_key: str) -> None:
    execute(root, "update seat set \"end\" = '2026-11-10' where person_id = 7")
    _vote(meeting_key, "One", [("r1", "yes"), ("r2", "no"), ("r3", "no"), ("a1", "yes"),
                               ("a2", "yes"), ("b1", "yes")])  # fmt: skip
    _vote(meeting_key, "Two", [("r1", "yes"), ("r2", "yes"), ("r3", "yes"), ("a1", "no")])


def test_power_report_figures_by_hand(workspace: Path, meeting: str) -> None:
    _record(workspace, meeting)
    data = json.loads(ok("power", "report", *PERIOD, "--json"))
    assert (data["meetings"], data["motions_closed"], data["motions_adopted"]) == (1, 2, 2)
    rows = {
        c["class"]: (
            c["seats_start"], c["seats_end"], c["person_days"], c["present"], c["expected"],
            c["yes"], c["no"], c["abstain"], c["carried_with_majority"],
            c["carried_without_majority"],
        )
        for c in data["classes"]
    }  # fmt: skip
    assert rows == {
        "resident": (7, 6, 6 * 30 + 10, 5, 6, 4, 2, 0, 1, 1),
        "agency": (3, 3, 90, 2, 3, 2, 1, 0, 1, 1),
        "business": (1, 1, 30, 1, 1, 1, 0, 0, 1, 1),
        "funder": (1, 1, 30, 1, 1, 0, 0, 0, 0, 2),
    }
    resident = next(c for c in data["classes"] if c["class"] == "resident")
    assert resident["presence"] == "5/6" and resident["name"] == "Residents"
    assert [c["class"] for c in data["classes"]] == ["resident", "agency", "business", "funder"]


def test_power_report_in_spanish_and_catalan(workspace: Path, meeting: str) -> None:
    _record(workspace, meeting)
    es = ok("--locale", "es", "power", "report", *PERIOD)
    assert "1 reunión, 2 mociones cerradas, 2 aprobadas." in " ".join(es.split())
    assert "83,3" in es  # 5 of 6 residents, the Spanish way
    ca = ok("--locale", "ca", "power", "report", *PERIOD)
    assert "1 reunió, 2 mocions tancades, 2 aprovades." in " ".join(ca.split())


def test_power_report_refuses_what_it_cannot_answer(workspace: Path) -> None:
    err = refused(workspace, "power", "report", "--body", "nope", "--from", "2026-01-01",
                  "--to", "2026-12-31")  # fmt: skip
    assert 'no seats or meetings are recorded for body "nope"' in err
    err = refused(workspace, "power", "report", "--body", "nlg", "--from", "2026-12-31",
                  "--to", "2026-01-01", code=2)  # fmt: skip
    assert "is before --from" in err
