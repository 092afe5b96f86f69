"""SQLModel tables: the database schema as Python classes.

Every change here needs a migration in ``migrations/versions`` (tests compare the two).
Constraint names follow a naming convention so that later migrations, which on SQLite
rebuild tables in batch mode, can refer to constraints by name.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Dialect, Index, Numeric, Text, UniqueConstraint
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


# --- Directory and governance (migration 0002) ----------------------------------------------
#
# Every row users refer to has a `key`: a stable, human-typable natural key (chosen by the
# user or generated from the name) that imports match on, so re-importing a file changes
# nothing. Integer ids stay internal.


class Organisation(SQLModel, table=True):
    """An agency, community organisation, business, public body or funder."""

    __tablename__: ClassVar[Any] = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    kind: str = Field(description="agency | community | business | public | funder")
    email: str | None = None
    phone: str | None = None
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class Person(SQLModel, table=True):
    """A resident or a representative of an organisation."""

    __tablename__: ClassVar[Any] = "person"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    email: str | None = None
    phone: str | None = None
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class BylawsVersion(SQLModel, table=True):
    """The exact text of by-laws in force when something was decided (content-addressed)."""

    __tablename__: ClassVar[Any] = "bylaws_version"

    id: int | None = Field(default=None, primary_key=True)
    bylaws_id: str = Field(index=True)
    sha256: str = Field(unique=True)
    content: str = Field(sa_column=Column("content", Text, nullable=False))
    loaded_at: datetime = Field(sa_column=Column("loaded_at", UTCDateTime(), nullable=False))


class Seat(SQLModel, table=True):
    """A person's dated seat on a body, in a class, maybe with a role."""

    __tablename__: ClassVar[Any] = "seat"
    __table_args__ = (Index("ix_seat_bylaws_id_body_start", "bylaws_id", "body", "start"),)

    id: int | None = Field(default=None, primary_key=True)
    bylaws_id: str
    body: str
    person_id: int = Field(foreign_key="person.id", index=True)
    member_class: str
    role: str | None = None
    start: date
    end: date | None = None


class Meeting(SQLModel, table=True):
    """A meeting of one body, under the by-laws version in force when it was created."""

    __tablename__: ClassVar[Any] = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    bylaws_id: str
    bylaws_version_id: int = Field(foreign_key="bylaws_version.id")
    body: str
    kind: str = Field(default="regular", description="regular | special")
    scheduled_at: datetime = Field(sa_column=Column("scheduled_at", UTCDateTime(), nullable=False))
    notice_sent: date | None = None
    ended_at: datetime | None = Field(
        default=None, sa_column=Column("ended_at", UTCDateTime(), nullable=True)
    )
    title: str | None = None


