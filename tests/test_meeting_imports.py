"""Importing a meeting's record: meetings, attendance, motions, recusals and votes.

Every row is judged by the rules of the interactive commands, with their messages, and fast:
the per-meeting shortcuts of `core.governance.bulk` are checked here against `present_at`
and `check_vote` on random data, and a meeting imported from files decides exactly as the
same meeting run command by command. All or nothing, row-numbered, re-runnable.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.bulk import Presence, Room, VoteJudge, attendance_refusals
from comunidad_cli.core.governance.model import (
    AttendanceEvent,
    Choice,
    Meeting,
    Motion,
    Proxy,
    Seat,
    Vote,
    present_at,
)
from comunidad_cli.core.governance.votes import check_vote
from comunidad_cli.core.messages import Msg
from tests.conftest import ROOT
from tests.governance import dump
from tests.helpers import connect, ok, run, snapshot, write
from tests.test_governance_core import make_bylaws

EXAMPLES = ROOT / "examples"


def _set_zone(name: str | None) -> None:
    if name is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = name
    time.tzset()


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Times typed without an offset, and a meeting's day, follow the local zone: UTC here."""
    before = os.environ.get("TZ")
    _set_zone("UTC")
    yield
    _set_zone(before)


# --- the pure shortcuts agree with the engine ---------------------------------------------------

BASE = datetime(2026, 3, 12, 18, 0)
PEOPLE = ["m0", "m1", "m2", "m3", "m4", "m5"]


def minute(n: int) -> datetime:
    return BASE + timedelta(minutes=n)


def events_of(people: Sequence[str], last: int = 12) -> st.SearchStrategy[list[AttendanceEvent]]:
    return st.lists(
        st.builds(
            lambda p, m, a: AttendanceEvent(p, minute(m), a),
            st.sampled_from(people),
            st.integers(0, last),
            st.booleans(),
        ),
        max_size=30,
    )


@settings(max_examples=300)
@given(events_of(PEOPLE[:3]), st.lists(st.integers(-1, 13), min_size=1, max_size=5))
def test_presence_agrees_with_present_at(events: list[AttendanceEvent], minutes: list[int]) -> None:
    room = Room(events)
    for n in minutes:
        expected = present_at(events, minute(n))
        assert room.present_at(minute(n)) == expected
        for person in PEOPLE[:4]:
            assert room.is_present(person, minute(n)) == (person in expected)
            mine = [e for e in events if e.person == person]
            assert Presence(mine).at(minute(n)) == (person in expected)


def recorded_one_by_one(
    person: str, stored: Sequence[AttendanceEvent], new: Sequence[AttendanceEvent]
) -> list[tuple[str, datetime] | None]:
    """What `meeting attend` / `leave` do with each new event, in time order: the reference."""
    log = list(stored)
    answers: list[tuple[str, datetime] | None] = [None] * len(new)
    for index in sorted(range(len(new)), key=lambda i: (new[i].at, new[i].arrived)):
        event = new[index]
        here = person in present_at(log, event.at)
        if any(e.at > event.at for e in log):
            answers[index] = ("record times in order", event.at)
        elif event.arrived and here:
            answers[index] = ("already present", event.at)
        elif not event.arrived and not here:
            answers[index] = ("cannot leave", event.at)
        else:
            log.append(event)
    return answers


@settings(max_examples=300)
@given(events_of(["m0"], last=8), events_of(["m0"], last=12))
def test_attendance_refusals_agree_with_recording_one_by_one(
    stored: list[AttendanceEvent], new: list[AttendanceEvent]
) -> None:
    expected = recorded_one_by_one("m0", stored, new)
    found = attendance_refusals("m0", stored, new)
    assert len(found) == len(new)
    for answer, refusal in zip(expected, found, strict=True):
        if answer is None:
            assert refusal is None
        else:
            assert refusal is not None
            assert answer[0] in refusal.text
            assert refusal.params == {"person": "m0", "at": answer[1]}


BYLAWS = [
    make_bylaws(),
    make_bylaws(proxies={"allowed": True}),
    make_bylaws(proxies={"allowed": True, "max_per_holder": 1}),
]
SEAT_KINDS = ["resident", "agency", "funder", "funder+resident", "ended", "other-body", "none"]


def seats_for(person: str, kind: str) -> list[Seat]:
    start = date(2025, 1, 1)
    if kind == "none":
        return []
    if kind == "ended":
        return [Seat(person, "board", "resident", start, BASE.date() - timedelta(days=1))]
    if kind == "other-body":
        return [Seat(person, "committee", "resident", start, None)]
    return [Seat(person, "board", c, start, None) for c in kind.split("+")]


@st.composite
def vote_cases(draw: st.DrawFn) -> dict[str, Any]:
    people = PEOPLE
    seats = [s for p in people for s in seats_for(p, draw(st.sampled_from(SEAT_KINDS)))]
    ended = draw(st.sampled_from([None, minute(60)]))
    motion_closed = draw(st.sampled_from([None, minute(45)]))
    return {
        "bylaws": draw(st.sampled_from(BYLAWS)),
        "meeting": Meeting("mtg", "board", minute(0), ended),
        "motion": Motion("mot", minute(draw(st.integers(0, 20))), motion_closed),
        "seats": seats,
        "attendance": draw(events_of([*people, "guest"], last=70)),
        "proxies": draw(
            st.lists(st.builds(Proxy, st.sampled_from(people), st.sampled_from(people)), max_size=4)
        ),
        "recused": frozenset(draw(st.sets(st.sampled_from(people), max_size=2))),
        "voted": frozenset(draw(st.sets(st.sampled_from(people), max_size=2))),
        "vote": Vote(
            draw(st.sampled_from([*people, "nobody"])),
            draw(st.sampled_from(list(Choice))),
            minute(draw(st.integers(-5, 75))),
            draw(st.none() | st.sampled_from([*people, "guest"])),
        ),
    }


