"""Partner agreements and the partnership-quality self-assessment (migration 0012).

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from comunidad_cli.storage.tables.base import UTCDateTime

# --- partner agreements (migration 0012) -------------------------------------------------------
#
# An agreement with a partner organisation is a series of versions: the original (number 0),
# then amendments and renewals, each a new row beside the ones before. A version is drafted
# (its goals, data items and review dates added), then signed once, on a day, by someone; a
# signed version never changes. The partnership-quality self-assessments of each side are
# answered with an instrument of the capacity machinery, in their own tables so that they
# never mix with an organisation's capacity.


class Agreement(SQLModel, table=True):
    """An agreement between our side (the lead) and a partner organisation: its title as
    typed; terms, goals and data shared live in its versions."""

    __tablename__: ClassVar[Any] = "agreement"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    title: str
    partner_id: int = Field(foreign_key="organisation.id")
    lead_id: int = Field(foreign_key="organisation.id")
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class AgreementVersion(SQLModel, table=True):
    """One version of an agreement: the original, an amendment (what changes, as typed, and
    perhaps a new term end), a renewal (a new term) or an ending (its reason as the text,
    its term end the day it ends, signed when recorded); signed once, then as it was."""

    __tablename__: ClassVar[Any] = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    number: int
    kind: str = Field(description="original | amendment | renewal | ending")
    text: str = Field(sa_column=Column("text", Text, nullable=False))
    term_start: date | None = None
    term_end: date | None = None
    signed_on: date | None = None
    signed_by: str | None = None
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class AgreementGoal(SQLModel, table=True):
    """A shared goal, as typed, set by one version."""

    __tablename__: ClassVar[Any] = "agreement_goal"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    text: str = Field(sa_column=Column("text", Text, nullable=False))


class AgreementData(SQLModel, table=True):
    """A data item shared under one version: what, which way (out, in, both) and why."""

    __tablename__: ClassVar[Any] = "agreement_data"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    what: str
    direction: str
    purpose: str = Field(sa_column=Column("purpose", Text, nullable=False))


class AgreementReview(SQLModel, table=True):
    """A review date set by one version."""

    __tablename__: ClassVar[Any] = "agreement_review"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    due: date


class AgreementReviewHeld(SQLModel, table=True):
    """A review held: it settles the earliest review date still pending."""

    __tablename__: ClassVar[Any] = "agreement_review_held"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    held_on: date
    by: str
    note: str = Field(sa_column=Column("note", Text, nullable=False))
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class AgreementAssessment(SQLModel, table=True):
    """One side's partnership-quality self-assessment of an agreement, by one rater, on one
    day, with one instrument (and the SHA-256 of its text)."""

    __tablename__: ClassVar[Any] = "agreement_assessment"
    __table_args__ = (
        UniqueConstraint("agreement_id", "side", "instrument", "rater", "assessed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    side: str = Field(description="lead | partner")
    instrument: str
    instrument_sha256: str
    rater: str
    assessed_on: date


class AgreementAnswer(SQLModel, table=True):
    """An item's score (1-4), or None for N/A."""

    __tablename__: ClassVar[Any] = "agreement_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="agreement_assessment.id")
    item: str
    score: int | None = None
