"""Loading what the governance engine judges from the database, as core facts.

The engine is pure: it gets frozen dataclasses (seats, attendance, proxies, votes) and the
by-laws model of the version the meeting was called under, rebuilt from the stored text,
so a tally can be re-derived later even after the file in bylaws/ was amended.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from comunidad_cli.core.governance import model as core
from comunidad_cli.core.messages import Msg
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.suggest import no_meeting, no_motion, no_person
from comunidad_cli.storage import governance as stored
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.governance import MeetingRow, MotionRow

if TYPE_CHECKING:  # loaded where a stored by-laws text is read (`bylaws_from_content`)
    from comunidad_cli.core.bylaws.model import Bylaws


def local_zone() -> tzinfo:
    """The workspace's wall-clock zone (`clock.zone`): times typed without an offset are in it."""
    from comunidad_cli import clock

    return clock.zone()


@lru_cache(maxsize=64)
def _fixed(offset: timedelta) -> tzinfo:
    """One tzinfo object per offset: times sharing it compare without asking for offsets."""
    return timezone(offset)


def on_clocks(value: datetime | str, zone: tzinfo | None = None) -> datetime:
    """An instant as the workspace's clocks showed it, with that moment's fixed offset.

    Not the zone object itself: Python compares two times sharing one tzinfo by their wall
    clock, so in the hour the clocks repeat (fall back) 23:10 the second time would count as
    before 23:50 the first time. With fixed offsets they compare as the instants they are.
    """
    instant = aware(value)
    offset = instant.astimezone(zone if zone is not None else local_zone()).utcoffset()
    assert offset is not None
    # The same wall time, fixed offset and fold 0 as `local.replace(tzinfo=..., fold=0)`,
    # at a third of the cost (an import converts every distinct time of its file).
    return instant.astimezone(_fixed(offset))


@lru_cache(maxsize=16)
def bylaws_from_content(content: str) -> Bylaws:
    """The model of a stored by-laws text (it was valid when stored)."""
    # The linter (with its rule tables) only here: an import of attendance or votes puts
    # times on the clocks (`on_clocks`) and never reads a by-laws text.
    from comunidad_cli.core.bylaws.lint import Context, check_document

    model, _ = check_document(tomllib.loads(content), Context(today=date.min))
    assert model is not None
    return model


def store_bylaws_version(db: Db, bylaws_id: str, content: str, sha256: str, at: datetime) -> int:
    """The id of this exact text in bylaws_version, adding it the first time it is used."""
    found = stored.bylaws_version_id(db, sha256)
    if found is not None:
        return found
    return stored.add_bylaws_version(db, bylaws_id=bylaws_id, sha256=sha256, content=content, at=at)


def person_id(db: Db, key: str) -> int:
    from comunidad_cli.storage.directory import person_id as find

    found = find(db, key)
    if found is None:
        raise ServiceError(no_person(db, key))
    return found


def meeting_row(db: Db, key: str) -> MeetingRow:
    """The meeting `key`, refused with a pointer to `meeting list` when there is none."""
    found = stored.meeting_by_key(db, key)
    if found is None:
        raise ServiceError(no_meeting(db, key))
    return found


def motion_row(db: Db, key: str) -> MotionRow:
    """The motion `key`, refused with a pointer to `meeting show` when there is none."""
    found = stored.motion_by_key(db, key)
    if found is None:
        raise ServiceError(no_motion(db, key))
    return found


@dataclass(frozen=True)
class MeetingFacts:
    """Everything the engine needs about one meeting, keyed by person keys."""

    bylaws: Bylaws
    bylaws_sha256: str
    meeting: core.Meeting
    seats: tuple[core.Seat, ...]
    attendance: tuple[core.AttendanceEvent, ...]
    proxies: tuple[core.Proxy, ...]
    names: dict[str, str]


