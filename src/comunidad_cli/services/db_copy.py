"""`comunidad db copy --to URL`: move a workspace's database to another one, verified.

A network outgrows one coordinator's SQLite file and moves to a shared PostgreSQL server
(or back, or from one server to another). The copy is all or nothing on both sides:

- the source is only read, in one read transaction (one consistent snapshot while others
  may go on writing);
- the target must be empty; it gets the schema at head from the same migrations and every
  table, ids kept, in ONE write transaction: any failure rolls it back to empty (an SQLite
  file this command created is removed again);
- every table's row count and sha256 over its rows, normalised in Python, are compared
  between what was read and what the target stored, before the commit (`storage.transfer`);
- only then is the workspace's `database` setting switched to the target (comunidad.toml
  rewritten atomically; never with a password in it).

An audit row on the target records the copy: who, from where (no password), how many rows.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.core.os_errors import os_reason
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.services.workspace import Workspace
    from comunidad_cli.storage.dbapi import Db
    from comunidad_cli.storage.transfer import TableCopy

#: The command the audit row on the target names.
COMMAND = "db copy"

_MSG_PASSWORD = N_(
    "{url}: a password in the URL would be written to comunidad.toml; leave it out and let"
    " PostgreSQL find it: PGPASSWORD, ~/.pgpass (or the file PGPASSFILE names) or a service"
    " file (PGSERVICE)"
)
_MSG_NOT_EMPTY = NP_(
    "{target} is not empty: it holds {count} table ({tables}); copy to an empty database,"
    " or empty it first",
    "{target} is not empty: it holds {count} tables ({tables}); copy to an empty database,"
    " or empty it first",
)
_MSG_FOREIGN = NP_(
    "{source} holds {count} table that is not comunidad's ({tables}): the copy would leave it"
    " behind; move it to another database first",
    "{source} holds {count} tables that are not comunidad's ({tables}): the copy would leave"
    " them behind; move them to another database first",
)
_MSG_KEPT = N_("nothing was written to {target}; the workspace still uses {source}")
_MSG_DRIVER = N_(
    "PostgreSQL needs the psycopg driver: pip install 'comunidad[postgresql]' ({reason})"
)
_MSG_MOVED = N_(
    "{source} changed while it was being copied (someone recorded something): run comunidad"
    " db copy again when no one is writing"
)
#: How many table names a refusal lists before "...".
_LISTED = 8


class SourceMoved(Exception):
    """The source has a change the copy's snapshot did not see."""


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What was copied and verified, and what the workspace uses now."""

    source: str
    target: str
    revision: str
    tables: list[TableCopy]
    seconds: float
    #: comunidad.toml, when it was switched to the target; None when it was left alone.
    settings: Path | None
    #: The `database` setting written there.
    database: str | None

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "revision": self.revision,
            "tables": [{"table": t.table, "rows": t.rows, "sha256": t.sha256} for t in self.tables],
            "rows": self.rows,
            "verified": True,
            "settings": str(self.settings) if self.settings is not None else None,
            "database": self.database,
            "seconds": round(self.seconds, 3),
        }


def _refuse(text: str, *, exit_code: int = 1, **params: Any) -> ServiceError:
    return ServiceError.of(text, exit_code=exit_code, **params)


def resolve_target(url: str, workspace: Workspace | None) -> str:
    """The target as a URL comunidad opens: SQLite paths relative to the workspace, as
    `--db`'s are; a password, an in-memory database or another kind of URL refused."""
    from comunidad_cli.services.workspace import database_url
    from comunidad_cli.storage import postgres

    url = url.strip()
    if postgres.is_postgres(url):
        if postgres.password_in(url) or _query_password(url):
            raise _refuse(_MSG_PASSWORD, url=_shown_without_password(url))
        return url
    if url.startswith("sqlite:///"):
        resolved = database_url(workspace, url, {})
        from comunidad_cli.storage.engine import sqlite_file

        if sqlite_file(resolved) is not None:
            return resolved
    raise _refuse(
        N_(
            "--to: {url} is not a database comunidad can copy to: give an SQLite file"
            " (sqlite:///FILE) or a PostgreSQL database (postgresql://USER@HOST/NAME)"
        ),
        exit_code=2,
        url=postgres.without_password(url),
    )


