"""Systems-change tags, and what the report reads of the tagged records, through a `Db`.

Plain, portable SQL over `change_tag` (migration 0011) and the tables of the records it
names: `motion`, `subcontract` (with its grant's currency and original budget), a funded
project (`fund_project`, known by its application's id), `learning_activity` with its
`learning_participant` rows, and `network_commitment`. No SQLAlchemy (see `storage.dbapi`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, in_list, read_day, read_instant
from comunidad_cli.storage.grants import _CENTS, from_cents, read_money

#: Per kind of record: how its id (what people type) and a line that says what it is are
#: read, by the row id a tag keeps. A funded project is known by its application's id.
_SUBJECTS = {
    "motion": "SELECT id, key, title FROM motion",
    "subcontract": (
        "SELECT s.id, s.key, o.name FROM subcontract s JOIN organisation o ON s.partner_id = o.id"
    ),
    "project": (
        "SELECT p.id, a.key, a.project FROM fund_project p"
        " JOIN fund_award_line l ON p.award_line_id = l.id"
        " JOIN fund_application a ON l.application_id = a.id"
    ),
    "activity": "SELECT id, key, title FROM learning_activity",
    "commitment": "SELECT id, key, text FROM network_commitment",
}
_KEY_COLUMN = {
    "motion": "key",
    "subcontract": "s.key",
    "project": "a.key",
    "activity": "key",
    "commitment": "key",
}
_ID_COLUMN = {
    "motion": "id",
    "subcontract": "s.id",
    "project": "p.id",
    "activity": "id",
    "commitment": "id",
}


def subject(db: Db, kind: str, key: str) -> tuple[int, str] | None:
    """The row id and description of the record of `kind` whose id is `key`, or None."""
    found = db.row(f"{_SUBJECTS[kind]} WHERE {_KEY_COLUMN[kind]} = :key", {"key": key})
    return None if found is None else (int(found[0]), str(found[2]))


def subjects(db: Db, kind: str, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Row id -> (id people type, description) of the records of `kind` among `ids`."""
    if not ids:
        return {}
    marks, params = in_list("id", sorted(set(ids)))
    return {
        int(i): (str(k), str(d))
        for i, k, d in db.rows(f"{_SUBJECTS[kind]} WHERE {_ID_COLUMN[kind]} IN ({marks})", params)
    }


@dataclass(frozen=True, slots=True)
class TagRow:
    id: int
    kind: str
    subject: int
    dimension: str
    value: str
    tagged_at: datetime
    by: str
    removed_at: datetime | None
    removed_by: str | None


def _tag(row: tuple[Any, ...]) -> TagRow:
    i, kind, subject_id, dimension, value, tagged_at, by, removed_at, removed_by = row
    tagged = read_instant(tagged_at)
    assert tagged is not None
    return TagRow(
        int(i),
        kind,
        int(subject_id),
        dimension,
        value,
        tagged,
        by,
        read_instant(removed_at),
        removed_by,
    )


_TAGS = (
    'SELECT id, subject_kind, subject_id, dimension, value, tagged_at, "by", removed_at,'
    " removed_by FROM change_tag"
)


