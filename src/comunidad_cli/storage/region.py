"""The regional view's reads: what each partnership (by-laws id) of a workspace holds.

Plain, portable SQL over the tables `storage.tables` defines; no SQLAlchemy (see
`storage.dbapi`). Money is summed in integer cents (`storage.grants`), days come back as
dates, instants aware (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, in_list, read_day, read_instant
from comunidad_cli.storage.grants import from_cents

#: SUM in integer cents, as `storage.grants` sums money (SQLite keeps NUMERIC as REAL).
_CENTS = "SUM(CAST(ROUND({} * 100) AS BIGINT))"


def bylaws_ids(db: Db) -> set[str]:
    """Every by-laws id the record names: meetings, seats, fund rounds, learning activities."""
    rows = db.rows(
        "SELECT bylaws_id FROM meeting UNION SELECT bylaws_id FROM seat"
        " UNION SELECT bylaws_id FROM fund_round"
        " UNION SELECT bylaws_id FROM learning_activity WHERE bylaws_id IS NOT NULL"
    )
    return {str(bylaws_id) for (bylaws_id,) in rows}


def latest_bylaws_text(db: Db, bylaws_id: str) -> str | None:
    """The text of the latest by-laws version meetings of `bylaws_id` were called under."""
    found = db.value(
        "SELECT v.content FROM meeting m JOIN bylaws_version v ON m.bylaws_version_id = v.id"
        " WHERE m.bylaws_id = :b ORDER BY m.scheduled_at DESC, m.id DESC LIMIT 1",
        {"b": bylaws_id},
    )
    return None if found is None else str(found)


def seats_on(db: Db, day: date) -> list[tuple[str, str]]:
    """(by-laws id, body) of every seat held on `day` (both ends of a seat included)."""
    rows = db.rows(
        'SELECT bylaws_id, body FROM seat WHERE start <= :day AND ("end" IS NULL OR "end" >= :day)',
        {"day": db.day(day)},
    )
    return [(str(b), str(body)) for b, body in rows]


@dataclass(frozen=True, slots=True)
class MeetingCount:
    """A meeting, when it was called for, and how many of its motions ended each way."""

    bylaws_id: str
    scheduled_at: datetime
    outcomes: dict[str, int]  # adopted, rejected, no_quorum, open


def meetings_between(db: Db, start: datetime, end: datetime) -> list[MeetingCount]:
    """Meetings called for from `start` (included) to `end` (excluded), with their motions'
    outcomes counted ("open": not closed yet)."""
    meetings: dict[int, MeetingCount] = {}
    for i, bylaws_id, at in db.rows(
        "SELECT id, bylaws_id, scheduled_at FROM meeting"
        " WHERE scheduled_at >= :start AND scheduled_at < :end ORDER BY scheduled_at, id",
        {"start": db.instant(start), "end": db.instant(end)},
    ):
        instant = read_instant(at)
        assert instant is not None
        meetings[int(i)] = MeetingCount(str(bylaws_id), instant, {})
    if meetings:
        for meeting_id, outcome, count in db.rows(
            "SELECT o.meeting_id, coalesce(o.outcome, 'open'), count(*) FROM motion o"
            " JOIN meeting m ON o.meeting_id = m.id"
            " WHERE m.scheduled_at >= :start AND m.scheduled_at < :end"
            " GROUP BY o.meeting_id, coalesce(o.outcome, 'open')",
            {"start": db.instant(start), "end": db.instant(end)},
        ):
            meetings[int(meeting_id)].outcomes[str(outcome)] = int(count)
    return list(meetings.values())


@dataclass(frozen=True, slots=True)
class SubcontractMoney:
    """A subcontract's money in a period: the partnership whose fund round awarded it (None
    when it was not made from a round), its grant's currency, its start, its budget in force
    by the period's last day and what was paid to it within the period."""

    key: str
    bylaws_id: str | None
    currency: str
    start: date
    obligated: Decimal
    paid: Decimal


