"""The regional view: one workspace holding several partnerships' by-laws, summed up side
by side (pure: the figures are given, the rules of counting live here).

Definitions, so every figure can be re-derived by hand:

- a partnership is a by-laws id: a valid file in the workspace's by-laws folder, or an id
  the record names (meetings, seats, fund rounds, learning activities);
- bodies: the bodies its by-laws define; seats filled: its seats held on the period's
  last day, against the seats its bodies state (when every body states them);
- meetings held: its meetings called for a day within the period, up to today;
  decisions: their motions adopted, rejected and closed without quorum;
- money: subcontracts starting within the period (their budget in force by its last day,
  "committed") and what was paid to any subcontract within it ("paid"), per currency. A
  subcontract belongs to a partnership only when its fund round's body awarded it; the
  rest of the workspace's money is one line, not attributed (the schema links no grant
  to a partnership, and comunidad does not guess);
- learning: its activities held within the period, their hours and the people who took
  part (each person once, in the total too); activities without by-laws are not
  attributed;
- the total adds every row, the unattributed line included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from comunidad_cli.core.indicators.model import period_key

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Partnership:
    """A partnership as its by-laws define it (`bodies`: how many; `seats`: the seats its
    bodies state, None when a body states none)."""

    bylaws_id: str
    name: str | None
    bodies: int
    seats: int | None


@dataclass(frozen=True, slots=True)
class MeetingFact:
    bylaws_id: str
    day: date
    outcomes: dict[str, int]


@dataclass(frozen=True, slots=True)
class MoneyFact:
    bylaws_id: str | None
    currency: str
    start: date
    obligated: Decimal
    paid: Decimal


@dataclass(frozen=True, slots=True)
class ActivityFact:
    bylaws_id: str | None
    hours: Decimal
    participants: frozenset[int]


@dataclass(frozen=True, slots=True)
class Amounts:
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.committed + other.committed, self.paid + other.paid)


@dataclass(slots=True)
class Row:
    """One line of the view: a partnership, the money and learning not attributed to one
    (`bylaws_id` None, `unattributed`), or the total (`bylaws_id` None)."""

    bylaws_id: str | None
    name: str | None = None
    bodies: int = 0
    seats_filled: int = 0
    seats: int | None = None
    meetings: int = 0
    adopted: int = 0
    rejected: int = 0
    no_quorum: int = 0
    money: dict[str, Amounts] = field(default_factory=dict)
    activities: int = 0
    hours: Decimal = ZERO
    people: set[int] = field(default_factory=set)

    @property
    def participants(self) -> int:
        return len(self.people)

    def add_money(self, currency: str, amounts: Amounts) -> None:
        self.money[currency] = self.money.get(currency, Amounts()) + amounts


@dataclass(frozen=True, slots=True)
class RegionView:
    start: date
    end: date
    partnerships: tuple[Row, ...]
    unattributed: Row
    total: Row


def region_view(
    start: date,
    end: date,
    today: date,
    partnerships: Sequence[Partnership],
    seats: Iterable[str],
    meetings: Iterable[MeetingFact],
    money: Iterable[MoneyFact],
    activities: Iterable[ActivityFact],
) -> RegionView:
    """Every figure per partnership (by id), the line not attributed and the total.

    `seats` gives the by-laws id of each seat held on `end`; `meetings`, `money` and
    `activities` may hold facts outside the period: they are left out here."""
    rows = {
        p.bylaws_id: Row(p.bylaws_id, p.name, p.bodies, seats=p.seats)
        for p in sorted(partnerships, key=lambda p: p.bylaws_id)
    }
    loose = Row(None)

    def row_of(bylaws_id: str | None) -> Row:
        if bylaws_id is None:
            return loose
        return rows.setdefault(bylaws_id, Row(bylaws_id))

    for bylaws_id in seats:
        row_of(bylaws_id).seats_filled += 1
    held_until = min(end, today)
    for meeting in meetings:
        if not start <= meeting.day <= held_until:
            continue
        row = row_of(meeting.bylaws_id)
        row.meetings += 1
        row.adopted += meeting.outcomes.get("adopted", 0)
        row.rejected += meeting.outcomes.get("rejected", 0)
        row.no_quorum += meeting.outcomes.get("no_quorum", 0)
    for item in money:
        committed = item.obligated if start <= item.start <= end else ZERO
        if committed == ZERO and item.paid == ZERO:
            continue
        row_of(item.bylaws_id).add_money(item.currency, Amounts(committed, item.paid))
    for activity in activities:
        row = row_of(activity.bylaws_id)
        row.activities += 1
        row.hours += activity.hours
        row.people.update(activity.participants)
    ordered = tuple(rows[key] for key in sorted(rows))
    total = Row(None)
    stated = True
    for row in (*ordered, loose):
        total.bodies += row.bodies
        total.seats_filled += row.seats_filled
        if row is not loose:
            if row.seats is None:
                stated = False
            else:
                total.seats = (total.seats or 0) + row.seats
        total.meetings += row.meetings
        total.adopted += row.adopted
        total.rejected += row.rejected
        total.no_quorum += row.no_quorum
        for currency, amounts in row.money.items():
            total.add_money(currency, amounts)
        total.activities += row.activities
        total.hours += row.hours
        total.people |= row.people
    if not stated or not ordered:
        total.seats = None
    return RegionView(start, end, ordered, loose, total)


def period_within(period: str, start: date, end: date) -> bool:
    """Whether a referral period (2026, 2026-Q3, 2026-03) lies wholly within the days from
    `start` to `end`: a quarter half in the period is not counted (its counts cannot be
    split by day)."""
    key = period_key(period)
    if key is None:
        return False
    year, first, last = key
    begins = date(year, first, 1)
    ends = (date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)) - timedelta(days=1)
    return start <= begins and ends <= end
