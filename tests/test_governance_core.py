"""The pure governance core: quorum, tally and the refusal of votes and proxies.

The vote semantics of docs/architecture.md are written as data: each row of `TALLY_CASES` and
`QUORUM_CASES` is one rule of the design with the numbers that show it. Hypothesis then
checks the properties any fair tally must have (monotony, order independence, `required`
being the least passing count), and each refusal reason has a failing and a passing case.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comunidad_cli.core.bylaws.model import Bylaws, build
from comunidad_cli.core.governance.model import (
    AttendanceEvent,
    Choice,
    Meeting,
    Motion,
    Outcome,
    Proxy,
    Seat,
    Vote,
    present_at,
)
from comunidad_cli.core.governance.quorum import judge_quorum
from comunidad_cli.core.governance.tally import Tally, tally
from comunidad_cli.core.governance.votes import check_proxy, check_vote
from comunidad_cli.core.messages import Msg

DAY = date(2026, 3, 12)
OPEN = datetime(2026, 3, 12, 18, 0)
VOTE_AT = datetime(2026, 3, 12, 18, 45)
ADOPTED, REJECTED, NO_QUORUM = Outcome.ADOPTED, Outcome.REJECTED, Outcome.NO_QUORUM
YES, NO, ABSTAIN = Choice.YES, Choice.NO, Choice.ABSTAIN


def make_bylaws(
    rule: Mapping[str, Any] | None = None,
    *,
    quorum: Mapping[str, Any] | None = None,
    seats: Mapping[str, int] | None = None,
    procedural: bool = False,
    recused_count: bool = True,
    proxies: Mapping[str, Any] | None = None,
) -> Bylaws:
    """A one-body partnership whose decision `d` follows `rule` (default: Robert's)."""
    body: dict[str, Any] = {"name": "Board", "classes": ["resident", "agency", "funder"]}
    if quorum is not None:
        body["quorum"] = dict(quorum)
    if seats is not None:
        body["seats"] = dict(seats)
    return build(
        {
            "schema": 1,
            "id": "test",
            "name": "Test Partnership",
            "classes": {
                "resident": {"name": "Residents", "votes": True},
                "agency": {"name": "Agencies", "votes": True},
                "funder": {"name": "Funder liaison", "votes": False},
            },
            "bodies": {"board": body},
            "rules": {"r": dict(rule or {"threshold": "1/2", "strict": True})},
            "decisions": {"d": {"body": "board", "rule": "r", "procedural": procedural}},
            "proxies": dict(proxies or {"allowed": False}),
            "conflict_of_interest": {"counts_for_quorum": recused_count},
        }
    )


def person(i: int) -> str:
    return f"m{i:02d}"


def seated(n: int, member_class: str = "resident", first: int = 0) -> list[Seat]:
    """`n` current seats on the board, people m<first>.. m<first+n-1>."""
    return [
        Seat(person(first + i), "board", member_class, date(2025, 1, 1), None) for i in range(n)
    ]


# --- vote semantics as data ---------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """Members m00.. all residents; the first `present` are in the room and of those the
    first cast `yes`, then `no`, then `abstain`; the next `recused` present ones are
    recused. Quorum is a fixed 1 unless stated, so these rows are about the vote rule."""

    rule: Mapping[str, Any]
    members: int
    present: int
    yes: int
    no: int
    abstain: int = 0
    recused: int = 0
    chair: Choice | None = None
    quorum: Mapping[str, Any] = field(default_factory=lambda: {"count": 1})


def run(case: Case, *, votes_order: int = 0) -> Tally:
    bylaws = make_bylaws(case.rule, quorum=case.quorum)
    seats = seated(case.members)
    present = frozenset(person(i) for i in range(case.present))
    choices = [YES] * case.yes + [NO] * case.no + [ABSTAIN] * case.abstain
    assert len(choices) + case.recused <= case.present, "a row must fit in the room"
    votes = [Vote(person(i), c, VOTE_AT) for i, c in enumerate(choices)]
    if votes_order:
        random.Random(votes_order).shuffle(votes)
    recused = {person(len(choices) + i) for i in range(case.recused)}
    return tally(bylaws, "d", seats, present, recused, votes, DAY, case.chair)


MAJ = {"threshold": "1/2", "strict": True, "base": "cast"}
MAJ_CHAIR = {**MAJ, "tie": "chair"}
HALF = {"threshold": "1/2", "strict": False, "base": "cast"}
TWO_THIRDS = {"threshold": "2/3", "base": "cast"}
TWO_THIRDS_CHAIR = {**TWO_THIRDS, "tie": "chair"}
MAJ_PRESENT = {"threshold": "1/2", "strict": True, "base": "present"}
MAJ_MEMBERS = {"threshold": "1/2", "strict": True, "base": "members"}
MAJ_MEMBERS_CHAIR = {**MAJ_MEMBERS, "tie": "chair"}
UNANIMOUS = {"threshold": "1", "base": "cast"}

TALLY_CASES = [
    # (description, case, outcome, required)
    ("majority is not 50%+1: 9-8 of 17 cast passes", Case(MAJ, 20, 17, 9, 8), ADOPTED, 9),
    ("8-9 of 17 cast fails a majority", Case(MAJ, 20, 17, 8, 9), REJECTED, 9),
    ("two-thirds of cast: 24-12 passes", Case(TWO_THIRDS, 40, 36, 24, 12), ADOPTED, 24),
    ("two-thirds of cast: 22-12 fails", Case(TWO_THIRDS, 40, 34, 22, 12), REJECTED, 23),
    ("two-thirds of cast: 23-11 passes", Case(TWO_THIRDS, 40, 34, 23, 11), ADOPTED, 23),
    ("a tie fails a strict majority", Case(MAJ, 12, 10, 5, 5), REJECTED, 6),
    ("tie = chair, no casting vote: fails", Case(MAJ_CHAIR, 12, 10, 5, 5), REJECTED, 6),
    ("the chair breaks a tie: yes", Case(MAJ_CHAIR, 12, 10, 5, 5, chair=YES), ADOPTED, 6),
    ("the chair breaks a tie: no", Case(MAJ_CHAIR, 12, 10, 5, 5, chair=NO), REJECTED, 6),
    ("tie = fails ignores the chair", Case(MAJ, 12, 10, 5, 5, chair=YES), REJECTED, 6),
    ("no tie, the chair's vote is moot", Case(MAJ_CHAIR, 12, 10, 4, 6, chair=YES), REJECTED, 6),
    ("at least half: a tie passes", Case(HALF, 12, 10, 5, 5), ADOPTED, 5),
    (
        "a casting yes must still meet 2/3",
        Case(TWO_THIRDS_CHAIR, 12, 10, 5, 5, chair=YES),
        REJECTED,
        7,
    ),
    (
        "a casting yes that meets 2/3 adopts",
        Case(TWO_THIRDS_CHAIR, 12, 10, 1, 1, chair=YES),
        ADOPTED,
        2,
    ),
    ("cast: abstentions don't count", Case(MAJ, 20, 19, 5, 4, 10), ADOPTED, 5),
    ("present: abstentions act as no", Case(MAJ_PRESENT, 20, 19, 5, 4, 10), REJECTED, 10),
    ("present: silence acts as no", Case(MAJ_PRESENT, 20, 19, 9, 4), REJECTED, 10),
    ("present: more than half the room", Case(MAJ_PRESENT, 20, 19, 10, 0, 9), ADOPTED, 10),
    ("present: recused are not in the base", Case(MAJ_PRESENT, 12, 10, 5, 3, 0, 2), ADOPTED, 5),
    ("members: abstentions act as no", Case(MAJ_MEMBERS, 20, 20, 10, 0, 10), REJECTED, 11),
    ("members: many absent fails", Case(MAJ_MEMBERS, 25, 13, 12, 0), REJECTED, 13),
    ("members: a majority of all passes", Case(MAJ_MEMBERS, 25, 13, 13, 0), ADOPTED, 13),
    ("members: recused stay in the base", Case(MAJ_MEMBERS, 10, 10, 5, 0, 0, 3), REJECTED, 6),
    (
        "members: a tie broken by the chair",
        Case(MAJ_MEMBERS_CHAIR, 10, 6, 5, 1, 0, 0, YES),
        ADOPTED,
        6,
    ),
    ("zero votes cast: rejected", Case(MAJ, 5, 5, 0, 0, 5), REJECTED, 1),
    ("zero votes cast fails even 'at least'", Case(HALF, 5, 5, 0, 0), REJECTED, 1),
    ("unanimity: 5-0 passes", Case(UNANIMOUS, 8, 8, 5, 0, 3), ADOPTED, 5),
    ("unanimity: 5-1 fails", Case(UNANIMOUS, 8, 8, 5, 1), REJECTED, 6),
    (
        "no quorum is not rejected",
        Case(MAJ, 10, 5, 5, 0, quorum={"fraction": "1/2", "strict": True}),
        NO_QUORUM,
        3,
    ),
    (
        "quorum exactly met",
        Case(MAJ, 10, 6, 4, 2, quorum={"fraction": "1/2", "strict": True}),
        ADOPTED,
        4,
    ),
]


@pytest.mark.parametrize(
    ("description", "case", "outcome", "required"),
    TALLY_CASES,
    ids=[row[0] for row in TALLY_CASES],
)
def test_vote_semantics(description: str, case: Case, outcome: Outcome, required: int) -> None:
    result = run(case)
    assert (result.outcome, result.required) == (outcome, required), description
    assert (result.yes, result.no, result.abstain) == (case.yes, case.no, case.abstain)
    assert result.rule_text.render()


def test_tie_flags() -> None:
    broken = run(Case(MAJ_CHAIR, 12, 10, 5, 5, chair=YES))
    assert broken.tie and broken.decided_by_chair
    unbroken = run(Case(MAJ_CHAIR, 12, 10, 5, 5))
    assert unbroken.tie and not unbroken.decided_by_chair
    assert not run(Case(MAJ_CHAIR, 12, 10, 6, 4, chair=NO)).decided_by_chair
    assert not run(Case(MAJ, 12, 10, 5, 4)).tie


def test_votes_without_a_voting_seat_are_not_counted() -> None:
    """A vote from someone without a voting seat (it should have been refused) is ignored."""
    bylaws = make_bylaws(MAJ, quorum={"count": 1})
    seats = [*seated(3), *seated(1, "funder", first=3)]
    votes = [
        Vote(person(0), YES, VOTE_AT),
        Vote(person(3), NO, VOTE_AT),
        Vote("guest", NO, VOTE_AT),
    ]
    result = tally(bylaws, "d", seats, {person(0), person(3)}, (), votes, DAY)
    assert (result.yes, result.no, result.outcome) == (1, 0, ADOPTED)


def test_a_member_counts_once() -> None:
    """Duplicate votes (refused by check_vote) count once, by the first in time."""
    bylaws = make_bylaws(MAJ, quorum={"count": 1})
    votes = [
        Vote(person(0), NO, VOTE_AT + timedelta(minutes=1)),
        Vote(person(0), YES, VOTE_AT),
        Vote(person(1), NO, VOTE_AT),
    ]
    result = tally(bylaws, "d", seated(3), {person(0), person(1)}, (), votes, DAY)
    assert (result.yes, result.no, result.tie) == (1, 1, True)


def test_present_base_counts_absent_proxy_voters() -> None:
    """An absent member whose vote a proxy cast is in the base "present" (yes <= base)."""
    bylaws = make_bylaws(MAJ_PRESENT, quorum={"count": 1})
    votes = [
        Vote(person(0), YES, VOTE_AT),
        Vote(person(3), YES, VOTE_AT, cast_by=person(0)),
        Vote(person(1), NO, VOTE_AT),
    ]
    result = tally(bylaws, "d", seated(4), {person(0), person(1), person(2)}, (), votes, DAY)
    assert (result.base_total, result.required, result.outcome) == (4, 3, REJECTED)


# --- quorum as data -----------------------------------------------------------------------

QUORUM_BOARD = {"resident": 7, "agency": 4, "funder": 1}  # 12 seats, 11 voting


@dataclass(frozen=True)
class QCase:
    """`residents`/`agencies`/`funders` seated (m00.. in that order); the first
    `present_residents` residents and `present_agencies` agencies are in the room (plus
    every funder); `recused` of the present residents are recused."""

    quorum: Mapping[str, Any] | None
    residents: int
    agencies: int
    present_residents: int
    present_agencies: int
    recused: int = 0
    recused_count: bool = True
    funders: int = 1
    ended: int = 0  # extra residents whose seat ended the day before the meeting


def judge(case: QCase) -> tuple[int, int, bool, int]:
    bylaws = make_bylaws(quorum=case.quorum, seats=QUORUM_BOARD, recused_count=case.recused_count)
    r, a, f = case.residents, case.agencies, case.funders
    seats = [*seated(r), *seated(a, "agency", r), *seated(f, "funder", r + a)]
    seats += [
        Seat(person(90 + i), "board", "resident", date(2024, 1, 1), DAY - timedelta(days=1))
        for i in range(case.ended)
    ]
    present = {person(i) for i in range(case.present_residents)}
    present |= {person(r + i) for i in range(case.present_agencies)}
    present |= {person(r + a + i) for i in range(f)}
    present |= {person(90 + i) for i in range(case.ended)}
    recused = {person(i) for i in range(case.recused)}
    q = judge_quorum(bylaws, "board", seats, present, recused, DAY)
    assert q.basis.render()
    return q.required, q.present, q.met, q.voting_members


HALF_MEMBERS = {"fraction": "1/2", "strict": True}
HALF_SEATS = {"fraction": "1/2", "strict": True, "of": "seats"}

QUORUM_CASES = [
    # (description, case, (required, present, met, voting_members))
    ("more than half of 10 members: 6", QCase(HALF_MEMBERS, 6, 4, 4, 2), (6, 6, True, 10)),
    ("5 of 10 members is not more than half", QCase(HALF_MEMBERS, 6, 4, 3, 2), (6, 5, False, 10)),
    (
        "at least half of 10: 5",
        QCase({"fraction": "1/2", "strict": False}, 6, 4, 3, 2),
        (5, 5, True, 10),
    ),
    ("vacancies don't count: 8 seated of 11", QCase(HALF_MEMBERS, 5, 3, 3, 2), (5, 5, True, 8)),
    ("of seats: vacancies count (12 seats)", QCase(HALF_SEATS, 5, 3, 3, 2), (7, 5, False, 8)),
    ("of seats: 7 of 12 seats", QCase(HALF_SEATS, 5, 3, 4, 3), (7, 7, True, 8)),
    ("a non-voting funder never counts", QCase({"count": 3}, 5, 3, 1, 1), (3, 2, False, 8)),
    ("a fixed count is met", QCase({"count": 3}, 5, 3, 2, 1), (3, 3, True, 8)),
    ("an ended seat doesn't count", QCase(HALF_MEMBERS, 4, 2, 2, 1, ended=3), (4, 3, False, 6)),
    (
        "per-class minimum not met",
        QCase({**HALF_MEMBERS, "min": {"resident": 3}}, 5, 4, 2, 4),
        (5, 6, False, 9),
    ),
    (
        "per-class minimum met",
        QCase({**HALF_MEMBERS, "min": {"resident": 3}}, 5, 4, 3, 2),
        (5, 5, True, 9),
    ),
    ("recused count for quorum", QCase(HALF_MEMBERS, 6, 4, 4, 2, recused=1), (6, 6, True, 10)),
    (
        "recused don't count when the by-laws say so",
        QCase(HALF_MEMBERS, 6, 4, 4, 2, recused=1, recused_count=False),
        (6, 5, False, 10),
    ),
    (
        "recused and a class minimum",
        QCase({"count": 1, "min": {"resident": 2}}, 3, 1, 2, 1, 1, recused_count=False),
        (1, 2, False, 4),
    ),
    ("no quorum stated: Robert's majority", QCase(None, 5, 4, 3, 2), (5, 5, True, 9)),
    ("no quorum stated: 4 of 9 fails", QCase(None, 5, 4, 2, 2), (5, 4, False, 9)),
    ("nobody seated: a quorum is never 0", QCase(HALF_MEMBERS, 0, 0, 0, 0), (1, 0, False, 0)),
]


@pytest.mark.parametrize(
    ("description", "case", "expected"), QUORUM_CASES, ids=[row[0] for row in QUORUM_CASES]
)
def test_quorum(description: str, case: QCase, expected: tuple[int, int, bool, int]) -> None:
    assert judge(case) == expected, description


def test_class_minimums_are_reported() -> None:
    bylaws = make_bylaws(quorum={"count": 1, "min": {"resident": 3, "agency": 1}})
    seats = [*seated(4), *seated(2, "agency", 4)]
    q = judge_quorum(bylaws, "board", seats, {person(0), person(4)}, (), DAY)
    assert [(m.member_class, m.required, m.present, m.met) for m in q.minimums] == [
        ("resident", 3, 1, False),
        ("agency", 1, 1, True),
    ]
    assert not q.met


# --- quorum over time ---------------------------------------------------------------------


def arrivals(people: Sequence[str], at: datetime = OPEN) -> list[AttendanceEvent]:
    return [AttendanceEvent(p, at, True) for p in people]


def test_present_at_replays_in_time_order() -> None:
    t = OPEN
    events = [
        AttendanceEvent("ana", t + timedelta(minutes=30), True),  # back again
        AttendanceEvent("ana", t, True),
        AttendanceEvent("ana", t + timedelta(minutes=10), False),
        AttendanceEvent("bo", t + timedelta(minutes=20), True),
        AttendanceEvent("cy", t, True),
        AttendanceEvent("cy", t + timedelta(minutes=20), False),
    ]
    assert present_at(events, t - timedelta(minutes=1)) == frozenset()
    assert present_at(events, t) == {"ana", "cy"}
    assert present_at(events, t + timedelta(minutes=10)) == {"cy"}
    assert present_at(events, t + timedelta(minutes=20)) == {"bo"}
    assert present_at(events, t + timedelta(minutes=30)) == {"ana", "bo"}
    assert present_at(reversed(events), t + timedelta(minutes=30)) == {"ana", "bo"}
    same_tick = [AttendanceEvent("dee", t, True), AttendanceEvent("dee", t, False)]
    assert present_at(same_tick, t) == {"dee"}


def _departure_case(*, procedural: bool, leave: datetime) -> Tally:
    bylaws = make_bylaws(MAJ, quorum=HALF_MEMBERS, procedural=procedural)
    people = [person(i) for i in range(6)]
    events = [*arrivals(people), AttendanceEvent(person(5), leave, False)]
    present = present_at(events, VOTE_AT)
    votes = [Vote(p, YES, VOTE_AT) for p in people[:4]] + [Vote(person(4), NO, VOTE_AT)]
    return tally(bylaws, "d", seated(10), present, (), votes, DAY)


def test_quorum_lost_by_a_departure_before_the_vote() -> None:
    before = _departure_case(procedural=False, leave=VOTE_AT - timedelta(minutes=5))
    assert (before.outcome, before.quorum.present, before.quorum.required) == (NO_QUORUM, 5, 6)
    after = _departure_case(procedural=False, leave=VOTE_AT + timedelta(minutes=5))
    assert (after.outcome, after.quorum.present) == (ADOPTED, 6)


def test_procedural_decision_is_decided_without_quorum() -> None:
    result = _departure_case(procedural=True, leave=VOTE_AT - timedelta(minutes=5))
    assert not result.quorum.met
    assert result.outcome == ADOPTED


def test_unknown_decision_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="no decision"):
        tally(make_bylaws(), "nope", (), (), (), (), DAY)


# --- properties ---------------------------------------------------------------------------

THRESHOLDS = ["1/3", "1/2", "3/5", "2/3", "3/4", "1"]
PLACES = ["absent", "silent", "yes", "no", "abstain", "recused"]


@st.composite
def rules(draw: st.DrawFn) -> dict[str, Any]:
    threshold = draw(st.sampled_from(THRESHOLDS))
    return {
        "threshold": threshold,
        "strict": draw(st.booleans()) and threshold != "1",
        "base": draw(st.sampled_from(["cast", "present", "members"])),
        "tie": draw(st.sampled_from(["fails", "chair"])),
    }


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A rule, a quorum, and what each member does: absent, silent, votes, or recused."""
    quorum = draw(
        st.sampled_from(
            [{"count": 1}, {"count": 4}, HALF_MEMBERS, {"fraction": "1/3"}, {"count": 2}]
        )
    )
    return {
        "rule": draw(rules()),
        "quorum": quorum,
        "recused_count": draw(st.booleans()),
        "places": draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=14)),
        "chair": draw(st.sampled_from([None, YES, NO])),
    }


