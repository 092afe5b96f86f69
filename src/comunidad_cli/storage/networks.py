"""Networks and territorial spaces, read and written through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines (migration 0010); no
SQLAlchemy (see `storage.dbapi`). Days come back as dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_day, read_required_day


@dataclass(frozen=True, slots=True)
class SpaceRow:
    id: int
    key: str
    name: str
    kind: str
    parent: str | None
    territory: str | None


_SPACES = (
    "SELECT s.id, s.key, s.name, s.kind, p.key, s.territory FROM network_space s"
    " LEFT OUTER JOIN network_space p ON s.parent_id = p.id"
)


def spaces(db: Db) -> list[SpaceRow]:
    """Every space, by key."""
    return [SpaceRow(int(r[0]), *r[1:]) for r in db.rows(f"{_SPACES} ORDER BY s.key")]


def space(db: Db, key: str) -> SpaceRow | None:
    row = db.row(f"{_SPACES} WHERE s.key = :key", {"key": key})
    return None if row is None else SpaceRow(int(row[0]), *row[1:])


def add_space(
    db: Db, *, key: str, name: str, kind: str, parent_id: int | None, territory: str | None
) -> int:
    return db.insert(
        "network_space",
        {"key": key, "name": name, "kind": kind, "parent_id": parent_id, "territory": territory},
    )


@dataclass(frozen=True, slots=True)
class TermRow:
    id: int
    space_id: int
    person: str | None
    org: str | None
    start: date
    end: date | None


def terms(db: Db, space_id: int | None = None) -> list[TermRow]:
    """Terms of representation (of one space), oldest first."""
    sql = (
        'SELECT r.id, r.space_id, p.key, o.key, r.start, r."end" FROM network_representation r'
        " LEFT OUTER JOIN person p ON r.person_id = p.id"
        " LEFT OUTER JOIN organisation o ON r.org_id = o.id"
    )
    params: dict[str, Any] = {}
    if space_id is not None:
        sql += " WHERE r.space_id = :s"
        params["s"] = space_id
    rows = db.rows(sql + " ORDER BY r.start, r.id", params)
    return [
        TermRow(int(r[0]), int(r[1]), r[2], r[3], read_required_day(r[4]), read_day(r[5]))
        for r in rows
    ]


def add_term(
    db: Db,
    *,
    space_id: int,
    person_id: int | None,
    org_id: int | None,
    start: date,
    end: date | None,
) -> int:
    return db.insert(
        "network_representation",
        {
            "space_id": space_id,
            "person_id": person_id,
            "org_id": org_id,
            "start": db.day(start),
            "end": db.day(end),
        },
    )


def end_term(db: Db, term_id: int, end: date) -> None:
    """Close an open term (its end was unknown until now; nothing else changes)."""
    db.execute(
        'UPDATE network_representation SET "end" = :end WHERE id = :id AND "end" IS NULL',
        {"end": db.day(end), "id": term_id},
    )


@dataclass(frozen=True, slots=True)
class SessionRow:
    held_on: date
    attendees: str
    notes: str


#: A space's dated records: (table, its day column, its two texts).
_SESSIONS = ("network_session", "held_on", "attendees", "notes")
_REPORT_BACKS = ("network_report_back", "on_day", "audience", "summary")


def _dated(db: Db, record: tuple[str, str, str, str], space_id: int) -> list[tuple[Any, ...]]:
    """(day, text, text) of a space's dated record (sessions, report-backs), oldest first."""
    table, day, first, second = record
    rows = db.rows(
        f"SELECT {day}, {first}, {second} FROM {table} WHERE space_id = :s ORDER BY {day}, id",
        {"s": space_id},
    )
    return [(read_required_day(r[0]), r[1], r[2]) for r in rows]


def _add_dated(
    db: Db, record: tuple[str, str, str, str], space_id: int, on: date, texts: tuple[str, str]
) -> int:
    table, day, first, second = record
    return db.insert(
        table, {"space_id": space_id, day: db.day(on), first: texts[0], second: texts[1]}
    )


