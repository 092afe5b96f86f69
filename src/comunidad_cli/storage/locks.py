"""Waiting for another SQLite writer, with the standard library alone.

Shared by the SQLAlchemy engines (`storage.engine`) and the DB-API connections of
`storage.dbapi`, so both begin a write transaction the same way: a short silent try, then
the caller is told once that it waits, then SQLite's busy handler waits up to
``COMUNIDAD_LOCK_TIMEOUT`` seconds (default 600) before :class:`LockTimeout`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from typing import Any

BUSY_TIMEOUT_MS = 5000
#: How long a writer waits for another one (seconds), and the variable that changes it.
LOCK_TIMEOUT_S = 600.0
LOCK_TIMEOUT_ENV = "COMUNIDAD_LOCK_TIMEOUT"
#: A write lock held longer than this (ms) is someone else's long write: say so, wait on.
_QUIET_WAIT_MS = 500


class LockTimeout(Exception):
    """Another writer held the database for longer than the wait limit."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"the database stayed locked for {limit} s")
        self.limit = limit


def lock_timeout(environ: Any = None) -> float:
    """The wait limit in seconds from ``COMUNIDAD_LOCK_TIMEOUT``; ValueError if unreadable."""
    value = (os.environ if environ is None else environ).get(LOCK_TIMEOUT_ENV, "").strip()
    if not value:
        return LOCK_TIMEOUT_S
    seconds = float(value)
    if not seconds >= 0 or seconds == float("inf"):
        raise ValueError(value)
    return seconds


def _is_locked(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def begin_writing(
    raw: Any, mode: str, limit: float, on_wait: Callable[[float], None] | None
) -> None:
    """BEGIN a write transaction on the sqlite3 connection `raw`, waiting up to `limit` s.

    A short first try stays silent (two small writes that meet); past it the caller is
    told once, and the rest of the limit is left to SQLite's busy handler. Raises
    LockTimeout, or the driver's OperationalError when BEGIN fails for another reason.
    """
    cursor = raw.cursor()
    started = time.monotonic()
    try:
        quiet = min(_QUIET_WAIT_MS, int(limit * 1000))
        cursor.execute(f"PRAGMA busy_timeout={quiet}")
        try:
            cursor.execute(f"BEGIN {mode}")
            return
        except sqlite3.OperationalError as error:
            if not _is_locked(error):
                raise
            left = limit - (time.monotonic() - started)
            if left <= 0:
                raise LockTimeout(limit) from error
        if on_wait is not None:
            on_wait(limit)
        # SQLite keeps the timeout in a C int: a limit of years is a limit of ~24 days.
        cursor.execute(f"PRAGMA busy_timeout={min(max(1, int(left * 1000)), 2**31 - 1)}")
        try:
            cursor.execute(f"BEGIN {mode}")
        except sqlite3.OperationalError as error:
            if _is_locked(error):
                raise LockTimeout(limit) from error
            raise
    finally:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()
