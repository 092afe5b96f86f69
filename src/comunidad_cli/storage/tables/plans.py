"""Territory selection and the local improvement plan (migration 0008).

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from comunidad_cli.storage.tables.base import UTCDateTime

# --- territory selection and the local improvement plan (migration 0008) ---------------------
#
# Candidate territories and their criteria values, each value a row (a later value is a new
# row; the latest stands); each selection keeps its rule, its inputs and its result. A plan
# is a version: an amendment is a new row naming the one it amends; it takes effect only
# through a motion adopted under the by-laws' plan decision (`plan_proposal`).


class Territory(SQLModel, table=True):
    """A candidate territory (a neighbourhood, a "población", a "barri")."""

    __tablename__: ClassVar[Any] = "territory"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class TerritoryValue(SQLModel, table=True):
    """A territory's value on one criterion (exact decimal as text); the latest stands."""

    __tablename__: ClassVar[Any] = "territory_value"
    __table_args__ = (
        Index("ix_territory_value_territory_id_criterion", "territory_id", "criterion"),
    )

    id: int | None = Field(default=None, primary_key=True)
    territory_id: int = Field(foreign_key="territory.id")
    criterion: str
    value: str
    recorded_at: datetime = Field(sa_column=Column("recorded_at", UTCDateTime(), nullable=False))


class TerritorySelection(SQLModel, table=True):
    """A selection as made: the rule (JSON), the values it was given and the ranking with
    exact scores (JSON); never overwritten, a later selection is a new row."""

    __tablename__: ClassVar[Any] = "territory_selection"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    rule: str = Field(sa_column=Column("rule", Text, nullable=False))
    inputs: str = Field(sa_column=Column("inputs", Text, nullable=False))
    result: str = Field(sa_column=Column("result", Text, nullable=False))
    made_at: datetime = Field(sa_column=Column("made_at", UTCDateTime(), nullable=False))
    by: str


class ImprovementPlan(SQLModel, table=True):
    """One version of a body's local improvement plan for a period; an amendment is a new
    version naming the one it amends."""

    __tablename__: ClassVar[Any] = "improvement_plan"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    bylaws_id: str
    body: str
    start: date
    end: date
    title: str
    version: int
    amends_id: int | None = Field(default=None, foreign_key="improvement_plan.id", index=True)
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class PlanNeed(SQLModel, table=True):
    """A need of a plan version: its id, name as typed, priority rank and evidence."""

    __tablename__: ClassVar[Any] = "plan_need"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="improvement_plan.id")
    key: str
    name: str
    rank: int
    evidence: str = Field(sa_column=Column("evidence", Text, nullable=False))
    territory_id: int | None = Field(default=None, foreign_key="territory.id", index=True)


class PlanProposal(SQLModel, table=True):
    """A plan version put to a meeting: the motion under the by-laws' plan decision. The
    version is in force once that motion is adopted."""

    __tablename__: ClassVar[Any] = "plan_proposal"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="improvement_plan.id", index=True)
    motion_id: int = Field(foreign_key="motion.id", unique=True)
    proposed_at: datetime = Field(sa_column=Column("proposed_at", UTCDateTime(), nullable=False))
