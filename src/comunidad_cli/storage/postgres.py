"""PostgreSQL through psycopg 3, with the same transaction rules as SQLite.

A network shares one PostgreSQL database; several people write to it at once. comunidad
keeps SQLite's rule on both backends: **one writer at a time, readers never wait.** A
writing transaction takes a transaction-level advisory lock (`WRITE_LOCK`) before its first
read, so every check it makes (a budget line's balance, a member's vote already cast) sees
every write committed before it and nothing can commit between its check and its write;
the lock is released by COMMIT or ROLLBACK. Writers run at READ COMMITTED (each statement
sees what committed before the lock was granted); readers run at REPEATABLE READ, one
snapshot for a whole report, like SQLite's read transaction. docs/architecture.md
("Concurrency") says which guarantee rests on what.

psycopg is imported inside the functions: SQLite users never pay for it, and a workspace
on PostgreSQL without it installed gets `DriverMissing`, a refusal saying how to install it.

A password never needs to be in a URL: libpq finds it itself (PGPASSWORD, ~/.pgpass or
PGPASSFILE, a service file named by ``?service=``). When a URL does carry one (``user:pw@``
or ``?password=``), `without_password` is what any message shows of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.errors import ServiceError
from comunidad_cli.storage.locks import LockTimeout

#: The advisory lock every writing transaction holds ("comu" in ASCII, as a bigint).
WRITE_LOCK = 0x636F6D75
#: How long a writer tries silently before saying it waits (seconds), as on SQLite.
_QUIET_WAIT_S = 0.5
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


class DriverMissing(ServiceError):
    """The URL is PostgreSQL's but psycopg is not installed: a refusal (exit 1) that says
    how to install it, wherever it is raised (the DB-API path or an SQLAlchemy engine)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            Msg.of(
                N_(
                    "this database is PostgreSQL, and the PostgreSQL driver (psycopg) is not"
                    ' installed: pip install "comunidad[postgresql]" ({reason})'
                ),
                reason=reason,
            )
        )
        self.reason = reason


def is_postgres(url: str) -> bool:
    """Whether `url` names a PostgreSQL database (any of the schemes comunidad accepts)."""
    scheme = url.split(":", 1)[0].lower()
    return scheme in _SCHEMES


def _join(scheme: str, netloc: str, path: str, query: str, fragment: str = "") -> str:
    """urlunsplit that keeps ``//`` with an empty host: libpq's ``postgresql:///db?host=...``
    and ``postgresql:///db?service=x`` forms stay as typed (urlunsplit would drop it)."""
    url = f"{scheme}://{netloc}{path}"
    if query:
        url += f"?{query}"
    if fragment:
        url += f"#{fragment}"
    return url


def libpq_url(url: str) -> str:
    """The URL as libpq reads it: ``postgresql+psycopg://`` (SQLAlchemy's) -> ``postgresql://``."""
    return _join("postgresql", *urlsplit(url)[1:])


def sqlalchemy_url(url: str) -> str:
    """The URL as SQLAlchemy reads it with psycopg 3 (not psycopg2, its old default)."""
    return _join("postgresql+psycopg", *urlsplit(url)[1:])


def _query_password(query: str) -> bool:
    return any(key == "password" for key, _ in parse_qsl(query, keep_blank_values=True))


def password_in(url: str) -> bool:
    """Whether the URL carries a password, as ``user:pw@`` or libpq's ``?password=``
    (which must not be written to comunidad.toml)."""
    if not is_postgres(url):
        return False
    parts = urlsplit(url)
    return parts.password is not None or _query_password(parts.query)


def without_password(url: str) -> str:
    """The URL with its password, if any, shown as ``***`` (for messages and reports)."""
    parts = urlsplit(url)
    netloc, query = parts.netloc, parts.query
    if parts.password is not None:
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{parts.username or ''}:***@{host}"
        if parts.port is not None:
            netloc += f":{parts.port}"
    if _query_password(query):
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if k == "password" else v) for k, v in pairs], safe="*/:@")
    if (netloc, query) == (parts.netloc, parts.query):
        return url
    return _join(parts.scheme, netloc, parts.path, query, parts.fragment)


def password_apart(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (for a child process's PGPASSWORD,
    so that it never shows in the process list)."""
    from urllib.parse import unquote

    parts = urlsplit(url)
    password: str | None = None
    netloc, query = parts.netloc, parts.query
    if parts.password is not None:
        password = unquote(parts.password)
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{hostport}" if user else hostport
    if _query_password(query):
        pairs = parse_qsl(query, keep_blank_values=True)
        password = next(v for k, v in pairs if k == "password")
        query = urlencode([(k, v) for k, v in pairs if k != "password"], safe="/:@")
    return _join(parts.scheme, netloc, parts.path, query, parts.fragment), password


def driver() -> Any:
    """The psycopg module, or DriverMissing."""
    try:
        import psycopg
    except ImportError as error:
        raise DriverMissing(str(error)) from error
    return psycopg


def connect(url: str) -> Any:
    """A psycopg connection (not in autocommit: the first statement opens a transaction).

    libpq finds the password itself (PGPASSWORD, ~/.pgpass or PGPASSFILE, a service file).
    """
    psycopg = driver()
    return psycopg.connect(libpq_url(url), application_name="comunidad")


def begin(raw: Any, *, write: bool, limit: float, on_wait: Callable[[float], None] | None) -> None:
    """Start the command's transaction on `raw` (idle, no transaction open).

    A writer takes `WRITE_LOCK`: a short silent try, then `on_wait` is told once and the
    wait goes on up to `limit` seconds (then LockTimeout), as on SQLite.
    """
    psycopg = driver()
    isolation = psycopg.IsolationLevel
    raw.isolation_level = isolation.READ_COMMITTED if write else isolation.REPEATABLE_READ
    if not write:
        return
    cursor = raw.cursor()
    try:
        deadline = time.monotonic() + min(_QUIET_WAIT_S, limit)
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,))
            row = cursor.fetchone()
            if row is not None and row[0]:
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.02)
        left = limit - min(_QUIET_WAIT_S, limit)
        if left <= 0:
            raise LockTimeout(limit)
        if on_wait is not None:
            on_wait(limit)
        # lock_timeout is in milliseconds; SET LOCAL ends with the transaction.
        cursor.execute(f"SET LOCAL lock_timeout = {max(1, int(left * 1000))}")
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        except psycopg.errors.LockNotAvailable as error:
            raise LockTimeout(limit) from error
        cursor.execute("SET LOCAL lock_timeout = 0")
    finally:
        cursor.close()


def current_role(raw: Any) -> str:
    """The database role the connection acts as (the audit's actor on PostgreSQL)."""
    cursor = raw.cursor()
    try:
        cursor.execute("SELECT current_user")
        row = cursor.fetchone()
        return str(row[0]) if row else ""
    finally:
        cursor.close()
