"""Whether a member may recuse from a motion: the one rule `motion recuse` and the
`recusals` import both apply, the refusal reason as data, or None.

A recusal is a declared conflict of interest: the member steps aside before voting. What
a recusal then does is judged elsewhere from the same facts: a recused member may not vote
(`votes.check_vote`) and counts towards quorum only if the by-laws say so
(`quorum.counted_present`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from comunidad_cli.core.governance.frozen import closed_refusal
from comunidad_cli.core.governance.model import Meeting, Motion, Seat
from comunidad_cli.core.messages import N_, Msg


def check_recusal(
    meeting: Meeting,
    motion: Motion,
    person: str,
    *,
    seats: Iterable[Seat],
    recused: Collection[str],
    voted: Collection[str],
) -> Msg | None:
    """The reason `person` may not recuse from `motion`, or None when they may.

    In this order: the meeting is still open, the motion is not closed, the person holds a
    seat (of any class) on the meeting's body on its date, has not recused already and has
    not voted yet (a recusal comes before the vote). `seats` are the body's seats,
    `recused` and `voted` the motion's recused members and voters so far.
    """
    closed = closed_refusal(meeting)
    if closed is not None:
        return closed
    if motion.closed:
        return Msg.of(N_("motion {motion} is closed: no more votes"), motion=motion.id)
    day = meeting.day
    if not any(s.person == person and s.active_on(day) for s in seats):
        return Msg.of(
            N_("{person} holds no seat on {body} on {day}"),
            person=person,
            body=meeting.body,
            day=day,
        )
    if person in recused:
        return Msg.of(N_("{person} has already recused from this motion"), person=person)
    if person in voted:
        return Msg.of(
            N_("{person} has already voted on this motion: a recusal must come before the vote"),
            person=person,
        )
    return None
