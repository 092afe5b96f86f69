"""The facts the governance engine judges: seats, attendance, proxies and votes.

All frozen: a tally is re-derived from the same facts at any later time, so nothing the
engine receives may change under it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Seat:
    """A person's dated seat on a body, in one membership class (and maybe a role)."""

    person: str
    body: str
    member_class: str
    start: date
    end: date | None
    role: str | None = None

    def active_on(self, day: date) -> bool:
        """Seated on `day`: both ends inclusive, an open end means still seated."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class AttendanceEvent:
    """An arrival (`arrived=True`) or a departure at a meeting, with its time."""

    person: str
    at: datetime
    arrived: bool


def present_at(events: Iterable[AttendanceEvent], at: datetime) -> frozenset[str]:
    """Who is in the room at instant `at`, replaying arrivals and departures in time order.

    Events at exactly `at` count. The input order does not matter: events are sorted by
    time, and at one same instant a departure is replayed before an arrival, so a person
    recorded leaving and coming back within the same clock tick is present.
    """
    present: set[str] = set()
    for event in sorted(
        (e for e in events if e.at <= at), key=lambda e: (e.at, e.arrived, e.person)
    ):
        if event.arrived:
            present.add(event.person)
        else:
            present.discard(event.person)
    return frozenset(present)


@dataclass(frozen=True, slots=True)
class Proxy:
    """`giver` lets `holder` cast their vote at one meeting."""

    holder: str
    giver: str


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


@dataclass(frozen=True, slots=True)
class Vote:
    """`person`'s vote; `cast_by` is the proxy holder who cast it, None when in person."""

    person: str
    choice: Choice
    at: datetime
    cast_by: str | None = None


class Outcome(StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"


@dataclass(frozen=True, slots=True)
class Meeting:
    """A sitting of one body: when it opened and, once it has, when it ended."""

    id: str
    body: str
    opened_at: datetime
    ended_at: datetime | None = None

    @property
    def day(self) -> date:
        """The date that decides who holds a seat, for votes and tallies alike."""
        return self.opened_at.date()


@dataclass(frozen=True, slots=True)
class Motion:
    """A question put to a meeting: open from `opened_at` until it is closed."""

    id: str
    opened_at: datetime
    closed_at: datetime | None = None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None