def _query_password(url: str) -> bool:
    """libpq also takes the password as a parameter: ``...?password=SECRET``."""
    from urllib.parse import parse_qsl, urlsplit

    return any(key == "password" for key, _ in parse_qsl(urlsplit(url).query))


def _shown_without_password(url: str) -> str:
    """The URL with its password, in the user part or the parameters, as ``***``."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    from comunidad_cli.storage.postgres import without_password

    parts = urlsplit(without_password(url))
    query = [(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def _sqlite_path(url: str) -> Path | None:
    from comunidad_cli.storage.engine import sqlite_file

    path = sqlite_file(url)
    return path.absolute() if path is not None else None


def _same_database(source: str, target: str) -> bool:
    """Whether both URLs name one database (the same file, or the same text)."""
    a, b = _sqlite_path(source), _sqlite_path(target)
    if a is not None and b is not None:
        return a == b or (a.exists() and b.exists() and os.path.samefile(a, b))
    return source == target


def setting_for(url: str, workspace: Workspace) -> str:
    """What comunidad.toml says for `url`: an SQLite file inside the workspace relative to
    it (the workspace can move), others as given."""
    path = _sqlite_path(url)
    if path is None:
        return url
    try:
        return "sqlite:///" + path.relative_to(workspace.root.absolute()).as_posix()
    except ValueError:
        return f"sqlite:///{path}"


# --- comunidad.toml -----------------------------------------------------------------------

_DATABASE_LINE = re.compile(r"^\s*[\"']?database[\"']?\s*=.*$")


def settings_text(text: str, database: str) -> str:
    """comunidad.toml's text with `database` set (its line replaced, else one added after
    the last top-level key): every other line, comments included, kept as written."""
    import tomli_w

    line = tomli_w.dumps({"database": database}).rstrip("\n")
    lines = text.splitlines()
    for number, old in enumerate(lines):
        if _DATABASE_LINE.match(old):
            lines[number] = line
            break
    else:
        lines.append(line)
    new = "\n".join(lines) + "\n"
    before, after = tomllib.loads(text), tomllib.loads(new)
    if after != {**before, "database": database}:  # a value over several lines
        raise ValueError(f"write database = {line.split('=', 1)[1].strip()} on one line")
    return new


def _prepare(path: Path, text: str) -> Path:
    """A temporary file beside `path` holding `text`, on disk, with `path`'s mode."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o777)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


# --- The copy -----------------------------------------------------------------------------


def _driver_errors() -> tuple[type[BaseException], ...]:
    import sqlite3

    found: list[type[BaseException]] = [sqlite3.Error]
    try:
        import psycopg
    except ImportError:
        pass
    else:
        found.append(psycopg.Error)
    return tuple(found)


def _refuse_foreign_tables(source: Db, shown: str) -> None:
    """Refuse a source holding tables that are not comunidad's: the copy would leave
    them behind, and the workspace would switch to a database without them."""
    from comunidad_cli.storage import transfer
    from comunidad_cli.storage.dbapi import VERSION_TABLE

    ours = {table.name for table in transfer.tables()} | {VERSION_TABLE}
    foreign = [name for name in transfer.existing_tables(source) if name not in ours]
    if foreign:
        raise ServiceError(
            Msg.counted(
                _MSG_FOREIGN, "count", source=shown, count=len(foreign), tables=_listed(foreign)
            )
        )


def _last_change(db: Db) -> Any:
    """The source's latest audit row: every change a command makes writes one, so a
    different one later means the source moved on after the copy's snapshot."""
    return db.row("SELECT id, at FROM audit_event ORDER BY id DESC LIMIT 1")


def _not_empty(target: str, tables: list[str]) -> ServiceError:
    return ServiceError(
        Msg.counted(
            _MSG_NOT_EMPTY, "count", target=target, count=len(tables), tables=_listed(tables)
        )
    )


def _refuse_filled_file(path: Path, shown: str) -> None:
    """Refuse an SQLite file that holds tables, or is no database, reading it only: the
    copy's own connection would turn its journal to WAL, changing it, before refusing."""
    import sqlite3
    from contextlib import closing

    from comunidad_cli.services.database import _MSG_UNUSABLE

    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            tables = [
                str(name)
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite%' ORDER BY name"
                )
            ]
    except sqlite3.Error as error:
        raise _refuse(_MSG_UNUSABLE, path=shown, reason=str(error)) from error
    if tables:
        raise _not_empty(shown, tables)


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED])
    return shown + (", ..." if len(names) > _LISTED else "")


