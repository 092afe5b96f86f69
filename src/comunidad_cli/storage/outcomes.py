"""The queries of outcomes: the aggregated counts per indicator, period, dimension and group,
and the imports that wrote them. Portable SQL over `storage/dbapi.py`'s `Db` (no
SQLAlchemy); numerators go in and out as the schema stores money (`storage/grants.py`
`_money`, `read_money`), so a median of 412.5 days is exact on both backends."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

#: (indicator, period, dimension, group)
CountKey = tuple[str, str, str, str]
#: (row id, numerator, denominator)
Stored = tuple[int, Decimal | None, int | None]


def _numerator(value: Any) -> Decimal | None:
    from comunidad_cli.storage.grants import read_money

    if value is None:
        return None
    return _exact(read_money(value))


def _exact(value: Decimal) -> Decimal:
    """12.00 -> 12, 412.50 -> 412.5: the number as it was imported."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def stored_counts(db: Db, indicators: Collection[str]) -> dict[CountKey, Stored]:
    """The stored counts of `indicators`, by key."""
    out: dict[CountKey, Stored] = {}
    for indicator in sorted(indicators):
        for row_id, period, dimension, group, numerator, denominator in db.rows(
            "SELECT id, period, dimension, group_name, numerator, denominator"
            " FROM outcome_count WHERE indicator = :indicator",
            {"indicator": indicator},
        ):
            out[(indicator, period, dimension, group)] = (
                int(row_id),
                _numerator(numerator),
                None if denominator is None else int(denominator),
            )
    return out


def add_import(db: Db, at: datetime, by: str, file: str, sha256: str, rows: int) -> int:
    """Record one import that writes counts; its id for the counts it writes."""
    return db.insert(
        "outcome_import",
        {"at": db.instant(at), "by": by, "file": file, "sha256": sha256, "rows": rows},
    )


def money(db: Db, value: Decimal | None) -> Any:
    from comunidad_cli.storage.grants import _money

    return None if value is None else _money(db, value)


def insert_counts(
    db: Db, import_id: int, rows: Sequence[tuple[CountKey, Decimal | None, int | None]]
) -> None:
    """New counts, one `Db.insert_rows`."""
    db.insert_rows(
        "outcome_count",
        ("indicator", "period", "dimension", "group_name", "numerator", "denominator", "import_id"),
        [(*key, money(db, n), d, import_id) for key, n, d in rows],
    )


def update_counts(
    db: Db, import_id: int, rows: Sequence[tuple[int, Decimal | None, int | None]]
) -> None:
    """Counts the file revised (by row id), one executemany."""
    db.execute_many(
        "UPDATE outcome_count SET numerator = :numerator, denominator = :denominator,"
        " import_id = :import_id WHERE id = :id",
        [
            {"id": row_id, "numerator": money(db, n), "denominator": d, "import_id": import_id}
            for row_id, n, d in rows
        ],
    )


def indicator_cells(
    db: Db, indicator: str
) -> list[tuple[str, str, str, Decimal | None, int | None]]:
    """Every count of one indicator: (period, dimension, group, numerator, denominator), in
    the order imported (groups as the file listed them)."""
    return [
        (period, dimension, group, _numerator(n), None if d is None else int(d))
        for period, dimension, group, n, d in db.rows(
            "SELECT period, dimension, group_name, numerator, denominator FROM outcome_count"
            " WHERE indicator = :indicator ORDER BY id",
            {"indicator": indicator},
        )
    ]
