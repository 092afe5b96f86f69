"""Partner agreements: an agreement with a partner organisation and its versions (the
original, amendments and renewals, each signed once and then kept as it was), their shared
goals, shared data items and review dates, the reviews held, and the partnership-quality
self-assessments by each side with their answers.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 01:10:00.000000

A migration must not import comunidad's own models: it describes the schema as it was at
this revision. New tables only; no data changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _parent(table: str, column: str, parent: str) -> list[Any]:
    return [
        sa.Column(column, sa.Integer(), nullable=False, index=True),
        sa.ForeignKeyConstraint(
            [column], [f"{parent}.id"], name=op.f(f"fk_{table}_{column}_{parent}")
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "agreement",
        _id(),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["organisation.id"], name=op.f("fk_agreement_partner_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["organisation.id"], name=op.f("fk_agreement_lead_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("key", name=op.f("uq_agreement_key")),
    )
    op.create_table(
        "agreement_version",
        _id(),
        *_parent("agreement_version", "agreement_id", "agreement"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("signed_by", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_version")),
        sa.UniqueConstraint(
            "agreement_id", "number", name=op.f("uq_agreement_version_agreement_id_number")
        ),
    )
    op.create_table(
        "agreement_goal",
        _id(),
        *_parent("agreement_goal", "version_id", "agreement_version"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_goal")),
    )
    op.create_table(
        "agreement_data",
        _id(),
        *_parent("agreement_data", "version_id", "agreement_version"),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_data")),
    )
    op.create_table(
        "agreement_review",
        _id(),
        *_parent("agreement_review", "version_id", "agreement_version"),
        sa.Column("due", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_review")),
    )
    op.create_table(
        "agreement_review_held",
        _id(),
        *_parent("agreement_review_held", "agreement_id", "agreement"),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_review_held")),
    )
    op.create_table(
        "agreement_assessment",
        _id(),
        *_parent("agreement_assessment", "agreement_id", "agreement"),
        sa.Column("side", sa.String(), nullable=False),
        sa.Column("instrument", sa.String(), nullable=False),
        sa.Column("instrument_sha256", sa.String(), nullable=False),
        sa.Column("rater", sa.String(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_assessment")),
        sa.UniqueConstraint(
            "agreement_id",
            "side",
            "instrument",
            "rater",
            "assessed_on",
            name=op.f("uq_agreement_assessment_agreement_id_side_instrument_rater_assessed_on"),
        ),
    )
    op.create_table(
        "agreement_answer",
        _id(),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["agreement_assessment.id"],
            name=op.f("fk_agreement_answer_assessment_id_agreement_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_answer")),
        sa.UniqueConstraint(
            "assessment_id", "item", name=op.f("uq_agreement_answer_assessment_id_item")
        ),
    )


def downgrade() -> None:
    for table in (
        "agreement_answer",
        "agreement_assessment",
        "agreement_review_held",
        "agreement_review",
        "agreement_data",
        "agreement_goal",
        "agreement_version",
        "agreement",
    ):
        op.drop_table(table)
