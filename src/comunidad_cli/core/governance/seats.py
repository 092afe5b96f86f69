"""Seat rules: may this person take this seat, given the by-laws and the seats already held?

Pure: the by-laws model and the existing seats come in as data, refusals go out as `Msg`
data with the field they are about ("to", "body", "class", "person", "role"), so that
`member add` names the option and `import members` names the column. Dates are inclusive
at both ends (`Seat.active_on`): a seat ending on 30 June and one starting on 1 July do
not overlap, and together they are consecutive.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from comunidad_cli.core.bylaws.model import Bylaws, Role
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.messages import N_, NP_, Msg

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SeatProblem:
    """Why a seat is refused, and which field of the request it is about."""

    field: str
    msg: Msg


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def overlaps(a: Seat, start: date, end: date | None) -> bool:
    """Whether seat `a` is held on at least one day of [start, end] (None: open)."""
    return (end is None or a.start <= end) and (a.end is None or start <= a.end)


def most_at_once(seats: Sequence[Seat], start: date, end: date | None) -> tuple[int, date]:
    """The most of `seats` held on one day of [start, end], and the first such day.

    The count only rises on a day some seat starts, so those days (and `start`) suffice.
    """
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


def tenure(seats: Iterable[Seat], new: Seat) -> tuple[date, date]:
    """First and last day of the unbroken run of `new`'s person in `new`'s role on its body.

    Seats run on when the next starts at most the day after the previous ends. An open seat
    counts up to its start: how long it will last is not known yet.
    """
    mine: list[tuple[Seat, bool]] = [
        (s, False)
        for s in seats
        if s.person == new.person and s.body == new.body and s.role == new.role
    ]
    mine.append((new, True))
    mine.sort(key=lambda pair: pair[0].start)
    runs: list[tuple[date, date, bool]] = []  # first, last, contains new
    for seat, is_new in mine:
        last = seat.end if seat.end is not None else seat.start
        if runs and seat.start <= runs[-1][1] + ONE_DAY:
            first, previous, has_new = runs[-1]
            runs[-1] = (first, max(previous, last), has_new or is_new)
        else:
            runs.append((seat.start, last, is_new))
    return next((first, last) for first, last, has_new in runs if has_new)


def _role_problems(role: Role, on_body: Sequence[Seat], new: Seat) -> list[SeatProblem]:
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
    count, day = most_at_once(holding, new.start, new.end)
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


def check_seat(bylaws: Bylaws, seats: Iterable[Seat], new: Seat) -> list[SeatProblem]:
    """Every reason the by-laws and the seats already held refuse `new`; empty: allowed.

    `seats` are the seats held under the same by-laws, on any body; when `new` replaces a
    stored seat (an import updating it), the caller leaves the stored one out.
    """
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
        count, day = most_at_once(same_class, new.start, new.end)
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
            problems.extend(_role_problems(role, on_body, new))
    return problems


def seated_on(seats: Iterable[Seat], body: str, day: date) -> list[Seat]:
    """The seats on `body` held on `day`, by class then person."""
    return sorted(
        (s for s in seats if s.body == body and s.active_on(day)),
        key=lambda s: (s.member_class, s.person, s.start),
    )
