"""Seat rules: may this person take this seat, given the by-laws and the seats already held?

Pure: the by-laws model and the existing seats come in as data, refusals go out as `Msg`
data with the field they are about ("to", "body", "class", "person", "role"), so that
`member add` names the option and `import members` names the column. Dates are inclusive
at both ends (`Seat.active_on`): a seat ending on 30 June and one starting on 1 July do
not overlap, and together they are consecutive.

`HeldSeats` indexes the seats already held so that judging one more looks only at those it
could conflict with (the person's own on the body, and per-day counts of the class and the
role): an import of n seats is judged in about linear time, not n times over every seat.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from comunidad_cli.core.bylaws.model import Bylaws, Role
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.core.when import add_months

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SeatProblem:
    """Why a seat is refused, and which field of the request it is about."""

    field: str
    msg: Msg


def overlaps(a: Seat, start: date, end: date | None) -> bool:
    """Whether seat `a` is held on at least one day of [start, end] (None: open)."""
    return (end is None or a.start <= end) and (a.end is None or start <= a.end)


def most_at_once(seats: Iterable[Seat], start: date, end: date | None) -> tuple[int, date]:
    """The most of `seats` held on one day of [start, end], and the first such day."""
    return _Steps(seats).peak(start, end)


class _Steps:
    """How many of a group of seats are held on each day: a step function of the date.

    `levels[i]` seats are held on every day from `bounds[i]` up to the day before
    `bounds[i + 1]`. The count only rises on a day some seat starts, so the first day of
    the most seats at once inside a window is its start or one of these bounds.
    """

    __slots__ = ("bounds", "levels")

    def __init__(self, seats: Iterable[Seat] = ()) -> None:
        changes: Counter[date] = Counter()
        for seat in seats:
            if seat.end is not None and seat.end < seat.start:
                continue  # held on no day
            changes[seat.start] += 1
            if seat.end is not None and seat.end < date.max:
                changes[seat.end + ONE_DAY] -= 1
        self.bounds: list[date] = [date.min]
        self.levels: list[int] = [0]
        level = 0
        for day in sorted(changes):
            level += changes[day]
            if day == date.min:
                self.levels[0] = level
            else:
                self.bounds.append(day)
                self.levels.append(level)

    def _cut(self, day: date) -> int:
        """The index of the step starting on `day`, splitting the step that holds it."""
        i = bisect_right(self.bounds, day) - 1
        if self.bounds[i] != day:
            i += 1
            self.bounds.insert(i, day)
            self.levels.insert(i, self.levels[i - 1])
        return i

    def add(self, seat: Seat, delta: int) -> None:
        """Count `seat` (`delta` 1) or stop counting it (-1) on every day it is held."""
        if seat.end is not None and seat.end < seat.start:
            return
        first = self._cut(seat.start)
        after = (
            len(self.bounds)
            if seat.end is None or seat.end == date.max
            else self._cut(seat.end + ONE_DAY)
        )
        for i in range(first, after):
            self.levels[i] += delta

    def peak(self, start: date, end: date | None) -> tuple[int, date]:
        """The most seats held on one day of [start, end], and the first such day."""
        bounds, levels = self.bounds, self.levels
        first = bisect_right(bounds, start) - 1
        last = len(bounds) if end is None else max(bisect_right(bounds, end), first + 1)
        best, best_day = 0, start
        for i in range(first, last):
            if levels[i] > best:
                best, best_day = levels[i], max(bounds[i], start)
        return best, best_day


class HeldSeats:
    """The seats already held under one set of by-laws, indexed for judging one more.

    A person's seats on a body keep the order they were given in (the first overlapping one
    is the one a refusal names); a class's and a role's seats on a body are counted per day
    (`_Steps`), built the first time a cap or a role asks. Adding, replacing and judging a
    seat costs about the seats it could conflict with, not every seat held.
    """

    def __init__(self, seats: Iterable[Seat] = ()) -> None:
        self._mine: dict[tuple[str, str], list[Seat]] = {}
        self._groups: dict[tuple[str, str, str], Counter[Seat]] = {}
        self._steps: dict[tuple[str, str, str], _Steps] = {}
        for seat in seats:
            self.add(seat)

    def _keys(self, seat: Seat) -> Iterable[tuple[str, str, str]]:
        yield ("class", seat.body, seat.member_class)
        if seat.role is not None:
            yield ("role", seat.body, seat.role)

    def _count(self, seat: Seat, delta: int) -> None:
        for key in self._keys(seat):
            group = self._groups.setdefault(key, Counter())
            group[seat] += delta
            if not group[seat]:
                del group[seat]
            steps = self._steps.get(key)
            if steps is not None:
                steps.add(seat, delta)

    def add(self, seat: Seat) -> None:
        """Hold `seat` too."""
        self._mine.setdefault((seat.body, seat.person), []).append(seat)
        self._count(seat, 1)

    def _take(self, seat: Seat) -> int:
        """Stop holding `seat` (one held seat equal to it); where it stood among its person's."""
        mine = self._mine[(seat.body, seat.person)]
        at = mine.index(seat)
        del mine[at]
        self._count(seat, -1)
        return at

    def _put(self, seat: Seat, at: int) -> None:
        self._mine.setdefault((seat.body, seat.person), []).insert(at, seat)
        self._count(seat, 1)

    def replace(self, old: Seat, new: Seat) -> None:
        """Hold `new` in the place of `old` (a seat updated under the same natural key)."""
        self._put(new, self._take(old))

    def on(self, body: str, person: str) -> list[Seat]:
        """`person`'s seats on `body`, in the order they were added."""
        return self._mine.get((body, person), [])

    def group(self, kind: str, body: str, name: str) -> tuple[Counter[Seat], _Steps]:
        """The seats of a class (`kind` "class") or a role ("role") on `body`, and their
        count per day."""
        key = (kind, body, name)
        group = self._groups.get(key, Counter())
        steps = self._steps.get(key)
        if steps is None:
            steps = self._steps[key] = _Steps(group.elements())
        return group, steps

    def check(self, bylaws: Bylaws, new: Seat, replacing: Seat | None = None) -> list[SeatProblem]:
        """`check_seat` of `new` against these seats (without `replacing`, when given)."""
        if replacing is None:
            return _check(bylaws, self, new)
        at = self._take(replacing)
        try:
            return _check(bylaws, self, new)
        finally:
            self._put(replacing, at)


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