@settings(max_examples=1000)
@given(vote_cases())
def test_vote_judge_agrees_with_check_vote(case: dict[str, Any]) -> None:
    bylaws: Bylaws = case["bylaws"]
    judge = VoteJudge(bylaws, case["meeting"], case["seats"], case["attendance"], case["proxies"])
    expected = check_vote(
        bylaws,
        meeting=case["meeting"],
        motion=case["motion"],
        vote=case["vote"],
        seats=case["seats"],
        attendance=case["attendance"],
        recused=case["recused"],
        votes_so_far=[Vote(p, Choice.NO, minute(1)) for p in sorted(case["voted"])],
        proxies=tuple(case["proxies"]),
    )
    found = judge.refusal(case["motion"], case["vote"], case["recused"], case["voted"])
    assert found == expected
    assert isinstance(found, Msg | None)
    # The import's shortcut only ever accepts what `check_vote` accepts.
    vote, motion = case["vote"], case["motion"]
    window = judge.windows().get(vote.person)
    if (
        window is not None
        and vote.cast_by is None
        and motion.closed_at is None
        and window[0] <= vote.at < window[1]
        and motion.opened_at <= vote.at
        and vote.person not in case["recused"]
        and vote.person not in case["voted"]
    ):
        assert expected is None


# --- a meeting of the Best Start NLG, from files ------------------------------------------------
#
# The `workspace` fixture (tests/governance.py) seats r1-r7 (residents), a1-a3 (agencies),
# b1 (business) and f1 (funder liaison, no vote) on the NLG.

MEETINGS = """\
id,bylaws,body,at,kind,notice_sent,title
m1,bsmla,nlg,2026-11-18T18:00Z,regular,2026-11-10,November
"""
ATTENDANCE = (
    "meeting,person,at,event\n"
    + "".join(
        f"m1,{p},2026-11-18T18:00Z,arrive\n"
        for p in ("r1", "r2", "r3", "r4", "r5", "a1", "a2", "f1")
    )
    + ("m1,b1,2026-11-18T18:10Z,arrive\nm1,r5,2026-11-18T18:50Z,leave\n")
)
MOTIONS = """\
id,meeting,decision,title,at
mo1,m1,award_subcontract,Subcontract to Agency A,2026-11-18T18:15Z
mo2,m1,award_subcontract,Second item,2026-11-18T18:30Z
"""
RECUSALS = """\
motion,person,reason,at
mo1,a1,Agency A applies,2026-11-18T18:16Z
mo2,a1,Agency A applies again,2026-11-18T18:31Z
"""
VOTES = "motion,person,choice,at,by\n" + "".join(
    f"mo1,{p},{c},2026-11-18T18:20Z,\n"
    for p, c in [
        ("r1", "yes"),
        ("r2", "yes"),
        ("r3", "yes"),
        ("r4", "yes"),
        ("r5", "no"),
        ("a2", "abstain"),
        ("b1", "yes"),
    ]
)
FILES = [
    ("meetings", MEETINGS, 1),
    ("attendance", ATTENDANCE, 10),
    ("motions", MOTIONS, 2),
    ("recusals", RECUSALS, 2),
    ("votes", VOTES, 7),
]


def imported(kind: str, path: Path | str, *options: str) -> tuple[int, str, str]:
    return run("import", kind, str(path), *options)


def load(folder: Path, upto: str = "votes") -> None:
    """Import the files of FILES in order, up to and including `upto`."""
    for kind, text, count in FILES:
        write(folder, f"{kind}.csv", text)
        assert imported(kind, f"{kind}.csv") == (0, "", f"{count} created, 0 unchanged\n")
        if kind == upto:
            return


def refused(folder: Path, kind: str, text: str) -> list[str]:
    """Importing `text` as `kind` exits 1 and writes nothing; returns the error lines."""
    write(folder, "bad.csv", text)
    before = dump(folder)
    code, _, err = imported(kind, "bad.csv")
    assert code == 1, err
    assert "Traceback" not in err and "nothing was imported" in err
    assert dump(folder) == before
    return [line.removeprefix("error: ") for line in err.splitlines() if line.startswith("error:")]


def audit(folder: Path, command: str) -> list[tuple[str, str, dict[str, Any]]]:
    with connect(folder) as db:
        rows = db.execute(
            "select action, entity_id, detail from audit_event where command = ? order by id",
            (command,),
        ).fetchall()
    return [(a, e, json.loads(d)) for a, e, d in rows]


def test_each_kind_imports_and_reimporting_changes_nothing(workspace: Path) -> None:
    load(workspace)
    shown = json.loads(ok("meeting", "show", "m1", "--at", "18:12", "--json"))
    assert (shown["quorum"]["present"], shown["quorum"]["required"]) == (8, 6)
    assert [m["key"] for m in shown["motions"]] == ["mo1", "mo2"]
    motion = json.loads(ok("motion", "show", "mo1", "--json"))
    assert (motion["yes"], motion["no"], motion["abstain"]) == (5, 1, 1)
    assert motion["provisional_outcome"] == "adopted"
    assert [r["person"] for r in motion["recused"]] == ["a1"]
    # One audit row per meeting, motion and recusal; attendance by meeting, votes by motion;
    # and each import's summary.
    votes = audit(workspace, "import votes")
    assert [(a, e) for a, e, _ in votes] == [("create", "mo1"), ("import", "votes.csv")]
    assert votes[0][2] == {
        "file": "votes.csv",
        "yes": ["r1", "r2", "r3", "r4", "b1"],
        "no": ["r5"],
        "abstain": ["a2"],
        "cast_by": {},
    }
    attendance = audit(workspace, "import attendance")
    assert [(a, e) for a, e, _ in attendance] == [("create", "m1"), ("import", "attendance.csv")]
    assert len(attendance[0][2]["events"]) == 10
    assert len(audit(workspace, "import motions")) == 3

    before = dump(workspace)
    for kind, _, count in FILES:
        assert imported(kind, f"{kind}.csv") == (0, "", f"0 created, {count} unchanged\n")
    assert dump(workspace) == before


def test_a_dry_run_checks_everything_and_writes_nothing(workspace: Path) -> None:
    for kind, text, count in FILES:
        write(workspace, f"{kind}.csv", text)
        path = f"{kind}.csv"
        before = dump(workspace)
        code, out, err = imported(kind, path, "--dry-run")
        assert (code, out) == (0, "")
        assert err == f"Dry run: {count} to create, 0 unchanged; nothing was written.\n"
        assert dump(workspace) == before
        assert imported(kind, path)[0] == 0


