"""Helpers every CLI test shares: run a command in-process, expect it to succeed or to be
refused with nothing written, and read a whole database to compare before and after.

One copy each, so a change in how commands are run (or what "nothing written" means)
reaches every test at once.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

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


def query(folder: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of `sql` (``?`` parameters) on the workspace's database, whichever backend."""
    url = database_of(folder)
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            return db.execute(sql, params).fetchall()
    import psycopg

    from comunidad_cli.storage.postgres import libpq_url

    with psycopg.connect(libpq_url(url)) as db:
        return [tuple(row) for row in db.execute(sql.replace("?", "%s"), params).fetchall()]


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
    tables = query(
        folder,
        "select table_name from information_schema.tables"
        " where table_schema = current_schema() order by table_name",
    )
    return {n: sorted(query(folder, f'select * from "{n}"'), key=repr) for (n,) in tables}


def refused(folder: Path, *args: str, code: int = 1) -> str:
    """The command exits `code`, writes nothing, and says why on stderr (no traceback)."""
    before = dump(folder)
    status, out, err = run(*args)
    assert status == code, (out, err)
    assert "Traceback" not in err and out == ""
    assert dump(folder) == before
    return err
