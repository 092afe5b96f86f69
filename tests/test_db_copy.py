"""`comunidad db copy --to URL`: a workspace's database moved, verified, or nothing changes.

The PostgreSQL side uses `postgres_url` (a fresh database; skipped without a server), so the
SQLite-only run skips those tests; the copies to an SQLite file run on both runs (on the
PostgreSQL run the workspace itself lives on the server).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import database_of, dump, ok, query, run

#: What a reader sees of a workspace: equal before and after a copy, whatever the backend.
VIEWS: tuple[tuple[str, ...], ...] = (
    ("person", "list", "--json"),
    ("org", "list", "--json"),
    ("meeting", "list", "--json"),
    ("motion", "list", "--json"),
    ("motion", "show", "nlg-{day}-subcontract", "--json"),
    ("meeting", "minutes", "nlg-{day}", "--format", "json"),
    ("grant", "list", "--json"),
    ("subcontract", "list", "--json"),
    ("payment", "list", "--json"),
    ("deliverable", "list", "--json"),
    ("resource", "list", "--json"),
    ("summary", "--json"),
)


@pytest.fixture
def demo(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's workspace (meetings, votes, recusals, a grant, payments, the audit log),
    plus signed minutes and a name with emoji and brackets; the current folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(in_tmp))
    code, _, err = run("demo", "--keep")
    assert code == 0, err
    (root,) = [p for p in in_tmp.iterdir() if p.name.startswith("comunidad-demo-")]
    monkeypatch.chdir(root)
    ok("person", "add", "Zoë 👩‍👧 [bold]Núñez[/bold]", "--id", "zoe")
    meeting = json.loads(ok("meeting", "list", "--json"))[0]["key"]
    ok("meeting", "minutes", meeting, "--sign", "--by", "Secretaria")
    return root


def _views(root: Path) -> dict[str, Any]:
    meeting = json.loads(ok("meeting", "list", "--json"))[0]["key"]
    day = meeting.removeprefix("nlg-")
    seen: dict[str, Any] = {}
    for args in VIEWS:
        filled = [a.format(day=day) for a in args]
        seen[" ".join(filled)] = ok(*filled)
    events = json.loads(ok("audit", "list", "--json"))
    seen["audit"] = events
    return seen


def _settings(root: Path) -> str:
    return (root / "comunidad.toml").read_text(encoding="utf-8")


def _without_copies(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [row for row in rows if row[2] != "db copy"]


def _copy(*args: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(ok("db", "copy", *args, "--json"))
    return found


def test_copy_to_an_sqlite_file_keeps_everything_and_switches_the_workspace(demo: Path) -> None:
    before = _views(demo)
    report = _copy("--to", "sqlite:///copia.db")
    assert report["verified"] is True
    assert report["to"] == str(demo / "copia.db")
    assert report["database"] == "sqlite:///copia.db"
    assert 'database = "sqlite:///copia.db"' in _settings(demo)
    assert _settings(demo).startswith("# comunidad workspace settings")  # comments kept
    counts = {t["table"]: t["rows"] for t in report["tables"]}
    assert counts["vote"] == 8 and counts["payment"] == 5 and counts["minutes"] == 1
    assert report["rows"] == sum(counts.values())
    assert (os.stat(demo / "copia.db").st_mode & 0o777) == 0o600

    after = _views(demo)  # read from the copy now
    events = after.pop("audit")
    assert events[:-1] == before.pop("audit")
    assert after == before
    copy = events[-1]
    assert (copy["command"], copy["action"], copy["entity"]) == ("db copy", "copy", "database")
    assert copy["detail"]["rows"] == report["rows"] and copy["detail"]["tables"] == counts
    assert copy["actor"]
    assert ok("db", "check") == ""
    # ids go on after the copied ones
    ok("person", "add", "Nueva Persona", "--id", "nueva")
    assert query(demo, "select count(*) from person")[0][0] == counts["person"] + 1


@pytest.mark.sqlite_only
def test_an_sqlite_copy_is_the_same_file_row_for_row(demo: Path) -> None:
    before = dump(demo)
    ok("db", "copy", "--to", "sqlite:///copia.db")
    after = dump(demo)
    assert after.pop("audit_event")[:-1] == before.pop("audit_event")
    assert after == before


def test_round_trip_sqlite_postgresql_sqlite_gives_identical_dumps(
    demo: Path, postgres_url: str
) -> None:
    ok("db", "copy", "--to", "sqlite:///a.db")  # the demo as an SQLite file, on either run
    first = dump(demo)
    views = _views(demo)
    out = ok("db", "copy", "--to", postgres_url)
    assert "vote" in out and "payment_line" in out
    assert f'database = "{postgres_url}"' in _settings(demo)
    on_server = _views(demo)
    assert on_server.pop("audit")[:-1] == views.pop("audit")
    assert on_server == views
    ok("db", "copy", "--to", "sqlite:///b.db")
    second = dump(demo)
    assert _without_copies(second.pop("audit_event")) == _without_copies(first.pop("audit_event"))
    assert second == first
    copies = query(demo, "select detail from audit_event where command = 'db copy' order by id")
    assert [json.loads(d)["to"] for (d,) in copies][-2:] == [postgres_url, str(demo / "b.db")]


def test_postgresql_ids_go_on_after_the_copied_ones(demo: Path, postgres_url: str) -> None:
    ok("db", "copy", "--to", postgres_url)
    people = query(demo, "select max(id) from person")[0][0]
    ok("person", "add", "Después de la copia", "--id", "despues")
    assert query(demo, "select id from person where key = 'despues'") == [(people + 1,)]
    assert query(demo, "select count(*) from audit_event where command = 'db copy'") == [(1,)]


def _pg_tables(url: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute(
            "select table_name from information_schema.tables"
            " where table_schema = current_schema() order by 1"
        ).fetchall()


def test_a_non_empty_postgresql_target_is_refused_and_untouched(
    demo: Path, postgres_url: str
) -> None:
    import psycopg

    with psycopg.connect(postgres_url) as db:
        db.execute("create table notas (texto text)")
        db.execute("insert into notas values ('de otra persona')")
    settings, source = _settings(demo), dump(demo)
    code, out, err = run("db", "copy", "--to", postgres_url)
    assert code == 1 and out == "" and "Traceback" not in err
    assert "is not empty: it holds 1 table (notas)" in err
    assert _pg_tables(postgres_url) == [("notas",)]
    with psycopg.connect(postgres_url) as db:
        assert db.execute("select * from notas").fetchall() == [("de otra persona",)]
    assert _settings(demo) == settings and dump(demo) == source


def test_a_non_empty_sqlite_target_is_refused_and_untouched(demo: Path, in_tmp: Path) -> None:
    other = in_tmp / "otra.db"
    with sqlite3.connect(other) as db:
        db.execute("create table notas (texto text)")
        db.execute("insert into notas values ('de otra persona')")
    db.close()
    content, settings, source = other.read_bytes(), _settings(demo), dump(demo)
    code, out, err = run("db", "copy", "--to", f"sqlite:///{other}", "--locale", "es")
    assert code == 1 and out == "" and "Traceback" not in err
    assert f"{other} no está vacía: tiene 1 tabla (notas)" in err
    assert other.read_bytes() == content
    assert _settings(demo) == settings and dump(demo) == source


def test_the_workspace_database_itself_is_refused(demo: Path) -> None:
    ok("db", "copy", "--to", "sqlite:///a.db")
    settings = _settings(demo)
    code, _, err = run("db", "copy", "--to", f"sqlite:///{demo / 'a.db'}")
    assert code == 1 and "is the database this copy reads from" in err
    assert _settings(demo) == settings


def _failing_insert(monkeypatch: pytest.MonkeyPatch, table: str, error: BaseException) -> None:
    from comunidad_cli.storage import transfer

    real = transfer.insert_batch

    def insert(db: Any, where: Any, rows: Any) -> None:
        if where.name == table:
            raise error
        real(db, where, rows)

    monkeypatch.setattr(transfer, "insert_batch", insert)


def test_a_failure_half_way_leaves_no_sqlite_file_and_the_settings_alone(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_insert(monkeypatch, "vote", sqlite3.OperationalError("database or disk is full"))
    settings, source = _settings(demo), dump(demo)
    code, out, err = run("db", "copy", "--to", "sqlite:///copia.db")
    assert code == 1 and out == "" and "Traceback" not in err
    assert "writing table vote to" in err and "database or disk is full" in err
    assert "nothing was written to" in err and "the workspace still uses" in err
    assert not [p.name for p in demo.iterdir() if p.name.startswith("copia.db")]
    assert _settings(demo) == settings and dump(demo) == source
    assert not [p for p in demo.iterdir() if p.name.endswith(".tmp")]


def test_a_failure_half_way_leaves_the_postgresql_target_empty(
    demo: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    _failing_insert(monkeypatch, "payment", psycopg.OperationalError("server closed"))
    settings, source = _settings(demo), dump(demo)
    code, _, err = run("db", "copy", "--to", postgres_url)
    assert code == 1 and "writing table payment to" in err and "Traceback" not in err
    assert _pg_tables(postgres_url) == []
    assert _settings(demo) == settings and dump(demo) == source


def test_an_existing_empty_sqlite_file_is_kept_on_failure(
    demo: Path, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = in_tmp / "vacia.db"
    empty.write_bytes(b"")
    _failing_insert(monkeypatch, "person", sqlite3.OperationalError("disk I/O error"))
    code, _, err = run("db", "copy", "--to", f"sqlite:///{empty}")
    assert code == 1 and "disk I/O error" in err
    assert empty.exists()
    with sqlite3.connect(empty) as db:
        assert db.execute("select name from sqlite_master").fetchall() == []
    db.close()


def test_the_settings_switch_only_after_verification(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A target that stores something else than was read (here a name changed on the way)
    is caught by the checksums before the commit: nothing is kept, the settings stay."""
    from comunidad_cli.storage import transfer

    real = transfer.insert_batch

    def garble(db: Any, table: Any, rows: Any) -> None:
        if table.name == "person":
            rows = [
                (*row[:2], row[2] + "?", *row[3:]) if i == 0 else row for i, row in enumerate(rows)
            ]
        real(db, table, rows)

    monkeypatch.setattr(transfer, "insert_batch", garble)
    settings, source = _settings(demo), dump(demo)
    code, _, err = run("db", "copy", "--to", "sqlite:///copia.db")
    assert code == 1 and "Traceback" not in err
    assert "the copy of table person does not match the source" in err
    assert not (demo / "copia.db").exists()
    assert _settings(demo) == settings and dump(demo) == source


