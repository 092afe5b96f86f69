"""Territories, their criteria values and selections; improvement plan versions, their
needs and the motions that proposed them, read and written through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines (migration 0008); no
SQLAlchemy. Criteria values are exact decimals kept as text; instants through
`Db.instant`/`read_instant`, days through `Db.day`/`read_day`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_day, read_instant

# --- territories ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TerritoryRow:
    id: int
    key: str
    name: str


def territory_by_key(db: Db, key: str) -> TerritoryRow | None:
    found = db.row("SELECT id, key, name FROM territory WHERE key = :k", {"k": key})
    return None if found is None else TerritoryRow(int(found[0]), found[1], found[2])


def territories(db: Db) -> list[TerritoryRow]:
    """Every territory, by id."""
    return [
        TerritoryRow(int(r[0]), r[1], r[2])
        for r in db.rows("SELECT id, key, name FROM territory ORDER BY key")
    ]


def add_territory(db: Db, *, key: str, name: str, at: datetime) -> int:
    return db.insert("territory", {"key": key, "name": name, "created_at": db.instant(at)})


def add_value(db: Db, *, territory_id: int, criterion: str, value: Decimal, at: datetime) -> None:
    """A new value of one criterion (the latest stands; earlier ones stay as history)."""
    db.insert(
        "territory_value",
        {
            "territory_id": territory_id,
            "criterion": criterion,
            "value": str(value),
            "recorded_at": db.instant(at),
        },
    )


def latest_values(db: Db) -> dict[int, dict[str, Decimal]]:
    """Each territory's latest value on each criterion (by time recorded, then row id)."""
    found: dict[int, dict[str, Decimal]] = {}
    for territory_id, criterion, value in db.rows(
        "SELECT territory_id, criterion, value FROM territory_value ORDER BY recorded_at, id"
    ):
        found.setdefault(int(territory_id), {})[criterion] = Decimal(value)
    return found


# --- selections -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SelectionRow:
    key: str
    rule: str
    inputs: str
    result: str
    made_at: datetime
    by: str


_SELECTION = 'SELECT key, rule, inputs, result, made_at, "by" FROM territory_selection'


def _selection(row: tuple[Any, ...]) -> SelectionRow:
    made_at = read_instant(row[4])
    assert made_at is not None
    return SelectionRow(row[0], row[1], row[2], row[3], made_at, row[5])


def add_selection(
    db: Db, *, key: str, rule: str, inputs: str, result: str, at: datetime, by: str
) -> None:
    db.insert(
        "territory_selection",
        {
            "key": key,
            "rule": rule,
            "inputs": inputs,
            "result": result,
            "made_at": db.instant(at),
            "by": by,
        },
    )


def selection(db: Db, key: str | None) -> SelectionRow | None:
    """The selection `key`, or (None) the latest one made."""
    if key is None:
        found = db.row(f"{_SELECTION} ORDER BY made_at DESC, id DESC LIMIT 1")
    else:
        found = db.row(f"{_SELECTION} WHERE key = :k", {"k": key})
    return None if found is None else _selection(found)


def selection_keys(db: Db) -> set[str]:
    return {r[0] for r in db.rows("SELECT key FROM territory_selection")}


# --- plans ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanRow:
    id: int
    key: str
    bylaws_id: str
    body: str
    start: date
    end: date
    title: str
    version: int
    amends_id: int | None
    created_at: datetime


_PLAN = (
    'SELECT id, key, bylaws_id, body, start, "end", title, version, amends_id, created_at'
    " FROM improvement_plan"
)


def _plan(row: tuple[Any, ...]) -> PlanRow:
    start, end, created = read_day(row[4]), read_day(row[5]), read_instant(row[9])
    assert start is not None and end is not None and created is not None
    return PlanRow(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        start,
        end,
        row[6],
        int(row[7]),
        None if row[8] is None else int(row[8]),
        created,
    )


def plan_by_key(db: Db, key: str) -> PlanRow | None:
    found = db.row(f"{_PLAN} WHERE key = :k", {"k": key})
    return None if found is None else _plan(found)