def test_votes_are_refused_with_their_row_numbers(workspace: Path) -> None:
    load(workspace, upto="recusals")
    ok("person", "add", "Guest", "--id", "g1")
    lines = refused(
        workspace,
        "votes",
        "motion,person,choice,at,by\n"
        "mo2,g1,yes,2026-11-18T18:35Z,\n"  # 2 not a member
        "mo2,f1,yes,2026-11-18T18:35Z,\n"  # 3 a member without a vote
        "mo2,a1,yes,2026-11-18T18:35Z,\n"  # 4 recused
        "mo2,r1,yes,2026-11-18T18:35Z,\n"  # 5 fine
        "mo2,r1,no,2026-11-18T18:36Z,\n"  # 6 twice in the file
        "mo2,r6,yes,2026-11-18T18:35Z,\n"  # 7 absent, no proxy
        "mo2,r2,yes,2026-11-18T17:00Z,\n"  # 8 before the meeting
        "mo2,r3,yes,2026-11-18T18:20Z,\n"  # 9 before the motion was put
        "nope,r4,yes,2026-11-18T18:35Z,\n"  # 10 no such motion
        "mo2,r4,yes,2026-11-18T18:35Z,r2\n"  # 11 present: votes in person
        "mo2,nobody,yes,2026-11-18T18:35Z,\n"  # 12 no such person
        "mo2,r5,yes,2026-11-18T18:55Z,\n"  # 13 left at 18:50
        "mo2,a3,maybe,2026-11-18T18:35Z,\n"  # 14 not a choice
        "mo2,b1,yes,2026-11-18 25:35,\n"  # 15 no such time
        "mo2,r7,yes,2026-11-18T18:35Z,r1\n",  # 16 by proxy, which the by-laws do not allow
    )
    assert lines == [
        "bad.csv:2: g1 holds no seat on nlg on November 18, 2026: only seated members vote (add the seat with `comunidad member add` if it is missing)",
        'bad.csv:3: f1 sits on nlg as "funder", a class without a vote',
        "bad.csv:4: a1 is recused on motion mo2 (a declared conflict) and may not vote",
        "bad.csv:6: duplicate of row 5: the same motion, person (mo2/r1)",
        "bad.csv:7: r6 is not present at Nov 18, 2026, 6:35\u202fPM: record their arrival (`comunidad meeting attend`) before their vote",
        "bad.csv:8: a vote at Nov 18, 2026, 5:00\u202fPM is before meeting m1 opened at Nov 18, 2026, 6:00\u202fPM",
        "bad.csv:9: a vote at Nov 18, 2026, 6:20\u202fPM is before motion mo2 was put at Nov 18, 2026, 6:30\u202fPM",
        'bad.csv:10: motion: no motion "nope": see "comunidad meeting show"',
        "bad.csv:11: r4 is present, so votes in person: the proxy held by r2 lapses",
        'bad.csv:12: person: no person "nobody": add them with "comunidad person add" or check "comunidad person list"',
        "bad.csv:13: r5 left at Nov 18, 2026, 6:50\u202fPM, before their vote at Nov 18, 2026, 6:55\u202fPM, and may not vote",
        'bad.csv:14: choice: "maybe" is not one of: yes, no, abstain',
        'bad.csv:15: at: there is no such date and time as "2026-11-18 25:35"',
        "bad.csv:16: r7 is not present at Nov 18, 2026, 6:35\u202fPM, and the by-laws do not allow proxies",
    ]


def test_a_second_vote_a_closed_motion_and_a_time_after_the_meeting(workspace: Path) -> None:
    load(workspace)
    lines = refused(workspace, "votes", "motion,person,choice,at\nmo1,r1,no,2026-11-18T18:21Z\n")
    assert lines == ["bad.csv:2: r1 already voted on motion mo1: a member votes once per motion"]
    ok("motion", "close", "mo1", "--at", "18:25")
    assert refused(
        workspace, "votes", "motion,person,choice,at\nmo1,r6,no,2026-11-18T18:21Z\n"
    ) == ["bad.csv:2: motion mo1 is closed: no more votes"]
    # The same file again after the close: unchanged, not refused.
    assert imported("votes", workspace / "votes.csv") == (0, "", "0 created, 7 unchanged\n")
    ok("motion", "close", "mo2", "--at", "18:40")
    ok("meeting", "close", "m1", "--at", "19:00")
    lines = refused(
        workspace,
        "attendance",
        "meeting,person,at,event\nm1,r6,2026-11-18T19:30Z,arrive\n",
    )
    assert lines == [f"bad.csv:2: meeting: {CLOSED}"]


CLOSED = (
    'meeting m1 is closed: its record can no longer change; record a correction with "comunidad'
    ' meeting correct m1 --text TEXT --by NAME"'
)


def test_a_closed_meeting_takes_nothing_more_by_import(workspace: Path) -> None:
    load(workspace)
    ok("motion", "close", "mo1", "--at", "18:25")
    ok("motion", "close", "mo2", "--at", "18:40")
    ok("meeting", "close", "m1", "--at", "19:00")
    # Within the meeting's hours, yet after its close: refused, each kind, nothing written.
    assert refused(
        workspace, "attendance", "meeting,person,at,event\nm1,r6,2026-11-18T18:30Z,arrive\n"
    ) == [f"bad.csv:2: meeting: {CLOSED}"]
    assert refused(
        workspace,
        "motions",
        "id,meeting,decision,title,at\nmo3,m1,award_subcontract,Late item,2026-11-18T18:45Z\n",
    ) == [f"bad.csv:2: meeting: {CLOSED}"]
    assert refused(
        workspace, "recusals", "motion,person,reason,at\nmo2,a2,Late conflict,2026-11-18T18:32Z\n"
    ) == [f"bad.csv:2: {CLOSED}"]
    assert refused(
        workspace, "votes", "motion,person,choice,at,by\nmo2,r1,yes,2026-11-18T18:35Z,\n"
    ) == [f"bad.csv:2: {CLOSED}"]
    # The fast lane (a clean file of many votes) refuses too.
    many = "motion,person,choice,at,by\n" + "".join(
        f"mo2,{p},yes,2026-11-18T18:35Z,\n" for p in ("r1", "r2", "r3", "r4", "a2", "b1")
    )
    assert refused(workspace, "votes", many) == [f"bad.csv:{n}: {CLOSED}" for n in range(2, 8)]
    # The same files again: what they say is already recorded, so unchanged, not refused.
    assert imported("attendance", workspace / "attendance.csv") == (
        0,
        "",
        "0 created, 10 unchanged\n",
    )
    assert imported("votes", workspace / "votes.csv") == (0, "", "0 created, 7 unchanged\n")
    assert imported("motions", workspace / "motions.csv")[0] == 0