def _write(
    source: Db,
    target_url: str,
    *,
    revision: str,
    shown: tuple[str, str],
    unchanged: Callable[[], None],
) -> list[TableCopy]:
    """Create the schema and copy every table into `target_url` in one transaction, which
    commits only when every table is verified, `unchanged` found the source as it was read
    and the audit row is written; anything else rolls it back."""
    from comunidad_cli import clock
    from comunidad_cli.services.session import _on_wait, wait_limit
    from comunidad_cli.storage import audit, transfer
    from comunidad_cli.storage.dbapi import as_db, first_line
    from comunidad_cli.storage.engine import (
        BEGIN_OPTION,
        LOCK_TIMEOUT_OPTION,
        ON_LOCK_WAIT_OPTION,
        make_engine,
    )
    from comunidad_cli.storage.schema import _raw_pragma

    source_shown, target_shown = shown
    limit = wait_limit()
    engine = make_engine(target_url)
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:  # the migrations rebuild tables; checked before the commit instead
                _raw_pragma(connection, "PRAGMA foreign_keys=OFF")
            connection.execution_options(
                **{
                    BEGIN_OPTION: "IMMEDIATE",
                    LOCK_TIMEOUT_OPTION: limit,
                    ON_LOCK_WAIT_OPTION: _on_wait,
                }
            )
            try:
                with connection.begin():
                    target = as_db(connection)
                    try:
                        present = transfer.existing_tables(target)
                        if present:
                            raise _not_empty(target_shown, present)
                        transfer.create_schema(connection)
                        copied = transfer.copy_all(source, target)
                        if sqlite:
                            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                            if broken:
                                raise transfer.TargetFailed(
                                    str(broken[0][0]), f"{len(broken)} foreign key violations"
                                )
                        unchanged()
                        audit.record(
                            target,
                            command=COMMAND,
                            action="copy",
                            entity="database",
                            entity_id=target_shown,
                            detail={
                                "from": source_shown,
                                "to": target_shown,
                                "revision": revision,
                                "rows": sum(t.rows for t in copied),
                                "tables": {t.table: t.rows for t in copied},
                            },
                            at=clock.now(),
                        )
                    except transfer.driver_error(target) as problem:
                        raise transfer.TargetFailed("", first_line(problem)) from problem
            finally:
                if sqlite and not connection.invalidated:
                    with suppress(Exception):
                        _raw_pragma(connection, "PRAGMA foreign_keys=ON")
    finally:
        engine.dispose()
    return copied


def copy_database(source_url: str, to: str, *, workspace: Workspace | None) -> CopyReport:
    """Copy the database at `source_url` to the empty database `to`, verify it, and switch
    the workspace to it when `source_url` is the workspace's own database.

    Refusals (`ServiceError`) leave both databases and comunidad.toml as they were.
    """
    from comunidad_cli.services.database import _MSG_NO_FOLDER, _display
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.services.workspace import database_url
    from comunidad_cli.storage.dbapi import revision as read_revision

    target_url = resolve_target(to, workspace)
    shown = _display(source_url), _display(target_url)
    if _same_database(source_url, target_url):
        raise _refuse(
            N_("{target} is the database this copy reads from: copy to another one"),
            target=shown[1],
        )
    path = _sqlite_path(target_url)
    created = False
    if path is not None:
        if path.is_dir():
            raise _refuse(N_("{path} is a folder, not a file"), path=str(path))
        if not path.parent.is_dir():
            raise _refuse(_MSG_NO_FOLDER, path=str(path), folder=str(path.parent))
        created = not path.exists()
        if not created and path.stat().st_size > 0:
            _refuse_filled_file(path, shown[1])
    own = workspace is not None and database_url(workspace, None, {}) == source_url
    setting = setting_for(target_url, workspace) if workspace is not None and own else None
    settings_path = workspace.config_path if workspace is not None and own else None

    started = time.monotonic()
    with _settings_ready(settings_path, setting) as switch_settings:
        try:
            with reading_db(source_url) as source:
                revision = read_revision(source) or ""
                _refuse_foreign_tables(source, shown[0])
                mark = _last_change(source)

                def unchanged() -> None:
                    with reading_db(source_url) as now:
                        if _last_change(now) != mark:
                            raise SourceMoved

                copied = _write(
                    source, target_url, revision=revision, shown=shown, unchanged=unchanged
                )
        except BaseException as error:
            if created and path is not None:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            refusal = _refusal(error, target_url, shown)
            if refusal is None:
                raise
            raise refusal from error
        switch_settings()
    return CopyReport(
        source=shown[0],
        target=shown[1],
        revision=revision,
        tables=copied,
        seconds=time.monotonic() - started,
        settings=settings_path,
        database=setting,
    )