def tags(
    db: Db, kind: str | None = None, subject_id: int | None = None, *, current: bool = True
) -> list[TagRow]:
    """The tags (of one kind, of one record), in force only unless `current` is False, in
    the order they were given."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if kind is not None:
        where.append("subject_kind = :kind")
        params["kind"] = kind
    if subject_id is not None:
        where.append("subject_id = :subject")
        params["subject"] = subject_id
    if current:
        where.append("removed_at IS NULL")
    sql = _TAGS + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    return [_tag(r) for r in db.rows(sql, params)]


def add_tag(
    db: Db, *, kind: str, subject_id: int, dimension: str, value: str, at: datetime, by: str
) -> int:
    return db.insert(
        "change_tag",
        {
            "subject_kind": kind,
            "subject_id": subject_id,
            "dimension": dimension,
            "value": value,
            "tagged_at": db.instant(at),
            "by": by,
        },
    )


def remove_tag(db: Db, tag_id: int, *, at: datetime, by: str) -> None:
    """Mark a tag in force as removed: when and by whom; the row stays."""
    db.execute(
        "UPDATE change_tag SET removed_at = :at, removed_by = :by"
        " WHERE id = :id AND removed_at IS NULL",
        {"at": db.instant(at), "by": by, "id": tag_id},
    )


# --- what the report reads ------------------------------------------------------------------


def motions(db: Db, ids: Sequence[int]) -> dict[int, tuple[str | None, datetime | None]]:
    """Row id -> (outcome, closed at) of the motions `ids`."""
    if not ids:
        return {}
    marks, params = in_list("id", sorted(set(ids)))
    return {
        int(i): (outcome, read_instant(closed))
        for i, outcome, closed in db.rows(
            f"SELECT id, outcome, closed_at FROM motion WHERE id IN ({marks})", params
        )
    }


def project_subcontracts(db: Db, ids: Sequence[int]) -> dict[int, int]:
    """Funded project row id -> its subcontract's row id."""
    if not ids:
        return {}
    marks, params = in_list("id", sorted(set(ids)))
    return {
        int(p): int(s)
        for p, s in db.rows(
            f"SELECT id, subcontract_id FROM fund_project WHERE id IN ({marks})", params
        )
    }


def contracts(
    db: Db, ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[date, str, Decimal, Decimal]]:
    """Subcontract row id -> (start day, currency, original budget, spent from `start` to
    `end`): the budget is the sum of its original lines (what was signed); spent, its
    counted payments (submitted, approved or paid) invoiced in the period, in cents."""
    if not ids:
        return {}
    marks, params = in_list("id", sorted(set(ids)))
    budgets = {
        int(s): from_cents(cents)
        for s, cents in db.rows(
            f"SELECT subcontract_id, {_CENTS.format('amount')} FROM budget_line"
            f" WHERE subcontract_id IN ({marks}) GROUP BY subcontract_id",
            params,
        )
    }
    spent = {
        int(s): from_cents(cents)
        for s, cents in db.rows(
            f"SELECT subcontract_id, {_CENTS.format('total')} FROM payment"
            f" WHERE subcontract_id IN ({marks})"
            " AND status IN ('submitted', 'approved', 'paid')"
            " AND invoice_date >= :start AND invoice_date <= :end GROUP BY subcontract_id",
            {**params, "start": db.day(start), "end": db.day(end)},
        )
    }
    found: dict[int, tuple[date, str, Decimal, Decimal]] = {}
    for i, first, currency in db.rows(
        "SELECT s.id, s.start, g.currency FROM subcontract s"
        f" JOIN grant_award g ON s.grant_id = g.id WHERE s.id IN ({marks})",
        params,
    ):
        day = read_day(first)
        assert day is not None
        found[int(i)] = (
            day,
            str(currency),
            budgets.get(int(i), read_money(0)),
            spent.get(int(i), read_money(0)),
        )
    return found


def activities(db: Db, ids: Sequence[int]) -> dict[int, tuple[date, Decimal, frozenset[int]]]:
    """Learning activity row id -> (day held, hours, the people who took part)."""
    if not ids:
        return {}
    marks, params = in_list("id", sorted(set(ids)))
    people: dict[int, set[int]] = {}
    for a, p in db.rows(
        f"SELECT activity_id, person_id FROM learning_participant WHERE activity_id IN ({marks})",
        params,
    ):
        people.setdefault(int(a), set()).add(int(p))
    found: dict[int, tuple[date, Decimal, frozenset[int]]] = {}
    for i, held, hours in db.rows(
        f"SELECT id, held_on, hours FROM learning_activity WHERE id IN ({marks})", params
    ):
        day = read_day(held)
        assert day is not None
        found[int(i)] = (day, read_money(hours), frozenset(people.get(int(i), ())))
    return found
