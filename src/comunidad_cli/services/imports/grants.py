"""Import kinds of grant administration: grants, subcontracts, budget-lines, payments,
deliverables, submissions.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every bad
row listed, rows matched on their natural key, re-running a file changes nothing. The rules
are those of the commands (core/grants.py), checked against the database and the rows
before them in the file:

- `grants` (key `id`): an update may not lower the amount below what its subcontracts
  obligate, nor shrink the period so a subcontract falls outside it.
- `subcontracts` (key `id`): a subcontract stays under its grant and partner; `status`
  moves forward only (a file states where things are, so it may skip steps), and leaving
  draft needs a risk assessment on file or in the row (`risk_level`, `risk_by`,
  `risk_on`, recorded as one assessment, matched on its date).
- `budget-lines` (key `subcontract, category`): the original budget may be loaded and
  corrected until the subcontract has a payment or an amendment; after that, changes are
  amendments. The grant's subcontracts may not obligate more than the grant.
- `payments` (key `payment, category`; the rows of one payment share its id and must agree
  on subcontract, period, date and status). New payments are checked in date order with
  running balances per line kept in memory, so each fits to the cent after the ones before
  it; approved and paid ones wait while a report that holds payments was overdue on the
  invoice date. A payment already recorded is history: its lines, subcontract, period and
  date cannot change through an import; its status may move on (submitted -> approved ->
  paid, or declined).
- `deliverables` (key `id`) and `submissions` (key `deliverable, due`): a schedule change
  may not orphan a submission; a submission answers one due date and is not in the future.

Payments are built for volume: plain-function parsing, a few queries to load the state,
dictionaries for the checks, and executemany for the writes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli.core import grants as core
from comunidad_cli.core.importing import (
    Column,
    Problem,
    Row,
    choice,
    earlier_id,
    make_id,
    money,
    parse_bool,
    parse_date,
    parse_int,
    parse_key,
    slugify,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants import (
    DELIVERABLE_ENTITY,
    GRANT_ENTITY,
    PAYMENT_ENTITY,
    SUBCONTRACT_ENTITY,
    SUBMISSION_ENTITY,
    _amendments,
    _deliverables,
    _originals,
    _spending,
    currency_digits,
    in_currency_msg,
    parse_currency,
    parse_text,
)
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

ZERO = core.ZERO
CENT = core.CENT
parse_kind = choice(*core.SUBCONTRACT_KINDS)
parse_status = choice(*core.SUBCONTRACT_STATUSES)
parse_payment_status = choice(*core.PAYMENT_STATUSES)
parse_level = choice(*core.RISK_LEVELS)
parse_unit = choice(*core.UNITS)


def _t(name: str) -> Table:
    from comunidad_cli.services.directory import table_of

    return table_of(name)


def _no(entity: Msg, key: str, hint: str) -> Msg:
    return Msg.of(
        N_('no {entity} with id "{key}": import them first, or add it with "{hint}"'),
        entity=entity,
        key=key,
        hint=hint,
    )


_ORG = Msg.of(N_("organisation"))
_GRANT = Msg.of(N_("grant"))
_SUBCONTRACT = Msg.of(N_("subcontract"))
_DELIVERABLE = Msg.of(N_("deliverable"))


def _shown(msg: Msg | None, currency: str) -> Msg | None:
    """A problem's amounts with `currency`'s digits, as the file's reader counts them."""
    return None if msg is None else in_currency_msg(msg, currency)