def judge_places(s: Mapping[str, Any], places: Sequence[str]) -> Tally:
    bylaws = make_bylaws(s["rule"], quorum=s["quorum"], recused_count=s["recused_count"])
    seats = seated(len(places))
    present = {person(i) for i, p in enumerate(places) if p != "absent"}
    recused = {person(i) for i, p in enumerate(places) if p == "recused"}
    votes = [
        Vote(person(i), Choice(p), VOTE_AT)
        for i, p in enumerate(places)
        if p in ("yes", "no", "abstain")
    ]
    return tally(bylaws, "d", seats, present, recused, votes, DAY, s["chair"])


@settings(max_examples=300)
@given(scenarios(), st.data())
def test_more_yes_never_turns_adopted_into_rejected(s: dict[str, Any], data: st.DataObject) -> None:
    places = s["places"]
    turnable = [i for i, p in enumerate(places) if p in ("no", "abstain")]
    if not turnable:
        return
    i = data.draw(st.sampled_from(turnable))
    before = judge_places(s, places)
    after = judge_places(s, [*places[:i], "yes", *places[i + 1 :]])
    if before.outcome == ADOPTED:
        assert after.outcome == ADOPTED


@settings(max_examples=300)
@given(scenarios(), st.data())
def test_another_no_never_turns_rejected_into_adopted(
    s: dict[str, Any], data: st.DataObject
) -> None:
    places = s["places"]
    silent = [i for i, p in enumerate(places) if p in ("silent", "abstain")]
    if not silent:
        return
    i = data.draw(st.sampled_from(silent))
    before = judge_places(s, places)
    after = judge_places(s, [*places[:i], "no", *places[i + 1 :]])
    if before.outcome == REJECTED:
        assert after.outcome == REJECTED


