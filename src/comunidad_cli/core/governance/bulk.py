"""The governance rules for many rows at once: the same answers, precomputed per meeting.

`present_at` and `check_vote` judge one question from a meeting's whole log, which is right
for one command and quadratic for an import of a million votes. Here the log is turned,
once per meeting, into what those functions would compute again and again:

- `Presence`: one person's arrivals and departures as sorted instants with the state after
  each, so "present at t?" is one bisection (`present_at` replays the whole log);
- `attendance_refusals`: the refusals `meeting attend` / `meeting leave` would give to a
  person's new arrivals and departures recorded one by one in time order, in O(1) each;
- `VoteJudge`: `check_vote` with the seats, the room and the proxies of one meeting
  precomputed, in O(1) + one bisection per vote.

Pure, and checked against `present_at` and `check_vote` on random data (tests), so the two
paths cannot drift apart: every refusal is the very `Msg` the one-at-a-time rule gives.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.model import (
    AttendanceEvent,
    Meeting,
    Motion,
    Proxy,
    Seat,
    Vote,
)
from comunidad_cli.core.governance.quorum import active_seats, voting_members
from comunidad_cli.core.messages import N_, NP_, Msg

_TICK = timedelta(microseconds=1)

# --- presence ------------------------------------------------------------------------------


class Presence:
    """Whether one person is in the room at any instant, from their arrivals and departures.

    Agrees with `present_at` for every instant and any events (even ones that do not
    alternate): events at one instant are replayed departures first, and an event at
    exactly `t` counts at `t`.
    """

    __slots__ = ("span", "states", "times")

    def __init__(self, events: Sequence[AttendanceEvent]) -> None:
        self.times: list[datetime] = []
        self.states: list[bool] = []
        here = False
        ordered = events if len(events) == 1 else sorted(events, key=lambda e: (e.at, e.arrived))
        for event in ordered:
            here = event.arrived
            if self.times and self.times[-1] == event.at:
                self.states[-1] = here
            else:
                self.times.append(event.at)
                self.states.append(here)
        #: `(arrived, left)` for someone present exactly from `arrived` until `left` (None:
        #: stayed on); None for someone who came and went more than once.
        self.span: tuple[datetime, datetime | None] | None = None
        if self.states == [True]:
            self.span = (self.times[0], None)
        elif self.states == [True, False]:
            self.span = (self.times[0], self.times[1])

    def at(self, when: datetime) -> bool:
        index = bisect_right(self.times, when)
        return index > 0 and self.states[index - 1]

    def left(self, when: datetime) -> datetime | None:
        """When the person last left, if they are away at `when` after having been here."""
        index = bisect_right(self.times, when)
        if index > 0 and not self.states[index - 1]:
            return self.times[index - 1]
        return None


class Room:
    """Everyone's `Presence` at one meeting."""

    __slots__ = ("people",)

    def __init__(self, events: Iterable[AttendanceEvent]) -> None:
        mine: dict[str, list[AttendanceEvent]] = defaultdict(list)
        for event in events:
            mine[event.person].append(event)
        self.people: dict[str, Presence] = {p: Presence(e) for p, e in mine.items()}

    def is_present(self, person: str, when: datetime) -> bool:
        presence = self.people.get(person)
        return presence is not None and presence.at(when)

    def present_at(self, when: datetime) -> frozenset[str]:
        """The same set as `present_at(events, when)`."""
        return frozenset(p for p, presence in self.people.items() if presence.at(when))


# --- attendance -----------------------------------------------------------------------------


def attendance_refusals(
    person: str, stored: Sequence[AttendanceEvent], new: Sequence[AttendanceEvent]
) -> list[Msg | None]:
    """Why each of `person`'s `new` events would be refused, in the order given (None: not).

    As if each were recorded with `meeting attend` / `meeting leave` after `stored`, in time
    order (departures first at one instant, as `present_at` replays them), a refused one
    not being recorded: no event before one already recorded, no arriving while present
    and no leaving while absent.
    """
    last: datetime | None = None  # the latest instant recorded so far
    before = False  # presence after every event earlier than `last`
    arrivals = departures = False  # events at `last`
    for event in sorted(stored, key=lambda e: (e.at, e.arrived)):
        if last is None or event.at > last:
            before = _state(before, arrivals, departures)
            last, arrivals, departures = event.at, False, False
        if event.arrived:
            arrivals = True
        else:
            departures = True
    refusals: list[Msg | None] = [None] * len(new)
    order = sorted(range(len(new)), key=lambda i: (new[i].at, new[i].arrived))
    for index in order:
        event = new[index]
        if last is not None and event.at < last:
            refusals[index] = Msg.of(
                N_("{person} already has arrivals or departures after {at}: record times in order"),
                person=person,
                at=event.at,
            )
            continue
        here = _state(before, arrivals, departures)  # present_at(log, event.at)
        if event.arrived and here:
            refusals[index] = Msg.of(
                N_("{person} is already present at {at}"), person=person, at=event.at
            )
            continue
        if not event.arrived and not here:
            refusals[index] = Msg.of(
                N_("{person} is not present at {at}, so cannot leave"), person=person, at=event.at
            )
            continue
        if last is None or event.at > last:
            before = here
            last, arrivals, departures = event.at, False, False
        if event.arrived:
            arrivals = True
        else:
            departures = True
    return refusals