def test_attendance_is_refused_with_its_row_numbers(workspace: Path) -> None:
    load(workspace, upto="attendance")
    lines = refused(
        workspace,
        "attendance",
        "meeting,person,at,event\n"
        "m1,r6,2026-11-18T18:30Z,leave\n"  # 2 leaving without having arrived
        "m1,r1,2026-11-18T18:05Z,arrive\n"  # 3 arriving twice (stored at 18:00)
        "m1,r7,2026-11-19T10:00Z,arrive\n"  # 4 another day
        "m1,r5,2026-11-18T18:40Z,arrive\n"  # 5 before a stored departure (18:50)
        "nope,r1,2026-11-18T18:30Z,arrive\n"  # 6 no such meeting
        "m1,nobody,2026-11-18T18:30Z,arrive\n"  # 7 no such person
        "m1,r7,2026-11-18T18:40Z,arrive\n"  # 8 fine
        "m1,r7,2026-11-18T18:45Z,arrive\n"  # 9 arriving twice within the file
        "m1,r6,2026-11-18T18:30Z,dance\n",  # 10 not an event
    )
    assert lines == [
        "bad.csv:2: event: r6 is not present at Nov 18, 2026, 6:30\u202fPM, so cannot leave",
        "bad.csv:3: event: r1 is already present at Nov 18, 2026, 6:05\u202fPM",
        "bad.csv:4: at: Nov 19, 2026, 10:00\u202fAM is not during meeting m1, which started"
        " Nov 18, 2026, 6:00\u202fPM: a time is on the meeting's day, or after it started and"
        " within 12 hours (a time after midnight is written with its date)",
        "bad.csv:5: event: r5 already has arrivals or departures after Nov 18, 2026, 6:40\u202fPM: record times in order",
        'bad.csv:6: meeting: no meeting "nope": see "comunidad meeting list"',
        'bad.csv:7: person: no person "nobody": add them with "comunidad person add" or check "comunidad person list"',
        "bad.csv:9: event: r7 is already present at Nov 18, 2026, 6:45\u202fPM",
        'bad.csv:10: event: "dance" is not one of: arrive, leave',
    ]


def test_motions_and_recusals_are_refused_with_their_row_numbers(workspace: Path) -> None:
    load(workspace, upto="motions")
    lines = refused(
        workspace,
        "motions",
        "id,meeting,decision,title,at\n"
        "mo3,m1,ordinary,Partnership business,2026-11-18T18:40Z\n"  # another body's decision
        "mo4,m1,elect_pope,Nope,2026-11-18T18:40Z\n"
        "mo5,m1,award_subcontract,Early,2026-11-18T17:40Z\n"
        "mo6,nope,award_subcontract,Nowhere,2026-11-18T18:40Z\n"
        "mo7,m1,award_subcontract,,2026-11-18T18:40Z\n",
    )
    assert lines == [
        'bad.csv:2: decision: "ordinary" is decided by body "partnership", not by "nlg" which this meeting is of',
        'bad.csv:3: decision: no decision kind "elect_pope" in the by-laws: the kinds are ordinary, amend_bylaws, elect_officers, award_subcontract, approve_budget',
        "bad.csv:4: at: Nov 18, 2026, 5:40\u202fPM is before the meeting started",
        'bad.csv:5: meeting: no meeting "nope": see "comunidad meeting list"',
        "bad.csv:6: title: a value is required",
    ]
    for kind, text, _ in FILES[3:]:
        assert imported(kind, write(workspace, f"{kind}.csv", text))[0] == 0, kind
    lines = refused(
        workspace,
        "recusals",
        "motion,person,reason,at\n"
        "mo1,r1,Changed my mind,2026-11-18T18:30Z\n"  # voted already
        "mo1,a1,Another reason,2026-11-18T18:16Z\n"  # recused already, other values
        "mo2,g9,Not a person,2026-11-18T18:35Z\n"
        "mo2,r6,Family,2026-11-19T18:35Z\n",  # another day
    )
    assert lines == [
        "bad.csv:2: r1 has already voted on this motion: a recusal must come before the vote",
        "bad.csv:3: a1 has already recused from this motion",
        'bad.csv:4: person: no person "g9": add them with "comunidad person add" or check "comunidad person list"',
        "bad.csv:5: at: Nov 19, 2026, 6:35\u202fPM is not during meeting m1, which started"
        " Nov 18, 2026, 6:00\u202fPM: a time is on the meeting's day, or after it started and"
        " within 12 hours (a time after midnight is written with its date)",
    ]
    ok("person", "add", "Guest", "--id", "g1")
    assert refused(
        workspace, "recusals", "motion,person,reason,at\nmo2,g1,Guest,2026-11-18T18:35Z\n"
    ) == ["bad.csv:2: g1 holds no seat on nlg on November 18, 2026"]


def test_meetings_without_a_bylaws_column_need_a_single_bylaws_file(workspace: Path) -> None:
    """The same refusal as `members` (one check, shared by the kinds), under each row."""
    shutil.copy(ROOT / "bylaws" / "directorio-local.toml", workspace / "bylaws")
    assert refused(workspace, "meetings", "id,body,at\nx1,nlg,2026-11-18T18:00Z\n") == [
        'bad.csv:2: bylaws: the workspace has 2 by-laws files: fill in the "bylaws" column'
        " with the id of one"
    ]


