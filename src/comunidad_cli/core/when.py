"""Reading the times a coordinator types: "2026-11-23 18:30", "18:30", "2026-11-23T21:30Z".

A time without an offset is the coordinator's own wall-clock time (`tz`, the workspace's
zone), which is how a meeting is announced; "HH:MM" alone means that time on `default_day`
(the meeting's day). A wall-clock time the clocks skip (spring forward) or show twice (fall
back) is refused, naming the two instants it could be (`clock_change`: input refused, exit 1,
not a usage error): the record never guesses.
Pure: the caller passes the time zone and the day.

`add_months` is the one month arithmetic of the rules that count in months: a seat's term
limit (core/governance/seats.py) and a deliverable's monthly due dates
(core/grants/deliverables.py).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from comunidad_cli.core.messages import N_, Msg

_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
#: Days of each month in a common year (February's 29th: `calendar.isleap`).
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (Jan 31 + 1 = Feb 28/29)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    if day.day <= 28:  # every month has it: no calendar to ask (lists compute thousands)
        return date(year, month, day.day)
    last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]
    return date(year, month, min(day.day, last))


def parse_when(text: str, tz: tzinfo, default_day: date | None = None) -> datetime | Msg:
    """An aware datetime, or a message saying how to write it."""
    value = text.strip()
    if _CLOCK.match(value):
        if default_day is None:
            return Msg.of(N_('"{value}" needs a date: write it as YYYY-MM-DD HH:MM'), value=value)
        try:
            clock = time.fromisoformat(value.zfill(5) if len(value) == 4 else value)
        except ValueError:
            return _invalid(value)
        return wall_clock(datetime.combine(default_day, clock), tz, value)
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return _invalid(value)
    if len(value) <= 10:  # a date alone: a time of day is needed
        return _invalid(value)
    if parsed.tzinfo is None:
        return wall_clock(parsed, tz, value)
    return parsed


_SKIPPED = N_(
    '"{value}" does not exist in {zone} (the clocks jump from {start} to {end}): write {first}'
    " (= {first_shown} on the new clocks) or {second} (= {second_shown} on the old clocks)"
)
_TWICE = N_(
    '"{value}" happens twice in {zone} (the clocks go back): write {first} for the first'
    " time or {second} for the second"
)


def clock_only(text: str) -> bool:
    """Whether `text` is a time of day alone ("00:20"), which `parse_when` puts on the day."""
    return _CLOCK.match(text.strip()) is not None


def wall_clock(naive: datetime, tz: tzinfo, text: str) -> datetime | Msg:
    """`naive` read on the clocks of `tz`; a message when they skip it or show it twice."""
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    zone = str(tz)
    if not _exists(naive, tz):
        # The offsets before (fold=0) and after (fold=1) the jump: two instants it could be.
        start = naive.replace(second=0, microsecond=0)
        for _minute in range(24 * 60):
            if _exists(start - _MINUTE, tz):
                break
            start -= _MINUTE
        before, after = early.utcoffset(), late.utcoffset()
        assert before is not None and after is not None
        return Msg.of(
            _SKIPPED,
            value=text,
            zone=zone,
            start=_clock(start, naive.date()),
            end=_clock(start + (after - before), naive.date()),
            first=early.isoformat(timespec="minutes"),
            first_shown=_clock(early.astimezone(UTC).astimezone(tz), naive.date()),
            second=late.isoformat(timespec="minutes"),
            second_shown=_clock(late.astimezone(UTC).astimezone(tz), naive.date()),
        )
    return Msg.of(
        _TWICE,
        value=text,
        zone=zone,
        first=early.isoformat(timespec="minutes"),
        second=late.isoformat(timespec="minutes"),
    )


def clock_change(msg: Msg) -> bool:
    """Whether `msg` refuses a well-formed time because the clocks skip or repeat it (input
    refused: exit 1), rather than text that is not written as a time (usage: exit 2)."""
    return msg.text in (_SKIPPED, _TWICE)


_MINUTE = timedelta(minutes=1)


def _exists(naive: datetime, tz: tzinfo) -> bool:
    """Whether the clocks of `tz` ever show `naive` (not in a spring-forward gap)."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def _clock(value: datetime, day: date) -> str:
    """A wall-clock time as typed (24-hour), with its date when that is not `day`."""
    return value.strftime("%H:%M" if value.date() == day else "%Y-%m-%d %H:%M")


def _invalid(value: str) -> Msg:
    return Msg.of(
        N_(
            '"{value}" is not a time: write YYYY-MM-DD HH:MM (e.g. 2026-03-14 18:30), or HH:MM on the meeting\'s day'
        ),
        value=value,
    )


def period_problem(start: date, end: date) -> Msg | None:
    """A period's last day before its first is refused (the dates may have been swapped)."""
    if end < start:
        return Msg.of(
            N_("--to ({end}) is before --from ({start}): give the period's first day first"),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    return None
