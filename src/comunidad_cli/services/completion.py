"""The ids a shell completes (people, meetings, motions), read from the workspace's database.

Read through the DB-API path (`storage.directory`, `storage.governance`), so pressing TAB
never pays for importing SQLAlchemy; a database that cannot be read completes nothing.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["person", "meeting", "motion"]


def ids(url: str, kind: Kind) -> list[tuple[str, str]]:
    """(id, what it is) of every `kind` in the database at `url`; [] when it cannot be read."""
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import directory, governance
    from comunidad_cli.storage.dbapi import StorageError

    readers = {
        "person": directory.person_keys,
        "meeting": governance.meeting_keys,
        "motion": governance.motion_keys,
    }
    try:
        with reading_db(url) as db:
            return readers[kind](db)
    except (ServiceError, StorageError):
        return []