class _Problems:
    """Collects problems for a plan, with the row and column they belong to."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def add(self, row: int, column: str | None, msg: Msg | None) -> bool:
        if msg is None:
            return False
        self.plan.problems.append(Problem(row, column, msg))
        return True


def _bulk(
    table_name: str,
    entity: str,
    ctx: ImportContext,
    creates: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    audit: list[AuditEntry],
    after: Callable[[Connection], None] | None = None,
) -> Callable[[Connection], None]:
    def write(conn: Connection) -> None:
        from sqlalchemy import bindparam, insert, update

        table = _t(table_name)
        if creates:
            conn.execute(insert(table), creates)
        if updates:
            conn.execute(update(table).where(table.c.id == bindparam("_id")), updates)
        if after is not None:
            after(conn)
        write_audit(conn, ctx, entity, audit)

    return write


def _changed(old: Any, new: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {f: [old[f], v] for f, v in new.items() if old[f] != v}


def _keys(conn: Connection, table_name: str) -> dict[str, int]:
    from sqlalchemy import select

    table = _t(table_name)
    return {k: i for i, k in conn.execute(select(table.c.id, table.c.key)).all()}


def fast_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT many rows as tuples in one driver-level executemany, converting values with
    the columns' own bind processors (what Core would do, without its per-row overhead)."""
    if not rows:
        return
    from sqlalchemy import insert

    dialect = conn.dialect
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if mark is None:  # pragma: no cover - other drivers: Core executemany
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    quote = dialect.identifier_preparer.quote
    processors = [
        (i, p)
        for i, c in enumerate(columns)
        if (p := table.c[c].type._cached_bind_processor(dialect)) is not None
    ]
    if processors:
        converted: list[Sequence[Any]] = []
        for row in rows:
            values = list(row)
            for i, process in processors:
                values[i] = process(values[i])
            converted.append(tuple(values))
        rows = converted
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table.name), ", ".join(quote(c) for c in columns), ", ".join([mark] * len(columns))
    )
    conn.exec_driver_sql(sql, list(rows))


# --- grants ---------------------------------------------------------------------------------


def _grant_key(row: Row) -> str:
    key: str | None = row.get("id")
    return key if key else slugify(row["title"], prefix="grant")


def _grant_columns(ctx: ImportContext) -> tuple[Column, ...]:
    amount = money(ctx.decimal_mark)
    return (
        Column("id", parse_key),
        Column("funder", parse_key, required=True),
        Column("title", parse_text, required=True),
        Column("award_number", parse_text),
        Column("amount", amount, required=True),
        Column("currency", parse_currency, required=True),
        Column("from", parse_date, required=True),
        Column("to", parse_date, required=True),
        Column("match", amount),
    )


def _committed_by_grant(conn: Connection) -> tuple[dict[int, Decimal], dict[int, list[int]]]:
    """Obligated per grant (amendments awaiting approval included), and subcontract ids."""
    from sqlalchemy import select

    sub = _t("subcontract")
    by_grant: dict[int, list[int]] = {}
    for sub_id, grant_id in conn.execute(select(sub.c.id, sub.c.grant_id)).all():
        by_grant.setdefault(grant_id, []).append(sub_id)
    originals = _originals(conn, None)
    amendments = _amendments(conn, None)
    committed = {
        grant_id: sum(
            (
                sum(
                    core.budget_of(
                        originals.get(i, {}),
                        [a.record for a in amendments.get(i, [])],
                        include_pending=True,
                    ).values(),
                    ZERO,
                )
                for i in ids
            ),
            ZERO,
        )
        for grant_id, ids in by_grant.items()
    }
    return committed, by_grant


