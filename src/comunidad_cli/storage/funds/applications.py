"""Applications to a round, their budget lines, and the legal personality of organisations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_day, read_instant
from comunidad_cli.storage.grants import _money, read_money


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """An application as stored, with its organisation's key, name and kind."""

    id: int
    key: str
    round_id: int
    organisation_id: int
    organisation: str
    organisation_name: str
    organisation_kind: str
    project: str
    amount: Decimal
    own_contribution: Decimal
    priority: str | None
    submitted_at: datetime


_APPLICATIONS = (
    "SELECT a.id, a.key, a.round_id, a.organisation_id, o.key, o.name, o.kind, a.project,"
    " a.amount, a.own_contribution, a.priority, a.submitted_at"
    " FROM fund_application a JOIN organisation o ON a.organisation_id = o.id"
)


def _application(row: tuple[Any, ...]) -> ApplicationRow:
    aid, key, rid, oid, org, name, kind, project, amount, own, priority, submitted = row
    at = read_instant(submitted)
    assert at is not None
    return ApplicationRow(
        int(aid),
        key,
        int(rid),
        int(oid),
        org,
        name,
        kind,
        project,
        read_money(amount),
        read_money(own),
        priority,
        at,
    )


def applications(db: Db, round_id: int) -> list[ApplicationRow]:
    """A round's applications in the order they were submitted."""
    rows = db.rows(
        f"{_APPLICATIONS} WHERE a.round_id = :r ORDER BY a.submitted_at, a.id", {"r": round_id}
    )
    return [_application(r) for r in rows]


def application_keys(db: Db) -> list[str]:
    """Every application's id (to suggest the one a mistyped id meant)."""
    return [str(r[0]) for r in db.rows("SELECT key FROM fund_application ORDER BY key", {})]


def application_by_key(db: Db, key: str) -> ApplicationRow | None:
    """The application `key`, None when there is none."""
    row = db.row(f"{_APPLICATIONS} WHERE a.key = :key", {"key": key})
    return None if row is None else _application(row)


def add_application(
    db: Db,
    *,
    key: str,
    round_id: int,
    organisation_id: int,
    project: str,
    amount: Decimal,
    own_contribution: Decimal,
    priority: str | None,
    submitted_at: datetime,
    lines: Mapping[str, Decimal],
) -> int:
    """Insert one application and its budget lines; returns its row id."""
    application_id = db.insert(
        "fund_application",
        {
            "key": key,
            "round_id": round_id,
            "organisation_id": organisation_id,
            "project": project,
            "amount": _money(db, amount),
            "own_contribution": _money(db, own_contribution),
            "priority": priority,
            "submitted_at": db.instant(submitted_at),
        },
    )
    db.execute_many(
        "INSERT INTO fund_application_line (application_id, category, amount) VALUES (:a, :c, :m)",
        [{"a": application_id, "c": c, "m": _money(db, m)} for c, m in lines.items()],
    )
    return application_id


def application_lines(db: Db, round_id: int) -> dict[int, dict[str, Decimal]]:
    """Every budget line of a round's applications: {application id: {category: amount}}."""
    found: dict[int, dict[str, Decimal]] = {}
    for aid, category, amount in db.rows(
        "SELECT l.application_id, l.category, l.amount FROM fund_application_line l"
        " JOIN fund_application a ON l.application_id = a.id WHERE a.round_id = :r"
        " ORDER BY l.application_id, l.category",
        {"r": round_id},
    ):
        found.setdefault(int(aid), {})[category] = read_money(amount)
    return found


@dataclass(frozen=True, slots=True)
class LegalPersonalityRow:
    """An organisation's legal personality as last recorded."""

    organisation_id: int
    number: str | None
    valid_from: date | None
    valid_until: date | None
    recorded_at: datetime
    by: str


def legal_personalities(db: Db) -> dict[int, LegalPersonalityRow]:
    """The latest record of each organisation's legal personality, by organisation id."""
    found: dict[int, LegalPersonalityRow] = {}
    for oid, number, start, until, recorded, by in db.rows(
        'SELECT organisation_id, number, valid_from, valid_until, recorded_at, "by"'
        " FROM legal_personality ORDER BY recorded_at, id"
    ):
        at = read_instant(recorded)
        assert at is not None
        found[int(oid)] = LegalPersonalityRow(
            int(oid), number, read_day(start), read_day(until), at, by
        )
    return found


def add_legal_personality(
    db: Db,
    *,
    organisation_id: int,
    number: str | None,
    valid_from: date | None,
    valid_until: date | None,
    recorded_at: datetime,
    by: str,
) -> int:
    """Record an organisation's legal personality (a later record stands beside it)."""
    return db.insert(
        "legal_personality",
        {
            "organisation_id": organisation_id,
            "number": number,
            "valid_from": db.day(valid_from),
            "valid_until": db.day(valid_until),
            "recorded_at": db.instant(recorded_at),
            "by": by,
        },
    )
