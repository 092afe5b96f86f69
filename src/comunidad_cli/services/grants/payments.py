"""Payments to subcontractors: recording one split across budget lines, its status, and the list.

Each writing function is one transaction (`writing`) with its audit rows; a refusal raises
`Refused` before anything is written.
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
    _check,
    _choice,
    _connected,
    _new_key,
    _precision,
    _refused,
    _subcontract_row,
    _t,
    in_currency,
)
from comunidad_cli.services.grants.records import _deliverables, _state

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session


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


def holding_reports(conn: Connection, sub_id: int) -> list[HoldingReport]:
    """The subcontract's deliverables that hold payments, with their submissions."""
    today = clock.today()
    return [
        d.holding()
        for d in _deliverables(conn, [sub_id], today).get(sub_id, [])
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
    from sqlalchemy import insert

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    chosen_status = _choice(status, PAYMENT_STATUSES, "--status")
    now = clock.now()
    payments, payment_lines = _t("payment"), _t("payment_line")
    with writing(url) as session:
        conn = session.connection()
        sub = _subcontract_row(conn, subcontract)
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
        originals, history, spent = _state(conn, sub["id"])
        budget = budget_of(originals, [a.record for a in history])
        counted = chosen_status in COUNTED_STATUSES
        _precision(currency, [(f"--line {c}", a) for c, a in lines], decimal_mark)
        _check(check_payment(budget, spent, lines, counted=counted), currency)
        if chosen_status in HELD_STATUSES:
            _check([hold_problem(holding_reports(conn, sub["id"]), invoice_date)], currency)
        chosen = _new_key(conn, payments, key, (sub["key"], invoice_date.isoformat()), "payment")
        cents = [(c, to_cents(a)) for c, a in lines]
        total = sum((a for _, a in cents), ZERO)
        result = conn.execute(
            insert(payments).values(
                key=chosen,
                subcontract_id=sub["id"],
                period_start=period_start,
                period_end=period_end,
                invoice_date=invoice_date,
                status=chosen_status,
                total=total,
                created_at=now,
            )
        )
        assert result.inserted_primary_key is not None
        payment_id = int(result.inserted_primary_key[0])
        conn.execute(
            insert(payment_lines),
            [{"payment_id": payment_id, "category": c, "amount": a} for c, a in cents],
        )
        record(
            conn,
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
    from sqlalchemy import select, update

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    new = _choice(status, ("approved", "paid", "declined"), "STATUS")
    now = clock.now()
    payments, sub = _t("payment"), _t("subcontract")
    with writing(url) as session:
        conn = session.connection()
        row = conn.execute(
            select(payments.c.id, payments.c.status, payments.c.subcontract_id).where(
                payments.c.key == key.strip()
            )
        ).first()
        if row is None:
            raise _refused(N_('no payment with id "{key}": see "comunidad payment list"'), key=key)
        payment_id, old, sub_id = row
        _check([payment_transition_problem(old, new)])
        if new in HELD_STATUSES:
            _check([hold_problem(holding_reports(conn, sub_id), today)])
        conn.execute(update(payments).where(payments.c.id == payment_id).values(status=new))
        sub_key = conn.execute(select(sub.c.key).where(sub.c.id == sub_id)).scalar_one()
        record(
            conn,
            command=command,
            action="update",
            entity=PAYMENT_ENTITY,
            entity_id=key.strip(),
            detail={"status": [old, new], "subcontract": sub_key},
            at=now,
        )
    return old, new


def list_payments(
    source: str | Session | Connection, subcontract: str | None = None
) -> list[PaymentView]:
    """Payments (of one subcontract) by date then id, each with its lines."""
    from sqlalchemy import select

    payments, lines, sub, grant = (
        _t("payment"),
        _t("payment_line"),
        _t("subcontract"),
        _t("grant_award"),
    )
    with _connected(source) as conn:
        query = (
            select(
                payments.c.id,
                payments.c.key,
                sub.c.key,
                payments.c.period_start,
                payments.c.period_end,
                payments.c.invoice_date,
                payments.c.status,
                payments.c.total,
                grant.c.currency,
            )
            .select_from(
                payments.join(sub, payments.c.subcontract_id == sub.c.id).join(
                    grant, sub.c.grant_id == grant.c.id
                )
            )
            .order_by(payments.c.invoice_date, payments.c.key)
        )
        line_query = select(lines.c.payment_id, lines.c.category, lines.c.amount).order_by(
            lines.c.id
        )
        if subcontract is not None:
            sub_id = _subcontract_row(conn, subcontract)["id"]
            query = query.where(payments.c.subcontract_id == sub_id)
            line_query = line_query.select_from(
                lines.join(payments, lines.c.payment_id == payments.c.id)
            ).where(payments.c.subcontract_id == sub_id)
        by_payment: dict[int, list[tuple[str, Decimal]]] = {}
        for payment_id, category, amount in conn.execute(line_query):
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
            for payment_id, key, sub_key, p_start, p_end, day, status, total, currency in conn.execute(
                query
            )
        ]
