"""The import kinds of a meeting's record: meetings, attendance, motions, recusals, votes.

A meeting held on paper (or in another tool) is loaded in order — meetings, attendance,
motions, recusals, votes — and every row is judged by the rules the interactive commands
apply (`meeting new`, `meeting attend` / `leave`, `motion new`, `motion recuse`, `motion
vote`), with the same messages. Fast: each kind loads what it needs for all the meetings
of the file with a handful of queries, builds per meeting what the engine would recompute
for every row (`core.governance.bulk`: presence as sorted intervals, the seats entitled on
the meeting's date, proxies), judges each row in O(1) or one bisection with plain Python,
and writes with one executemany per table in the import's single transaction. Votes and
attendance also take the import engine's fast lane (clean files, whole columns): a motion's
run of votes taken at one time is judged with set operations; both lanes share the judging
code (`_VoteBook`, `_judge_attendance`) and tests compare what they write.

Natural keys: a meeting's id; attendance (meeting, person, at, event); a motion's id;
recusals and votes (motion, person). A row identical to the stored one is unchanged. A
meeting or motion with other values is updated while nothing hangs on what changes; a vote
or a recusal with other values is refused, as `motion vote` refuses a second vote.

Audit: one row per meeting, motion or recusal; attendance and votes, which come by the
hundred thousand, get one audit row per meeting (attendance) or motion (votes) listing the
rows recorded, plus the import's summary row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from itertools import compress, groupby, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from comunidad_cli.core.bylaws.model import Bylaws, Decision
from comunidad_cli.core.governance import model as core
from comunidad_cli.core.governance.bulk import VoteJudge, attendance_refusals
from comunidad_cli.core.governance.frozen import closed_refusal, notice_refusal
from comunidad_cli.core.importing import (
    Column,
    Irregular,
    Parser,
    Problem,
    Row,
    choice,
    parse_date,
    parse_datetime,
    parse_key,
    parse_text,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from comunidad_cli.services.bylaws import FileResult

T = TypeVar("T")

#: Keys per `IN (...)` list: well under every database's limit of bound parameters.
CHUNK = 500
#: Distinct values a column remembers the parsed value of (ids and times repeat a lot).
MEMO_MAX = 100_000
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


# --- columns --------------------------------------------------------------------------------


class Memo(dict[str, Any]):
    """Parsed values by text: `Memo(parse).__getitem__` is `parse`, remembering its results.

    Ids and times repeat a lot in a file (a motion's hundred votes, taken at one time); a
    hit is one dictionary lookup in C. Refusals are not remembered.
    """

    def __init__(self, parse: Parser) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, value: str) -> Any:
        if len(self) >= MEMO_MAX:
            self.clear()
        found = self[value] = self.parse(value)
        return found


def memo(parse: Parser) -> Parser:
    """`parse`, remembering what it returned for each text."""
    return Memo(parse).__getitem__


def instant(zone: tzinfo) -> Parser:
    """An ISO 8601 time (`parse_datetime`), with its offset or else on the workspace's clocks,
    shown in the workspace's zone."""

    def parse_instant(value: str) -> datetime:
        from comunidad_cli.services.facts import on_clocks

        return on_clocks(parse_datetime(value, zone), zone)

    return memo(parse_instant)


def parse_reference(value: str) -> str:
    """The id of a stored meeting or motion, as typed (ids given by hand are kept as given)."""
    return value


_ZONES: list[tzinfo] = []


def _zone() -> tzinfo:
    """The workspace's zone, as one object for a whole run. Times are put on its clocks with
    one fixed-offset object per offset (`facts.on_clocks`), so times sharing an offset
    compare without asking for it (a million votes are compared)."""
    from comunidad_cli.services.facts import local_zone

    zone = local_zone()
    if _ZONES and _ZONES[0] == zone:
        return _ZONES[0]
    _ZONES[:] = [zone]
    return zone


# --- reading in bulk ------------------------------------------------------------------------


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def select_in(conn: Connection, sql: str, values: Iterable[Any], **params: Any) -> list[Any]:
    """Rows of `sql`, whose `IN :values` gets `values` a chunk at a time."""
    from sqlalchemy import bindparam, text

    statement = text(sql).bindparams(bindparam("values", expanding=True))
    unique = sorted(set(values), key=str)
    rows: list[Any] = []
    for chunk in chunks(unique):
        rows.extend(conn.execute(statement, {"values": list(chunk), **params}).all())
    return rows


def _aware(value: datetime | str, zone: tzinfo) -> datetime:
    """A stored time on the workspace's clocks (`facts.on_clocks`: fixed offsets)."""
    from comunidad_cli.services.facts import on_clocks

    return on_clocks(value, zone)


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def people_ids(conn: Connection) -> dict[str, int]:
    from sqlalchemy import text

    return {key: pid for pid, key in conn.execute(text("SELECT id, key FROM person")).all()}


@dataclass(slots=True)
class StoredMeeting:
    """A meeting row, its times on the workspace's clocks, and its core view."""

    id: int
    key: str
    bylaws_id: str
    version_id: int
    body: str
    kind: str
    notice_sent: date | None
    title: str | None
    core: core.Meeting


@dataclass(slots=True)
class StoredMotion:
    id: int
    key: str
    meeting_id: int
    decision: str
    title: str
    core: core.Motion


class Meetings:
    """Stored meetings and the facts the engine judges them by, each loaded once, in bulk."""

    _COLUMNS = (
        "SELECT id, key, bylaws_id, bylaws_version_id, body, kind, scheduled_at, notice_sent,"
        " ended_at, title FROM meeting"
    )

    def __init__(self, conn: Connection, zone: tzinfo) -> None:
        self.conn = conn
        self.zone = zone
        self.by_key: dict[str, StoredMeeting] = {}
        self.by_id: dict[int, StoredMeeting] = {}
        self._bylaws: dict[int, Bylaws] = {}
        self._seats: dict[tuple[str, str], tuple[core.Seat, ...]] = {}
        self._attendance: dict[int, list[core.AttendanceEvent]] | None = None
        self._proxies: dict[int, list[core.Proxy]] | None = None
        self._judges: dict[int, VoteJudge] = {}
        self._times: dict[Any, datetime] = {}

    def time(self, value: datetime | str) -> datetime:
        """A stored time on the workspace's clocks (each distinct value converted once)."""
        found = self._times.get(value)
        if found is None:
            found = self._times[value] = _aware(value, self.zone)
        return found

    def _add(self, rows: Iterable[Any]) -> None:
        zone = self.zone
        for mid, key, bylaws_id, version, body, kind, at, sent, ended, title in rows:
            meeting = StoredMeeting(
                mid,
                key,
                bylaws_id,
                version,
                body,
                kind,
                _day(sent),
                title,
                core.Meeting(
                    key,
                    body,
                    _aware(at, zone),
                    _aware(ended, zone) if ended is not None else None,
                ),
            )
            self.by_key[key] = meeting
            self.by_id[mid] = meeting

    def load_keys(self, keys: Iterable[str]) -> dict[str, StoredMeeting]:
        wanted = [k for k in set(keys) if k not in self.by_key]
        self._add(select_in(self.conn, f"{self._COLUMNS} WHERE key IN :values", wanted))
        return self.by_key

    def load_ids(self, ids: Iterable[int]) -> dict[int, StoredMeeting]:
        wanted = [i for i in set(ids) if i not in self.by_id]
        self._add(select_in(self.conn, f"{self._COLUMNS} WHERE id IN :values", wanted))
        return self.by_id

    def bylaws(self, meeting: StoredMeeting) -> Bylaws:
        """The by-laws version the meeting was called under."""
        found = self._bylaws.get(meeting.version_id)
        if found is None:
            from sqlalchemy import text

            from comunidad_cli.services.facts import bylaws_from_content

            content = self.conn.execute(
                text("SELECT content FROM bylaws_version WHERE id = :id"),
                {"id": meeting.version_id},
            ).scalar_one()
            found = self._bylaws[meeting.version_id] = bylaws_from_content(content)
        return found

    def seats(self, meeting: StoredMeeting) -> tuple[core.Seat, ...]:
        """Every seat on the meeting's body (under its by-laws id), whatever its dates."""
        pair = (meeting.bylaws_id, meeting.body)
        found = self._seats.get(pair)
        if found is None:
            from sqlalchemy import text

            found = self._seats[pair] = tuple(
                core.Seat(key, body, member_class, _day(start) or date.min, _day(end), role)
                for key, body, member_class, start, end, role in self.conn.execute(
                    text(
                        "SELECT p.key, s.body, s.member_class, s.start, s.end, s.role FROM seat s"
                        " JOIN person p ON p.id = s.person_id"
                        " WHERE s.bylaws_id = :bylaws AND s.body = :body"
                    ),
                    {"bylaws": meeting.bylaws_id, "body": meeting.body},
                )
            )
        return found

    def seated(self, meeting: StoredMeeting, person: str) -> bool:
        """Whether `person` holds a seat (of any class) on the body on the meeting's date."""
        day = meeting.core.day
        return any(s.person == person and s.active_on(day) for s in self.seats(meeting))

    def attendance(self) -> dict[int, list[core.AttendanceEvent]]:
        """The stored arrivals and departures of every meeting loaded so far."""
        if self._attendance is None:
            time = self.time
            found: dict[int, list[core.AttendanceEvent]] = defaultdict(list)
            for mid, key, at, arrived in select_in(
                self.conn,
                "SELECT a.meeting_id, p.key, a.at, a.arrived FROM attendance a"
                " JOIN person p ON p.id = a.person_id WHERE a.meeting_id IN :values",
                self.by_id,
            ):
                found[mid].append(core.AttendanceEvent(key, time(at), bool(arrived)))
            self._attendance = found
        return self._attendance

    def proxies(self) -> dict[int, list[core.Proxy]]:
        if self._proxies is None:
            found: dict[int, list[core.Proxy]] = defaultdict(list)
            for mid, holder, giver in select_in(
                self.conn,
                "SELECT x.meeting_id, h.key, g.key FROM proxy x JOIN person h ON h.id = x.holder_id"
                " JOIN person g ON g.id = x.giver_id WHERE x.meeting_id IN :values",
                self.by_id,
            ):
                found[mid].append(core.Proxy(holder, giver))
            self._proxies = found
        return self._proxies

    def judge(self, meeting_id: int) -> VoteJudge:
        """`check_vote` for one meeting, its facts loaded once (every meeting loaded first)."""
        found = self._judges.get(meeting_id)
        if found is None:
            meeting = self.by_id[meeting_id]
            found = self._judges[meeting_id] = VoteJudge(
                self.bylaws(meeting),
                meeting.core,
                self.seats(meeting),
                self.attendance().get(meeting_id, ()),
                self.proxies().get(meeting_id, ()),
            )
        return found


def load_motions(conn: Connection, keys: Iterable[str], zone: tzinfo) -> dict[str, StoredMotion]:
    return {
        key: StoredMotion(
            mid,
            key,
            meeting_id,
            decision,
            title,
            core.Motion(
                key,
                _aware(opened, zone),
                _aware(closed, zone) if closed is not None else None,
            ),
        )
        for mid, key, meeting_id, decision, title, opened, closed in select_in(
            conn,
            "SELECT id, key, meeting_id, decision, title, opened_at, closed_at FROM motion"
            " WHERE key IN :values",
            keys,
        )
    }


# --- writing in bulk ------------------------------------------------------------------------


class Writer:
    """Executemany on the import's connection: the driver's own SQL on SQLite (as fast as raw
    sqlite3, see DESIGN.md), Core inserts elsewhere. Times go in as SQLite stores them."""

    def __init__(self, conn: Connection) -> None:
        self.sqlite = conn.dialect.name == "sqlite"
        self.times: dict[datetime, Any] = {}
        self._iso: dict[datetime, str] = {}

    def time(self, value: datetime) -> Any:
        """A time as the database column takes it (UTC; text on SQLite, as the ORM writes)."""
        found = self.times.get(value)
        if found is None:
            if len(self.times) >= MEMO_MAX:
                self.times.clear()
            utc = value.astimezone(UTC)
            found = self.times[value] = (
                utc.replace(tzinfo=None).strftime(_SQLITE_TIME) if self.sqlite else utc
            )
        return found

    def iso(self, value: datetime) -> str:
        """A time for the audit log: ISO 8601 with its offset."""
        found = self._iso.get(value)
        if found is None:
            if len(self._iso) >= MEMO_MAX:
                self._iso.clear()
            found = self._iso[value] = value.isoformat()
        return found

    def insert(
        self, conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        if self.sqlite:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
            return
        from sqlalchemy import insert

        from comunidad_cli.services.directory import table_of

        conn.execute(insert(table_of(table)), [dict(zip(columns, r, strict=True)) for r in rows])


def _update(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """UPDATE table SET ... WHERE id = _id, one executemany (rows share their keys)."""
    if not rows:
        return
    from sqlalchemy import bindparam, update

    from comunidad_cli.services.directory import table_of

    target = table_of(table)
    conn.execute(update(target).where(target.c.id == bindparam("_id")), rows)


# --- messages shared by the kinds --------------------------------------------------------------


def _no_person(key: str) -> Msg:
    return Msg.of(
        N_(
            'no person "{key}": add them with "comunidad person add" or check "comunidad person list"'
        ),
        key=key,
    )


def _no_meeting(key: str) -> Msg:
    return Msg.of(N_('no meeting "{key}": see "comunidad meeting list"'), key=key)


def _no_motion(key: str) -> Msg:
    return Msg.of(N_('no motion "{key}": see "comunidad meeting show"'), key=key)


def _closed(meeting: core.Meeting) -> Msg:
    """`facts.still_open`'s refusal, for a meeting known to be closed."""
    refusal = closed_refusal(meeting)
    assert refusal is not None
    return refusal


def _outside(meeting: core.Meeting, at: datetime) -> Msg | None:
    """`facts.within_meeting`: on the meeting's day, and not after it ended."""
    opened = meeting.opened_at.tzinfo
    if (at.date() if at.tzinfo is opened else _aware(at, _zone()).date()) != meeting.day:
        return Msg.of(
            N_("{at} is not on the day of meeting {meeting} ({day})"),
            at=at,
            meeting=meeting.id,
            day=meeting.day,
        )
    if meeting.ended_at is not None and at > meeting.ended_at:
        return Msg.of(
            N_("meeting {meeting} ended at {ended}"), meeting=meeting.id, ended=meeting.ended_at
        )
    return None


def _needs_workspace(plan: Plan) -> Plan:
    plan.problems.append(
        Problem(
            None,
            None,
            Msg.of(N_('importing meetings needs a workspace with by-laws: run "comunidad init"')),
        )
    )
    return plan


# --- meetings -------------------------------------------------------------------------------

MEETING_KINDS = ("regular", "special")


def _meeting_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key, required=True),
        Column("bylaws", parse_key),
        Column("body", parse_key, required=True),
        Column("at", instant(_zone()), required=True),
        Column("kind", choice(*MEETING_KINDS)),
        Column("notice_sent", parse_date),
        Column("title", parse_text),
    )


class _BylawsFiles:
    """The workspace's by-laws files by id (None: the only one), each checked once."""

    def __init__(self, ctx: ImportContext) -> None:
        assert ctx.bylaws_dir is not None
        self.folder: Path = ctx.bylaws_dir
        self.today = ctx.today
        self.found: dict[str | None, FileResult | Msg] = {}

    def get(self, bylaws_id: str | None) -> FileResult | Msg:
        if bylaws_id not in self.found:
            from comunidad_cli.services.bylaws import in_workspace

            try:
                self.found[bylaws_id] = in_workspace(self.folder, bylaws_id, self.today)
            except ServiceError as error:
                files = len(list(self.folder.glob("*.toml")))
                self.found[bylaws_id] = (
                    Msg.of(
                        N_(
                            'the workspace has {count} by-laws files: fill in the "bylaws"'
                            " column with the id of one"
                        ),
                        count=files,
                    )
                    if bylaws_id is None and files > 1
                    else error.msg
                )
        return self.found[bylaws_id]


def _plan_meetings(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import text

    plan = Plan()
    if ctx.bylaws_dir is None:
        return _needs_workspace(plan)
    zone = _zone()
    files = _BylawsFiles(ctx)
    stored = Meetings(conn, zone).load_keys(r["id"] for r in rows)
    busy = {
        mid
        for (mid,) in select_in(
            conn,
            "SELECT meeting_id FROM attendance WHERE meeting_id IN :values"
            " UNION SELECT meeting_id FROM motion WHERE meeting_id IN :values"
            " UNION SELECT meeting_id FROM proxy WHERE meeting_id IN :values",
            [m.id for m in stored.values()],
        )
    }
    with_motions = {
        mid
        for (mid,) in select_in(
            conn,
            "SELECT DISTINCT meeting_id FROM motion WHERE meeting_id IN :values",
            [m.id for m in stored.values()],
        )
    }
    versions: dict[str, int] = {}  # sha256 -> stored version id
    new_versions: dict[str, FileResult] = {}
    optional = [c for c in ("kind", "notice_sent", "title") if c in present]
    creates: list[tuple[dict[str, Any], str]] = []  # values, by-laws sha256
    updates: list[tuple[dict[str, Any], str | None]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        loaded = files.get(row.get("bylaws"))
        if isinstance(loaded, Msg):
            plan.problems.append(Problem(row.number, "bylaws", loaded))
            continue
        bylaws = loaded.model
        assert bylaws is not None
        body: str = row["body"]
        if body not in bylaws.bodies:
            plan.problems.append(
                Problem(
                    row.number,
                    "body",
                    Msg.of(
                        N_('no body "{body}" in the by-laws "{bylaws}": the bodies are {known}'),
                        body=body,
                        bylaws=bylaws.id,
                        known=", ".join(bylaws.bodies),
                    ),
                )
            )
            continue
        at: datetime = row["at"]
        sent: date | None = row.get("notice_sent")
        if sent is not None and sent > at.date():
            plan.problems.append(
                Problem(
                    row.number,
                    "notice_sent",
                    Msg.of(N_("the notice date {sent} is after the meeting"), sent=sent),
                )
            )
            continue
        if loaded.sha256 not in versions and loaded.sha256 not in new_versions:
            found = conn.execute(
                text("SELECT id FROM bylaws_version WHERE sha256 = :sha"), {"sha": loaded.sha256}
            ).scalar()
            if found is None:
                new_versions[loaded.sha256] = loaded
            else:
                versions[loaded.sha256] = int(found)
        values: dict[str, Any] = {
            "bylaws_id": bylaws.id,
            "body": body,
            "scheduled_at": at,
            **{name: row.get(name) for name in optional},
        }
        if "kind" in values:
            values["kind"] = values["kind"] or "regular"
        key: str = row["id"]
        old = stored.get(key)
        if old is None:
            creates.append(
                (
                    {"key": key, "kind": "regular", "notice_sent": None, "title": None, **values},
                    loaded.sha256,
                )
            )
            audit.append(
                AuditEntry(
                    "create",
                    key,
                    {"file": ctx.file, "row": row.number, "bylaws": loaded.sha256, **values},
                )
            )
            continue
        before: dict[str, Any] = {
            "bylaws_id": old.bylaws_id,
            "body": old.body,
            "scheduled_at": old.core.opened_at,
            "kind": old.kind,
            "notice_sent": old.notice_sent,
            "title": old.title,
        }
        changed = {f: [before[f], v] for f, v in values.items() if before[f] != v}
        if not changed:
            plan.unchanged += 1
            continue
        if old.core.ended_at is not None:  # a closed meeting is changed by a correction only
            plan.problems.append(Problem(row.number, None, _closed(old.core)))
            continue
        if "notice_sent" in changed and old.id in with_motions:
            plan.problems.append(
                Problem(
                    row.number,
                    "notice_sent",
                    Msg.of(
                        N_(
                            "meeting {meeting} already has motions, put under its notice:"
                            " its notice date can no longer change"
                        ),
                        meeting=key,
                    ),
                )
            )
            continue
        fixed = {"bylaws_id", "body", "scheduled_at"} & changed.keys()
        if fixed and (old.id in busy or old.core.ended_at is not None):
            plan.problems.append(
                Problem(
                    row.number,
                    None,
                    Msg.of(
                        N_(
                            "meeting {meeting} already has attendance, proxies or motions:"
                            " its by-laws, body and time can no longer change"
                        ),
                        meeting=key,
                    ),
                )
            )
            continue
        updates.append(
            (
                {"_id": old.id, **{f: values[f] for f in changed}},
                loaded.sha256 if "bylaws_id" in changed else None,
            )
        )
        audit.append(
            AuditEntry("update", key, {"file": ctx.file, "row": row.number, "changed": changed})
        )
    plan.created, plan.updated = len(creates), len(updates)

    def write(conn: Connection) -> None:
        from sqlalchemy import insert

        from comunidad_cli.services.directory import table_of

        for sha, result in new_versions.items():
            content = Path(result.path).read_text(encoding="utf-8-sig")
            assert result.model is not None
            inserted = conn.execute(
                insert(table_of("bylaws_version")).values(
                    bylaws_id=result.model.id, sha256=sha, content=content, loaded_at=ctx.at
                )
            )
            key = inserted.inserted_primary_key
            assert key is not None
            versions[sha] = int(key[0])
        if creates:
            conn.execute(
                insert(table_of("meeting")),
                [{**made, "bylaws_version_id": versions[sha]} for made, sha in creates],
            )
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for changes, new_sha in updates:
            if new_sha is not None:
                changes = {**changes, "bylaws_version_id": versions[new_sha]}
            by_columns[tuple(sorted(changes))].append(changes)
        for group in by_columns.values():
            _update(conn, "meeting", group)
        write_audit(conn, ctx, "meeting", audit)

    plan.write = write
    return plan


MEETINGS_IMPORT = ImportKind(
    name="meetings",
    entity="meeting",
    columns=_meeting_columns,
    natural_key=lambda row: row["id"],
    key_columns="id",
    plan=_plan_meetings,
)


# --- attendance -----------------------------------------------------------------------------

EVENTS = ("arrive", "leave")


def _attendance_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("meeting", memo(parse_reference), required=True),
        Column("person", memo(parse_key), required=True),
        Column("at", instant(_zone()), required=True),
        Column("event", memo(choice(*EVENTS)), required=True),
    )


def _attendance_key(row: Row) -> Hashable:
    values = row.values
    return (values["meeting"], values["person"], values["at"], values["event"])


def _plan_attendance(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    return _judge_attendance(
        conn,
        {r.values["meeting"] for r in rows},
        [
            (v["meeting"], v["person"], v["at"], v["event"], r.number)
            for r, v in ((r, r.values) for r in rows)
        ],
        ctx,
        careful=True,
    )


def _fast_attendance(
    conn: Connection,
    columns: list[list[Any]],
    rows: range | None,
    present: frozenset[str],
    ctx: ImportContext,
) -> Plan:
    if rows is None:  # the audit lists each event's row
        raise Irregular
    return _judge_attendance(
        conn, set(columns[0]), zip(*columns, rows, strict=True), ctx, careful=False
    )


def _judge_attendance(
    conn: Connection,
    meeting_keys: set[str],
    events: Iterable[tuple[str, str, datetime, str, int]],
    ctx: ImportContext,
    *,
    careful: bool,
) -> Plan:
    """Judge arrivals and departures (meeting, person, at, event, row) as `meeting attend` and
    `meeting leave` would. Careful: every problem is collected; otherwise (the fast lane)
    the first one raises `Irregular`."""
    plan = Plan()

    def refuse(row: int, column: str, msg: Msg) -> None:
        if not careful:
            raise Irregular
        plan.problems.append(Problem(row, column, msg))

    meetings = Meetings(conn, _zone())
    by_key = meetings.load_keys(meeting_keys)
    people = people_ids(conn)
    stored_events = meetings.attendance()
    stored: dict[tuple[int, str], list[core.AttendanceEvent]] = defaultdict(list)
    for mid, events_of in stored_events.items():
        for event in events_of:
            stored[(mid, event.person)].append(event)
    known = {(mid, e.person, e.at, e.arrived) for (mid, _), es in stored.items() for e in es}
    # Whether a time is outside its meeting, once per distinct (meeting, time): times repeat.
    outside: dict[tuple[int, datetime], Msg | None] = {}
    new: dict[tuple[int, str], list[tuple[int, datetime, bool]]] = defaultdict(list)
    repeated: set[tuple[int, str, datetime, bool]] = set()  # stored events the file repeats
    for meeting_key, person, at, kind, row in events:
        meeting = by_key.get(meeting_key)
        if meeting is None:
            refuse(row, "meeting", _no_meeting(meeting_key))
            continue
        if person not in people:
            refuse(row, "person", _no_person(person))
            continue
        mid = meeting.id
        arrived = kind == "arrive"
        if meeting.core.ended_at is not None and (mid, person, at, arrived) not in known:
            refuse(row, "meeting", _closed(meeting.core))  # a stored event repeated is unchanged
            continue
        pair = (mid, at)
        try:
            problem = outside[pair]
        except KeyError:
            problem = outside[pair] = _outside(meeting.core, at)
        if problem is not None:
            refuse(row, "at", problem)
            continue
        if known and (mid, person, at, arrived) in known:
            if not careful:  # the careful path has had its duplicates removed already
                if (mid, person, at, arrived) in repeated:
                    raise Irregular  # the same row twice: the careful path says so
                repeated.add((mid, person, at, arrived))
            plan.unchanged += 1
            continue
        new[(mid, person)].append((row, at, arrived))
    writer = Writer(conn)
    accepted: list[tuple[int, int, str, datetime, bool]] = []
    for (mid, person), found in new.items():
        before = stored.get((mid, person), ())
        if not before and len(found) == 1 and found[0][2]:  # one arrival: nothing to check
            row, at, arrived = found[0]
            accepted.append((row, mid, person, at, arrived))
            continue
        refusals = attendance_refusals(
            person, before, [core.AttendanceEvent(person, at, arrived) for _, at, arrived in found]
        )
        for (row, at, arrived), refusal in zip(found, refusals, strict=True):
            if refusal is not None:
                refuse(row, "event", refusal)
            else:
                accepted.append((row, mid, person, at, arrived))
    accepted.sort()  # written in the file's order (rows are unique)
    inserts: list[tuple[Any, ...]] = []
    listed: dict[int, list[list[Any]]] = defaultdict(list)
    for row, mid, person, at, arrived in accepted:
        inserts.append((mid, people[person], writer.time(at), arrived))
        listed[mid].append([row, person, writer.iso(at), EVENTS[0 if arrived else 1]])
    plan.created = len(inserts)
    audit = [
        AuditEntry(
            "create",
            meetings.by_id[mid].key,
            {
                "file": ctx.file,
                "columns": ["row", "person", "at", "event"],
                "events": listed_events,
            },
        )
        for mid, listed_events in listed.items()
    ]

    def write(conn: Connection) -> None:
        writer.insert(conn, "attendance", ("meeting_id", "person_id", "at", "arrived"), inserts)
        write_audit(conn, ctx, "attendance", audit)

    plan.write = write
    return plan


ATTENDANCE_IMPORT = ImportKind(
    name="attendance",
    entity="attendance",
    columns=_attendance_columns,
    natural_key=_attendance_key,
    key_columns="meeting, person, at, event",
    plan=_plan_attendance,
    fast=_fast_attendance,
)


# --- motions --------------------------------------------------------------------------------


def _motion_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key, required=True),
        Column("meeting", memo(parse_reference), required=True),
        Column("decision", memo(parse_key), required=True),
        Column("title", parse_text, required=True),
        Column("at", instant(_zone()), required=True),
    )


def _closed_or_late(
    meeting: StoredMeeting, bylaws: Bylaws, decision: Decision
) -> tuple[str, Msg] | None:
    """`motion new`'s refusals of a motion put to a closed meeting or on too short notice,
    with the column to blame."""
    if meeting.core.ended_at is not None:
        return "meeting", _closed(meeting.core)
    late = notice_refusal(bylaws, decision, meeting.core, meeting.notice_sent)
    return ("decision", late) if late is not None else None


def _plan_motions(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    plan = Plan()
    zone = _zone()
    meetings = Meetings(conn, zone)
    by_key = meetings.load_keys(r["meeting"] for r in rows)
    stored = load_motions(conn, (r["id"] for r in rows), zone)
    meetings.load_ids(m.meeting_id for m in stored.values())
    busy = {
        mid
        for (mid,) in select_in(
            conn,
            "SELECT motion_id FROM vote WHERE motion_id IN :values"
            " UNION SELECT motion_id FROM recusal WHERE motion_id IN :values",
            [m.id for m in stored.values()],
        )
    }
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        meeting = by_key.get(row["meeting"])
        if meeting is None:
            plan.problems.append(Problem(row.number, "meeting", _no_meeting(row["meeting"])))
            continue
        bylaws = meetings.bylaws(meeting)
        decision_id: str = row["decision"]
        decision = bylaws.decisions.get(decision_id)
        problems: list[Problem] = []
        if decision is None:
            problems.append(
                Problem(
                    row.number,
                    "decision",
                    Msg.of(
                        N_('no decision kind "{decision}" in the by-laws: the kinds are {known}'),
                        decision=decision_id,
                        known=", ".join(bylaws.decisions),
                    ),
                )
            )
        elif decision.body != meeting.body:
            problems.append(
                Problem(
                    row.number,
                    "decision",
                    Msg.of(
                        N_(
                            '"{decision}" is decided by body "{body}", not by "{meeting_body}" which this meeting is of'
                        ),
                        decision=decision_id,
                        body=decision.body,
                        meeting_body=meeting.body,
                    ),
                )
            )
        at: datetime = row["at"]
        outside = _outside(meeting.core, at)
        if outside is None and at < meeting.core.opened_at:
            outside = Msg.of(N_("{at} is before the meeting started"), at=at)
        if outside is not None:
            problems.append(Problem(row.number, "at", outside))
        if problems:
            plan.problems.extend(problems)
            continue
        key: str = row["id"]
        values = {
            "meeting_id": meeting.id,
            "decision": decision_id,
            "title": row["title"],
            "opened_at": at,
        }
        shown = {"meeting": meeting.key, "decision": decision_id, "title": row["title"], "at": at}
        old = stored.get(key)
        if old is None:
            assert decision is not None
            late = _closed_or_late(meeting, bylaws, decision)
            if late is not None:
                plan.problems.append(Problem(row.number, late[0], late[1]))
                continue
            creates.append({"key": key, **values})
            audit.append(AuditEntry("create", key, {"file": ctx.file, "row": row.number, **shown}))
            continue
        before = {
            "meeting": meetings.by_id[old.meeting_id].key,
            "decision": old.decision,
            "title": old.title,
            "at": old.core.opened_at,
        }
        changed = {f: [before[f], v] for f, v in shown.items() if before[f] != v}
        if not changed:
            plan.unchanged += 1
            continue
        refusal: Msg | None = None
        if old.core.closed:
            refusal = Msg.of(
                N_("motion {motion} is closed: its record can no longer change"), motion=key
            )
        elif old.id in busy and changed.keys() - {"title"}:
            refusal = Msg.of(
                N_(
                    "motion {motion} already has votes or recusals: its meeting, decision and"
                    " time can no longer change"
                ),
                motion=key,
            )
        column: str | None = None
        if refusal is None and (
            meeting.core.ended_at is not None or changed.keys() & {"meeting", "decision"}
        ):
            assert decision is not None
            late = _closed_or_late(meeting, bylaws, decision)
            if late is not None:
                column, refusal = late
        if refusal is not None:
            plan.problems.append(Problem(row.number, column, refusal))
            continue
        updates.append({"_id": old.id, **values})
        audit.append(
            AuditEntry("update", key, {"file": ctx.file, "row": row.number, "changed": changed})
        )
    plan.created, plan.updated = len(creates), len(updates)

    def write(conn: Connection) -> None:
        from sqlalchemy import insert

        from comunidad_cli.services.directory import table_of

        if creates:
            conn.execute(insert(table_of("motion")), creates)
        _update(conn, "motion", updates)
        write_audit(conn, ctx, "motion", audit)

    plan.write = write
    return plan


MOTIONS_IMPORT = ImportKind(
    name="motions",
    entity="motion",
    columns=_motion_columns,
    natural_key=lambda row: row["id"],
    key_columns="id",
    plan=_plan_motions,
)


# --- recusals and votes: what hangs on a motion -----------------------------------------------


@dataclass(slots=True)
class MotionFacts:
    """The motions a file names, their meetings, and who recused from and voted on them."""

    meetings: Meetings
    motions: dict[str, StoredMotion]
    recusals: dict[int, dict[str, tuple[str, datetime]]] = field(default_factory=dict)
    votes: dict[int, dict[str, tuple[str, datetime, str | None]]] = field(default_factory=dict)


def motion_facts(conn: Connection, keys: Iterable[str], zone: tzinfo) -> MotionFacts:
    meetings = Meetings(conn, zone)
    motions = load_motions(conn, keys, zone)
    meetings.load_ids(m.meeting_id for m in motions.values())
    ids = [m.id for m in motions.values()]
    recusals: dict[int, dict[str, tuple[str, datetime]]] = defaultdict(dict)
    for mid, person, reason, at in select_in(
        conn,
        "SELECT r.motion_id, p.key, r.reason, r.at FROM recusal r"
        " JOIN person p ON p.id = r.person_id WHERE r.motion_id IN :values",
        ids,
    ):
        recusals[mid][person] = (reason, _aware(at, zone))
    votes: dict[int, dict[str, tuple[str, datetime, str | None]]] = defaultdict(dict)
    times: dict[Any, datetime] = {}
    for mid, person, chosen, at, by in select_in(
        conn,
        "SELECT v.motion_id, p.key, v.choice, v.at, b.key FROM vote v"
        " JOIN person p ON p.id = v.person_id LEFT JOIN person b ON b.id = v.cast_by_id"
        " WHERE v.motion_id IN :values",
        ids,
    ):
        when = times.get(at)
        if when is None:
            when = times[at] = _aware(at, zone)
        votes[mid][person] = (chosen, when, by)
    return MotionFacts(meetings, motions, recusals, votes)


def _recusal_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("motion", memo(parse_reference), required=True),
        Column("person", memo(parse_key), required=True),
        Column("reason", parse_text, required=True),
        Column("at", instant(_zone()), required=True),
    )


def _motion_person_key(row: Row) -> Hashable:
    values = row.values
    return (values["motion"], values["person"])


def _plan_recusals(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    plan = Plan()
    loaded = motion_facts(conn, (r["motion"] for r in rows), _zone())
    people = people_ids(conn)
    inserts: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        motion = loaded.motions.get(row["motion"])
        person: str = row["person"]
        if motion is None:
            plan.problems.append(Problem(row.number, "motion", _no_motion(row["motion"])))
            continue
        if person not in people:
            plan.problems.append(Problem(row.number, "person", _no_person(person)))
            continue
        reason: str = row["reason"]
        at: datetime = row["at"]
        recused = loaded.recusals.get(motion.id, {})
        if recused.get(person) == (reason, at):
            plan.unchanged += 1
            continue
        meeting = loaded.meetings.by_id[motion.meeting_id]
        refusal: Msg | None = None
        column: str | None = None
        if meeting.core.ended_at is not None:
            refusal = _closed(meeting.core)
        elif motion.core.closed:
            refusal = Msg.of(N_("motion {motion} is closed: no more votes"), motion=motion.key)
        elif not loaded.meetings.seated(meeting, person):
            refusal = Msg.of(
                N_("{person} holds no seat on {body} on {day}"),
                person=person,
                body=meeting.body,
                day=meeting.core.day,
            )
        elif person in recused:
            refusal = Msg.of(N_("{person} has already recused from this motion"), person=person)
        elif person in loaded.votes.get(motion.id, {}):
            refusal = Msg.of(
                N_(
                    "{person} has already voted on this motion: a recusal must come before the vote"
                ),
                person=person,
            )
        else:
            refusal, column = _outside(meeting.core, at), "at"
        if refusal is not None:
            plan.problems.append(Problem(row.number, column, refusal))
            continue
        recused[person] = (reason, at)
        loaded.recusals[motion.id] = recused
        inserts.append(
            {"motion_id": motion.id, "person_id": people[person], "reason": reason, "at": at}
        )
        audit.append(
            AuditEntry(
                "create",
                motion.key,
                {"file": ctx.file, "row": row.number, "person": person, "reason": reason, "at": at},
            )
        )
    plan.created = len(inserts)

    def write(conn: Connection) -> None:
        from sqlalchemy import insert

        from comunidad_cli.services.directory import table_of

        if inserts:
            conn.execute(insert(table_of("recusal")), inserts)
        write_audit(conn, ctx, "recusal", audit)

    plan.write = write
    return plan


RECUSALS_IMPORT = ImportKind(
    name="recusals",
    entity="recusal",
    columns=_recusal_columns,
    natural_key=_motion_person_key,
    key_columns="motion, person",
    plan=_plan_recusals,
)


# --- votes ----------------------------------------------------------------------------------

CHOICES = tuple(c.value for c in core.Choice)


def _vote_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("motion", memo(parse_reference), required=True),
        Column("person", memo(parse_key), required=True),
        Column("choice", memo(choice(*CHOICES)), required=True),
        Column("at", instant(_zone()), required=True),
        Column("by", memo(parse_key)),
    )


@dataclass(slots=True)
class _Ballot:
    """What judging one motion's votes needs, looked up once per motion, not per row."""

    motion: StoredMotion
    judge: VoteJudge
    recused: Collection[str]
    voted: set[str]
    stored: dict[str, tuple[str, datetime, str | None]]
    #: Open, and put at `opened`: `VoteJudge.windows` applies from then on.
    open: bool
    opened: datetime
    cast: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    proxies: dict[str, str] = field(default_factory=dict)
    #: Who this file repeats a stored vote of, unchanged (a second such row is a duplicate).
    same: set[str] = field(default_factory=set)
    #: Why no vote may be added: the meeting is closed (`facts.still_open`).
    frozen: Msg | None = None


def _ballot(loaded: MotionFacts, motion: StoredMotion) -> _Ballot:
    judge = loaded.meetings.judge(motion.meeting_id)
    stored = loaded.votes.get(motion.id, {})
    recused = frozenset(loaded.recusals.get(motion.id, ()))
    frozen = closed_refusal(loaded.meetings.by_id[motion.meeting_id].core)
    return _Ballot(
        motion,
        judge,
        recused,
        set(stored),
        stored,
        motion.core.closed_at is None and frozen is None,
        motion.core.opened_at,
        frozen=frozen,
    )


def _plan_votes(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    book = _VoteBook(conn, {r.values["motion"] for r in rows}, ctx, careful=True)
    for row in rows:
        values = row.values
        ballot = book.ballot(values["motion"], row.number)
        if ballot is not None:
            book.one(
                ballot,
                values["person"],
                values["choice"],
                values["at"],
                values.get("by"),
                row.number,
            )
    return book.plan()


def _fast_votes(
    conn: Connection,
    columns: list[list[Any]],
    rows: range | None,
    present: frozenset[str],
    ctx: ImportContext,
) -> Plan:
    """The votes of a clean file, a motion's run of rows at a time.

    A file lists a motion's votes together, often all taken at one time: such a run is
    judged with a few set operations (`_VoteBook.run`) and its rows made in C; any other
    run goes row by row.
    """
    motions, persons, choices, times, holders = columns
    book = _VoteBook(conn, set(motions), ctx, careful=False)
    one = book.one
    start = 0
    for motion_key, run in groupby(motions):
        end = start + len(list(run))
        ballot = book.ballot(motion_key, 0)
        assert ballot is not None  # not careful: a missing motion raised
        people, chosen, at = persons[start:end], choices[start:end], times[start:end]
        by = holders[start:end]
        if not (
            by.count(None) == len(by)
            and len(set(at)) == 1
            and book.run(ballot, people, chosen, at[0])
        ):
            for person, choice_, when, holder in zip(people, chosen, at, by, strict=True):
                one(ballot, person, choice_, when, holder, 0)
        start = end
    return book.plan()


class _VoteBook:
    """The votes of one import, judged as `motion vote` would judge them one after another.

    Careful: every problem is collected with its row. Otherwise (the fast lane, rows 0)
    the first problem, or a row repeated in the file, raises `Irregular` instead.
    """

    def __init__(
        self, conn: Connection, motion_keys: set[str], ctx: ImportContext, *, careful: bool
    ) -> None:
        self.ctx = ctx
        self.careful = careful
        self.problems: list[Problem] = []
        self.loaded = motion_facts(conn, motion_keys, _zone())
        self.people = people_ids(conn)
        self.writer = Writer(conn)
        self.inserts: list[tuple[Any, ...]] = []
        self.ballots: dict[str, _Ballot] = {}
        self.unchanged = 0
        #: Per meeting: member -> (lo, hi, person id), `VoteJudge.windows` with the ids.
        self._windows: dict[int, dict[str, tuple[datetime, datetime, int]]] = {}
        #: Per meeting: when every window is open (latest lo, earliest hi), and their ids.
        self._everyone: dict[int, tuple[datetime, datetime, dict[str, int]]] = {}
        #: Per meeting and time: who may vote in person then -> their person id.
        self._eligible: dict[tuple[int, datetime], dict[str, int]] = {}

    def refuse(self, row: int, column: str | None, msg: Msg) -> None:
        if not self.careful:
            raise Irregular
        self.problems.append(Problem(row, column, msg))

    def ballot(self, motion_key: str, row: int) -> _Ballot | None:
        """The motion's ballot (None, and the problem, for a motion that does not exist)."""
        found = self.ballots.get(motion_key)
        if found is None:
            motion = self.loaded.motions.get(motion_key)
            if motion is None:
                self.refuse(row, "motion", _no_motion(motion_key))
                return None
            found = self.ballots[motion_key] = _ballot(self.loaded, motion)
        return found

    def windows(self, ballot: _Ballot) -> dict[str, tuple[datetime, datetime, int]]:
        meeting_id = ballot.motion.meeting_id
        found = self._windows.get(meeting_id)
        if found is None:
            people = self.people
            found = self._windows[meeting_id] = {
                p: (lo, hi, people[p])
                for p, (lo, hi) in ballot.judge.windows().items()
                if p in people
            }
        return found

    def run(self, ballot: _Ballot, persons: list[str], choices: list[str], at: datetime) -> bool:
        """Record `persons`' votes (`choices`), all in person at `at`, if each is accepted at a
        glance (a window holds `at`, no repeats, none voted or recused): True; else False,
        nothing recorded, and the rows are to be judged one by one."""
        if not ballot.open or at < ballot.opened:
            return False
        meeting_id = ballot.motion.meeting_id
        everyone = self._everyone.get(meeting_id)
        if everyone is None:
            windows = self.windows(ballot)
            everyone = self._everyone[meeting_id] = (
                max((lo for lo, _, _ in windows.values()), default=ballot.opened),
                min((hi for _, hi, _ in windows.values()), default=ballot.opened),
                {p: pid for p, (_, _, pid) in windows.items()},
            )
        if everyone[0] <= at < everyone[1]:  # the usual case: everyone's window is open
            eligible = everyone[2]
        else:
            key = (meeting_id, at)
            found = self._eligible.get(key)
            if found is None:
                found = self._eligible[key] = {
                    p: pid for p, (lo, hi, pid) in self.windows(ballot).items() if lo <= at < hi
                }
            eligible = found
        unique = set(persons)
        if (
            len(unique) != len(persons)
            or not unique <= eligible.keys()
            or not unique.isdisjoint(ballot.voted)
            or not unique.isdisjoint(ballot.recused)
        ):
            return False
        ballot.voted |= unique
        self.inserts.extend(
            zip(
                repeat(ballot.motion.id),
                map(eligible.__getitem__, persons),
                choices,
                repeat(self.writer.time(at)),
                repeat(None),
            )
        )
        for chosen in dict.fromkeys(choices):  # in the order of their first vote, as `one`
            ballot.cast[chosen].extend(compress(persons, map(chosen.__eq__, choices)))
        return True

    def one(
        self,
        ballot: _Ballot,
        person: str,
        chosen: str,
        at: datetime,
        given_by: str | None,
        row: int,
    ) -> None:
        """Judge and record one vote."""
        voted = ballot.voted
        if given_by is None and ballot.open and ballot.opened <= at:
            # The common case, a member present voting in person in time: a few comparisons.
            window = self.windows(ballot).get(person)
            if (
                window is not None
                and window[0] <= at < window[1]
                and person not in voted
                and person not in ballot.recused
            ):
                voted.add(person)
                self.inserts.append(
                    (ballot.motion.id, window[2], chosen, self.writer.time(at), None)
                )
                ballot.cast[chosen].append(person)
                return
        people = self.people
        person_id = people.get(person)
        if person_id is None:
            self.refuse(row, "person", _no_person(person))
            return
        by, holder_id = given_by, None
        if by is not None:
            if by == person:
                by = None  # cast in person: stored without a holder
            else:
                holder_id = people.get(by)
                if holder_id is None:
                    self.refuse(row, "by", _no_person(by))
                    return
        if ballot.stored:
            old = ballot.stored.get(person)
            if old is not None and old == (chosen, at, by):
                if not self.careful:  # the careful path has had its duplicates removed already
                    if person in ballot.same:
                        raise Irregular  # the same row twice: the careful path says so
                    ballot.same.add(person)
                self.unchanged += 1
                return
        if ballot.frozen is not None:
            self.refuse(row, None, ballot.frozen)
            return
        # Anything else gets `check_vote`'s exact answer (which may still accept it).
        refusal = ballot.judge.check(
            ballot.motion.core, person, at, given_by, ballot.recused, voted
        )
        if refusal is not None:
            self.refuse(row, None, refusal)
            return
        if by is not None:
            ballot.proxies[person] = by
        voted.add(person)
        self.inserts.append((ballot.motion.id, person_id, chosen, self.writer.time(at), holder_id))
        ballot.cast[chosen].append(person)

    def plan(self) -> Plan:
        plan = Plan(self.problems, created=len(self.inserts), unchanged=self.unchanged)
        writer, inserts, ctx, ballots = self.writer, self.inserts, self.ctx, self.ballots

        def write(conn: Connection) -> None:
            writer.insert(
                conn, "vote", ("motion_id", "person_id", "choice", "at", "cast_by_id"), inserts
            )
            write_audit(
                conn,
                ctx,
                "vote",
                [
                    AuditEntry(
                        "create",
                        ballot.motion.key,
                        {"file": ctx.file, **ballot.cast, "cast_by": ballot.proxies},
                    )
                    for ballot in ballots.values()
                    if ballot.cast
                ],
            )

        plan.write = write
        return plan


VOTES_IMPORT = ImportKind(
    name="votes",
    entity="vote",
    columns=_vote_columns,
    natural_key=_motion_person_key,
    key_columns="motion, person",
    plan=_plan_votes,
    fast=_fast_votes,
)
