"""Minutes: drafted from the record, signed off as a frozen text, corrected beside it.

A closed meeting's record never changes: a correction is a new, attributed record beside
it (who, when, why), printed in the minutes. Signed minutes are final: they are signed
once, and a correction then adds a new signed version that names the version it corrects
and why, as a secretary would annotate the book of minutes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.bylaws.describe import describe_rule
from comunidad_cli.core.governance.frozen import required_notice
from comunidad_cli.core.governance.quorum import voting_members
from comunidad_cli.core.governance.tally import decision_of
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services import facts
from comunidad_cli.services.errors import ServiceError, typed_text

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


@dataclass(frozen=True)
class MotionRecord:
    key: str
    title: str
    decision: str
    rule: Msg
    opened_at: datetime
    closed_at: datetime | None
    result: dict[str, Any] | None
    #: The days of notice the by-laws require for it, when the meeting's notice is unknown.
    notice_unrecorded: int | None = None


@dataclass(frozen=True)
class MinutesData:
    """Everything the minutes say, as data; the edge renders it in a language and format."""

    meeting: str
    title: str | None
    body_name: str
    bylaws_name: str
    bylaws_sha256: str
    kind: str
    scheduled_at: datetime
    ended_at: datetime | None
    attendees: tuple[
        tuple[str, str, bool, datetime, datetime | None], ...
    ]  # name, key, voting, in, out
    events: tuple[tuple[datetime, str, bool], ...]  # time, name, arrived
    proxies: tuple[tuple[str, str], ...]  # holder name, giver name
    motions: tuple[MotionRecord, ...] = field(default=())
    corrections: tuple[tuple[datetime, str, str], ...] = ()  # at, by, text


def minutes_data(url: str, meeting_key: str) -> MinutesData:
    """The minutes' data, read through the storage API (`reading_db`: no SQLAlchemy)."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.governance import motions_of

    with reading_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        loaded = facts.meeting_facts(db, meeting)
        names = loaded.names
        members = voting_members(loaded.bylaws, meeting.body, loaded.seats, loaded.meeting.day)
        first_in: dict[str, datetime] = {}
        last_out: dict[str, datetime | None] = {}
        for event in sorted(loaded.attendance, key=lambda e: e.at):
            if event.arrived:
                first_in.setdefault(event.person, event.at)
                last_out[event.person] = None
            else:
                last_out[event.person] = event.at
        zone = facts.local_zone()
        motions = []
        for row in motions_of(db, meeting.id):
            _, _, rule = decision_of(loaded.bylaws, row.decision)
            decision = loaded.bylaws.decisions.get(row.decision)
            needed = required_notice(loaded.bylaws, decision) if decision else None
            motions.append(
                MotionRecord(
                    key=row.key,
                    title=row.title,
                    decision=(decision.name or decision.id) if decision else row.decision,
                    rule=describe_rule(rule),
                    opened_at=facts.aware(row.opened_at).astimezone(zone),
                    closed_at=facts.aware(row.closed_at).astimezone(zone)
                    if row.closed_at
                    else None,
                    result=json.loads(row.snapshot) if row.snapshot else None,
                    notice_unrecorded=needed if meeting.notice_sent is None else None,
                )
            )
        return MinutesData(
            meeting=meeting.key,
            title=meeting.title,
            body_name=loaded.bylaws.bodies[meeting.body].name,
            bylaws_name=loaded.bylaws.name,
            bylaws_sha256=loaded.bylaws_sha256,
            kind=meeting.kind,
            scheduled_at=loaded.meeting.opened_at,
            ended_at=loaded.meeting.ended_at,
            attendees=tuple(
                sorted(
                    (names.get(k, k), k, k in members, first_in[k], last_out.get(k))
                    for k in first_in
                )
            ),
            events=tuple(
                (e.at, names.get(e.person, e.person), e.arrived)
                for e in sorted(loaded.attendance, key=lambda e: e.at)
            ),
            proxies=tuple(
                (names.get(p.holder, p.holder), names.get(p.giver, p.giver)) for p in loaded.proxies
            ),
            motions=tuple(motions),
            corrections=meeting_corrections(db, meeting.id),
        )


def meeting_corrections(db: Db, meeting_id: int) -> tuple[tuple[datetime, str, str], ...]:
    """The corrections recorded to a closed meeting (at, by, text), oldest first."""
    from comunidad_cli.storage.minutes import meeting_corrections as stored

    zone = facts.local_zone()
    return tuple((at.astimezone(zone), by, text) for at, by, text in stored(db, meeting_id))


@dataclass(frozen=True)
class SignedMinutes:
    version: int
    locale: str
    content: str
    sha256: str
    signed_at: datetime
    signed_by: str
    #: Corrections recorded to this version before 0004 (at, by, text); now a correction
    #: is a new signed version that `corrects` the previous one, for `reason`.
    corrections: tuple[tuple[datetime, str, str], ...]
    corrects: int | None = None
    reason: str | None = None


