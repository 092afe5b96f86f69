"""Partner agreements as data: the term in force, the reviews still pending, what is due or
overdue on a day, and the partnership-quality scores of each side. Pure: no I/O, no clock.

An agreement is a series of versions (number 0 the original, then amendments and renewals),
each signed once. Only signed versions count:

- **Terms**: the original's term, then each renewal's; an amendment that gives a new end
  moves the end of the term before it. An *ending* (a version of its own, signed when it is
  recorded, its term end the day the agreement ends) cuts the terms at that day: from then
  on the agreement is ended, nothing more is due, and a new agreement is a new one. On a day an agreement is in force (a term covers
  it), pending (a term begins later), ended, or a draft (nothing signed yet). A renewal is
  due at the end of the latest term.
- **Reviews**: every review date set by a signed version; each review held settles the
  earliest date still pending (the order they were held in does not matter, only how many).
- **Due on a day**: a pending review, or the term's end (its renewal), is *overdue* from the
  day after its date, and *due* from `within` days before it up to its date; a review dated
  after the latest term's end is not due (no term covers it), and nothing is due once the
  agreement has ended.
- **Quality**: each side's self-assessments with the partnership instrument, grouped into
  rounds and scored by the capacity rules (`core/capacity`); the change between a side's
  last two rounds; and, on the latest round of each side, the domains where they differ
  most (the absolute difference, largest first, ties in the instrument's order): in
  `core/agreements/quality.py`, apart, so that what reads agreements does not load the
  capacity engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from comunidad_cli.core.choices import parse
from comunidad_cli.core.messages import N_, Msg

ORIGINAL, AMENDMENT, RENEWAL, ENDING = "original", "amendment", "renewal", "ending"
KINDS = (ORIGINAL, AMENDMENT, RENEWAL, ENDING)
LEAD, PARTNER = "lead", "partner"
SIDES = (LEAD, PARTNER)
SIDE_WORDS = {LEAD: N_("our side"), PARTNER: N_("the partner")}
DIRECTIONS = ("out", "in", "both")
REVIEW, TERM_END = "review", "renewal"
DUE, OVERDUE = "due", "overdue"
DEFAULT_WITHIN = 60
QUALITY_INSTRUMENT = "calidad-alianza"


@dataclass(frozen=True, slots=True)
class Version:
    number: int
    kind: str
    term_start: date | None
    term_end: date | None
    signed_on: date | None

    @property
    def signed(self) -> bool:
        return self.signed_on is not None


def term_problem(start: date, end: date) -> Msg | None:
    """Why a term from `start` to `end` is not one."""
    if end <= start:
        return Msg.of(
            N_("the term ends on {end}, not after it starts on {start}"), start=start, end=end
        )
    return None


def direction_of(value: str) -> str | Msg:
    """out, in or both from the word typed in any language (`core/choices`), or why not."""
    return parse(value, DIRECTIONS)


def terms(versions: Sequence[Version]) -> list[tuple[date, date]]:
    """The terms of the signed versions, in order: the original's, then each renewal's; an
    amendment that gives an end moves the end of the term before it."""
    found: list[tuple[date, date]] = []
    for version in sorted(versions, key=lambda v: v.number):
        if not version.signed:
            continue
        if version.kind in (ORIGINAL, RENEWAL) and version.term_start and version.term_end:
            found.append((version.term_start, version.term_end))
        elif version.kind == AMENDMENT and version.term_end and found:
            found[-1] = (found[-1][0], version.term_end)
        elif version.kind == ENDING and version.term_end:
            day = version.term_end
            found = [(s, min(e, day)) for s, e in found if s <= day]
    return found


def term_in_force(versions: Sequence[Version]) -> tuple[date, date] | None:
    """The latest signed term (None before the original is signed): its end is the one a
    renewal is due at."""
    found = terms(versions)
    return found[-1] if found else None


def term_on(found: Sequence[tuple[date, date]], day: date) -> tuple[str, tuple[date, date] | None]:
    """The status on `day` and the term to show: in force (the term covering the day),
    pending (the next term to begin), ended (the last term), or draft (none signed)."""
    if not found:
        return "draft", None
    for term in found:
        if term[0] <= day <= term[1]:
            return "in_force", term
    later = [t for t in found if t[0] > day]
    if later:
        return "pending", later[0]
    return "ended", found[-1]


def pending_reviews(scheduled: Sequence[date], held: int) -> list[date]:
    """The review dates still pending: each review held settles the earliest one."""
    return sorted(scheduled)[max(held, 0) :]


@dataclass(frozen=True, slots=True)
class DueItem:
    what: str  # REVIEW or TERM_END
    day: date
    status: str  # DUE or OVERDUE
    days: int  # days overdue (OVERDUE) or left (DUE)


def due_item(what: str, day: date, today: date, within: int) -> DueItem | None:
    """`what` on `day` as seen on `today`: overdue, due within `within` days, or None."""
    if day < today:
        return DueItem(what, day, OVERDUE, (today - day).days)
    if day <= today + timedelta(days=within):
        return DueItem(what, day, DUE, (day - today).days)
    return None


def due_items(
    term: tuple[date, date] | None,
    reviews: Sequence[date],
    today: date,
    within: int,
    ended: date | None = None,
) -> list[DueItem]:
    """The pending reviews and the term's end that are due or overdue, earliest first:
    none once the agreement has `ended`, and no review dated after the latest term's end."""
    if ended is not None:
        return []
    found = [
        due_item(REVIEW, day, today, within) for day in reviews if term is None or day <= term[1]
    ]
    if term is not None:
        found.append(due_item(TERM_END, term[1], today, within))
    return sorted((f for f in found if f is not None), key=lambda f: (f.day, f.what))