def test_meetings_are_refused_updated_or_left_alone(workspace: Path) -> None:
    lines = refused(
        workspace,
        "meetings",
        "id,bylaws,body,at,kind,notice_sent,title\n"
        "x1,bsmla,board,2026-11-18T18:00Z,,,\n"
        "x2,nope,nlg,2026-11-18T18:00Z,,,\n"
        "x3,bsmla,nlg,2026-11-18T18:00Z,,2026-11-20,\n"
        "x4,bsmla,nlg,2026-11-18T18:00Z,annual,,\n"
        "Bad Id,bsmla,nlg,2026-11-18T18:00Z,,,\n",
    )
    assert lines[0] == (
        'bad.csv:2: body: no body "board" in the by-laws "bsmla": the bodies are'
        " partnership, nlg, outreach, finance, parent_leadership"
    )
    assert lines[1].startswith('bad.csv:3: bylaws: no by-laws with id "nope" in ')
    assert (
        lines[2] == "bad.csv:4: notice_sent: the notice date November 20, 2026 is after the meeting"
    )
    assert lines[3] == 'bad.csv:5: kind: "annual" is not one of: regular, special'
    assert lines[4].startswith('bad.csv:6: id: key "Bad Id" is not valid')
    load(workspace, upto="attendance")
    # A new title is an update; a new time once people have arrived is refused.
    write(workspace, "m.csv", MEETINGS.replace("November", "November meeting"))
    assert imported("meetings", workspace / "m.csv") == (
        0,
        "",
        "0 created, 1 updated, 0 unchanged\n",
    )
    assert json.loads(ok("meeting", "list", "--json"))[0]["title"] == "November meeting"
    assert refused(workspace, "meetings", MEETINGS.replace("T18:00Z", "T18:30Z")) == [
        "bad.csv:2: meeting m1 already has attendance, proxies or motions: its by-laws, body and time can no longer change"
    ]
    # Columns the file does not have are left alone.
    write(workspace, "m.csv", "id,body,at\nm1,nlg,2026-11-18T18:00Z\n")
    assert imported("meetings", workspace / "m.csv") == (0, "", "0 created, 1 unchanged\n")


# --- the same meeting, command by command and from files -----------------------------------------


def _comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k not in ("motion", "meeting")}


def test_imported_votes_decide_as_votes_cast_one_by_one(meeting: str, workspace: Path) -> None:
    """The `meeting` fixture runs the NLG of 18 November through the commands; m2 is the
    same meeting from files. Both motions, voted alike, close with the same snapshot."""
    votes = [("r1", "yes"), ("r2", "no"), ("r3", "yes"), ("r4", "abstain"), ("a2", "no")]
    by_hand = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15", "--id", "hand",
    ).strip()  # fmt: skip
    ok(
        "motion",
        "recuse",
        by_hand,
        "--person",
        "a1",
        "--reason",
        "Agency A applies",
        "--at",
        "18:16",
    )
    for n, (person, choice) in enumerate(votes):
        ok("motion", "vote", by_hand, "--person", person, "--choice", choice, "--at", f"18:2{n}")
    ok("meeting", "leave", meeting, "--person", "r5", "--at", "18:30")

    write(workspace, "meetings.csv", MEETINGS.replace("m1,", "m2,"))
    write(
        workspace,
        "attendance.csv",
        "meeting,person,at,event\n"
        + "".join(
            f"m2,{p},2026-11-18T18:00Z,arrive\n"
            for p in ("r1", "r2", "r3", "r4", "r5", "a1", "a2", "f1")
        )
        + "m2,b1,2026-11-18T18:10Z,arrive\nm2,r5,2026-11-18T18:30Z,leave\n",
    )
    write(
        workspace,
        "motions.csv",
        "id,meeting,decision,title,at\n"
        "filed,m2,award_subcontract,Subcontract to Agency A,2026-11-18T18:15Z\n",
    )
    write(
        workspace,
        "recusals.csv",
        "motion,person,reason,at\nfiled,a1,Agency A applies,2026-11-18T18:16Z\n",
    )
    write(
        workspace,
        "votes.csv",
        "motion,person,choice,at\n"
        + "".join(f"filed,{p},{c},2026-11-18T18:2{n}Z\n" for n, (p, c) in enumerate(votes)),
    )
    for kind in ("meetings", "attendance", "motions", "recusals", "votes"):
        assert imported(kind, workspace / f"{kind}.csv")[0] == 0, kind

    open_hand = json.loads(ok("motion", "show", by_hand, "--json"))
    open_filed = json.loads(ok("motion", "show", "filed", "--json"))
    assert _comparable(open_filed) == _comparable(open_hand)
    hand = json.loads(ok("motion", "close", by_hand, "--at", "18:35", "--json"))
    filed = json.loads(ok("motion", "close", "filed", "--at", "18:35", "--json"))
    assert filed["outcome"] == hand["outcome"] == "rejected"  # 2 yes, 2 no: a tie fails
    assert _comparable(filed) == _comparable(hand)
    assert filed["present"] == hand["present"] and len(filed["voters"]) == 5