def _state(before: bool, arrivals: bool, departures: bool) -> bool:
    """Presence after replaying one instant's events (departures first) on `before`."""
    if arrivals:
        return True
    if departures:
        return False
    return before


# --- votes ----------------------------------------------------------------------------------


def no_voting_seat(person: str, body: str, day: date, member_class: str | None) -> Msg:
    """The refusal of a vote (or a proxy) from someone without a voting seat on `body` on
    `day`: no seat at all (`member_class` None), or a seat in a class without a vote."""
    if member_class is None:
        return Msg.of(
            N_(
                "{person} holds no seat on {body} on {day}: only seated members vote"
                " (add the seat with `comunidad member add` if it is missing)"
            ),
            person=person,
            body=body,
            day=day,
        )
    return Msg.of(
        N_('{person} sits on {body} as "{member_class}", a class without a vote'),
        person=person,
        body=body,
        member_class=member_class,
    )


class VoteJudge:
    """`check_vote` for one meeting, with its seats, room and proxies precomputed.

    `refusal(motion, vote, recused, voted)` returns exactly what
    `check_vote(bylaws, meeting=..., motion=motion, vote=vote, seats=..., attendance=...,
    recused=recused, votes_so_far=<votes by the people in voted>, proxies=...)` returns.
    """

    def __init__(
        self,
        bylaws: Bylaws,
        meeting: Meeting,
        seats: Iterable[Seat],
        attendance: Iterable[AttendanceEvent],
        proxies: Iterable[Proxy],
    ) -> None:
        self.bylaws = bylaws
        self.meeting = meeting
        self.day = meeting.day
        seats = tuple(seats)
        self.seats = seats
        self.entitled: Mapping[str, str] = voting_members(bylaws, meeting.body, seats, self.day)
        first_class: dict[str, str] = {}
        for seat in active_seats(seats, meeting.body, self.day):
            first_class.setdefault(seat.person, seat.member_class)
        #: Seated people without a vote -> the class `check_vote` names.
        self.no_vote: dict[str, str] = {
            p: c for p, c in first_class.items() if p not in self.entitled
        }
        self.room = Room(attendance)
        proxies = tuple(proxies)
        self.proxies = frozenset(proxies)
        given: dict[str, list[str]] = defaultdict(list)
        for proxy in proxies:
            given[proxy.giver].append(proxy.holder)
        self.given = {giver: sorted(holders) for giver, holders in given.items()}
        self.held = Counter(p.holder for p in proxies)
        self._windows: dict[str, tuple[datetime, datetime]] | None = None

    def windows(self) -> dict[str, tuple[datetime, datetime]]:
        """For each member present just once, `(lo, hi)`: their vote in person at `at` is
        accepted by `check` when `lo <= at < hi`, the motion is open and was put at or before
        `at`, and they are neither recused nor have voted. A million votes are judged by a
        few comparisons each; members who came and went more than once, and proxies, are
        left to `check`. Computed once per meeting.
        """
        if self._windows is not None:
            return self._windows
        meeting = self.meeting
        opened = meeting.opened_at
        # `at <= ended` is `at < ended + 1 µs`: times have microseconds at most.
        ended = (
            meeting.ended_at + _TICK
            if meeting.ended_at is not None
            else datetime.max.replace(tzinfo=opened.tzinfo)
        )
        found: dict[str, tuple[datetime, datetime]] = {}
        people = self.room.people
        for person in self.entitled:
            presence = people.get(person)
            span = presence.span if presence is not None else None
            if span is None:
                continue
            arrived, left = span
            lo = max(opened, arrived)
            hi = ended if left is None else min(ended, left)
            if lo < hi:
                found[person] = (lo, hi)
        self._windows = found
        return found

    def seat_refusal(self, person: str) -> Msg | None:
        """Why `person` may not vote at this meeting for want of a (voting) seat."""
        if person in self.entitled:
            return None
        return no_voting_seat(person, self.meeting.body, self.day, self.no_vote.get(person))

    def refusal(
        self, motion: Motion, vote: Vote, recused: Collection[str], voted: Collection[str]
    ) -> Msg | None:
        """The reason `vote` must be refused, or None; `voted`: who already voted on `motion`."""
        return self.check(motion, vote.person, vote.at, vote.cast_by, recused, voted)

    def check(
        self,
        motion: Motion,
        person: str,
        at: datetime,
        cast_by: str | None,
        recused: Collection[str],
        voted: Collection[str],
    ) -> Msg | None:
        """`refusal` for a vote given by its parts (no `Vote` made per row of an import)."""
        meeting = self.meeting
        if motion.closed_at is not None:
            return Msg.of(N_("motion {motion} is closed: no more votes"), motion=motion.id)
        if at < meeting.opened_at:
            return Msg.of(
                N_("a vote at {at} is before meeting {meeting} opened at {opened}"),
                at=at,
                meeting=meeting.id,
                opened=meeting.opened_at,
            )
        if meeting.ended_at is not None and at > meeting.ended_at:
            return Msg.of(
                N_("a vote at {at} is after meeting {meeting} ended at {ended}"),
                at=at,
                meeting=meeting.id,
                ended=meeting.ended_at,
            )
        if at < motion.opened_at:
            return Msg.of(
                N_("a vote at {at} is before motion {motion} was put at {opened}"),
                at=at,
                motion=motion.id,
                opened=motion.opened_at,
            )
        if person not in self.entitled:
            return self.seat_refusal(person)
        if person in recused:
            reason = recused.get(person) if isinstance(recused, Mapping) else None
            if reason:  # the recusal's own words: declared, or found by the directory
                return Msg.of(
                    N_("{person} is recused on motion {motion} ({reason}) and may not vote"),
                    person=person,
                    motion=motion.id,
                    reason=reason,
                )
            return Msg.of(
                N_("{person} is recused on motion {motion} (a declared conflict) and may not vote"),
                person=person,
                motion=motion.id,
            )
        if person in voted:
            return Msg.of(
                N_("{person} already voted on motion {motion}: a member votes once per motion"),
                person=person,
                motion=motion.id,
            )
        holder = cast_by
        room = self.room
        if holder is None or holder == person:
            if room.is_present(person, at):
                return None
            if holder == person:
                return Msg.of(
                    N_(
                        "{person} cannot vote by their own proxy: a member votes in person, present"
                    ),
                    person=person,
                )
            presence = room.people.get(person)
            left = presence.left(at) if presence is not None else None
            if left is not None:
                return Msg.of(
                    N_("{person} left at {left}, before their vote at {at}, and may not vote"),
                    person=person,
                    left=left,
                    at=at,
                )
            return Msg.of(
                N_(
                    "{person} is not present at {at}: record their arrival"
                    " (`comunidad meeting attend`) before their vote"
                ),
                person=person,
                at=at,
            )
        return self._proxy_refusal(person, holder, at)

    def _proxy_refusal(self, person: str, holder: str, at: datetime) -> Msg | None:
        room = self.room
        if room.is_present(person, at):
            return Msg.of(
                N_("{person} is present, so votes in person: the proxy held by {holder} lapses"),
                person=person,
                holder=holder,
            )
        if not self.bylaws.proxies_allowed:
            return Msg.of(
                N_("{person} is not present at {at}, and the by-laws do not allow proxies"),
                person=person,
                at=at,
            )
        if not room.is_present(holder, at):
            return Msg.of(
                N_(
                    "proxy holder {holder} is not present at {at}: whoever casts a vote must be present"
                ),
                holder=holder,
                at=at,
            )
        if Proxy(holder=holder, giver=person) not in self.proxies:
            return Msg.of(
                N_(
                    "{holder} holds no proxy from {person} for meeting {meeting}:"
                    " register the proxy first"
                ),
                holder=holder,
                person=person,
                meeting=self.meeting.id,
            )
        given = self.given.get(holder)
        if given:
            return Msg.of(
                N_(
                    "{holder} gave their own proxy to {other}, so cannot cast one:"
                    " proxies go one level only"
                ),
                holder=holder,
                other=given[0],
            )
        limit = self.bylaws.proxies_max_per_holder
        count = self.held[holder]
        if limit is not None and count > limit:
            return Msg.counted(
                NP_(
                    "{holder} holds {count} proxy, more than the {limit} the by-laws allow",
                    "{holder} holds {count} proxies, more than the {limit} the by-laws allow",
                ),
                "count",
                holder=holder,
                count=count,
                limit=limit,
            )
        return None
