"""Outcomes for children and families: the aggregated counts per indicator, period,
dimension and group (never person-level records), and the imports that wrote them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 23:00:00.000000

Revision ids are zero-padded sequence numbers ("0002", "0003", ...): the cheap version
check in comunidad_cli.storage.schema compares them as numbers, and HEAD_REVISION there
must be updated to the new id. A migration must not import comunidad's own models: it
describes the schema as it was at this revision.

New tables only; no data changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outcome_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_import")),
    )
    op.create_table(
        "outcome_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("dimension", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("numerator", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("denominator", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["outcome_import.id"],
            name=op.f("fk_outcome_count_import_id_outcome_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_count")),
        sa.UniqueConstraint(
            "indicator",
            "period",
            "dimension",
            "group_name",
            name=op.f("uq_outcome_count_indicator_period_dimension_group_name"),
        ),
    )
    with op.batch_alter_table("outcome_count", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_count_import_id"), ["import_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outcome_count", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_count_import_id"))
    op.drop_table("outcome_count")
    op.drop_table("outcome_import")
