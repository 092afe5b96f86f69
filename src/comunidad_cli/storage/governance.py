"""Governance data (meetings, seats, attendance, motions, votes) through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines. Meetings and motions come
back as frozen rows with the ORM classes' field names, so `services.facts` turns either
into the engine's facts the same way; times come back aware (UTC), dates as dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_day, read_instant, read_required_instant

_MEETING = (
    "SELECT id, key, bylaws_id, bylaws_version_id, body, kind, scheduled_at, notice_sent,"
    " ended_at, title FROM meeting"
)
_MOTION_COLUMNS = (
    "id", "key", "meeting_id", "decision", "title", "opened_at", "closed_at", "outcome", "snapshot",
)  # fmt: skip
_MOTION = f"SELECT {', '.join(_MOTION_COLUMNS)} FROM motion"


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One row of `meeting`."""

    id: int
    key: str
    bylaws_id: str
    bylaws_version_id: int
    body: str
    kind: str
    scheduled_at: datetime
    notice_sent: date | None
    ended_at: datetime | None
    title: str | None

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> MeetingRow:
        i, key, bylaws_id, version, body, kind, scheduled, notice, ended, title = row
        at = read_instant(scheduled)
        assert at is not None
        return cls(
            int(i), key, bylaws_id, int(version), body, kind, at, read_day(notice),
            read_instant(ended), title,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class MotionRow:
    """One row of `motion`."""

    id: int
    key: str
    meeting_id: int
    decision: str
    title: str
    opened_at: datetime
    closed_at: datetime | None
    outcome: str | None
    snapshot: str | None

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> MotionRow:
        i, key, meeting_id, decision, title, opened, closed, outcome, snapshot = row
        at = read_instant(opened)
        assert at is not None
        return cls(
            int(i), key, int(meeting_id), decision, title, at, read_instant(closed), outcome,
            snapshot,
        )  # fmt: skip


def meeting_by_key(db: Db, key: str) -> MeetingRow | None:
    found = db.row(f"{_MEETING} WHERE key = :key", {"key": key})
    return None if found is None else MeetingRow.of(found)


def meeting_by_id(db: Db, meeting_id: int) -> MeetingRow | None:
    found = db.row(f"{_MEETING} WHERE id = :id", {"id": meeting_id})
    return None if found is None else MeetingRow.of(found)


def meeting_at(db: Db, bylaws_id: str, body: str, at: datetime) -> str | None:
    """The key of a meeting of `body` under `bylaws_id` scheduled at the instant `at`."""
    found = db.value(
        "SELECT key FROM meeting WHERE bylaws_id = :bylaws AND body = :body"
        " AND scheduled_at = :at ORDER BY id",
        {"bylaws": bylaws_id, "body": body, "at": db.instant(at)},
    )
    return None if found is None else str(found)


def meetings(db: Db, body: str | None = None) -> list[MeetingRow]:
    """Every meeting (of one body), by scheduled time."""
    if body is None:
        rows = db.rows(f"{_MEETING} ORDER BY scheduled_at")
    else:
        rows = db.rows(f"{_MEETING} WHERE body = :body ORDER BY scheduled_at", {"body": body})
    return [MeetingRow.of(r) for r in rows]


def motion_by_key(db: Db, key: str) -> MotionRow | None:
    found = db.row(f"{_MOTION} WHERE key = :key", {"key": key})
    return None if found is None else MotionRow.of(found)


def motions_of(db: Db, meeting_id: int) -> list[MotionRow]:
    """A meeting's motions, in the order they were put."""
    rows = db.rows(f"{_MOTION} WHERE meeting_id = :m ORDER BY opened_at", {"m": meeting_id})
    return [MotionRow.of(r) for r in rows]


def meetings_latest_first(db: Db, page: int = 16) -> Iterator[tuple[int, str, str, datetime]]:
    """(id, key, body, scheduled time) of every meeting, the latest first, read `page`
    rows at a time: a caller that wants the latest few stops early (of 10,000 meetings the
    summary reads one page, not every row)."""
    offset = 0
    while True:
        rows = db.rows(
            "SELECT id, key, body, scheduled_at FROM meeting"
            " ORDER BY scheduled_at DESC, id DESC LIMIT :page OFFSET :offset",
            {"page": page, "offset": offset},
        )
        for i, key, body, at in rows:
            yield int(i), key, body, read_required_instant(at)
        if len(rows) < page:
            return
        offset += page


def motion_outcomes(db: Db, meeting_id: int) -> dict[str, int]:
    """How many of a meeting's motions ended in each outcome ("open": not closed yet)."""
    rows = db.rows(
        "SELECT coalesce(outcome, 'open'), count(*) FROM motion WHERE meeting_id = :m"
        " GROUP BY coalesce(outcome, 'open')",
        {"m": meeting_id},
    )
    return {str(outcome): int(count) for outcome, count in rows}


def bylaws_version(db: Db, version_id: int) -> tuple[str, str]:
    """(content, sha256) of a stored by-laws version."""
    found = db.row("SELECT content, sha256 FROM bylaws_version WHERE id = :id", {"id": version_id})
    assert found is not None
    return str(found[0]), str(found[1])


def seats(
    db: Db, bylaws_id: str, body: str | None = None
) -> list[tuple[int, str, str, str, date, date | None, str | None]]:
    """(id, person key, body, class, start, end, role) of the seats under `bylaws_id`
    (on `body` when given), by start then id."""
    sql = (
        'SELECT s.id, p.key, s.body, s.member_class, s.start, s."end", s.role FROM seat s'
        " JOIN person p ON p.id = s.person_id WHERE s.bylaws_id = :bylaws"
    )
    params: dict[str, Any] = {"bylaws": bylaws_id}
    if body is not None:
        sql += " AND s.body = :body"
        params["body"] = body
    result = []
    for i, person, on, member_class, start, end, role in db.rows(
        sql + " ORDER BY s.start, s.id", params
    ):
        first = read_day(start)
        assert first is not None
        result.append((int(i), person, on, member_class, first, read_day(end), role))
    return result


def attendance(db: Db, meeting_id: int) -> list[tuple[str, datetime, bool]]:
    """(person key, at, arrived) of a meeting's attendance log, in order."""
    return [
        (key, read_required_instant(at), bool(arrived))
        for key, at, arrived in db.rows(
            "SELECT p.key, a.at, a.arrived FROM attendance a JOIN person p ON p.id = a.person_id"
            " WHERE a.meeting_id = :meeting ORDER BY a.at, a.id",
            {"meeting": meeting_id},
        )
    ]


def proxies(db: Db, meeting_id: int) -> list[tuple[str, str]]:
    """(holder key, giver key) of a meeting's proxies, in the order given."""
    return [
        (str(holder), str(giver))
        for holder, giver in db.rows(
            "SELECT h.key, g.key FROM proxy x JOIN person h ON h.id = x.holder_id"
            " JOIN person g ON g.id = x.giver_id WHERE x.meeting_id = :meeting ORDER BY x.id",
            {"meeting": meeting_id},
        )
    ]


def meeting_names(db: Db, bylaws_id: str, body: str, meeting_id: int) -> dict[str, str]:
    """Names of everyone seated on the body or recorded at the meeting, by key."""
    return {
        str(key): str(name)
        for key, name in db.rows(
            "SELECT key, name FROM person WHERE id IN (SELECT person_id FROM seat"
            " WHERE bylaws_id = :bylaws AND body = :body UNION SELECT person_id FROM attendance"
            " WHERE meeting_id = :meeting)",
            {"bylaws": bylaws_id, "body": body, "meeting": meeting_id},
        )
    }


def recusals(db: Db, motion_id: int) -> dict[str, str]:
    """Who recused from a motion, with their reasons."""
    return {
        str(key): str(reason)
        for key, reason in db.rows(
            "SELECT p.key, r.reason FROM recusal r JOIN person p ON p.id = r.person_id"
            " WHERE r.motion_id = :m",
            {"m": motion_id},
        )
    }


def votes(db: Db, motion_id: int) -> list[tuple[str, str, datetime, str | None]]:
    """(person key, choice, at, proxy holder key) of a motion's votes, in order."""
    return [
        (key, choice, read_required_instant(at), by)
        for key, choice, at, by in db.rows(
            "SELECT p.key, v.choice, v.at, b.key FROM vote v JOIN person p ON p.id = v.person_id"
            " LEFT JOIN person b ON b.id = v.cast_by_id WHERE v.motion_id = :m"
            " ORDER BY v.at, v.id",
            {"m": motion_id},
        )
    ]


def record_vote(
    db: Db,
    *,
    motion_id: int,
    person_id: int,
    choice: str,
    at: datetime,
    cast_by_id: int | None,
) -> int:
    """Insert one vote; returns the row id (the UNIQUE (motion, person) guards doubles)."""
    return db.insert(
        "vote",
        {
            "motion_id": motion_id,
            "person_id": person_id,
            "choice": choice,
            "at": db.instant(at),
            "cast_by_id": cast_by_id,
        },
    )


def bylaws_version_id(db: Db, sha256: str) -> int | None:
    """The row id of the stored by-laws text with this hash, None when not stored yet."""
    found = db.value("SELECT id FROM bylaws_version WHERE sha256 = :sha", {"sha": sha256})
    return None if found is None else int(found)


def add_bylaws_version(db: Db, *, bylaws_id: str, sha256: str, content: str, at: datetime) -> int:
    """Store one exact by-laws text; returns the row id."""
    return db.insert(
        "bylaws_version",
        {"bylaws_id": bylaws_id, "sha256": sha256, "content": content, "loaded_at": db.instant(at)},
    )


def add_meeting(
    db: Db,
    *,
    key: str,
    bylaws_id: str,
    bylaws_version_id: int,
    body: str,
    kind: str,
    scheduled_at: datetime,
    notice_sent: date | None,
    title: str | None,
) -> int:
    """Insert one meeting (not ended); returns the row id."""
    return db.insert(
        "meeting",
        {
            "key": key,
            "bylaws_id": bylaws_id,
            "bylaws_version_id": bylaws_version_id,
            "body": body,
            "kind": kind,
            "scheduled_at": db.instant(scheduled_at),
            "notice_sent": db.day(notice_sent),
            "title": title,
        },
    )


def end_meeting(db: Db, meeting_id: int, at: datetime) -> None:
    """Record when a meeting ended."""
    db.update("meeting", meeting_id, {"ended_at": db.instant(at)})


def add_attendance(db: Db, *, meeting_id: int, person_id: int, at: datetime, arrived: bool) -> int:
    """Insert one arrival or departure; returns the row id."""
    return db.insert(
        "attendance",
        {
            "meeting_id": meeting_id,
            "person_id": person_id,
            "at": db.instant(at),
            "arrived": arrived,
        },
    )


def add_proxy(db: Db, *, meeting_id: int, holder_id: int, giver_id: int) -> int:
    """Insert one proxy; returns the row id."""
    return db.insert(
        "proxy", {"meeting_id": meeting_id, "holder_id": holder_id, "giver_id": giver_id}
    )


def open_motions(db: Db, meeting_id: int) -> list[str]:
    """Keys of a meeting's motions not closed yet."""
    return [
        str(key)
        for (key,) in db.rows(
            "SELECT key FROM motion WHERE meeting_id = :m AND closed_at IS NULL ORDER BY id",
            {"m": meeting_id},
        )
    ]


def add_motion(
    db: Db, *, key: str, meeting_id: int, decision: str, title: str, opened_at: datetime
) -> int:
    """Insert one open motion; returns the row id."""
    return db.insert(
        "motion",
        {
            "key": key,
            "meeting_id": meeting_id,
            "decision": decision,
            "title": title,
            "opened_at": db.instant(opened_at),
        },
    )


def meeting_keys(db: Db) -> list[tuple[str, str]]:
    """(key, body) of every meeting, by scheduled time: the ids a shell completes."""
    rows = db.rows("SELECT key, body FROM meeting ORDER BY scheduled_at")
    return [(str(key), str(body)) for key, body in rows]


def motion_keys(db: Db) -> list[tuple[str, str]]:
    """(key, title) of every motion, in the order they were put: the ids a shell completes."""
    rows = db.rows("SELECT key, title FROM motion ORDER BY opened_at")
    return [(str(key), str(title)) for key, title in rows]


def open_motion_rows(db: Db, meeting_id: int | None = None) -> list[MotionRow]:
    """The motions not closed yet (of one meeting), in the order they were put."""
    sql = f"{_MOTION} WHERE closed_at IS NULL"
    params: dict[str, Any] = {}
    if meeting_id is not None:
        sql += " AND meeting_id = :m"
        params["m"] = meeting_id
    return [MotionRow.of(r) for r in db.rows(sql + " ORDER BY opened_at, id", params)]


def motion_list(
    db: Db, meeting_id: int | None = None, *, open_only: bool = False
) -> list[tuple[MotionRow, str]]:
    """Every motion (of one meeting; only the open ones) with its meeting's key, in the
    order they were put: what `motion list` shows."""
    columns = ", ".join(f"motion.{c}" for c in _MOTION_COLUMNS)
    sql = (
        f"SELECT {columns}, meeting.key FROM motion JOIN meeting ON meeting.id = motion.meeting_id"
    )
    where: list[str] = []
    params: dict[str, Any] = {}
    if meeting_id is not None:
        where.append("motion.meeting_id = :m")
        params["m"] = meeting_id
    if open_only:
        where.append("motion.closed_at IS NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = db.rows(sql + " ORDER BY motion.opened_at, motion.id", params)
    return [(MotionRow.of(r[:-1]), str(r[-1])) for r in rows]


def open_votes(db: Db, meeting_id: int) -> list[tuple[int, str, str, datetime, str | None]]:
    """(motion id, person key, choice, at, proxy holder key) of the votes on a meeting's open
    motions, in the order cast: one query for all of them. Votes share their few times: each
    stored time is read once."""
    times: dict[Any, datetime] = {}

    def read(at: Any) -> datetime:
        found = times.get(at)
        if found is None:
            found = times[at] = read_required_instant(at)
        return found

    return [
        (int(motion), key, choice, read(at), by)
        for motion, key, choice, at, by in db.rows(
            "SELECT v.motion_id, p.key, v.choice, v.at, b.key FROM vote v"
            " JOIN motion m ON m.id = v.motion_id JOIN person p ON p.id = v.person_id"
            " LEFT JOIN person b ON b.id = v.cast_by_id"
            " WHERE m.meeting_id = :m AND m.closed_at IS NULL ORDER BY v.at, v.id",
            {"m": meeting_id},
        )
    ]


def open_recusals(db: Db, meeting_id: int) -> list[tuple[int, str, str]]:
    """(motion id, person key, reason) of the recusals from a meeting's open motions."""
    return [
        (int(motion), str(key), str(reason))
        for motion, key, reason in db.rows(
            "SELECT r.motion_id, p.key, r.reason FROM recusal r"
            " JOIN motion m ON m.id = r.motion_id JOIN person p ON p.id = r.person_id"
            " WHERE m.meeting_id = :m AND m.closed_at IS NULL",
            {"m": meeting_id},
        )
    ]


def add_recusal(db: Db, *, motion_id: int, person_id: int, reason: str, at: datetime) -> int:
    """Insert one recusal; returns the row id (UNIQUE (motion, person) guards doubles)."""
    return db.insert(
        "recusal",
        {"motion_id": motion_id, "person_id": person_id, "reason": reason, "at": db.instant(at)},
    )


def close_motions(db: Db, closed: list[tuple[int, datetime, str, str]]) -> None:
    """Record (motion id, closed at, outcome, snapshot) of motions decided: one statement
    run for them all."""
    db.execute_many(
        "UPDATE motion SET closed_at = :closed_at, outcome = :outcome, snapshot = :snapshot"
        " WHERE id = :id",
        [
            {"id": i, "closed_at": db.instant(at), "outcome": outcome, "snapshot": snapshot}
            for i, at, outcome, snapshot in closed
        ],
    )


def seats_near(
    db: Db,
    bylaws_id: str,
    *,
    body: str,
    person: str,
    start: date,
    end: date | None,
    member_class: str | None,
    role: str | None,
) -> list[tuple[int, str, str, str, date, date | None, str | None]]:
    """The seats a new seat on `body` from `start` to `end` is judged against, as `seats`
    gives them: `person`'s seats on the body, and those overlapping it of `member_class`
    and of `role` (each when given)."""
    overlapping = '(s."end" IS NULL OR s."end" >= :start)'
    if end is not None:
        overlapping += " AND s.start <= :end"
    counted = ["p.key = :person"]
    if member_class is not None:
        counted.append(f"(s.member_class = :member_class AND {overlapping})")
    if role is not None:
        counted.append(f"(s.role = :role AND {overlapping})")
    sql = (
        'SELECT s.id, p.key, s.body, s.member_class, s.start, s."end", s.role FROM seat s'
        " JOIN person p ON p.id = s.person_id WHERE s.bylaws_id = :bylaws AND s.body = :body"
        f" AND ({' OR '.join(counted)}) ORDER BY s.start, s.id"
    )
    params = {
        "bylaws": bylaws_id,
        "body": body,
        "person": person,
        "start": db.day(start),
        "end": db.day(end),
        "member_class": member_class,
        "role": role,
    }
    result = []
    for i, key, on, seat_class, first, last, seat_role in db.rows(sql, params):
        day = read_day(first)
        assert day is not None
        result.append((int(i), key, on, seat_class, day, read_day(last), seat_role))
    return result


def add_seat(
    db: Db,
    *,
    bylaws_id: str,
    body: str,
    person_id: int,
    member_class: str,
    role: str | None,
    start: date,
    end: date | None,
) -> int:
    """Insert one seat; returns the row id."""
    return db.insert(
        "seat",
        {
            "bylaws_id": bylaws_id,
            "body": body,
            "person_id": person_id,
            "member_class": member_class,
            "role": role,
            "start": db.day(start),
            "end": db.day(end),
        },
    )


def end_seat(db: Db, seat_id: int, end: date) -> None:
    """Set a seat's last day."""
    db.update("seat", seat_id, {"end": db.day(end)})