@settings(max_examples=200)
@given(scenarios(), st.randoms(use_true_random=False), st.data())
def test_outcome_is_independent_of_order(
    s: dict[str, Any], rnd: random.Random, data: st.DataObject
) -> None:
    places = s["places"]
    bylaws = make_bylaws(s["rule"], quorum=s["quorum"], recused_count=s["recused_count"])
    seats = seated(len(places))
    # Attendance: everyone comes; each may leave and come back at drawn minutes.
    events: list[AttendanceEvent] = []
    for i in range(len(places)):
        events.append(AttendanceEvent(person(i), OPEN, True))
        for minute in sorted(data.draw(st.lists(st.integers(1, 90), max_size=4, unique=True))):
            inside = sum(1 for e in events if e.person == person(i)) % 2 == 1
            events.append(AttendanceEvent(person(i), OPEN + timedelta(minutes=minute), not inside))
    recused = {person(i) for i, p in enumerate(places) if p == "recused"}
    votes = [
        Vote(person(i), Choice(p), VOTE_AT) for i, p in enumerate(places) if p in ("yes", "no")
    ]
    shuffled_votes, shuffled_events = list(votes), list(events)
    rnd.shuffle(shuffled_votes)
    rnd.shuffle(shuffled_events)
    first = tally(bylaws, "d", seats, present_at(events, VOTE_AT), recused, votes, DAY, s["chair"])
    second = tally(
        bylaws,
        "d",
        list(reversed(seats)),
        present_at(shuffled_events, VOTE_AT),
        recused,
        shuffled_votes,
        DAY,
        s["chair"],
    )
    assert first == second


