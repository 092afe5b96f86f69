"""The regional view (`comunidad region summary`): load each partnership's by-laws (the
valid files in the workspace's by-laws folder, else the text its meetings were called
under), read the period's record in one `reading_db` transaction, and let `core.region`
count it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.region import (
    ActivityFact,
    MeetingFact,
    MoneyFact,
    Partnership,
    RegionView,
    period_within,
    region_view,
)
from comunidad_cli.services.errors import typed_period


@dataclass(frozen=True, slots=True)
class NetworkFigures:
    """The entity's network work in the period: spaces and commissions (all recorded),
    sessions, information brought back, commitments taken within it, commitments still
    open and overdue on its last day (today, if that is earlier), and the referrals of the
    periods that lie within it."""

    spaces: int
    commissions: int
    sessions: int
    report_backs: int
    commitments_taken: int
    commitments_open: int
    commitments_overdue: int
    referrals_made: int
    referrals_received: int
    on: date


@dataclass(frozen=True, slots=True)
class RegionSummary:
    view: RegionView
    networks: NetworkFigures
    notes: tuple[Msg, ...]  # by-laws files not counted, and why


def _partnership(model: Bylaws) -> Partnership:
    stated = [body.total_seats for body in model.bodies.values()]
    seats = sum(s for s in stated if s is not None) if stated and None not in stated else None
    return Partnership(model.id, model.name, len(model.bodies), seats)


def _files(folder: Path, today: date) -> tuple[dict[str, Partnership], list[Msg]]:
    """The partnerships of the valid by-laws files in `folder`, and a note per file that
    has errors (it is not counted: `bylaws check` says why)."""
    from comunidad_cli.services.bylaws import SUFFIX, check_file, errors_of

    found: dict[str, Partnership] = {}
    notes: list[Msg] = []
    if not folder.is_dir():
        return found, notes
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        result = check_file(path, today)
        if result.model is None or errors_of(result.findings):
            notes.append(
                Msg.of(
                    N_(
                        '{path} has errors: its by-laws are not counted (run "comunidad'
                        ' bylaws check {path}")'
                    ),
                    path=result.path,
                )
            )
            continue
        found.setdefault(result.model.id, _partnership(result.model))
    return found, notes


def region_summary(url: str, bylaws_dir: Path, start: date, end: date) -> RegionSummary:
    """The regional view of the period from `start` to `end` (both days included)."""
    from comunidad_cli import clock
    from comunidad_cli.core.networks import OPEN, OVERDUE, status_on
    from comunidad_cli.services.facts import bylaws_from_content, local_zone, on_clocks
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import networks as stored_networks
    from comunidad_cli.storage import region as stored

    typed_period(start, end)
    today = clock.today()
    partnerships, notes = _files(bylaws_dir, today)
    zone = local_zone()
    first = datetime.combine(start, time(0), tzinfo=zone)
    after = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    on = min(end, today)
    with reading_db(url) as db:
        for bylaws_id in sorted(stored.bylaws_ids(db) - set(partnerships)):
            text = stored.latest_bylaws_text(db, bylaws_id)
            partnerships[bylaws_id] = (
                _partnership(bylaws_from_content(text))
                if text is not None
                else Partnership(bylaws_id, None, 0, None)
            )
        seats = [bylaws_id for bylaws_id, _body in stored.seats_on(db, end)]
        meetings = [
            MeetingFact(m.bylaws_id, on_clocks(m.scheduled_at).date(), m.outcomes)
            for m in stored.meetings_between(db, first, after)
        ]
        money = [
            MoneyFact(s.bylaws_id, s.currency, s.start, s.obligated, s.paid)
            for s in stored.subcontract_money(db, start, end)
        ]
        activities = [
            ActivityFact(a.bylaws_id, a.hours, a.participants)
            for a in stored.learning_between(db, start, end)
        ]
        periods = [p for p in stored.referral_periods(db) if period_within(p, start, end)]
        counts = stored.network_counts(db, start, end, periods)
        statuses = [
            status_on(
                c.due,
                None if c.status is None or c.closed_on is None else (c.status, c.closed_on),
                on,
            )
            for c in stored_networks.commitments(db)
            if c.taken_on <= on
        ]
    view = region_view(
        start, end, today, list(partnerships.values()), seats, meetings, money, activities
    )
    figures = NetworkFigures(
        spaces=counts.spaces,
        commissions=counts.commissions,
        sessions=counts.sessions,
        report_backs=counts.report_backs,
        commitments_taken=counts.commitments_taken,
        commitments_open=sum(1 for s in statuses if s in (OPEN, OVERDUE)),
        commitments_overdue=sum(1 for s in statuses if s == OVERDUE),
        referrals_made=counts.referrals_made,
        referrals_received=counts.referrals_received,
        on=on,
    )
    return RegionSummary(view, figures, tuple(notes))