def _plan_grants(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import func, select

    table, sub = _t("grant_award"), _t("subcontract")
    orgs = _keys(conn, "organisation")
    existing = {r["key"]: r for r in conn.execute(select(table)).mappings()}
    committed, _ids = _committed_by_grant(conn)
    spans = {
        grant_id: (first, last)
        for grant_id, first, last in conn.execute(
            select(sub.c.grant_id, func.min(sub.c.start), func.max(sub.c.end)).group_by(
                sub.c.grant_id
            )
        ).all()
    }
    plan = Plan()
    problems = _Problems(plan)
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        n = row.number
        key = _grant_key(row)
        if not row.get("id") and key not in existing:
            earlier = earlier_id(row["title"], prefix="grant")
            key = earlier if earlier in existing else key
        funder_id = orgs.get(row["funder"])
        bad = problems.add(
            n, "funder", None if funder_id else _no(_ORG, row["funder"], "comunidad org add")
        )
        currency = row["currency"]
        digits = currency_digits(currency)
        for column, value, allow_zero in (
            ("amount", row["amount"], False),
            ("match", row.get("match"), True),
        ):
            if value is not None:
                bad |= problems.add(
                    n,
                    column,
                    core.precision_problem(value, digits, currency, ctx.decimal_mark)
                    or _shown(core.amount_problem(value, allow_zero=allow_zero), currency),
                )
        bad |= problems.add(n, "to", core.period_problem(row["from"], row["to"]))
        if bad:
            continue
        assert funder_id is not None
        values: dict[str, Any] = {
            "funder_id": funder_id,
            "title": row["title"],
            "award_number": row.get("award_number"),
            "amount": core.to_cents(row["amount"]),
            "currency": currency,
            "start": row["from"],
            "end": row["to"],
            "match_required": core.to_cents(row.get("match") or ZERO),
        }
        if "award_number" not in present:
            values.pop("award_number")
        if "match" not in present:
            values.pop("match_required")
        old = existing.get(key)
        if old is None:
            creates.append(
                {
                    "award_number": None,
                    "match_required": ZERO,
                    "key": key,
                    "created_at": ctx.at,
                    **values,
                }
            )
            audit.append(AuditEntry("create", key, {"file": ctx.file, "row": n, **values}))
            continue
        changed = _changed(old, values)
        if not changed:
            plan.unchanged += 1
            continue
        obligated = committed.get(old["id"], ZERO)
        if values["amount"] < obligated:
            problems.add(
                n,
                "amount",
                _shown(
                    Msg.of(
                        N_(
                            "the grant's subcontracts already obligate {obligated},"
                            " more than {amount}"
                        ),
                        obligated=obligated,
                        amount=values["amount"],
                    ),
                    currency,
                ),
            )
            continue
        span = spans.get(old["id"])
        if span is not None and (span[0] < values["start"] or span[1] > values["end"]):
            problems.add(
                n,
                "from",
                Msg.of(
                    N_("the grant's subcontracts run from {first} to {last}, outside this period"),
                    first=span[0],
                    last=span[1],
                ),
            )
            continue
        updates.append({"_id": old["id"], **values})
        audit.append(AuditEntry("update", key, {"file": ctx.file, "row": n, "changed": changed}))
    plan.created, plan.updated = len(creates), len(updates)
    plan.write = _bulk("grant_award", GRANT_ENTITY, ctx, creates, updates, audit)
    return plan


GRANTS_IMPORT = ImportKind(
    name="grants",
    entity=GRANT_ENTITY,
    columns=_grant_columns,
    natural_key=_grant_key,
    key_columns="id",
    plan=_plan_grants,
)


# --- subcontracts ---------------------------------------------------------------------------

RISK_COLUMNS = ("risk_level", "risk_by", "risk_on")


def _subcontract_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key, required=True),
        Column("grant", parse_key, required=True),
        Column("partner", parse_key, required=True),
        Column("kind", parse_kind, required=True),
        Column("from", parse_date, required=True),
        Column("to", parse_date, required=True),
        Column("status", parse_status),
        Column("risk_level", parse_level),
        Column("risk_by", parse_text),
        Column("risk_on", parse_date),
    )


def _id_key(row: Row) -> Hashable | None:
    key: str = row["id"]
    return key


