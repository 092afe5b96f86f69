"""Competitive funds ("fondos concursables"): rounds and their texts, applications,
admissibility and appeals, recusals, scores, consensus notes, awards and funded projects.

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from comunidad_cli.storage.tables.base import MONEY, UTCDateTime

# --- competitive funds ("fondos concursables") -------------------------------------------------
#
# A round is a TOML file (`core/funds/round.py`); the database keeps each text of it that
# was opened, the applications, the admissibility decisions and appeals, reviewers' scores
# and recusals, and each award proposal with the motion that adopts it. Every row is
# history: a later decision, score or proposal is a new row beside the earlier one.


class LegalPersonality(SQLModel, table=True):
    """An organisation's legal personality as its certificate states it ("certificado de
    vigencia"): the number and the day it is in force until, recorded with who said so."""

    __tablename__: ClassVar[Any] = "legal_personality"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    number: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    recorded_at: datetime = Field(sa_column=Column("recorded_at", UTCDateTime(), nullable=False))
    by: str


class FundRound(SQLModel, table=True):
    """A round opened in the database: its id (the file's), the body it belongs to and the
    grant its awards become subcontracts of."""

    __tablename__: ClassVar[Any] = "fund_round"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    bylaws_id: str
    body: str
    grant_id: int | None = Field(default=None, foreign_key="grant_award.id", index=True)
    opened_at: datetime = Field(sa_column=Column("opened_at", UTCDateTime(), nullable=False))


class FundRoundText(SQLModel, table=True):
    """One text of a round's file, as it was when loaded (content-addressed): what the
    round's decisions were judged under; a later text is a new row."""

    __tablename__: ClassVar[Any] = "fund_round_text"
    __table_args__ = (UniqueConstraint("round_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="fund_round.id", index=True)
    sha256: str
    content: str = Field(sa_column=Column("content", Text, nullable=False))
    loaded_at: datetime = Field(sa_column=Column("loaded_at", UTCDateTime(), nullable=False))


class FundApplication(SQLModel, table=True):
    """An organisation's application to a round: the project, the amount asked, its own
    contribution and the plan priority it serves."""

    __tablename__: ClassVar[Any] = "fund_application"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    round_id: int = Field(foreign_key="fund_round.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    project: str
    amount: Decimal = Field(sa_column=Column("amount", MONEY, nullable=False))
    own_contribution: Decimal = Field(
        default=Decimal(0), sa_column=Column("own_contribution", MONEY, nullable=False)
    )
    priority: str | None = None
    submitted_at: datetime = Field(sa_column=Column("submitted_at", UTCDateTime(), nullable=False))


class FundApplicationLine(SQLModel, table=True):
    """The part of an application's amount asked for one budget category."""

    __tablename__: ClassVar[Any] = "fund_application_line"
    __table_args__ = (UniqueConstraint("application_id", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="fund_application.id")
    category: str
    amount: Decimal = Field(sa_column=Column("amount", MONEY, nullable=False))


class FundAppeal(SQLModel, table=True):
    """A refused applicant's request for reconsideration ("reconsideración")."""

    __tablename__: ClassVar[Any] = "fund_appeal"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="fund_application.id", index=True)
    filed_on: date
    text: str = Field(sa_column=Column("text", Text, nullable=False))
    recorded_at: datetime = Field(sa_column=Column("recorded_at", UTCDateTime(), nullable=False))
    by: str


class FundAdmissibility(SQLModel, table=True):
    """A judgement of an application against the round's rules, with its reasons (JSON:
    message ids and parameters); the latest row stands, an appeal's decision is a new row
    naming the appeal."""

    __tablename__: ClassVar[Any] = "fund_admissibility"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="fund_application.id", index=True)
    admissible: bool
    reasons: str = Field(sa_column=Column("reasons", Text, nullable=False))
    appeal_id: int | None = Field(default=None, foreign_key="fund_appeal.id")
    decided_at: datetime = Field(sa_column=Column("decided_at", UTCDateTime(), nullable=False))
    by: str


class FundRecusal(SQLModel, table=True):
    """A reviewer's declared conflict of interest on one application (ties the directory
    shows are found, not stored)."""

    __tablename__: ClassVar[Any] = "fund_recusal"
    __table_args__ = (UniqueConstraint("application_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="fund_application.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    reason: str
    declared_at: datetime = Field(sa_column=Column("declared_at", UTCDateTime(), nullable=False))


class FundScore(SQLModel, table=True):
    """A reviewer's points for one application on one criterion; a later row for the same
    three replaces it in the totals and keeps it as history."""

    __tablename__: ClassVar[Any] = "fund_score"
    __table_args__ = (
        Index(
            "ix_fund_score_application_id_person_id_criterion",
            "application_id",
            "person_id",
            "criterion",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="fund_application.id")
    person_id: int = Field(foreign_key="person.id")
    criterion: str
    points: int
    scored_at: datetime = Field(sa_column=Column("scored_at", UTCDateTime(), nullable=False))


class FundConsensusNote(SQLModel, table=True):
    """The reviewers' note where their scores differed by more than the round's spread."""

    __tablename__: ClassVar[Any] = "fund_consensus_note"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="fund_application.id", index=True)
    criterion: str | None = None
    text: str = Field(sa_column=Column("text", Text, nullable=False))
    noted_at: datetime = Field(sa_column=Column("noted_at", UTCDateTime(), nullable=False))
    by: str


class FundAward(SQLModel, table=True):
    """An award proposal: the ranking and the funded list as computed (mode, lottery seed,
    the explanation as JSON), and the motion under the by-laws' award decision that adopts
    it; it stands only once that motion is adopted."""

    __tablename__: ClassVar[Any] = "fund_award"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    round_id: int = Field(foreign_key="fund_round.id", index=True)
    round_text_id: int = Field(foreign_key="fund_round_text.id")
    mode: str
    seed: str | None = None
    motion_id: int | None = Field(default=None, foreign_key="motion.id", index=True)
    snapshot: str = Field(sa_column=Column("snapshot", Text, nullable=False))
    proposed_at: datetime = Field(sa_column=Column("proposed_at", UTCDateTime(), nullable=False))


class FundAwardLine(SQLModel, table=True):
    """One application's place in an award proposal: rank, total score (an exact fraction
    as text), the amount awarded (0 when not funded) and the outcome's code."""

    __tablename__: ClassVar[Any] = "fund_award_line"
    __table_args__ = (UniqueConstraint("award_id", "application_id"),)

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="fund_award.id")
    application_id: int = Field(foreign_key="fund_application.id", index=True)
    rank: int | None = None
    score: str | None = None
    amount: Decimal = Field(sa_column=Column("amount", MONEY, nullable=False))
    outcome: str = Field(description="funded | partial | not_funded | below_minimum | inadmissible")


class FundProject(SQLModel, table=True):
    """A funded project's subcontract: the award line it was made from."""

    __tablename__: ClassVar[Any] = "fund_project"

    id: int | None = Field(default=None, primary_key=True)
    award_line_id: int = Field(foreign_key="fund_award_line.id", unique=True)
    subcontract_id: int = Field(foreign_key="subcontract.id", unique=True)
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))
