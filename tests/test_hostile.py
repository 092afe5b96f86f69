"""Hostile files and busy databases: deep nesting, symbolic link loops, a long writer.

A file built to crash a parser is a finding (or a row problem) with exit 1, never a
traceback, and the other files beside it keep working.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from comunidad_cli.core import tomlpos
from tests import test_capacity as capacity
from tests.helpers import connect, database_of, dump, ok, run
from tests.test_importing import refused, write

DEEP_ARRAY = "a = " + "[" * 500 + "]" * 500 + "\n"
DEEP_INLINE = "a = " + "{ b = " * 500 + "1" + " }" * 500 + "\n"
DEEP_HEADERS = "".join("[" + ".".join(["t"] * n) + "]\n" for n in range(1, 400))
DEEP_DOTTED = ".".join(["k"] * 300) + " = 1\n"


# --- the scanner and the bounded loader (pure) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        (DEEP_ARRAY, 1, 4 + tomlpos.MAX_DEPTH + 1),
        ("x = 1\n" + DEEP_INLINE, 2, 7 + 6 * (tomlpos.MAX_DEPTH - 1)),
        (DEEP_HEADERS, tomlpos.MAX_DEPTH + 1, 2 + 2 * tomlpos.MAX_DEPTH),
        (DEEP_DOTTED, 1, 1 + 2 * tomlpos.MAX_DEPTH),
    ],
    ids=["arrays", "inline-tables", "headers", "dotted-keys"],
)
def test_loads_refuses_deep_nesting_where_it_starts(text: str, line: int, col: int) -> None:
    with pytest.raises(tomlpos.TooDeep) as raised:
        tomlpos.loads(text)
    assert raised.value.pos == tomlpos.Pos(line, col)
    # The position scanner stops at the same bound instead of recursing.
    assert tomlpos.too_deep(text) == tomlpos.Pos(line, col)
    tomlpos.locate(text)


def test_loads_accepts_nesting_up_to_the_bound() -> None:
    depth = tomlpos.MAX_DEPTH
    text = "a = " + "[" * depth + "]" * depth
    assert tomlpos.depth(tomlpos.loads(text)) == depth
    assert tomlpos.too_deep(text) is None
    with pytest.raises(tomlpos.TooDeep):
        tomlpos.loads("a = " + "[" * (depth + 1) + "]" * (depth + 1))


# --- by-laws ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_INLINE, DEEP_HEADERS, DEEP_DOTTED])
def test_bylaws_check_reports_a_deep_file_and_checks_the_others(workspace: Path, text: str) -> None:
    (workspace / "bylaws" / "deep.toml").write_text(text, encoding="utf-8")
    code, out, err = run("bylaws", "check")
    assert code == 1
    assert "Traceback" not in err
    lines = out.splitlines()
    assert len(lines) == 1 and "deep.toml:" in lines[0]
    assert f"BL006 [error] nested more than {tomlpos.MAX_DEPTH} levels deep" in lines[0]
    assert "1 error in 1 of 2 files" in err


def test_a_deep_file_does_not_break_the_other_bylaws(workspace: Path) -> None:
    (workspace / "bylaws" / "deep.toml").write_text(DEEP_ARRAY, encoding="utf-8")
    # `show` by id looks through every file of the folder for that id.
    assert '"id": "bsmla"' in ok("bylaws", "show", "bsmla", "--json")
    key = ok(
        "meeting", "new", "--bylaws", "bsmla", "--body", "nlg", "--at", "2026-11-18 18:00",
        "--notice-sent", "2026-11-10",
    ).strip()  # fmt: skip
    assert key == "nlg-2026-11-18"
    code, _, err = run("bylaws", "show", str(workspace / "bylaws" / "deep.toml"))
    assert code == 1 and "has errors (1)" in err and "Traceback" not in err


def test_unreadable_files_do_not_make_the_choice_of_bylaws_ambiguous(workspace: Path) -> None:
    """A deep file and a looping link beside the one real by-laws file: `meeting new`
    without --bylaws still finds it (they were counted as three candidates)."""
    (workspace / "bylaws" / "deep.toml").write_text(DEEP_ARRAY, encoding="utf-8")
    (workspace / "bylaws" / "loop.toml").symlink_to(workspace / "bylaws" / "loop.toml")
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00",
        "--notice-sent", "2026-11-10",
    ).strip()  # fmt: skip
    assert key == "nlg-2026-11-18"
    # Two readable files are still a question for the user, never a guess.
    (workspace / "bylaws" / "other.toml").write_text('schema = 1\nid = "other"\n', "utf-8")
    code, _, err = run(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-19 18:00",
        "--notice-sent", "2026-11-10",
    )  # fmt: skip
    assert code == 1 and "--bylaws ID" in err


def test_a_deep_workspace_config_is_refused_clearly(ws: Path) -> None:
    with (ws / "comunidad.toml").open("a", encoding="utf-8") as config:
        config.write(DEEP_ARRAY)
    code, out, err = run("person", "list")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {ws / 'comunidad.toml'}:")
    assert f"nested more than {tomlpos.MAX_DEPTH} levels deep" in err


# --- capacity instruments -----------------------------------------------------------------------


def test_capacity_check_reports_a_deep_instrument(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = capacity.make_workspace(in_tmp / "w", monkeypatch)
    deep = root / "instruments" / "deep.toml"
    deep.write_text(capacity.MINI + "extra = " + "[" * 400 + "]" * 400 + "\n", encoding="utf-8")
    code, out, err = run("capacity", "check", str(deep))
    assert code == 1 and "Traceback" not in err
    assert out.startswith(f"{deep}:")
    assert "CI005 [error] nested more than" in out
    # The listing of instruments still works, naming the broken one.
    code, out, err = run("capacity", "instruments", "--json")
    assert code == 0 and "Traceback" not in err
    assert "mini" in out and f"{deep} has errors" in err


# --- JSON imports -----------------------------------------------------------------------------


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    from tests.test_directory import make_workspace

    return make_workspace(in_tmp / "w")


def test_deeply_nested_json_is_a_problem_not_a_crash(ws: Path) -> None:
    write(ws / "p.json", "[" * 100_000 + "]" * 100_000)
    assert refused(ws, "people", "p.json") == [
        "p.json: nested too deeply: an import file holds objects of single values"
    ]
    good = json.dumps({"id": "ana", "name": "Ana"})
    write(ws / "p.ndjson", good + "\n" + '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert refused(ws, "people", "p.ndjson") == [
        "p.ndjson:2: nested too deeply: an import file holds objects of single values"
    ]
    # Every line unreadable: that is the problem, not a "missing column" of no header.
    write(ws / "deep.ndjson", '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert refused(ws, "people", "deep.ndjson") == [
        "deep.ndjson:1: nested too deeply: an import file holds objects of single values"
    ]


# --- symbolic links that lead nowhere ------------------------------------------------------------


def test_bylaws_check_reports_link_loops_and_broken_links_in_a_folder(workspace: Path) -> None:
    folder = workspace / "bylaws"
    (folder / "loop.toml").symlink_to("loop.toml")
    (folder / "gone.toml").symlink_to("missing.toml")
    code, out, err = run("bylaws", "check")
    assert code == 1 and "Traceback" not in err
    assert out.splitlines() == [
        f"{folder / 'gone.toml'}:1:1: BL007 [error] broken symbolic link: {folder / 'gone.toml'}"
        " points to missing.toml, which does not exist",
        f"{folder / 'loop.toml'}:1:1: BL007 [error] symbolic link loop: {folder / 'loop.toml'}"
        " leads back to itself; fix or remove the link",
    ]
    assert "2 errors in 2 of 3 files" in err


def test_a_looping_file_named_on_the_command_line_is_not_called_missing(
    workspace: Path,
) -> None:
    (workspace / "loop.toml").symlink_to("loop.toml")
    expected = "error: symbolic link loop: loop.toml leads back to itself; fix or remove the link\n"
    for args in (("bylaws", "check", "loop.toml"), ("bylaws", "show", "loop.toml")):
        code, out, err = run(*args)
        assert (code, out, err) == (2, "", expected)
    code, _, err = run("bylaws", "check", "nothing.toml")
    assert code == 2 and "no such file or directory: nothing.toml" in err


def test_capacity_reports_a_looping_instrument(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = capacity.make_workspace(in_tmp / "w", monkeypatch)
    loop = root / "instruments" / "loop.toml"
    loop.symlink_to("loop.toml")
    code, out, err = run("capacity", "check")
    assert code == 1 and "Traceback" not in err
    assert out == (
        f"{loop}:1:1: CI006 [error] symbolic link loop: {loop} leads back to itself;"
        " fix or remove the link\n"
    )
    code, out, err = run("capacity", "check", "instruments/loop.toml")
    assert (code, out) == (2, "")
    assert "symbolic link loop: instruments/loop.toml" in err
    # The other instruments stay usable, and the listing names the broken link.
    code, out, err = run("capacity", "instruments", "--json")
    assert code == 0 and "mini" in out
    assert f'{loop} has errors: run "comunidad capacity check {loop}"' in err


# --- a writer waits for a long import ---------------------------------------------------------

_HOLD = """
import sys, time
url, seconds = sys.argv[1], float(sys.argv[2])
if url.startswith("sqlite:///"):
    import sqlite3
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
else:  # what every writing transaction takes on PostgreSQL (storage.postgres)
    import psycopg
    from comunidad_cli.storage.postgres import WRITE_LOCK, libpq_url
    connection = psycopg.connect(libpq_url(url))
    connection.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
