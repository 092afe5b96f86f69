"""Resources mobilised beyond the grant, read through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines; no SQLAlchemy (see
`storage.dbapi`). Amounts and hours come back as Decimals with two decimals, dates as
dates (what SQLAlchemy's Numeric(.., 2) and Date gave).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_day
from comunidad_cli.storage.grants import _money, read_money

_RESOURCES = (
    "SELECT r.key, r.kind, r.description, g.key, o.key, r.pledged, r.received, r.hours,"
    " r.dated, r.source_id, g.currency"
    " FROM resource r LEFT OUTER JOIN grant_award g ON r.grant_id = g.id"
    " LEFT OUTER JOIN organisation o ON r.source_id = o.id"
)


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """One resource with its grant's key and currency and its source's key."""

    key: str
    kind: str
    description: str
    grant: str | None
    source: str | None
    pledged: Decimal
    received: Decimal
    hours: Decimal | None
    dated: date
    source_id: int | None
    currency: str | None


def _row(row: tuple[Any, ...]) -> ResourceRow:
    key, kind, description, grant, source, pledged, received, hours, dated, source_id, cur = row
    day = read_day(dated)
    assert day is not None
    return ResourceRow(
        key,
        kind,
        description,
        grant,
        source,
        read_money(pledged),
        read_money(received),
        None if hours is None else read_money(hours),
        day,
        None if source_id is None else int(source_id),
        cur,
    )


def resources(db: Db, grant_id: int | None = None) -> list[ResourceRow]:
    """Every resource (linked to one grant), by date then key."""
    if grant_id is None:
        rows = db.rows(f"{_RESOURCES} ORDER BY r.dated, r.key")
    else:
        rows = db.rows(
            f"{_RESOURCES} WHERE r.grant_id = :g ORDER BY r.dated, r.key", {"g": grant_id}
        )
    return [_row(r) for r in rows]


def add_resource(
    db: Db,
    *,
    key: str,
    grant_id: int | None,
    source_id: int | None,
    kind: str,
    description: str,
    pledged: Decimal,
    received: Decimal,
    hours: Decimal | None,
    dated: date,
) -> int:
    """Insert one resource; returns its row id."""
    return db.insert(
        "resource",
        {
            "key": key,
            "grant_id": grant_id,
            "source_id": source_id,
            "kind": kind,
            "description": description,
            "pledged": _money(db, pledged),
            "received": _money(db, received),
            "hours": None if hours is None else _money(db, hours),
            "dated": db.day(dated),
        },
    )


_STORED = ("id", "key", "kind", "description", "grant_id", "source_id")


def resource_rows(db: Db) -> dict[str, dict[str, Any]]:
    """Every resource by key, as {id, key, kind, description, grant_id, source_id, pledged,
    received, hours, dated} typed as SQLAlchemy gave them (what an import compares)."""
    found: dict[str, dict[str, Any]] = {}
    for row in db.rows(
        f"SELECT {', '.join(_STORED)}, pledged, received, hours, dated FROM resource"
    ):
        *head, pledged, received, hours, dated = row
        values = dict(zip(_STORED, head, strict=True))
        values.update(
            pledged=read_money(pledged),
            received=read_money(received),
            hours=None if hours is None else read_money(hours),
            dated=read_day(dated),
        )
        found[str(values["key"])] = values
    return found
