"""The directory's data (organisations, people), read and written through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines; rows come back as tuples
in the order each function names. No SQLAlchemy: see `storage.dbapi`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from comunidad_cli.storage.dbapi import Db

#: Tables whose `key` column `Taken` may look up (names are put into the SQL).
_KEYED = frozenset(
    {
        "organisation",
        "person",
        "meeting",
        "motion",
        "grant_award",
        "subcontract",
        "payment",
        "deliverable",
        "resource",
        "fund_application",
        "network_space",
        "network_commitment",
        "learning_activity",
        "learning_lesson",
        "agreement",
    }
)


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


def keys(db: Db, table: str) -> dict[str, int]:
    """Every row id of `table` (one with a key column) by key."""
    if table not in _KEYED:
        raise ValueError(f"no key column in {table!r}")
    return {str(k): int(i) for i, k in db.rows(f"SELECT id, key FROM {table}")}


def key_list(db: Db, table: str) -> list[str]:
    """Every key of `table` (one with a key column): the ids a mistyped one is matched against."""
    if table not in _KEYED:
        raise ValueError(f"no key column in {table!r}")
    return [str(k) for (k,) in db.rows(f"SELECT key FROM {table}")]


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


_ORG = ("id", "key", "name", "kind", "email", "phone")
_PERSON = ("id", "key", "name", "email", "phone", "organisation_id")


def organisation(db: Db, key: str) -> dict[str, Any] | None:
    """The organisation `key` as {id, key, name, kind, email, phone}, None when missing."""
    found = db.row(f"SELECT {', '.join(_ORG)} FROM organisation WHERE key = :key", {"key": key})
    return None if found is None else dict(zip(_ORG, found, strict=True))


def organisations(db: Db) -> list[tuple[str, str, str, Any, Any]]:
    """(key, name, kind, email, phone) of every organisation, by key."""
    return [
        (str(k), str(n), str(kind), e, p)
        for k, n, kind, e, p in db.rows(
            "SELECT key, name, kind, email, phone FROM organisation ORDER BY key"
        )
    ]


def org_key(db: Db, org_id: int) -> str:
    """The key of the organisation with row id `org_id`."""
    return str(db.value("SELECT key FROM organisation WHERE id = :id", {"id": org_id}))


def members_of(db: Db, org_id: int) -> list[tuple[str, str]]:
    """(key, name) of the people of one organisation, by key."""
    return [
        (str(k), str(n))
        for k, n in db.rows(
            "SELECT key, name FROM person WHERE organisation_id = :org ORDER BY key",
            {"org": org_id},
        )
    ]


def add_org(
    db: Db,
    *,
    key: str,
    name: str,
    kind: str,
    email: str | None,
    phone: str | None,
    created_at: datetime,
) -> int:
    """Insert one organisation; returns the row id."""
    return db.insert(
        "organisation",
        {
            "key": key,
            "name": name,
            "kind": kind,
            "email": email,
            "phone": phone,
            "created_at": db.instant(created_at),
        },
    )


def change_org(db: Db, org_id: int, values: dict[str, Any]) -> None:
    """Set the given columns (name, kind, email, phone) of one organisation."""
    db.update("organisation", org_id, values)


def person(db: Db, key: str) -> dict[str, Any] | None:
    """The person `key` as {id, key, name, email, phone, organisation_id}, None when missing."""
    found = db.row(f"SELECT {', '.join(_PERSON)} FROM person WHERE key = :key", {"key": key})
    return None if found is None else dict(zip(_PERSON, found, strict=True))


def change_person(db: Db, person_id: int, values: dict[str, Any]) -> None:
    """Set the given columns (name, email, phone, organisation_id) of one person."""
    db.update("person", person_id, values)


def seats_held(db: Db, person_id: int) -> list[tuple[str, str, str, str | None, date, date | None]]:
    """(by-laws, body, class, role, start, end) of every seat a person holds or held."""
    from comunidad_cli.storage.dbapi import read_day

    result = []
    for bylaws, body, member_class, role, start, end in db.rows(
        'SELECT bylaws_id, body, member_class, role, start, "end" FROM seat'
        " WHERE person_id = :p ORDER BY start, body",
        {"p": person_id},
    ):
        first = read_day(start)
        assert first is not None
        result.append((str(bylaws), str(body), str(member_class), role, first, read_day(end)))
    return result


def named(db: Db, table: str, matches: Callable[[str], bool]) -> str | None:
    """The key of the first person or organisation (`table`) whose name `matches`, by key."""
    assert table in ("person", "organisation"), table
    return next(
        (str(k) for k, n in db.rows(f"SELECT key, name FROM {table} ORDER BY key") if matches(n)),
        None,
    )


def person_keys(db: Db) -> list[tuple[str, str]]:
    """(key, name) of every person, by key: the ids a shell completes."""
    return [(str(k), str(n)) for k, n in db.rows("SELECT key, name FROM person ORDER BY key")]


def org_rows(db: Db) -> dict[str, dict[str, Any]]:
    """Every organisation by key, as {id, key, name, kind, email, phone} (an import's base)."""
    return {
        str(r[1]): dict(zip(_ORG, r, strict=True))
        for r in db.rows(f"SELECT {', '.join(_ORG)} FROM organisation")
    }


def person_rows(db: Db) -> dict[str, dict[str, Any]]:
    """Every person by key, as {id, key, name, email, phone, organisation_id}."""
    return {
        str(r[1]): dict(zip(_PERSON, r, strict=True))
        for r in db.rows(f"SELECT {', '.join(_PERSON)} FROM person")
    }


def org_ids(db: Db) -> dict[str, int]:
    """Every organisation's row id by key."""
    return {str(k): int(i) for i, k in db.rows("SELECT id, key FROM organisation")}


def person_ids(db: Db) -> dict[str, int]:
    """Every person's row id by key."""
    return {str(k): int(i) for i, k in db.rows("SELECT id, key FROM person")}
