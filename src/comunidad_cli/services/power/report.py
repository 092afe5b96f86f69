"""`comunidad power report`: load the body's seats, meetings, attendance and closed motions
of the period, and let `core.power.report` count them by class."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.messages import N_
from comunidad_cli.core.power.report import (
    MeetingPresence,
    MotionVotes,
    PowerReport,
    counted_votes,
    power_report,
)
from comunidad_cli.services.errors import ServiceError, typed_period
from comunidad_cli.services.facts import bylaws_from_content, on_clocks
from comunidad_cli.storage import governance as stored
from comunidad_cli.storage.power import bylaws_of_body


@dataclass(frozen=True, slots=True)
class PowerView:
    """The report and the names of its classes (as typed in the by-laws), for the edge."""

    bylaws_id: str
    report: PowerReport
    class_names: dict[str, str]
    class_votes: dict[str, bool]


def build_power_report(
    url: str, body: str, start: date, end: date, bylaws_id: str | None = None
) -> PowerView:
    """The power report of `body` from `start` to `end` (both days included)."""
    from comunidad_cli.services.session import reading_db

    typed_period(start, end)
    with reading_db(url) as db:
        found = bylaws_of_body(db, body)
        if bylaws_id is None:
            if not found:
                raise ServiceError.of(
                    N_('no seats or meetings are recorded for body "{body}"'), body=body
                )
            if len(found) > 1:
                raise ServiceError.of(
                    N_('body "{body}" is in several by-laws ({ids}): choose one with --bylaws'),
                    exit_code=2,
                    body=body,
                    ids=", ".join(found),
                )
            bylaws_id = found[0]
        seats = [
            Seat(person, on, member_class, first, last, role)
            for _, person, on, member_class, first, last, role in stored.seats(db, bylaws_id, body)
        ]
        all_meetings = [m for m in stored.meetings(db, body) if m.bylaws_id == bylaws_id]
        held = []
        last_version: int | None = None
        for meeting in all_meetings:
            day = on_clocks(meeting.scheduled_at).date()
            last_version = meeting.bylaws_version_id
            if not start <= day <= end:
                continue
            arrived = frozenset(
                person for person, _, came in stored.attendance(db, meeting.id) if came
            )
            motions = tuple(
                MotionVotes(m.outcome, counted_votes(json.loads(m.snapshot)))
                for m in stored.motions_of(db, meeting.id)
                if m.outcome is not None and m.snapshot is not None
            )
            held.append(MeetingPresence(day, arrived, motions))
        names: dict[str, str] = {}
        votes: dict[str, bool] = {}
        order: tuple[str, ...] = ()
        if last_version is not None:
            content, _ = stored.bylaws_version(db, last_version)
            model = bylaws_from_content(content)
            order = tuple(model.classes)
            names = {c.id: c.name for c in model.classes.values()}
            votes = {c.id: c.votes for c in model.classes.values()}
    report = power_report(body, start, end, seats, held, order)
    return PowerView(bylaws_id, report, names, votes)
