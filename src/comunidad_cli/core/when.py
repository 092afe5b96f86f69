"""Reading the times a coordinator types: "2026-11-23 18:30", "18:30", "2026-11-23T21:30Z".

A time without an offset is the coordinator's own wall-clock time (`tz`, the workspace's
zone), which is how a meeting is announced; "HH:MM" alone means that time on `default_day`
(the meeting's day). A wall-clock time the clocks skip (spring forward) or show twice (fall
back) is refused, naming the two instants it could be: the record never guesses.
Pure: the caller passes the time zone and the day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

from comunidad_cli.core.messages import N_, Msg

_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


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


def wall_clock(naive: datetime, tz: tzinfo, text: str) -> datetime | Msg:
    """`naive` read on the clocks of `tz`; a message when they skip it or show it twice."""
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    zone = str(tz)
    if early.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return Msg.of(
            N_(
                '"{value}" does not exist in {zone}: the clocks jump forward over it when daylight'
                " saving starts; check the time, or write it with its offset"
            ),
            value=text,
            zone=zone,
        )
    return Msg.of(
        N_(
            '"{value}" happens twice in {zone} (the clocks go back): write {first} for the first'
            " time or {second} for the second"
        ),
        value=text,
        zone=zone,
        first=early.isoformat(timespec="minutes"),
        second=late.isoformat(timespec="minutes"),
    )


def _invalid(value: str) -> Msg:
    return Msg.of(
        N_(
            '"{value}" is not a time: write YYYY-MM-DD HH:MM (e.g. 2026-03-14 18:30), or HH:MM on the meeting\'s day'
        ),
        value=value,
    )
