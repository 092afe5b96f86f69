"""Storage layer and database services: file mode, pragmas, migrations, audit, check, backup."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session, SQLModel, select

from comunidad_cli import clock
from comunidad_cli.services import database
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.storage import audit, schema
from comunidad_cli.storage.engine import default_url, is_sqlite, make_engine, sqlite_file
from comunidad_cli.storage.schema import HEAD_REVISION as HEAD
from comunidad_cli.storage.tables import AuditEvent

SRC = Path(__file__).resolve().parents[1] / "src"


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "comunidad.db"
    database.create_database(_url(path))
    return path


def _raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection that bypasses comunidad's engine (to tamper and inspect)."""
    return sqlite3.connect(path, isolation_level=None)


def _audit_rows(path: Path) -> list[tuple[str, str, str, str | None, str | None]]:
    with _raw(path) as connection:
        return connection.execute(
            "SELECT command, action, entity, entity_id, detail FROM audit_event ORDER BY id"
        ).fetchall()


def _run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


# --- engine ----------------------------------------------------------------------------


def test_new_file_is_owner_only_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    old_umask = os.umask(0o022)  # the usual umask, which would give 0o644
    try:
        engine = make_engine(_url(path))
        assert not path.exists(), "no file before the first connection"
        with engine.begin() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
        engine.dispose()
    finally:
        os.umask(old_umask)
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }
    with _raw(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_existing_file_mode_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    sqlite3.connect(path).close()
    path.chmod(0o640)
    engine = make_engine(_url(path))
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_urls(tmp_path: Path) -> None:
    assert default_url(tmp_path) == f"sqlite:///{tmp_path / 'comunidad.db'}"
    assert sqlite_file(default_url(tmp_path)) == tmp_path / "comunidad.db"
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("sqlite:///:memory:") is None
    pg = "postgresql+psycopg://user:secret@db.example/comunidad"
    assert sqlite_file(pg) is None
    assert not is_sqlite(pg)
    assert is_sqlite("sqlite:///x.db")


def test_transactions_cover_ddl(tmp_path: Path) -> None:
    """pysqlite on its own would run CREATE TABLE outside the transaction."""
    path = tmp_path / "ddl.db"
    engine = make_engine(_url(path))
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        raise RuntimeError("roll back")
    with engine.connect() as connection:
        assert not sa.inspect(connection).has_table("t")
    engine.dispose()


def test_clock_is_aware_utc_and_frozen_by_freezegun() -> None:
    with freeze_time("2024-03-05 23:30:00"):
        assert clock.now() == datetime(2024, 3, 5, 23, 30, tzinfo=UTC)
        assert clock.now().tzinfo is not None
        assert isinstance(clock.today(), date)
    assert clock.now().tzinfo is not None


# --- migrations ------------------------------------------------------------------------


def test_head_revision_matches_the_scripts() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert scripts.get_current_head() == schema.HEAD_REVISION
    assert schema.script_head() == schema.HEAD_REVISION
    # Revision ids are zero-padded sequence numbers on one line (the cheap check relies on it).
    revisions = list(reversed(list(scripts.walk_revisions())))
    assert [r.revision for r in revisions] == [f"{n:04d}" for n in range(1, len(revisions) + 1)]
    assert [r.down_revision for r in revisions] == [None, *[r.revision for r in revisions[:-1]]]


def test_migrations_produce_exactly_the_models(db_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(_url(db_path))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        indexes = {
            i["name"]: i["column_names"] for i in sa.inspect(connection).get_indexes("audit_event")
        }
    engine.dispose()
    assert indexes == {
        "ix_audit_event_at": ["at"],
        "ix_audit_event_entity_entity_id": ["entity", "entity_id"],
    }


def test_postgresql_migration_sql_has_the_triggers() -> None:
    sql = schema.upgrade_sql("postgresql://")
    assert "CREATE TABLE audit_event" in sql
    assert "LANGUAGE plpgsql" in sql
    for name in schema.AUDIT_TRIGGERS["postgresql"]:
        assert f"CREATE TRIGGER {name}" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql


def test_upgrade_is_idempotent_and_audited_once(tmp_path: Path) -> None:
    url = _url(tmp_path / "c.db")
    with freeze_time("2024-03-05 10:30:00"):
        assert database.upgrade_database(url) == (None, schema.HEAD_REVISION)
    assert database.upgrade_database(url) == (schema.HEAD_REVISION, schema.HEAD_REVISION)
    assert database.create_database(url) == schema.HEAD_REVISION
    assert _audit_rows(tmp_path / "c.db") == [
        ("db upgrade", "upgrade", "schema", HEAD, f'{{"from":null,"to":"{HEAD}"}}')
    ]
    engine = make_engine(url)
    with Session(engine) as session:
        (event,) = session.exec(select(AuditEvent)).all()
    engine.dispose()
    assert event.at == datetime(2024, 3, 5, 10, 30, tzinfo=UTC)


def test_create_database_audits_as_init(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    assert database.create_database(_url(path)) == schema.HEAD_REVISION
    assert [row[:2] for row in _audit_rows(path)] == [("init", "upgrade")]


def test_upgrade_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the migrations ran leaves no table behind, not even alembic_version."""
    path = tmp_path / "c.db"

    def fail(*args: object, **kwargs: object) -> int:
        raise RuntimeError("audit failed")

    monkeypatch.setattr(audit, "record", fail)
    with pytest.raises(RuntimeError, match="audit failed"):
        database.upgrade_database(_url(path))
    with _raw(path) as connection:
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_upgrade_refuses_a_newer_database(db_path: Path) -> None:
    with _raw(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(ServiceError) as raised:
        database.upgrade_database(_url(db_path))
    assert "newer comunidad" in raised.value.msg.text
    assert raised.value.msg.params["revision"] == "0099"


def test_create_in_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as raised:
        database.create_database(_url(tmp_path / "nowhere" / "c.db"))
    assert raised.value.msg.params["folder"] == str(tmp_path / "nowhere")


# --- audit -----------------------------------------------------------------------------


def test_audit_is_append_only(db_path: Path) -> None:
    engine = make_engine(_url(db_path))
    for statement in ("UPDATE audit_event SET command = 'forged'", "DELETE FROM audit_event"):
        with (
            pytest.raises(sa.exc.IntegrityError, match="append-only"),
            engine.begin() as connection,
        ):
            connection.exec_driver_sql(statement)
    engine.dispose()
    # The raw driver can't get around it either.
    with _raw(db_path) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("DELETE FROM audit_event")
        assert connection.execute("SELECT count(*) FROM audit_event").fetchone() == (1,)


def test_audit_row_commits_and_rolls_back_with_the_session(db_path: Path) -> None:
    engine = make_engine(_url(db_path))
    at = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    with Session(engine) as session:
        audit.record(
            session, command="org add", action="create", entity="org", entity_id="7", at=at
        )
        session.rollback()
    with Session(engine) as session:
        new_id = audit.record(
            session,
            command="payment add",
            action="create",
            entity="payment",
            entity_id="3",
            detail={"amount": Decimal("10.50"), "on": date(2024, 5, 1)},
            at=at,
        )
        session.commit()
        stored = session.get(AuditEvent, new_id)
        assert stored is not None
        assert stored.at == at
    engine.dispose()
    assert _audit_rows(db_path)[1:] == [
        ("payment add", "create", "payment", "3", '{"amount":"10.50","on":"2024-05-01"}')
    ]
    with engine.begin() as connection, pytest.raises(ValueError, match="aware"):
        audit.record(connection, command="x", action="create", entity="x", at=datetime(2024, 1, 1))
    engine.dispose()


# --- check and ensure_current ----------------------------------------------------------


def test_check_fresh_database_is_ok(db_path: Path) -> None:
    report = database.check_database(_url(db_path))
    assert report == database.DbCheckReport(ok=True, revision=HEAD, head=HEAD, problems=[])
    assert database.ensure_current(_url(db_path)) == HEAD


def test_check_reports_a_missing_schema_version(db_path: Path) -> None:
    with _raw(db_path) as connection:
        connection.execute("DELETE FROM alembic_version")
    report = database.check_database(_url(db_path))
    assert not report.ok
    assert report.revision is None
    assert [p.text for p in report.problems] == [
        "the database at {path} has no schema version: run comunidad db upgrade"
    ]
    with pytest.raises(ServiceError, match="run comunidad db upgrade"):
        database.ensure_current(_url(db_path))


@pytest.mark.parametrize("revision", ["0000", "0099", "3f2a9c1b"])
def test_check_reports_other_revisions(db_path: Path, revision: str) -> None:
    with _raw(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    report = database.check_database(_url(db_path))
    assert not report.ok
    assert report.revision == revision
    (problem,) = report.problems
    expected = "run comunidad db upgrade" if revision == "0000" else "written by a newer comunidad"
    assert expected in problem.render()
    with pytest.raises(ServiceError, match=expected):
        database.ensure_current(_url(db_path))


def test_check_reports_a_missing_trigger(db_path: Path) -> None:
    with _raw(db_path) as connection:
        connection.execute("DROP TRIGGER audit_event_no_delete")
    report = database.check_database(_url(db_path))
    assert not report.ok
    assert [p.params.get("name") for p in report.problems] == ["audit_event_no_delete"]


def test_check_reports_foreign_key_violations(db_path: Path) -> None:
    with _raw(db_path) as connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        connection.execute(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id REFERENCES parent)"
        )
        connection.execute("INSERT INTO child VALUES (1, 42)")
    report = database.check_database(_url(db_path))
    assert not report.ok
    assert [dict(p.params) for p in report.problems] == [
        {"rowid": 1, "table": "child", "parent": "parent"}
    ]


def test_check_reports_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not an SQLite database, just some text\n" * 100)
    report = database.check_database(_url(path))
    assert not report.ok
    assert "not a database" in report.problems[0].render()


def test_missing_database_is_a_user_error_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    for call in (database.check_database, database.ensure_current):
        with pytest.raises(ServiceError) as raised:
            call(_url(path))
        assert raised.value.msg.render() == (
            f"no database at {path}: run comunidad init or comunidad db upgrade"
        )
    assert not path.exists()


# --- backup ----------------------------------------------------------------------------

WRITER = r"""
import sqlite3, sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
connection = sqlite3.connect(path, timeout=5, isolation_level=None)
connection.execute("PRAGMA synchronous=NORMAL")
insert = (
    "INSERT INTO audit_event (at, command, action, entity, entity_id, detail)"
    " VALUES ('2024-01-01 00:00:00.000000', 'writer', ?, 'pair', ?, NULL)"
)
print("ready", flush=True)
pairs = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(insert, ("first", str(pairs)))
    connection.execute(insert, ("second", str(pairs)))
    connection.execute("COMMIT")
    pairs += 1
print(pairs, flush=True)
"""


def _pairs(connection: sqlite3.Connection) -> int:
    return (
        int(
            connection.execute("SELECT count(*) FROM audit_event WHERE entity = 'pair'").fetchone()[
                0
            ]
        )
        // 2
    )


def test_backup_while_another_process_writes(db_path: Path, tmp_path: Path) -> None:
    with _raw(db_path) as connection:  # ~4 MB, so the backup takes many steps
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO audit_event (at, command, action, entity, entity_id, detail)"
            " VALUES ('2024-01-01 00:00:00.000000', 'fill', 'create', 'fill', ?, ?)",
            ((str(i), "x" * 1000) for i in range(4000)),
        )
        connection.execute("COMMIT")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), "1.5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        steps: list[int] = []
        with _raw(db_path) as watcher:
            before = _pairs(watcher)
            report = database.backup_database(
                _url(db_path),
                tmp_path / "backup.db",
                pages_per_step=16,
                step_sleep=0.002,
                progress=lambda remaining, total: steps.append(remaining),
            )
            after = _pairs(watcher)
        total_pairs = int(writer.communicate(timeout=30)[0].strip())
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0
    assert len(steps) > 50, "the backup ran in many steps"
    assert after > before > 0, "the writer kept committing while the backup ran"

    backup = tmp_path / "backup.db"
    assert report.bytes == backup.stat().st_size
    assert report.pages * 4096 == report.bytes
    assert report.seconds > 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")) == []
    with _raw(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute(
            "SELECT count(*) FROM audit_event WHERE entity = 'fill'"
        ).fetchone() == (4000,)
        # One snapshot: every writer transaction is there whole, and none from after it.
        halves = copy.execute(
            "SELECT count(*) FROM audit_event WHERE entity = 'pair'"
            " GROUP BY entity_id HAVING count(*) != 2"
        ).fetchall()
        assert halves == []
        copied = _pairs(copy)
        ids = copy.execute(
            "SELECT min(CAST(entity_id AS INTEGER)), max(CAST(entity_id AS INTEGER))"
            " FROM audit_event WHERE entity = 'pair'"
        ).fetchone()
    assert ids == (0, copied - 1)
    assert before <= copied <= after < total_pairs
    assert database.check_database(_url(backup)).ok


def test_backup_refuses_an_existing_destination(db_path: Path, tmp_path: Path) -> None:
    dest = tmp_path / "backup.db"
    dest.write_text("precious")
    with pytest.raises(ServiceError, match="already exists"):
        database.backup_database(_url(db_path), dest)
    assert dest.read_text() == "precious"
    with pytest.raises(ServiceError, match="is the database itself"):
        database.backup_database(_url(db_path), db_path, overwrite=True)
    report = database.backup_database(_url(db_path), dest, overwrite=True)
    assert report.bytes == dest.stat().st_size
    with _raw(dest) as copy:
        assert copy.execute("SELECT count(*) FROM audit_event").fetchone() == (1,)


def test_backup_refuses_other_databases_and_missing_files(tmp_path: Path) -> None:
    """PostgreSQL is backed up with pg_dump (tests/test_postgres_roles.py); other servers'
    databases are refused, their password never shown."""
    with pytest.raises(ServiceError) as raised:
        database.backup_database("mysql+pymysql://user:secret@db.example/c", tmp_path / "b")
    rendered = raised.value.msg.render()
    assert "server's own tool" in rendered and "db.example" in rendered
    assert "secret" not in rendered
    with pytest.raises(ServiceError, match="no database at"):
        database.backup_database(_url(tmp_path / "missing.db"), tmp_path / "b.db")
    assert list(tmp_path.iterdir()) == []


# --- PostgreSQL (only where a throwaway server is given) ---------------------------------


@pytest.mark.postgres_only
def test_postgresql_upgrade_check_and_append_only(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = postgres_url
    engine = make_engine(url)
    with engine.begin() as connection:
        tables = sa.inspect(connection).get_table_names()
    assert tables == [], "the test database must be empty"

    def fail(*args: object, **kwargs: object) -> int:
        raise RuntimeError("audit failed")

    with monkeypatch.context() as patch:
        patch.setattr(audit, "record", fail)
        with pytest.raises(RuntimeError):
            database.upgrade_database(url)
    with engine.connect() as connection:
        assert sa.inspect(connection).get_table_names() == []
    try:
        assert database.upgrade_database(url) == (None, HEAD)
        assert database.upgrade_database(url) == (HEAD, HEAD)
        assert database.check_database(url).ok
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
        for statement in (
            "UPDATE audit_event SET command = 'x'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
        ):
            with (
                pytest.raises(sa.exc.IntegrityError, match="append-only"),
                engine.begin() as connection,
            ):
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


# --- import cost -----------------------------------------------------------------------


def test_importing_the_service_does_not_import_sqlalchemy() -> None:
    result = _run_python(
        "import comunidad_cli.services.database, sys; print('sqlalchemy' in sys.modules)"
    )
    assert result.stdout.strip() == "False"


def test_ensure_current_does_not_import_alembic(db_path: Path) -> None:
    result = _run_python(
        "import sys; from comunidad_cli.services.database import ensure_current;"
        " print(ensure_current(sys.argv[1]), 'alembic' in sys.modules)",
        _url(db_path),
    )
    assert result.stdout.split() == [HEAD, "False"]


def test_audit_details_are_canonical_json_and_a_cyclic_one_is_refused() -> None:
    """Sorted keys, UTF-8 kept, no spaces, dates and amounts as text, lists as arrays: the
    same text for equal details. The encoder keeps no table of the lists it is inside (an
    import's audit lists a meeting's events, a list each), yet a detail that contains
    itself still fails instead of being written."""
    from datetime import date
    from decimal import Decimal

    from comunidad_cli.storage.audit import encode_detail

    detail = {
        "file": "asistencia.csv",
        "events": [[2, "rosa-núñez", "2026-11-18T18:00:00-03:00", "arrive"], (3, None, True)],
        "on": date(2026, 11, 18),
        "amount": Decimal("1234.50"),
    }
    assert encode_detail(detail) == (
        '{"amount":"1234.50","events":[[2,"rosa-núñez","2026-11-18T18:00:00-03:00","arrive"],'
        '[3,null,true]],"file":"asistencia.csv","on":"2026-11-18"}'
    )
    assert encode_detail(dict(reversed(list(detail.items())))) == encode_detail(detail)
    cyclic: dict[str, object] = {"events": []}
    cyclic["events"] = [cyclic]
    with pytest.raises((ValueError, RecursionError)):
        encode_detail(cyclic)
