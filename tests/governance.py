"""Shared helpers for CLI tests of the governance engine: run commands, seat a body."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import database_of, ok, query, run

RESIDENTS = [f"r{n}" for n in range(1, 8)]
AGENCIES = ["a1", "a2", "a3"]


def dump(db: Path) -> list[tuple[object, ...]]:
    """The governance tables' rows; `db` is the workspace's SQLite file, or where it would be
    when the workspace's database is on PostgreSQL (then read from the workspace's URL)."""
    tables = ("meeting", "attendance", "proxy", "motion", "vote", "recusal", "audit_event")
    rows: list[tuple[object, ...]] = []
    if not db.is_file():
        for table in tables:
            rows += [
                (table, *row) for row in query(db.parent, f"select * from {table} order by id")
            ]
        return rows
    with sqlite3.connect(db) as connection:
        for table in tables:
            rows += [
                (table, *row) for row in connection.execute(f"select * from {table} order by id")
            ]
        return rows


def _seat(url: str, people: list[tuple[int, str, str, str]]) -> None:
    """Add `people` (id, key, name, class) seated on the NLG straight into the database at
    `url`, on either backend (on PostgreSQL the id sequence is moved past them)."""
    person = "insert into person (id, key, name, created_at) values (?, ?, ?, ?)"
    seat = (
        "insert into seat (bylaws_id, body, person_id, member_class, start)"
        " values ('bsmla', 'nlg', ?, ?, ?)"
    )
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection, connection:
            for n, key, name, member_class in people:
                connection.execute(person, (n, key, name, "2024-01-01 00:00:00"))
                connection.execute(seat, (n, member_class, "2024-01-01"))
        return
    import psycopg

    from comunidad_cli.storage.postgres import libpq_url

    with psycopg.connect(libpq_url(url)) as connection:
        for n, key, name, member_class in people:
            connection.execute(
                person.replace("?", "%s"), (n, key, name, datetime(2024, 1, 1, tzinfo=UTC))
            )
            connection.execute(seat.replace("?", "%s"), (n, member_class, date(2024, 1, 1)))
        connection.execute(
            "select setval(pg_get_serial_sequence('person', 'id'), (select max(id) from person))"
        )


@pytest.fixture
def workspace(in_tmp: Path) -> Path:
    """A workspace with the Best Start by-laws and a seated NLG (people added directly)."""
    assert run("init", "w", "--locale", "en_US")[0] == 0
    root = in_tmp / "w"
    (root / "bylaws" / "partnership.toml").unlink()
    shutil.copy(ROOT / "bylaws" / "best-start-partnership.toml", root / "bylaws")
    seats = (
        [(k, "resident") for k in RESIDENTS]
        + [(k, "agency") for k in AGENCIES]
        + [("b1", "business"), ("f1", "funder")]
    )
    people = [
        (n, key, f"Person {key.upper()}", member_class)
        for n, (key, member_class) in enumerate(seats, start=1)
    ]
    _seat(database_of(root), people)
    import os

    os.chdir(root)
    return root


@pytest.fixture
def meeting(workspace: Path) -> str:
    out = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10"
    )
    key = out.strip()
    for person in ["r1", "r2", "r3", "r4", "r5", "a1", "a2", "f1"]:
        ok("meeting", "attend", key, "--person", person, "--at", "18:00")
    ok("meeting", "attend", key, "--person", "b1", "--at", "18:10")
    return key
