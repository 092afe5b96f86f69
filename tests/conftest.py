"""Shared fixtures. Catalogs are compiled fresh at session start so edits to .po files are
tested without reinstalling the package."""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _compile_catalogs() -> None:
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_catalogs(strict=False)


_compile_catalogs()


def _no_hypothesis_deadline() -> None:
    """Property tests check what is true, never how fast: speed lives in benchmarks/. With
    Hypothesis's 200 ms deadline a property test failed once on a loaded 2-core machine
    (test_lint_rules' "at least as hard") while passing alone."""
    from hypothesis import settings

    settings.register_profile("comunidad", deadline=None)
    settings.load_profile("comunidad")


_no_hypothesis_deadline()


def _import_psycopg_before_any_frozen_clock() -> None:
    """Import psycopg now, before any test freezes the clock.

    psycopg's C extension takes `datetime.datetime` once, when it is first imported: imported
    inside a `freeze_time` block (a fixture that builds a workspace at a frozen date), it
    takes freezegun's FakeDatetime and builds every timestamp it reads from then on, for the
    rest of the run, as one, whose `astimezone` drops `fold`, so the second 23:30 of the
    night Chile turns its clocks back is shown as the first (-03:00 for -04:00). The
    product never runs under freezegun; the suite must not depend on test order.
    """
    with contextlib.suppress(ImportError):  # the SQLite-only install: nothing to protect
        import psycopg  # noqa: F401


_import_psycopg_before_any_frozen_clock()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests start in English, outside any workspace, with no CI-specific variables."""
    for name in (
        "COMUNIDAD_LOCALE",
        "COMUNIDAD_WORKSPACE",
        "COMUNIDAD_DB",
        "COMUNIDAD_AS_OF",
        "GITHUB_ACTIONS",
        "LANGUAGE",
        "COLUMNS",  # tables fit COLUMNS when set: tests start with output to a pipe, unwrapped
        "LINES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    from comunidad_cli import i18n

    i18n.activate("en")
    yield
    i18n.activate("en")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty temporary folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running `comunidad` as a user would, in a subprocess."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COMUNIDAD_", "LC_", "GITHUB_"))
    }
    env.pop("LANGUAGE", None)
    env["LANG"] = "C.UTF-8"
    env.update(extra)
    return env


#: The backend the suite runs on: COMUNIDAD_TEST_POSTGRES names a PostgreSQL server (any
#: database on it, e.g. postgresql://me@127.0.0.1:5432/postgres) and every workspace a test
#: creates gets a fresh database there; unset, workspaces use SQLite files as users' do.
POSTGRES_SERVER = os.environ.get("COMUNIDAD_TEST_POSTGRES", "").strip()
BACKEND = "postgresql" if POSTGRES_SERVER else "sqlite"
_created = itertools.count(1)
#: Databases made for the running test, dropped when it ends (a whole run would otherwise
#: leave a thousand-odd databases, gigabytes, on the server).
_made: list[str] = []


def _database_url(name: str) -> str:
    parts = urlsplit(POSTGRES_SERVER)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def _create(name: str, template: str | None = None) -> str:
    import psycopg

    # FILE_COPY: for the suite's small databases a plain copy of the template's files is about
    # a third faster to make and drop than PostgreSQL 15's default WAL_LOG (measured: 0.036 s
    # against 0.049 s to create, 0.006 s against 0.015 s to drop), a thousand-odd times a run.
    clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{clause}')
    if template is not None or not name.startswith("template"):
        _made.append(name)
    return _database_url(name)


def _drop_made() -> None:
    """Drop the databases the test made (FORCE: a connection the test left open is ended)."""
    if not _made:
        return
    import psycopg

    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
        while _made:
            admin.execute(f'DROP DATABASE IF EXISTS "{_made.pop()}" WITH (FORCE)')


def new_postgres_database() -> str:
    """A new, empty database on the test server; its URL (no password: libpq finds it)."""
    return _create(f"t{os.getpid()}_{next(_created)}")


_template: list[str] = []


def new_postgres_workspace_database() -> str:
    """A new database already at the head schema, with no rows, for a workspace's `init`.

    Running the migrations costs ~80 DDL statements (0.2-0.4 s) per workspace, which the
    1,000-odd workspaces of the suite would pay over and over; instead the first workspace
    database is migrated for real and becomes the template the others are copied from.
    `init` then finds the schema current and records no "upgrade" event: the tests of that
    event are about SQLite's path, and the upgrade on PostgreSQL has tests of its own.
    """
    if not _template:
        import psycopg

        from comunidad_cli.services.database import create_database

        name = f"template{os.getpid()}"
        url = _create(name)
        create_database(url, command="test template")
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("ALTER TABLE audit_event DISABLE TRIGGER USER")
            db.execute("DELETE FROM audit_event")
            db.execute("ALTER TABLE audit_event ENABLE TRIGGER USER")
            db.execute("SELECT setval(pg_get_serial_sequence('audit_event', 'id'), 1, false)")
        _template.append(name)
    return _create(f"w{os.getpid()}_{next(_created)}", template=_template[0])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: the test is about SQLite itself (its file, pragmas, sqlite3)"
    )
    config.addinivalue_line("markers", "postgres_only: the test needs a PostgreSQL server")


def pytest_report_header() -> str:
    return f"comunidad backend: {BACKEND}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = "sqlite_only" if BACKEND == "postgresql" else "postgres_only"
    why = {
        "sqlite_only": "about SQLite itself; this run is on PostgreSQL",
        "postgres_only": "needs a PostgreSQL server: set COMUNIDAD_TEST_POSTGRES",
    }[skip]
    for item in items:
        if item.get_closest_marker(skip) is not None:
            item.add_marker(pytest.mark.skip(reason=why))


@pytest.fixture(autouse=True)
def _backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """On a PostgreSQL run, a workspace created without --db gets a fresh database, dropped
    when the test ends."""
    if BACKEND != "postgresql":
        yield
        return
    from comunidad_cli.services import workspace

    real_init = workspace.init

    def init(directory: Path, **kwargs: Any) -> Any:
        if not kwargs.get("db_url"):
            kwargs["db_url"] = new_postgres_workspace_database()
        return real_init(directory, **kwargs)

    monkeypatch.setattr(workspace, "init", init)
    yield
    _drop_made()


@pytest.fixture
def postgres_url() -> str:
    """A fresh database on the test server (the test is skipped without one)."""
    if not POSTGRES_SERVER:
        pytest.skip("needs a PostgreSQL server: set COMUNIDAD_TEST_POSTGRES")
    return new_postgres_database()


pytest_plugins = ["tests.governance"]
