"""Whether a vote or a proxy may be recorded: the refusal reason as data, or None.

Checks run in a fixed order so the first reason given is the most fundamental one (a
closed motion before a missing seat, a missing seat before a missing presence). Every
reason says what was wrong and, where it helps, what to do instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.bulk import VoteJudge, no_voting_seat
from comunidad_cli.core.governance.model import (
    AttendanceEvent,
    Meeting,
    Motion,
    Proxy,
    Seat,
    Vote,
)
from comunidad_cli.core.governance.quorum import active_seats, class_votes
from comunidad_cli.core.messages import N_, NP_, Msg


def _seat_refusal(
    bylaws: Bylaws, person: str, seats: Iterable[Seat], body: str, day: date
) -> Msg | None:
    """Why `person` may not vote on `body` on `day` (no seat, or no voting seat)."""
    mine = [s for s in active_seats(seats, body, day) if s.person == person]
    if any(class_votes(bylaws, s.member_class) for s in mine):
        return None
    return no_voting_seat(person, body, day, mine[0].member_class if mine else None)


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
    `recused` given as a mapping person -> reason has a refused vote say that reason (an
    award's recusals are found by the directory, not declared).

    The rule is written once, in `bulk.VoteJudge` (which an import builds once per meeting
    and asks a million times): one vote is judged by a judge built for it.
    """
    voted = {v.person for v in votes_so_far}
    return VoteJudge(bylaws, meeting, seats, attendance, proxies).refusal(
        motion, vote, recused, voted
    )


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
        return Msg.counted(
            NP_(
                "{holder} already holds {count} proxy, the most the by-laws allow ({limit}):"
                " give this one to another member",
                "{holder} already holds {count} proxies, the most the by-laws allow ({limit}):"
                " give this one to another member",
            ),
            "count",
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