class Attendance(SQLModel, table=True):
    """One arrival or departure, with its time: quorum is judged from this log."""

    __tablename__: ClassVar[Any] = "attendance"
    __table_args__ = (Index("ix_attendance_meeting_id_at", "meeting_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    person_id: int = Field(foreign_key="person.id")
    at: datetime = Field(sa_column=Column("at", UTCDateTime(), nullable=False))
    arrived: bool


class Proxy(SQLModel, table=True):
    """A member (giver) lets a present member (holder) vote for them at one meeting."""

    __tablename__: ClassVar[Any] = "proxy"
    __table_args__ = (UniqueConstraint("meeting_id", "giver_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    holder_id: int = Field(foreign_key="person.id")
    giver_id: int = Field(foreign_key="person.id")


class Motion(SQLModel, table=True):
    """A motion put to a meeting; at close, its outcome and a snapshot that explains it."""

    __tablename__: ClassVar[Any] = "motion"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    decision: str
    title: str
    opened_at: datetime = Field(sa_column=Column("opened_at", UTCDateTime(), nullable=False))
    closed_at: datetime | None = Field(
        default=None, sa_column=Column("closed_at", UTCDateTime(), nullable=True)
    )
    outcome: str | None = Field(default=None, description="adopted | rejected | no_quorum")
    snapshot: str | None = Field(default=None, sa_column=Column("snapshot", Text, nullable=True))


class VoteRecord(SQLModel, table=True):
    """One member's vote on one motion (cast in person or by a proxy holder)."""

    __tablename__: ClassVar[Any] = "vote"
    __table_args__ = (
        UniqueConstraint("motion_id", "person_id"),
        Index("ix_vote_motion_id_choice", "motion_id", "choice"),
    )

    id: int | None = Field(default=None, primary_key=True)
    motion_id: int = Field(foreign_key="motion.id")
    person_id: int = Field(foreign_key="person.id")
    choice: str = Field(description="yes | no | abstain")
    at: datetime = Field(sa_column=Column("at", UTCDateTime(), nullable=False))
    cast_by_id: int | None = Field(default=None, foreign_key="person.id")


class Recusal(SQLModel, table=True):
    """A member steps aside from one motion for a declared conflict of interest."""

    __tablename__: ClassVar[Any] = "recusal"
    __table_args__ = (UniqueConstraint("motion_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    motion_id: int = Field(foreign_key="motion.id")
    person_id: int = Field(foreign_key="person.id")
    reason: str
    at: datetime = Field(sa_column=Column("at", UTCDateTime(), nullable=False))


class Minutes(SQLModel, table=True):
    """A signed-off version of a meeting's minutes: frozen; corrections are added, not edits."""

    __tablename__: ClassVar[Any] = "minutes"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    version: int
    locale: str
    content: str = Field(sa_column=Column("content", Text, nullable=False))
    sha256: str
    signed_at: datetime = Field(sa_column=Column("signed_at", UTCDateTime(), nullable=False))
    signed_by: str
    corrects: int | None = Field(default=None, description="the version this one corrects")
    reason: str | None = Field(default=None, sa_column=Column("reason", Text, nullable=True))


class MinutesCorrection(SQLModel, table=True):
    """A correction to signed minutes, recorded beside them, never over them."""

    __tablename__: ClassVar[Any] = "minutes_correction"

    id: int | None = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key="minutes.id", index=True)
    at: datetime = Field(sa_column=Column("at", UTCDateTime(), nullable=False))
    text: str = Field(sa_column=Column("text", Text, nullable=False))
    by: str


class MeetingCorrection(SQLModel, table=True):
    """A correction to a closed meeting's record (who, when, why), beside it, never over it.

    When the minutes were signed, it also made the signed version `minutes_version`.
    """

    __tablename__: ClassVar[Any] = "meeting_correction"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    at: datetime = Field(sa_column=Column("at", UTCDateTime(), nullable=False))
    text: str = Field(sa_column=Column("text", Text, nullable=False))
    by: str
    minutes_version: int | None = None


# --- Grant administration (migration 0003) ---------------------------------------------------
#
# Money is Numeric(14, 2) read back as Decimal, never float. Amendments, revisions and
# payments are kept as history and never overwritten: balances are derived from them.

MONEY = Numeric(14, 2, asdecimal=True)


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


# --- networks and territorial spaces (migration 0010) -----------------------------------------


class NetworkSpace(SQLModel, table=True):
    """An external space the entity sits in (a xarxa, a taula, a commission of one): its
    name as typed, kind, parent space (for a commission) and territory."""

    __tablename__: ClassVar[Any] = "network_space"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    name: str
    kind: str
    parent_id: int | None = Field(default=None, foreign_key="network_space.id")
    territory: str | None = None


class NetworkRepresentation(SQLModel, table=True):
    """Who represents the entity in a space, from and (once it ends) to a day: a history,
    one row per term, never overwritten."""

    __tablename__: ClassVar[Any] = "network_representation"

    id: int | None = Field(default=None, primary_key=True)
    space_id: int = Field(foreign_key="network_space.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    org_id: int | None = Field(default=None, foreign_key="organisation.id")
    start: date
    end: date | None = None


class NetworkSession(SQLModel, table=True):
    """A session of a space someone attended: the day, who went (as typed) and notes."""

    __tablename__: ClassVar[Any] = "network_session"

    id: int | None = Field(default=None, primary_key=True)
    space_id: int = Field(foreign_key="network_space.id", index=True)
    held_on: date
    attendees: str = Field(sa_column=Column("attendees", Text, nullable=False))
    notes: str = Field(sa_column=Column("notes", Text, nullable=False))


class NetworkCommitment(SQLModel, table=True):
    """A commitment taken in a space: its text, owner and due day; its follow-up is a row
    of network_follow_up, never a change here."""

    __tablename__: ClassVar[Any] = "network_commitment"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    space_id: int = Field(foreign_key="network_space.id", index=True)
    text: str = Field(sa_column=Column("text", Text, nullable=False))
    owner_id: int = Field(foreign_key="person.id")
    taken_on: date
    due: date


class NetworkFollowUp(SQLModel, table=True):
    """How a commitment ended: done or cancelled, on which day, recorded by whom (one per
    commitment: what is closed stays closed)."""

    __tablename__: ClassVar[Any] = "network_follow_up"

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="network_commitment.id", unique=True)
    status: str
    on_day: date
    by: str
    note: str = Field(sa_column=Column("note", Text, nullable=False))


class NetworkReportBack(SQLModel, table=True):
    """Information brought back from a space to the people the entity serves."""

    __tablename__: ClassVar[Any] = "network_report_back"

    id: int | None = Field(default=None, primary_key=True)
    space_id: int = Field(foreign_key="network_space.id", index=True)
    on_day: date
    audience: str
    summary: str = Field(sa_column=Column("summary", Text, nullable=False))


class NetworkReferral(SQLModel, table=True):
    """Referrals made and received through a space in one period, as counts."""

    __tablename__: ClassVar[Any] = "network_referral"
    __table_args__ = (UniqueConstraint("space_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    space_id: int = Field(foreign_key="network_space.id", index=True)
    period: str
    made: int
    received: int


# --- learning and systems change (migration 0011) ---------------------------------------------
#
# Learning: activities (a training session, a cycle of the "comunidad de aprendizaje", a
# regional learning day), who took part, and lessons learned with their tags. Systems change:
# a tag puts one record (a motion, a subcontract, a funded project, a learning activity, a
# network commitment) under one of Best Start's six conditions or four qualities; a removed
# tag keeps its row with when and by whom it was removed.


class LearningActivity(SQLModel, table=True):
    """A learning activity: its topic, cycle, facilitator, day and hours, and (in a
    workspace with several partnerships) the by-laws it belongs to."""

    __tablename__: ClassVar[Any] = "learning_activity"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    title: str
    topic: str
    cycle: str | None = None
    facilitator: str
    held_on: date = Field(index=True)
    hours: Decimal = Field(
        sa_column=Column("hours", Numeric(12, 2, asdecimal=True), nullable=False)
    )
    bylaws_id: str | None = None
    created_at: datetime = Field(sa_column=Column("created_at", UTCDateTime(), nullable=False))


class LearningParticipant(SQLModel, table=True):
    """A person from the directory who took part in an activity, for which organisation
    (if any), and the hours they attended when fewer than the activity's."""

    __tablename__: ClassVar[Any] = "learning_participant"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="learning_activity.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    hours: Decimal | None = Field(
        default=None, sa_column=Column("hours", Numeric(12, 2, asdecimal=True), nullable=True)
    )


class LearningLesson(SQLModel, table=True):
    """A lesson learned, as typed, on a day, by whom; from an activity or not."""

    __tablename__: ClassVar[Any] = "learning_lesson"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    text: str = Field(sa_column=Column("text", Text, nullable=False))
    recorded_on: date
    by: str
    activity_id: int | None = Field(default=None, foreign_key="learning_activity.id", index=True)
    bylaws_id: str | None = None


class LearningLessonTag(SQLModel, table=True):
    """A tag of a lesson (a word people choose: "participació", "financiament")."""

    __tablename__: ClassVar[Any] = "learning_lesson_tag"
    __table_args__ = (UniqueConstraint("lesson_id", "tag"),)

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(foreign_key="learning_lesson.id")
    tag: str = Field(index=True)


class ChangeTag(SQLModel, table=True):
    """A record under a systems-change condition or quality. `subject_kind` is one of
    motion, subcontract, project, activity, commitment and `subject_id` that record's id
    (no foreign key: the kinds live in different tables). `dimension` is "condition" or
    "quality". Removing a tag sets removed_at and removed_by; the row stays."""

    __tablename__: ClassVar[Any] = "change_tag"
    __table_args__ = (Index("ix_change_tag_subject_kind_subject_id", "subject_kind", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    subject_kind: str
    subject_id: int
    dimension: str
    value: str = Field(index=True)
    tagged_at: datetime = Field(sa_column=Column("tagged_at", UTCDateTime(), nullable=False))
    by: str
    removed_at: datetime | None = Field(
        default=None, sa_column=Column("removed_at", UTCDateTime(), nullable=True)
    )
    removed_by: str | None = None


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
    perhaps a new term end) or a renewal (a new term); signed once, then as it was."""

    __tablename__: ClassVar[Any] = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    number: int
    kind: str = Field(description="original | amendment | renewal")
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
