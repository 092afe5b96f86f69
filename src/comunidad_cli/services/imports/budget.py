"""The `budget-lines` import kind (key `subcontract, category`).

The original budget may be loaded and corrected until the subcontract has a payment or an
amendment; after that, changes are amendments. The grant's subcontracts may not obligate
more than the grant.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING

from comunidad_cli.core.grants.budget import obligation_problem
from comunidad_cli.core.grants.values import (
    ZERO,
    amount_problem,
    parse_category,
    precision_problem,
    to_cents,
)
from comunidad_cli.core.importing.columns import Column, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.values import money
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import currency_digits
from comunidad_cli.services.imports.grant_store import (
    _SUBCONTRACT,
    _committed_by_grant,
    _no,
    _Problems,
    _shown,
)
from comunidad_cli.services.imports.kinds import (
    ImportContext,
    ImportKind,
    Plan,
    Upserts,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


# --- budget lines ---------------------------------------------------------------------------


def _budget_line_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("subcontract", parse_key, required=True),
        Column("category", parse_category, required=True),
        Column("amount", money(ctx.decimal_mark, digits=ctx.money_digits), required=True),
    )


def _line_key(row: Row) -> Hashable | None:
    return (row["subcontract"], row["category"])


def _plan_budget_lines(
    db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from comunidad_cli.storage import grant_rows as bulk
    from comunidad_cli.storage import grants as stored

    sub_rows = {r["key"]: r for r in stored.subcontracts(db)}
    grant_rows = {r["id"]: r for r in stored.grants(db)}
    existing = {
        (sub_id, category): (line_id, to_cents(amount))
        for line_id, sub_id, category, amount in bulk.budget_line_rows(db)
    }
    in_use = bulk.subcontracts_in_use(db)
    committed, _by_grant = _committed_by_grant(db)
    upserts = Upserts(ctx)
    plan = upserts.plan
    problems = _Problems(plan)
    added: dict[int, Decimal] = {}  # grant id -> change in obligated
    last_row: dict[int, int] = {}
    for row in rows:
        n = row.number
        sub = sub_rows.get(row["subcontract"])
        if sub is None:
            problems.add(
                n,
                "subcontract",
                _no(_SUBCONTRACT, row["subcontract"], "comunidad subcontract new"),
            )
            continue
        amount = row["amount"]
        if problems.add(
            n,
            "amount",
            precision_problem(
                amount, currency_digits(sub["currency"]), sub["currency"], ctx.decimal_mark
            )
            or _shown(amount_problem(amount), sub["currency"]),
        ):
            continue
        amount = to_cents(amount)
        category = row["category"]
        old = existing.get((sub["id"], category))
        if old is not None and old[1] == amount:
            plan.unchanged += 1
            continue
        if sub["id"] in in_use:
            problems.add(
                n,
                None,
                Msg.of(
                    N_(
                        'the budget of "{key}" is in use (it has payments or amendments): change it'
                        ' with "comunidad subcontract amend"'
                    ),
                    key=row["subcontract"],
                ),
            )
            continue
        grant_id = sub["grant_id"]
        added[grant_id] = added.get(grant_id, ZERO) + amount - (old[1] if old else ZERO)
        last_row[grant_id] = n
        detail = {**upserts.at(n), "subcontract": row["subcontract"], "category": category}
        line = f"{row['subcontract']}/{category}"
        if old is None:
            upserts.create(
                line,
                {"subcontract_id": sub["id"], "category": category, "amount": amount},
                {**detail, "amount": amount},
            )
        else:
            upserts.update(line, old[0], {"amount": amount}, {"amount": [old[1], amount]}, detail)
    for grant_id, change in added.items():
        grant = grant_rows[grant_id]
        problems.add(
            last_row[grant_id],
            None,
            _shown(
                obligation_problem(grant["amount"], committed.get(grant_id, ZERO), change),
                grant["currency"],
            ),
        )
    return upserts.done("budget_line", "budget_line")


BUDGET_LINES_IMPORT = ImportKind(
    name="budget-lines",
    entity="budget_line",
    columns=_budget_line_columns,
    natural_key=_line_key,
    key_columns="subcontract, category",
    plan=_plan_budget_lines,
)
