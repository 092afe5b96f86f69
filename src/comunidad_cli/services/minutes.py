"""Minutes: drafted from the record, signed off as a frozen text, corrected beside it.

A signed version never changes: a later correction is stored as a correction of that
version, and printed after it, as a secretary would annotate the book of minutes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.bylaws.describe import describe_rule
from comunidad_cli.core.governance.quorum import voting_members
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services import facts
from comunidad_cli.services.errors import ServiceError, typed_text


@dataclass(frozen=True)
class MotionRecord:
    key: str
    title: str
    decision: str
    rule: Msg
    opened_at: datetime
    closed_at: datetime | None
    result: dict[str, Any] | None


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


def minutes_data(url: str, meeting_key: str) -> MinutesData:
    from sqlmodel import col, select

    from comunidad_cli.services.session import reading
    from comunidad_cli.storage.tables import Motion

    with reading(url) as session:
        meeting = facts.meeting_row(session, meeting_key)
        loaded = facts.meeting_facts(session, meeting)
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
        for row in session.exec(
            select(Motion).where(Motion.meeting_id == meeting.id).order_by(col(Motion.opened_at))
        ).all():
            _, _, rule = _decision_rule(loaded.bylaws, row.decision)
            decision = loaded.bylaws.decisions.get(row.decision)
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
        )


def _decision_rule(bylaws: Any, decision: str) -> Any:
    from comunidad_cli.core.governance.tally import decision_of

    return decision_of(bylaws, decision)


@dataclass(frozen=True)
class SignedMinutes:
    version: int
    locale: str
    content: str
    sha256: str
    signed_at: datetime
    signed_by: str
    corrections: tuple[tuple[datetime, str, str], ...]  # at, by, text


def sign(url: str, meeting_key: str, *, content: str, locale: str, by: str) -> SignedMinutes:
    """Freeze `content` as the next signed version of the meeting's minutes."""
    from sqlmodel import func, select

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.tables import Minutes

    if not by.strip():
        raise ServiceError.of(N_("say who signs the minutes (--by NAME)"), exit_code=2)
    typed_text(by, "--by")
    now = clock.now()
    with writing(url) as session:
        meeting = facts.meeting_row(session, meeting_key)
        if meeting.ended_at is None:
            raise ServiceError.of(
                N_("meeting {meeting} is still open: close it before signing its minutes"),
                meeting=meeting_key,
            )
        latest = session.exec(
            select(func.max(Minutes.version)).where(Minutes.meeting_id == meeting.id)
        ).one()
        version = (latest or 0) + 1
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        session.add(
            Minutes(
                meeting_id=facts.row_id(meeting.id),
                version=version,
                locale=locale,
                content=content,
                sha256=digest,
                signed_at=now,
                signed_by=by.strip(),
            )
        )
        audit.record(
            session,
            command="meeting minutes",
            action="create",
            entity="minutes",
            entity_id=meeting_key,
            detail={"version": version, "sha256": digest, "by": by.strip()},
            at=now,
        )
    return SignedMinutes(version, locale, content, digest, now, by.strip(), ())


def latest_signed(url: str, meeting_key: str) -> SignedMinutes | None:
    from sqlmodel import col, select

    from comunidad_cli.services.session import reading
    from comunidad_cli.storage.tables import Minutes, MinutesCorrection

    with reading(url) as session:
        meeting = facts.meeting_row(session, meeting_key)
        row = session.exec(
            select(Minutes)
            .where(Minutes.meeting_id == meeting.id)
            .order_by(col(Minutes.version).desc())
        ).first()
        if row is None:
            return None
        corrections = session.exec(
            select(MinutesCorrection)
            .where(MinutesCorrection.minutes_id == row.id)
            .order_by(col(MinutesCorrection.at))
        ).all()
        zone = facts.local_zone()
        return SignedMinutes(
            row.version,
            row.locale,
            row.content,
            row.sha256,
            facts.aware(row.signed_at).astimezone(zone),
            row.signed_by,
            tuple((facts.aware(c.at).astimezone(zone), c.by, c.text) for c in corrections),
        )


def correct(url: str, meeting_key: str, *, text: str, by: str) -> int:
    """Record a correction to the latest signed minutes; returns that version."""
    from sqlmodel import col, select

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.tables import Minutes, MinutesCorrection

    if not text.strip() or not by.strip():
        raise ServiceError.of(
            N_("a correction needs its text (--text) and who makes it (--by)"), exit_code=2
        )
    typed_text(text, "--text")
    typed_text(by, "--by")
    now = clock.now()
    with writing(url) as session:
        meeting = facts.meeting_row(session, meeting_key)
        row = session.exec(
            select(Minutes)
            .where(Minutes.meeting_id == meeting.id)
            .order_by(col(Minutes.version).desc())
        ).first()
        if row is None:
            raise ServiceError.of(
                N_(
                    "the minutes of {meeting} are not signed yet: edit the draft instead, then sign it"
                ),
                meeting=meeting_key,
            )
        session.add(
            MinutesCorrection(
                minutes_id=facts.row_id(row.id), at=now, text=text.strip(), by=by.strip()
            )
        )
        audit.record(
            session,
            command="meeting correct",
            action="create",
            entity="minutes_correction",
            entity_id=meeting_key,
            detail={"version": row.version, "text": text.strip(), "by": by.strip()},
            at=now,
        )
        return row.version
