"""Payments and their lines indexed with their amounts: the spending of every subcontract by
category and what was paid to it (`summary`, `spend-down`, the grant and subcontract lists)
are read from the indexes alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 19:20:00.000000

Revision ids are zero-padded sequence numbers ("0002", "0003", ...): the cheap version
check in comunidad_cli.storage.schema compares them as numbers, and HEAD_REVISION there
must be updated to the new id. A migration must not import comunidad's own models: it
describes the schema as it was at this revision.

The index on (payment_id, category) becomes one on (payment_id, category, amount): the
same lookups, and the sums of a subcontract's lines no longer visit the table for each
line's amount (on 300,000 lines about half the query's time). The old index is a prefix
of the new one, so it is dropped rather than kept beside it (one index less to write on
every payment). Likewise the index on payment (subcontract_id, status) becomes one on
(subcontract_id, status, invoice_date, total): what was paid to each subcontract, and the
payments dated up to an as-of day, without a visit to the table for each payment. No data
changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_payment_subcontract_id_status_invoice_date_total",
        "payment",
        ["subcontract_id", "status", "invoice_date", "total"],
        unique=False,
    )
    op.drop_index("ix_payment_subcontract_id_status", table_name="payment")
    op.create_index(
        "ix_payment_line_payment_id_category_amount",
        "payment_line",
        ["payment_id", "category", "amount"],
        unique=False,
    )
    op.drop_index("ix_payment_line_payment_id_category", table_name="payment_line")


def downgrade() -> None:
    op.create_index(
        "ix_payment_line_payment_id_category",
        "payment_line",
        ["payment_id", "category"],
        unique=False,
    )
    op.drop_index("ix_payment_line_payment_id_category_amount", table_name="payment_line")
    op.create_index(
        "ix_payment_subcontract_id_status",
        "payment",
        ["subcontract_id", "status"],
        unique=False,
    )
    op.drop_index("ix_payment_subcontract_id_status_invoice_date_total", table_name="payment")
