"""The `grants` and `subcontracts` import kinds (rules: core/grants.py, as the commands apply them).

- `grants` (key `id`): an update may not lower the amount below what its subcontracts
  obligate, nor shrink the period so a subcontract falls outside it.
- `subcontracts` (key `id`): a subcontract stays under its grant and partner; `status`
  moves forward only (a file states where things are, so it may skip steps), and leaving
  draft needs a risk assessment on file or in the row (`risk_level`, `risk_by`,
  `risk_on`, recorded as one assessment, matched on its date).

What every grant kind shares is in `grant_store`.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.grants.subcontracts import status_problem
from comunidad_cli.core.grants.values import (
    ZERO,
    amount_problem,
    period_problem,
    precision_problem,
    to_cents,
    within_problem,
)
from comunidad_cli.core.importing.columns import Column, Row
from comunidad_cli.core.importing.ids import earlier_ids, parse_key, slugify
from comunidad_cli.core.importing.values import money, parse_date
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import (
    GRANT_ENTITY,
    SUBCONTRACT_ENTITY,
    currency_digits,
    parse_currency,
    parse_text,
)
from comunidad_cli.services.imports.grant_store import (
    _GRANT,
    _ORG,
    _committed_by_grant,
    _keys,
    _no,
    _Problems,
    _shown,
    parse_kind,
    parse_level,
    parse_status,
)
from comunidad_cli.services.imports.kinds import (
    ImportContext,
    ImportKind,
    Plan,
    Upserts,
    changed_columns,
    insert_dicts,
    update_dicts,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


# --- grants ---------------------------------------------------------------------------------


def _grant_key(row: Row) -> str:
    key: str | None = row.get("id")
    return key if key else slugify(row["title"], prefix="grant")


def _grant_columns(ctx: ImportContext) -> tuple[Column, ...]:
    amount = money(ctx.decimal_mark, digits=ctx.money_digits)
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


def _plan_grants(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage.grant_rows import grant_spans
    from comunidad_cli.storage.grants import grants

    orgs = _keys(db, "organisation")
    existing = {r["key"]: r for r in grants(db)}
    committed, _ids = _committed_by_grant(db)
    spans = grant_spans(db)
    upserts = Upserts(ctx)
    problems = _Problems(upserts.plan)
    for row in rows:
        n = row.number
        key = _grant_key(row)
        if not row.get("id") and key not in existing:
            earlier = earlier_ids(row["title"], prefix="grant")
            key = next((k for k in earlier if k in existing), key)
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
                    precision_problem(value, digits, currency, ctx.decimal_mark)
                    or _shown(amount_problem(value, allow_zero=allow_zero), currency),
                )
        bad |= problems.add(n, "to", period_problem(row["from"], row["to"]))
        if bad:
            continue
        assert funder_id is not None
        values: dict[str, Any] = {
            "funder_id": funder_id,
            "title": row["title"],
            "award_number": row.get("award_number"),
            "amount": to_cents(row["amount"]),
            "currency": currency,
            "start": row["from"],
            "end": row["to"],
            "match_required": to_cents(row.get("match") or ZERO),
        }
        if "award_number" not in present:
            values.pop("award_number")
        if "match" not in present:
            values.pop("match_required")
        old = existing.get(key)
        if old is None:
            blank = {"award_number": None, "match_required": ZERO}
            upserts.create(
                key,
                {**blank, "key": key, "created_at": ctx.at, **values},
                {**upserts.at(n), **values},
            )
            continue
        changed = upserts.changed(old, values)
        if not changed:
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
        upserts.update(key, old["id"], values, changed, upserts.at(n))
    return upserts.done("grant_award", GRANT_ENTITY)


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
    db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from comunidad_cli.storage import grant_rows as bulk
    from comunidad_cli.storage import grants as stored

    orgs = _keys(db, "organisation")
    grant_rows = {r["key"]: r for r in stored.grants(db)}
    grant_keys = {r["id"]: k for k, r in grant_rows.items()}
    existing = {r["key"]: r for r in stored.subcontracts(db)}
    on_file: dict[int, dict[date, Any]] = {}
    for r in bulk.risk_rows(db):
        on_file.setdefault(r["subcontract_id"], {})[r["assessed_on"]] = r
    paid_span = bulk.paid_spans(db)
    upserts = Upserts(ctx)
    problems = _Problems(upserts.plan)
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
        bad |= problems.add(n, "to", period_problem(row["from"], row["to"]))
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
            within_problem(row["from"], row["to"], grant["start"], grant["end"], _GRANT),
        )
        old = existing.get(key)
        status = row.get("status") or (old["status"] if old else "draft")
        has_risk = bool(given) or (old is not None and bool(on_file.get(old["id"])))
        current = old["status"] if old else "draft"
        if status != current:
            bad |= problems.add(
                n,
                "status",
                status_problem(current, status, has_risk=has_risk, one_step=False),
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
            detail = {**upserts.at(n), "grant": row["grant"], "partner": row["partner"], **values}
            if given:
                detail["risk"] = {c: row[c] for c in RISK_COLUMNS}
            upserts.create(
                key,
                {
                    "key": key,
                    "grant_id": grant["id"],
                    "partner_id": partner_id,
                    "created_at": ctx.at,
                    **values,
                },
                detail,
            )
            continue
        changed = changed_columns(old, values)
        if risk_changed:
            changed["risk"] = [None, {c: row[c] for c in RISK_COLUMNS}]
        if not changed:
            upserts.plan.unchanged += 1
            continue
        upserts.update(key, old["id"], values, changed, upserts.at(n))

    def write_risks(db: Db) -> None:
        if not risk_rows:
            return
        ids = _keys(db, "subcontract")
        new = [{"subcontract_id": ids[k], "notes": None, **v} for k, v, i in risk_rows if i is None]
        changed = [{"_id": i, **v} for _k, v, i in risk_rows if i is not None]
        insert_dicts(db, "risk_assessment", new)
        update_dicts(db, "risk_assessment", changed)

    return upserts.done("subcontract", SUBCONTRACT_ENTITY, write_risks)


SUBCONTRACTS_IMPORT = ImportKind(
    name="subcontracts",
    entity=SUBCONTRACT_ENTITY,
    columns=_subcontract_columns,
    natural_key=_id_key,
    key_columns="id",
    plan=_plan_subcontracts,
)
