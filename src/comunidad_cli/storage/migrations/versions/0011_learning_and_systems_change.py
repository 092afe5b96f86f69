"""Learning (activities, participants, lessons and their tags) and systems-change tags.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 01:10:00.000000

A migration must not import comunidad's own models: it describes the schema as it was at
this revision. New tables only; no data changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _hours(nullable: bool) -> sa.Column[object]:
    return sa.Column("hours", sa.Numeric(precision=12, scale=2), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "learning_activity",
        _id(),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("cycle", sa.String(), nullable=True),
        sa.Column("facilitator", sa.String(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False, index=True),
        _hours(nullable=False),
        sa.Column("bylaws_id", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_activity")),
        sa.UniqueConstraint("key", name=op.f("uq_learning_activity_key")),
    )
    op.create_table(
        "learning_participant",
        _id(),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False, index=True),
        sa.Column("org_id", sa.Integer(), nullable=True, index=True),
        _hours(nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["learning_activity.id"],
            name=op.f("fk_learning_participant_activity_id_learning_activity"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_learning_participant_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_learning_participant_org_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_participant")),
        sa.UniqueConstraint(
            "activity_id", "person_id", name=op.f("uq_learning_participant_activity_id_person_id")
        ),
    )
    op.create_table(
        "learning_lesson",
        _id(),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True, index=True),
        sa.Column("bylaws_id", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["learning_activity.id"],
            name=op.f("fk_learning_lesson_activity_id_learning_activity"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_lesson")),
        sa.UniqueConstraint("key", name=op.f("uq_learning_lesson_key")),
    )
    op.create_table(
        "learning_lesson_tag",
        _id(),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(), nullable=False, index=True),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["learning_lesson.id"],
            name=op.f("fk_learning_lesson_tag_lesson_id_learning_lesson"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_lesson_tag")),
        sa.UniqueConstraint("lesson_id", "tag", name=op.f("uq_learning_lesson_tag_lesson_id_tag")),
    )
    op.create_table(
        "change_tag",
        _id(),
        sa.Column("subject_kind", sa.String(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False, index=True),
        sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_tag")),
    )
    op.create_index(
        "ix_change_tag_subject_kind_subject_id", "change_tag", ["subject_kind", "subject_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_change_tag_subject_kind_subject_id", table_name="change_tag")
    for table in (
        "change_tag",
        "learning_lesson_tag",
        "learning_lesson",
        "learning_participant",
        "learning_activity",
    ):
        op.drop_table(table)