def _plan_subcontracts(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import func, select

    table, grants, risks, payments = (
        _t("subcontract"),
        _t("grant_award"),
        _t("risk_assessment"),
        _t("payment"),
    )
    orgs = _keys(conn, "organisation")
    grant_rows = {r["key"]: r for r in conn.execute(select(grants)).mappings()}
    grant_keys = {r["id"]: k for k, r in grant_rows.items()}
    existing = {r["key"]: r for r in conn.execute(select(table)).mappings()}
    on_file: dict[int, dict[date, Any]] = {}
    for r in conn.execute(select(risks)).mappings():
        on_file.setdefault(r["subcontract_id"], {})[r["assessed_on"]] = r
    paid_span = {
        sub_id: (first, last)
        for sub_id, first, last in conn.execute(
            select(
                payments.c.subcontract_id,
                func.min(payments.c.period_start),
                func.max(payments.c.period_end),
            ).group_by(payments.c.subcontract_id)
        ).all()
    }
    plan = Plan()
    problems = _Problems(plan)
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    risk_rows: list[tuple[str, dict[str, Any], int | None]] = []  # (sub key, values, risk id)
    for row in rows:
        n = row.number
        key = row["id"]
        grant = grant_rows.get(row["grant"])
        partner_id = orgs.get(row["partner"])
        bad = problems.add(
            n, "grant", None if grant else _no(_GRANT, row["grant"], "comunidad grant new")
        )
        bad |= problems.add(
            n, "partner", None if partner_id else _no(_ORG, row["partner"], "comunidad org add")
        )
        bad |= problems.add(n, "to", core.period_problem(row["from"], row["to"]))
        given = [c for c in RISK_COLUMNS if row.get(c) is not None]
        if given and len(given) < len(RISK_COLUMNS):
            bad |= problems.add(
                n,
                None,
                Msg.of(N_("a risk assessment needs all of risk_level, risk_by and risk_on")),
            )
        if given and row["risk_on"] > ctx.today:
            bad |= problems.add(
                n, "risk_on", Msg.of(N_("{day} is in the future"), day=row["risk_on"])
            )
        if bad or grant is None or partner_id is None:
            continue
        bad |= problems.add(
            n,
            "from",
            core.within_problem(row["from"], row["to"], grant["start"], grant["end"], _GRANT),
        )
        old = existing.get(key)
        status = row.get("status") or (old["status"] if old else "draft")
        has_risk = bool(given) or (old is not None and bool(on_file.get(old["id"])))
        current = old["status"] if old else "draft"
        if status != current:
            bad |= problems.add(
                n,
                "status",
                core.status_problem(current, status, has_risk=has_risk, one_step=False),
            )
        if old is not None:
            if old["grant_id"] != grant["id"] or old["partner_id"] != partner_id:
                bad |= problems.add(
                    n,
                    None,
                    Msg.of(
                        N_(
                            'subcontract "{key}" is already under grant {grant} to another partner'
                            " or grant: its grant and partner cannot change"
                        ),
                        key=key,
                        grant=grant_keys.get(old["grant_id"], "?"),
                    ),
                )
            span = paid_span.get(old["id"])
            if span is not None and (span[0] < row["from"] or span[1] > row["to"]):
                bad |= problems.add(
                    n,
                    "from",
                    Msg.of(
                        N_("its payments cover {first} to {last}, outside this period"),
                        first=span[0],
                        last=span[1],
                    ),
                )
        if bad:
            continue
        values = {
            "kind": row["kind"],
            "start": row["from"],
            "end": row["to"],
            "status": status,
        }
        if given:
            risk = {
                "assessed_on": row["risk_on"],
                "level": row["risk_level"],
                "assessed_by": row["risk_by"],
            }
            before = on_file.get(old["id"], {}).get(row["risk_on"]) if old else None
            if before is None:
                risk_rows.append((key, risk, None))
            elif before["level"] != risk["level"] or before["assessed_by"] != risk["assessed_by"]:
                risk_rows.append((key, risk, before["id"]))
        risk_changed = bool(risk_rows) and risk_rows[-1][0] == key
        if old is None:
            creates.append(
                {
                    "key": key,
                    "grant_id": grant["id"],
                    "partner_id": partner_id,
                    "created_at": ctx.at,
                    **values,
                }
            )
            detail = {
                "file": ctx.file,
                "row": n,
                "grant": row["grant"],
                "partner": row["partner"],
                **values,
            }
            if given:
                detail["risk"] = {c: row[c] for c in RISK_COLUMNS}
            audit.append(AuditEntry("create", key, detail))
            continue
        changed = _changed(old, values)
        if risk_changed:
            changed["risk"] = [None, {c: row[c] for c in RISK_COLUMNS}]
        if not changed:
            plan.unchanged += 1
            continue
        updates.append({"_id": old["id"], **values})
        audit.append(AuditEntry("update", key, {"file": ctx.file, "row": n, "changed": changed}))
    plan.created, plan.updated = len(creates), len(updates)

    def write_risks(conn: Connection) -> None:
        from sqlalchemy import bindparam, insert, update

        if not risk_rows:
            return
        ids = _keys(conn, "subcontract")
        new = [{"subcontract_id": ids[k], "notes": None, **v} for k, v, i in risk_rows if i is None]
        changed = [{"_id": i, **v} for _k, v, i in risk_rows if i is not None]
        if new:
            conn.execute(insert(risks), new)
        if changed:
            conn.execute(update(risks).where(risks.c.id == bindparam("_id")), changed)

    plan.write = _bulk("subcontract", SUBCONTRACT_ENTITY, ctx, creates, updates, audit, write_risks)
    return plan


SUBCONTRACTS_IMPORT = ImportKind(
    name="subcontracts",
    entity=SUBCONTRACT_ENTITY,
    columns=_subcontract_columns,
    natural_key=_id_key,
    key_columns="id",
    plan=_plan_subcontracts,
)


# --- budget lines ---------------------------------------------------------------------------


def _budget_line_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("subcontract", parse_key, required=True),
        Column("category", core.parse_category, required=True),
        Column("amount", money(ctx.decimal_mark), required=True),
    )


