"""Helpers every CLI test shares: run a command in-process, expect it to succeed or to be
refused with nothing written, and read a whole database to compare before and after.

One copy each, so a change in how commands are run (or what "nothing written" means)
reaches every test at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from typer.testing import CliRunner

from comunidad_cli.cli.app import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    """`comunidad ARGS` in this process: (exit code, stdout, stderr); never a traceback."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str) -> str:
    """The command succeeds; its stdout."""
    code, out, err = run(*args)
    assert code == 0, err
    return out


def write(folder: Path, name: str, text: str) -> Path:
    """A UTF-8 file `name` in `folder` (an import file, a by-laws file ...)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def database_of(folder: Path) -> str:
    """The database URL of the workspace in `folder` (SQLite file or PostgreSQL)."""
    from comunidad_cli.services.workspace import database_url, load

    return database_url(load(folder), None, {})


class Connection:
    """The workspace's database as tests reach it behind the commands' back, on either
    backend, shaped like `sqlite3.Connection`: ``?`` parameters, `execute` returning a
    cursor, and ``with`` committing (or rolling back) and closing.

    On PostgreSQL, rows inserted with explicit ids leave the id sequences behind, so at
    commit every table's sequence is moved past its largest id (as SQLite's rowid would be);
    the session's TimeZone is UTC, so instants read back in UTC as SQLite's text has them,
    whatever time zone the server or the database is set to.
    """

    def __init__(self, url: str) -> None:
        self.sqlite = url.startswith("sqlite:///")
        if self.sqlite:
            self.raw: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
        else:
            import psycopg

            from comunidad_cli.storage.postgres import libpq_url

            self.raw = psycopg.connect(libpq_url(url))
            self.raw.execute("SET TIME ZONE 'UTC'")  # for the session (PGTZ may say otherwise)
            self.raw.commit()

    def _sql(self, sql: str) -> str:
        return sql if self.sqlite else sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.raw.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(self._sql(sql), [tuple(r) for r in rows])
        finally:
            cursor.close()

    def commit(self) -> None:
        if not self.sqlite:
            sequences = self.raw.execute(
                "select table_name, pg_get_serial_sequence(table_name, 'id')"
                " from information_schema.columns"
                " where table_schema = current_schema() and column_name = 'id'"
            ).fetchall()
            for table, sequence in sequences:
                if sequence:
                    self.raw.execute(
                        f'select setval(%s, coalesce((select max(id) from "{table}"), 0) + 1,'
                        " false)",
                        (sequence,),
                    )
        self.raw.commit()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            if kind is None:
                self.commit()
            else:
                self.raw.rollback()
        finally:
            self.raw.close()


def connect(folder: Path) -> Connection:
    """The database of the workspace in `folder` (see `Connection`)."""
    return Connection(database_of(folder))


def query(folder: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of `sql` (``?`` parameters) on the workspace's database, whichever backend: a
    read, rolled back (writes go through `execute`)."""
    db = connect(folder)
    try:
        return [tuple(row) for row in db.execute(sql, params).fetchall()]
    finally:
        db.raw.rollback()
        db.raw.close()


def execute(folder: Path, sql: str, *rows: Sequence[Any]) -> None:
    """Run `sql` once per row of parameters (once with none when no row is given), in one
    transaction, whichever backend."""
    with connect(folder) as db:
        db.executemany(sql, list(rows) or [()])


def actor(folder: Path, name: str) -> str:
    """Who the audit names for a command on the workspace in `folder` given `name` (its
    ``--by`` or ``COMUNIDAD_ACTOR``): `name` itself on SQLite; on PostgreSQL the database
    role the workspace connects as, whatever name was given (the server authenticated it:
    `storage.audit.actor_of`, README "Who")."""
    if database_of(folder).startswith("sqlite:///"):
        return name
    with connect(folder) as db:
        (role,) = db.execute("select current_user").fetchone()
    return str(role)


def snapshot(folder: Path) -> Callable[[], None]:
    """Keep the workspace's database as it is now; calling the result puts it back (a
    file copy on SQLite, a database copied from a template on PostgreSQL)."""
    url = database_of(folder)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        kept = path.with_name(path.name + ".snapshot")

        def copy(source: Path, target: Path) -> None:  # through SQLite: the WAL may hold rows
            with closing(sqlite3.connect(source)) as read, closing(sqlite3.connect(target)) as to:
                read.backup(to)

        copy(path, kept)
        return lambda: copy(kept, path)
    import psycopg

    from comunidad_cli.storage.postgres import libpq_url

    parts = urlsplit(libpq_url(url))
    name = parts.path.lstrip("/")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    kept_name = f"{name}_snapshot"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{kept_name}" TEMPLATE "{name}"')

    def restore() -> None:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE "{name}"')
            db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{kept_name}"')

    return restore


def dump(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to compare a database before and after a refusal."""
    url = database_of(folder)
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            names = [
                n
                for (n,) in db.execute(
                    "select name from sqlite_master where type = 'table' order by name"
                )
            ]
            return {n: db.execute(f'select * from "{n}" order by rowid').fetchall() for n in names}
    # One connection for every table, rolled back (a read moves no sequence): a connection
    # and a commit per table made each refusal on PostgreSQL cost seconds.
    db = connect(folder)
    try:
        tables = db.execute(
            "select table_name from information_schema.tables"
            " where table_schema = current_schema() order by table_name"
        ).fetchall()
        return {
            n: sorted((tuple(r) for r in db.execute(f'select * from "{n}"').fetchall()), key=repr)
            for (n,) in tables
        }
    finally:
        db.raw.rollback()
        db.raw.close()


def refused(folder: Path, *args: str, code: int = 1) -> str:
    """The command exits `code`, writes nothing, and says why on stderr (no traceback)."""
    before = dump(folder)
    status, out, err = run(*args)
    assert status == code, (out, err)
    assert "Traceback" not in err and out == ""
    assert dump(folder) == before
    return err