@settings(max_examples=300)
@given(rules(), st.integers(min_value=1, max_value=30), st.data())
def test_required_is_the_least_passing_yes_count(
    rule: dict[str, Any], members: int, data: st.DataObject
) -> None:
    """With the base total fixed, `required` yes votes pass and one fewer does not."""
    rule = {**rule, "tie": "fails"}

    # cast: every member votes, so the base is all of them; present/members: all in the room.
    def with_yes(yes: int) -> Tally:
        no = members - yes if rule["base"] == "cast" else 0
        return run(Case(rule, members, members, yes, no))

    required = with_yes(data.draw(st.integers(0, members))).required
    assert required >= 1
    if required <= members:
        assert with_yes(required).outcome == ADOPTED
        assert with_yes(required).required == required
    assert with_yes(required - 1).outcome == REJECTED


@given(st.sampled_from(TALLY_CASES), st.integers(1, 1000))
def test_table_rows_do_not_depend_on_vote_order(row: tuple[Any, ...], seed: int) -> None:
    case = row[1]
    assert run(case, votes_order=seed) == run(case)


# --- refusing votes -----------------------------------------------------------------------

MEETING = Meeting("mtg-1", "board", OPEN, OPEN + timedelta(hours=2))
MOTION = Motion("mot-1", OPEN + timedelta(minutes=30))
PROXY_BYLAWS = make_bylaws(proxies={"allowed": True, "max_per_holder": 2})
SEATS = [
    *seated(6),
    Seat("fay", "board", "funder", date(2025, 1, 1), None),
    Seat("old", "board", "resident", date(2020, 1, 1), DAY - timedelta(days=1)),
    Seat("other", "committee", "resident", date(2020, 1, 1), None),
]
ROOM = [person(i) for i in range(4)] + ["fay", "old", "other"]  # m04, m05 are away