def _line_key(row: Row) -> Hashable | None:
    return (row["subcontract"], row["category"])


def _plan_budget_lines(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import select

    subs, grants, lines, payments, amendments = (
        _t("subcontract"),
        _t("grant_award"),
        _t("budget_line"),
        _t("payment"),
        _t("amendment"),
    )
    sub_rows = {
        r["key"]: r
        for r in conn.execute(
            select(subs.c.id, subs.c.key, subs.c.grant_id, grants.c.currency).select_from(
                subs.join(grants, subs.c.grant_id == grants.c.id)
            )
        ).mappings()
    }
    grant_rows = {r["id"]: r for r in conn.execute(select(grants)).mappings()}
    existing = {
        (sub_id, category): (line_id, core.to_cents(amount))
        for line_id, sub_id, category, amount in conn.execute(
            select(lines.c.id, lines.c.subcontract_id, lines.c.category, lines.c.amount)
        ).all()
    }
    in_use = set(conn.execute(select(payments.c.subcontract_id).distinct()).scalars())
    in_use |= set(conn.execute(select(amendments.c.subcontract_id).distinct()).scalars())
    committed, _by_grant = _committed_by_grant(conn)
    plan = Plan()
    problems = _Problems(plan)
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
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
            core.precision_problem(
                amount, currency_digits(sub["currency"]), sub["currency"], ctx.decimal_mark
            )
            or _shown(core.amount_problem(amount), sub["currency"]),
        ):
            continue
        amount = core.to_cents(amount)
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
        detail = {
            "file": ctx.file,
            "row": n,
            "subcontract": row["subcontract"],
            "category": category,
        }
        if old is None:
            creates.append({"subcontract_id": sub["id"], "category": category, "amount": amount})
            audit.append(
                AuditEntry(
                    "create", f"{row['subcontract']}/{category}", {**detail, "amount": amount}
                )
            )
        else:
            updates.append({"_id": old[0], "amount": amount})
            audit.append(
                AuditEntry(
                    "update",
                    f"{row['subcontract']}/{category}",
                    {**detail, "changed": {"amount": [old[1], amount]}},
                )
            )
    for grant_id, change in added.items():
        grant = grant_rows[grant_id]
        problems.add(
            last_row[grant_id],
            None,
            _shown(
                core.obligation_problem(grant["amount"], committed.get(grant_id, ZERO), change),
                grant["currency"],
            ),
        )
    plan.created, plan.updated = len(creates), len(updates)
    plan.write = _bulk("budget_line", "budget_line", ctx, creates, updates, audit)
    return plan


