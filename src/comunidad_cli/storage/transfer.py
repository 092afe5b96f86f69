"""The table walk behind `comunidad db copy`: every table of one database into another.

The source is read through a `storage.dbapi.Db` inside one read transaction (one
snapshot); the target is written through another `Db` inside one write transaction that
also created its schema (`create_schema`), so a failure anywhere rolls the target back to
empty. Tables go in dependency order (`SQLModel.metadata.sorted_tables`, parents first),
ids kept; `alembic_version` is the target's own, written by its migrations.

Each side's drivers hand back different types for the same value: SQLite keeps instants
and dates as text, money as REAL or INTEGER and booleans as 0/1, while psycopg returns
aware datetimes, dates, Decimals and bools. Every value is therefore normalised in Python
from the column's type (`canonical`) before it is hashed, and the row count and a sha256
over the canonical rows, in id order, are computed the same way on both sides: the
source's while it is read, the target's by reading back what it stored. Rows go to a
database of the other kind as it stores canonical values (`sqlite_stored`), to one of the
same kind as the driver read them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from hashlib import sha256
from typing import TYPE_CHECKING, Any

from comunidad_cli.storage.dbapi import Db, first_line, read_day, read_instant

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

#: Rows read, written and hashed at a time (memory stays flat on a million votes).
BATCH = 5000
#: SQLAlchemy's text form of an instant in SQLite (what `Db.instant` writes too).
_SQLITE_INSTANT = "%Y-%m-%d %H:%M:%S.%f"

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table as copied: its rows and the sha256 both sides agree on."""

    table: str
    rows: int
    sha256: str


class CopyError(Exception):
    """A copy stopped at `table`; `reason` is the driver's first line."""

    def __init__(self, table: str, reason: str) -> None:
        super().__init__(f"{table}: {reason}")
        self.table = table
        self.reason = reason


class SourceFailed(CopyError):
    """Reading the source failed."""


class TargetFailed(CopyError):
    """Writing to (or reading back from) the target failed."""


class Mismatch(Exception):
    """What the target stored differs from what was read from the source."""

    def __init__(self, table: str, source: tuple[int, str], target: tuple[int, str]) -> None:
        super().__init__(f"{table}: source {source}, target {target}")
        self.table = table
        self.source = source
        self.target = target


def tables() -> list[Table]:
    """comunidad's tables, parents before the tables that refer to them."""
    from sqlmodel import SQLModel

    import comunidad_cli.storage.tables  # noqa: F401  (registers the tables)

    return list(SQLModel.metadata.sorted_tables)


def existing_tables(db: Db) -> list[str]:
    """The tables already in a database (its current schema on PostgreSQL), by name."""
    if db.dialect == "sqlite":
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite%' ORDER BY name"
        )
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() ORDER BY table_name"
        )
    return [str(name) for (name,) in db.rows(sql)]


def create_schema(connection: Connection) -> None:
    """Run every migration on `connection`, inside its open transaction (no audit row:
    the copy's own audit row says where the database came from)."""
    from alembic import command

    from comunidad_cli.storage.schema import alembic_config

    command.upgrade(alembic_config(connection), "head")


def driver_error(db: Db) -> type[BaseException]:
    """The base class of the errors `db`'s driver raises."""
    if db.dialect == "postgresql":
        from comunidad_cli.storage.postgres import driver

        return driver().Error  # type: ignore[no-any-return]
    if isinstance(db.raw, sqlite3.Connection):
        return sqlite3.Error
    return getattr(type(db.raw), "Error", None) or Exception  # pragma: no cover


# --- Values -------------------------------------------------------------------------------

#: A column's value as one driver hands it back -> the canonical value (None: as it is).
Canon = Callable[[Any], Any] | None


def _money(scale: int) -> Callable[[Any], Decimal | None]:
    quantum = Decimal(1).scaleb(-scale)

    def money(value: Any) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            value = repr(value)  # the float's shortest text: 3480.25, not 3480.2499999...
        return Decimal(value).quantize(quantum)

    return money


def _boolean(value: Any) -> bool | None:
    return None if value is None else bool(value)


def canonical(table: Table) -> list[Canon]:
    """For each column of `table`, the function from either driver's value to one Python
    value: aware UTC datetime, date, Decimal at the column's scale, bool; None for text and
    integers, which both drivers hand back alike."""
    from sqlalchemy import Boolean, Date, DateTime, Numeric

    from comunidad_cli.storage.tables import UTCDateTime

    found: list[Canon] = []
    for column in table.columns:
        kind = column.type
        if isinstance(kind, UTCDateTime | DateTime):
            found.append(read_instant)
        elif isinstance(kind, Date):
            found.append(read_day)
        elif isinstance(kind, Numeric):
            found.append(_money(kind.scale if kind.scale is not None else 2))
        elif isinstance(kind, Boolean):
            found.append(_boolean)
        else:
            found.append(None)
    return found


