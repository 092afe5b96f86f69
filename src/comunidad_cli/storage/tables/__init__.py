"""SQLModel tables: the database schema as Python classes, one module per domain.

Every change here needs a migration in ``migrations/versions`` (tests compare the two).
Constraint names follow a naming convention (`base.py`) so that later migrations, which on
SQLite rebuild tables in batch mode, can refer to constraints by name. Importing this
package registers every table on `SQLModel.metadata` (whose `sorted_tables` orders them by
their foreign keys, then by name, whatever the order of the modules).
"""

from __future__ import annotations

from comunidad_cli.storage.tables import (  # noqa: F401  (each registers its tables)
    agreements,
    base,
    funds,
    governance,
    grants,
    learning,
    networks,
    outcomes,
    plans,
)
from comunidad_cli.storage.tables.base import MONEY as MONEY
from comunidad_cli.storage.tables.base import AuditEvent as AuditEvent
from comunidad_cli.storage.tables.base import UTCDateTime as UTCDateTime