BUDGET_LINES_IMPORT = ImportKind(
    name="budget-lines",
    entity="budget_line",
    columns=_budget_line_columns,
    natural_key=_line_key,
    key_columns="subcontract, category",
    plan=_plan_budget_lines,
)


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
        Column("category", core.parse_category, required=True),
        Column("amount", money(ctx.decimal_mark), required=True),
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
        self.holds: list[core.HoldingReport] = []


def _plan_payments(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import select

    subs, grants, payments, lines = (
        _t("subcontract"),
        _t("grant_award"),
        _t("payment"),
        _t("payment_line"),
    )
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
    for found in conn.execute(
        select(
            subs.c.id, subs.c.key, subs.c.status, subs.c.start, subs.c.end, grants.c.currency
        ).select_from(subs.join(grants, subs.c.grant_id == grants.c.id))
    ).mappings():
        state[found["key"]] = _Sub(found)
    wanted = {head[0] for head in heads.values()}
    ids = [state[k].id for k in wanted if k in state]
    by_id = {s.id: s for s in state.values()}
    originals = _originals(conn, ids)
    amendments = _amendments(conn, ids)
    spent, _paid = _spending(conn, ids)
    for sub_id in ids:
        loaded = by_id[sub_id]
        loaded.budget = core.budget_of(
            originals.get(sub_id, {}), [a.record for a in amendments.get(sub_id, [])]
        )
        loaded.spent = dict(spent.get(sub_id, {}))
    for sub_id, views in _deliverables(conn, ids, ctx.today).items():
        by_id[sub_id].holds = [d.holding() for d in views if d.holds_payments]

    # Payments already recorded, with their lines.
    existing: dict[str, Any] = {
        r["key"]: r
        for r in conn.execute(
            select(
                payments.c.id,
                payments.c.key,
                payments.c.subcontract_id,
                payments.c.period_start,
                payments.c.period_end,
                payments.c.invoice_date,
                payments.c.status,
            )
        ).mappings()
        if r["key"] in groups
    }
    old_lines: dict[int, dict[str, Decimal]] = {}
    if existing:
        wanted_ids = {r["id"] for r in existing.values()}
        for payment_id, category, amount in conn.execute(
            select(lines.c.payment_id, lines.c.category, lines.c.amount)
        ).all():
            if payment_id in wanted_ids:
                old_lines.setdefault(payment_id, {})[category] = core.to_cents(amount)
    max_id = conn.execute(select(payments.c.id).order_by(payments.c.id.desc()).limit(1)).scalar()

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
            hold_memo[memo_key] = core.hold_problem(sub.holds, day)
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
                core.precision_problem(r.values["amount"], sub.digits, sub.currency, mark),
            )
        if typed_badly:
            continue
        old = existing.get(key)
        if old is None:
            fresh.append((first_row["date"], n, key, group, sub))
            continue
        # Already recorded: only the status may move on.
        recorded = {r["category"]: core.to_cents(r["amount"]) for r in group}
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
        if problems.add(n, "status", core.payment_transition_problem(old["status"], status)):
            continue
        if status in core.HELD_STATUSES and problems.add(n, "status", held(sub, first_row["date"])):
            continue
        if status == "declined" and old["status"] in core.COUNTED_STATUSES:
            core.apply_payment(sub.spent, ((c, -a) for c, a in recorded.items()))
        status_updates.append({"_id": old["id"], "status": status})
        audit.append(
            (
                "update",
                key,
                {"file": ctx.file, "row": n, "changed": {"status": [old["status"], status]}},
            )
        )

    fresh.sort(key=lambda item: (item[0], item[1]))
    counted_statuses, held_statuses = core.COUNTED_STATUSES, core.HELD_STATUSES
    for day, n, key, group, sub in fresh:
        _sub_key, period_from, period_to, _day, status = heads[key]
        bad = problems.add(
            n,
            "period_to",
            core.period_problem(period_from, period_to)
            or core.within_problem(period_from, period_to, sub.start, sub.end, _SUBCONTRACT),
        )
        bad |= problems.add(n, "subcontract", core.payable_problem(sub.status))
        if bad:
            continue
        split = [(r.values["category"], r.values["amount"]) for r in group]
        counted = status in counted_statuses
        refusals = core.check_payment(sub.budget, sub.spent, split, counted=counted)
        if refusals:
            for msg in refusals:
                problems.add(n, None, in_currency_msg(msg, sub.currency))
            continue
        if status in held_statuses and problems.add(n, "status", held(sub, day)):
            continue
        cents = [(c, a.quantize(CENT)) for c, a in split]
        if counted:
            core.apply_payment(sub.spent, cents)
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

    def write(conn: Connection) -> None:
        from sqlalchemy import bindparam, update

        from comunidad_cli.storage.audit import current_actor, encode_detail

        if new_payments:
            fast_insert(conn, payments, PAYMENT_INSERT, new_payments)
            query = select(payments.c.id, payments.c.key)
            if max_id is not None:
                query = query.where(payments.c.id > max_id)
            ids = {k: i for i, k in conn.execute(query).all()}
            fast_insert(
                conn,
                lines,
                ("payment_id", "category", "amount"),
                [(ids[k], c, a) for k, c, a in new_lines],
            )
        if status_updates:
            conn.execute(update(payments).where(payments.c.id == bindparam("_id")), status_updates)
        actor = current_actor()
        fast_insert(
            conn,
            _t("audit_event"),
            ("at", "command", "action", "entity", "entity_id", "detail", "actor"),
            [
                (ctx.at, ctx.command, action, PAYMENT_ENTITY, key, encode_detail(detail), actor)
                for action, key, detail in audit
            ],
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


# --- deliverables and submissions -----------------------------------------------------------


def _deliverable_key(row: Row) -> str:
    key: str | None = row.get("id")
    return key if key else make_id(row["subcontract"], row["title"], prefix="deliverable")


def _deliverable_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key),
        Column("subcontract", parse_key, required=True),
        Column("title", parse_text, required=True),
        Column("first_due", parse_date, required=True),
        Column("every", parse_int),
        Column("unit", parse_unit),
        Column("until", parse_date),
        Column("holds_payments", parse_bool),
    )


