"""The indexed seat judgement (`HeldSeats`, `check_seat`) equals the old, simple one.

`oracle_check` below is `check_seat` as it was before seats were indexed: every rule
rescanning every held seat. It is kept here, unchanged, as the definition the fast
judgement must agree with, refusal for refusal, message for message, on random seat sets
under the Best Start by-laws (caps, roles with holders and term limits, unknown bodies,
classes and roles, seats ending before they start) and on random sequences of adds and
replacements, as an import makes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from comunidad_cli.core.bylaws.model import Bylaws, Role
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.governance.seats import (
    ONE_DAY,
    HeldSeats,
    SeatProblem,
    check_seat,
    most_at_once,
    overlaps,
    seats_that_count,
    tenure,
)
from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.core.when import add_months
from comunidad_cli.services.bylaws import load_valid
from tests.test_directory import BYLAWS

# --- the oracle: the judgement before the index -------------------------------------------------


def oracle_most_at_once(seats: Sequence[Seat], start: date, end: date | None) -> tuple[int, date]:
    days = sorted(
        {start, *(s.start for s in seats if start < s.start and (end is None or s.start <= end))}
    )
    best, best_day = 0, start
    for day in days:
        count = sum(1 for s in seats if s.active_on(day))
        if count > best:
            best, best_day = count, day
    return best, best_day


def _names(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids)) or "-"


def oracle_role_problems(role: Role, on_body: Sequence[Seat], new: Seat) -> list[SeatProblem]:
    problems: list[SeatProblem] = []
    if role.body is not None and role.body != new.body:
        return [
            SeatProblem(
                "role",
                Msg.of(
                    N_('role "{role}" belongs to body "{role_body}", not to "{body}"'),
                    role=role.id,
                    role_body=role.body,
                    body=new.body,
                ),
            )
        ]
    holding = [s for s in on_body if s.role == role.id and overlaps(s, new.start, new.end)]
    count, day = oracle_most_at_once(holding, new.start, new.end)
    if count + 1 > role.holders:
        problems.append(
            SeatProblem(
                "role",
                Msg.counted(
                    NP_(
                        'role "{role}" has {holders} holder and is already held on {day}'
                        " by {people}",
                        'role "{role}" has {holders} holders and is already held on {day}'
                        " by {people}",
                    ),
                    "holders",
                    role=role.id,
                    holders=role.holders,
                    day=day,
                    people=_names(s.person for s in holding if s.active_on(day)),
                ),
            )
        )
    if role.term_months and role.max_terms:
        limit = role.term_months * role.max_terms
        first, last = tenure(on_body, new)
        ends_by = add_months(first, limit) - ONE_DAY
        if last > ends_by:
            problems.append(
                SeatProblem(
                    "role",
                    Msg.counted(
                        NP_(
                            'role "{role}" allows {max_terms} term of {term_months} months'
                            " ({limit} months, up to {ends_by}): {person} would hold it"
                            " from {first} to {last}",
                            'role "{role}" allows {max_terms} consecutive terms of {term_months}'
                            " months ({limit} months, up to {ends_by}): {person} would hold it"
                            " from {first} to {last}",
                        ),
                        "max_terms",
                        role=role.id,
                        max_terms=role.max_terms,
                        term_months=role.term_months,
                        limit=limit,
                        ends_by=ends_by,
                        person=new.person,
                        first=first,
                        last=last,
                    ),
                )
            )
    return problems


def oracle_check(bylaws: Bylaws, seats: Iterable[Seat], new: Seat) -> list[SeatProblem]:
    if new.end is not None and new.end < new.start:
        return [
            SeatProblem(
                "to",
                Msg.of(
                    N_("the seat would end ({end}) before it starts ({start})"),
                    end=new.end,
                    start=new.start,
                ),
            )
        ]
    body = bylaws.bodies.get(new.body)
    if body is None:
        return [
            SeatProblem(
                "body",
                Msg.of(
                    N_('by-laws "{bylaws}" have no body "{body}"; their bodies are: {bodies}'),
                    bylaws=bylaws.id,
                    body=new.body,
                    bodies=_names(bylaws.bodies),
                ),
            )
        ]
    problems: list[SeatProblem] = []
    on_body = [s for s in seats if s.body == new.body]
    class_ok = True
    if new.member_class not in bylaws.classes:
        class_ok = False
        problems.append(
            SeatProblem(
                "class",
                Msg.of(
                    N_(
                        'by-laws "{bylaws}" have no class "{member_class}"; their classes are: {classes}'
                    ),
                    bylaws=bylaws.id,
                    member_class=new.member_class,
                    classes=_names(bylaws.classes),
                ),
            )
        )
    elif new.member_class not in body.class_ids:
        class_ok = False
        problems.append(
            SeatProblem(
                "class",
                Msg.of(
                    N_(
                        'class "{member_class}" has no seats on "{body}"; its classes are: {classes}'
                    ),
                    member_class=new.member_class,
                    body=new.body,
                    classes=_names(body.class_ids),
                ),
            )
        )
    for seat in on_body:
        if seat.person == new.person and overlaps(seat, new.start, new.end):
            problems.append(
                SeatProblem(
                    "person",
                    Msg.of(
                        N_('{person} already holds a seat on "{body}" from {start} to {end}')
                        if seat.end is not None
                        else N_('{person} already holds a seat on "{body}" since {start}'),
                        person=new.person,
                        body=new.body,
                        start=seat.start,
                        end=seat.end,
                    ),
                )
            )
            break
    cap = body.seats.get(new.member_class)
    if class_ok and cap is not None:
        same_class = [
            s
            for s in on_body
            if s.member_class == new.member_class and overlaps(s, new.start, new.end)
        ]
        count, day = oracle_most_at_once(same_class, new.start, new.end)
        if count + 1 > cap:
            problems.append(
                SeatProblem(
                    "class",
                    Msg.counted(
                        NP_(
                            '"{body}" has {cap} seat for class "{member_class}" and it is held'
                            " on {day}: end that seat first",
                            '"{body}" has {cap} seats for class "{member_class}" and all are held'
                            " on {day}: end a seat first",
                        ),
                        "cap",
                        body=new.body,
                        cap=cap,
                        member_class=new.member_class,
                        day=day,
                    ),
                )
            )
    if new.role is not None:
        role = bylaws.roles.get(new.role)
        if role is None:
            problems.append(
                SeatProblem(
                    "role",
                    Msg.of(
                        N_('by-laws "{bylaws}" have no role "{role}"; their roles are: {roles}'),
                        bylaws=bylaws.id,
                        role=new.role,
                        roles=_names(bylaws.roles),
                    ),
                )
            )
        else:
            problems.extend(oracle_role_problems(role, on_body, new))
    return problems


# --- random seats under the Best Start by-laws ------------------------------------------------

_model = load_valid(BYLAWS, date(2025, 1, 1)).model
assert _model is not None
BSMLA: Bylaws = _model

FIRST = date(2024, 1, 1)
# nlg: caps {resident 7, agency 3, business 1, funder 1}, role nlg_facilitator (12 x 2 months);
# finance: caps {resident 3, agency 2}, finance_chair (12 x 3); partnership: open classes,
# co_chairs (2 holders, 24 x 2) and secretary; "nowhere" is no body of these by-laws.
bodies = st.sampled_from(["nlg", "nlg", "finance", "partnership", "nowhere"])
classes = st.sampled_from(["resident", "resident", "agency", "business", "funder", "guest"])
ROLES = {
    "nlg": ["nlg_facilitator"],
    "finance": ["finance_chair"],
    "partnership": ["co_chairs", "co_chairs", "secretary"],
    "nowhere": [],
}
people = st.sampled_from([f"p{n}" for n in range(8)])


@st.composite
def seats(draw: st.DrawFn) -> Seat:
    """Mostly the roles of the seat's body, sometimes another body's or an unknown one."""
    body = draw(bodies)
    role = draw(
        st.one_of(
            st.none(),
            st.sampled_from([None, *ROLES[body]]),
            st.sampled_from([None, *ROLES[body]]),
            st.sampled_from(["nlg_facilitator", "co_chairs", "mayor"]),
        )
    )
    start = FIRST + timedelta(days=draw(st.integers(0, 1400)))
    length = draw(st.one_of(st.none(), st.integers(-5, 900), st.integers(300, 1600)))
    end = None if length is None else start + timedelta(days=length)
    return Seat(draw(people), body, draw(classes), start, end, role)


# Small windows so that seats crowd each other: caps, holders and runs of terms are reached.
crowded = st.builds(
    lambda base, seat: Seat(seat.person, seat.body, seat.member_class, *base, seat.role),
    st.tuples(
        st.integers(0, 90).map(lambda d: FIRST + timedelta(days=d * 7)),
        st.one_of(st.none(), st.integers(0, 90).map(lambda d: FIRST + timedelta(days=d * 7 + 6))),
    ),
    seats(),
)
# Yearly terms of two people in the one-holder roles: runs of consecutive terms, some too long.
terms = st.builds(
    lambda person, body_role, year, gap, open_end: Seat(
        person,
        body_role[0],
        "resident",
        FIRST + timedelta(days=365 * year + gap),
        None if open_end else FIRST + timedelta(days=365 * year + 364),
        body_role[1],
    ),
    st.sampled_from(["p0", "p1"]),
    st.sampled_from([("nlg", "nlg_facilitator"), ("finance", "finance_chair")]),
    st.integers(0, 4),
    st.integers(0, 2),
    st.booleans(),
)
any_seat = st.one_of(seats(), crowded, terms)


@settings(max_examples=300, deadline=None)
@given(st.lists(any_seat, max_size=40), any_seat)
def test_the_indexed_judgement_equals_the_old_one(held: list[Seat], new: Seat) -> None:
    assert check_seat(BSMLA, held, new) == oracle_check(BSMLA, held, new)
    assert HeldSeats(held).check(BSMLA, new) == oracle_check(BSMLA, held, new)


@settings(max_examples=200, deadline=None)
@given(st.lists(any_seat, max_size=40), any_seat)
def test_the_seats_that_count_are_all_the_judgement_needs(held: list[Seat], new: Seat) -> None:
    """What `member add` loads (`seats_that_count`, as its SQL filters it) judges alike."""
    member_class, role = seats_that_count(BSMLA, new)
    counted = [
        s
        for s in held
        if s.body == new.body
        and (
            s.person == new.person
            or (overlaps(s, new.start, new.end) and s.member_class == member_class)
            or (overlaps(s, new.start, new.end) and s.role is not None and s.role == role)
        )
    ]
    assert check_seat(BSMLA, counted, new) == oracle_check(BSMLA, held, new)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(any_seat, max_size=20),
    st.lists(st.tuples(any_seat, st.integers(0, 60), st.booleans()), max_size=40),
)
def test_an_import_judged_seat_by_seat_equals_the_old_rescans(
    stored: list[Seat], rows: list[tuple[Seat, int, bool]]
) -> None:
    """Adds and replacements, as `import members` makes them, judged against one index.

    A row replaces the first held seat with its natural key (body, person, from), keeping
    its place; the others are judged as the old import judged them: every seat but that one.
    """
    held = list(stored)
    index = HeldSeats(held)
    for row, pick, replaces in rows:
        if replaces and held:
            key = held[pick % len(held)]
            new = Seat(key.person, key.body, row.member_class, key.start, row.end, row.role)
            at = next(
                n
                for n, s in enumerate(held)
                if (s.body, s.person, s.start) == (new.body, new.person, new.start)
            )
            old: Seat | None = held[at]
            others = held[:at] + held[at + 1 :]
        else:
            new = row
            at, old, others = -1, None, held
        expected = oracle_check(BSMLA, others, new)
        assert index.check(BSMLA, new, replacing=old) == expected
        if expected:
            continue
        if old is None:
            held.append(new)
            index.add(new)
        else:
            held[at] = new
            index.replace(old, new)
    for row, _, _ in rows:  # the index still agrees after every change
        assert index.check(BSMLA, row) == oracle_check(BSMLA, held, row)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(any_seat, max_size=30),
    any_seat.map(lambda s: (s.start, s.end)),
)
def test_most_at_once_equals_the_old_count(
    held: list[Seat], window: tuple[date, date | None]
) -> None:
    assert most_at_once(held, *window) == oracle_most_at_once(held, *window)


def test_replacing_keeps_the_seat_a_refusal_names() -> None:
    """Two overlapping seats of one person: the one given first is the one named."""
    first = Seat("p1", "nlg", "resident", date(2024, 1, 1), date(2024, 12, 31))
    second = Seat("p1", "nlg", "resident", date(2024, 6, 1), None)
    index = HeldSeats([first, second])
    index.replace(first, Seat("p1", "nlg", "resident", date(2024, 1, 1), date(2024, 3, 31)))
    new = Seat("p1", "nlg", "agency", date(2024, 2, 1), None)
    (problem,) = index.check(BSMLA, new)
    assert problem.field == "person"
    assert problem.msg.params["end"] == date(2024, 3, 31)
