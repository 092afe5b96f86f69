"""Networks and territorial spaces (migration 0010).

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

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
