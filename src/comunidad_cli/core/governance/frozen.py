"""Frozen acts: a closed meeting takes nothing more, and business needs the notice it needs.

A closed meeting's record is final: arrivals, departures, proxies, motions, recusals and
votes are refused, and the only way to change it is a recorded correction (`comunidad
meeting correct`), kept beside the record. Business the by-laws say needs N days' notice
cannot be put to a meeting whose notice went out later than that.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from comunidad_cli.core.governance.model import Meeting
from comunidad_cli.core.messages import N_, NP_, Msg

if TYPE_CHECKING:  # the by-laws model is loaded only where by-laws are read (not by an
    # attendance import, which asks this module whether a time is during its meeting)
    from comunidad_cli.core.bylaws.model import Bylaws, Decision


def closed_refusal(meeting: Meeting) -> Msg | None:
    """Why nothing more may be recorded in `meeting` (it is closed), or None while open."""
    if meeting.ended_at is None:
        return None
    return Msg.of(
        N_(
            "meeting {meeting} is closed: its record can no longer change; record a correction"
            ' with "comunidad meeting correct {meeting} --text TEXT --by NAME"'
        ),
        meeting=meeting.id,
    )


MEETING_SPAN = timedelta(hours=12)
"""How long after it started a meeting still open takes times dated after its day."""


def outside_meeting(meeting: Meeting, at: datetime) -> Msg | None:
    """Why `at` (on the workspace's clocks) cannot be recorded in `meeting`, or None.

    A time is on the meeting's day (an early arrival too), or after the meeting started:
    a meeting that runs past midnight takes 00:20 the next day, written with its date,
    for up to `MEETING_SPAN` after it started. Never after the meeting ended.
    """
    started = meeting.opened_at
    if at.date() != meeting.day and not started <= at <= started + MEETING_SPAN:
        return Msg.of(
            N_(
                "{at} is not during meeting {meeting}, which started {started}: a time is on"
                " the meeting's day, or after it started and within {hours} hours"
                " (a time after midnight is written with its date)"
            ),
            at=at,
            meeting=meeting.id,
            started=started,
            hours=int(MEETING_SPAN.total_seconds() // 3600),
        )
    if meeting.ended_at is not None and at > meeting.ended_at:
        return Msg.of(
            N_("meeting {meeting} ended at {ended}"), meeting=meeting.id, ended=meeting.ended_at
        )
    return None


def after_midnight_question(meeting: Meeting, at: datetime, typed: str) -> Msg | None:
    """A bare "HH:MM" means that time on the meeting's day; refuse it when that is long
    before the meeting started and the same time after midnight would be during it (00:20
    typed for a meeting that opened at 22:00): the record does not guess which was meant."""
    started = meeting.opened_at
    if at >= started or at + timedelta(days=1) > started + MEETING_SPAN:
        return None
    return Msg.of(
        N_(
            '"{value}" is on the day of meeting {meeting}, before it started at {started}:'
            ' write "{next_day} {value}" for after midnight, or "{day} {value}" for that day'
        ),
        value=typed,
        meeting=meeting.id,
        started=started,
        next_day=(at + timedelta(days=1)).date().isoformat(),
        day=at.date().isoformat(),
    )


def required_notice(bylaws: Bylaws, decision: Decision) -> int | None:
    """Days of notice the by-laws require for `decision` (its own, else its body's).

    Procedural business (adjourn, recess) arises in the meeting itself: it needs none.
    """
    if decision.procedural:
        return None
    return bylaws.notice_for(decision) or None


def notice_given(meeting: Meeting, notice_sent: date) -> int:
    """Whole days between the notice going out and the meeting's day."""
    return (meeting.day - notice_sent).days


def notice_refusal(
    bylaws: Bylaws, decision: Decision, meeting: Meeting, notice_sent: date | None
) -> Msg | None:
    """Why `decision` may not be put to `meeting`: its notice went out too late.

    None when the notice was long enough, or when it was not recorded (the minutes and a
    warning say so then: see `notice_unrecorded`).
    """
    needed = required_notice(bylaws, decision)
    if needed is None or notice_sent is None:
        return None
    given = notice_given(meeting, notice_sent)
    if given >= needed:
        return None
    return Msg.of(
        N_(
            "{decision} needs {needed}; the notice of {meeting} went out {given}:"
            " put it to a meeting called with enough notice"
        ),
        decision=decision.id,
        needed=_days_notice(needed),
        meeting=meeting.id,
        given=Msg.counted(
            NP_("{days} day before", "{days} days before"), "days", days=max(given, 0)
        ),
    )


def notice_unrecorded(
    bylaws: Bylaws, decision: Decision, meeting: Meeting, notice_sent: date | None
) -> Msg | None:
    """A warning when `decision` needs notice and the meeting's notice date is unknown."""
    needed = required_notice(bylaws, decision)
    if needed is None or notice_sent is not None:
        return None
    return Msg.of(
        N_(
            "{decision} needs {needed}, and the notice of {meeting} was not recorded:"
            " the minutes will say so"
        ),
        decision=decision.id,
        needed=_days_notice(needed),
        meeting=meeting.id,
    )


def _days_notice(days: int) -> Msg:
    return Msg.counted(NP_("{days} day's notice", "{days} days' notice"), "days", days=days)
