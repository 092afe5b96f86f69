"""Networks and territorial spaces, as data: the rules a representation, a commitment's
follow-up and a referral count obey. Pure: no I/O, no clock (the day is given)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from comunidad_cli.core.indicators.model import period_key
from comunidad_cli.core.messages import N_, Msg

DONE = "done"
CANCELLED = "cancelled"
STATUSES = (DONE, CANCELLED)
OPEN = "open"
OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Term:
    """One term of representation: who (a person's and/or an organisation's id) and when."""

    person: str | None
    org: str | None
    start: date
    end: date | None

    def holds_on(self, day: date) -> bool:
        """Whether this term covers `day` (the end day included)."""
        return self.start <= day and (self.end is None or day <= self.end)


def term_problem(start: date, end: date | None, today: date) -> Msg | None:
    """Why a term from `start` to `end` cannot be recorded, or None."""
    if end is not None and end < start:
        return Msg.of(
            N_("--to {end} is before --from {start}: a term ends on or after the day it starts"),
            end=end,
            start=start,
        )
    if start > today:
        return Msg.of(
            N_("--from {start} is in the future: record a representation once it has begun"),
            start=start,
        )
    return None


def overlap_problem(new: Term, terms: list[Term]) -> Msg | None:
    """A person (or, with no person, an organisation) already representing the entity in the
    space over part of `new`'s days: the history is never overwritten, so it is refused."""
    for term in terms:
        same = (new.person is not None and term.person == new.person) or (
            new.person is None and term.person is None and term.org == new.org
        )
        if not same:
            continue
        new_end = new.end or date.max
        old_end = term.end or date.max
        if new.start <= old_end and term.start <= new_end:
            return Msg.of(
                N_(
                    "{who} already represents the entity in this space from {start}: end that"
                    " term first (network leave) or choose days that do not overlap"
                ),
                who=new.person or new.org or "",
                start=term.start,
            )
    return None


def end_problem(term: Term, day: date) -> Msg | None:
    """Why a term cannot end on `day`, or None."""
    if day < term.start:
        return Msg.of(
            N_("--on {day} is before the term began ({start})"), day=day, start=term.start
        )
    return None


def status_on(due: date, closed: tuple[str, date] | None, day: date) -> str:
    """A commitment's status on `day`: done or cancelled once its follow-up (recorded for a
    day on or before `day`) says so; overdue from the day after its due day; else open."""
    if closed is not None and closed[1] <= day:
        return closed[0]
    return OVERDUE if due < day else OPEN


def follow_up_problem(
    status: str, on: date, taken_on: date, closed: tuple[str, date] | None, today: date
) -> Msg | None:
    """Why a follow-up cannot be recorded, or None: a commitment closed stays closed."""
    if closed is not None:
        text = (
            N_("this commitment was already marked done on {day}: what is closed stays closed")
            if closed[0] == DONE
            else N_("this commitment was already cancelled on {day}: what is closed stays closed")
        )
        return Msg.of(text, day=closed[1])
    if status not in STATUSES:
        return Msg.of(N_("--status must be done or cancelled, not {value}"), value=status)
    if on > today:
        return Msg.of(N_("--on {day} is in the future"), day=on)
    if on < taken_on:
        return Msg.of(
            N_("--on {day} is before the commitment was taken ({taken})"), day=on, taken=taken_on
        )
    return None


def period_problem(period: str) -> Msg | None:
    """Why `period` is not a period (2026, 2026-Q1, 2026-03), or None."""
    if period_key(period) is None:
        return Msg.of(
            N_(
                '"{period}" is not a period: write a year (2026), a quarter (2026-Q1) or a month'
                " (2026-03)"
            ),
            period=period,
        )
    return None


def count_problem(value: int) -> Msg | None:
    """A referral count is a whole number, zero or more."""
    if value < 0:
        return Msg.of(N_("a count cannot be negative ({value})"), value=value)
    return None
