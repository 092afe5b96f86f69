"""Engines configured the way comunidad needs SQLite to behave.

SQLite file databases get: a file created owner-only (it holds personal data), WAL with
``synchronous=NORMAL`` (~40x the commits per second of the default journal, and readers
such as ``db backup`` never block writers), enforced foreign keys and a busy timeout.
A writing transaction (``BEGIN IMMEDIATE``) waits for another writer, such as a long
import, far longer than that: up to ``COMUNIDAD_LOCK_TIMEOUT`` seconds (default 600),
telling its caller once that it is waiting, then raising :class:`LockTimeout`.
pysqlite's own transaction handling is switched off and replaced by an explicit ``BEGIN``
so that DDL runs inside transactions too (migrations are all or nothing). Other URLs
(``postgresql+psycopg://...``) are passed to SQLAlchemy untouched.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError

DB_FILE_NAME = "comunidad.db"
BUSY_TIMEOUT_MS = 5000
#: Execution option: how an SQLite transaction begins ("DEFERRED", "IMMEDIATE" or
#: "EXCLUSIVE"). IMMEDIATE takes the write lock up front, so a read-then-write
#: transaction waits for the busy timeout instead of failing with SQLITE_BUSY.
BEGIN_OPTION = "comunidad_sqlite_begin"
_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})
#: How long a writer waits for another one (seconds), and the variable that changes it.
LOCK_TIMEOUT_S = 600.0
LOCK_TIMEOUT_ENV = "COMUNIDAD_LOCK_TIMEOUT"
#: Execution options: the wait limit in seconds (else the environment's, else the
#: default), and a callable told the limit once, when a writer starts to wait.
LOCK_TIMEOUT_OPTION = "comunidad_lock_timeout"
ON_LOCK_WAIT_OPTION = "comunidad_on_lock_wait"
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


def _begin_writing(
    connection: Connection, mode: str, limit: float, on_wait: Callable[[float], None] | None
) -> None:
    """BEGIN a write transaction, waiting up to `limit` seconds for another writer.

    A short first try stays silent (two small writes that meet); past it the caller is
    told once, and the rest of the limit is left to SQLite's busy handler.
    """
    raw = connection.connection.dbapi_connection
    assert raw is not None
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
                raise OperationalError(f"BEGIN {mode}", None, error) from error
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
            raise OperationalError(f"BEGIN {mode}", None, error) from error
    finally:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()


def default_url(workspace_dir: Path) -> str:
    """The embedded default: ``comunidad.db`` in the workspace, as an absolute SQLite URL."""
    return f"sqlite:///{(workspace_dir / DB_FILE_NAME).absolute()}"


def is_sqlite(url: str) -> bool:
    """Whether `url` names an SQLite database (file or in memory)."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The file behind an SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if parsed.query.get("uri") == "true" and database.startswith("file:"):
        # sqlite:///file:path?mode=ro&uri=true: an SQLite URI filename, maybe %-encoded.
        if parsed.query.get("mode") == "memory":
            return None
        database = unquote(database.removeprefix("file:").removeprefix("//localhost"))
    if database in ("", ":memory:"):
        return None
    return Path(database)


def create_private_file(path: Path) -> bool:
    """Create `path` empty with mode 0o600 if it is missing; True if this call created it.

    SQLite would create the file itself with the umask's mode (usually world-readable);
    its -wal and -shm files later copy the database file's mode, so this covers them too.
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # exactly owner-only, whatever the umask
    finally:
        os.close(fd)
    return True


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An Engine for `url`; SQLite gets comunidad's file mode, pragmas and transactions."""
    engine = create_engine(url, **kwargs)
    if engine.dialect.name != "sqlite":
        return engine
    path = sqlite_file(url)

    @event.listens_for(engine, "do_connect")
    def _create_file(dialect: Any, conn_rec: Any, cargs: Any, cparams: Any) -> None:
        if path is not None and not path.exists():
            create_private_file(path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Autocommit at the driver level: pysqlite no longer issues its own BEGIN (which it
        # skips before DDL, so CREATE TABLE would commit on its own); _on_begin does instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        mode = str(options.get(BEGIN_OPTION, "DEFERRED")).upper()
        if mode not in _BEGIN_MODES:
            raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
        if mode == "DEFERRED":
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        limit = options.get(LOCK_TIMEOUT_OPTION)
        if limit is None:
            try:
                limit = lock_timeout()
            except ValueError:
                limit = LOCK_TIMEOUT_S  # services refuse a bad value before they get here
        _begin_writing(connection, mode, float(limit), options.get(ON_LOCK_WAIT_OPTION))

    return engine
