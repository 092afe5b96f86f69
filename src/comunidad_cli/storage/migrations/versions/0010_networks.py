"""Networks and territorial spaces: the external spaces the entity sits in (and their
commissions), who represents it there and since when, sessions attended, commitments taken
there and their follow-up, information brought back, and referrals counted per period.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 23:50:00.000000

A migration must not import comunidad's own models: it describes the schema as it was at
this revision. New tables only; no data changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _space(table: str) -> list[Any]:
    return [
        sa.Column("space_id", sa.Integer(), nullable=False, index=True),
        sa.ForeignKeyConstraint(
            ["space_id"], ["network_space.id"], name=op.f(f"fk_{table}_space_id_network_space")
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "network_space",
        _id(),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("territory", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["network_space.id"],
            name=op.f("fk_network_space_parent_id_network_space"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_space")),
        sa.UniqueConstraint("key", name=op.f("uq_network_space_key")),
    )
    op.create_table(
        "network_representation",
        _id(),
        *_space("network_representation"),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_network_representation_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_network_representation_org_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_representation")),
    )
    op.create_table(
        "network_session",
        _id(),
        *_space("network_session"),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_session")),
    )
    op.create_table(
        "network_commitment",
        _id(),
        sa.Column("key", sa.String(), nullable=False),
        *_space("network_commitment"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["person.id"], name=op.f("fk_network_commitment_owner_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_commitment")),
        sa.UniqueConstraint("key", name=op.f("uq_network_commitment_key")),
    )
    op.create_table(
        "network_follow_up",
        _id(),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("on_day", sa.Date(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["network_commitment.id"],
            name=op.f("fk_network_follow_up_commitment_id_network_commitment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_follow_up")),
        sa.UniqueConstraint("commitment_id", name=op.f("uq_network_follow_up_commitment_id")),
    )
    op.create_table(
        "network_report_back",
        _id(),
        *_space("network_report_back"),
        sa.Column("on_day", sa.Date(), nullable=False),
        sa.Column("audience", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_report_back")),
    )
    op.create_table(
        "network_referral",
        _id(),
        *_space("network_referral"),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("made", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_referral")),
        sa.UniqueConstraint("space_id", "period", name=op.f("uq_network_referral_space_id_period")),
    )


def downgrade() -> None:
    for table in (
        "network_referral",
        "network_report_back",
        "network_follow_up",
        "network_commitment",
        "network_session",
        "network_representation",
        "network_space",
    ):
        op.drop_table(table)
