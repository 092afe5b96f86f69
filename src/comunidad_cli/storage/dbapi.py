"""One way to the data: a DB-API connection in one transaction, without SQLAlchemy.

Everyday commands (`person list`, `motion vote`, ...) spend less time on their query than
on importing SQLAlchemy and building the ORM classes (about 0.4 s). They reach the data
through :class:`Db`: a plain DB-API connection (the standard library's `sqlite3` for an
SQLite file URL) inside one transaction opened by :func:`transaction`, with the same
pragmas, the same ``BEGIN IMMEDIATE`` and lock wait (`storage.locks`) and the same
schema-version check as the SQLAlchemy path. The per-domain modules (`storage.directory`,
`storage.governance`) hold the SQL, plain and portable, with ``:name`` parameters that
:class:`Db` turns into the driver's style; the tables themselves stay defined once, in
`storage.tables` (SQLModel, for Alembic).

A PostgreSQL URL gets a psycopg 3 connection (`storage.postgres`: one writer at a time
through an advisory lock, readers on one snapshot). Any other URL (SQLite URLs with a
query string) gets its DB-API connection from an SQLAlchemy engine
(`storage.engine.make_engine`): slower to start, same API.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from comunidad_cli.storage.locks import BUSY_TIMEOUT_MS, begin_writing

_PREFIX = "sqlite:///"
#: The version table Alembic keeps (see `storage.schema`).
VERSION_TABLE = "alembic_version"
#: SQLAlchemy's text form of an instant in SQLite (UTC, naive, always microseconds).
_SQLITE_INSTANT = "%Y-%m-%d %H:%M:%S.%f"
_NAMED = re.compile(r"(?<![:\w]):(\w+)")

Params = Mapping[str, Any]


class StorageError(Exception):
    """The database could not be used; `reason` is the driver's first line, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NoDatabase(StorageError):
    """The SQLite file is missing: connecting would create an empty database."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class Unusable(StorageError):
    """Opening the database or reading its schema version failed (not a database, ...)."""


class Refused(StorageError):
    """The database refused a statement of the command (a constraint, a full disk, ...)."""


class NotPermitted(Refused):
    """The server refused the statement for want of a privilege (SQLSTATE 42501): the
    database role `role` may not do this (a read-only role asked to write, say)."""

    def __init__(self, reason: str, role: str, *, reading: bool) -> None:
        super().__init__(reason)
        self.role = role
        self.reading = reading


#: SQLSTATE of insufficient_privilege (PostgreSQL's "permission denied").
INSUFFICIENT_PRIVILEGE = "42501"


def not_permitted(raw: Any, error: BaseException, *, reading: bool) -> NotPermitted | None:
    """`error` as NotPermitted when the server refused it for want of a privilege, naming
    the connection's role (asked after the failed transaction is rolled back), else None."""
    if getattr(error, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    from comunidad_cli.storage import postgres

    role = ""
    with suppress(Exception):
        raw.rollback()
        role = postgres.current_role(raw)
        raw.rollback()
    return NotPermitted(first_line(error), role, reading=reading)


def first_line(error: BaseException) -> str:
    """The driver's message, first line (what the SQLAlchemy path shows, too)."""
    reason = getattr(error, "orig", None) or error
    lines = str(reason).splitlines()
    return lines[0] if lines else type(reason).__name__


def plain_sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (``sqlite:///path``, no query, no %-escapes), else None."""
    if not url.startswith(_PREFIX) or "?" in url or "%" in url:
        return None
    path = url[len(_PREFIX) :]
    return Path(path) if path and path != ":memory:" else None


class Db:
    """A DB-API connection inside one transaction, with the few helpers queries need.

    SQL is written with ``:name`` parameters; drivers with another style (psycopg's
    ``%(name)s``) get it rewritten once per statement text.
    """

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect
        self._named = dialect == "sqlite"
        self._rewritten: dict[str, str] = {}

    def _sql(self, sql: str) -> str:
        if self._named:
            return sql
        found = self._rewritten.get(sql)
        if found is None:
            found = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
            self._rewritten[sql] = found
        return found

    def rows(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row of a query, as tuples."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(self._sql(sql), dict(params or {}))
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def row(self, sql: str, params: Params | None = None) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql: str, params: Params | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        found = self.row(sql, params)
        return found[0] if found is not None else None

    def execute(self, sql: str, params: Params | None = None) -> None:
        """Run a statement that returns nothing the caller needs."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(self._sql(sql), dict(params or {}))
        finally:
            cursor.close()

    def execute_many(self, sql: str, params: Sequence[Params]) -> None:
        """Run one statement once per parameter set (one executemany)."""
        if not params:
            return
        cursor = self.raw.cursor()
        try:
            cursor.executemany(self._sql(sql), [dict(p) for p in params])
        finally:
            cursor.close()

    def insert(self, table: str, values: Params) -> int:
        """INSERT one row into `table` (a name from storage.tables); returns its new id.

        SQLite gives the id as the cursor's lastrowid (RETURNING needs SQLite 3.35);
        other databases return it.
        """
        columns = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join(f":{name}" for name in values)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        if self.dialect != "sqlite":
            return int(self.value(sql + " RETURNING id", values))
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, dict(values))
            return int(cursor.lastrowid)
        finally:
            cursor.close()

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """INSERT many rows of `columns` values into `table`, as fast as the database goes.

        On PostgreSQL one ``COPY ... FROM STDIN`` (psycopg's copy, `_copy_rows`), about twice
        as fast as psycopg's executemany of INSERTs; elsewhere one executemany, positional
        parameters (``?`` for sqlite3, ``%s`` for the others). Values as the schema stores
        them: instants through `instant` (or already in that form), dates through `day`,
        money as Decimal or integer cents, booleans as bool. `rows` may be an iterator, read
        once (an import's rows made as they are inserted).
        """
        if isinstance(rows, Sequence) and not rows:
            return
        names = ", ".join(f'"{name}"' for name in columns)
        if self.dialect == "postgresql":
            self._copy_rows(table, names, rows)
            return
        mark = "?" if self.dialect == "sqlite" else "%s"
        marks = ", ".join(mark for _ in columns)
        cursor = self.raw.cursor()
        try:
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        finally:
            cursor.close()

    def _copy_rows(self, table: str, names: str, rows: Iterable[Sequence[Any]]) -> None:
        """`insert_rows` on PostgreSQL: the rows streamed in COPY's text format.

        Text, not binary: the server parses every value as its column's type, so a value out
        of range or of the wrong kind is refused as an INSERT would refuse it (binary COPY
        would need each Python type to match the column's exactly, and wraps an integer too
        large for its column silently). Aware datetimes go as text with their offset, so
        the session's time zone plays no part. Columns left out take their defaults (ids
        from their sequence), constraints and foreign keys are checked as for INSERT.
        """
        cursor = self.raw.cursor()
        try:
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        finally:
            cursor.close()

    def update(self, table: str, row_id: int, values: Params) -> None:
        """UPDATE the columns `values` names of one row of `table` (by id)."""
        if not values:
            return
        sets = ", ".join(f'"{name}" = :{name}' for name in values)
        self.execute(f"UPDATE {table} SET {sets} WHERE id = :_id", {**values, "_id": row_id})

    def instant(self, value: datetime | None) -> Any:
        """An aware time as the schema stores it (UTC; SQLite: SQLAlchemy's text form)."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware time (clock.now())")
        utc = value.astimezone(UTC)
        return utc.strftime(_SQLITE_INSTANT) if self.dialect == "sqlite" else utc

    def day(self, value: date | None) -> Any:
        """A date as the schema stores it."""
        if value is None:
            return None
        return value.isoformat() if self.dialect == "sqlite" else value


def as_db(source: Any) -> Db:
    """A `Db` on the transaction of `source`: a Db, or a SQLAlchemy Session (flushed
    first) or Connection, so code on either path shares the same queries."""
    if isinstance(source, Db):
        return source
    if hasattr(source, "flush"):  # a Session: pending ORM rows first, as a query would
        source.flush()
        source = source.connection()
    return Db(source.connection.driver_connection, source.dialect.name)


def read_instant(value: Any) -> datetime | None:
    """A stored instant as an aware UTC datetime (SQLite hands back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def read_day(value: Any) -> date | None:
    """A stored date (SQLite hands back text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def read_required_instant(value: Any) -> datetime:
    """A NOT NULL column's instant, as `read_instant` reads it."""
    found = read_instant(value)
    assert found is not None
    return found


def read_required_day(value: Any) -> date:
    """A NOT NULL column's date, as `read_day` reads it."""
    found = read_day(value)
    assert found is not None
    return found


def in_list(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """Placeholders and parameters for ``IN (...)`` over `values` (never empty SQL)."""
    params = {f"{name}_{i}": v for i, v in enumerate(values)}
    marks = ", ".join(f":{key}" for key in params) or "NULL"
    return marks, params


def revision(db: Db) -> str | None:
    """The schema revision in alembic_version (several rows joined), None when missing."""
    if db.dialect == "sqlite":
        exists = db.value(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name",
            {"name": VERSION_TABLE},
        )
    else:
        # pg_catalog, not information_schema: that one hides tables the role may not read,
        # and a role without privileges must hear so, not "no schema version".
        exists = db.value(
            "SELECT to_regclass(CAST(:name AS text)) IS NOT NULL", {"name": VERSION_TABLE}
        )
    if not exists:
        return None
    found = sorted(str(v) for (v,) in db.rows(f"SELECT version_num FROM {VERSION_TABLE}"))
    return ",".join(found) if found else None


def _sqlite_connect(path: Path) -> Any:
    """sqlite3 set up like `storage.engine.make_engine` sets up its connections."""
    raw = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        raw.close()
        raise
    return raw


@contextmanager
def _connection(url: str) -> Iterator[tuple[Any, str, type[BaseException]]]:
    """(DB-API connection, dialect, the driver's Error class), closed at the end."""
    path = plain_sqlite_file(url)
    if path is not None:
        if not path.is_file():
            raise NoDatabase(path)
        try:
            raw = _sqlite_connect(path)
        except sqlite3.Error as error:
            raise Unusable(first_line(error)) from error
        try:
            yield raw, "sqlite", sqlite3.Error
        finally:
            raw.close()
        return
    from comunidad_cli.storage import postgres

    if postgres.is_postgres(url):
        psycopg = postgres.driver()
        try:
            raw = postgres.connect(url)
        except psycopg.Error as error:
            raise Unusable(first_line(error)) from error
        try:
            yield raw, "postgresql", psycopg.Error
        finally:
            raw.close()
        return
    from sqlalchemy.exc import SQLAlchemyError

    from comunidad_cli.storage.engine import make_engine, sqlite_file

    file = sqlite_file(url)
    if file is not None and not file.is_file():
        raise NoDatabase(file)
    engine = make_engine(url)
    try:
        try:
            proxied = engine.raw_connection()
        except SQLAlchemyError as error:
            raise Unusable(first_line(error)) from error
        driver = proxied.driver_connection
        error_class = getattr(type(driver), "Error", None) or engine.dialect.dbapi.Error  # type: ignore[union-attr]
        try:
            yield driver, engine.dialect.name, error_class
        finally:
            proxied.close()
    finally:
        engine.dispose()


@contextmanager
def transaction(
    url: str,
    *,
    write: bool,
    check: Callable[[str | None], None],
    limit: float,
    on_wait: Callable[[float], None] | None = None,
) -> Iterator[Db]:
    """One transaction on `url`: committed when the block ends, rolled back on any error.

    `check` is given the schema revision first, and again once the transaction has begun
    (after any wait for the write lock), and raises to refuse it. A writing
    transaction on SQLite begins IMMEDIATE, waiting for another writer up to `limit`
    seconds (`on_wait` is told once). Driver errors come out as Unusable (before the
    transaction) or Refused (inside it); LockTimeout as is.
    """
    with _connection(url) as (raw, dialect, driver_error):
        db = Db(raw, dialect)
        try:
            found = revision(db)
        except driver_error as error:
            denied = not_permitted(raw, error, reading=True)
            if denied is not None:
                raise denied from error
            raise Unusable(first_line(error)) from error
        check(found)
        sqlite = dialect == "sqlite"
        try:
            if sqlite:
                if write:
                    begin_writing(raw, "IMMEDIATE", limit, on_wait)
                else:
                    raw.execute("BEGIN DEFERRED")
            else:
                with suppress(Exception):
                    raw.rollback()  # end the transaction the revision check opened
                if dialect == "postgresql":
                    from comunidad_cli.storage import postgres

                    postgres.begin(raw, write=write, limit=limit, on_wait=on_wait)
            try:
                # Again, inside: a writer may have waited for the lock while a newer
                # comunidad's `db upgrade` moved the schema on; judge on what it now sees.
                check(revision(db))
                yield db
            except BaseException:
                with suppress(Exception):
                    raw.execute("ROLLBACK") if sqlite else raw.rollback()
                raise
            if sqlite:
                raw.execute("COMMIT")
            else:
                raw.commit()
        except driver_error as error:
            denied = not_permitted(raw, error, reading=not write)
            if denied is not None:
                raise denied from error
            raise Refused(first_line(error)) from error
