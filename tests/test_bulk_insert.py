"""Bulk writes through the storage API (`storage/dbapi.py` `Db.insert_rows`): one executemany
on SQLite, one COPY on PostgreSQL; either way every value comes back as it went in.

The round trips run on whichever backend the suite runs on (COMUNIDAD_TEST_POSTGRES); the
COPY-specific checks need a PostgreSQL server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from comunidad_cli.storage import dbapi
from tests.helpers import database_of, ok, query, run, write

#: Text COPY's own syntax inside values: tab, newline, carriage return, backslash, its
#: NULL marker \N and its end marker \. on a line of their own.
AWKWARD = [
    "a\tb",
    "line one\nline two",
    "cr\r",
    "back\\slash",
    "\\N",
    "\\.",
    "x\n\\.\ny",
    "",
    "quote \"and\" 'apostrophe'",
    "Núria Bòsch 🌱",
]


@contextmanager
def _db(url: str, *, write: bool = True) -> Iterator[dbapi.Db]:
    with dbapi.transaction(url, write=write, check=lambda _: None, limit=5) as db:
        yield db


def test_insert_rows_round_trips_text_times_and_dates(in_tmp: Path) -> None:
    ok("init", "w")
    url = database_of(in_tmp / "w")
    santiago = timezone(timedelta(hours=-3))
    at = datetime(2026, 11, 18, 18, 5, 30, 123456, tzinfo=santiago)
    with _db(url) as db:
        person = db.insert("person", {"key": "ana", "name": "Ana", "created_at": db.instant(at)})
        db.insert_rows(
            "audit_event",
            ("at", "command", "action", "entity", "entity_id", "detail", "actor"),
            [
                (db.instant(at), "test", "create", "x", str(n), text, None)
                for n, text in enumerate(AWKWARD)
            ],
        )
        db.insert_rows(
            "seat",
            ("bylaws_id", "body", "person_id", "member_class", "start", "end", "role"),
            [
                ("b", "nlg", person, "resident", db.day(date(2024, 1, 1)), None, None),
                ("b", "nlg", person, "resident", db.day(date(2025, 2, 28)), db.day(date(2025, 12, 31)), "chair"),
            ],
        )  # fmt: skip
    with _db(url, write=False) as db:
        rows = db.rows(
            "SELECT at, entity_id, detail, actor FROM audit_event WHERE command = 'test'"
            " ORDER BY id"
        )
        seats = db.rows('SELECT start, "end", role FROM seat ORDER BY id')
    assert [detail for _, _, detail, _ in rows] == AWKWARD
    assert [int(key) for _, key, _, _ in rows] == list(range(len(AWKWARD)))
    assert {dbapi.read_instant(when) for when, _, _, _ in rows} == {at.astimezone(UTC)}
    assert {actor for *_, actor in rows} == {None}
    assert [(dbapi.read_day(start), dbapi.read_day(end), role) for start, end, role in seats] == [
        (date(2024, 1, 1), None, None),
        (date(2025, 2, 28), date(2025, 12, 31), "chair"),
    ]


# --- PostgreSQL: COPY ---------------------------------------------------------------------------


_TABLE = (
    "CREATE TABLE bulk (id SERIAL PRIMARY KEY, n INTEGER NOT NULL, amount NUMERIC(12, 2),"
    " paid BOOLEAN, due DATE, at TIMESTAMP WITH TIME ZONE, note VARCHAR)"
)
_COLUMNS = ("n", "amount", "paid", "due", "at", "note")


def _copies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements psycopg's `Cursor.copy` is given from now on."""
    import psycopg

    statements: list[str] = []
    real = psycopg.Cursor.copy

    def copy(self: Any, statement: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(statement))
        return real(self, statement, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "copy", copy)
    return statements