def _sqlite_instant(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime(_SQLITE_INSTANT)


def _sqlite_money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _sqlite_boolean(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _sqlite_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def sqlite_stored(table: Table) -> list[Canon]:
    """For each column, the function from a canonical value to what SQLite stores: the text
    and floats SQLAlchemy binds, so a copied file reads back like one the commands wrote."""
    from sqlalchemy import Boolean, Date, DateTime, Numeric

    from comunidad_cli.storage.tables import UTCDateTime

    found: list[Canon] = []
    for column in table.columns:
        kind = column.type
        if isinstance(kind, UTCDateTime | DateTime):
            found.append(_sqlite_instant)
        elif isinstance(kind, Date):
            found.append(_sqlite_day)
        elif isinstance(kind, Numeric):
            found.append(_sqlite_money)
        elif isinstance(kind, Boolean):
            found.append(_sqlite_boolean)
        else:
            found.append(None)
    return found


def converter(functions: Sequence[Canon]) -> Callable[[Row], Row]:
    """One row through the columns' functions (the columns without one kept as they are)."""
    todo = [(i, f) for i, f in enumerate(functions) if f is not None]
    if not todo:
        return tuple

    def convert(row: Row) -> Row:
        values = list(row)
        for i, function in todo:
            values[i] = function(values[i])
        return tuple(values)

    return convert


class Tally:
    """Canonical rows counted and hashed as they pass: sha256 over each row's repr, one
    line a row (the same Python values give the same text on either side)."""

    def __init__(self) -> None:
        self.rows = 0
        self._hash = sha256()

    def add(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        self._hash.update(("\n".join(map(repr, rows)) + "\n").encode("utf-8"))

    @property
    def digest(self) -> str:
        return self._hash.hexdigest()


# --- The walk -----------------------------------------------------------------------------


def _select(table: Table) -> str:
    names = ", ".join(f'"{column.name}"' for column in table.columns)
    return f'SELECT {names} FROM "{table.name}" ORDER BY id'


def read_batches(db: Db, table: Table) -> Iterator[list[Row]]:
    """The rows of `table` in id order, as the driver hands them back, a batch at a time
    (a server-side cursor on PostgreSQL: a million votes never sit in memory at once)."""
    if db.dialect == "postgresql":
        cursor = db.raw.cursor(name=f"comunidad_copy_{table.name}")
        cursor.itersize = BATCH
    else:
        cursor = db.raw.cursor()
    try:
        cursor.execute(_select(table))
        while True:
            batch = cursor.fetchmany(BATCH)
            if not batch:
                return
            yield [tuple(row) for row in batch]
    finally:
        cursor.close()


def insert_batch(db: Db, table: Table, rows: Sequence[Row]) -> None:
    """Write `rows` (every column, ids included, as `db`'s driver takes them) into `table`:
    PostgreSQL's COPY, else one executemany."""
    columns = [column.name for column in table.columns]
    if db.dialect == "postgresql":
        names = ", ".join(f'"{name}"' for name in columns)
        cursor = db.raw.cursor()
        try:
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    db.insert_rows(table.name, columns, rows)


def _batches(db: Db, table: Table, failure: type[CopyError]) -> Iterator[list[Row]]:
    """`read_batches`, the driver's errors as `failure` naming the table."""
    error = driver_error(db)
    batches = read_batches(db, table)
    while True:
        try:
            batch = next(batches, None)
        except error as problem:
            raise failure(table.name, first_line(problem)) from problem
        if batch is None:
            return
        yield batch


def copy_table(source: Db, target: Db, table: Table) -> TableCopy:
    """Copy one table and check it: the target's rows, read back, count and hash as the
    source's did; a difference is `Mismatch`. Between two databases of one kind the rows
    go as the driver read them; across kinds, as the target stores canonical values."""
    to_canonical = converter(canonical(table))
    if source.dialect == target.dialect:
        stored: Callable[[Row], Row] | None = None
    elif target.dialect == "sqlite":
        stored = converter(sqlite_stored(table))
    else:
        stored = tuple
    read = Tally()
    error = driver_error(target)
    for batch in _batches(source, table, SourceFailed):
        rows = [to_canonical(row) for row in batch]
        read.add(rows)
        try:
            insert_batch(target, table, batch if stored is None else [stored(r) for r in rows])
        except error as problem:
            raise TargetFailed(table.name, first_line(problem)) from problem
    written = Tally()
    for batch in _batches(target, table, TargetFailed):
        written.add([to_canonical(row) for row in batch])
    if (read.rows, read.digest) != (written.rows, written.digest):
        raise Mismatch(table.name, (read.rows, read.digest), (written.rows, written.digest))
    return TableCopy(table.name, read.rows, read.digest)


def advance_ids(db: Db, table: Table) -> None:
    """PostgreSQL: the table's id sequence past its largest id (rows came with their ids,
    so the sequence never moved); SQLite takes max(rowid) + 1 by itself."""
    if db.dialect != "postgresql" or "id" not in table.columns:
        return
    db.execute(
        "SELECT setval(pg_get_serial_sequence(:table, 'id'), COALESCE(MAX(id), 0) + 1, false)"
        f' FROM "{table.name}"',
        {"table": f'"{table.name}"'},
    )


def copy_all(source: Db, target: Db) -> list[TableCopy]:
    """Every table of comunidad's schema, parents first, each checked as it lands."""
    copied: list[TableCopy] = []
    error = driver_error(target)
    for table in tables():
        copied.append(copy_table(source, target, table))
        try:
            advance_ids(target, table)
        except error as problem:
            raise TargetFailed(table.name, first_line(problem)) from problem
    return copied
