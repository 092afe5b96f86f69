"""Reading the record of subcontracts in a few queries whatever their number: original budget
lines, amendments, spending (summed by the database in integer cents), risk assessments and
deliverables with their occurrences. `ids=None` reads them all.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.grants.budget import AmendmentRecord, committed, moved_between_lines
from comunidad_cli.core.grants.deliverables import HoldingReport, Occurrence, due_dates, occurrences
from comunidad_cli.core.grants.payments import COUNTED_STATUSES
from comunidad_cli.core.grants.values import ZERO, to_cents
from comunidad_cli.services.grants.common import _t, _where_in

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _originals(conn: Connection, ids: Collection[int] | None) -> dict[int, dict[str, Decimal]]:
    from sqlalchemy import select

    lines = _t("budget_line")
    query = _where_in(
        select(lines.c.subcontract_id, lines.c.category, lines.c.amount).order_by(lines.c.id),
        lines.c.subcontract_id,
        ids,
    )
    found: dict[int, dict[str, Decimal]] = {}
    for sub_id, category, amount in conn.execute(query).all():
        found.setdefault(sub_id, {})[category] = to_cents(amount)
    return found


@dataclass(frozen=True, slots=True)
class AmendmentView:
    number: int
    effective: date
    reason: str
    deltas: tuple[tuple[str, Decimal], ...]
    needs_approval: bool
    approved_on: date | None

    @property
    def record(self) -> AmendmentRecord:
        return AmendmentRecord(
            self.number, dict(self.deltas), self.needs_approval, self.approved_on
        )

    @property
    def moved(self) -> Decimal:
        return moved_between_lines(dict(self.deltas))

    @property
    def change(self) -> Decimal:
        return sum((d for _, d in self.deltas), ZERO)

    @property
    def status(self) -> str:
        if not self.needs_approval:
            return "in_force"
        return "approved" if self.approved_on is not None else "pending"

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "effective": self.effective.isoformat(),
            "reason": self.reason,
            "lines": [{"category": c, "delta": d} for c, d in self.deltas],
            "change": self.change,
            "moved": self.moved,
            "needs_funder_approval": self.needs_approval,
            "funder_approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "status": self.status,
        }


def _amendments(
    conn: Connection, ids: Collection[int] | None, as_of: date | None = None
) -> dict[int, list[AmendmentView]]:
    """Each subcontract's amendments, in order. `as_of`: the view of that day, so only those
    in effect by then and recorded by then (their `created_at` on the workspace's clocks),
    and an approval the funder gave later is still awaited."""
    from sqlalchemy import select

    from comunidad_cli.services.facts import aware, local_zone

    amendments, lines = _t("amendment"), _t("amendment_line")
    rows = (
        conn.execute(
            _where_in(
                select(amendments).order_by(amendments.c.subcontract_id, amendments.c.number),
                amendments.c.subcontract_id,
                ids,
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        return {}
    deltas: dict[int, list[tuple[str, Decimal]]] = {}
    for amendment_id, category, delta in conn.execute(
        select(lines.c.amendment_id, lines.c.category, lines.c.delta)
        .where(lines.c.amendment_id.in_([r["id"] for r in rows]))
        .order_by(lines.c.id)
    ).all():
        deltas.setdefault(amendment_id, []).append((category, to_cents(delta)))
    found: dict[int, list[AmendmentView]] = {}
    zone = local_zone() if as_of is not None else None
    for r in rows:
        approved = r["funder_approved_on"]
        if as_of is not None:
            if r["effective"] > as_of or aware(r["created_at"]).astimezone(zone).date() > as_of:
                continue
            approved = approved if approved is not None and approved <= as_of else None
        found.setdefault(r["subcontract_id"], []).append(
            AmendmentView(
                r["number"],
                r["effective"],
                r["reason"],
                tuple(deltas.get(r["id"], [])),
                bool(r["needs_funder_approval"]),
                approved,
            )
        )
    return found


def _cents_sum(column: Any) -> Any:
    """SUM in integer cents: exact on SQLite (which stores NUMERIC as REAL) and elsewhere."""
    from sqlalchemy import BigInteger, cast, func

    return func.sum(cast(func.round(column * 100), BigInteger))


def _from_cents(value: Any) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)


def _spending(
    conn: Connection, ids: Collection[int] | None, until: date | None = None
) -> tuple[dict[int, dict[str, Decimal]], dict[int, Decimal]]:
    """Spent per subcontract and category (counted payments), and paid per subcontract;
    with `until`, only the payments dated on or before it (a report as of that day)."""
    from sqlalchemy import select

    payments, lines = _t("payment"), _t("payment_line")
    joined = lines.join(payments, lines.c.payment_id == payments.c.id)
    spent: dict[int, dict[str, Decimal]] = {}
    query = (
        select(payments.c.subcontract_id, lines.c.category, _cents_sum(lines.c.amount))
        .select_from(joined)
        .where(payments.c.status.in_(sorted(COUNTED_STATUSES)))
        .group_by(payments.c.subcontract_id, lines.c.category)
    )
    if until is not None:
        query = query.where(payments.c.invoice_date <= until)
    for sub_id, category, cents in conn.execute(_where_in(query, payments.c.subcontract_id, ids)):
        spent.setdefault(sub_id, {})[category] = _from_cents(cents)
    paid_query = (
        select(payments.c.subcontract_id, _cents_sum(payments.c.total))
        .where(payments.c.status == "paid")
        .group_by(payments.c.subcontract_id)
    )
    if until is not None:
        paid_query = paid_query.where(payments.c.invoice_date <= until)
    paid = {
        sub_id: _from_cents(cents)
        for sub_id, cents in conn.execute(_where_in(paid_query, payments.c.subcontract_id, ids))
    }
    return spent, paid


@dataclass(frozen=True, slots=True)
class RiskView:
    assessed_on: date
    level: str
    assessed_by: str
    notes: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "assessed_on": self.assessed_on.isoformat(),
            "level": self.level,
            "assessed_by": self.assessed_by,
            "notes": self.notes,
        }


def _risks(conn: Connection, ids: Collection[int] | None) -> dict[int, list[RiskView]]:
    from sqlalchemy import select

    risks = _t("risk_assessment")
    query = _where_in(
        select(risks).order_by(risks.c.assessed_on, risks.c.id), risks.c.subcontract_id, ids
    )
    found: dict[int, list[RiskView]] = {}
    for r in conn.execute(query).mappings():
        found.setdefault(r["subcontract_id"], []).append(
            RiskView(r["assessed_on"], r["level"], r["assessed_by"], r["notes"])
        )
    return found


@dataclass(frozen=True, slots=True)
class DeliverableView:
    """A deliverable, its schedule and every occurrence with its flags on `today`."""

    key: str
    subcontract: str
    title: str
    first_due: date
    every: int | None
    unit: str | None
    until: date
    holds_payments: bool
    occurrences: tuple[Occurrence, ...]

    @property
    def overdue(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.overdue)

    @property
    def very_late(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.very_late)

    @property
    def next_due(self) -> date | None:
        return next((o.due for o in self.occurrences if o.submitted_on is None), None)

    def holding(self) -> HoldingReport:
        return HoldingReport(
            self.title,
            tuple(o.due for o in self.occurrences),
            {o.due: o.submitted_on for o in self.occurrences if o.submitted_on is not None},
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "subcontract": self.subcontract,
            "title": self.title,
            "first_due": self.first_due.isoformat(),
            "every": self.every,
            "unit": self.unit,
            "until": self.until.isoformat(),
            "holds_payments": self.holds_payments,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "overdue": len(self.overdue),
            "very_late": len(self.very_late),
            "occurrences": [
                {
                    "due": o.due.isoformat(),
                    "submitted_on": o.submitted_on.isoformat() if o.submitted_on else None,
                    "overdue": o.overdue,
                    "very_late": o.very_late,
                    "days_late": o.days_late,
                }
                for o in self.occurrences
            ],
        }


def _deliverables(
    conn: Connection, ids: Collection[int] | None, today: date, as_of: bool = False
) -> dict[int, list[DeliverableView]]:
    """Deliverables with their flags on `today`; `as_of`: a report submitted after `today`
    had not been submitted then (so it was overdue on that day if due before it)."""
    from sqlalchemy import select

    deliverables, submissions, sub = _t("deliverable"), _t("submission"), _t("subcontract")
    rows = (
        conn.execute(
            _where_in(
                select(deliverables, sub.c.key.label("sub_key"), sub.c.end.label("sub_end"))
                .select_from(deliverables.join(sub, deliverables.c.subcontract_id == sub.c.id))
                .order_by(deliverables.c.first_due, deliverables.c.key),
                deliverables.c.subcontract_id,
                ids,
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        return {}
    handed: dict[int, dict[date, date]] = {}
    for deliverable_id, due, submitted_on in conn.execute(
        _where_in(
            select(submissions.c.deliverable_id, submissions.c.due, submissions.c.submitted_on),
            submissions.c.deliverable_id,
            [r["id"] for r in rows] if ids is not None else None,
        )
    ):
        if not as_of or submitted_on <= today:
            handed.setdefault(deliverable_id, {})[due] = submitted_on
    found: dict[int, list[DeliverableView]] = {}
    for r in rows:
        until = r["until"] or r["sub_end"]
        dues = due_dates(r["first_due"], r["every"], r["unit"], until)
        found.setdefault(r["subcontract_id"], []).append(
            DeliverableView(
                r["key"],
                r["sub_key"],
                r["title"],
                r["first_due"],
                r["every"],
                r["unit"],
                until,
                bool(r["holds_payments"]),
                tuple(occurrences(dues, handed.get(r["id"], {}), today)),
            )
        )
    return found


def _state(
    conn: Connection, sub_id: int
) -> tuple[dict[str, Decimal], list[AmendmentView], dict[str, Decimal]]:
    originals = _originals(conn, [sub_id]).get(sub_id, {})
    amendments = _amendments(conn, [sub_id]).get(sub_id, [])
    spent, _ = _spending(conn, [sub_id])
    return originals, amendments, spent.get(sub_id, {})


def _committed_of(
    originals: dict[int, dict[str, Decimal]],
    amendments: dict[int, list[AmendmentView]],
    ids: Collection[int],
) -> Decimal:
    """What subcontracts `ids` obligate, amendments awaiting approval counted too
    (`core.grants.budget.committed`), from their lines and amendments as read here."""
    return committed((originals.get(i, {}), [a.record for a in amendments.get(i, [])]) for i in ids)
