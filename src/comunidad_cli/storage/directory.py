"""The directory's data (organisations, people), read and written through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines; rows come back as tuples
in the order each function names. No SQLAlchemy: see `storage.dbapi`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from comunidad_cli.storage.dbapi import Db

#: Tables whose `key` column `Taken` may look up (names are put into the SQL).
_KEYED = frozenset({"organisation", "person", "meeting", "motion"})


class Taken:
    """The keys of one table, asked one at a time: the `taken` container `make_id` tries
    its few candidates against."""

    def __init__(self, db: Db, table: str) -> None:
        if table not in _KEYED:
            raise ValueError(f"no key column in {table!r}")
        self.db = db
        self.sql = f"SELECT 1 FROM {table} WHERE key = :key"

    def __contains__(self, key: object) -> bool:
        return self.db.value(self.sql, {"key": key}) is not None


def org_id(db: Db, key: str) -> int | None:
    """The row id of the organisation `key`, None when there is none."""
    found = db.value("SELECT id FROM organisation WHERE key = :key", {"key": key})
    return None if found is None else int(found)


def person_id(db: Db, key: str) -> int | None:
    """The row id of the person `key`, None when there is none."""
    found = db.value("SELECT id FROM person WHERE key = :key", {"key": key})
    return None if found is None else int(found)


def people(db: Db, org_id: int | None = None) -> list[tuple[str, str, str | None, Any, Any]]:
    """(key, name, organisation key, email, phone) of every person (of one organisation)."""
    sql = (
        "SELECT p.key, p.name, o.key, p.email, p.phone FROM person p"
        " LEFT OUTER JOIN organisation o ON p.organisation_id = o.id"
    )
    params: dict[str, Any] = {}
    if org_id is not None:
        sql += " WHERE p.organisation_id = :org"
        params["org"] = org_id
    return [(str(k), str(n), o, e, p) for k, n, o, e, p in db.rows(sql + " ORDER BY p.key", params)]


def names(db: Db, keys: list[str]) -> dict[str, str]:
    """The names of the people `keys` (those that exist)."""
    from comunidad_cli.storage.dbapi import in_list

    marks, params = in_list("key", keys)
    return {
        str(k): str(n)
        for k, n in db.rows(f"SELECT key, name FROM person WHERE key IN ({marks})", params)
    }


def add_person(
    db: Db,
    *,
    key: str,
    name: str,
    email: str | None,
    phone: str | None,
    organisation_id: int | None,
    created_at: datetime,
) -> int:
    """Insert one person; returns the row id."""
    return db.insert(
        "person",
        {
            "key": key,
            "name": name,
            "email": email,
            "phone": phone,
            "organisation_id": organisation_id,
            "created_at": db.instant(created_at),
        },
    )