def _submitted(conn: Connection) -> dict[int, dict[date, tuple[int, date]]]:
    from sqlalchemy import select

    submissions = _t("submission")
    found: dict[int, dict[date, tuple[int, date]]] = {}
    for sub_id, deliverable_id, due, on in conn.execute(
        select(
            submissions.c.id,
            submissions.c.deliverable_id,
            submissions.c.due,
            submissions.c.submitted_on,
        )
    ).all():
        found.setdefault(deliverable_id, {})[due] = (sub_id, on)
    return found


def _plan_deliverables(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import select

    table, subs = _t("deliverable"), _t("subcontract")
    sub_rows = {r["key"]: r for r in conn.execute(select(subs)).mappings()}
    existing = {r["key"]: r for r in conn.execute(select(table)).mappings()}
    submitted = _submitted(conn)
    plan = Plan()
    problems = _Problems(plan)
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        n = row.number
        key = _deliverable_key(row)
        if not row.get("id") and key not in existing:
            earlier = earlier_id(f"{row['subcontract']}-{row['title']}", prefix="deliverable")
            key = earlier if earlier in existing else key
        sub = sub_rows.get(row["subcontract"])
        if sub is None:
            problems.add(
                n,
                "subcontract",
                _no(_SUBCONTRACT, row["subcontract"], "comunidad subcontract new"),
            )
            continue
        values: dict[str, Any] = {
            "subcontract_id": sub["id"],
            "title": row["title"],
            "first_due": row["first_due"],
            "every": row.get("every"),
            "unit": row.get("unit"),
            "until": row.get("until"),
            "holds_payments": bool(row.get("holds_payments")),
        }
        if problems.add(
            n,
            "first_due",
            core.schedule_problem(
                values["first_due"], values["every"], values["unit"], values["until"], sub["start"]
            ),
        ):
            continue
        old = existing.get(key)
        detail = {k: v for k, v in values.items() if k != "subcontract_id"}
        if old is None:
            creates.append({"key": key, **values})
            audit.append(
                AuditEntry(
                    "create",
                    key,
                    {"file": ctx.file, "row": n, "subcontract": row["subcontract"], **detail},
                )
            )
            continue
        changed = _changed(old, values)
        if not changed:
            plan.unchanged += 1
            continue
        dues = set(
            core.due_dates(
                values["first_due"], values["every"], values["unit"], values["until"] or sub["end"]
            )
        )
        orphans = sorted(d for d in submitted.get(old["id"], {}) if d not in dues)
        if orphans:
            problems.add(
                n,
                None,
                Msg.of(
                    N_("the new schedule has no due date {due}, which has a submission"),
                    due=orphans[0],
                ),
            )
            continue
        updates.append({"_id": old["id"], **values})
        audit.append(AuditEntry("update", key, {"file": ctx.file, "row": n, "changed": changed}))
    plan.created, plan.updated = len(creates), len(updates)
    plan.write = _bulk("deliverable", DELIVERABLE_ENTITY, ctx, creates, updates, audit)
    return plan


DELIVERABLES_IMPORT = ImportKind(
    name="deliverables",
    entity=DELIVERABLE_ENTITY,
    columns=_deliverable_columns,
    natural_key=_deliverable_key,
    key_columns="id",
    plan=_plan_deliverables,
)


def _submission_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("deliverable", parse_key, required=True),
        Column("due", parse_date, required=True),
        Column("submitted_on", parse_date, required=True),
    )