def meeting_facts(db: Db, meeting: MeetingRow) -> MeetingFacts:
    """Load one meeting's facts in a handful of queries (no per-row lookups)."""
    content, sha256 = stored.bylaws_version(db, meeting.bylaws_version_id)
    seats = tuple(
        core.Seat(person, body, member_class, start, end, role)
        for _, person, body, member_class, start, end, role in stored.seats(
            db, meeting.bylaws_id, meeting.body
        )
    )
    attendance = tuple(
        core.AttendanceEvent(key, on_clocks(at), arrived)
        for key, at, arrived in stored.attendance(db, meeting.id)
    )
    proxies = tuple(core.Proxy(holder, giver) for holder, giver in stored.proxies(db, meeting.id))
    return MeetingFacts(
        bylaws=bylaws_from_content(content),
        bylaws_sha256=sha256,
        meeting=core.Meeting(
            meeting.key,
            meeting.body,
            on_clocks(meeting.scheduled_at),
            on_clocks(meeting.ended_at) if meeting.ended_at is not None else None,
        ),
        seats=seats,
        attendance=attendance,
        proxies=proxies,
        names=stored.meeting_names(db, meeting.bylaws_id, meeting.body, meeting.id),
    )


def aware(value: datetime | str) -> datetime:
    """Stored times are UTC; raw SQL hands SQLite's text back, the ORM a datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def motion_facts(
    db: Db, motion: MotionRow
) -> tuple[core.Motion, frozenset[str], dict[str, str], tuple[core.Vote, ...]]:
    """A motion's core view, who recused (with reasons) and its votes so far."""
    recusals = stored.recusals(db, motion.id)
    votes = tuple(
        core.Vote(key, core.Choice(choice), on_clocks(at), by)
        for key, choice, at, by in stored.votes(db, motion.id)
    )
    closed = on_clocks(motion.closed_at) if motion.closed_at is not None else None
    return (
        core.Motion(motion.key, on_clocks(motion.opened_at), closed),
        frozenset(recusals),
        recusals,
        votes,
    )


def meeting_row_by_id(db: Db, meeting_id: int) -> MeetingRow:
    """The meeting with row id `meeting_id` (a motion's or a vote's: it exists)."""
    found = stored.meeting_by_id(db, meeting_id)
    assert found is not None
    return found


def still_open(meeting: core.Meeting) -> None:
    """A closed meeting's record is final: refuse to add to it (a correction is the way)."""
    from comunidad_cli.core.governance.frozen import closed_refusal

    refusal = closed_refusal(meeting)
    if refusal is not None:
        raise ServiceError(refusal)


def within_meeting(meeting: core.Meeting, at: datetime) -> None:
    """Attendance, motions and votes happen during the meeting (`frozen.outside_meeting`):
    on its day or after it started (past midnight too), and not after it ended."""
    from comunidad_cli.core.governance.frozen import outside_meeting

    refusal = outside_meeting(meeting, on_clocks(at))
    if refusal is not None:
        raise ServiceError(refusal)


def resolve_time(at: datetime | str | None, meeting: core.Meeting, now: datetime) -> datetime:
    """A typed time ("18:30" means on the meeting's day; "00:20" long before the meeting
    started is refused as a question, see `after_midnight_question`), a datetime, or now."""
    from comunidad_cli.core.governance.frozen import after_midnight_question
    from comunidad_cli.core.when import clock_change, clock_only, parse_when

    if at is None:
        return on_clocks(now)
    if isinstance(at, datetime):
        return on_clocks(at)
    parsed = parse_when(at, local_zone(), meeting.day)
    if isinstance(parsed, Msg):
        raise ServiceError(parsed, exit_code=1 if clock_change(parsed) else 2)
    when = on_clocks(parsed)  # a time typed with another offset, on the workspace's clocks
    question = after_midnight_question(meeting, when, at.strip()) if clock_only(at) else None
    if question is not None:
        raise ServiceError(question)
    return when
