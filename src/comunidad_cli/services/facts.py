"""Loading what the governance engine judges from the database, as core facts.

The engine is pure: it gets frozen dataclasses (seats, attendance, proxies, votes) and the
by-laws model of the version the meeting was called under, rebuilt from the stored text,
so a tally can be re-derived later even after the file in bylaws/ was amended.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from comunidad_cli.core.bylaws.lint import Context, check_document
from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance import model as core
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlmodel import Session

    from comunidad_cli.storage.tables import Meeting, Motion


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
    local = aware(value).astimezone(zone if zone is not None else local_zone())
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=_fixed(offset), fold=0)


@lru_cache(maxsize=16)
def bylaws_from_content(content: str) -> Bylaws:
    """The model of a stored by-laws text (it was valid when stored)."""
    model, _ = check_document(tomllib.loads(content), Context(today=date.min))
    assert model is not None
    return model


def store_bylaws_version(
    session: Session, bylaws_id: str, content: str, sha256: str, at: datetime
) -> int:
    """The id of this exact text in bylaws_version, adding it the first time it is used."""
    from sqlmodel import select

    from comunidad_cli.storage.tables import BylawsVersion

    found = session.exec(select(BylawsVersion).where(BylawsVersion.sha256 == sha256)).first()
    if found is not None:
        assert found.id is not None
        return found.id
    row = BylawsVersion(bylaws_id=bylaws_id, sha256=sha256, content=content, loaded_at=at)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def person_id(session: Session, key: str) -> int:
    from sqlmodel import select

    from comunidad_cli.storage.tables import Person

    found = session.exec(select(Person.id).where(Person.key == key)).first()
    if found is None:
        raise ServiceError.of(
            N_(
                'no person "{key}": add them with "comunidad person add" or check "comunidad person list"'
            ),
            key=key,
        )
    return found


def meeting_row(session: Session, key: str) -> Meeting:
    from sqlmodel import select

    from comunidad_cli.storage.tables import Meeting

    found = session.exec(select(Meeting).where(Meeting.key == key)).first()
    if found is None:
        raise ServiceError.of(N_('no meeting "{key}": see "comunidad meeting list"'), key=key)
    return found


def motion_row(session: Session, key: str) -> Motion:
    from sqlmodel import select

    from comunidad_cli.storage.tables import Motion

    found = session.exec(select(Motion).where(Motion.key == key)).first()
    if found is None:
        raise ServiceError.of(N_('no motion "{key}": see "comunidad meeting show"'), key=key)
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


def meeting_facts(session: Session, meeting: Meeting) -> MeetingFacts:
    """Load one meeting's facts in a handful of queries (no per-row lookups)."""
    from sqlalchemy import text

    from comunidad_cli.storage.tables import BylawsVersion

    version = session.get(BylawsVersion, meeting.bylaws_version_id)
    assert version is not None
    connection = session.connection()
    seats = tuple(
        core.Seat(
            r.key,
            r.body,
            r.member_class,
            date.fromisoformat(r.start),
            date.fromisoformat(r.end) if r.end else None,
            r.role,
        )
        for r in connection.execute(
            text(
                "SELECT p.key, s.body, s.member_class, s.start, s.end, s.role FROM seat s"
                " JOIN person p ON p.id = s.person_id WHERE s.bylaws_id = :bylaws AND s.body = :body"
            ),
            {"bylaws": meeting.bylaws_id, "body": meeting.body},
        )
    )
    attendance = tuple(
        core.AttendanceEvent(key, on_clocks(at), bool(arrived))
        for key, at, arrived in connection.execute(
            text(
                "SELECT p.key, a.at, a.arrived FROM attendance a JOIN person p ON p.id = a.person_id"
                " WHERE a.meeting_id = :meeting ORDER BY a.at, a.id"
            ),
            {"meeting": meeting.id},
        )
    )
    proxies = tuple(
        core.Proxy(holder, giver)
        for holder, giver in connection.execute(
            text(
                "SELECT h.key, g.key FROM proxy x JOIN person h ON h.id = x.holder_id"
                " JOIN person g ON g.id = x.giver_id WHERE x.meeting_id = :meeting ORDER BY x.id"
            ),
            {"meeting": meeting.id},
        )
    )
    names: dict[str, str] = {
        key: name
        for key, name in connection.execute(
            text(
                "SELECT key, name FROM person WHERE id IN (SELECT person_id FROM seat"
                " WHERE bylaws_id = :bylaws AND body = :body UNION SELECT person_id FROM attendance"
                " WHERE meeting_id = :meeting)"
            ),
            {"bylaws": meeting.bylaws_id, "body": meeting.body, "meeting": meeting.id},
        )
    }
    return MeetingFacts(
        bylaws=bylaws_from_content(version.content),
        bylaws_sha256=version.sha256,
        meeting=core.Meeting(
            meeting.key,
            meeting.body,
            on_clocks(meeting.scheduled_at),
            on_clocks(meeting.ended_at) if meeting.ended_at is not None else None,
        ),
        seats=seats,
        attendance=attendance,
        proxies=proxies,
        names=names,
    )


def aware(value: datetime | str) -> datetime:
    """Stored times are UTC; raw SQL hands SQLite's text back, the ORM a datetime."""
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def motion_facts(
    session: Session, motion: Motion
) -> tuple[core.Motion, frozenset[str], dict[str, str], tuple[core.Vote, ...]]:
    """A motion's core view, who recused (with reasons) and its votes so far."""
    from sqlalchemy import text

    connection = session.connection()
    recusals = {
        key: reason
        for key, reason in connection.execute(
            text(
                "SELECT p.key, r.reason FROM recusal r JOIN person p ON p.id = r.person_id WHERE r.motion_id = :m"
            ),
            {"m": motion.id},
        )
    }
    votes = tuple(
        core.Vote(key, core.Choice(choice), on_clocks(at), by)
        for key, choice, at, by in connection.execute(
            text(
                "SELECT p.key, v.choice, v.at, b.key FROM vote v JOIN person p ON p.id = v.person_id"
                " LEFT JOIN person b ON b.id = v.cast_by_id WHERE v.motion_id = :m ORDER BY v.at, v.id"
            ),
            {"m": motion.id},
        )
    )
    closed = on_clocks(motion.closed_at) if motion.closed_at is not None else None
    return (
        core.Motion(motion.key, on_clocks(motion.opened_at), closed),
        frozenset(recusals),
        recusals,
        votes,
    )


def meeting_row_by_id(session: Session, meeting_id: int) -> Meeting:
    from comunidad_cli.storage.tables import Meeting

    found = session.get(Meeting, meeting_id)
    assert found is not None
    return found


def row_id(value: int | None) -> int:
    """Rows read from the database always have their id."""
    assert value is not None
    return value


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