def subcontract_money(db: Db, start: date, end: date) -> list[SubcontractMoney]:
    """Every subcontract with the money the regional view counts (see `SubcontractMoney`).

    The budget in force: its original lines plus the amendments effective by `end` that
    needed no funder approval or had it by `end`. Paid: payments marked paid dated within
    the period. A subcontract made from a fund round (`fund_project`) belongs to the round's
    by-laws; no other link from money to a partnership exists in the schema.
    """
    params: dict[str, Any] = {"start": db.day(start), "end": db.day(end), "no": False}
    rows = db.rows(
        "SELECT s.id, s.key, r.bylaws_id, g.currency, s.start FROM subcontract s"
        " JOIN grant_award g ON s.grant_id = g.id"
        " LEFT OUTER JOIN fund_project p ON p.subcontract_id = s.id"
        " LEFT OUTER JOIN fund_award_line l ON p.award_line_id = l.id"
        " LEFT OUTER JOIN fund_award a ON l.award_id = a.id"
        " LEFT OUTER JOIN fund_round r ON a.round_id = r.id"
        " ORDER BY s.key"
    )
    original = dict(
        db.rows(
            f"SELECT subcontract_id, {_CENTS.format('amount')} FROM budget_line"
            " GROUP BY subcontract_id"
        )
    )
    amended = dict(
        db.rows(
            f"SELECT a.subcontract_id, {_CENTS.format('l.delta')} FROM amendment a"
            " JOIN amendment_line l ON l.amendment_id = a.id WHERE a.effective <= :end"
            " AND (a.needs_funder_approval = :no OR a.funder_approved_on <= :end)"
            " GROUP BY a.subcontract_id",
            params,
        )
    )
    paid = dict(
        db.rows(
            f"SELECT subcontract_id, {_CENTS.format('total')} FROM payment"
            " WHERE status = 'paid' AND invoice_date >= :start AND invoice_date <= :end"
            " GROUP BY subcontract_id",
            params,
        )
    )
    found = []
    for i, key, bylaws_id, currency, first in rows:
        day = read_day(first)
        assert day is not None
        found.append(
            SubcontractMoney(
                str(key),
                None if bylaws_id is None else str(bylaws_id),
                str(currency),
                day,
                from_cents(original.get(i)) + from_cents(amended.get(i)),
                from_cents(paid.get(i)),
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """A learning activity held in the period: its by-laws (None: the whole workspace's),
    its hours and the people who took part."""

    bylaws_id: str | None
    hours: Decimal
    participants: frozenset[int]


def learning_between(db: Db, start: date, end: date) -> list[ActivityRow]:
    """The learning activities held from `start` to `end` (both included), by day."""
    params = {"start": db.day(start), "end": db.day(end)}
    activities = db.rows(
        "SELECT id, bylaws_id, CAST(ROUND(hours * 100) AS BIGINT) FROM learning_activity"
        " WHERE held_on >= :start AND held_on <= :end ORDER BY held_on, id",
        params,
    )
    people: dict[int, set[int]] = {}
    for activity, person in db.rows(
        "SELECT p.activity_id, p.person_id FROM learning_participant p"
        " JOIN learning_activity a ON p.activity_id = a.id"
        " WHERE a.held_on >= :start AND a.held_on <= :end",
        params,
    ):
        people.setdefault(int(activity), set()).add(int(person))
    return [
        ActivityRow(
            None if bylaws_id is None else str(bylaws_id),
            from_cents(cents),
            frozenset(people.get(int(i), ())),
        )
        for i, bylaws_id, cents in activities
    ]


@dataclass(frozen=True, slots=True)
class NetworkCounts:
    """The entity's network work (no space names a partnership: it is the entity's)."""

    spaces: int
    commissions: int
    sessions: int
    report_backs: int
    commitments_taken: int
    referrals_made: int
    referrals_received: int


def network_counts(db: Db, start: date, end: date, periods: list[str]) -> NetworkCounts:
    """Spaces (those with a parent are commissions), and the sessions, information brought
    back and commitments taken from `start` to `end`; referrals of the `periods` given."""
    params = {"start": db.day(start), "end": db.day(end)}

    def count(sql: str) -> int:
        return int(db.value(sql, params) or 0)

    made = received = 0
    if periods:
        marks, more = in_list("p", periods)
        row = db.row(
            f"SELECT SUM(made), SUM(received) FROM network_referral WHERE period IN ({marks})",
            more,
        )
        if row is not None:
            made, received = int(row[0] or 0), int(row[1] or 0)
    return NetworkCounts(
        spaces=count("SELECT count(*) FROM network_space WHERE parent_id IS NULL"),
        commissions=count("SELECT count(*) FROM network_space WHERE parent_id IS NOT NULL"),
        sessions=count(
            "SELECT count(*) FROM network_session WHERE held_on >= :start AND held_on <= :end"
        ),
        report_backs=count(
            "SELECT count(*) FROM network_report_back WHERE on_day >= :start AND on_day <= :end"
        ),
        commitments_taken=count(
            "SELECT count(*) FROM network_commitment WHERE taken_on >= :start AND taken_on <= :end"
        ),
        referrals_made=made,
        referrals_received=received,
    )


def referral_periods(db: Db) -> list[str]:
    """Every period referrals were counted for."""
    return [str(p) for (p,) in db.rows("SELECT DISTINCT period FROM network_referral")]