def plans(db: Db, *, bylaws_id: str | None = None, body: str | None = None) -> list[PlanRow]:
    """Every plan version (of one body), by start, key."""
    if body is None:
        rows = db.rows(f"{_PLAN} ORDER BY start, key")
    else:
        rows = db.rows(
            f"{_PLAN} WHERE bylaws_id = :b AND body = :body ORDER BY start, key",
            {"b": bylaws_id, "body": body},
        )
    return [_plan(r) for r in rows]


def add_plan(
    db: Db,
    *,
    key: str,
    bylaws_id: str,
    body: str,
    start: date,
    end: date,
    title: str,
    version: int,
    amends_id: int | None,
    at: datetime,
) -> int:
    return db.insert(
        "improvement_plan",
        {
            "key": key,
            "bylaws_id": bylaws_id,
            "body": body,
            "start": db.day(start),
            "end": db.day(end),
            "title": title,
            "version": version,
            "amends_id": amends_id,
            "created_at": db.instant(at),
        },
    )


@dataclass(frozen=True, slots=True)
class NeedRow:
    id: int
    key: str
    name: str
    rank: int
    evidence: str
    territory: str | None


def needs(db: Db, plan_id: int) -> list[NeedRow]:
    """A plan version's needs, by rank."""
    return [
        NeedRow(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5])
        for r in db.rows(
            "SELECT n.id, n.key, n.name, n.rank, n.evidence, t.key FROM plan_need n"
            " LEFT OUTER JOIN territory t ON n.territory_id = t.id"
            " WHERE n.plan_id = :p ORDER BY n.rank, n.key",
            {"p": plan_id},
        )
    ]


def add_need(
    db: Db,
    *,
    plan_id: int,
    key: str,
    name: str,
    rank: int,
    evidence: str,
    territory_id: int | None,
) -> None:
    db.insert(
        "plan_need",
        {
            "plan_id": plan_id,
            "key": key,
            "name": name,
            "rank": rank,
            "evidence": evidence,
            "territory_id": territory_id,
        },
    )


def update_need(
    db: Db, need_id: int, *, name: str, rank: int, evidence: str, territory_id: int | None
) -> None:
    db.update(
        "plan_need",
        need_id,
        {"name": name, "rank": rank, "evidence": evidence, "territory_id": territory_id},
    )


@dataclass(frozen=True, slots=True)
class ProposalRow:
    plan_id: int
    motion: str
    meeting: str
    decision: str
    proposed_at: datetime
    closed_at: datetime | None
    outcome: str | None


def proposals(db: Db, plan_ids: list[int] | None = None) -> list[ProposalRow]:
    """The motions that put plan versions to meetings, oldest first, with their outcome."""
    sql = (
        "SELECT p.plan_id, m.key, g.key, m.decision, p.proposed_at, m.closed_at, m.outcome"
        " FROM plan_proposal p JOIN motion m ON p.motion_id = m.id"
        " JOIN meeting g ON m.meeting_id = g.id"
    )
    params: dict[str, Any] = {}
    if plan_ids is not None:
        from comunidad_cli.storage.dbapi import in_list

        marks, params = in_list("p", plan_ids)
        sql += f" WHERE p.plan_id IN ({marks})"
    rows = db.rows(sql + " ORDER BY p.proposed_at, p.id", params)
    result = []
    for r in rows:
        proposed = read_instant(r[4])
        assert proposed is not None
        result.append(ProposalRow(int(r[0]), r[1], r[2], r[3], proposed, read_instant(r[5]), r[6]))
    return result


def add_proposal(db: Db, *, plan_id: int, motion_key: str, at: datetime) -> None:
    motion_id = db.value("SELECT id FROM motion WHERE key = :k", {"k": motion_key})
    db.insert(
        "plan_proposal",
        {"plan_id": plan_id, "motion_id": int(motion_id), "proposed_at": db.instant(at)},
    )


class Taken:
    """The keys of one of this domain's tables, asked one at a time (`make_id`'s `taken`)."""

    _TABLES = frozenset({"territory", "territory_selection", "improvement_plan"})

    def __init__(self, db: Db, table: str) -> None:
        if table not in self._TABLES:
            raise ValueError(f"no key column in {table!r}")
        self.db = db
        self.sql = f"SELECT 1 FROM {table} WHERE key = :key"

    def __contains__(self, key: object) -> bool:
        return self.db.value(self.sql, {"key": key}) is not None
