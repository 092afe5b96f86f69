"""Grant administration: grants, subcontracts with budget lines and amendments, risk
assessments, payments split across lines, deliverables and their submissions, capacity
assessments and resources mobilised. Money columns are NUMERIC(14, 2).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:12:58.845897

Revision ids are zero-padded sequence numbers ("0002", "0003", ...): the cheap version
check in comunidad_cli.storage.schema compares them as numbers, and HEAD_REVISION there
must be updated to the new id. A migration must not import comunidad's own models: it
describes the schema as it was at this revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "capacity_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(), nullable=False),
        sa.Column("instrument_sha256", sa.String(), nullable=False),
        sa.Column("rater", sa.String(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_capacity_assessment_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_assessment")),
        sa.UniqueConstraint(
            "organisation_id",
            "instrument",
            "rater",
            "assessed_on",
            name=op.f("uq_capacity_assessment_organisation_id_instrument_rater_assessed_on"),
        ),
    )
    with op.batch_alter_table("capacity_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capacity_assessment_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "grant_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.Column("award_number", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("match_required", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["funder_id"], ["organisation.id"], name=op.f("fk_grant_award_funder_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_award")),
    )
    with op.batch_alter_table("grant_award", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_award_funder_id"), ["funder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grant_award_key"), ["key"], unique=True)

    op.create_table(
        "capacity_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["capacity_assessment.id"],
            name=op.f("fk_capacity_answer_assessment_id_capacity_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_answer")),
        sa.UniqueConstraint(
            "assessment_id", "item", name=op.f("uq_capacity_answer_assessment_id_item")
        ),
    )
    op.create_table(
        "resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("pledged", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("received", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("hours", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("dated", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["grant_award.id"], name=op.f("fk_resource_grant_id_grant_award")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["organisation.id"], name=op.f("fk_resource_source_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
    )
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_grant_id"), ["grant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resource_key"), ["key"], unique=True)

    op.create_table(
        "subcontract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["grant_award.id"], name=op.f("fk_subcontract_grant_id_grant_award")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["organisation.id"], name=op.f("fk_subcontract_partner_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subcontract")),
    )
    with op.batch_alter_table("subcontract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subcontract_grant_id"), ["grant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_subcontract_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_subcontract_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subcontract_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("needs_funder_approval", sa.Boolean(), nullable=False),
        sa.Column("funder_approved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subcontract_id"],
            ["subcontract.id"],
            name=op.f("fk_amendment_subcontract_id_subcontract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
    )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_amendment_subcontract_id"), ["subcontract_id"], unique=False
        )

    op.create_table(
        "budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subcontract_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["subcontract_id"],
            ["subcontract.id"],
            name=op.f("fk_budget_line_subcontract_id_subcontract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_line")),
        sa.UniqueConstraint(
            "subcontract_id", "category", name=op.f("uq_budget_line_subcontract_id_category")
        ),
    )
    op.create_table(
        "deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("subcontract_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("first_due", sa.Date(), nullable=False),
        sa.Column("every", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("holds_payments", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subcontract_id"],
            ["subcontract.id"],
            name=op.f("fk_deliverable_subcontract_id_subcontract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverable")),
    )
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deliverable_key"), ["key"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_deliverable_subcontract_id"), ["subcontract_id"], unique=False
        )

    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("subcontract_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subcontract_id"],
            ["subcontract.id"],
            name=op.f("fk_payment_subcontract_id_subcontract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_key"), ["key"], unique=True)
        batch_op.create_index(
            "ix_payment_subcontract_id_status", ["subcontract_id", "status"], unique=False
        )

    op.create_table(
        "risk_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subcontract_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("assessed_by", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subcontract_id"],
            ["subcontract.id"],
            name=op.f("fk_risk_assessment_subcontract_id_subcontract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessment")),
    )
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_assessment_subcontract_id"), ["subcontract_id"], unique=False
        )

    op.create_table(
        "amendment_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("delta", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["amendment.id"],
            name=op.f("fk_amendment_line_amendment_id_amendment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment_line")),
    )
    with op.batch_alter_table("amendment_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_amendment_line_amendment_id"), ["amendment_id"], unique=False
        )

    op.create_table(
        "payment_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_payment_line_payment_id_payment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_line")),
    )
    with op.batch_alter_table("payment_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payment_line_payment_id_category", ["payment_id", "category"], unique=False
        )

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliverable_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["deliverable.id"],
            name=op.f("fk_submission_deliverable_id_deliverable"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("deliverable_id", "due", name=op.f("uq_submission_deliverable_id_due")),
    )


def downgrade() -> None:

    op.drop_table("submission")
    with op.batch_alter_table("payment_line", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_line_payment_id_category")

    op.drop_table("payment_line")
    with op.batch_alter_table("amendment_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_line_amendment_id"))

    op.drop_table("amendment_line")
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessment_subcontract_id"))

    op.drop_table("risk_assessment")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_subcontract_id_status")
        batch_op.drop_index(batch_op.f("ix_payment_key"))

    op.drop_table("payment")
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliverable_subcontract_id"))
        batch_op.drop_index(batch_op.f("ix_deliverable_key"))

    op.drop_table("deliverable")
    op.drop_table("budget_line")
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_subcontract_id"))

    op.drop_table("amendment")
    with op.batch_alter_table("subcontract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subcontract_partner_id"))
        batch_op.drop_index(batch_op.f("ix_subcontract_key"))
        batch_op.drop_index(batch_op.f("ix_subcontract_grant_id"))

    op.drop_table("subcontract")
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_key"))
        batch_op.drop_index(batch_op.f("ix_resource_grant_id"))

    op.drop_table("resource")
    op.drop_table("capacity_answer")
    with op.batch_alter_table("grant_award", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_award_key"))
        batch_op.drop_index(batch_op.f("ix_grant_award_funder_id"))

    op.drop_table("grant_award")
    with op.batch_alter_table("capacity_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capacity_assessment_organisation_id"))

    op.drop_table("capacity_assessment")
