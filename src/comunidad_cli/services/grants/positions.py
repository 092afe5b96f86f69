"""Positions: where each subcontract and grant stands on a day, for reports.

Two query functions read positions in a handful of queries whatever the number of payments:
`subcontract_positions(source, grant_key=None, today=None)` and `grant_positions(source,
today=None)`, where `source` is a database URL (read through `storage.grants` on a plain
DB-API connection, without SQLAlchemy), a `storage.dbapi.Db`, an open Session or a
Connection. With
`as_of=True`, `today` is the day a report is written for (`--as-of`): payments dated and
reports submitted after it are left out, as they were not yet on record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.grants.attention import attention_reasons, overdraw_risk
from comunidad_cli.core.grants.budget import BudgetPosition, position
from comunidad_cli.core.grants.spend import elapsed_share
from comunidad_cli.core.grants.subcontracts import PAYABLE_STATUSES
from comunidad_cli.core.grants.values import ZERO, to_cents
from comunidad_cli.services.grants.common import _grant_row, _reading, in_currency
from comunidad_cli.services.grants.records import (
    RiskView,
    _amendments,
    _deliverables,
    _originals,
    _risks,
    _spending,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.services.grants.records import Source
    from comunidad_cli.storage.dbapi import Db


@dataclass(frozen=True, slots=True)
class OverdueReport:
    deliverable: str
    title: str
    due: date
    days_late: int
    very_late: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "deliverable": self.deliverable,
            "title": self.title,
            "due": self.due.isoformat(),
            "days_late": self.days_late,
            "very_late": self.very_late,
        }


@dataclass(frozen=True, slots=True)
class SubcontractPosition:
    """Where a subcontract stands on `today`: money per line and in total, and flags.

    `budget.lines` hold original, amended (deltas in force), budget, spent and balance per
    category; `obligated`, `spent`, `balance` are the totals; `paid` counts paid payments
    only. `elapsed` is the share of the period gone (0..1, exact)."""

    key: str
    grant: str
    grant_title: str
    partner: str
    partner_name: str
    kind: str
    status: str
    start: date
    end: date
    currency: str
    budget: BudgetPosition
    paid: Decimal
    risk: RiskView | None
    pending_amendments: int
    overdue_reports: tuple[OverdueReport, ...]
    overdraw_risk: bool
    elapsed: Fraction
    today: date

    @property
    def obligated(self) -> Decimal:
        return self.budget.obligated

    @property
    def spent(self) -> Decimal:
        return self.budget.spent

    @property
    def balance(self) -> Decimal:
        return self.budget.balance

    @property
    def missing_risk_assessment(self) -> bool:
        return self.risk is None

    @property
    def overdue(self) -> int:
        return len(self.overdue_reports)

    @property
    def very_late(self) -> int:
        return sum(1 for r in self.overdue_reports if r.very_late)

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags())

    def flags(self) -> list[str]:
        """Machine names of what needs attention (`attention_reasons`), the same for
        `subcontract list|show`, `grant show` and the summary, text and JSON."""
        return list(
            attention_reasons(
                status=self.status,
                risk_on_file=not self.missing_risk_assessment,
                overdue=self.overdue,
                very_late=self.very_late,
                overdraw=self.overdraw_risk,
                pending_revisions=self.pending_amendments,
            )
        )

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = in_currency(self._money_json(), self.currency)
        data["elapsed"] = float(round(self.elapsed, 4))
        return data

    def _money_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "grant": self.grant,
            "grant_title": self.grant_title,
            "partner": self.partner,
            "partner_name": self.partner_name,
            "kind": self.kind,
            "status": self.status,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "currency": self.currency,
            "lines": [
                {
                    "category": line.category,
                    "original": line.original,
                    "amendments": line.amended,
                    "budget": line.budget,
                    "spent": line.spent,
                    "balance": line.balance,
                }
                for line in self.budget.lines
            ],
            "obligated": self.obligated,
            "spent": self.spent,
            "paid": self.paid,
            "balance": self.balance,
            "risk": self.risk.as_json() if self.risk else None,
            "pending_amendments": self.pending_amendments,
            "overdue_reports": [r.as_json() for r in self.overdue_reports],
            "flags": self.flags(),
        }


def _positions(
    conn: Source, rows: Sequence[Any], today: date, as_of: bool = False, *, every: bool = False
) -> list[SubcontractPosition]:
    """The positions of subcontracts `rows`; `every`: they are all of them, so the
    queries read every row instead of filtering by a list of ids that names them all."""
    from comunidad_cli.storage.dbapi import as_db

    db = as_db(conn)
    ids = [r["id"] for r in rows] if len(rows) < 500 and not every else None
    originals = _originals(db, ids)
    amendments = _amendments(db, ids, today if as_of else None)
    spent, paid = _spending(db, ids, today if as_of else None)
    risks = _risks(db, ids)
    deliverables = _deliverables(db, ids, today, as_of, overdue_only=True)
    found: list[SubcontractPosition] = []
    for r in rows:
        history = [a.record for a in amendments.get(r["id"], [])]
        budget = position(originals.get(r["id"], {}), history, spent.get(r["id"], {}))
        overdue = tuple(
            OverdueReport(d.key, d.title, o.due, o.days_late, o.very_late)
            for d in deliverables.get(r["id"], [])
            for o in d.overdue
        )
        found.append(
            SubcontractPosition(
                key=r["key"],
                grant=r["grant_key"],
                grant_title=r["grant_title"],
                partner=r["partner_key"],
                partner_name=r["partner_name"],
                kind=r["kind"],
                status=r["status"],
                start=r["start"],
                end=r["end"],
                currency=r["currency"],
                budget=budget,
                paid=paid.get(r["id"], ZERO),
                risk=risks[r["id"]][-1] if r["id"] in risks else None,
                pending_amendments=sum(1 for a in history if a.pending),
                overdue_reports=tuple(sorted(overdue, key=lambda o: o.due)),
                overdraw_risk=r["status"] in PAYABLE_STATUSES
                and overdraw_risk(budget, r["start"], r["end"], today),
                elapsed=elapsed_share(r["start"], r["end"], today),
                today=today,
            )
        )
    return found


def subcontract_positions(
    source: str | Db | Session | Connection,
    grant_key: str | None = None,
    *,
    today: date | None = None,
    as_of: bool = False,
) -> list[SubcontractPosition]:
    """Every subcontract (of one grant), by grant then id, with money and flags on `today`
    (default: the clock's today; `as_of`: only what was on record then). An unknown grant is
    refused."""
    from comunidad_cli.storage.grants import subcontracts

    day = today if today is not None else clock.today()
    with _reading(source) as db:
        grant_id = _grant_row(db, grant_key)["id"] if grant_key is not None else None
        return _positions(db, subcontracts(db, grant_id), day, as_of, every=grant_id is None)


@dataclass(frozen=True, slots=True)
class GrantPosition:
    """A grant: what was awarded, obligated in subcontracts (amendments in force), spent and
    paid by them, with each subcontract's position."""

    key: str
    title: str
    funder: str
    funder_name: str
    award_number: str | None
    amount: Decimal
    currency: str
    start: date
    end: date
    match_required: Decimal
    subcontracts: tuple[SubcontractPosition, ...]
    elapsed: Fraction
    today: date

    @property
    def obligated(self) -> Decimal:
        return sum((s.obligated for s in self.subcontracts), ZERO)

    @property
    def unobligated(self) -> Decimal:
        return self.amount - self.obligated

    @property
    def spent(self) -> Decimal:
        return sum((s.spent for s in self.subcontracts), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((s.paid for s in self.subcontracts), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.amount - self.spent

    @property
    def needing_attention(self) -> tuple[SubcontractPosition, ...]:
        return tuple(s for s in self.subcontracts if s.needs_attention)

    def as_json(self, *, with_subcontracts: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.key,
            "title": self.title,
            "funder": self.funder,
            "funder_name": self.funder_name,
            "award_number": self.award_number,
            "amount": self.amount,
            "currency": self.currency,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "match_required": self.match_required,
            "obligated": self.obligated,
            "unobligated": self.unobligated,
            "spent": self.spent,
            "paid": self.paid,
            "balance": self.balance,
            "subcontracts": len(self.subcontracts),
            "needing_attention": [s.key for s in self.needing_attention],
        }
        data = in_currency(data, self.currency)
        data["elapsed"] = float(round(self.elapsed, 4))
        if with_subcontracts:
            data["subcontracts"] = [s.as_json() for s in self.subcontracts]
        return data


def grant_positions(
    source: str | Db | Session | Connection,
    grant_key: str | None = None,
    *,
    today: date | None = None,
    as_of: bool = False,
) -> list[GrantPosition]:
    """Every grant (or one), by id, with its subcontracts' positions on `today` (`as_of`:
    only the payments and submissions on record then)."""
    from comunidad_cli.storage.grants import grants, subcontracts

    day = today if today is not None else clock.today()
    with _reading(source) as db:
        grant_id = _grant_row(db, grant_key)["id"] if grant_key is not None else None
        found = grants(db, grant_id)
        by_grant: dict[str, list[SubcontractPosition]] = {}
        if found:
            # By grant, then id: each grant's subcontracts by id, as in `subcontract_positions`.
            every = grant_id is None
            for position in _positions(db, subcontracts(db, grant_id), day, as_of, every=every):
                by_grant.setdefault(position.grant, []).append(position)
        return [
            GrantPosition(
                key=g["key"],
                title=g["title"],
                funder=g["funder_key"],
                funder_name=g["funder_name"],
                award_number=g["award_number"],
                amount=to_cents(g["amount"]),
                currency=g["currency"],
                start=g["start"],
                end=g["end"],
                match_required=to_cents(g["match_required"]),
                subcontracts=tuple(by_grant.get(g["key"], [])),
                elapsed=elapsed_share(g["start"], g["end"], day),
                today=day,
            )
            for g in found
        ]
