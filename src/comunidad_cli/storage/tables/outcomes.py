"""Outcomes for children and families: aggregated counts and the imports that wrote them
(migration 0009).

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from comunidad_cli.storage.tables.base import MONEY, UTCDateTime

# --- outcomes for children and families (migration 0009) --------------------------------------


class OutcomeImport(SQLModel, table=True):
    """One `import outcomes` run that wrote counts: when, by whom, which file (its sha256)
    and how many rows; every count names the import that last wrote it."""

    __tablename__: ClassVar[Any] = "outcome_import"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column("at", UTCDateTime(), nullable=False))
    by: str
    file: str
    sha256: str
    rows: int


class OutcomeCount(SQLModel, table=True):
    """Aggregated counts of one indicator for one period and group (never a person): the
    numerator (for a median_days indicator, the median as given) and the denominator. The
    period's total is dimension "total", group "total"."""

    __tablename__: ClassVar[Any] = "outcome_count"
    __table_args__ = (UniqueConstraint("indicator", "period", "dimension", "group_name"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator: str
    period: str
    dimension: str
    group_name: str
    numerator: Decimal | None = Field(default=None, sa_column=Column("numerator", MONEY))
    denominator: int | None = None
    import_id: int = Field(foreign_key="outcome_import.id", index=True)
