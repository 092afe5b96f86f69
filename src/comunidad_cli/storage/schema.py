"""Schema versions and migrations.

`HEAD_REVISION` and `current_revision` let every command check the schema version with
one small query and without importing Alembic (~0.2 s more). Alembic itself is imported
only by `upgrade` and the helpers that need the migration scripts.

Revision ids are zero-padded sequence numbers ("0001", "0002", ...), so "behind" and
"ahead" can be told apart by comparing numbers, without reading the scripts.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect

from comunidad_cli.storage.engine import BEGIN_OPTION

if TYPE_CHECKING:
    from alembic.config import Config

from comunidad_cli.storage.revision import HEAD_REVISION as HEAD_REVISION
from comunidad_cli.storage.revision import RevisionState as RevisionState
from comunidad_cli.storage.revision import revision_state as revision_state

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
#: The triggers that make audit_event append-only, by dialect.
AUDIT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "sqlite": ("audit_event_no_update", "audit_event_no_delete"),
    "postgresql": ("audit_event_no_update", "audit_event_no_delete", "audit_event_no_truncate"),
}


class SchemaError(Exception):
    """The database's schema can't be upgraded by this version of comunidad."""


class SchemaAheadError(SchemaError):
    """The database is at a revision this comunidad doesn't know (a newer comunidad wrote it)."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"unknown schema revision {revision!r} (this comunidad knows up to {HEAD_REVISION})"
        )
        self.revision = revision


class ForeignKeyError(SchemaError):
    """A migration left rows pointing at rows that don't exist; nothing was committed."""

    def __init__(self, violations: list[tuple[str, int | None, str]]) -> None:
        super().__init__(f"{len(violations)} foreign key violation(s), first: {violations[0]}")
        self.violations = violations


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in alembic_version; None when the table is missing or empty.

    Several rows (branches, which comunidad doesn't use) come back joined with commas, an
    id no comunidad knows.
    """
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalars().all()
    if not rows:
        return None
    return ",".join(sorted(str(row) for row in rows))


def trigger_names(connection: Connection) -> set[str]:
    """Names of the triggers on audit_event (to check the append-only guard is in place)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
    elif dialect == "postgresql":
        sql = (
            "SELECT tgname FROM pg_trigger"
            " WHERE tgrelid = to_regclass('audit_event') AND NOT tgisinternal"
        )
    else:
        return set()
    return {str(name) for name in connection.exec_driver_sql(sql).scalars()}


def alembic_config(connection: Connection | None = None, *, url: str | None = None) -> Config:
    """An Alembic Config built in code: no alembic.ini is shipped or needed.

    ConfigParser interpolates ``%``, so paths and URLs are escaped before being stored.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_head() -> str:
    """The head revision according to the migration scripts (tests compare HEAD_REVISION)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def upgrade_sql(url: str, *, start: str | None = None) -> str:
    """The SQL an upgrade to head would run on `url`'s dialect, for applying by hand."""
    from alembic import command

    buffer = io.StringIO()
    config = alembic_config(url=url)
    config.output_buffer = buffer
    command.upgrade(config, f"{start}:head" if start else "head", sql=True)
    return buffer.getvalue()


def _raw_pragma(connection: Connection, pragma: str) -> None:
    """Run a pragma on the driver connection, outside any transaction.

    Some pragmas (foreign_keys, journal_mode) are silently ignored inside a transaction,
    and SQLAlchemy would begin one for any statement sent through the Connection.
    """
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(pragma)


def upgrade(
    engine: Engine, *, command: str = "db upgrade", at: datetime | None = None
) -> tuple[str | None, str]:
    """Upgrade to head in ONE transaction, audited in it; returns (from, to).

    Nothing is written when the schema is already current. On SQLite the transaction is
    BEGIN IMMEDIATE (a second upgrader waits rather than racing) and foreign keys are
    off while migrating (table rebuilds in batch mode would otherwise cascade or fail)
    and checked with ``PRAGMA foreign_key_check`` before committing.
    """
    from comunidad_cli import clock
    from comunidad_cli.storage import audit

    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _raw_pragma(connection, "PRAGMA foreign_keys=OFF")
        # SQLite: BEGIN IMMEDIATE; PostgreSQL: the writers' lock (storage.postgres).
        connection.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        try:
            with connection.begin():
                before = current_revision(connection)
                state = revision_state(before)
                if state == "ahead":
                    assert before is not None
                    raise SchemaAheadError(before)
                if state == "current":
                    return before, HEAD_REVISION
                from alembic import command as alembic_command

                alembic_command.upgrade(alembic_config(connection), "head")
                after = current_revision(connection)
                if after != HEAD_REVISION:
                    raise RuntimeError(
                        f"migrations ended at {after!r} but HEAD_REVISION is {HEAD_REVISION!r}"
                    )
                if sqlite:
                    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if violations:
                        raise ForeignKeyError([(str(v[0]), v[1], str(v[2])) for v in violations])
                audit.record(
                    connection,
                    command=command,
                    action="upgrade",
                    entity="schema",
                    entity_id=after,
                    detail={"from": before, "to": after},
                    at=at if at is not None else clock.now(),
                )
        finally:
            if sqlite and not connection.invalidated:
                _raw_pragma(connection, "PRAGMA foreign_keys=ON")
    return before, after
