"""Learning and systems-change tags (migration 0011).

Part of the schema (`storage/tables/`): every change needs a migration.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Index, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from comunidad_cli.storage.tables.base import UTCDateTime

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