@pytest.mark.postgres_only
def test_insert_rows_is_one_copy_with_the_schemas_types(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Money to the cent as Decimal, booleans, dates, instants (any offset: the same
    instant), NULLs, and ids from the table's sequence: one COPY for the whole batch."""
    with _db(postgres_url) as db:
        db.execute(_TABLE)
    statements = _copies(monkeypatch)
    madrid = timezone(timedelta(hours=1))
    rows = [
        (1, Decimal("0.10"), True, date(2026, 2, 28), datetime(2026, 3, 1, 9, 30, tzinfo=madrid), "a\tb\\N"),
        (2, Decimal("3480.25"), False, None, datetime(2026, 3, 1, 8, 30, tzinfo=UTC), None),
        (3, None, None, date(2024, 2, 29), None, "\\."),
    ]  # fmt: skip
    with _db(postgres_url) as db:
        db.insert_rows("bulk", _COLUMNS, rows)
    assert statements == ['COPY "bulk" ("n", "amount", "paid", "due", "at", "note") FROM STDIN']
    with _db(postgres_url, write=False) as db:
        stored = db.rows("SELECT id, n, amount, paid, due, at, note FROM bulk ORDER BY n")
    assert [row[0] for row in stored] == [1, 2, 3]
    assert [row[1:] for row in stored] == rows
    assert stored[0][2] + stored[1][2] == Decimal("3480.35")
    assert stored[0][5] == stored[1][5]  # 9:30 in Madrid is 8:30 UTC


@pytest.mark.postgres_only
def test_a_value_the_column_cannot_hold_is_refused_and_nothing_is_written(
    postgres_url: str,
) -> None:
    """COPY's text format lets the server judge each value as its column's type: an integer
    out of range is refused (binary COPY would have wrapped it), the whole transaction
    with it."""
    with _db(postgres_url) as db:
        db.execute(_TABLE)
    import psycopg

    with pytest.raises(dbapi.Refused) as raised, _db(postgres_url) as db:
        db.insert_rows("bulk", ("n", "note"), [(1, "kept?")])
        db.insert_rows("bulk", ("n", "note"), [(2, "fine"), (2**40, "too large")])
    # The server's own refusal (its wording follows the server's language).
    assert isinstance(raised.value.__cause__, psycopg.errors.NumericValueOutOfRange)
    with _db(postgres_url, write=False) as db:
        assert db.value("SELECT count(*) FROM bulk") == 0


@pytest.mark.postgres_only
def test_the_votes_and_attendance_imports_copy_on_postgresql(
    meeting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a clean file's rows and their audit rows are written by COPY, not by
    INSERTs, and read back as imported (times to the second, arrivals as booleans)."""
    root = Path.cwd()
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    write(
        root,
        "attendance.csv",
        f"meeting,person,at,event\n{meeting},r6,2026-11-18T18:30:00Z,arrive\n",
    )
    write(
        root,
        "votes.csv",
        "motion,person,choice,at,by\n"
        + "".join(f"{motion},{p},yes,2026-11-18T18:21:00Z,\n" for p in ("r1", "r2", "r3"))
        + f"{motion},a1,no,2026-11-18T18:22:30Z,\n",
    )
    statements = _copies(monkeypatch)
    assert run("import", "attendance", "attendance.csv") == (0, "", "1 created, 0 unchanged\n")
    assert run("import", "votes", "votes.csv") == (0, "", "4 created, 0 unchanged\n")
    assert [s.split(" (")[0] for s in statements] == [
        'COPY "attendance"', 'COPY "audit_event"', 'COPY "vote"', 'COPY "audit_event"',
    ]  # fmt: skip
    votes = query(
        root,
        "select p.key, v.choice, v.at from vote v join person p on p.id = v.person_id"
        " order by v.id",
    )
    assert votes == [
        ("r1", "yes", datetime(2026, 11, 18, 18, 21, tzinfo=UTC)),
        ("r2", "yes", datetime(2026, 11, 18, 18, 21, tzinfo=UTC)),
        ("r3", "yes", datetime(2026, 11, 18, 18, 21, tzinfo=UTC)),
        ("a1", "no", datetime(2026, 11, 18, 18, 22, 30, tzinfo=UTC)),
    ]
    assert query(
        root,
        "select a.arrived, a.at from attendance a join person p on p.id = a.person_id"
        " where p.key = 'r6'",
    ) == [(True, datetime(2026, 11, 18, 18, 30, tzinfo=UTC))]
