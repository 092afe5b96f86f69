"""Meetings: calling them, who comes and goes (and when), proxies, closing them.

Every command is one transaction with an audit row. Quorum is never stored: it is judged
from the attendance log at the moment it is asked about, as the by-laws say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.governance import model as core
from comunidad_cli.core.governance.bulk import attendance_refusals
from comunidad_cli.core.governance.quorum import QuorumResult, judge_quorum, voting_members
from comunidad_cli.core.governance.votes import check_proxy
from comunidad_cli.core.importing.ids import make_id
from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.services import facts
from comunidad_cli.services.errors import ServiceError, typed_key, typed_text
from comunidad_cli.storage.dbapi import Db

KINDS = ("regular", "special")
COMMAND = "meeting"


@dataclass(frozen=True)
class Created:
    key: str
    warnings: tuple[Msg, ...] = ()


def new_meeting(
    url: str,
    bylaws_folder: Path,
    *,
    body: str,
    at: datetime,
    kind: str = "regular",
    notice_sent: date | None = None,
    bylaws_id: str | None = None,
    key: str | None = None,
    title: str | None = None,
) -> Created:
    """Call a meeting of `body` under the by-laws in force today; warns on short notice."""
    from comunidad_cli.services.bylaws import in_workspace
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.directory import Taken
    from comunidad_cli.storage.governance import add_meeting, meeting_at

    at = at.astimezone(facts.local_zone())  # its day is the day on the workspace's clocks
    from comunidad_cli.core.choices import parse as parse_word

    found = parse_word(kind, KINDS)
    if isinstance(found, Msg):
        raise ServiceError.of(N_("--kind: {problem}"), exit_code=2, problem=found)
    kind = found
    if title is not None:
        typed_text(title, "--title")
    if key is not None:
        typed_key(key, "--id")
    loaded = in_workspace(bylaws_folder, bylaws_id, clock.today())
    bylaws = loaded.model
    assert bylaws is not None
    if body not in bylaws.bodies:
        raise ServiceError.of(
            N_('no body "{body}" in the by-laws "{bylaws}": the bodies are {known}'),
            body=body,
            bylaws=bylaws.id,
            known=", ".join(bylaws.bodies),
        )
    warnings: list[Msg] = []
    required = bylaws.bodies[body].notice_days
    if notice_sent is None:
        if required:
            warnings.append(
                Msg.counted(
                    NP_(
                        "no notice date given: the by-laws require {days} day's notice"
                        " (--notice-sent DATE)",
                        "no notice date given: the by-laws require {days} days' notice"
                        " (--notice-sent DATE)",
                    ),
                    "days",
                    days=required,
                )
            )
    else:
        given = (at.date() - notice_sent).days
        if given < 0:
            raise ServiceError.of(
                N_("the notice date {sent} is after the meeting"), sent=notice_sent
            )
        if required and given < required:
            warnings.append(
                Msg.counted(
                    NP_(
                        "notice was {given} day, shorter than the {required} the by-laws require",
                        "notice was {given} days, shorter than the {required} the by-laws require",
                    ),
                    "given",
                    given=given,
                    required=Msg.counted(NP_("{days} day", "{days} days"), "days", days=required),
                )
            )
    now = clock.now()
    with writing_db(url) as db:
        version_id = facts.store_bylaws_version(
            db,
            bylaws.id,
            Path(loaded.path).read_text(encoding="utf-8-sig"),
            loaded.sha256,
            now,
        )
        taken = Taken(db, "meeting")
        if key is not None:
            chosen = key
            if chosen in taken:
                raise ServiceError.of(N_('a meeting "{key}" exists already'), key=key)
        else:
            chosen = make_id(body, at.date().isoformat(), prefix="meeting", taken=taken)
            there = meeting_at(db, bylaws.id, body, at)
            if there is not None:  # the same command run twice: one meeting, not two
                raise ServiceError.of(
                    N_(
                        "{body} already has a meeting at that time ({key}): to record another"
                        " one then, give it its own id with --id (for example {suggested})"
                    ),
                    body=body,
                    key=there,
                    suggested=chosen,
                )
        add_meeting(
            db,
            key=chosen,
            bylaws_id=bylaws.id,
            bylaws_version_id=version_id,
            body=body,
            kind=kind,
            scheduled_at=at,
            notice_sent=notice_sent,
            title=title,
        )
        audit.record(
            db,
            command=f"{COMMAND} new",
            action="create",
            entity="meeting",
            entity_id=chosen,
            detail={"body": body, "at": at, "kind": kind, "bylaws": loaded.sha256},
            at=now,
        )
    return Created(chosen, tuple(warnings))


def record_presence(
    url: str, meeting_key: str, person_key: str, *, arrived: bool, at: datetime | str | None = None
) -> datetime:
    """An arrival or a departure; refuses arriving twice or leaving without having arrived,
    and any time before one already recorded (the rule the attendance import applies too,
    `bulk.attendance_refusals`)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.governance import add_attendance

    now = clock.now()
    with writing_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        loaded = facts.meeting_facts(db, meeting)
        facts.still_open(loaded.meeting)
        when = facts.resolve_time(at, loaded.meeting, now)
        facts.within_meeting(loaded.meeting, when)
        pid = facts.person_id(db, person_key)
        mine = [e for e in loaded.attendance if e.person == person_key]
        new = core.AttendanceEvent(person_key, when, arrived)
        refusal = attendance_refusals(person_key, mine, [new])[0]
        if refusal is not None:
            raise ServiceError(refusal)
        add_attendance(db, meeting_id=meeting.id, person_id=pid, at=when, arrived=arrived)
        audit.record(
            db,
            command=f"{COMMAND} {'attend' if arrived else 'leave'}",
            action="create",
            entity="attendance",
            entity_id=meeting_key,
            detail={"person": person_key, "at": when, "arrived": arrived},
            at=now,
        )
    return when


