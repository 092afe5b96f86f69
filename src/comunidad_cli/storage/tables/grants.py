"""Grant administration: grants, subcontracts, budgets and amendments, risk, payments,
deliverables and their submissions; capacity assessments; resources mobilised.

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from comunidad_cli.storage.tables.base import MONEY, UTCDateTime

# --- Grant administration (migration 0003) ---------------------------------------------------
#
# Money is Numeric(14, 2) read back as Decimal, never float. Amendments, revisions and
# payments are kept as history and never overwritten: balances are derived from them.


class Grant(SQLModel, table=True):
    """Money received from a funder."""

    __tablename__: ClassVar[Any] = "grant_award"  # "grant" is reserved in SQL

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    funder_id: int = Field(foreign_key="organisation.id", index=True)
    award_number: str | None = None
    title: str
    amount: Decimal = Field(sa_column=Column("amount", MONEY, nullable=False))
    currency: str
    start: date
    end: date
    match_required: Decimal = Field(
        default=Decimal(0), sa_column=Column("match_required", MONEY, nullable=False)
    )
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class Subcontract(SQLModel, table=True):
    """Money passed on to a partner: a subaward or a contract under one grant."""

    __tablename__: ClassVar[Any] = "subcontract"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    grant_id: int = Field(foreign_key="grant_award.id", index=True)
    partner_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(description="subaward | contract")
    start: date
    end: date
    status: str = Field(default="draft", description="draft | active | closing | closed")
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class BudgetLine(SQLModel, table=True):
    """A subcontract's budget for one category, as first obligated (changes are amendments)."""

    __tablename__: ClassVar[Any] = "budget_line"
    __table_args__ = (UniqueConstraint("subcontract_id", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    subcontract_id: int = Field(foreign_key="subcontract.id")
    category: str
    amount: Decimal = Field(sa_column=Column("amount", MONEY, nullable=False))


class Amendment(SQLModel, table=True):
    """A dated change to a subcontract's budget: more or less money, or money moved."""

    __tablename__: ClassVar[Any] = "amendment"

    id: int | None = Field(default=None, primary_key=True)
    subcontract_id: int = Field(foreign_key="subcontract.id", index=True)
    number: int
    effective: date
    reason: str
    needs_funder_approval: bool = False
    funder_approved_on: date | None = None
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class AmendmentLine(SQLModel, table=True):
    """How much one amendment adds to (or takes from) one budget category."""

    __tablename__: ClassVar[Any] = "amendment_line"

    id: int | None = Field(default=None, primary_key=True)
    amendment_id: int = Field(foreign_key="amendment.id", index=True)
    category: str
    delta: Decimal = Field(sa_column=Column("delta", MONEY, nullable=False))


class RiskAssessment(SQLModel, table=True):
    """A pre-award risk assessment of a subcontract (activation requires one on file)."""

    __tablename__: ClassVar[Any] = "risk_assessment"

    id: int | None = Field(default=None, primary_key=True)
    subcontract_id: int = Field(foreign_key="subcontract.id", index=True)
    assessed_on: date
    level: str = Field(description="low | medium | high")
    assessed_by: str
    notes: str | None = None


class Payment(SQLModel, table=True):
    """An invoice or reimbursement request (negative total: a repayment)."""

    __tablename__: ClassVar[Any] = "payment"
    # Covering: what was paid to each subcontract, and payments up to a day, from the index.
    __table_args__ = (
        Index(
            "ix_payment_subcontract_id_status_invoice_date_total",
            "subcontract_id",
            "status",
            "invoice_date",
            "total",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    subcontract_id: int = Field(foreign_key="subcontract.id")
    period_start: date
    period_end: date
    invoice_date: date
    status: str = Field(description="submitted | approved | paid | declined")
    total: Decimal = Field(sa_column=Column("total", MONEY, nullable=False))
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class PaymentLine(SQLModel, table=True):
    """The part of a payment charged to one budget category."""

    __tablename__: ClassVar[Any] = "payment_line"
    # Covering: a subcontract's spending by category is summed from the index alone.
    __table_args__ = (
        Index("ix_payment_line_payment_id_category_amount", "payment_id", "category", "amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id")
    category: str
    amount: Decimal = Field(sa_column=Column("amount", MONEY, nullable=False))


class Deliverable(SQLModel, table=True):
    """A report or product a subcontract owes: once, or every N weeks or months."""

    __tablename__: ClassVar[Any] = "deliverable"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    subcontract_id: int = Field(foreign_key="subcontract.id", index=True)
    title: str
    first_due: date
    every: int | None = Field(default=None, description="repeat every N units; None: once")
    unit: str | None = Field(default=None, description="weeks | months")
    until: date | None = None
    holds_payments: bool = False


class Submission(SQLModel, table=True):
    """A deliverable handed in, for the occurrence due on `due`."""

    __tablename__: ClassVar[Any] = "submission"
    __table_args__ = (UniqueConstraint("deliverable_id", "due"),)

    id: int | None = Field(default=None, primary_key=True)
    deliverable_id: int = Field(foreign_key="deliverable.id")
    due: date
    submitted_on: date


class CapacityAssessment(SQLModel, table=True):
    """One rater's assessment of one organisation with one instrument, on one day."""

    __tablename__: ClassVar[Any] = "capacity_assessment"
    __table_args__ = (UniqueConstraint("organisation_id", "instrument", "rater", "assessed_on"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    instrument: str
    instrument_sha256: str
    rater: str
    assessed_on: date


class CapacityAnswer(SQLModel, table=True):
    """An item's score (1-4), or None for N/A."""

    __tablename__: ClassVar[Any] = "capacity_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="capacity_assessment.id")
    item: str
    score: int | None = None


class Resource(SQLModel, table=True):
    """Resources mobilised beyond the grant: funding, donations, in-kind, volunteer hours."""

    __tablename__: ClassVar[Any] = "resource"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    grant_id: int | None = Field(default=None, foreign_key="grant_award.id", index=True)
    source_id: int | None = Field(default=None, foreign_key="organisation.id")
    kind: str = Field(description="funding | donation | in_kind | volunteer_hours")
    description: str
    pledged: Decimal = Field(default=Decimal(0), sa_column=Column("pledged", MONEY, nullable=False))
    received: Decimal = Field(
        default=Decimal(0), sa_column=Column("received", MONEY, nullable=False)
    )
    hours: Decimal | None = Field(
        default=None, sa_column=Column("hours", Numeric(12, 2, asdecimal=True), nullable=True)
    )
    dated: date
