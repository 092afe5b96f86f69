"""Learning, as data: the hours of an activity and of a person in it, the learning record of a
person or an organisation, and the refusals. Pure: no I/O, no clock (the day is given).

Hours are exact Decimals with at most two decimals, read like money: typed the locale's
way, the other convention refused, and three decimals after one to three digits ("1.250",
"3,480") refused as a question, since they may be a thousands group written the other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from comunidad_cli.core.choices import fold
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.values import money, typed_decimals, written
from comunidad_cli.core.messages import N_, Msg

#: The hours columns hold 12 digits, two after the point.
MAX_HOURS = Decimal("1e10")


def hours_problem(hours: Decimal, decimal_mark: str | None) -> Msg | None:
    """Why `hours`, as typed, cannot be recorded, or None: more than zero, below
    `MAX_HOURS`, at most two decimals. Three decimals after a whole part of one to three
    digits ask whether a thousands group was meant (1.250 -> did you mean 1,250?)."""
    shown = written(hours, decimal_mark)
    if not hours.is_finite() or hours <= 0:
        return Msg.of(N_("{value}: hours must be more than zero"), value=shown)
    if hours >= MAX_HOURS:
        return Msg.of(N_("{value}: too many hours"), value=shown)
    if typed_decimals(hours) <= 2:
        return None
    if decimal_mark is not None and typed_decimals(hours) == 3 and 1 <= hours < 1000:
        return Msg.of(
            N_("{value}: hours have at most two decimals; did you mean {suggestion}?"),
            value=shown,
            suggestion=written(hours.scaleb(3), decimal_mark),
        )
    return Msg.of(N_("{value}: hours have at most two decimals"), value=shown)


def parse_hours(value: str, decimal_mark: str | None, *, origin: str = "file") -> Decimal:
    """Hours typed the way of a locale (`decimal_mark`, None for JSON), exact; `Invalid`
    saying why not, never a guess."""
    hours: Decimal = money(decimal_mark, origin=origin)(value.strip())
    problem = hours_problem(hours, decimal_mark)
    if problem is not None:
        raise Invalid(problem)
    return hours


def attended_problem(hours: Decimal, activity_hours: Decimal) -> Msg | None:
    """A participant attends at most the activity's hours."""
    if hours > activity_hours:
        return Msg.of(
            N_("{hours} hours is more than the activity's {total}"),
            hours=hours,
            total=activity_hours,
        )
    return None


def attended(hours: Decimal | None, activity_hours: Decimal) -> Decimal:
    """The hours a participant counts: theirs when recorded, else the whole activity's."""
    return activity_hours if hours is None else hours


def stored_hours(hours: Decimal | None, activity_hours: Decimal) -> Decimal | None:
    """What is stored for a participant: None when they attended the whole activity."""
    return None if hours is None or hours == activity_hours else hours


def unknown_person(key: str, known: Iterable[str]) -> Msg:
    """A person not in the directory, with the closest id as a suggestion when one is near
    (`core/suggest.py`, as every mistyped id)."""
    from comunidad_cli.core.suggest import meant

    otherwise = Msg.of(N_('no person with id "{key}": see "comunidad person list"'), key=key)
    return meant("person", key, known, otherwise)


def same_word(value: str | None, wanted: str) -> bool:
    """Whether a topic, cycle or tag is the one asked for (case and accents aside)."""
    return value is not None and fold(value) == fold(wanted)


# --- the learning record -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Participation:
    """One person in one activity: what the record counts."""

    activity: str
    title: str
    day: date
    topic: str
    cycle: str | None
    person: str
    org: str | None
    hours: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """Distinct activities, distinct people and the hours they attended (person-hours)."""

    activities: int
    people: int
    hours: Decimal


@dataclass(frozen=True, slots=True)
class Record:
    """A person's or an organisation's learning: every participation, the totals, and the
    totals by topic and by cycle (in order of first appearance; no cycle is None)."""

    entries: tuple[Participation, ...]
    total: Totals
    by_topic: tuple[tuple[str, Totals], ...]
    by_cycle: tuple[tuple[str | None, Totals], ...]


def totals(entries: Sequence[Participation]) -> Totals:
    return Totals(
        len({e.activity for e in entries}),
        len({e.person for e in entries}),
        sum((e.hours for e in entries), Decimal(0)),
    )


def record(entries: Sequence[Participation]) -> Record:
    """The record of `entries` (already in the order they are shown: by day)."""
    topics: dict[str, list[Participation]] = {}
    cycles: dict[str | None, list[Participation]] = {}
    for entry in entries:
        topics.setdefault(entry.topic, []).append(entry)
        cycles.setdefault(entry.cycle, []).append(entry)
    return Record(
        tuple(entries),
        totals(entries),
        tuple((topic, totals(group)) for topic, group in topics.items()),
        tuple((cycle, totals(group)) for cycle, group in cycles.items()),
    )