def _signed(row: Any, corrections: tuple[tuple[datetime, str, str], ...]) -> SignedMinutes:
    return SignedMinutes(
        row.version,
        row.locale,
        row.content,
        row.sha256,
        facts.aware(row.signed_at).astimezone(facts.local_zone()),
        row.signed_by,
        corrections,
        row.corrects,
        row.reason,
    )


def _final(meeting_key: str, version: int) -> ServiceError:
    return ServiceError.of(
        N_(
            "the minutes of {meeting} are signed (version {version}) and final: record a"
            ' correction with "comunidad meeting correct {meeting} --text TEXT --by NAME"'
        ),
        meeting=meeting_key,
        version=version,
    )


def sign(url: str, meeting_key: str, *, content: str, locale: str, by: str) -> SignedMinutes:
    """Freeze `content` as the signed minutes; signed once (corrections make new versions)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.minutes import add_minutes, latest_minutes

    if not by.strip():
        raise ServiceError.of(N_("say who signs the minutes (--by NAME)"), exit_code=2)
    typed_text(by, "--by")
    now = clock.now()
    with writing_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        if meeting.ended_at is None:
            raise ServiceError.of(
                N_("meeting {meeting} is still open: close it before signing its minutes"),
                meeting=meeting_key,
            )
        latest = latest_minutes(db, meeting.id)
        if latest is not None:
            raise _final(meeting_key, latest.version)
        version = 1
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        add_minutes(
            db,
            meeting_id=meeting.id,
            version=version,
            locale=locale,
            content=content,
            sha256=digest,
            signed_at=now,
            signed_by=by.strip(),
        )
        audit.record(
            db,
            command="meeting minutes",
            action="create",
            entity="minutes",
            entity_id=meeting_key,
            detail={"version": version, "sha256": digest, "by": by.strip()},
            at=now,
            actor=by,
        )
    signed_at = now.astimezone(facts.local_zone())  # as `latest_signed` shows it later
    return SignedMinutes(version, locale, content, digest, signed_at, by.strip(), ())


def latest_signed(url: str, meeting_key: str) -> SignedMinutes | None:
    """The latest signed version, read through the storage API (`reading_db`: no SQLAlchemy)."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.minutes import latest_minutes, minutes_corrections

    with reading_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        row = latest_minutes(db, meeting.id)
        if row is None:
            return None
        zone = facts.local_zone()
        return _signed(
            row,
            tuple(
                (at.astimezone(zone), by, text) for at, by, text in minutes_corrections(db, row.id)
            ),
        )


@dataclass(frozen=True)
class Corrected:
    """A recorded correction: the signed version it made (and the one it corrects), if any."""

    version: int | None = None
    corrects: int | None = None


#: Writes a new signed version's content: the previous version, the correction's time.
Amend = Callable[[SignedMinutes, datetime], str]


def correct(url: str, meeting_key: str, *, text: str, by: str, amend: Amend) -> Corrected:
    """Record a correction to a closed meeting, beside its record, never over it.

    Minutes not yet signed print it in their draft. Once signed, the correction also makes
    a new signed version (signed by `by`, content from `amend`) that names the version it
    corrects and says why; the earlier versions stay as they were.
    """
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.minutes import (
        add_meeting_correction,
        add_minutes,
        latest_minutes,
        minutes_corrections,
    )

    text, by = text.strip(), by.strip()
    if not text or not by:
        raise ServiceError.of(
            N_("a correction needs its text (--text) and who makes it (--by)"), exit_code=2
        )
    typed_text(text, "--text")
    typed_text(by, "--by")
    now = clock.now()
    with writing_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        if meeting.ended_at is None:
            raise ServiceError.of(
                N_(
                    "meeting {meeting} is still open: record what happened with its commands;"
                    " a correction is for a closed meeting"
                ),
                meeting=meeting_key,
            )
        row = latest_minutes(db, meeting.id)
        result = Corrected()
        if row is not None:
            zone = facts.local_zone()
            legacy = minutes_corrections(db, row.id)
            previous = _signed(row, tuple((at.astimezone(zone), b, t) for at, b, t in legacy))
            content = amend(previous, now.astimezone(zone))
            version = row.version + 1
            result = Corrected(version, row.version)
            digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
            add_minutes(
                db,
                meeting_id=meeting.id,
                version=version,
                locale=row.locale,
                content=content,
                sha256=digest,
                signed_at=now,
                signed_by=by,
                corrects=row.version,
                reason=text,
            )
        add_meeting_correction(
            db, meeting_id=meeting.id, at=now, text=text, by=by, minutes_version=result.version
        )
        audit.record(
            db,
            command="meeting correct",
            action="create",
            entity="meeting_correction",
            entity_id=meeting_key,
            detail={
                "text": text,
                "by": by,
                "minutes_version": result.version,
                "corrects": result.corrects,
            },
            at=now,
            actor=by,
        )
    return result