def test_a_change_to_the_source_during_the_copy_refuses_it(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone records a person while the votes are being copied: the copy, from a snapshot
    taken before, would miss it; it is refused before the commit, the settings stay."""
    from comunidad_cli.services.directory import add_person
    from comunidad_cli.storage import transfer

    source = database_of(demo)
    real = transfer.insert_batch

    def insert(db: Any, table: Any, rows: Any) -> None:
        if table.name == "vote":
            add_person(source, name="Llegó Tarde", key="tarde")
        real(db, table, rows)

    monkeypatch.setattr(transfer, "insert_batch", insert)
    settings = _settings(demo)
    code, _, err = run("db", "copy", "--to", "sqlite:///copia.db")
    assert code == 1 and "Traceback" not in err
    assert "changed while it was being copied" in err and "nothing was written to" in err
    assert not (demo / "copia.db").exists()
    assert _settings(demo) == settings
    assert query(demo, "select name from person where key = 'tarde'") == [("Llegó Tarde",)]


def test_a_table_that_is_not_comunidads_is_not_left_behind(demo: Path) -> None:
    url = database_of(demo)
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute("create table mis_notas (texto text)")
        db.close()
    else:
        import psycopg

        with psycopg.connect(url) as pg:
            pg.execute("create table mis_notas (texto text)")
    settings = _settings(demo)
    code, _, err = run("db", "copy", "--to", "sqlite:///copia.db")
    assert code == 1 and "Traceback" not in err
    assert "holds 1 table that is not comunidad's (mis_notas)" in err
    assert not (demo / "copia.db").exists() and _settings(demo) == settings


def test_a_password_in_the_url_is_refused(demo: Path) -> None:
    settings = _settings(demo)
    code, out, err = run("db", "copy", "--to", "postgresql://ana:s3creta@db.example.org/red")
    assert code == 1 and out == ""
    assert "s3creta" not in err and "postgresql://ana:***@db.example.org/red" in err
    assert "PGPASSWORD" in err and "~/.pgpass" in err and "PGPASSFILE" in err
    code, _, err = run("db", "copy", "--to", "postgresql://ana@db/red?password=s3creta&port=5433")
    assert code == 1 and "s3creta" not in err and "?password=***&port=5433" in err
    assert _settings(demo) == settings


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("mysql://ana@db/red", 2, "is not a database comunidad can copy to"),
        ("sqlite://", 2, "is not a database comunidad can copy to"),
        ("sqlite:///no/such/folder/x.db", 1, "the folder"),
    ],
)
def test_targets_it_cannot_copy_to(demo: Path, url: str, code: int, words: str) -> None:
    settings = _settings(demo)
    status, _, err = run("db", "copy", "--to", url)
    assert status == code and words in err and "Traceback" not in err
    assert _settings(demo) == settings


def test_a_database_given_by_db_is_copied_without_touching_the_settings(demo: Path) -> None:
    first = database_of(demo)
    ok("db", "copy", "--to", "sqlite:///a.db")
    settings = _settings(demo)
    code, _, err = run("--db", first, "db", "copy", "--to", "sqlite:///b.db")
    assert code == 0, err
    assert "given by --db or COMUNIDAD_DB" in err and "no settings changed" in err
    assert _settings(demo) == settings
    with sqlite3.connect(demo / "b.db") as db:
        assert db.execute("select count(*) from vote").fetchone() == (8,)
    db.close()


def test_settings_text_replaces_or_adds_the_database_line() -> None:
    from comunidad_cli.services.db_copy import settings_text

    text = '# mine\nname = "w"  # the name\ndatabase = "sqlite:///old.db"\ntimezone = "UTC"\n'
    assert settings_text(text, "postgresql://h/red") == (
        '# mine\nname = "w"  # the name\ndatabase = "postgresql://h/red"\ntimezone = "UTC"\n'
    )
    assert settings_text('name = "w"\n', "sqlite:///c.db") == (
        'name = "w"\ndatabase = "sqlite:///c.db"\n'
    )
