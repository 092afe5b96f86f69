"""Whether a vote or a proxy may be recorded: the refusal reason as data, or None.

Checks run in a fixed order so the first reason given is the most fundamental one (a
closed motion before a missing seat, a missing seat before a missing presence). Every
reason says what was wrong and, where it helps, what to do instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.model import (
    AttendanceEvent,
    Meeting,
    Motion,
    Proxy,
    Seat,
    Vote,
    present_at,
)
from comunidad_cli.core.governance.quorum import active_seats, class_votes
from comunidad_cli.core.messages import N_, Msg


def _seat_refusal(
    bylaws: Bylaws, person: str, seats: Iterable[Seat], body: str, day: date
) -> Msg | None:
    """Why `person` may not vote on `body` on `day` (no seat, or no voting seat)."""
    mine = [s for s in active_seats(seats, body, day) if s.person == person]
    if not mine:
        return Msg.of(
            N_(
                "{person} holds no seat on {body} on {day}: only seated members vote"
                " (add the seat with `comunidad member add` if it is missing)"
            ),
            person=person,
            body=body,
            day=day,
        )
    if not any(class_votes(bylaws, s.member_class) for s in mine):
        return Msg.of(
            N_('{person} sits on {body} as "{member_class}", a class without a vote'),
            person=person,
            body=body,
            member_class=mine[0].member_class,
        )
    return None


def _holder_count(proxies: Iterable[Proxy], holder: str) -> int:
    return sum(1 for p in proxies if p.holder == holder)


def check_vote(
    bylaws: Bylaws,
    *,
    meeting: Meeting,
    motion: Motion,
    vote: Vote,
    seats: Iterable[Seat],
    attendance: Iterable[AttendanceEvent],
    recused: Collection[str],
    votes_so_far: Iterable[Vote],
    proxies: Collection[Proxy],
) -> Msg | None:
    """The reason `vote` must be refused, or None when it may be recorded.

    `votes_so_far` are the motion's recorded votes, `proxies` the meeting's registered
    proxies, `attendance` the meeting's arrivals and departures. Entitlement is judged on
    the meeting's date, presence at the vote's time. A proxy vote (`cast_by` set to
    someone else) stands in for an absent member only: the holder must be present.
    """
    seats = tuple(seats)
    person = vote.person
    if motion.closed:
        return Msg.of(N_("motion {motion} is closed: no more votes"), motion=motion.id)
    if vote.at < meeting.opened_at:
        return Msg.of(
            N_("a vote at {at} is before meeting {meeting} opened at {opened}"),
            at=vote.at,
            meeting=meeting.id,
            opened=meeting.opened_at,
        )
    if meeting.ended_at is not None and vote.at > meeting.ended_at:
        return Msg.of(
            N_("a vote at {at} is after meeting {meeting} ended at {ended}"),
            at=vote.at,
            meeting=meeting.id,
            ended=meeting.ended_at,
        )
    if vote.at < motion.opened_at:
        return Msg.of(
            N_("a vote at {at} is before motion {motion} was put at {opened}"),
            at=vote.at,
            motion=motion.id,
            opened=motion.opened_at,
        )
    refusal = _seat_refusal(bylaws, person, seats, meeting.body, meeting.day)
    if refusal is not None:
        return refusal
    if person in recused:
        return Msg.of(
            N_("{person} is recused on motion {motion} (a declared conflict) and may not vote"),
            person=person,
            motion=motion.id,
        )
    if any(v.person == person for v in votes_so_far):
        return Msg.of(
            N_("{person} already voted on motion {motion}: a member votes once per motion"),
            person=person,
            motion=motion.id,
        )
    attendance = tuple(attendance)
    room = present_at(attendance, vote.at)
    holder = vote.cast_by
    if holder is None or holder == person:
        if person in room:
            return None
        if holder == person:
            return Msg.of(
                N_("{person} cannot vote by their own proxy: a member votes in person, present"),
                person=person,
            )
        return Msg.of(
            N_(
                "{person} is not present at {at}: record their arrival"
                " (`comunidad meeting attend`) before their vote"
            ),
            person=person,
            at=vote.at,
        )
    if person in room:
        return Msg.of(
            N_("{person} is present, so votes in person: the proxy held by {holder} lapses"),
            person=person,
            holder=holder,
        )
    if not bylaws.proxies_allowed:
        return Msg.of(
            N_("{person} is not present at {at}, and the by-laws do not allow proxies"),
            person=person,
            at=vote.at,
        )
    if holder not in room:
        return Msg.of(
            N_(
                "proxy holder {holder} is not present at {at}: whoever casts a vote must be present"
            ),
            holder=holder,
            at=vote.at,
        )
    if Proxy(holder=holder, giver=person) not in proxies:
        return Msg.of(
            N_(
                "{holder} holds no proxy from {person} for meeting {meeting}:"
                " register the proxy first"
            ),
            holder=holder,
            person=person,
            meeting=meeting.id,
        )
    given = sorted(p.holder for p in proxies if p.giver == holder)
    if given:
        return Msg.of(
            N_(
                "{holder} gave their own proxy to {other}, so cannot cast one:"
                " proxies go one level only"
            ),
            holder=holder,
            other=given[0],
        )
    limit = bylaws.proxies_max_per_holder
    count = _holder_count(proxies, holder)
    if limit is not None and count > limit:
        return Msg.of(
            N_("{holder} holds {count} proxies, more than the {limit} the by-laws allow"),
            holder=holder,
            count=count,
            limit=limit,
        )
    return None


def check_proxy(
    bylaws: Bylaws,
    proxies_so_far: Collection[Proxy],
    new_proxy: Proxy,
    seats: Iterable[Seat],
    body: str,
    day: date,
) -> Msg | None:
    """The reason `new_proxy` may not be registered for a meeting, or None.

    Allowed by the by-laws, not to oneself, one proxy per giver, one level only (the holder
    gave none, the giver holds none), within the per-holder limit, and both hold voting
    seats on the meeting's body on its date.
    """
    holder, giver = new_proxy.holder, new_proxy.giver
    if not bylaws.proxies_allowed:
        return Msg.of(N_("the by-laws do not allow proxies: members vote in person"))
    if holder == giver:
        return Msg.of(N_("{person} cannot give a proxy to themselves"), person=giver)
    already = sorted(p.holder for p in proxies_so_far if p.giver == giver)
    if already:
        return Msg.of(
            N_("{giver} already gave a proxy to {holder} for this meeting: one proxy each"),
            giver=giver,
            holder=already[0],
        )
    given = sorted(p.holder for p in proxies_so_far if p.giver == holder)
    if given:
        return Msg.of(
            N_(
                "{holder} gave their own proxy to {other}, so cannot hold one:"
                " proxies go one level only"
            ),
            holder=holder,
            other=given[0],
        )
    held = sorted(p.giver for p in proxies_so_far if p.holder == giver)
    if held:
        return Msg.of(
            N_(
                "{giver} holds a proxy from {other}, so cannot pass their vote on:"
                " proxies go one level only"
            ),
            giver=giver,
            other=held[0],
        )
    limit = bylaws.proxies_max_per_holder
    count = _holder_count(proxies_so_far, holder)
    if limit is not None and count >= limit:
        return Msg.of(
            N_(
                "{holder} already holds {count} proxies, the most the by-laws allow ({limit}):"
                " give this one to another member"
            ),
            holder=holder,
            count=count,
            limit=limit,
        )
    seats = tuple(seats)
    for person in (giver, holder):
        refusal = _seat_refusal(bylaws, person, seats, body, day)
        if refusal is not None:
            return refusal
    return None
