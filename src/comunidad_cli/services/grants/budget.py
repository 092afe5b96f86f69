"""Budgets: what a grant's subcontracts obligate, amendments and the funder's approval of
budget revisions.

Each writing function is one transaction (`writing_db`: a DB-API connection, no SQLAlchemy)
over the queries of `storage.grants`, with its audit rows; a refusal raises `Refused` before
anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from comunidad_cli import clock
from comunidad_cli.core.grants.budget import (
    RevisionCheck,
    approval_problems,
    budget_of,
    check_amendment,
    check_revision,
    obligation_problem,
)
from comunidad_cli.core.grants.values import ZERO, to_cents
from comunidad_cli.core.messages import N_
from comunidad_cli.services.grants.common import (
    AMENDMENT_ENTITY,
    _check,
    _not_future,
    _precision,
    _refused,
    _subcontract_row,
    _text,
)
from comunidad_cli.services.grants.records import (
    AmendmentView,
    _amendments,
    _committed_of,
    _originals,
    _state,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def _committed(db: Db, grant_id: int, but: int | None = None) -> Decimal:
    """Obligated in the grant's subcontracts, counting amendments awaiting approval too."""
    from comunidad_cli.storage.grants import subcontract_ids

    ids = [i for i in subcontract_ids(db, grant_id) if i != but]
    if not ids:
        return ZERO
    return _committed_of(_originals(db, ids), _amendments(db, ids), ids)


@dataclass(frozen=True, slots=True)
class AmendmentResult:
    subcontract: str
    number: int
    currency: str
    revision: RevisionCheck
    change: Decimal
    obligated_before: Decimal
    obligated_after: Decimal

    @property
    def needs_approval(self) -> bool:
        return self.revision.needs_approval


def amend_subcontract(
    url: str,
    key: str,
    *,
    effective: date,
    reason: str,
    lines: Sequence[tuple[str, Decimal]],
    threshold: Fraction,
    decimal_mark: str | None = None,
    command: str = "subcontract amend",
) -> AmendmentResult:
    """Record amendment N+1 (history is never overwritten). Flagged as needing the funder's
    approval when the money moved between lines exceeds `threshold`; such an amendment is
    in force only once approved (`approve_revision`)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.grants import add_amendment

    why = _text(reason, "--reason")
    now = clock.now()
    with writing_db(url) as db:
        sub = _subcontract_row(db, key)
        currency = sub["currency"]
        if sub["status"] == "closed":
            raise _refused(N_("the subcontract is closed: it cannot be amended"))
        originals, history_views, spent = _state(db, sub["id"])
        history = [a.record for a in history_views]
        _precision(currency, [(f"--line {c}", a) for c, a in lines], decimal_mark)
        _check(check_amendment(originals, history, spent, lines), currency)
        deltas = {c: to_cents(d) for c, d in lines}
        change = sum(deltas.values(), ZERO)
        if change > 0:
            mine = sum(budget_of(originals, history, include_pending=True).values(), ZERO)
            _check(
                [
                    obligation_problem(
                        sub["grant_amount"],
                        _committed(db, sub["grant_id"], but=sub["id"]),
                        mine + change,
                    )
                ],
                currency,
            )
        revision = check_revision(originals, history, deltas, threshold)
        before = sum(budget_of(originals, history).values(), ZERO)
        number = max((a.number for a in history), default=0) + 1
        add_amendment(
            db,
            subcontract_id=sub["id"],
            number=number,
            effective=effective,
            reason=why,
            needs_funder_approval=revision.needs_approval,
            created_at=now,
            lines=list(deltas.items()),
        )
        record(
            db,
            command=command,
            action="create",
            entity=AMENDMENT_ENTITY,
            entity_id=f"{sub['key']}#{number}",
            detail={
                "effective": effective,
                "reason": why,
                "lines": deltas,
                "moved": revision.moved,
                "cumulative_moved": revision.cumulative,
                "needs_funder_approval": revision.needs_approval,
            },
            at=now,
        )
    after = before if revision.needs_approval else before + change
    return AmendmentResult(sub["key"], number, currency, revision, change, before, after)


def approve_revision(
    url: str,
    key: str,
    *,
    number: int,
    on: date,
    today: date,
    command: str = "subcontract approve-revision",
) -> AmendmentView:
    """Record the funder's approval of amendment `number`: from then on it is in force."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.grants import approve_amendment

    _not_future(on, today, "--on")
    now = clock.now()
    with writing_db(url) as db:
        sub = _subcontract_row(db, key)
        originals, history_views, spent = _state(db, sub["id"])
        _check(
            approval_problems(originals, [a.record for a in history_views], number, spent),
            sub["currency"],
        )
        approve_amendment(db, sub["id"], number, on)
        record(
            db,
            command=command,
            action="update",
            entity=AMENDMENT_ENTITY,
            entity_id=f"{sub['key']}#{number}",
            detail={"funder_approved_on": on},
            at=now,
        )
        view = next(a for a in history_views if a.number == number)
    return AmendmentView(
        view.number, view.effective, view.reason, view.deltas, view.needs_approval, on
    )