def vote_check(
    vote: Vote,
    *,
    bylaws: Bylaws = PROXY_BYLAWS,
    meeting: Meeting = MEETING,
    motion: Motion = MOTION,
    recused: frozenset[str] = frozenset(),
    votes_so_far: Sequence[Vote] = (),
    proxies: Sequence[Proxy] = (),
    events: Sequence[AttendanceEvent] | None = None,
) -> Msg | None:
    return check_vote(
        bylaws,
        meeting=meeting,
        motion=motion,
        vote=vote,
        seats=SEATS,
        attendance=arrivals(ROOM) if events is None else events,
        recused=recused,
        votes_so_far=votes_so_far,
        proxies=proxies,
    )


def v(who: str, at: datetime = VOTE_AT, cast_by: str | None = None) -> Vote:
    return Vote(who, YES, at, cast_by)


M0, M1, M2, M4, M5 = (person(i) for i in (0, 1, 2, 4, 5))
LEFT = [*arrivals(ROOM), AttendanceEvent(M0, VOTE_AT - timedelta(minutes=1), False)]

REFUSALS: list[Any] = [
    pytest.param(
        {"vote": v(M0), "motion": Motion("mot-1", MOTION.opened_at, VOTE_AT)},
        "is closed",
        id="motion-closed",
    ),
    pytest.param({"vote": v(M0, OPEN - timedelta(minutes=1))}, "before meeting", id="early"),
    pytest.param({"vote": v(M0, OPEN + timedelta(hours=3))}, "after meeting", id="late"),
    pytest.param({"vote": v(M0, OPEN + timedelta(minutes=10))}, "before motion", id="not-put"),
    pytest.param({"vote": v("nobody")}, "holds no seat", id="no-seat"),
    pytest.param({"vote": v("old")}, "holds no seat", id="seat-ended"),
    pytest.param({"vote": v("other")}, "holds no seat", id="other-body"),
    pytest.param({"vote": v("fay")}, "without a vote", id="non-voting-class"),
    pytest.param({"vote": v(M0), "recused": frozenset({M0})}, "is recused", id="recused"),
    pytest.param({"vote": v(M0), "votes_so_far": [v(M0)]}, "already voted", id="twice"),
    pytest.param(
        {"vote": v(M0), "events": LEFT},
        "m00 left at 2026-03-12 18:44:00, before their vote",
        id="left",
    ),
    pytest.param({"vote": v(M4)}, "is not present", id="absent"),
    pytest.param({"vote": v(M4, cast_by=M4)}, "their own proxy", id="self-proxy"),
    pytest.param(
        {"vote": v(M0, cast_by=M1), "proxies": [Proxy(M1, M0)]}, "votes in person", id="lapses"
    ),
    pytest.param(
        {"vote": v(M4, cast_by=M1), "proxies": [Proxy(M1, M4)], "bylaws": make_bylaws()},
        "do not allow proxies",
        id="proxies-not-allowed",
    ),
    pytest.param(
        {"vote": v(M4, cast_by=M5), "proxies": [Proxy(M5, M4)]},
        "holder m05 is not present",
        id="holder-absent",
    ),
    pytest.param({"vote": v(M4, cast_by=M1)}, "holds no proxy from", id="no-proxy"),
    pytest.param(
        {"vote": v(M4, cast_by=M1), "proxies": [Proxy(M1, M4), Proxy(M2, M1)]},
        "one level only",
        id="chain",
    ),
    pytest.param(
        {
            "vote": v(M4, cast_by=M1),
            "proxies": [Proxy(M1, M4), Proxy(M1, M5), Proxy(M1, "m03")],
        },
        "more than the 2",
        id="over-limit",
    ),
]


