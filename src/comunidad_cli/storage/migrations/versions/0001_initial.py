"""Initial schema: the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2024-06-01

Append-only is enforced by the database, not only by the code: triggers refuse UPDATE and
DELETE on audit_event (and TRUNCATE on PostgreSQL). On SQLite, beware that a later batch
migration that rebuilds audit_event drops its triggers: recreate them in that migration
(`comunidad db check` reports them missing).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGERS: tuple[str, ...] = (
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused');
    END
    """,
)

_POSTGRESQL_TRIGGERS: tuple[str, ...] = (
    """
    CREATE FUNCTION audit_event_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused',
            ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
    """,
)


def _dialect() -> str:
    return op.get_context().dialect.name


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_event"),
    )
    op.create_index("ix_audit_event_entity_entity_id", "audit_event", ["entity", "entity_id"])
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    dialect = _dialect()
    if dialect == "sqlite":
        statements = _SQLITE_TRIGGERS
    elif dialect == "postgresql":
        statements = _POSTGRESQL_TRIGGERS
    else:
        raise RuntimeError(
            f"no append-only triggers for the {dialect} dialect: use SQLite or PostgreSQL"
        )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = _dialect()
    on_table = " ON audit_event" if dialect == "postgresql" else ""
    op.execute(f"DROP TRIGGER IF EXISTS audit_event_no_update{on_table}")
    op.execute(f"DROP TRIGGER IF EXISTS audit_event_no_delete{on_table}")
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    op.drop_index("ix_audit_event_at", table_name="audit_event")
    op.drop_index("ix_audit_event_entity_entity_id", table_name="audit_event")
    op.drop_table("audit_event")