def _refusal(field: str, text: str, **params: Any) -> SeatProblem:
    """A reason to refuse a seat, about `field`, in words."""
    return SeatProblem(field, Msg.of(text, **params))


def _role_problems(role: Role, held: HeldSeats, new: Seat) -> list[SeatProblem]:
    problems: list[SeatProblem] = []
    if role.body is not None and role.body != new.body:
        return [
            _refusal(
                "role",
                N_('role "{role}" belongs to body "{role_body}", not to "{body}"'),
                role=role.id,
                role_body=role.body,
                body=new.body,
            )
        ]
    holding, steps = held.group("role", new.body, role.id)
    count, day = steps.peak(new.start, new.end)
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
                    people=_names(s.person for s in holding.elements() if s.active_on(day)),
                ),
            )
        )
    if role.term_months and role.max_terms:
        limit = role.term_months * role.max_terms
        first, last = tenure(held.on(new.body, new.person), new)
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
    stored seat (an import updating it), the caller leaves the stored one out. To judge many
    seats against the same held ones, build a `HeldSeats` once and call its `check`.
    """
    return _check(bylaws, HeldSeats(s for s in seats if s.body == new.body), new)


def seats_that_count(bylaws: Bylaws, new: Seat) -> tuple[str | None, str | None]:
    """The class and the role on `new.body` whose seats overlapping `new` `check_seat` counts.

    None where it counts none (no cap on the class, no such role). Besides these, it reads
    only the seats of `new.person` on `new.body`: a store can hand over just these seats.
    """
    body = bylaws.bodies.get(new.body)
    if body is None:
        return None, None
    capped = new.member_class if new.member_class in body.seats else None
    role = new.role if new.role is not None and new.role in bylaws.roles else None
    return capped, role


def _check(bylaws: Bylaws, held: HeldSeats, new: Seat) -> list[SeatProblem]:
    if new.end is not None and new.end < new.start:
        return [
            _refusal(
                "to",
                N_("the seat would end ({end}) before it starts ({start})"),
                end=new.end,
                start=new.start,
            )
        ]
    body = bylaws.bodies.get(new.body)
    if body is None:
        return [
            _refusal(
                "body",
                N_('by-laws "{bylaws}" have no body "{body}"; their bodies are: {bodies}'),
                bylaws=bylaws.id,
                body=new.body,
                bodies=_names(bylaws.bodies),
            )
        ]
    problems: list[SeatProblem] = []
    class_ok = True
    if new.member_class not in bylaws.classes:
        class_ok = False
        problems.append(
            _refusal(
                "class",
                N_(
                    'by-laws "{bylaws}" have no class "{member_class}"; their classes are: {classes}'
                ),
                bylaws=bylaws.id,
                member_class=new.member_class,
                classes=_names(bylaws.classes),
            )
        )
    elif new.member_class not in body.class_ids:
        class_ok = False
        problems.append(
            _refusal(
                "class",
                N_('class "{member_class}" has no seats on "{body}"; its classes are: {classes}'),
                member_class=new.member_class,
                body=new.body,
                classes=_names(body.class_ids),
            )
        )
    for seat in held.on(new.body, new.person):
        if overlaps(seat, new.start, new.end):
            problems.append(
                _refusal(
                    "person",
                    N_('{person} already holds a seat on "{body}" from {start} to {end}')
                    if seat.end is not None
                    else N_('{person} already holds a seat on "{body}" since {start}'),
                    person=new.person,
                    body=new.body,
                    start=seat.start,
                    end=seat.end,
                )
            )
            break
    cap = body.seats.get(new.member_class)
    if class_ok and cap is not None:
        count, day = held.group("class", new.body, new.member_class)[1].peak(new.start, new.end)
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
                _refusal(
                    "role",
                    N_('by-laws "{bylaws}" have no role "{role}"; their roles are: {roles}'),
                    bylaws=bylaws.id,
                    role=new.role,
                    roles=_names(bylaws.roles),
                )
            )
        else:
            problems.extend(_role_problems(role, held, new))
    return problems


def seated_on(seats: Iterable[Seat], body: str, day: date) -> list[Seat]:
    """The seats on `body` held on `day`, by class then person."""
    return sorted(
        (s for s in seats if s.body == body and s.active_on(day)),
        key=lambda s: (s.member_class, s.person, s.start),
    )
