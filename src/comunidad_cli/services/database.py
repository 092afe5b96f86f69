"""Database services: create, upgrade, check and back up the comunidad database (the
backup itself is written by `services/backup.py`), and PostgreSQL's read-only roles.

Plain functions returning data; a user's mistake is a `ServiceError` whose message is
data. Importing this module is cheap: SQLAlchemy and Alembic are imported inside the
functions (see docs/architecture.md, "Costs"), and `ensure_current`, which every database command
runs first, never imports Alembic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from comunidad_cli.services.backup import BackupReport

#: How many problems of one kind a check lists before it stops counting them one by one.
MAX_LISTED = 20

_MSG_NO_DATABASE = N_("no database at {path}: run comunidad init or comunidad db upgrade")
_MSG_NO_FOLDER = N_("cannot create a database at {path}: the folder {folder} does not exist")
_MSG_UNVERSIONED = N_("the database at {path} has no schema version: run comunidad db upgrade")
_MSG_BEHIND = N_(
    "the database schema is at revision {revision} and this comunidad needs {head}:"
    " run comunidad db upgrade"
)
_MSG_AHEAD = N_(
    "this database was written by a newer comunidad (schema revision {revision}, this"
    " comunidad knows up to {head}): upgrade comunidad"
)
_MSG_UNUSABLE = N_("cannot use the database at {path}: {reason}")
_MSG_READ_ONLY = N_(
    "the database role {role} may only read this database, and this command writes: nothing"
    " was written; ask someone whose role may write to run it, or connect as a role that may"
    " write (--db or COMUNIDAD_DB)"
)
_MSG_NO_READ = N_(
    "the database role {role} may not read this database: ask its owner to run"
    " comunidad db grant --read-only {role}, or connect as another role"
)


@dataclass(frozen=True, slots=True)
class DbCheckReport:
    """What `comunidad db check` found; `ok` is true when `problems` is empty."""

    ok: bool
    revision: str | None
    head: str
    problems: list[Msg] = field(default_factory=list)


def _display(url: str) -> str:
    """What to show the user for `url`: the file of an SQLite URL, else the URL sans password."""
    from comunidad_cli.storage.dbapi import plain_sqlite_file

    plain = plain_sqlite_file(url)
    if plain is not None:
        return str(plain)
    from comunidad_cli.storage import postgres

    if postgres.is_postgres(url):
        return postgres.without_password(url)  # libpq's query forms shown as typed
    from sqlalchemy.engine import make_url

    from comunidad_cli.storage.engine import sqlite_file

    path = sqlite_file(url)
    return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)


def display(url: str) -> str:
    """`url` as messages and reports show it: never its password."""
    return _display(url)


def _require_file(url: str) -> None:
    """A missing SQLite file is a user error; connecting would silently create an empty one."""
    from comunidad_cli.storage.engine import sqlite_file

    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise ServiceError.of(_MSG_NO_DATABASE, path=str(path))


def _require_folder(url: str) -> None:
    from comunidad_cli.storage.engine import sqlite_file

    path = sqlite_file(url)
    if path is not None and not path.absolute().parent.is_dir():
        raise ServiceError.of(_MSG_NO_FOLDER, path=str(path), folder=str(path.absolute().parent))


def _unusable(url: str, error: BaseException, *, writing: bool = False) -> ServiceError:
    """A database error the user can act on (locked, not a database, permissions, ...)."""
    reason = getattr(error, "orig", None) or error
    denied = not_permitted(url, error, writing=writing)
    if denied is not None:
        return denied
    return ServiceError.of(_MSG_UNUSABLE, path=_display(url), reason=str(reason))


def _role_of(url: str) -> str:
    """The role a new connection to `url` acts as (for a message; '?' if it can't be told)."""
    from comunidad_cli.storage import postgres

    try:
        raw = postgres.connect(url)
        try:
            return postgres.current_role(raw)
        finally:
            raw.close()
    except Exception:
        return "?"


def permission_refusal(role: str, *, writing: bool) -> ServiceError:
    """The refusal of a PostgreSQL role without the privilege a command needs: one that may
    only read, asked to write; or one that may not even read."""
    return ServiceError.of(_MSG_READ_ONLY if writing else _MSG_NO_READ, role=role)


def not_permitted(url: str, error: BaseException, *, writing: bool) -> ServiceError | None:
    """`error` (a driver's or SQLAlchemy's) as `permission_refusal` when the server refused
    for want of a privilege (SQLSTATE 42501), else None."""
    from comunidad_cli.storage.dbapi import INSUFFICIENT_PRIVILEGE

    reason = getattr(error, "orig", None) or error
    if getattr(reason, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    return permission_refusal(_role_of(url), writing=writing)


def _state_problem(revision: str | None, head: str, url: str) -> Msg | None:
    """The message for a schema that is not at `head`, or None when it is."""
    from comunidad_cli.storage.revision import revision_state

    state = revision_state(revision)
    if state == "current":
        return None
    if state == "missing":
        return Msg.of(_MSG_UNVERSIONED, path=_display(url))
    if state == "behind":
        return Msg.of(_MSG_BEHIND, revision=revision, head=head)
    return Msg.of(_MSG_AHEAD, revision=revision, head=head)


def _upgrade(url: str, command: str) -> tuple[str | None, str]:
    from sqlalchemy.exc import SQLAlchemyError

    from comunidad_cli.storage import schema
    from comunidad_cli.storage.engine import make_engine

    _require_folder(url)
    engine = make_engine(url)
    try:
        return schema.upgrade(engine, command=command)
    except schema.SchemaAheadError as error:
        raise ServiceError(
            Msg.of(_MSG_AHEAD, revision=error.revision, head=schema.HEAD_REVISION)
        ) from error
    except schema.ForeignKeyError as error:
        raise _unusable(url, error) from error
    except SQLAlchemyError as error:
        raise _unusable(url, error, writing=True) from error
    finally:
        engine.dispose()


def create_database(url: str, *, command: str = "init") -> str:
    """Create the database (an owner-only file for SQLite) at the latest schema; returns it.

    Safe on an existing database: it is upgraded, or left alone when current.
    """
    return _upgrade(url, command)[1]


def upgrade_database(url: str, *, command: str = "db upgrade") -> tuple[str | None, str]:
    """Upgrade to the latest schema in one audited transaction; returns (from, to).

    `from` is None for a new database; from == to when there was nothing to do.
    """
    return _upgrade(url, command)


def ensure_current(url_or_engine: str | Engine) -> str:
    """Refuse to go on unless the schema is exactly what this comunidad expects.

    The cheap check every database command runs first: one query, no Alembic.
    Returns the revision.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from comunidad_cli.storage.engine import make_engine
    from comunidad_cli.storage.schema import HEAD_REVISION, current_revision

    if isinstance(url_or_engine, str):
        url, engine, own = url_or_engine, None, True
    else:
        url = url_or_engine.url.render_as_string(hide_password=False)
        engine, own = url_or_engine, False
    _require_file(url)
    if engine is None:
        engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except SQLAlchemyError as error:
        raise _unusable(url, error) from error
    finally:
        if own:
            engine.dispose()
    problem = _state_problem(revision, HEAD_REVISION, url)
    if problem is not None:
        raise ServiceError(problem)
    assert revision is not None
    return revision


def check_database(url: str) -> DbCheckReport:
    """Look for everything that makes a database unsafe to use, and list it.

    SQLite: ``integrity_check`` and ``foreign_key_check``; all: the schema revision and
    the audit log's append-only triggers. A database that can't be read at all is a
    report with one problem, not an exception; a missing file is a ServiceError.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from comunidad_cli.storage.engine import make_engine
    from comunidad_cli.storage.schema import AUDIT_TRIGGERS, HEAD_REVISION, current_revision
    from comunidad_cli.storage.schema import trigger_names as read_triggers

    _require_file(url)
    problems: list[Msg] = []
    revision: str | None = None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                rows = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
                problems.extend(
                    Msg.of(N_("integrity check: {detail}"), detail=str(row))
                    for row in rows[:MAX_LISTED]
                    if row != "ok"
                )
                violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                problems.extend(
                    Msg.of(
                        N_("row {rowid} of table {table} refers to a missing row of {parent}"),
                        rowid=row[1],
                        table=row[0],
                        parent=row[2],
                    )
                    for row in violations[:MAX_LISTED]
                )
                if len(violations) > MAX_LISTED:
                    problems.append(
                        Msg.counted(
                            NP_(
                                "... and {count} more foreign key violation",
                                "... and {count} more foreign key violations",
                            ),
                            "count",
                            count=len(violations) - MAX_LISTED,
                        )
                    )
            revision = current_revision(connection)
            problem = _state_problem(revision, HEAD_REVISION, url)
            if problem is not None:
                problems.append(problem)
            if revision is not None:
                present = read_triggers(connection)
                problems.extend(
                    Msg.of(N_("the audit log's append-only trigger {name} is missing"), name=name)
                    for name in AUDIT_TRIGGERS.get(connection.dialect.name, ())
                    if name not in present
                )
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        problems.append(
            Msg.of(
                N_("cannot read the database at {path}: {reason}"),
                path=_display(url),
                reason=str(reason),
            )
        )
    finally:
        engine.dispose()
    return DbCheckReport(ok=not problems, revision=revision, head=HEAD_REVISION, problems=problems)


def backup_database(
    url: str,
    dest: Path,
    *,
    overwrite: bool = False,
    pages_per_step: int = 1024,
    step_sleep: float = 0.005,
    progress: Any = None,
) -> BackupReport:
    """A consistent copy of a live database, written atomically to `dest`: what may be
    backed up, and where to; `services/backup.py` writes it (SQLite's online backup, or
    ``pg_dump`` on PostgreSQL), see there."""
    from comunidad_cli.services import backup
    from comunidad_cli.storage import postgres
    from comunidad_cli.storage.engine import is_sqlite, sqlite_file

    if postgres.is_postgres(url):
        return backup.pg_dump(url, backup.target(dest, overwrite))
    if not is_sqlite(url):
        raise ServiceError.of(
            N_(
                "comunidad db backup copies SQLite and PostgreSQL databases; back up {url} with"
                " the database server's own tool"
            ),
            url=_display(url),
        )
    source_path = sqlite_file(url)
    if source_path is None or not source_path.is_file():
        raise ServiceError.of(_MSG_NO_DATABASE, path=str(source_path or url))
    dest = backup.target(dest, overwrite)
    if dest.exists() and os.path.samefile(dest, source_path):
        raise ServiceError.of(
            N_("{path} is the database itself: back up to another file"), path=str(dest)
        )
    return backup.sqlite_online(
        source_path, dest, pages_per_step=pages_per_step, step_sleep=step_sleep, progress=progress
    )


@dataclass(frozen=True, slots=True)
class ReadOnlyGrant:
    """What `grant_read_only` did (or, with `apply=False`, would do): the SQL, in order."""

    role: str
    database: str
    schema: str
    owner: str
    statements: list[str]
    applied: bool


def _ident(name: str) -> str:
    """`name` as a PostgreSQL identifier, quoted: exactly as typed, case kept."""
    return '"' + name.replace('"', '""') + '"'


def read_only_statements(role: str, database: str, schema: str, owner: str) -> list[str]:
    """The SQL that lets `role` read every table of `schema`, now and later, and nothing
    more: CONNECT, USAGE, SELECT on all tables; default privileges so the tables `owner`
    (who runs the migrations) creates later are readable too; any write taken back."""
    r, s, o = _ident(role), _ident(schema), _ident(owner)
    return [
        f"GRANT CONNECT ON DATABASE {_ident(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT SELECT ON TABLES TO {r}",
    ]


def grant_read_only(url: str, role: str, *, apply: bool = True) -> ReadOnlyGrant:
    """Let the PostgreSQL role `role` run every read command and no writing one.

    One audited transaction (the writers' lock held, like any change). With `apply=False`
    nothing is run or written: the SQL is returned for a person to run themselves (with
    ``CREATE ROLE`` first when the role does not exist yet). SQLite has no roles: who may
    read or write its file is the file's permissions, and the refusal says so.
    """
    from comunidad_cli import clock
    from comunidad_cli.core.importing.text import text_problem
    from comunidad_cli.services.session import reading_db, writing_db
    from comunidad_cli.storage import audit, postgres

    if not postgres.is_postgres(url):
        raise ServiceError.of(
            N_(
                "comunidad db grant gives PostgreSQL roles their rights; {path} is an SQLite"
                " file, and who may read or change it is the file's permissions (chmod, a"
                " group for those who only read)"
            ),
            path=_display(url),
        )
    problem = text_problem(role)
    if not role.strip() or problem is not None:
        raise ServiceError.of(
            N_("{option}: {problem}"),
            exit_code=2,
            option="--read-only",
            problem=problem or Msg.of(N_("give the name of a database role")),
        )
    now = clock.now()
    with writing_db(url) if apply else reading_db(url) as db:
        names = db.row("SELECT current_database(), current_schema(), current_user")
        assert names is not None
        database, schema, me = (str(name) for name in names)
        owner = (
            db.value(
                "SELECT tableowner FROM pg_tables WHERE schemaname = :schema AND tablename = :table",
                {"schema": schema, "table": "alembic_version"},
            )
            or me
        )
        found = db.row("SELECT rolsuper FROM pg_roles WHERE rolname = :role", {"role": role})
        statements = read_only_statements(role, database, schema, owner)
        if found is None:
            if apply:
                raise ServiceError.of(
                    N_(
                        'there is no database role "{role}": create it first (CREATE ROLE'
                        " {quoted} LOGIN), then run this again; with --sql the SQL includes it"
                    ),
                    role=role,
                    quoted=_ident(role),
                )
            statements.insert(0, f"CREATE ROLE {_ident(role)} LOGIN")
        elif found[0] or role == owner:
            raise ServiceError.of(
                N_(
                    'the database role "{role}" owns the tables or is a superuser: it may'
                    " change everything whatever it is granted; give another role read-only"
                    " rights"
                ),
                role=role,
            )
        if apply:
            cursor = db.raw.cursor()  # no parameters: the identifiers are quoted, not bound
            try:
                for statement in statements:
                    cursor.execute(statement)
            finally:
                cursor.close()
            audit.record(
                db,
                command="db grant",
                action="grant",
                entity="role",
                entity_id=role,
                detail={"read_only": True, "database": database, "schema": schema},
                at=now,
            )
    return ReadOnlyGrant(role, database, schema, owner, statements, apply)
