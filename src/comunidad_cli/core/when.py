"""Reading the times a coordinator types: "2026-11-23 18:30", "18:30", "2026-11-23T21:30Z".

A time without an offset is the coordinator's own wall-clock time (`tz`), which is how a
meeting is announced; "HH:MM" alone means that time on `default_day` (the meeting's day).
Pure: the caller passes the time zone and the day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

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
        return datetime.combine(default_day, clock, tzinfo=tz)
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return _invalid(value)
    if len(value) <= 10:  # a date alone: a time of day is needed
        return _invalid(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=tz)
    return parsed


def _invalid(value: str) -> Msg:
    return Msg.of(
        N_(
            '"{value}" is not a time: write YYYY-MM-DD HH:MM (e.g. 2026-03-14 18:30), or HH:MM on the meeting\'s day'
        ),
        value=value,
    )
