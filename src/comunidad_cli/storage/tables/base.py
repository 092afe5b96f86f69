"""The naming convention, the types every domain's tables share (instants in UTC, money) and
the append-only audit log.

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Dialect, Index, Numeric, Text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC and read back as an aware UTC datetime.

    SQLite has no time zones: without this, a stored aware time comes back naive, and
    comparing it with `clock.now()` raises. Naive values are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware time (clock.now())")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class AuditEvent(SQLModel, table=True):
    """One change made through comunidad: who-did-what evidence for funders and auditors.

    Append-only: database triggers refuse UPDATE and DELETE, so a row, once committed with
    the change it records, stays as written.
    """

    __tablename__: ClassVar[Any] = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_event_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column("at", UTCDateTime(), nullable=False))
    command: str = Field(description='The CLI command, e.g. "init", "db upgrade".')
    action: str = Field(description='"create", "update", "delete", "upgrade", ...')
    entity: str = Field(description="The kind of thing changed, e.g. a table name.")
    entity_id: str | None = Field(default=None)
    detail: str | None = Field(default=None, sa_column=Column("detail", Text, nullable=True))
    actor: str | None = Field(
        default=None,
        description="Who made the change: --by, COMUNIDAD_ACTOR or the OS user (migration"
        " 0004); NULL on older rows and when no user name could be found.",
    )


#: Money: exact, two decimals (a currency's minor units).
MONEY = Numeric(14, 2, asdecimal=True)
