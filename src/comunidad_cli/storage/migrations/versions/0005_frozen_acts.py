"""Frozen acts: corrections of a closed meeting's record, and signed minutes that correct
an earlier signed version (which version, and why) instead of being signed twice.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 16:50:00.000000

Revision ids are zero-padded sequence numbers ("0002", "0003", ...): the cheap version
check in comunidad_cli.storage.schema compares them as numbers, and HEAD_REVISION there
must be updated to the new id. A migration must not import comunidad's own models: it
describes the schema as it was at this revision.

Existing `minutes_correction` rows stay where they are and are still shown with the
version they were recorded against; new corrections go to `meeting_correction` and, once
the minutes are signed, a new signed version of the minutes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrects", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))

    op.create_table(
        "meeting_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("minutes_version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_correction_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_correction")),
    )
    with op.batch_alter_table("meeting_correction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_correction_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_correction_meeting_id"))

    op.drop_table("meeting_correction")
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("corrects")