def _refusal(error: BaseException, target_url: str, shown: tuple[str, str]) -> ServiceError | None:
    """What to tell the user about a copy that failed with `error` (None: a bug, re-raised)."""
    from sqlalchemy.exc import SQLAlchemyError

    from comunidad_cli.services.database import _unusable
    from comunidad_cli.services.session import _GAVE_UP, _seconds
    from comunidad_cli.storage import transfer
    from comunidad_cli.storage.dbapi import first_line
    from comunidad_cli.storage.locks import LockTimeout
    from comunidad_cli.storage.postgres import DriverMissing

    source, target = shown
    problem: Msg
    if isinstance(error, ServiceError):
        return error
    if isinstance(error, SourceMoved):
        problem = Msg.of(_MSG_MOVED, source=source)
    elif isinstance(error, transfer.Mismatch):
        problem = Msg.of(
            N_(
                "the copy of table {table} does not match the source ({source_rows} rows,"
                " sha256 {source_sha}; copied: {target_rows} rows, sha256 {target_sha})"
            ),
            table=error.table,
            source_rows=error.source[0],
            source_sha=error.source[1][:16],
            target_rows=error.target[0],
            target_sha=error.target[1][:16],
        )
    elif isinstance(error, transfer.SourceFailed):
        problem = Msg.of(
            N_("reading table {table} from {source} failed: {reason}"),
            table=error.table,
            source=source,
            reason=error.reason,
        )
    elif isinstance(error, transfer.TargetFailed) and not error.table:
        problem = Msg.of(
            N_("the copy to {target} failed: {reason}"), target=target, reason=error.reason
        )
    elif isinstance(error, transfer.TargetFailed):
        problem = Msg.of(
            N_("writing table {table} to {target} failed: {reason}"),
            table=error.table,
            target=target,
            reason=error.reason,
        )
    elif isinstance(error, _driver_errors()):
        problem = Msg.of(
            N_("the copy to {target} failed: {reason}"), target=target, reason=first_line(error)
        )
    elif isinstance(error, LockTimeout):
        return ServiceError(Msg.counted(_GAVE_UP, "count", count=_seconds(error.limit)))
    elif isinstance(error, DriverMissing):
        return ServiceError.of(_MSG_DRIVER, reason=str(error))
    elif isinstance(error, SQLAlchemyError):
        return _unusable(target_url, error)
    else:
        return None
    return ServiceError(
        Msg.of(
            N_("{problem}: {kept}"),
            problem=problem,
            kept=Msg.of(_MSG_KEPT, target=target, source=source),
        )
    )


@contextmanager
def _settings_ready(path: Path | None, database: str | None) -> Iterator[Callable[[], None]]:
    """comunidad.toml with `database` switched, written beside it before the copy starts
    (so an unreadable or unwritable file refuses before anything is copied); the function
    it yields renames it into place, once the copy is committed."""
    if path is None or database is None:
        yield lambda: None
        return
    try:
        text = settings_text(path.read_text(encoding="utf-8"), database)
        temporary = _prepare(path, text)
    except (OSError, ValueError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        raise _refuse(
            N_("cannot update {path}: {reason}"), path=str(path), reason=reason
        ) from error

    def commit() -> None:
        from comunidad_cli.services.backup import _fsync_dir

        os.replace(temporary, path)
        _fsync_dir(path.parent)

    try:
        yield commit
    finally:
        temporary.unlink(missing_ok=True)
