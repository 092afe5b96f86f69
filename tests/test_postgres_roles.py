"""Who may do what on a shared PostgreSQL database: the audit actor is the database role, a
read-only role reads everything and is refused every write in words, passwords never reach
comunidad.toml or a message, libpq's own URL forms work as typed, `db backup` runs pg_dump,
and a missing psycopg says how to install it.

Tests marked postgres_only need COMUNIDAD_TEST_POSTGRES (a server on which the test user may
create databases and roles); the others run on both backends.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import POSTGRES_SERVER
from tests.helpers import dump, ok, query, refused, run, write

_roles = itertools.count(1)


def _as(url: str, role: str, password: str | None = None) -> str:
    """`url` with another user (and password) in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    user = f"{role}:{password}" if password is not None else role
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query, ""))


def _admin(url: str, *statements: str) -> None:
    """Run statements on `url`'s database as the test server's user, in autocommit."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        for statement in statements:
            db.execute(statement)


@pytest.fixture
def new_role(postgres_url: str) -> Iterator[Any]:
    """new_role(url) -> a fresh LOGIN role's name; the role and its rights go at teardown."""
    made: list[tuple[str, str]] = []

    def make(url: str) -> str:
        name = f"pgroles_{os.getpid()}_{next(_roles)}"
        _admin(url, f'CREATE ROLE "{name}" LOGIN')
        made.append((name, url))
        return name

    yield make
    for name, url in made:
        _admin(url, f'DROP OWNED BY "{name}"')
        _admin(POSTGRES_SERVER, f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def pg_workspace(postgres_url: str, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace on a fresh PostgreSQL database, with a person and a seated member."""
    ok("--db", postgres_url, "init", "w", "--locale", "en_US")
    root = in_tmp / "w"
    monkeypatch.chdir(root)
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    ok("person", "add", "María José Núñez", "--org", "casa")
    ok(
        "member", "add", "--body", "nlg", "--person", "maria-jose-nunez",
        "--class", "resident", "--from", "2025-01-01",
    )  # fmt: skip
    return root


# --- the driver --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("person", "list"), ("db", "upgrade"), ("db", "check")], ids=" ".join
)
def test_a_missing_psycopg_says_how_to_install_it(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """Both ways to the data (DB-API and SQLAlchemy) refuse with the pip line, translated."""
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` raises ImportError
    url = "postgresql://nobody@127.0.0.1:9/nothing"
    code, out, err = run("--db", url, *args)
    assert code == 1 and out == "" and "Traceback" not in err
    assert 'pip install "comunidad[postgresql]"' in err and "psycopg" in err
    code, _, err = run("--locale", "es", "--db", url, *args)
    assert code == 1 and "PostgreSQL (psycopg) no está instalado" in err
    assert 'pip install "comunidad[postgresql]"' in err


# --- passwords ---------------------------------------------------------------------------------


def test_urls_keep_libpq_forms_and_lose_only_their_password() -> None:
    from comunidad_cli.services.database import display
    from comunidad_cli.storage import postgres

    service = "postgresql:///xarxa?service=xarxa"
    assert postgres.libpq_url(service) == service  # '//' kept with no host
    assert postgres.sqlalchemy_url(service) == "postgresql+psycopg:///xarxa?service=xarxa"
    assert postgres.libpq_url("postgresql+psycopg://h/db") == "postgresql://h/db"
    cases = {
        "postgresql://ana:s%40cret@h:5432/db?sslmode=require": (
            "postgresql://ana:***@h:5432/db?sslmode=require",
            "postgresql://ana@h:5432/db?sslmode=require",
            "s@cret",
        ),
        "postgresql:///db?host=/run/postgresql&password=s3cret": (
            "postgresql:///db?host=/run/postgresql&password=***",
            "postgresql:///db?host=/run/postgresql",
            "s3cret",
        ),
        "postgresql://:pw@[::1]/db": ("postgresql://:***@[::1]/db", "postgresql://[::1]/db", "pw"),
    }
    for url, (shown, apart, password) in cases.items():
        assert postgres.password_in(url)
        assert postgres.without_password(url) == shown == display(url)
        assert postgres.password_apart(url) == (apart, password)
    for url in (service, "postgresql://ana@h/db", "postgresql:///db?host=/tmp"):
        assert not postgres.password_in(url)
        assert postgres.without_password(url) == url == display(url)
        assert postgres.password_apart(url) == (url, None)
    assert not postgres.password_in("sqlite:///a:b@c.db")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://ana:s3cret@127.0.0.1:9/comunidad",
        "postgresql+psycopg://ana:s3cret@[::1]:9/comunidad",
        "postgresql:///comunidad?host=127.0.0.1&password=s3cret",
    ],
)
def test_init_never_writes_a_password_to_comunidad_toml(in_tmp: Path, url: str) -> None:
    code, out, err = run("--db", url, "init", "w")
    assert code == 1 and out == "" and "Traceback" not in err
    assert "s3cret" not in err and "***" in err
    for means in ("~/.pgpass", "PGPASSFILE", "PGPASSWORD", "service="):
        assert means in err
    assert not (in_tmp / "w").exists()  # nothing written, not even the folder
    code, _, err = run("--locale", "ca", "--db", url, "init", "w")
    assert code == 1 and "contrasenya" in err and "s3cret" not in err


@pytest.mark.postgres_only
def test_a_password_in_db_or_comunidad_db_works_and_is_never_shown(
    pg_workspace: Path, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test server trusts its clients, so any password is accepted: what matters here
    is that no output ever carries it, whatever the command and however it fails."""
    user = urlsplit(postgres_url).username or ""
    with_password = _as(postgres_url, user, "s3cret")
    monkeypatch.setenv("COMUNIDAD_DB", with_password)
    outputs = [
        run("person", "add", "Luis Peña"),
        run("person", "list"),
        run("db", "upgrade"),
        run("db", "check", "--json"),
        run("db", "backup", str(tmp_path / "copy.dump")),
    ]
    assert [code for code, _, _ in outputs] == [0] * len(outputs)
    assert json.loads(outputs[3][1])["ok"] is True
    assert "luis-pena" in outputs[1][1]
    gone = _as(postgres_url.rsplit("/", 1)[0] + "/pgroles_missing_db", user, "s3cret")
    for args in (("--db", gone, "person", "list"), ("--db", gone, "db", "check")):
        code, out, err = run(*args)
        outputs.append((code, out, err))
        assert code == 1 and "pgroles_missing_db" in out + err
    for _code, out, err in outputs:
        assert "s3cret" not in out + err, (out, err)


@pytest.mark.postgres_only
def test_libpq_query_and_service_urls_are_taken_as_typed(
    postgres_url: str, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``postgresql:///db?host=..&port=..`` and ``?service=NAME`` go to libpq as they are,
    on both ways to the data (init's migrations run on SQLAlchemy's)."""
    server = urlsplit(postgres_url)
    database = server.path.lstrip("/")
    url = (
        f"postgresql:///{database}?host={server.hostname}&port={server.port}&user={server.username}"
    )
    ok("--db", url, "init", "w", "--locale", "en_US")
    root = in_tmp / "w"
    assert f'database = "{url}"' in (root / "comunidad.toml").read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    ok("person", "add", "Ana")
    assert "ana" in ok("person", "list")
    services = write(
        in_tmp,
        "pg_service.conf",
        f"[pgroles]\nhost={server.hostname}\nport={server.port}\n"
        f"user={server.username}\ndbname={database}\n",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("COMUNIDAD_DB", "postgresql:///?service=pgroles")
    assert "ana" in ok("person", "list")
    assert ok("db", "check", "--json")
    ok("person", "add", "Luis")
    assert query(root, "select key from person order by key") == [("ana",), ("luis",)]


# --- who acts ----------------------------------------------------------------------------------


@pytest.mark.postgres_only
def test_the_audit_actor_is_the_database_role(
    pg_workspace: Path, postgres_url: str, new_role: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command run as another role records that role, whatever COMUNIDAD_ACTOR or --by
    claim: typed commands, bulk imports and --by commands alike."""
    role = new_role(postgres_url)
    _admin(
        postgres_url,
        f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
    )
    monkeypatch.setenv("COMUNIDAD_ACTOR", "someone-else")
    as_role = _as(postgres_url, role)
    ok("--db", as_role, "person", "add", "Luis Peña")
    write(pg_workspace, "people.json", json.dumps([{"id": "rosa", "name": "Rosa"}]))
    ok("--db", as_role, "import", "people", "people.json")
    ok("--db", as_role, "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00")
    owner = urlsplit(postgres_url).username
    actors = query(pg_workspace, "select command, entity_id, actor from audit_event order by id")
    assert actors[0][0] == "init" and actors[0][2] == owner  # the owner's init
    by_role = [(c, e) for c, e, a in actors if a == role]
    assert by_role == [
        ("person add", "luis-pena"),
        ("import people", "rosa"),
        ("import people", "people.json"),
        ("meeting new", "nlg-2026-11-18"),
    ]
    assert not [a for _, _, a in actors if a == "someone-else"]
    rows = json.loads(ok("audit", "list", "--id", "luis-pena", "--json"))
    assert [r["actor"] for r in rows] == [role]


# --- a read-only role --------------------------------------------------------------------------


@pytest.mark.postgres_only
def test_a_read_only_role_reads_everything_and_writes_nothing(
    pg_workspace: Path, postgres_url: str, new_role: Any, tmp_path: Path
) -> None:
    meeting = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10"
    ).strip()  # fmt: skip
    ok("meeting", "attend", meeting, "--person", "maria-jose-nunez", "--at", "18:00")
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    reader = new_role(postgres_url)
    code, _, err = run("--db", _as(postgres_url, reader), "person", "list")
    assert code == 1 and f"the database role {reader} may not read this database" in err
    assert f"db grant --read-only {reader}" in err
    code, _, said = run("db", "grant", "--read-only", reader)
    assert code == 0 and f"The role {reader} may now read the database" in said
    as_reader = _as(postgres_url, reader)
    reads = [
        ("person", "list"),
        ("person", "show", "maria-jose-nunez"),
        ("org", "list"),
        ("member", "list", "--body", "nlg"),
        ("meeting", "list"),
        ("meeting", "show", meeting, "--at", "18:20"),
        ("motion", "list"),
        ("motion", "show", motion, "--json"),
        ("meeting", "minutes", meeting, "--format", "markdown"),
        ("summary",),
        ("spend-down",),
        ("grant", "list"),
        ("subcontract", "list"),
        ("payment", "list"),
        ("deliverable", "list"),
        ("resource", "list"),
        ("resource", "report"),
        ("export", "payments", "--format", "json"),
        ("export", "subcontracts"),
        ("audit", "list"),
        ("db", "check"),
        ("db", "upgrade"),  # already current: nothing to write
        ("import", "people", str(write(tmp_path, "p.csv", "id,name\nrosa,Rosa\n")), "--dry-run"),
    ]
    for args in reads:
        code, _, err = run("--db", as_reader, *args)
        assert code == 0, (args, err)
    assert "maria-jose-nunez" in ok("--db", as_reader, "person", "list")
    code, _, err = run("--db", as_reader, "capacity", "network")  # read: nothing there yet
    assert code == 1 and "no capacity assessments yet" in err
    write(pg_workspace, "people.json", json.dumps([{"id": "rosa", "name": "Rosa"}]))
    writes = [
        ("person", "add", "Luis"),
        ("motion", "vote", motion, "--person", "maria-jose-nunez", "--choice", "yes", "--at", "18:20"),
        ("meeting", "leave", meeting, "--person", "maria-jose-nunez", "--at", "18:30"),
        ("import", "people", "people.json"),
        ("grant", "new", "--funder", "casa", "--title", "T", "--amount", "1000",
         "--from", "2026-01-01", "--to", "2026-12-31"),
    ]  # fmt: skip
    for args in writes:
        err = refused(pg_workspace, "--db", as_reader, *args)
        assert f"the database role {reader} may only read this database" in err, (args, err)
    err = refused(pg_workspace, "--locale", "es", "--db", as_reader, "person", "add", "Luis")
    assert f"el rol {reader}" in err
    # The owner still writes, and the reader reads what is written after the grant.
    ok("person", "add", "Luis")
    assert "luis" in ok("--db", as_reader, "person", "list")


@pytest.mark.postgres_only
def test_db_grant_sql_refusals_and_audit(
    pg_workspace: Path, postgres_url: str, new_role: Any
) -> None:
    before = dump(pg_workspace)
    missing = f"pgroles_{os.getpid()}_nobody"
    sql = ok("db", "grant", "--read-only", missing, "--sql")
    database = urlsplit(postgres_url).path.lstrip("/")
    lines = sql.splitlines()
    assert lines[0].startswith("-- ")
    assert lines[1:] == [
        f'CREATE ROLE "{missing}" LOGIN;',
        f'GRANT CONNECT ON DATABASE "{database}" TO "{missing}";',
        f'GRANT USAGE ON SCHEMA "public" TO "{missing}";',
        f'GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO "{missing}";',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "public" FROM "{missing}";',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{urlsplit(postgres_url).username}" IN SCHEMA "public"'
        f' GRANT SELECT ON TABLES TO "{missing}";',
    ]
    assert dump(pg_workspace) == before  # --sql runs nothing
    err = refused(pg_workspace, "db", "grant", "--read-only", missing)
    assert f'no database role "{missing}"' in err and "CREATE ROLE" in err
    owner = urlsplit(postgres_url).username or ""
    err = refused(pg_workspace, "db", "grant", "--read-only", owner)
    assert "owns the tables or is a superuser" in err
    # Running the printed SQL by hand does what the command does.
    reader = new_role(postgres_url)
    printed = ok("db", "grant", "--read-only", reader, "--sql")
    _admin(postgres_url, *[s for s in printed.split(";\n") if s.strip() and "--" not in s])
    assert ok("--db", _as(postgres_url, reader), "person", "list")
    refused(pg_workspace, "--db", _as(postgres_url, reader), "person", "add", "X")
    # The command itself is audited, by the role that ran it.
    other = new_role(postgres_url)
    ok("db", "grant", "--read-only", other)
    assert query(
        pg_workspace, "select command, action, entity, entity_id, actor from audit_event"
        " where entity = 'role'"
    ) == [("db grant", "grant", "role", other, owner)]  # fmt: skip


def test_db_grant_on_sqlite_says_file_permissions_are_its_way(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'comunidad.db'}"
    code, out, err = run("--db", url, "db", "grant", "--read-only", "reader")
    assert code == 1 and out == "" and "file's permissions" in err and "chmod" in err
    code, _, err = run("--locale", "es", "--db", url, "db", "grant", "--read-only", "reader")
    assert code == 1 and "permisos del archivo" in err
    code, _, err = run("--db", url, "db", "grant")
    assert code == 2 and "--read-only" in err
    assert list(tmp_path.iterdir()) == []


# --- backup ------------------------------------------------------------------------------------


@pytest.mark.postgres_only
def test_db_backup_on_postgresql_runs_pg_dump(
    pg_workspace: Path, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("needs the PostgreSQL client tools (pg_dump, pg_restore)")
    target = tmp_path / "copy.dump"
    said = run("db", "backup", str(target))
    assert said[0] == 0 and str(target) in said[2]
    assert target.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    assert target.stat().st_mode & 0o777 == 0o600
    assert refused(pg_workspace, "db", "backup", str(target)).count("already exists") == 1
    ok("person", "add", "Luis Peña")
    ok("db", "backup", str(target), "--overwrite")  # replaced whole, with the new row
    # It restores: every row there, audit included.
    restored = postgres_url.rsplit("/", 1)[0] + f"/pgroles_restore_{os.getpid()}"
    _admin(POSTGRES_SERVER, f'DROP DATABASE IF EXISTS "{restored.rsplit("/", 1)[1]}"')
    _admin(POSTGRES_SERVER, f'CREATE DATABASE "{restored.rsplit("/", 1)[1]}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={restored}", str(target)], check=True
        )
        import psycopg

        with psycopg.connect(restored) as db:
            copied = db.execute("select key, name from person order by key").fetchall()
            audited = db.execute("select count(*) from audit_event").fetchone()
        assert copied == query(pg_workspace, "select key, name from person order by key")
        assert audited == query(pg_workspace, "select count(*) from audit_event")[0]
    finally:
        _admin(POSTGRES_SERVER, f'DROP DATABASE IF EXISTS "{restored.rsplit("/", 1)[1]}"')
    # Without pg_dump on PATH: what to install, or the command to run by hand.
    monkeypatch.setenv("PATH", "")
    other = tmp_path / "other.dump"
    err = refused(pg_workspace, "db", "backup", str(other))
    assert "pg_dump" in err and "postgresql-client" in err and str(other) in err
    assert not other.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["copy.dump", "w"]


@pytest.mark.postgres_only
def test_pg_dump_failing_is_a_refusal_with_its_reason(postgres_url: str, tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("needs pg_dump")
    gone = postgres_url.rsplit("/", 1)[0] + "/pgroles_no_such_db"
    code, out, err = run("--db", gone, "db", "backup", str(tmp_path / "x.dump"))
    assert code == 1 and out == "" and "pg_dump could not back up" in err
    assert "pgroles_no_such_db" in err and list(tmp_path.iterdir()) == []
