"""The directory (organisations, people) and governance: by-laws versions, seats, meetings,
attendance, proxies, motions, votes, recusals, minutes and their corrections.

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from comunidad_cli.storage.tables.base import UTCDateTime

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