@pytest.mark.parametrize(("kwargs", "reason"), REFUSALS)
def test_check_vote_refuses(kwargs: dict[str, Any], reason: str) -> None:
    refusal = vote_check(**kwargs)
    assert refusal is not None
    rendered = refusal.render()
    assert reason in rendered, rendered
    assert "{" not in rendered  # every field has its parameter


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"vote": v(M0)}, id="in-person"),
        pytest.param({"vote": v(M0, cast_by=M0)}, id="in-person-cast-by-self"),
        pytest.param({"vote": v(M0, OPEN + timedelta(hours=2))}, id="at-the-end"),
        pytest.param({"vote": v(M0, MOTION.opened_at)}, id="as-the-motion-is-put"),
        pytest.param({"vote": v(M0), "votes_so_far": [v(M1)]}, id="others-voted"),
        pytest.param({"vote": v(M0), "recused": frozenset({M1})}, id="others-recused"),
        pytest.param({"vote": v(M4, cast_by=M1), "proxies": [Proxy(M1, M4)]}, id="proxy"),
        pytest.param(
            {"vote": v(M4, cast_by=M1), "proxies": [Proxy(M1, M4), Proxy(M1, M5)]},
            id="proxy-at-limit",
        ),
        pytest.param(
            {"vote": v(M0), "meeting": Meeting("mtg-1", "board", OPEN)}, id="meeting-open"
        ),
    ],
)
def test_check_vote_accepts(kwargs: dict[str, Any]) -> None:
    assert vote_check(**kwargs) is None


