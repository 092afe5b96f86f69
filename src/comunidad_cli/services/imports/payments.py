"""The `payments` import kind (key `payment, category`; the rows of one payment share its id
and must agree on subcontract, period, date and status).

New payments are checked in date order with running balances per line kept in memory, so
each fits to the cent after the ones before it; approved and paid ones wait while a report
that holds payments was overdue on the invoice date. A payment already recorded is history:
its lines, subcontract, period and date cannot change through an import; its status may move
on (submitted -> approved -> paid, or declined).

Built for volume: plain-function parsing, a few queries to load the state, dictionaries for
the checks, and executemany for the writes.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.grants.budget import budget_of
from comunidad_cli.core.grants.deliverables import HoldingReport, hold_problem
from comunidad_cli.core.grants.payments import (
    COUNTED_STATUSES,
    HELD_STATUSES,
    apply_payment,
    check_payment,
    payment_transition_problem,
)
from comunidad_cli.core.grants.subcontracts import payable_problem
from comunidad_cli.core.grants.values import (
    CENT,
    parse_category,
    period_problem,
    precision_problem,
    to_cents,
    within_problem,
)
from comunidad_cli.core.importing.columns import Column, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.values import money, parse_date
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import PAYMENT_ENTITY, currency_digits, in_currency_msg
from comunidad_cli.services.grants.records import _amendments, _deliverables, _originals, _spending
from comunidad_cli.services.imports.grant_store import (
    _SUBCONTRACT,
    _no,
    _Problems,
    parse_payment_status,
)
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    stored,
    update_dicts,
    write_audit,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


# --- payments -------------------------------------------------------------------------------

PAYMENT_HEAD = ("subcontract", "period_from", "period_to", "date", "status")
PAYMENT_INSERT = (
    "key",
    "subcontract_id",
    "period_start",
    "period_end",
    "invoice_date",
    "status",
    "total",
    "created_at",
)


def _payment_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("payment", parse_key, required=True),
        Column("subcontract", parse_key, required=True),
        Column("period_from", parse_date, required=True),
        Column("period_to", parse_date, required=True),
        Column("date", parse_date, required=True),
        Column("status", parse_payment_status, required=True),
        Column("category", parse_category, required=True),
        Column("amount", money(ctx.decimal_mark, digits=ctx.money_digits), required=True),
    )


def _payment_line_key(row: Row) -> Hashable | None:
    return (row["payment"], row["category"])


class _Sub:
    """A subcontract's state for the payment checks: budget in force, running spent."""

    __slots__ = (
        "budget",
        "currency",
        "digits",
        "end",
        "holds",
        "id",
        "key",
        "spent",
        "start",
        "status",
    )

    def __init__(self, row: Any) -> None:
        self.id: int = row["id"]
        self.key: str = row["key"]
        self.status: str = row["status"]
        self.start: date = row["start"]
        self.end: date = row["end"]
        self.currency: str = row["currency"]
        self.digits = currency_digits(self.currency)
        self.budget: dict[str, Decimal] = {}
        self.spent: dict[str, Decimal] = {}
        self.holds: list[HoldingReport] = []


