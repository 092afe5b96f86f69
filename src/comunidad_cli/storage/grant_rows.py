"""What the grant imports read in bulk to match and check a whole file at once
(`services/imports/`): grants' currencies and spans, subcontracts' grants and payments,
risks, budget lines, submissions and payments as rows. Plain, portable SQL over the tables
`storage.tables` defines; no SQLAlchemy (see `storage.dbapi`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_required_day
from comunidad_cli.storage.grants import read_money


def grant_currencies(db: Db) -> list[tuple[int, str, str]]:
    """(row id, key, currency) of every grant."""
    return [
        (int(i), str(k), str(c)) for i, k, c in db.rows("SELECT id, key, currency FROM grant_award")
    ]


def _spans(db: Db, sql: str) -> dict[int, tuple[date, date]]:
    return {
        int(i): (read_required_day(first), read_required_day(last))
        for i, first, last in db.rows(sql)
    }


def grant_spans(db: Db) -> dict[int, tuple[date, date]]:
    """Grant row id -> (first start, last end) of its subcontracts (grants with any)."""
    return _spans(db, 'SELECT grant_id, MIN(start), MAX("end") FROM subcontract GROUP BY grant_id')


def paid_spans(db: Db) -> dict[int, tuple[date, date]]:
    """Subcontract row id -> (first period start, last period end) of its payments."""
    return _spans(
        db,
        "SELECT subcontract_id, MIN(period_start), MAX(period_end) FROM payment"
        " GROUP BY subcontract_id",
    )


def subcontract_grants(db: Db) -> list[tuple[int, int]]:
    """(subcontract row id, grant row id) of every subcontract."""
    return [(int(s), int(g)) for s, g in db.rows("SELECT id, grant_id FROM subcontract")]


_RISK = ("id", "subcontract_id", "assessed_on", "level", "assessed_by", "notes")


def risk_rows(db: Db) -> list[dict[str, Any]]:
    """Every risk assessment as {id, subcontract_id, assessed_on, level, assessed_by,
    notes}, in the order they were recorded."""
    found = []
    for row in db.rows(f"SELECT {', '.join(_RISK)} FROM risk_assessment ORDER BY id"):
        values = dict(zip(_RISK, row, strict=True))
        values["assessed_on"] = read_required_day(values["assessed_on"])
        found.append(values)
    return found


def budget_line_rows(db: Db) -> list[tuple[int, int, str, Decimal]]:
    """(row id, subcontract row id, category, amount) of every original budget line."""
    return [
        (int(i), int(s), str(c), read_money(a))
        for i, s, c, a in db.rows("SELECT id, subcontract_id, category, amount FROM budget_line")
    ]


def subcontracts_in_use(db: Db) -> set[int]:
    """The subcontracts (row ids) with a payment or an amendment: their budget is in use."""
    return {
        int(s)
        for (s,) in db.rows(
            "SELECT subcontract_id FROM payment UNION SELECT subcontract_id FROM amendment"
        )
    }


def submission_rows(db: Db) -> list[tuple[int, int, date, date]]:
    """(row id, deliverable row id, due, submitted on) of every submission."""
    return [
        (int(i), int(d), read_required_day(due), read_required_day(on))
        for i, d, due, on in db.rows(
            "SELECT id, deliverable_id, due, submitted_on FROM submission ORDER BY id"
        )
    ]


_PAYMENT = ("id", "key", "subcontract_id", "period_start", "period_end", "invoice_date", "status")


def payment_rows(db: Db) -> list[dict[str, Any]]:
    """Every payment's head as {id, key, subcontract_id, period_start, period_end,
    invoice_date, status}, dates as dates."""
    found = []
    for row in db.rows(f"SELECT {', '.join(_PAYMENT)} FROM payment"):
        values = dict(zip(_PAYMENT, row, strict=True))
        for name in ("period_start", "period_end", "invoice_date"):
            values[name] = read_required_day(values[name])
        found.append(values)
    return found


def last_payment_id(db: Db) -> int | None:
    """The highest payment row id (None: no payments): rows inserted later have higher ids."""
    found = db.value("SELECT MAX(id) FROM payment")
    return None if found is None else int(found)


def payment_ids_after(db: Db, after: int | None) -> dict[str, int]:
    """Payment row ids by key, of the payments with an id above `after` (None: all)."""
    if after is None:
        return {str(k): int(i) for i, k in db.rows("SELECT id, key FROM payment")}
    return {
        str(k): int(i)
        for i, k in db.rows("SELECT id, key FROM payment WHERE id > :after", {"after": after})
    }
