"""The audit log names who made each change: audit_event.actor.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 17:00:00.000000

Revision ids are zero-padded sequence numbers ("0002", "0003", ...): the cheap version
check in comunidad_cli.storage.schema compares them as numbers, and HEAD_REVISION there
must be updated to the new id. A migration must not import comunidad's own models: it
describes the schema as it was at this revision.

The column is added with a plain ALTER TABLE, never a batch rebuild: rebuilding
audit_event on SQLite would drop its append-only triggers (see 0001). Rows written before
this revision keep a NULL actor: nobody recorded who made them, and nobody may guess now.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("actor", sa.String(), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ and PostgreSQL drop a column in place, so the triggers stay.
    op.execute("ALTER TABLE audit_event DROP COLUMN actor")
