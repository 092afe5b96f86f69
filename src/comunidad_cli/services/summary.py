"""The dashboard: where the money stands, what needs attention, capacity, resources, meetings.

One read transaction over the services that own each piece; the spend-down of each grant
and subcontract is computed by the pure core from their positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from comunidad_cli import clock
from comunidad_cli.core.grants.spend import SpendDown, spend_down

if TYPE_CHECKING:
    from comunidad_cli.services.agreements.views import DueView
    from comunidad_cli.services.capacity.assessments import WeakDomain
    from comunidad_cli.services.funds.stage import FundsOverview
    from comunidad_cli.services.grants.positions import GrantPosition, SubcontractPosition
    from comunidad_cli.services.networks import CommitmentView
    from comunidad_cli.services.resources import ResourcesSummary
    from comunidad_cli.storage.dbapi import Db


@dataclass(frozen=True)
class GrantSpend:
    grant: GrantPosition
    spend: SpendDown
    subcontracts: tuple[tuple[SubcontractPosition, SpendDown], ...]


@dataclass(frozen=True)
class MeetingLine:
    key: str
    body: str
    day: date
    outcomes: dict[str, int]


@dataclass(frozen=True)
class Summary:
    today: date
    grants: tuple[GrantSpend, ...]
    attention: tuple[SubcontractPosition, ...]
    weakest: tuple[WeakDomain, ...]
    resources: ResourcesSummary
    by_grant: tuple[ResourcesSummary, ...]
    meetings: tuple[MeetingLine, ...]
    meetings_later: int = 0  # scheduled after `today`: not "recent", so not listed
    network_overdue: tuple[CommitmentView, ...] = ()  # commitments taken in networks
    agreements_overdue: tuple[DueView, ...] = ()  # partner agreements' reviews and renewals
    funds: FundsOverview | None = None  # competitive funds' rounds and the plan in force


def spend_of(grants: list[GrantPosition], today: date) -> tuple[GrantSpend, ...]:
    """Each grant's and subcontract's spend-down on `today`: a grant's budget is its award
    amount (what must be spent by its end, obligated or not), a subcontract's its obligated
    budget; unspent and the projection are against that budget (see core.grants.spend)."""
    return tuple(
        GrantSpend(
            g,
            spend_down(g.amount, g.spent, g.start, g.end, today),
            tuple(
                (s, spend_down(s.obligated, s.spent, s.start, s.end, today)) for s in g.subcontracts
            ),
        )
        for g in grants
    )


def spend_down_view(
    url: str, grant_key: str | None = None, as_of: date | None = None
) -> tuple[GrantSpend, ...]:
    """Spend-down today, or as of a past day (`--as-of`: the payments on record then)."""
    from comunidad_cli.services.grants.positions import grant_positions

    today = as_of if as_of is not None else clock.today()
    return spend_of(grant_positions(url, grant_key, today=today, as_of=as_of is not None), today)


def _recent_meetings(db: Db, limit: int, until: date) -> tuple[tuple[MeetingLine, ...], int]:
    """The latest meetings held on or before `until` (today, or the as-of day), each on its
    day on the workspace's clocks, and how many are scheduled after it (not recent: left
    out, so a report as of March does not list a meeting of December)."""
    from comunidad_cli.storage.governance import meetings_latest_first, motion_outcomes

    zone = clock.zone()  # what services.facts.local_zone answers, without the by-laws engine
    rows = []
    later = 0
    for meeting_id, key, body, scheduled in meetings_latest_first(db):
        day = scheduled.astimezone(zone).date()
        if day > until:
            later += 1
        else:
            rows.append((meeting_id, key, body, day))
            if len(rows) == limit:
                break
    lines = tuple(
        MeetingLine(key, body, day, motion_outcomes(db, meeting_id))
        for meeting_id, key, body, day in rows
    )
    return lines, later


def _weakest(db: Db, folder: Path | None, as_of: date | None) -> tuple[WeakDomain, ...]:
    """The three weakest capacity domains; the capacity engine (instruments, scoring,
    comparison: about 20 ms of imports) is loaded only when something was assessed."""
    from comunidad_cli.storage.capacity import assessed

    if not assessed(db, as_of):
        return ()
    from comunidad_cli.services.capacity.assessments import weakest_domains

    return tuple(weakest_domains(db, 3, folder=folder, as_of=as_of))


def build_summary(
    url: str,
    instruments: Path | None = None,
    as_of: date | None = None,
    bylaws: Path | None = None,
) -> Summary:
    """Everything `comunidad summary` shows, read in one transaction: today, or as of a past
    day (`--as-of`: payments, reports and meetings on record then). `bylaws`: the folder a
    round's default reviewers' body is read from (its stage counts their sheets)."""
    from comunidad_cli.services.agreements.views import overdue_in as agreements_overdue_in
    from comunidad_cli.services.funds.stage import overview_in
    from comunidad_cli.services.grants.positions import grant_positions
    from comunidad_cli.services.networks import overdue_in
    from comunidad_cli.services.resources import resources_summary
    from comunidad_cli.services.session import reading_db

    today = as_of if as_of is not None else clock.today()
    with reading_db(url) as db:
        grants = grant_positions(db, today=today, as_of=as_of is not None)
        meetings, later = _recent_meetings(db, 3, today)
        return Summary(
            today=today,
            grants=spend_of(grants, today),
            attention=tuple(s for g in grants for s in g.needing_attention),
            weakest=_weakest(db, instruments, as_of),
            resources=resources_summary(db),
            by_grant=tuple(resources_summary(db, g.key) for g in grants),
            meetings=meetings,
            meetings_later=later,
            network_overdue=tuple(overdue_in(db, today)),
            agreements_overdue=tuple(agreements_overdue_in(db, today)),
            funds=overview_in(db, bylaws, today),
        )
