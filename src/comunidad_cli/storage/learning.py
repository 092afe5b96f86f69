"""Learning activities, their participants and lessons learned, read and written through a
`Db`.

Plain, portable SQL over the tables `storage.tables` defines (migration 0011); no
SQLAlchemy (see `storage.dbapi`). Days come back as dates, hours as Decimals with two
decimals (through `storage.grants`' money readers, as the schema stores them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, in_list, read_required_day
from comunidad_cli.storage.grants import _money, read_money


def _hours(value: Any) -> Decimal | None:
    return None if value is None else read_money(value)


@dataclass(frozen=True, slots=True)
class ActivityRow:
    id: int
    key: str
    title: str
    topic: str
    cycle: str | None
    facilitator: str
    held_on: date
    hours: Decimal
    bylaws_id: str | None


_ACTIVITY = (
    "SELECT id, key, title, topic, cycle, facilitator, held_on, hours, bylaws_id"
    " FROM learning_activity"
)


def _activity(r: tuple[Any, ...]) -> ActivityRow:
    return ActivityRow(
        int(r[0]), r[1], r[2], r[3], r[4], r[5], read_required_day(r[6]), read_money(r[7]), r[8]
    )


def activities(db: Db, start: date | None = None, end: date | None = None) -> list[ActivityRow]:
    """Activities held from `start` to `end` (both included; None: unbounded), by day."""
    where, params = [], {}
    if start is not None:
        where.append("held_on >= :start")
        params["start"] = db.day(start)
    if end is not None:
        where.append("held_on <= :end")
        params["end"] = db.day(end)
    sql = _ACTIVITY + (" WHERE " + " AND ".join(where) if where else "")
    return [_activity(r) for r in db.rows(sql + " ORDER BY held_on, key", params)]


def activity(db: Db, key: str) -> ActivityRow | None:
    row = db.row(f"{_ACTIVITY} WHERE key = :key", {"key": key})
    return None if row is None else _activity(row)


def activity_values(db: Db, row: ActivityRow) -> dict[str, Any]:
    """The stored columns of an activity, as an import compares and writes them."""
    return {
        "title": row.title,
        "topic": row.topic,
        "cycle": row.cycle,
        "facilitator": row.facilitator,
        "held_on": row.held_on,
        "hours": row.hours,
        "bylaws_id": row.bylaws_id,
    }


def add_activity(
    db: Db,
    *,
    key: str,
    title: str,
    topic: str,
    cycle: str | None,
    facilitator: str,
    held_on: date,
    hours: Decimal,
    bylaws_id: str | None,
    created_at: datetime,
) -> int:
    return db.insert(
        "learning_activity",
        {
            "key": key,
            "title": title,
            "topic": topic,
            "cycle": cycle,
            "facilitator": facilitator,
            "held_on": db.day(held_on),
            "hours": _money(db, hours),
            "bylaws_id": bylaws_id,
            "created_at": db.instant(created_at),
        },
    )


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    id: int
    activity_id: int
    activity: str
    person: str
    name: str
    org: str | None
    hours: Decimal | None  # None: the whole activity


_PARTICIPANT = (
    "SELECT lp.id, lp.activity_id, a.key, p.key, p.name, o.key, lp.hours"
    " FROM learning_participant lp JOIN learning_activity a ON lp.activity_id = a.id"
    " JOIN person p ON lp.person_id = p.id"
    " LEFT OUTER JOIN organisation o ON lp.org_id = o.id"
)


def participants(
    db: Db,
    *,
    activity_id: int | None = None,
    person_id: int | None = None,
    org_id: int | None = None,
) -> list[ParticipantRow]:
    """Participants (of one activity, one person or for one organisation), by activity
    day then person."""
    where, params = [], {}
    for column, value in (
        ("lp.activity_id", activity_id),
        ("lp.person_id", person_id),
        ("lp.org_id", org_id),
    ):
        if value is not None:
            name = column.split(".")[1]
            where.append(f"{column} = :{name}")
            params[name] = value
    sql = _PARTICIPANT + (" WHERE " + " AND ".join(where) if where else "")
    rows = db.rows(sql + " ORDER BY a.held_on, a.key, p.key", params)
    return [
        ParticipantRow(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], _hours(r[6])) for r in rows
    ]


def add_participants(db: Db, rows: Sequence[tuple[int, int, int | None, Decimal | None]]) -> None:
    """(activity id, person id, org id, hours) rows, in one insert."""
    db.insert_rows(
        "learning_participant",
        ("activity_id", "person_id", "org_id", "hours"),
        [(a, p, o, None if h is None else _money(db, h)) for a, p, o, h in rows],
    )


def person_orgs(db: Db) -> dict[str, tuple[int, int | None, str | None]]:
    """Every person's (row id, organisation row id, organisation key), by person key."""
    return {
        str(k): (int(i), None if o is None else int(o), ok)
        for k, i, o, ok in db.rows(
            "SELECT p.key, p.id, p.organisation_id, o.key FROM person p"
            " LEFT OUTER JOIN organisation o ON p.organisation_id = o.id"
        )
    }


@dataclass(frozen=True, slots=True)
class LessonRow:
    id: int
    key: str
    text: str
    recorded_on: date
    by: str
    activity: str | None
    bylaws_id: str | None
    tags: tuple[str, ...]


def lessons(db: Db, activity_id: int | None = None) -> list[LessonRow]:
    """Lessons (of one activity) with their tags, by day then id."""
    sql = (
        'SELECT l.id, l.key, l.text, l.recorded_on, l."by", a.key, l.bylaws_id'
        " FROM learning_lesson l LEFT OUTER JOIN learning_activity a ON l.activity_id = a.id"
    )
    params: dict[str, Any] = {}
    if activity_id is not None:
        sql += " WHERE l.activity_id = :a"
        params["a"] = activity_id
    rows = db.rows(sql + " ORDER BY l.recorded_on, l.id", params)
    if not rows:
        return []
    marks, tag_params = in_list("l", [int(r[0]) for r in rows])
    tags: dict[int, list[str]] = {}
    for lesson_id, tag in db.rows(
        f"SELECT lesson_id, tag FROM learning_lesson_tag WHERE lesson_id IN ({marks}) ORDER BY id",
        tag_params,
    ):
        tags.setdefault(int(lesson_id), []).append(str(tag))
    return [
        LessonRow(
            int(r[0]),
            r[1],
            r[2],
            read_required_day(r[3]),
            r[4],
            r[5],
            r[6],
            tuple(tags.get(int(r[0]), ())),
        )
        for r in rows
    ]


def add_lesson(
    db: Db,
    *,
    key: str,
    text: str,
    recorded_on: date,
    by: str,
    activity_id: int | None,
    bylaws_id: str | None,
    tags: Sequence[str],
) -> int:
    lesson_id = db.insert(
        "learning_lesson",
        {
            "key": key,
            "text": text,
            "recorded_on": db.day(recorded_on),
            "by": by,
            "activity_id": activity_id,
            "bylaws_id": bylaws_id,
        },
    )
    db.insert_rows("learning_lesson_tag", ("lesson_id", "tag"), [(lesson_id, t) for t in tags])
    return lesson_id
