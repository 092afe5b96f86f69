"""Reading the record of subcontracts in a few queries whatever their number: original budget
lines, amendments, spending (summed by the database in integer cents), risk assessments and
deliverables with their occurrences. `ids=None` reads them all.

The queries are `storage.grants`'s, over a `storage.dbapi.Db`: each reader takes a Db, or the
SQLAlchemy Session or Connection of an import's careful path (`as_db` reaches
the same transaction), so there is one way to each query. No SQLAlchemy is imported here.
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
from comunidad_cli.storage import grants as stored
from comunidad_cli.storage.dbapi import as_db

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.storage.dbapi import Db

    #: A transaction: a `Db`, or a SQLAlchemy Session or Connection (`as_db` reaches it).
    Source = Db | Session | Connection


def _originals(source: Source, ids: Collection[int] | None) -> dict[int, dict[str, Decimal]]:
    found: dict[int, dict[str, Decimal]] = {}
    for sub_id, category, amount in stored.budget_lines(as_db(source), ids):
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
    source: Source, ids: Collection[int] | None, as_of: date | None = None
) -> dict[int, list[AmendmentView]]:
    """Each subcontract's amendments, in order. `as_of`: the view of that day, so only those
    in effect by then and recorded by then (their `created_at` on the workspace's clocks),
    and an approval the funder gave later is still awaited."""
    db = as_db(source)
    rows = stored.amendments(db, ids)
    if not rows:
        return {}
    deltas: dict[int, list[tuple[str, Decimal]]] = {}
    for amendment_id, category, delta in stored.amendment_lines(db, [r["id"] for r in rows]):
        deltas.setdefault(amendment_id, []).append((category, to_cents(delta)))
    found: dict[int, list[AmendmentView]] = {}
    zone = None
    if as_of is not None:  # services.facts (with the by-laws' TOML reader) only when needed
        from comunidad_cli.services.facts import local_zone

        zone = local_zone()
    for r in rows:
        approved = r["funder_approved_on"]
        if as_of is not None:
            if r["effective"] > as_of or r["created_at"].astimezone(zone).date() > as_of:
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


def _spending(
    source: Source, ids: Collection[int] | None, until: date | None = None
) -> tuple[dict[int, dict[str, Decimal]], dict[int, Decimal]]:
    """Spent per subcontract and category (counted payments), and paid per subcontract;
    with `until`, only the payments dated on or before it (a report as of that day)."""
    db = as_db(source)
    spent: dict[int, dict[str, Decimal]] = {}
    for sub_id, category, amount in stored.spent(db, ids, COUNTED_STATUSES, until):
        spent.setdefault(sub_id, {})[category] = amount
    return spent, stored.paid(db, ids, until)


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


def _risks(source: Source, ids: Collection[int] | None) -> dict[int, list[RiskView]]:
    found: dict[int, list[RiskView]] = {}
    for sub_id, on, level, by, notes in stored.risks(as_db(source), ids):
        found.setdefault(sub_id, []).append(RiskView(on, level, by, notes))
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
        """The first due date on or after today (or the as-of day) not yet submitted: a
        past unsubmitted one is overdue (counted apart), not "next"."""
        return next(
            (o.due for o in self.occurrences if o.submitted_on is None and not o.overdue), None
        )

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
    source: Source,
    ids: Collection[int] | None,
    today: date,
    as_of: bool = False,
    *,
    overdue_only: bool = False,
) -> dict[int, list[DeliverableView]]:
    """Deliverables with their flags on `today`; `as_of`: a report submitted after `today`
    had not been submitted then (so it was overdue on that day if due before it).
    `overdue_only`: each with only its occurrences overdue on `today`, all a position
    shows (the due dates after today are not computed: a list of a thousand deliverables
    would otherwise make every one up to the subcontract's end)."""
    db = as_db(source)
    rows = stored.deliverables(db, ids)
    if not rows:
        return {}
    handed: dict[int, dict[date, date]] = {}
    for deliverable_id, due, submitted_on in stored.submissions(
        db, [r["id"] for r in rows] if ids is not None else None
    ):
        if not as_of or submitted_on <= today:
            handed.setdefault(deliverable_id, {})[due] = submitted_on
    found: dict[int, list[DeliverableView]] = {}
    for r in rows:
        until = r["until"] or r["sub_end"]
        given = handed.get(r["id"], {})
        if overdue_only:  # due before today and not handed in: every such one is overdue
            dues = due_dates(r["first_due"], r["every"], r["unit"], min(until, today))
            dues = [d for d in dues if d < today and d not in given]
        else:
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
                tuple(occurrences(dues, given, today)),
            )
        )
    return found


def _state(
    source: Source, sub_id: int
) -> tuple[dict[str, Decimal], list[AmendmentView], dict[str, Decimal]]:
    db = as_db(source)
    originals = _originals(db, [sub_id]).get(sub_id, {})
    amendments = _amendments(db, [sub_id]).get(sub_id, [])
    spent, _ = _spending(db, [sub_id])
    return originals, amendments, spent.get(sub_id, {})


def _committed_of(
    originals: dict[int, dict[str, Decimal]],
    amendments: dict[int, list[AmendmentView]],
    ids: Collection[int],
) -> Decimal:
    """What subcontracts `ids` obligate, amendments awaiting approval counted too
    (`core.grants.budget.committed`), from their lines and amendments as read here."""
    return committed((originals.get(i, {}), [a.record for a in amendments.get(i, [])]) for i in ids)
