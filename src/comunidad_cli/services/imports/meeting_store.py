"""What the import kinds of a meeting's record share: columns that remember what they parsed,
the stored meetings and motions read in bulk, writing in bulk, and the messages of refusals.

Each kind loads what it needs for all the meetings of its file with a handful of queries
(`Meetings`, `load_motions`, `select_in` in chunks of `CHUNK` keys) and writes with one
bulk insert per table (`Writer`: an executemany on SQLite, a COPY on PostgreSQL) in the
import's single transaction.

All of it goes through the storage API's DB-API connection (`storage.dbapi.Db`), on the
fast lane and the careful path alike: no SQLAlchemy imported at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from comunidad_cli.core.governance import model as core
from comunidad_cli.core.governance.frozen import closed_refusal, outside_meeting
from comunidad_cli.core.importing.columns import Problem
from comunidad_cli.core.importing.invalid import Parser
from comunidad_cli.core.importing.values import parse_datetime
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.imports.kinds import (
    Plan,
)

if TYPE_CHECKING:  # the by-laws and the vote judge load with the kinds that judge votes
    from comunidad_cli.core.bylaws.model import Bylaws
    from comunidad_cli.core.governance.bulk import VoteJudge
    from comunidad_cli.storage.dbapi import Db


T = TypeVar("T")


#: Keys per `IN (...)` list: well under every database's limit of bound parameters.
CHUNK = 500
#: Distinct values a column remembers the parsed value of (ids and times repeat a lot).
MEMO_MAX = 100_000
#: "00" to "59": minutes and seconds as `isoformat` writes them (`Writer.forms`).
_TWO = tuple(f"{n:02d}" for n in range(60))


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
    shown in the workspace's zone.

    Not memoised here: the engine parses a column's cells through one memo already (the fast
    lane's `CellMemo`, the careful path's per-field memo), and a second one cost a call and a
    dictionary entry for each of a file's distinct times."""

    from comunidad_cli.services.facts import on_clocks

    def parse_instant(value: str) -> datetime:
        return on_clocks(parse_datetime(value, zone), zone)

    return parse_instant


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


def select_in(conn: Db, sql: str, values: Iterable[Any], **params: Any) -> list[tuple[Any, ...]]:
    """Rows of `sql`, whose `IN :values` gets `values` a chunk at a time."""
    from comunidad_cli.storage.dbapi import in_list

    db = conn
    unique = sorted(set(values), key=str)
    rows: list[tuple[Any, ...]] = []
    for chunk in chunks(unique):
        marks, bound = in_list("values", chunk)
        rows.extend(db.rows(sql.replace("IN :values", f"IN ({marks})"), {**params, **bound}))
    return rows