def _submission_key(row: Row) -> Hashable | None:
    return (row["deliverable"], row["due"])


def _plan_submissions(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import select

    table = _t("deliverable")
    ids = {
        k: (i, s)
        for i, k, s in conn.execute(select(table.c.id, table.c.key, table.c.subcontract_id))
    }
    views = {
        d.key: d
        for found in _deliverables(conn, {s for _, s in ids.values()}, ctx.today).values()
        for d in found
    }
    submitted = _submitted(conn)
    plan = Plan()
    problems = _Problems(plan)
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        n = row.number
        key, due, on = row["deliverable"], row["due"], row["submitted_on"]
        view = views.get(key)
        if view is None:
            problems.add(n, "deliverable", _no(_DELIVERABLE, key, "comunidad deliverable add"))
            continue
        if all(o.due != due for o in view.occurrences):
            problems.add(
                n,
                "due",
                Msg.of(
                    N_('"{title}" is not due on {due}; its due dates are {dues}'),
                    title=view.title,
                    due=due,
                    dues=", ".join(o.due.isoformat() for o in view.occurrences[:6])
                    + (" ..." if len(view.occurrences) > 6 else ""),
                ),
            )
            continue
        if problems.add(
            n,
            "submitted_on",
            Msg.of(N_("{day} is in the future"), day=on) if on > ctx.today else None,
        ):
            continue
        deliverable_id = ids[key][0]
        old = submitted.get(deliverable_id, {}).get(due)
        detail = {"file": ctx.file, "row": n, "due": due}
        if old is None:
            creates.append({"deliverable_id": deliverable_id, "due": due, "submitted_on": on})
            audit.append(AuditEntry("create", key, {**detail, "submitted_on": on}))
        elif old[1] == on:
            plan.unchanged += 1
        else:
            updates.append({"_id": old[0], "submitted_on": on})
            audit.append(
                AuditEntry("update", key, {**detail, "changed": {"submitted_on": [old[1], on]}})
            )
    plan.created, plan.updated = len(creates), len(updates)
    plan.write = _bulk("submission", SUBMISSION_ENTITY, ctx, creates, updates, audit)
    return plan


SUBMISSIONS_IMPORT = ImportKind(
    name="submissions",
    entity=SUBMISSION_ENTITY,
    columns=_submission_columns,
    natural_key=_submission_key,
    key_columns="deliverable, due",
    plan=_plan_submissions,
)
