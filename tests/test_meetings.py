"""A real meeting of the Best Start Neighborhood Leadership Group, run from the terminal.

The by-laws, not the coordinator's arithmetic, decide quorum and outcomes; every refusal
says why, exits 1 and leaves the database as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.governance import dump
from tests.helpers import database_of, ok, refused, run


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
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Subcontract to Agency A",
        "--at",
        "18:15",
    ).strip()
    ok(
        "motion",
        "recuse",
        motion,
        "--person",
        "a1",
        "--reason",
        "Agency A applies",
        "--at",
        "18:16",
    )
    for person, choice in [
        ("r1", "yes"),
        ("r2", "yes"),
        ("r3", "yes"),
        ("r4", "yes"),
        ("r5", "no"),
        ("a2", "abstain"),
        ("b1", "yes"),
    ]:
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
    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Late item",
        "--at",
        "18:40",
    ).strip()
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:41")
    for person in ("r3", "r4", "r5"):
        ok("meeting", "leave", meeting, "--person", person, "--at", "18:50")
    result = json.loads(ok("motion", "close", motion, "--at", "19:00", "--json"))
    assert result["outcome"] == "no_quorum"
    assert result["quorum"]["minimums"] == [{"class": "resident", "required": 4, "present": 2}]


def test_a_member_who_left_is_told_when_they_left_not_to_record_an_arrival(
    meeting: str, workspace: Path
) -> None:
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Late item", "--at", "18:40",
    ).strip()  # fmt: skip
    ok("meeting", "leave", meeting, "--person", "r3", "--at", "18:50")
    err = refused(
        workspace, "motion", "vote", motion, "--person", "r3", "--choice", "yes", "--at", "19:00"
    )
    assert "r3 left at Nov 18, 2026, 6:50\u202fPM, before their vote at" in err, err
    assert "record their arrival" not in err and "7:00:00" not in err
    spanish = refused(
        workspace, "--locale", "es", "motion", "vote", motion, "--person", "r3",
        "--choice", "yes", "--at", "19:00",
    )  # fmt: skip
    assert "r3 se retiró el 18 nov 2026, 18:50, antes de su voto" in spanish, spanish


def test_motion_list_shows_every_motion_and_filters_by_meeting_and_open(
    meeting: str, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert json.loads(ok("motion", "list", "--json")) == []
    first = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A for outreach and evaluation of the whole year",
        "--at", "18:15",
    ).strip()  # fmt: skip
    ok("motion", "vote", first, "--person", "r1", "--choice", "yes", "--at", "18:16")
    ok("motion", "close", first, "--at", "18:20")
    second = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Second item", "--at", "18:25",
    ).strip()  # fmt: skip
    listed = json.loads(ok("motion", "list", "--meeting", meeting, "--json"))
    assert [(m["key"], m["meeting"], m["outcome"]) for m in listed] == [
        (first, meeting, listed[0]["outcome"]),
        (second, meeting, None),
    ]
    assert listed[0]["outcome"] is not None and listed[0]["decision"] == "award_subcontract"
    assert listed[0]["opened_at"].startswith("2026-11-18T18:15")
    assert [m["key"] for m in json.loads(ok("motion", "list", "--open", "--json"))] == [second]
    piped = ok("motion", "list").splitlines()  # to a pipe: one line a row, for grep
    assert piped[1].startswith(f"{first}  {meeting}  award_subcontract  Subcontract to")
    assert piped[2].startswith(f"{second}  {meeting}  ")
    monkeypatch.setenv("COLUMNS", "80")
    text = ok("motion", "list")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80, text
    assert first in lines and second in lines, text  # ids whole, never wrapped nor cut
    assert f"  {meeting}" in text
    assert "open" in text and listed[0]["outcome"].replace("_", " ") in text
    assert 'no meeting "nope"' in refused(workspace, "motion", "list", "--meeting", "nope")


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ("f1", "a class without a vote"),
        ("a1", "recused"),
        ("r6", "not present"),
        ("r1", "already voted"),
        ("nobody", 'no person "nobody"'),
    ],
)
def test_refused_votes_change_nothing(
    meeting: str, workspace: Path, person: str, message: str
) -> None:
    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Item",
        "--at",
        "18:15",
    ).strip()
    ok("motion", "recuse", motion, "--person", "a1", "--reason", "conflict", "--at", "18:16")
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:20")
    before = dump(workspace)
    code, _, err = run(
        "motion", "vote", motion, "--person", person, "--choice", "no", "--at", "18:21"
    )
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert dump(workspace) == before


def test_no_votes_after_close_and_times_outside_the_meeting(meeting: str, workspace: Path) -> None:
    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Item",
        "--at",
        "18:15",
    ).strip()
    ok("motion", "close", motion, "--at", "18:30")
    before = dump(workspace)
    code, _, err = run(
        "motion", "vote", motion, "--person", "r2", "--choice", "yes", "--at", "18:31"
    )
    assert code == 1 and "is closed" in err
    code, _, err = run("meeting", "attend", meeting, "--person", "r6", "--at", "2026-11-19 10:00")
    assert code == 1 and "is not during meeting" in err
    code, _, err = run("meeting", "attend", meeting, "--person", "r6", "--at", "half past six")
    assert code == 2 and "is not a time" in err
    assert dump(workspace) == before


def test_short_notice_warns_but_calls_the_meeting(workspace: Path) -> None:
    code, out, err = run(
        "meeting", "new", "--body", "nlg", "--at", "2026-12-01 18:00", "--notice-sent", "2026-11-28"
    )
    assert code == 0
    assert "notice was 3 days, shorter than the 5 days" in err
    assert out.strip() == "nlg-2026-12-01"


def test_a_decision_of_another_body_is_refused(meeting: str) -> None:
    code, _, err = run(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "ordinary",
        "--title",
        "x",
        "--at",
        "18:15",
    )
    assert code == 1 and 'is decided by body "partnership"' in err


def test_proxies_are_refused_where_the_bylaws_do_not_allow_them(meeting: str) -> None:
    code, _, err = run("meeting", "proxy", meeting, "--holder", "r1", "--giver", "r6")
    assert code == 1 and "proxies" in err.lower()


def test_closing_the_meeting_needs_motions_closed(meeting: str) -> None:
    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Item",
        "--at",
        "18:15",
    ).strip()
    code, _, err = run("meeting", "close", meeting, "--at", "20:00")
    assert code == 1 and "still open" in err
    ok("motion", "close", motion, "--at", "18:30")
    ok("meeting", "close", meeting, "--at", "20:00")
    code, _, err = run("meeting", "attend", meeting, "--person", "r6", "--at", "20:30")
    assert code == 1 and "is closed" in err


def test_showing_a_closed_motion_reads_without_sqlalchemy(meeting: str, workspace: Path) -> None:
    """The fast path: a frozen snapshot is read with sqlite3 alone (no 0.45 s SQLAlchemy import)."""
    import subprocess
    import sys

    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Item",
        "--at",
        "18:15",
    ).strip()
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:20")
    closed = json.loads(ok("motion", "close", motion, "--at", "18:30", "--json"))
    script = (
        "import json, sys\n"
        "from comunidad_cli.services.motions import show_motion\n"
        f"shown = show_motion({database_of(workspace)!r}, '{motion}')\n"
        "print(json.dumps([shown['outcome'], shown['yes'], 'sqlalchemy' in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [closed["outcome"], 1, False]


def _closed_meeting(meeting: str) -> str:
    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Item",
        "--at",
        "18:15",
    ).strip()
    ok("motion", "close", motion, "--at", "18:30")
    ok("meeting", "close", meeting, "--at", "20:00")
    return motion


@pytest.mark.parametrize("signed", [False, True])
def test_a_closed_meeting_refuses_every_change(meeting: str, workspace: Path, signed: bool) -> None:
    """After `meeting close` (and after signing) who was present and what was put is final."""
    motion = _closed_meeting(meeting)
    if signed:
        ok("meeting", "minutes", meeting, "--sign", "--by", "Secretary")
    before = dump(workspace)
    attempts = [
        ("meeting", "attend", meeting, "--person", "r6", "--at", "18:40"),
        ("meeting", "leave", meeting, "--person", "r1", "--at", "18:40"),
        ("meeting", "proxy", meeting, "--holder", "r1", "--giver", "r6"),
        ("motion", "new", "--meeting", meeting, "--decision", "award_subcontract", "--title", "x"),
        ("motion", "vote", motion, "--person", "r6", "--choice", "yes", "--at", "18:20"),
        ("motion", "recuse", motion, "--person", "r6", "--reason", "conflict", "--at", "18:20"),
    ]
    for attempt in attempts:
        code, out, err = run(*attempt)
        assert code == 1, attempt
        assert f"meeting {meeting} is closed" in err, attempt
        assert f"comunidad meeting correct {meeting}" in err, attempt
        assert "Traceback" not in err and out == ""
    code, _, err = run("meeting", "close", meeting, "--at", "20:10")
    assert code == 1 and "already closed" in err
    code, _, err = run("motion", "close", motion, "--at", "18:40")
    assert code == 1 and "already closed" in err
    assert dump(workspace) == before


def _partnership_meeting(notice: str | None) -> str:
    args = ["meeting", "new", "--body", "partnership", "--at", "2026-11-18 18:00"]
    if notice is not None:
        args += ["--notice-sent", notice]
    return ok(*args).strip()


def test_business_needs_the_notice_the_bylaws_give_it(workspace: Path) -> None:
    """amend_bylaws needs 21 days' notice, the Partnership's ordinary business 7."""
    meeting = _partnership_meeting("2026-11-08")  # 10 days before
    before = dump(workspace)
    code, out, err = run(
        "motion", "new", "--meeting", meeting, "--decision", "amend_bylaws", "--title", "Quorum"
    )
    assert code == 1 and out == ""
    assert (
        f"amend_bylaws needs 21 days' notice; the notice of {meeting} went out 10 days before"
        in err
    )
    assert dump(workspace) == before
    # The body's notice (7 days) is enough for ordinary business.
    ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "ordinary",
        "--title",
        "Agenda",
        "--at",
        "18:05",
    )
    short = ok(
        "meeting",
        "new",
        "--body",
        "partnership",
        "--at",
        "2026-11-19 18:00",
        "--notice-sent",
        "2026-11-18",
    ).strip()
    code, _, err = run(
        "--locale",
        "es",
        "motion",
        "new",
        "--meeting",
        short,
        "--decision",
        "ordinary",
        "--title",
        "Agenda",
        "--at",
        "18:05",
    )
    assert code == 1 and "1 día antes" in err and "7 días de antelación" in err


def test_business_put_without_a_recorded_notice_is_flagged(workspace: Path) -> None:
    meeting = _partnership_meeting(None)
    code, out, err = run(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "amend_bylaws",
        "--title",
        "Quorum",
        "--at",
        "18:10",
    )
    assert code == 0 and out.strip()
    assert "warning: amend_bylaws needs 21 days' notice" in err and "was not recorded" in err
    minutes = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert "Notice of this business was not recorded (the by-laws require 21 days)." in minutes


def test_a_motion_file_on_short_notice_is_refused(workspace: Path) -> None:
    meeting = _partnership_meeting("2026-11-08")
    (workspace / "motions.csv").write_text(
        "id,meeting,decision,title,at\n"
        f"ok1,{meeting},ordinary,Agenda,2026-11-18T18:05Z\n"
        f"late,{meeting},amend_bylaws,Quorum,2026-11-18T18:10Z\n",
        encoding="utf-8",
    )
    before = dump(workspace)
    code, _, err = run("import", "motions", "motions.csv")
    assert code == 1
    assert (
        f"motions.csv:3: decision: amend_bylaws needs 21 days' notice; the notice of {meeting}"
        " went out 10 days before" in err
    )
    assert dump(workspace) == before


def test_the_snapshot_names_the_rule_applied(meeting: str, workspace: Path) -> None:
    """The closed motion's snapshot keeps the decision's rule id (it kept the body's id)."""
    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Subcontract to Agency A",
        "--at",
        "18:15",
    ).strip()
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:20")
    result = json.loads(ok("motion", "close", motion, "--at", "18:25", "--json"))
    assert result["decision"] == "award_subcontract"
    assert result["rule"] == {
        "id": "majority",
        "threshold": "1/2",
        "strict": True,
        "base": "cast",
        "tie": "fails",
    }


def test_ids_typed_for_meetings_and_motions_are_lower_case_keys(
    meeting: str, workspace: Path
) -> None:
    """`--id M1` beside `--id m1` made two meetings a person reads as one; ids typed for
    meetings and motions follow the rule every other id follows."""
    before = dump(workspace)
    code, out, err = run("meeting", "new", "--body", "nlg", "--at", "2026-11-19 18:00",
                         "--notice-sent", "2026-11-01", "--id", "M1")  # fmt: skip
    assert (code, out) == (1, "")
    assert '--id: key "M1" is not valid: use lower-case letters' in err
    code, _, err = run("motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
                       "--title", "A", "--at", "18:15", "--id", "Moción 1")  # fmt: skip
    assert code == 1 and '--id: key "Moción 1" is not valid' in err
    assert dump(workspace) == before
    assert ok("meeting", "new", "--body", "nlg", "--at", "2026-11-19 18:00",
              "--notice-sent", "2026-11-01", "--id", "m1").strip() == "m1"  # fmt: skip
