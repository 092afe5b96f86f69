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
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError

from comunidad_cli.storage.locks import (
    BUSY_TIMEOUT_MS,
    LOCK_TIMEOUT_S,
    begin_writing,
    lock_timeout,
)

DB_FILE_NAME = "comunidad.db"
#: Execution option: how an SQLite transaction begins ("DEFERRED", "IMMEDIATE" or
#: "EXCLUSIVE"). IMMEDIATE takes the write lock up front, so a read-then-write
#: transaction waits for the busy timeout instead of failing with SQLITE_BUSY.
BEGIN_OPTION = "comunidad_sqlite_begin"
_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})
#: Execution options: the wait limit in seconds (else the environment's, else the
#: default), and a callable told the limit once, when a writer starts to wait.
LOCK_TIMEOUT_OPTION = "comunidad_lock_timeout"
ON_LOCK_WAIT_OPTION = "comunidad_on_lock_wait"


def _begin_writing(
    connection: Connection, mode: str, limit: float, on_wait: Callable[[float], None] | None
) -> None:
    """BEGIN a write transaction the way `storage.locks` does, with SQLAlchemy's errors."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    try:
        begin_writing(raw, mode, limit, on_wait)
    except sqlite3.OperationalError as error:
        raise OperationalError(f"BEGIN {mode}", None, error) from error


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
    from comunidad_cli.storage import postgres

    if postgres.is_postgres(url):
        postgres.driver()  # DriverMissing, rather than SQLAlchemy's ImportError
        engine = create_engine(postgres.sqlalchemy_url(url), **kwargs)

        @event.listens_for(engine, "begin")
        def _pg_begin(connection: Connection) -> None:
            # A writing session holds the writers' lock, as storage.dbapi's transactions do.
            options = connection.get_execution_options()
            if options.get("isolation_level") == "AUTOCOMMIT":
                return
            write = str(options.get(BEGIN_OPTION, "DEFERRED")).upper() != "DEFERRED"
            limit = options.get(LOCK_TIMEOUT_OPTION)
            if limit is None:
                try:
                    limit = lock_timeout()
                except ValueError:
                    limit = LOCK_TIMEOUT_S
            raw = connection.connection.dbapi_connection
            postgres.begin(
                raw, write=write, limit=float(limit), on_wait=options.get(ON_LOCK_WAIT_OPTION)
            )

        return engine
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
