"""Alembic environment for comunidad, driven from `comunidad_cli.storage.schema`.

There is no alembic.ini: `schema.alembic_config()` builds the Config and passes an open
connection in ``config.attributes["connection"]``. That connection is already inside a
transaction, so Alembic neither begins nor commits one: the whole upgrade, and the audit
row recorded with it, commit or roll back together.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import comunidad_cli.storage.tables  # noqa: F401  (registers the tables on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (``--sql``), for DBAs who apply it by hand."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=bool(url and url.startswith("sqlite")),
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the caller's connection, inside the caller's transaction."""
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "comunidad migrations run through comunidad_cli.storage.schema.upgrade(), "
            "which passes a connection in config.attributes['connection']"
        )
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can't ALTER most things: batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        # One transaction for all pending migrations (and it is the caller's).
        transaction_per_migration=False,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