def test_close_all_judges_each_motion_at_its_last_vote(workspace: Path) -> None:
    load(workspace)
    one = json.loads(ok("motion", "show", "mo1", "--json"))
    code, out, err = run("motion", "close", "--all", "--meeting", "m1", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert {k: summary[k] for k in ("closed", "adopted", "rejected", "no_quorum")} == {
        "closed": 2,
        "adopted": 1,
        "rejected": 1,  # mo2: no votes at all
        "no_quorum": 0,
    }
    assert [(m["motion"], m["at"]) for m in summary["motions"]] == [
        ("mo1", "2026-11-18T18:20:00+00:00"),
        ("mo2", "2026-11-18T18:30:00+00:00"),
    ]
    closed = json.loads(ok("motion", "show", "mo1", "--json"))
    assert closed["closed"] is True
    assert {
        k: v for k, v in closed.items() if k not in ("closed", "outcome", "provisional_outcome")
    } == {k: v for k, v in one.items() if k not in ("closed", "outcome", "provisional_outcome")}
    assert closed["outcome"] == one["provisional_outcome"] == "adopted"
    assert [e for a, e, _ in audit(workspace, "motion close")] == ["mo1", "mo2"]
    assert run("motion", "close", "--all") == (0, "", "No open motions to close.\n")
    ok("meeting", "close", "m1", "--at", "19:00")


def test_close_all_text_output_and_refusals(workspace: Path) -> None:
    load(workspace)
    before = dump(workspace)
    code, _, err = run("motion", "close", "--all", "--at", "18:17")  # before mo2 was put
    assert code == 1 and "is before motion mo2 was put" in err
    assert dump(workspace) == before
    for args, message in [
        ([], "give the motion's id, or --all"),
        (["mo1", "--all"], "not both"),
        (["--all", "--chair-vote", "yes"], "--chair-vote is for one motion"),
        (["mo1", "--meeting", "m1"], "--meeting goes with --all"),
    ]:
        code, _, err = run("motion", "close", *args)
        assert code == 2 and message in err, (args, err)
    assert dump(workspace) == before
    code, out, _ = run("motion", "close", "--all", "--at", "18:45")
    assert code == 0
    assert out == (
        "mo1: adopted (yes 5, no 1, abstain 1)\n"
        "mo2: rejected (yes 0, no 0, abstain 0)\n"
        "2 motions closed: 1 adopted, 1 rejected, 0 without quorum.\n"
    )
    assert json.loads(ok("motion", "show", "mo1", "--json"))["at"] == "2026-11-18T18:45:00+00:00"


# --- the examples ----------------------------------------------------------------------------------


def test_the_example_meeting_imports_and_closes_as_documented(in_tmp: Path) -> None:
    """examples/meeting, in the order of examples/README.md; as run.sh does, in LA time."""
    _set_zone("America/Los_Angeles")
    assert run("init", "w", "--locale", "en_US")[0] == 0
    root = in_tmp / "w"
    for old in (root / "bylaws").glob("*.toml"):
        old.unlink()
    shutil.copy(ROOT / "bylaws" / "best-start-partnership.toml", root / "bylaws")
    os.chdir(root)
    files = [EXAMPLES / f"{k}.csv" for k in ("orgs", "people", "members")] + [
        EXAMPLES / "meeting" / f"{k}.csv"
        for k in ("meetings", "attendance", "motions", "recusals", "votes")
    ]
    counts = [7, 13, 28, 1, 14, 2, 1, 14]
    for path, count in zip(files, counts, strict=True):
        kind = "orgs" if path.stem == "orgs" else path.stem
        assert imported(kind, path) == (0, "", f"{count} created, 0 unchanged\n"), path
    code, out, err = run("motion", "close", "--all")
    assert code == 0, err
    assert out.splitlines() == [
        "outreach-subcontract: adopted (yes 6, no 1, abstain 1)",
        "reading-circles: no quorum (yes 3, no 2, abstain 1)",
        "2 motions closed: 1 adopted, 0 rejected, 1 without quorum.",
    ]
    shown = json.loads(ok("motion", "show", "outreach-subcontract", "--json"))
    assert [r["person"] for r in shown["recused"]] == ["andres-gomez"]
    late = json.loads(ok("motion", "show", "reading-circles", "--json"))
    assert late["quorum"]["minimums"] == [{"class": "resident", "required": 4, "present": 2}]
    ok("meeting", "close", "nlg-2025-03-05", "--at", "2025-03-05 19:30")
    assert "Neighborhood Leadership Group" in ok("meeting", "show", "nlg-2025-03-05")
    assert ok("meeting", "minutes", "nlg-2025-03-05", "--locale", "es", "--format", "markdown")
    before = dump(root)
    for path, count in zip(files, counts, strict=True):
        assert imported(path.stem, path) == (0, "", f"0 created, {count} unchanged\n")
    assert dump(root) == before
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for name in ("meetings", "attendance", "motions", "recusals", "votes"):
        assert f"### `meeting/{name}.csv`" in readme


def test_a_proxy_vote_where_the_bylaws_allow_proxies(workspace: Path) -> None:
    path = workspace / "bylaws" / "best-start-partnership.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("allowed = false", "allowed = true\nmax_per_holder = 1"), "utf-8")
    load(workspace, upto="recusals")
    ok("meeting", "proxy", "m1", "--holder", "r1", "--giver", "r6")
    write(
        workspace,
        "votes.csv",
        "motion,person,choice,at,by\n"
        "mo2,r6,no,2026-11-18T18:35Z,r1\n"
        "mo2,r1,yes,2026-11-18T18:35Z,r1\n",
    )
    assert imported("votes", "votes.csv") == (0, "", "2 created, 0 unchanged\n")
    voters = json.loads(ok("motion", "show", "mo2", "--json"))["voters"]
    assert [(v["person"], v["cast_by"]) for v in voters] == [("r6", "r1"), ("r1", None)]
    assert audit(workspace, "import votes")[0][2]["cast_by"] == {"r6": "r1"}
    assert imported("votes", "votes.csv") == (0, "", "0 created, 2 unchanged\n")
    assert refused(
        workspace, "votes", "motion,person,choice,at,by\nmo2,r7,no,2026-11-18T18:35Z,r2\n"
    ) == ["bad.csv:2: r2 holds no proxy from r7 for meeting m1: register the proxy first"]


# --- the fast lane ------------------------------------------------------------------------------


def _as_json(text: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]


BY_SELF = "".join(  # "by" naming the voter: a vote in person
    f"{line}{line.split(',')[1]}\n" if n else f"{line}\n"
    for n, line in enumerate(VOTES.splitlines())
)
NO_BY = "motion,person,choice,at\n" + "".join(
    line.rsplit(",", 1)[0] + "\n" for line in VOTES.splitlines()[1:]
)
TIMES_DIFFER = VOTES.replace("r3,yes,2026-11-18T18:20Z", "r3,yes,2026-11-18T18:21Z")
# Two motions' votes interleaved: runs of one row, each motion's taken up again later.
INTERLEAVED = "motion,person,choice,at,by\n" + "".join(
    f"{line}\nmo2,{line.split(',')[1]},no,2026-11-18T18:35Z,\n"
    for line in VOTES.splitlines()[1:]
    if line.split(",")[1] != "a2"
)
NDJSON = "".join(json.dumps(item) + "\n" for item in _as_json(ATTENDANCE))
ARRIVALS = ATTENDANCE.rsplit("m1,r5,", 1)[0]  # everyone's arrival, no departure
LANES = {
    "votes-plain": ("votes", "v.csv", VOTES, True),
    "votes-bom-semicolons": ("votes", "v.csv", "\ufeff" + VOTES.replace(",", ";"), True),
    "votes-by-self": ("votes", "v.csv", BY_SELF, True),
    "votes-no-by-column": ("votes", "v.csv", NO_BY, True),
    "votes-json": ("votes", "v.json", json.dumps(_as_json(NO_BY)), True),
    "votes-times-differ": ("votes", "v.csv", TIMES_DIFFER, True),
    "votes-interleaved": ("votes", "v.csv", INTERLEAVED, True),
    "attendance-plain": ("attendance", "a.csv", ATTENDANCE, True),
    "attendance-blank-lines-first": ("attendance", "a.csv", "\n\n" + ATTENDANCE, True),
    "attendance-crlf": ("attendance", "a.csv", ATTENDANCE.replace("\n", "\r\n"), True),
    "attendance-json": ("attendance", "a.json", json.dumps(_as_json(ATTENDANCE)), True),
    "attendance-ndjson": ("attendance", "a.ndjson", NDJSON, True),
    # Rows not numbered one a line: the audit lists rows, so the careful path takes it.
    "attendance-ndjson-gaps": ("attendance", "a.ndjson", NDJSON.replace("\n", "\n\n"), False),
    # A sign-in sheet: arrivals alone, one a member (`_first_arrivals`, a column at a time).
    "attendance-arrivals-only": ("attendance", "a.csv", ARRIVALS, True),
    "attendance-arrivals-offsets": (
        "attendance",
        "a.csv",
        ARRIVALS.replace("18:00Z", "19:00+01:00", 3).replace("18:10Z", "15:10-03:00"),
        True,
    ),
    # Before the start on the meeting's day, and after midnight within its span.
    "attendance-arrivals-early-and-late": (
        "attendance",
        "a.csv",
        ARRIVALS.replace("18:00Z", "17:45Z", 2)
        .replace("T18:10Z", "T00:20Z")
        .replace("m1,b1,2026-11-18T00:20Z", "m1,b1,2026-11-19T00:20Z"),
        True,
    ),
}


@pytest.mark.parametrize("case", list(LANES), ids=list(LANES))
def test_the_fast_lane_writes_what_the_careful_path_writes(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """A file imported through the fast lane and with it switched off: the same database,
    the same audit rows (with their row numbers), the same output."""
    from dataclasses import replace

    from freezegun import freeze_time

    from comunidad_cli.services.imports import registry

    kind_name, name, text, fast_expected = LANES[case]
    kind = registry.get_kind(kind_name)
    assert kind.fast is not None
    upto = {"votes": "recusals", "attendance": "meetings"}[kind_name]
    load(workspace, upto=upto)
    write(workspace, name, text)
    restore = snapshot(workspace)
    finished: list[str] = []
    fast = kind.fast

    def watched(*args: Any) -> Any:
        plan = fast(*args)
        finished.append(case)
        return plan

    results = []
    for lane in (watched, None):
        restore()
        monkeypatch.setitem(registry.KINDS, kind_name, replace(kind, fast=lane))
        with freeze_time("2026-11-19 09:00:00"):
            outcome = imported(kind_name, name)
        results.append((outcome, dump(workspace)))
    count = {"votes": 7, "attendance": 10}[kind_name] + (5 if case == "votes-interleaved" else 0)
    count -= 1 if case.startswith("attendance-arrivals") else 0
    assert results[0][0] == (0, "", f"{count} created, 0 unchanged\n")
    assert results[0] == results[1]
    assert finished == ([case] if fast_expected else [])


def test_a_sign_in_sheet_is_recorded_a_column_at_a_time_as_row_by_row(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arrivals alone, one a member, at a meeting with nothing recorded: `_first_arrivals`
    plans them without judging row by row, and writes what row by row writes; anything
    else it leaves to `_judge_attendance`, which gives the same refusals as before."""
    from comunidad_cli.services.imports import attendance

    load(workspace, upto="meetings")
    restore = snapshot(workspace)
    quick = attendance._first_arrivals
    answers: list[bool] = []

    def watched(*args: Any) -> Any:
        plan = quick(*args)
        answers.append(plan is not None)
        return plan

    monkeypatch.setattr(attendance, "_first_arrivals", watched)
    twice = ARRIVALS + "m1,r1,2026-11-18T18:05Z,arrive\n"
    early = ARRIVALS.replace("m1,b1,2026-11-18T18:10Z", "m1,b1,2026-11-17T17:10Z")
    stranger = ARRIVALS + "m1,nobody,2026-11-18T18:10Z,arrive\n"
    nowhere = ARRIVALS + "m9,r1,2026-11-18T18:10Z,arrive\n"
    outcomes = []
    from freezegun import freeze_time

    for lane in ("quick", "row by row"):
        if lane == "row by row":
            monkeypatch.setattr(attendance, "_first_arrivals", lambda *args: None)
        restore()
        found = [
            refused(workspace, "attendance", text) for text in (twice, early, stranger, nowhere)
        ]
        assert all(found), found
        write(workspace, "a.csv", ARRIVALS)
        with freeze_time("2026-11-19 09:00:00"):
            first = imported("attendance", "a.csv")
        # The meeting has arrivals now: a second sheet is judged against them, row by row.
        write(workspace, "b.csv", "meeting,person,at,event\nm1,r1,2026-11-18T18:40Z,arrive\n")
        again = refused(workspace, "attendance", (workspace / "b.csv").read_text())
        outcomes.append((found, first, again, dump(workspace)))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == (0, "", "9 created, 0 unchanged\n")
    assert answers == [False, False, False, False, True, False]


def test_a_sign_in_sheet_of_two_meetings_taken_in_turns_is_audited_meeting_by_meeting(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arrivals at two meetings, the rows alternating between them: `_first_arrivals`
    lists each meeting's rows in its own audit row, in the file's order, as row by row
    does (the meetings' rows are not each in one run)."""
    from freezegun import freeze_time

    from comunidad_cli.services.imports import attendance

    load(workspace, upto="meetings")
    write(
        workspace,
        "m2.csv",
        "id,bylaws,body,at,kind,notice_sent,title\n"
        "m2,bsmla,nlg,2026-11-17T18:00Z,regular,2026-11-09,Extra\n",
    )
    assert imported("meetings", "m2.csv") == (0, "", "1 created, 0 unchanged\n")
    people = ("r1", "r2", "r3", "a1", "a2")
    sheet = "meeting,person,at,event\n" + "".join(
        f"m1,{p},2026-11-18T18:0{n}Z,arrive\nm2,{p},2026-11-17T18:0{n}Z,arrive\n"
        for n, p in enumerate(people)
    )
    sheet += "m2,f1,2026-11-17T18:09Z,arrive\nm1,f1,2026-11-18T18:09Z,arrive\n"
    write(workspace, "a.csv", sheet)
    restore = snapshot(workspace)
    quick = attendance._first_arrivals
    answers: list[bool] = []

    def watched(*args: Any) -> Any:
        plan = quick(*args)
        answers.append(plan is not None)
        return plan

    outcomes = []
    for lane in (watched, lambda *args: None):
        monkeypatch.setattr(attendance, "_first_arrivals", lane)
        restore()
        with freeze_time("2026-11-19 09:00:00"):
            outcomes.append((imported("attendance", "a.csv"), dump(workspace)))
    assert answers == [True]
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == (0, "", "12 created, 0 unchanged\n")
    listed = {
        entity_id: [(row, person) for row, person, _at, _event in detail["events"]]
        for _action, entity_id, detail in audit(workspace, "import attendance")
        if "events" in detail
    }
    assert listed == {
        "m1": [(2, "r1"), (4, "r2"), (6, "r3"), (8, "a1"), (10, "a2"), (13, "f1")],
        "m2": [(3, "r1"), (5, "r2"), (7, "r3"), (9, "a1"), (11, "a2"), (12, "f1")],
    }


def test_the_fast_lane_hands_irregular_files_to_the_careful_path(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored vote repeated twice in a re-imported file is a duplicate, not 2 x unchanged;
    every problem is still reported with its row, and the fast lane did run first."""
    from comunidad_cli.services.imports import registry
    from comunidad_cli.services.imports.votes import VOTES_IMPORT

    calls: list[int] = []
    assert VOTES_IMPORT.fast is not None
    fast = VOTES_IMPORT.fast

    def counted(*args: Any) -> Any:
        calls.append(1)
        return fast(*args)

    from dataclasses import replace

    monkeypatch.setitem(registry.KINDS, "votes", replace(VOTES_IMPORT, fast=counted))
    load(workspace)
    repeated = VOTES + VOTES.splitlines()[1] + "\n"
    assert refused(workspace, "votes", repeated) == [
        "bad.csv:9: duplicate of row 2: the same motion, person (mo1/r1)"
    ]
    assert len(calls) == 2  # the load's votes, then this file (which fell back)
    assert imported("votes", "votes.csv") == (0, "", "0 created, 7 unchanged\n")
    # The same for stored attendance repeated in a re-imported file.
    assert refused(workspace, "attendance", ATTENDANCE + ATTENDANCE.splitlines()[1] + "\n") == [
        "bad.csv:12: duplicate of row 2: the same meeting, person, at, event"
        " (m1/r1/Nov 18, 2026, 6:00\u202fPM/arrive)"
    ]


def test_a_meeting_file_cannot_move_the_notice_under_motions_or_touch_a_closed_meeting(
    workspace: Path,
) -> None:
    load(workspace, upto="motions")
    later = MEETINGS.replace("2026-11-10", "2026-11-16")
    assert refused(workspace, "meetings", later) == [
        "bad.csv:2: notice_sent: meeting m1 already has motions, put under its notice:"
        " its notice date can no longer change"
    ]
    ok("motion", "close", "--all", "--meeting", "m1")
    ok("meeting", "close", "m1", "--at", "19:00")
    assert refused(workspace, "meetings", MEETINGS.replace("November", "Nov.")) == [
        f"bad.csv:2: {CLOSED}"
    ]
    assert imported("meetings", workspace / "meetings.csv") == (0, "", "0 created, 1 unchanged\n")


def test_imported_times_are_stored_in_the_text_form_every_other_write_uses() -> None:
    """`Writer.time` (isoformat, for speed) writes what `Db.instant` and SQLAlchemy write."""
    from datetime import UTC, timezone

    from comunidad_cli.services.imports.meeting_store import Writer
    from comunidad_cli.storage.dbapi import Db

    db = Db(sqlite3.connect(":memory:"), "sqlite")
    writer = Writer(db)
    for value in (
        datetime(2026, 11, 18, 18, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-3))),
        datetime(2024, 2, 29, 23, 30, 5, 7, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ):
        assert writer.time(value) == db.instant(value)
    assert writer.time(datetime(2026, 11, 18, 18, 0, tzinfo=UTC)) == "2026-11-18 18:00:00.000000"


def test_the_writer_gives_sqlite_booleans_as_plain_integers() -> None:
    """sqlite3 stores a bool as the integer it is, after asking its adapter registry about
    every bool it binds; the writer hands it 0 and 1 (exactly int), other databases bools."""
    from types import SimpleNamespace

    from comunidad_cli.services.imports.meeting_store import Writer

    sqlite = Writer(SimpleNamespace(dialect="sqlite"))  # type: ignore[arg-type]
    other = Writer(SimpleNamespace(dialect="postgresql"))  # type: ignore[arg-type]
    assert [(type(v), v) for v in map(sqlite.flag, (False, True))] == [(int, 0), (int, 1)]
    assert [(type(v), v) for v in map(other.flag, (False, True))] == [(bool, False), (bool, True)]
