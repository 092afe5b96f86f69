"""The `attendance` import kind: arrivals and departures, judged as `meeting attend` / `leave`.

Natural key (meeting, person, at, event); a row identical to the stored one is unchanged.
Both lanes (careful and fast) share the judging code (`_judge_attendance`); the audit log
gets one row per meeting listing the rows recorded, plus the import's summary row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from itertools import groupby, repeat
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.governance import model as core
from comunidad_cli.core.governance.frozen import MEETING_SPAN
from comunidad_cli.core.importing.columnar import Irregular
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.values import choice
from comunidad_cli.core.messages import Msg
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)
from comunidad_cli.services.imports.meeting_store import (
    Meetings,
    Writer,
    _closed,
    _outside,
    _zone,
    instant,
    memo,
    parse_reference,
    people_ids,
)
from comunidad_cli.services.suggest import no_meeting, no_person

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

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
    conn: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext
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
    conn: Db,
    columns: list[list[Any]],
    rows: range | None,
    present: frozenset[str],
    ctx: ImportContext,
) -> Plan:
    if rows is None:  # the audit lists each event's row
        raise Irregular
    plan = _first_arrivals(conn, columns, rows, ctx)
    if plan is not None:
        return plan
    return _judge_attendance(
        conn, set(columns[0]), zip(*columns, rows, strict=True), ctx, careful=False
    )


def _first_arrivals(
    conn: Db, columns: list[list[Any]], rows: range, ctx: ImportContext
) -> Plan | None:
    """The plan of a file of arrivals alone, one per member and meeting, at meetings with
    nothing recorded yet (a meeting's sign-in sheet: the usual first import), made a column
    at a time; None for anything else, which `_judge_attendance` judges row by row.

    It is `_judge_attendance`'s answer for such a file: with nothing stored and one arrival
    per person, no arrival can be refused but for an unknown meeting or person, a closed
    meeting or a time outside the meeting, and each of those sends the file there too.
    """
    meeting_col, person_col, at_col, event_col = columns
    if set(event_col) != {"arrive"}:
        return None
    keys = set(meeting_col)
    meetings = Meetings(conn, _zone())
    by_key = meetings.load_keys(keys)
    people = people_ids(conn)
    if not by_key.keys() >= keys or not people.keys() >= set(person_col):
        return None
    if meetings.attendance() or any(by_key[k].core.ended_at is not None for k in keys):
        return None
    mid_of = {key: meeting.id for key, meeting in by_key.items()}
    mids = list(map(mid_of.__getitem__, meeting_col))
    # The rows a run of one meeting's at a time (a sheet lists a meeting's arrivals
    # together; a meeting may come back later): sets and slices in C, no tuple a row.
    runs: list[tuple[int, int, int]] = []
    start = 0
    for mid, run in groupby(mids):
        runs.append((mid, start, start + len(list(run))))
        start = runs[-1][2]
    seated: dict[int, set[str]] = defaultdict(set)
    times: dict[int, set[datetime]] = defaultdict(set)
    for mid, start, end in runs:
        arrived = seated[mid]
        before = len(arrived)
        arrived.update(person_col[start:end])
        if len(arrived) != before + end - start:  # someone twice
            return None
        times[mid].update(at_col[start:end])
    # A time from the start of its meeting to MEETING_SPAN after is during it (the meeting
    # is open); only one outside that span asks `_outside` whether it is on the meeting's day.
    for mid, distinct_times in times.items():
        meeting = meetings.by_id[mid].core
        started, span_end = meeting.opened_at, meeting.opened_at + MEETING_SPAN
        for at in distinct_times:
            if not started <= at <= span_end and _outside(meeting, at) is not None:
                return None
    writer = Writer(conn)
    stored_at, audited_at = writer.forms(list(set().union(*times.values())))
    # The rows to insert, made as the insert reads them: one tuple, reused by `zip`, not a
    # list of a tuple a row kept until the end.
    inserts = zip(
        mids,
        map(people.__getitem__, person_col),
        map(stored_at.__getitem__, at_col),
        repeat(writer.flag(True), len(rows)),
        strict=True,
    )
    # The audit's events, listed by meeting a run at a time: built in C, each event a tuple
    # (JSON writes it as the same array a list would be), no list of every event first.
    audited = list(map(audited_at.__getitem__, at_col))
    listed: dict[int, list[Sequence[Any]]] = defaultdict(list)
    for mid, start, end in runs:
        listed[mid] += zip(
            rows[start:end], person_col[start:end], audited[start:end], repeat(EVENTS[0])
        )
    return _recorded(Plan(), meetings, writer, inserts, len(rows), listed, ctx)


def _judge_attendance(
    conn: Db,
    meeting_keys: set[str],
    events: Iterable[tuple[str, str, datetime, str, int]],
    ctx: ImportContext,
    *,
    careful: bool,
) -> Plan:
    """Judge arrivals and departures (meeting, person, at, event, row) as `meeting attend` and
    `meeting leave` would. Careful: every problem is collected; otherwise (the fast lane)
    the first one raises `Irregular`."""
    from comunidad_cli.core.governance.bulk import attendance_refusals

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
            refuse(row, "meeting", no_meeting(conn, meeting_key))
            continue
        if person not in people:
            refuse(row, "person", no_person(conn, person))
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
    listed: dict[int, list[Sequence[Any]]] = defaultdict(list)
    # A time as stored and as audited, once per distinct time (a meeting's arrivals share few).
    forms: dict[datetime, tuple[Any, str]] = {}
    flags = (writer.flag(False), writer.flag(True))
    for row, mid, person, at, arrived in accepted:
        form = forms.get(at)
        if form is None:
            form = forms[at] = (writer.time(at), writer.iso(at))
        inserts.append((mid, people[person], form[0], flags[arrived]))
        listed[mid].append([row, person, form[1], EVENTS[0 if arrived else 1]])
    return _recorded(plan, meetings, writer, inserts, len(inserts), listed, ctx)


def _recorded(
    plan: Plan,
    meetings: Meetings,
    writer: Writer,
    inserts: Iterable[tuple[Any, ...]],
    created: int,
    listed: Mapping[int, list[Sequence[Any]]],
    ctx: ImportContext,
) -> Plan:
    """`plan` with the accepted events to insert (`created` of them, read once, by the write)
    and one audit row per meeting listing them."""
    plan.created = created
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

    def write(conn: Db) -> None:
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
    amounts=False,
)
