"""The power report of one body over a period, by membership class (pure).

Definitions, so every figure can be re-derived by hand:

- seats: the seats on the body active on the first day of the period and on the last
  (a seat covers both its ends), and the person-days seated within the period (each seat's
  days inside the period, ends included), which weighs a seat held for a week against one
  held all year;
- presence: over the body's meetings in the period, the members of the class seated on the
  meeting's day who arrived at it, against all those seated then (a rate per class);
- votes cast: the votes counted at close (the closed motion's snapshot: entitled, not
  recused, one per person), by the class the member voted in;
- motions carried with the class's majority: adopted motions in which the class's yes
  outnumbered its no; without it: every other adopted motion (the class voted it down,
  split evenly, or cast no yes or no at all).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from comunidad_cli.core.governance.model import Seat


@dataclass(frozen=True, slots=True)
class MotionVotes:
    """A closed motion as its snapshot recorded it: the outcome and each counted vote's
    class and choice ("yes", "no", "abstain")."""

    outcome: str
    votes: tuple[tuple[str, str], ...]  # (class, choice)


@dataclass(frozen=True, slots=True)
class MeetingPresence:
    """One meeting of the body in the period: its day, who arrived, its closed motions."""

    day: date
    arrived: frozenset[str]
    motions: tuple[MotionVotes, ...]


@dataclass(frozen=True, slots=True)
class ClassPower:
    member_class: str
    seats_start: int
    seats_end: int
    person_days: int
    present: int
    expected: int
    yes: int
    no: int
    abstain: int
    carried_with: int
    carried_without: int

    @property
    def presence(self) -> Fraction | None:
        """Share of the class's seated members who came, over the period's meetings."""
        return Fraction(self.present, self.expected) if self.expected else None

    @property
    def votes_cast(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass(frozen=True, slots=True)
class PowerReport:
    body: str
    start: date
    end: date
    meetings: int
    motions_closed: int
    motions_adopted: int
    classes: tuple[ClassPower, ...]


def _days_within(seat: Seat, start: date, end: date) -> int:
    first = max(seat.start, start)
    last = min(seat.end, end) if seat.end is not None else end
    return max((last - first).days + 1, 0)


def _seated(seats: Iterable[Seat], day: date) -> dict[str, str]:
    """Person -> class of everyone seated on `day` (first seat wins, as for quorum)."""
    found: dict[str, str] = {}
    for seat in sorted(seats, key=lambda s: (s.start, s.person, s.member_class)):
        if seat.active_on(day):
            found.setdefault(seat.person, seat.member_class)
    return found


def power_report(
    body: str,
    start: date,
    end: date,
    seats: Sequence[Seat],
    meetings: Sequence[MeetingPresence],
    class_order: Sequence[str] = (),
) -> PowerReport:
    """Every figure by class; classes in `class_order` (the by-laws' order), then any other
    class met in the seats or the votes, by id."""
    seats = [s for s in seats if s.body == body]
    met = {s.member_class for s in seats} | {
        c for m in meetings for motion in m.motions for c, _ in motion.votes
    }
    order = [c for c in class_order if c in met] + sorted(met - set(class_order))
    rows: list[ClassPower] = []
    adopted = [motion for m in meetings for motion in m.motions if motion.outcome == "adopted"]
    for member_class in order:
        mine = [s for s in seats if s.member_class == member_class]
        expected = present = 0
        for meeting in meetings:
            seated = {p for p, c in _seated(seats, meeting.day).items() if c == member_class}
            expected += len(seated)
            present += len(seated & meeting.arrived)
        counts = {"yes": 0, "no": 0, "abstain": 0}
        for m in meetings:
            for motion in m.motions:
                for c, choice in motion.votes:
                    if c == member_class and choice in counts:
                        counts[choice] += 1
        carried_with = sum(
            1
            for motion in adopted
            if sum(1 for c, v in motion.votes if c == member_class and v == "yes")
            > sum(1 for c, v in motion.votes if c == member_class and v == "no")
        )
        rows.append(
            ClassPower(
                member_class=member_class,
                seats_start=sum(1 for s in mine if s.active_on(start)),
                seats_end=sum(1 for s in mine if s.active_on(end)),
                person_days=sum(_days_within(s, start, end) for s in mine),
                present=present,
                expected=expected,
                yes=counts["yes"],
                no=counts["no"],
                abstain=counts["abstain"],
                carried_with=carried_with,
                carried_without=len(adopted) - carried_with,
            )
        )
    return PowerReport(
        body=body,
        start=start,
        end=end,
        meetings=len(meetings),
        motions_closed=sum(len(m.motions) for m in meetings),
        motions_adopted=len(adopted),
        classes=tuple(rows),
    )


def counted_votes(snapshot: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(class, choice) of each vote a closed motion's snapshot counted: the voter was
    entitled, not recused, and it is their first vote (as the tally counts)."""
    entitled = {
        e["person"]: e["class"] for e in snapshot.get("entitled", ()) if isinstance(e, dict)
    }
    recused = {r["person"] for r in snapshot.get("recused", ()) if isinstance(r, dict)}
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    voters = [v for v in snapshot.get("voters", ()) if isinstance(v, dict)]
    for vote in sorted(voters, key=lambda v: (v["at"], v["person"], v["choice"])):
        person = vote["person"]
        if person in entitled and person not in recused and person not in seen:
            seen.add(person)
            out.append((entitled[person], vote["choice"]))
    return tuple(out)