# --- refusing proxies ---------------------------------------------------------------------

PROXY_REFUSALS: list[Any] = [
    pytest.param(make_bylaws(), [], Proxy(M1, M4), "do not allow proxies", id="not-allowed"),
    pytest.param(PROXY_BYLAWS, [], Proxy(M4, M4), "to themselves", id="self"),
    pytest.param(PROXY_BYLAWS, [Proxy(M2, M4)], Proxy(M1, M4), "already gave", id="twice"),
    pytest.param(PROXY_BYLAWS, [Proxy(M2, M1)], Proxy(M1, M4), "cannot hold one", id="holder-gave"),
    pytest.param(PROXY_BYLAWS, [Proxy(M4, M5)], Proxy(M1, M4), "cannot pass", id="giver-holds"),
    pytest.param(
        PROXY_BYLAWS,
        [Proxy(M1, M5), Proxy(M1, "m03")],
        Proxy(M1, M4),
        "the most the by-laws allow (2)",
        id="limit",
    ),
    pytest.param(PROXY_BYLAWS, [], Proxy(M1, "old"), "holds no seat", id="giver-unseated"),
    pytest.param(PROXY_BYLAWS, [], Proxy("fay", M4), "without a vote", id="holder-non-voting"),
    pytest.param(PROXY_BYLAWS, [], Proxy("other", M4), "holds no seat", id="holder-other-body"),
]


@pytest.mark.parametrize(("bylaws", "so_far", "proxy", "reason"), PROXY_REFUSALS)
def test_check_proxy_refuses(
    bylaws: Bylaws, so_far: list[Proxy], proxy: Proxy, reason: str
) -> None:
    refusal = check_proxy(bylaws, so_far, proxy, SEATS, "board", DAY)
    assert refusal is not None
    rendered = refusal.render()
    assert reason in rendered, rendered
    assert "{" not in rendered


@pytest.mark.parametrize(
    "so_far",
    [
        pytest.param([], id="first"),
        pytest.param([Proxy(M1, M5)], id="within-limit"),
        pytest.param([Proxy(M2, M5)], id="others-hold"),
    ],
)
def test_check_proxy_accepts(so_far: list[Proxy]) -> None:
    assert check_proxy(PROXY_BYLAWS, so_far, Proxy(M1, M4), SEATS, "board", DAY) is None


def test_unlimited_proxies_when_no_limit_is_stated() -> None:
    bylaws = make_bylaws(proxies={"allowed": True})
    so_far = [Proxy(M1, person(i)) for i in (2, 3, 5)]
    assert check_proxy(bylaws, so_far, Proxy(M1, M4), SEATS, "board", DAY) is None


# --- frozen acts: a closed meeting, and business on enough notice ---------------------------


def test_a_closed_meeting_refuses_and_says_how_to_correct() -> None:
    from comunidad_cli.core.governance.frozen import closed_refusal

    assert closed_refusal(Meeting("mtg-1", "board", OPEN)) is None
    refusal = closed_refusal(Meeting("mtg-1", "board", OPEN, OPEN + timedelta(hours=2)))
    assert refusal is not None
    assert "comunidad meeting correct mtg-1" in refusal.render()