def add_proxy(url: str, meeting_key: str, *, holder: str, giver: str) -> None:
    """Register that `giver` lets `holder` vote for them at this meeting (by-laws permitting)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.governance import add_proxy as store_proxy

    now = clock.now()
    with writing_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        loaded = facts.meeting_facts(db, meeting)
        facts.still_open(loaded.meeting)
        holder_id, giver_id = (
            facts.person_id(db, holder),
            facts.person_id(db, giver),
        )
        refusal = check_proxy(
            loaded.bylaws,
            loaded.proxies,
            core.Proxy(holder, giver),
            loaded.seats,
            meeting.body,
            loaded.meeting.day,
        )
        if refusal is not None:
            raise ServiceError(refusal)
        store_proxy(db, meeting_id=meeting.id, holder_id=holder_id, giver_id=giver_id)
        audit.record(
            db,
            command=f"{COMMAND} proxy",
            action="create",
            entity="proxy",
            entity_id=meeting_key,
            detail={"holder": holder, "giver": giver},
            at=now,
        )


def close_meeting(url: str, meeting_key: str, at: datetime | str | None = None) -> datetime:
    """End the meeting; refused while a motion is still open (close or withdraw it first).

    Without `at`, now; but a secretary closing the book after the meeting's day (the tour's
    `meeting close` typed the next morning) means when it ended: its last recorded event.
    """
    from comunidad_cli.core.governance.frozen import outside_meeting
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.governance import end_meeting, open_motions

    now = clock.now()
    with writing_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        loaded = facts.meeting_facts(db, meeting)
        when = facts.resolve_time(at, loaded.meeting, now)
        if meeting.ended_at is not None:
            raise ServiceError.of(N_("meeting {meeting} is already closed"), meeting=meeting_key)
        if (
            at is None
            and when > loaded.meeting.opened_at
            and outside_meeting(loaded.meeting, when) is not None
        ):
            when = _last_recorded(db, meeting.id, loaded.meeting)
        facts.within_meeting(loaded.meeting, when)
        if when < loaded.meeting.opened_at:
            raise ServiceError.of(N_("{at} is before the meeting started"), at=when)
        still_open = open_motions(db, meeting.id)
        if still_open:
            raise ServiceError.of(
                N_("motion {motion} is still open: close it first (comunidad motion close)"),
                motion=still_open[0],
            )
        end_meeting(db, meeting.id, when)
        audit.record(
            db,
            command=f"{COMMAND} close",
            action="update",
            entity="meeting",
            entity_id=meeting_key,
            detail={"ended_at": when},
            at=now,
        )
    return when


def _last_recorded(db: Db, meeting_id: int, meeting: core.Meeting) -> datetime:
    """When a past meeting ended, as far as the record knows: its last arrival, departure
    or motion closed (votes fall before their motion's close). Refused when nothing of it
    is recorded: the record does not guess when a meeting ended."""
    from comunidad_cli.storage.governance import attendance, motions_of

    times = [facts.on_clocks(at) for _, at, _ in attendance(db, meeting_id)]
    times += [facts.on_clocks(m.closed_at) for m in motions_of(db, meeting_id) if m.closed_at]
    if not times:
        raise ServiceError.of(
            N_(
                "meeting {meeting} started {started} and nothing of it is recorded since:"
                " say when it ended with --at (HH:MM on its day)"
            ),
            meeting=meeting.id,
            started=meeting.opened_at,
        )
    return max(max(times), meeting.opened_at)


@dataclass(frozen=True)
class MeetingView:
    """A meeting as `meeting show` prints it: who is here now and whether quorum holds."""

    key: str
    body: str
    body_name: str
    bylaws_id: str
    kind: str
    scheduled_at: datetime
    ended_at: datetime | None
    at: datetime
    present: tuple[tuple[str, str, bool], ...]  # key, name, voting member
    quorum: QuorumResult
    motions: tuple[dict[str, Any], ...] = field(default=())
    #: Corrections recorded to the closed meeting: at, by, text (see `meeting correct`).
    corrections: tuple[tuple[datetime, str, str], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "body": self.body,
            "bylaws": self.bylaws_id,
            "kind": self.kind,
            "scheduled_at": self.scheduled_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "at": self.at.isoformat(),
            "present": [{"person": k, "name": n, "voting": v} for k, n, v in self.present],
            "quorum": {
                "required": self.quorum.required,
                "present": self.quorum.present,
                "met": self.quorum.met,
                "voting_members": self.quorum.voting_members,
                "minimums": [
                    {"class": m.member_class, "required": m.required, "present": m.present}
                    for m in self.quorum.minimums
                ],
            },
            "motions": list(self.motions),
            "corrections": [
                {"at": at.isoformat(), "by": by, "text": text} for at, by, text in self.corrections
            ],
        }


def show_meeting(url: str, meeting_key: str, at: datetime | str | None = None) -> MeetingView:
    from comunidad_cli.services.minutes import meeting_corrections
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.governance import motions_of

    with reading_db(url) as db:
        meeting = facts.meeting_row(db, meeting_key)
        loaded = facts.meeting_facts(db, meeting)
        now = clock.now()
        when = facts.resolve_time(at, loaded.meeting, now)
        if at is None and loaded.meeting.ended_at is not None:
            when = min(when, loaded.meeting.ended_at)
        present = core.present_at(loaded.attendance, when)
        members = voting_members(loaded.bylaws, meeting.body, loaded.seats, loaded.meeting.day)
        quorum = judge_quorum(
            loaded.bylaws, meeting.body, loaded.seats, present, (), loaded.meeting.day
        )
        motions = tuple(
            {"key": m.key, "title": m.title, "decision": m.decision, "outcome": m.outcome}
            for m in motions_of(db, meeting.id)
        )
        return MeetingView(
            key=meeting.key,
            body=meeting.body,
            body_name=loaded.bylaws.bodies[meeting.body].name,
            bylaws_id=meeting.bylaws_id,
            kind=meeting.kind,
            scheduled_at=loaded.meeting.opened_at,
            ended_at=loaded.meeting.ended_at,
            at=when,
            present=tuple(sorted((k, loaded.names.get(k, k), k in members) for k in present)),
            quorum=quorum,
            motions=motions,
            corrections=meeting_corrections(db, meeting.id),
        )


def list_meetings(url: str, body: str | None = None) -> list[dict[str, Any]]:
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.governance import meetings

    with reading_db(url) as db:
        rows = meetings(db, body)
    zone = facts.local_zone()
    return [
        {
            "key": m.key,
            "body": m.body,
            "bylaws": m.bylaws_id,
            "kind": m.kind,
            "scheduled_at": m.scheduled_at.astimezone(zone).isoformat(),
            "ended_at": m.ended_at.astimezone(zone).isoformat() if m.ended_at else None,
            "title": m.title,
        }
        for m in rows
    ]