def _plan_payments(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import grant_rows as bulk
    from comunidad_cli.storage import grants as storage

    plan = Plan()
    problems = _Problems(plan)

    # Group the rows into payments; the rows of one payment must agree on its head.
    groups: dict[str, list[Row]] = {}
    heads: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        values = row.values
        key = values["payment"]
        head = (
            values["subcontract"],
            values["period_from"],
            values["period_to"],
            values["date"],
            values["status"],
        )
        group = groups.get(key)
        if group is None:
            groups[key] = [row]
            heads[key] = head
            continue
        if head != heads[key]:
            first = group[0]
            differs = next(c for c in PAYMENT_HEAD if row[c] != first[c])
            problems.add(
                row.number,
                differs,
                Msg.of(
                    N_(
                        'payment "{key}" has {column} {value} here but {first} in row {row}:'
                        " the rows of one payment must agree"
                    ),
                    key=key,
                    column=differs,
                    value=str(row[differs]),
                    first=str(first[differs]),
                    row=first.number,
                ),
            )
            continue
        group.append(row)

    # The state: subcontracts, their budgets in force, spent so far, holding reports.
    state: dict[str, _Sub] = {}
    for found in storage.subcontracts(db):
        state[found["key"]] = _Sub(found)
    wanted = {head[0] for head in heads.values()}
    ids = [state[k].id for k in wanted if k in state]
    by_id = {s.id: s for s in state.values()}
    originals = _originals(db, ids)
    amendments = _amendments(db, ids)
    spent, _paid = _spending(db, ids)
    for sub_id in ids:
        loaded = by_id[sub_id]
        loaded.budget = budget_of(
            originals.get(sub_id, {}), [a.record for a in amendments.get(sub_id, [])]
        )
        loaded.spent = dict(spent.get(sub_id, {}))
    for sub_id, views in _deliverables(db, ids, ctx.today).items():
        by_id[sub_id].holds = [d.holding() for d in views if d.holds_payments]

    # Payments already recorded, with their lines.
    existing: dict[str, Any] = {r["key"]: r for r in bulk.payment_rows(db) if r["key"] in groups}
    old_lines: dict[int, dict[str, Decimal]] = {}
    if existing:
        wanted_ids = {r["id"] for r in existing.values()}
        for payment_id, category, amount in storage.payment_lines(db):
            if payment_id in wanted_ids:
                old_lines.setdefault(payment_id, {})[category] = to_cents(amount)
    max_id = bulk.last_payment_id(db)

    new_payments: list[tuple[Any, ...]] = []
    new_lines: list[tuple[str, str, Decimal]] = []
    status_updates: list[dict[str, Any]] = []
    audit: list[tuple[str, str, dict[str, Any]]] = []  # action, payment, detail
    fresh: list[tuple[date, int, str, list[Row], _Sub]] = []
    hold_memo: dict[tuple[int, date], Msg | None] = {}

    def held(sub: _Sub, day: date) -> Msg | None:
        if not sub.holds:
            return None
        memo_key = (sub.id, day)
        if memo_key not in hold_memo:
            hold_memo[memo_key] = hold_problem(sub.holds, day)
        return hold_memo[memo_key]

    mark = ctx.decimal_mark
    for key, group in groups.items():
        first_row = group[0]
        n = first_row.number
        sub = state.get(first_row["subcontract"])
        if sub is None:
            problems.add(
                n,
                "subcontract",
                _no(_SUBCONTRACT, first_row["subcontract"], "comunidad subcontract new"),
            )
            continue
        typed_badly = False
        for r in group:
            typed_badly |= problems.add(
                r.number,
                "amount",
                precision_problem(r.values["amount"], sub.digits, sub.currency, mark),
            )
        if typed_badly:
            continue
        old = existing.get(key)
        if old is None:
            fresh.append((first_row["date"], n, key, group, sub))
            continue
        # Already recorded: only the status may move on.
        recorded = {r["category"]: to_cents(r["amount"]) for r in group}
        same_head = (
            old["subcontract_id"] == sub.id
            and old["period_start"] == first_row["period_from"]
            and old["period_end"] == first_row["period_to"]
            and old["invoice_date"] == first_row["date"]
        )
        if not same_head or old_lines.get(old["id"], {}) != recorded:
            problems.add(
                n,
                None,
                Msg.of(
                    N_(
                        'payment "{key}" is already recorded with another subcontract, period, date'
                        " or lines: a payment is history; record a correcting payment instead"
                    ),
                    key=key,
                ),
            )
            continue
        status = first_row["status"]
        if status == old["status"]:
            plan.unchanged += 1
            continue
        if problems.add(n, "status", payment_transition_problem(old["status"], status)):
            continue
        if status in HELD_STATUSES and problems.add(n, "status", held(sub, first_row["date"])):
            continue
        if status == "declined" and old["status"] in COUNTED_STATUSES:
            apply_payment(sub.spent, ((c, -a) for c, a in recorded.items()))
        status_updates.append({"_id": old["id"], "status": status})
        audit.append(
            (
                "update",
                key,
                {"file": ctx.file, "row": n, "changed": {"status": [old["status"], status]}},
            )
        )

    fresh.sort(key=lambda item: (item[0], item[1]))
    counted_statuses, held_statuses = COUNTED_STATUSES, HELD_STATUSES
    for day, n, key, group, sub in fresh:
        _sub_key, period_from, period_to, _day, status = heads[key]
        bad = problems.add(
            n,
            "period_to",
            period_problem(period_from, period_to)
            or within_problem(period_from, period_to, sub.start, sub.end, _SUBCONTRACT),
        )
        bad |= problems.add(n, "subcontract", payable_problem(sub.status))
        if bad:
            continue
        split = [(r.values["category"], r.values["amount"]) for r in group]
        counted = status in counted_statuses
        refusals = check_payment(sub.budget, sub.spent, split, counted=counted)
        if refusals:
            for msg in refusals:
                problems.add(n, None, in_currency_msg(msg, sub.currency))
            continue
        if status in held_statuses and problems.add(n, "status", held(sub, day)):
            continue
        cents = [(c, a.quantize(CENT)) for c, a in split]
        if counted:
            apply_payment(sub.spent, cents)
        new_payments.append(
            (key, sub.id, period_from, period_to, day, status, sum(a for _, a in cents), ctx.at)
        )
        new_lines.extend((key, c, a) for c, a in cents)
        audit.append(
            (
                "create",
                key,
                {
                    "file": ctx.file,
                    "row": n,
                    "subcontract": sub.key,
                    "date": day,
                    "status": status,
                    "lines": dict(cents),
                },
            )
        )
    plan.created, plan.updated = len(new_payments), len(status_updates)

    def write(db: Db) -> None:
        if new_payments:
            db.insert_rows(
                "payment",
                PAYMENT_INSERT,
                [tuple(stored(db, v) for v in values) for values in new_payments],
            )
            ids = bulk.payment_ids_after(db, max_id)
            db.insert_rows(
                "payment_line",
                ("payment_id", "category", "amount"),
                [(ids[k], c, stored(db, a)) for k, c, a in new_lines],
            )
        update_dicts(db, "payment", status_updates)
        write_audit(
            db,
            ctx,
            PAYMENT_ENTITY,
            [AuditEntry(action, key, detail) for action, key, detail in audit],
        )

    plan.write = write
    return plan


PAYMENTS_IMPORT = ImportKind(
    name="payments",
    entity=PAYMENT_ENTITY,
    columns=_payment_columns,
    natural_key=_payment_line_key,
    key_columns="payment, category",
    plan=_plan_payments,
)