print("locked", flush=True)
time.sleep(seconds)
connection.execute("COMMIT")
"""


def _hold_write_lock(folder: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process in the middle of a long write, as `import` is for a big file."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, database_of(folder), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    return holder


def test_a_write_waits_for_another_writer_and_says_so(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMUNIDAD_LOCK_TIMEOUT", "30")
    holder = _hold_write_lock(ws, 2.0)
    started = time.monotonic()
    code, out, err = run("person", "add", "Ana Pérez")
    waited = time.monotonic() - started
    holder.wait(10)
    assert code == 0, err
    assert 'Added "Ana Pérez"' in out + err
    assert waited > 1.5  # past the old 5 s timeout's way of failing: it waited, then wrote
    assert err.startswith(
        "another import or change is writing to the database; waiting for it to finish"
        " (at most 30 seconds, COMUNIDAD_LOCK_TIMEOUT)\n"
    )


def test_a_write_gives_up_after_the_limit_with_nothing_written(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMUNIDAD_LOCK_TIMEOUT", "1")
    before = dump(ws)
    holder = _hold_write_lock(ws, 2.0)
    try:
        code, out, err = run("person", "add", "Ana Pérez")
    finally:
        holder.wait(10)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "another import or change is writing to the database; waiting for it to finish"
        " (at most 1 second, COMUNIDAD_LOCK_TIMEOUT)",
        "error: the database stayed busy with another import or change for 1 second: nothing"
        " was written; run the command again when it has finished, or wait longer with"
        " COMUNIDAD_LOCK_TIMEOUT=SECONDS",
    ]
    assert dump(ws) == before


def test_an_unreadable_lock_timeout_is_refused(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMUNIDAD_LOCK_TIMEOUT", "ten minutes")
    code, _, err = run("person", "add", "Ana Pérez")
    assert code == 1
    assert err == (
        "error: COMUNIDAD_LOCK_TIMEOUT=ten minutes: give the number of seconds a write may"
        " wait, e.g. 600\n"
    )


# --- who: the actor on every audit row -----------------------------------------------------------


def _actors(root: Path, entity: str) -> list[tuple[str | None, str | None]]:
    with connect(root) as db:
        return db.execute(
            "select entity_id, actor from audit_event where entity = ? order by id", (entity,)
        ).fetchall()


@pytest.mark.sqlite_only  # on PostgreSQL the actor is the role (test_postgres_roles)
def test_every_audit_row_names_the_actor(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    monkeypatch.delenv("COMUNIDAD_ACTOR", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "maria")
    ok("person", "add", "Luis [/] Peña")
    monkeypatch.setenv("COMUNIDAD_ACTOR", "Ana Pérez [tesorera]")
    ok("person", "add", "Ana Pérez")
    monkeypatch.delenv("COMUNIDAD_ACTOR")

    def nobody() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", nobody)
    ok("person", "add", "Rosa Díaz")
    assert _actors(ws, "person") == [
        ("luis-pena", "maria"),
        ("ana-perez", "Ana Pérez [tesorera]"),
        ("rosa-diaz", None),
    ]
    listed = ok("audit", "list", "--entity", "person").splitlines()
    assert listed[0].split() == ["WHEN", "WHO", "COMMAND", "ACTION", "RECORD", "ID"]
    assert "  maria  " in listed[1] and listed[1].endswith("luis-pena")
    assert "  Ana Pérez [tesorera]  " in listed[2]  # typed text, printed as typed
    assert "  unknown  " in listed[3] and listed[3].endswith("rosa-diaz")
    rows = json.loads(ok("audit", "list", "--id", "ana-perez", "--json"))
    assert [(r["actor"], r["command"], r["action"], r["entity"], r["id"]) for r in rows] == [
        ("Ana Pérez [tesorera]", "person add", "create", "person", "ana-perez")
    ]
    assert rows[0]["detail"]["name"] == "Ana Pérez"
    assert datetime.fromisoformat(rows[0]["at"]).utcoffset() is not None
    last = json.loads(ok("audit", "list", "--last", "1", "--json"))
    assert [r["id"] for r in last] == ["rosa-diaz"]


@pytest.mark.sqlite_only  # on PostgreSQL the actor is the role (test_postgres_roles)
def test_bulk_import_rows_carry_the_actor(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMUNIDAD_ACTOR", "importer")
    people = [{"id": "ana", "name": "Ana"}, {"id": "luis", "name": "Luis"}]
    write(ws / "people.json", json.dumps(people))
    assert run("import", "people", "people.json")[0] == 0
    assert _actors(ws, "person") == [
        ("ana", "importer"),
        ("luis", "importer"),
        ("people.json", "importer"),  # the import's own summary row
    ]


@pytest.mark.sqlite_only  # on PostgreSQL the actor is the role (test_postgres_roles)
def test_by_names_the_actor_where_a_command_has_it(
    meeting: str, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMUNIDAD_ACTOR", "laptop-user")
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    ok("motion", "vote", motion, "--person", "r1", "--choice", "yes", "--at", "18:20")
    ok("motion", "close", "--all", "--meeting", meeting, "--at", "18:30")
    assert _actors(workspace, "motion")[-1] == (motion, "laptop-user")  # the bulk close
    ok("meeting", "close", meeting, "--at", "19:00")
    ok("meeting", "minutes", meeting, "--sign", "--by", "Secretaria")
    ok("meeting", "correct", meeting, "--text", "typo", "--by", "Presidenta")
    assert _actors(workspace, "meeting")[-1] == (meeting, "laptop-user")
    assert _actors(workspace, "minutes") == [(meeting, "Secretaria")]
    assert _actors(workspace, "meeting_correction") == [(meeting, "Presidenta")]


@pytest.mark.parametrize("actor", ["Mal\x07o", "Ana\x7f", "Rosa\x1f", "\x1b[31mEva"])
def test_a_control_character_in_comunidad_actor_is_refused(
    ws: Path, monkeypatch: pytest.MonkeyPatch, actor: str
) -> None:
    """The actor from the environment passes the check --by does: refused, nothing written."""
    before = dump(ws)
    monkeypatch.setenv("COMUNIDAD_ACTOR", actor)
    for args in (["person", "add", "Ana Pérez"], ["import", "people", "people.json"]):
        write(ws / "people.json", json.dumps([{"id": "luis", "name": "Luis"}]))
        code, out, err = run(*args)
        assert code == 1 and out == "" and "Traceback" not in err
        assert "COMUNIDAD_ACTOR: character " in err and "control character" in err
    assert dump(ws) == before
    code, _out, err = run("--locale", "es", "person", "list")
    assert code == 1 and "COMUNIDAD_ACTOR: el carácter " in err
    monkeypatch.setenv("COMUNIDAD_ACTOR", "Ana Pérez [tesorera]")
    ok("person", "add", "Ana Pérez")


def test_audit_list_translates_actions_and_keeps_ids_whole(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "asociacion-de-vecinos-de-la-villa"
    ok("org", "add", "Asociación de Vecinos de la Villa Los Aromos", "--kind", "community",
       "--id", key)  # fmt: skip
    ok("org", "edit", key, "--email", "junta@example.org")
    monkeypatch.setenv("COLUMNS", "80")
    out = ok("audit", "list", "--entity", "organisation")
    assert all(len(line) <= 80 for line in out.splitlines()), out
    assert out.count(key) == 2  # whole, on one line, for each change
    spanish = ok("--locale", "es", "audit", "list", "--entity", "organisation")
    assert "alta" in spanish and "modificación" in spanish, spanish
    assert "create" not in spanish and "update" not in spanish
    assert spanish.count(key) == 2
    catalan = ok("--locale", "ca", "audit", "list", "--entity", "organisation")
    assert "alta" in catalan and "modificació" in catalan, catalan
    rows = json.loads(ok("--locale", "es", "audit", "list", "--entity", "organisation", "--json"))
    assert [r["action"] for r in rows] == ["create", "update"]  # stable words in JSON
    # A kind the log does not have is named, with the kinds it has (it said "no changes").
    code, out, err = run("audit", "list", "--entity", "org")
    assert code == 2 and out == ""
    assert '--entity: the log has no kind "org"; its kinds are:' in err and "organisation" in err


def test_the_upgrade_to_0004_keeps_the_audit_log_append_only(tmp_path: Path) -> None:
    from alembic import command

    from comunidad_cli.services import database
    from comunidad_cli.storage import schema
    from comunidad_cli.storage.engine import make_engine

    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(connection), "0003")
        connection.exec_driver_sql(
            "insert into audit_event (at, command, action, entity, entity_id)"
            " values ('2026-01-01 10:00:00', 'person add', 'create', 'person', 'old')"
        )
    engine.dispose()
    assert database.upgrade_database(url) == ("0003", schema.HEAD_REVISION)
    with sqlite3.connect(path) as db:
        assert db.execute("select actor from audit_event where entity_id = 'old'").fetchall() == [
            (None,)
        ]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("update audit_event set actor = 'someone' where entity_id = 'old'")
    assert database.check_database(url).ok
