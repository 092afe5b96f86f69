"""The one clock, and the one time zone.

Every "now" and "today" in comunidad comes from here, so tests freeze a single place
(freezegun's ``freeze_time`` patches ``datetime`` and therefore this module) and audit
rows, meeting times and due dates all agree with each other.

Wall-clock times are the workspace's: `comunidad.toml` names an IANA zone (`timezone`),
so the same workspace means the same instants on a laptop in Santiago and on a server set
to UTC. The command line tells this module how to find that zone (`use_zone`); until it
does, and for workspaces without the key, the zone is the system's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

_zone: tzinfo | None = None
_find_zone: Callable[[], tzinfo | None] | None = None


def now() -> datetime:
    """The current instant as an aware UTC datetime (never naive: stored times are UTC)."""
    return datetime.now(UTC)


def today() -> date:
    """The calendar date of `now()` in the workspace's zone (what a coordinator calls "today")."""
    return now().astimezone(zone()).date()


def use_zone(found: tzinfo | Callable[[], tzinfo | None] | None) -> None:
    """Set the wall-clock zone, or a function that finds it the first time it is needed
    (reading comunidad.toml only when a command deals with times); None: the system's."""
    global _zone, _find_zone
    if found is None or isinstance(found, tzinfo):
        _zone, _find_zone = found, None
    else:
        _zone, _find_zone = None, found


def zone() -> tzinfo:
    """The workspace's wall-clock zone: every time typed, imported or shown is in it."""
    global _zone, _find_zone
    if _zone is None and _find_zone is not None:
        finder, _find_zone = _find_zone, None
        _zone = finder()
    return _zone if _zone is not None else system_zone()


def zone_named(name: str) -> tzinfo | None:
    """The IANA zone of that name (America/Santiago, Europe/Madrid, UTC), or None."""
    from zoneinfo import ZoneInfo

    if not name or name != name.strip() or name.startswith(("/", ".")) or "\\" in name:
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return None


def system_zone_name() -> str | None:
    """The system's IANA zone: the TZ variable, else /etc/localtime's link, else /etc/timezone."""
    value = os.environ.get("TZ", "").strip().removeprefix(":")
    if value:
        return value if zone_named(value) is not None else None
    try:
        target = str(Path("/etc/localtime").resolve(strict=True))
    except (OSError, RuntimeError):
        target = ""
    if "/zoneinfo/" in target:
        name = target.split("/zoneinfo/", 1)[1].removeprefix("posix/").removeprefix("right/")
        if zone_named(name) is not None:
            return name
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if zone_named(name) is not None else None


def system_zone() -> tzinfo:
    """The system's zone as an IANA zone when it can be named (so daylight saving is known),
    else the fixed offset the C library reports now."""
    name = system_zone_name()
    found = zone_named(name) if name is not None else None
    if found is not None:
        return found
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC
