"""Payments to subcontractors: recording one split across budget lines, its status, and the list.

Each writing function is one transaction (`writing_db`) with its audit rows; a refusal raises
`Refused` before anything is written. `payment add` and `payment list` go through
`storage.grants` on a plain DB-API connection: they never import SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.grants.budget import budget_of
from comunidad_cli.core.grants.deliverables import HoldingReport, hold_problem
from comunidad_cli.core.grants.payments import (
    COUNTED_STATUSES,
    HELD_STATUSES,
    PAYMENT_STATUSES,
    check_payment,
    payment_transition_problem,
)
from comunidad_cli.core.grants.subcontracts import payable_problem
from comunidad_cli.core.grants.values import ZERO, period_problem, to_cents, within_problem
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import (
    PAYMENT_ENTITY,
    Refused,
    _check,
    _choice,
    _new_key,
    _precision,
    _reading,
    _subcontract_row,
    in_currency,
)
from comunidad_cli.services.grants.records import _deliverables, _state

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.storage.dbapi import Db


@dataclass(frozen=True, slots=True)
class PaymentView:
    key: str
    subcontract: str
    period_start: date
    period_end: date
    invoice_date: date
    status: str
    total: Decimal
    currency: str
    lines: tuple[tuple[str, Decimal], ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = in_currency(
            {
                "id": self.key,
                "subcontract": self.subcontract,
                "period_from": self.period_start.isoformat(),
                "period_to": self.period_end.isoformat(),
                "date": self.invoice_date.isoformat(),
                "status": self.status,
                "total": self.total,
                "currency": self.currency,
                "lines": [{"category": c, "amount": a} for c, a in self.lines],
            },
            self.currency,
        )
        return data


def holding_reports(source: Db | Connection, sub_id: int) -> list[HoldingReport]:
    """The subcontract's deliverables that hold payments, with their submissions."""
    today = clock.today()
    return [
        d.holding()
        for d in _deliverables(source, [sub_id], today).get(sub_id, [])
        if d.holds_payments
    ]


def add_payment(
    url: str,
    *,
    subcontract: str,
    period_start: date,
    period_end: date,
    invoice_date: date,
    status: str,
    lines: Sequence[tuple[str, Decimal]],
    key: str | None = None,
    decimal_mark: str | None = None,
    command: str = "payment add",
) -> PaymentView:
    """Record an invoice (negative lines: a repayment), refused if it would overdraw a line
    or the subcontract. An approved or paid payment waits while a report that holds
    payments is overdue on the invoice date."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.grants import add_payment as insert_payment

    chosen_status = _choice(status, PAYMENT_STATUSES, "--status")
    now = clock.now()
    with writing_db(url) as db:
        sub = _subcontract_row(db, subcontract)
        currency = sub["currency"]
        _check(
            [
                period_problem(period_start, period_end)
                or within_problem(
                    period_start, period_end, sub["start"], sub["end"], Msg.of(N_("subcontract"))
                ),
                payable_problem(sub["status"]),
            ],
            currency,
        )
        originals, history, spent = _state(db, sub["id"])
        budget = budget_of(originals, [a.record for a in history])
        counted = chosen_status in COUNTED_STATUSES
        _precision(currency, [(f"--line {c}", a) for c, a in lines], decimal_mark)
        _check(check_payment(budget, spent, lines, counted=counted), currency)
        if chosen_status in HELD_STATUSES:
            _check([hold_problem(holding_reports(db, sub["id"]), invoice_date)], currency)
        chosen = _new_key(db, "payment", key, (sub["key"], invoice_date.isoformat()), "payment")
        cents = [(c, to_cents(a)) for c, a in lines]
        total = sum((a for _, a in cents), ZERO)
        insert_payment(
            db,
            key=chosen,
            subcontract_id=sub["id"],
            period_start=period_start,
            period_end=period_end,
            invoice_date=invoice_date,
            status=chosen_status,
            total=total,
            created_at=now,
            lines=cents,
        )
        record(
            db,
            command=command,
            action="create",
            entity=PAYMENT_ENTITY,
            entity_id=chosen,
            detail={
                "subcontract": sub["key"],
                "period_from": period_start,
                "period_to": period_end,
                "date": invoice_date,
                "status": chosen_status,
                "lines": dict(cents),
            },
            at=now,
        )
    return PaymentView(
        chosen,
        sub["key"],
        period_start,
        period_end,
        invoice_date,
        chosen_status,
        total,
        currency,
        tuple(cents),
    )


def set_payment_status(
    url: str, key: str, status: str, *, today: date, command: str = "payment status"
) -> tuple[str, str]:
    """submitted -> approved -> paid, or declined; approving or paying waits while a report
    that holds payments is overdue today. Returns (old, new)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import grants as stored
    from comunidad_cli.storage.audit import record

    new = _choice(status, ("approved", "paid", "declined"), "STATUS")
    now = clock.now()
    with writing_db(url) as db:
        row = stored.payment_status(db, key.strip())
        if row is None:
            from comunidad_cli.services.suggest import no_such

            fallback = Msg.of(
                N_('no payment with id "{key}": see "comunidad payment list"'), key=key
            )
            raise Refused([no_such(db, "payment", key, fallback)])
        payment_id, old, sub_id = row
        _check([payment_transition_problem(old, new)])
        if new in HELD_STATUSES:
            _check([hold_problem(holding_reports(db, sub_id), today)])
        stored.set_payment_status(db, payment_id, new)
        record(
            db,
            command=command,
            action="update",
            entity=PAYMENT_ENTITY,
            entity_id=key.strip(),
            detail={"status": [old, new], "subcontract": stored.subcontract_key(db, sub_id)},
            at=now,
        )
    return old, new


def list_payments(
    source: str | Db | Session | Connection, subcontract: str | None = None
) -> list[PaymentView]:
    """Payments (of one subcontract) by date then id, each with its lines."""
    from comunidad_cli.storage.grants import payment_lines, payments

    with _reading(source) as db:
        sub_id = _subcontract_row(db, subcontract)["id"] if subcontract is not None else None
        by_payment: dict[int, list[tuple[str, Decimal]]] = {}
        for payment_id, category, amount in payment_lines(db, sub_id):
            by_payment.setdefault(payment_id, []).append((category, to_cents(amount)))
        return [
            PaymentView(
                key,
                sub_key,
                p_start,
                p_end,
                day,
                status,
                to_cents(total),
                currency,
                tuple(by_payment.get(payment_id, [])),
            )
            for payment_id, key, sub_key, p_start, p_end, day, status, total, currency in payments(
                db, sub_id
            )
        ]
