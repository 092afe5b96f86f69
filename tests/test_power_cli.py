"""Dual majority end to end: judged at close under the text the meeting was called under,
shown in `motion show` (text and --json), the minutes (text, Markdown, HTML, JSON) and
`bylaws show`, in English and in Catalan."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import ok, run, write

BYLAWS = "bylaws/best-start-partnership.toml"
DUAL = 'dual = { class = "resident", threshold = "1/2", strict = true }\n'


def make_schema_2(root: Path) -> None:
    """The Best Start file upgraded by hand, its majority also needing the residents'."""
    path = root / BYLAWS
    text = path.read_text(encoding="utf-8").replace("schema = 1\n", "schema = 2\n", 1)
    text = text.replace('tie = "fails"\n', 'tie = "fails"\n' + DUAL, 1)
    path.write_text(text, encoding="utf-8")


def vote_agencies_over_residents(meeting_key: str) -> str:
    """Body 4-2 for; residents 1-2 against."""
    motion = ok(
        "motion", "new", "--meeting", meeting_key, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    for person, choice in [("r1", "yes"), ("r2", "no"), ("r3", "no"), ("a1", "yes"),
                           ("a2", "yes"), ("b1", "yes")]:  # fmt: skip
        ok("motion", "vote", motion, "--person", person, "--choice", choice, "--at", "18:20")
    return motion


def test_a_motion_without_the_residents_majority_fails_and_says_why(workspace: Path) -> None:
    make_schema_2(workspace)
    assert run("bylaws", "check", BYLAWS)[0] == 0
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10"
    ).strip()
    for person in ["r1", "r2", "r3", "r4", "r5", "a1", "a2", "b1"]:
        ok("meeting", "attend", key, "--person", person, "--at", "18:00")
    motion = vote_agencies_over_residents(key)
    out = " ".join(ok("motion", "close", motion, "--at", "18:30").split())
    assert "Yes 4, no 2, abstain 0" in out
    assert (
        "Majority among Residents: yes 1, no 2, abstain 0 (base cast: 3; 2 yes needed): not met."
        in out
    )
    assert "REJECTED" in out
    shown = json.loads(ok("motion", "show", motion, "--json"))
    assert shown["outcome"] == "rejected"
    assert shown["dual"] == {
        "class": "resident", "class_name": "Residents", "yes": 1, "no": 2, "abstain": 0,
        "base": "cast", "base_total": 3, "required": 2, "met": False,
    }  # fmt: skip
    assert shown["rule"]["dual"] == {
        "class": "resident",
        "threshold": "1/2",
        "strict": True,
        "base": "cast",
    }
    for fmt in ("text", "markdown", "html"):
        minutes = ok("meeting", "minutes", key, "--format", fmt)
        assert "Majority among Residents: yes 1, no 2" in minutes, fmt
        assert 'and also, among class "resident", more than 1/2 of votes cast' in minutes.replace(
            "&quot;", '"'
        ).replace("&#x27;", "'"), fmt
    data = json.loads(ok("meeting", "minutes", key, "--format", "json"))
    assert data["motions"][0]["tally"]["dual"]["met"] is False
    ca = " ".join(ok("--locale", "ca", "motion", "show", motion).split())
    assert "Majoria entre Residents: sí 1, no 2, abstenció 0" in ca


def test_an_old_meeting_is_judged_under_the_text_it_was_called_under(
    workspace: Path,
    meeting: str,
) -> None:
    motion = vote_agencies_over_residents(meeting)
    make_schema_2(workspace)  # amended after the meeting was called: not its rules
    out = ok("motion", "close", motion, "--at", "18:30")
    assert "ADOPTED" in out
    assert "Majority among" not in out
    assert "dual" not in json.loads(ok("motion", "show", motion, "--json"))


def test_bylaws_show_states_the_dual_majority(workspace: Path) -> None:
    make_schema_2(workspace)
    shown = json.loads(ok("bylaws", "show", BYLAWS, "--format", "json"))
    assert shown["rules"]["majority"]["dual"] == {
        "class": "resident",
        "threshold": "1/2",
        "strict": True,
        "base": "cast",
    }
    assert shown["rules"]["two_thirds"]["dual"] is None
    text = ok("bylaws", "show", BYLAWS, "--format", "markdown")
    assert 'and also, among class "resident", more than 1/2 of votes cast' in text


def test_imported_votes_are_judged_the_same(workspace: Path) -> None:
    make_schema_2(workspace)
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10"
    ).strip()
    for person in ["r1", "r2", "r3", "r4", "r5", "a1", "a2", "b1"]:
        ok("meeting", "attend", key, "--person", person, "--at", "18:00")
    motion = ok(
        "motion", "new", "--meeting", key, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    rows = [("r1", "yes"), ("r2", "no"), ("r3", "no"), ("a1", "yes"), ("a2", "yes"), ("b1", "yes")]
    write(
        workspace,
        "votes.csv",
        "motion,person,choice,at,by\n"
        + "".join(f"{motion},{p},{c},2026-11-18T18:21:00Z,\n" for p, c in rows),
    )
    assert run("import", "votes", "votes.csv")[0] == 0
    ok("motion", "close", motion, "--at", "18:30")
    shown = json.loads(ok("motion", "show", motion, "--json"))
    assert shown["outcome"] == "rejected"
    assert (shown["yes"], shown["no"]) == (4, 2)
    assert (shown["dual"]["yes"], shown["dual"]["no"], shown["dual"]["met"]) == (1, 2, False)