def _aware(value: datetime | str, zone: tzinfo) -> datetime:
    """A stored time on the workspace's clocks (`facts.on_clocks`: fixed offsets)."""
    from comunidad_cli.services.facts import on_clocks

    return on_clocks(value, zone)


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def people_ids(conn: Db) -> dict[str, int]:
    return {key: pid for pid, key in conn.rows("SELECT id, key FROM person")}


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

    def __init__(self, conn: Db, zone: tzinfo) -> None:
        self.db = conn
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
        self._add(select_in(self.db, f"{self._COLUMNS} WHERE key IN :values", wanted))
        return self.by_key

    def load_ids(self, ids: Iterable[int]) -> dict[int, StoredMeeting]:
        wanted = [i for i in set(ids) if i not in self.by_id]
        self._add(select_in(self.db, f"{self._COLUMNS} WHERE id IN :values", wanted))
        return self.by_id

    def bylaws(self, meeting: StoredMeeting) -> Bylaws:
        """The by-laws version the meeting was called under."""
        found = self._bylaws.get(meeting.version_id)
        if found is None:
            from comunidad_cli.services.facts import bylaws_from_content

            content = self.db.value(
                "SELECT content FROM bylaws_version WHERE id = :id", {"id": meeting.version_id}
            )
            assert content is not None  # the meeting's foreign key
            found = self._bylaws[meeting.version_id] = bylaws_from_content(content)
        return found

    def seats(self, meeting: StoredMeeting) -> tuple[core.Seat, ...]:
        """Every seat on the meeting's body (under its by-laws id), whatever its dates."""
        pair = (meeting.bylaws_id, meeting.body)
        found = self._seats.get(pair)
        if found is None:
            found = self._seats[pair] = tuple(
                core.Seat(key, body, member_class, _day(start) or date.min, _day(end), role)
                for key, body, member_class, start, end, role in self.db.rows(
                    "SELECT p.key, s.body, s.member_class, s.start, s.end, s.role FROM seat s"
                    " JOIN person p ON p.id = s.person_id"
                    " WHERE s.bylaws_id = :bylaws AND s.body = :body",
                    {"bylaws": meeting.bylaws_id, "body": meeting.body},
                )
            )
        return found

    def attendance(self) -> dict[int, list[core.AttendanceEvent]]:
        """The stored arrivals and departures of every meeting loaded so far."""
        if self._attendance is None:
            time = self.time
            found: dict[int, list[core.AttendanceEvent]] = defaultdict(list)
            for mid, key, at, arrived in select_in(
                self.db,
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
                self.db,
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
            from comunidad_cli.core.governance.bulk import VoteJudge

            meeting = self.by_id[meeting_id]
            found = self._judges[meeting_id] = VoteJudge(
                self.bylaws(meeting),
                meeting.core,
                self.seats(meeting),
                self.attendance().get(meeting_id, ()),
                self.proxies().get(meeting_id, ()),
            )
        return found


def load_motions(conn: Db, keys: Iterable[str], zone: tzinfo) -> dict[str, StoredMotion]:
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
    """Bulk inserts on the import's connection through the storage API (`Db.insert_rows`:
    one executemany on SQLite, as fast as raw sqlite3; one COPY on PostgreSQL). Times go in
    as the schema stores them (aware UTC datetimes on PostgreSQL, as `Db.instant`)."""

    def __init__(self, conn: Db) -> None:
        self.sqlite = conn.dialect == "sqlite"
        self.times: dict[datetime, Any] = {}
        self._iso: dict[datetime, str] = {}

    def time(self, value: datetime) -> Any:
        """A time as the database column takes it (UTC; text on SQLite, as the ORM writes)."""
        found = self.times.get(value)
        if found is None:
            if len(self.times) >= MEMO_MAX:
                self.times.clear()
            utc = value.astimezone(UTC)
            # SQLAlchemy's text form, zero-padded; isoformat is several times faster than
            # strftime (a file of 15,000 distinct times spent 0.05 s in it), and cutting its
            # "+00:00" cheaper than a naive copy of the time.
            found = self.times[value] = (
                utc.isoformat(" ", "microseconds")[:-6] if self.sqlite else utc
            )
        return found

    def forms(
        self, values: Collection[datetime]
    ) -> tuple[dict[datetime, Any], dict[datetime, str]]:
        """Distinct times as stored (`time`) and as audited (`iso`), each converted once,
        without the memos (a year of sign-in sheets has 15,000 distinct times).

        The texts are `isoformat`'s, made from an hour's text (formatted once per hour and
        offset) and the minutes and seconds: `isoformat` costs some 10,000 instructions a
        call, two a time. Only for fixed offsets (`on_clocks` puts every time on one); a
        time in a zone whose offset may change within the hour is formatted whole."""
        stored: dict[datetime, Any] = {}
        audited: dict[datetime, str] = {}
        local_hours: dict[tuple[int, int, int, int, tzinfo], tuple[str, str]] = {}
        utc_hours: dict[tuple[int, int, int, int], str] = {}
        two = _TWO
        sqlite = self.sqlite
        for value in values:
            zone = value.tzinfo
            if zone.__class__ is timezone:
                key = (value.year, value.month, value.day, value.hour, zone)
                hour = local_hours.get(key)
                if hour is None:  # "YYYY-MM-DDTHH:" and the offset, "+HH:MM"
                    text = value.replace(minute=0, second=0, microsecond=0).isoformat()
                    hour = local_hours[key] = (text[:14], text[19:])
                fraction = value.microsecond
                audited[value] = (
                    f"{hour[0]}{two[value.minute]}:{two[value.second]}"
                    f"{f'.{fraction:06d}' if fraction else ''}{hour[1]}"
                )
            else:
                audited[value] = value.isoformat()
            utc = value.astimezone(UTC)
            if not sqlite:
                stored[value] = utc
                continue
            utc_key = (utc.year, utc.month, utc.day, utc.hour)
            prefix = utc_hours.get(utc_key)
            if prefix is None:  # "YYYY-MM-DD HH:"
                prefix = utc_hours[utc_key] = utc.replace(minute=0).isoformat(" ")[:14]
            # `time`'s text form: isoformat with microseconds, without the offset.
            stored[value] = f"{prefix}{two[utc.minute]}:{two[utc.second]}.{utc.microsecond:06d}"
        return stored, audited

    def flag(self, value: bool) -> Any:
        """A boolean as the column takes it: 0 or 1 on SQLite, which is what sqlite3 stores
        for a bool, bound without first asking its adapter registry about the type of every
        value (a sixth of the instructions of a 100,000-row executemany); a bool elsewhere."""
        return int(value) if self.sqlite else value

    def iso(self, value: datetime) -> str:
        """A time for the audit log: ISO 8601 with its offset."""
        found = self._iso.get(value)
        if found is None:
            if len(self._iso) >= MEMO_MAX:
                self._iso.clear()
            found = self._iso[value] = value.isoformat()
        return found

    def insert(
        self,
        conn: Db,
        table: str,
        columns: Sequence[str],
        rows: Iterable[tuple[Any, ...]],
    ) -> None:
        conn.insert_rows(table, columns, rows)


# --- messages shared by the kinds --------------------------------------------------------------


def _closed(meeting: core.Meeting) -> Msg:
    """`facts.still_open`'s refusal, for a meeting known to be closed."""
    refusal = closed_refusal(meeting)
    assert refusal is not None
    return refusal


def _outside(meeting: core.Meeting, at: datetime) -> Msg | None:
    """`facts.within_meeting`: during the meeting (`frozen.outside_meeting`)."""
    opened = meeting.opened_at.tzinfo
    return outside_meeting(meeting, at if at.tzinfo is opened else _aware(at, _zone()))


def _needs_workspace(plan: Plan) -> Plan:
    plan.problems.append(
        Problem(
            None,
            None,
            Msg.of(N_('importing meetings needs a workspace with by-laws: run "comunidad init"')),
        )
    )
    return plan