def sessions(db: Db, space_id: int) -> list[SessionRow]:
    return [SessionRow(*row) for row in _dated(db, _SESSIONS, space_id)]


def add_session(db: Db, *, space_id: int, held_on: date, attendees: str, notes: str) -> int:
    return _add_dated(db, _SESSIONS, space_id, held_on, (attendees, notes))


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    id: int
    key: str
    space: str
    text: str
    owner: str
    taken_on: date
    due: date
    status: str | None  # done or cancelled once followed up
    closed_on: date | None
    closed_by: str | None
    note: str | None


_COMMITMENTS = (
    'SELECT c.id, c.key, s.key, c.text, p.key, c.taken_on, c.due, f.status, f.on_day, f."by",'
    " f.note FROM network_commitment c JOIN network_space s ON c.space_id = s.id"
    " JOIN person p ON c.owner_id = p.id"
    " LEFT OUTER JOIN network_follow_up f ON f.commitment_id = c.id"
)


def _commitment(r: tuple[Any, ...]) -> CommitmentRow:
    return CommitmentRow(
        int(r[0]),
        r[1],
        r[2],
        r[3],
        r[4],
        read_required_day(r[5]),
        read_required_day(r[6]),
        r[7],
        read_day(r[8]),
        r[9],
        r[10],
    )


def commitments(db: Db, space_id: int | None = None) -> list[CommitmentRow]:
    """Commitments (of one space) with their follow-up, by due day then key."""
    if space_id is None:
        rows = db.rows(f"{_COMMITMENTS} ORDER BY c.due, c.key")
    else:
        rows = db.rows(
            f"{_COMMITMENTS} WHERE c.space_id = :s ORDER BY c.due, c.key", {"s": space_id}
        )
    return [_commitment(r) for r in rows]


def commitment(db: Db, key: str) -> CommitmentRow | None:
    row = db.row(f"{_COMMITMENTS} WHERE c.key = :key", {"key": key})
    return None if row is None else _commitment(row)


def add_commitment(
    db: Db, *, key: str, space_id: int, text: str, owner_id: int, taken_on: date, due: date
) -> int:
    return db.insert(
        "network_commitment",
        {
            "key": key,
            "space_id": space_id,
            "text": text,
            "owner_id": owner_id,
            "taken_on": db.day(taken_on),
            "due": db.day(due),
        },
    )


def add_follow_up(db: Db, *, commitment_id: int, status: str, on: date, by: str, note: str) -> int:
    return db.insert(
        "network_follow_up",
        {
            "commitment_id": commitment_id,
            "status": status,
            "on_day": db.day(on),
            "by": by,
            "note": note,
        },
    )


@dataclass(frozen=True, slots=True)
class ReportBackRow:
    on: date
    audience: str
    summary: str


def report_backs(db: Db, space_id: int) -> list[ReportBackRow]:
    return [ReportBackRow(*row) for row in _dated(db, _REPORT_BACKS, space_id)]


def add_report_back(db: Db, *, space_id: int, on: date, audience: str, summary: str) -> int:
    return _add_dated(db, _REPORT_BACKS, space_id, on, (audience, summary))


def referrals(db: Db, space_id: int) -> list[tuple[str, int, int]]:
    """(period, made, received) of one space, by period."""
    rows = db.rows(
        "SELECT period, made, received FROM network_referral WHERE space_id = :s ORDER BY period",
        {"s": space_id},
    )
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


def set_referrals(db: Db, *, space_id: int, period: str, made: int, received: int) -> str:
    """The counts of one space and period: inserted, or replacing the period's counts
    (a recount); returns "create" or "update"."""
    found = db.value(
        "SELECT id FROM network_referral WHERE space_id = :s AND period = :p",
        {"s": space_id, "p": period},
    )
    if found is None:
        db.insert(
            "network_referral",
            {"space_id": space_id, "period": period, "made": made, "received": received},
        )
        return "create"
    db.update("network_referral", int(found), {"made": made, "received": received})
    return "update"