def test_notice_is_judged_by_the_decision_then_its_body() -> None:
    from comunidad_cli.core.bylaws.model import Decision
    from comunidad_cli.core.governance.frozen import notice_refusal, notice_unrecorded

    bylaws = make_bylaws()
    meeting = Meeting("mtg-1", "board", OPEN)
    amend = Decision("amend", None, "board", "r", 14, False, False)
    day = OPEN.date()
    late = notice_refusal(bylaws, amend, meeting, day - timedelta(days=13))
    assert late is not None
    assert late.render() == (
        "amend needs 14 days' notice; the notice of mtg-1 went out 13 days before:"
        " put it to a meeting called with enough notice"
    )
    one = notice_refusal(bylaws, amend, meeting, day - timedelta(days=1))
    assert one is not None and "went out 1 day before" in one.render()
    assert notice_refusal(bylaws, amend, meeting, day - timedelta(days=14)) is None
    assert notice_refusal(bylaws, amend, meeting, None) is None
    unrecorded = notice_unrecorded(bylaws, amend, meeting, None)
    assert unrecorded is not None and "was not recorded" in unrecorded.render()
    assert notice_unrecorded(bylaws, amend, meeting, day) is None
    # Adjourning or a recess arises in the meeting itself: no notice is asked of it.
    adjourn = Decision("adjourn", None, "board", "r", 14, False, False, procedural=True)
    assert notice_refusal(bylaws, adjourn, meeting, day) is None
    assert notice_unrecorded(bylaws, adjourn, meeting, None) is None
    # No notice in the by-laws for the decision nor its body: nothing to judge.
    plain = Decision("plain", None, "board", "r", None, False, False)
    assert notice_refusal(bylaws, plain, meeting, day) is None


# --- recusal: one rule for `motion recuse` and the `recusals` import ----------------------------

RECUSE_SEATS = (
    Seat("ana", "board", "resident", DAY, None),
    Seat("old", "board", "resident", DAY - timedelta(days=30), DAY - timedelta(days=1)),
)


@pytest.mark.parametrize(
    ("meeting", "motion", "person", "recused", "voted", "expected"),
    [
        pytest.param(
            Meeting("mtg-1", "board", OPEN), Motion("m1", OPEN), "ana", (), (), None, id="may"
        ),
        pytest.param(
            Meeting("mtg-1", "board", OPEN, OPEN + timedelta(hours=1)),
            Motion("m1", OPEN),
            "ana",
            (),
            (),
            "closed",
            id="meeting-closed",
        ),
        pytest.param(
            Meeting("mtg-1", "board", OPEN),
            Motion("m1", OPEN, OPEN + timedelta(minutes=5)),
            "ana",
            (),
            (),
            "motion m1 is closed: no more votes",
            id="motion-closed",
        ),
        pytest.param(
            Meeting("mtg-1", "board", OPEN),
            Motion("m1", OPEN),
            "old",
            (),
            (),
            "old holds no seat on board on 2026-03-12",
            id="seat-ended",
        ),
        pytest.param(
            Meeting("mtg-1", "board", OPEN),
            Motion("m1", OPEN),
            "ana",
            ("ana",),
            (),
            "ana has already recused from this motion",
            id="recused",
        ),
        pytest.param(
            Meeting("mtg-1", "board", OPEN),
            Motion("m1", OPEN),
            "ana",
            (),
            ("ana",),
            "ana has already voted on this motion: a recusal must come before the vote",
            id="voted",
        ),
    ],
)
def test_check_recusal_is_the_one_rule(
    meeting: Meeting,
    motion: Motion,
    person: str,
    recused: tuple[str, ...],
    voted: tuple[str, ...],
    expected: str | None,
) -> None:
    from comunidad_cli.core.governance.recusal import check_recusal

    refusal = check_recusal(
        meeting, motion, person, seats=RECUSE_SEATS, recused=recused, voted=voted
    )
    if expected is None:
        assert refusal is None
    else:
        assert refusal is not None
        assert expected in refusal.text.format(**refusal.params)


def test_a_tally_carries_the_rule_it_applied() -> None:
    from fractions import Fraction

    result = run(Case(TWO_THIRDS_CHAIR, 9, 9, 4, 2, 1))
    assert (result.decision, result.rule.id, result.base, result.rule.tie) == (
        "d",
        "r",
        "cast",
        "chair",
    )
    assert (result.threshold, result.strict) == (Fraction(2, 3), False)
    assert result.rule_text.render() == (
        'rule "r": at least 2/3 of votes cast; the chair breaks ties (6)'
    )


def test_business_a_meeting_may_take() -> None:
    """One rule for `motion new` and the `motions` import: a known kind, of this body, once
    the meeting has started."""
    from comunidad_cli.core.governance.business import decision_refusal, early_refusal

    bylaws = make_bylaws()
    assert decision_refusal(bylaws, "d", "board") is None
    unknown = decision_refusal(bylaws, "x", "board")
    assert unknown is not None and dict(unknown.params) == {"decision": "x", "known": "d"}
    other = decision_refusal(bylaws, "d", "assembly")
    assert other is not None and other.params["body"] == "board"
    meeting = Meeting("mtg-1", "board", OPEN)
    assert early_refusal(meeting, OPEN) is None
    early = early_refusal(meeting, OPEN - timedelta(minutes=1))
    assert early is not None and early.text == "{at} is before the meeting started"
