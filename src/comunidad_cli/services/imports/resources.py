"""The `resources` import kind: resources mobilised, one row per resource, matched on `id`.

Same engine and policy as every import (services/imports/engine.py). Volunteer hours are
valued at the workspace's `volunteer_hour_rate` when they are new or their hours change; a
row whose hours are those stored keeps its stored value, so a later change of the rate
revalues nothing.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.values import choice, money, parse_date
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.resources import KINDS, VOLUNTEER, rate_missing, resolve
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.capacity import _future, _workspace_root
from comunidad_cli.services.imports.kinds import (
    NO_ORG,
    ImportContext,
    ImportKind,
    Plan,
    Upserts,
)
from comunidad_cli.services.resources import (
    RESOURCE_ENTITY,
    amount_decimals_problem,
    parse_description,
)
from comunidad_cli.services.suggest import no_such

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


# --- resources --------------------------------------------------------------------------------


def _resource_columns(ctx: ImportContext) -> tuple[Column, ...]:
    amount = money(ctx.decimal_mark, digits=ctx.money_digits)
    return (
        Column("id", parse_key, required=True),
        Column("kind", choice(*KINDS), required=True),
        Column("description", parse_description, required=True),
        Column("grant", parse_key),
        Column("source", parse_key),
        Column("pledged", amount),
        Column("received", amount),
        Column("hours", amount),
        Column("date", parse_date, required=True),
    )


def _workspace_currency(ctx: ImportContext) -> str | None:
    """The currency of resources linked to no grant: the workspace's (None if unknown)."""
    root = _workspace_root(ctx)
    if root is None:
        return None
    from comunidad_cli.services.workspace import load

    try:
        return load(root).currency
    except ServiceError:
        return None


def _resource_key(row: Row) -> Hashable | None:
    return str(row["id"])


def _rate(root: Path | None) -> tuple[Decimal | None, str]:
    """The workspace's volunteer_hour_rate (None when not set) and its config file."""
    if root is None:
        return None, "comunidad.toml"
    from comunidad_cli.services.workspace import CONFIG_NAME, load

    config = str(root / CONFIG_NAME)
    try:
        return load(root).volunteer_hour_rate, config
    except ServiceError:
        return None, config


def _given(row: Row, old: Any, present: frozenset[str], column: str) -> Decimal | None:
    """The file's value of an amount column; the stored one when the file lacks the column."""
    if column in present:
        value: Decimal | None = row.get(column)
        return value
    return old[column] if old is not None and old["kind"] == row["kind"] else None


def _plan_resources(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage.directory import org_ids as stored_org_ids
    from comunidad_cli.storage.grant_rows import grant_currencies as stored_currencies
    from comunidad_cli.storage.resources import resource_rows

    grant_ids: dict[str, int] = {}
    grant_currencies: dict[int, str] = {}
    for row_id, grant_key, grant_currency in stored_currencies(db):
        grant_ids[grant_key] = row_id
        grant_currencies[row_id] = grant_currency
    workspace_currency: tuple[str | None] | None = None
    org_ids = stored_org_ids(db)
    grant_keys = {i: k for k, i in grant_ids.items()}
    org_keys = {i: k for k, i in org_ids.items()}
    existing = resource_rows(db)
    rate: tuple[Decimal | None, str] | None = None
    upserts = Upserts(ctx)
    plan = upserts.plan
    for row in rows:
        key = row["id"]
        old = existing.get(key)
        problems: list[Problem] = []
        refs: dict[str, int | None] = {}
        for column, ids, what, hint, kind in (
            (
                "grant",
                grant_ids,
                "grant_id",
                N_('no grant with id "{key}": see "comunidad grant list"'),
                "grant",
            ),
            (
                "source",
                org_ids,
                "source_id",
                NO_ORG,
                "organisation",
            ),
        ):
            if column not in present:
                refs[what] = old[what] if old is not None else None
                continue
            value = row.get(column)
            if value is not None and value not in ids:
                refusal = no_such(db, kind, value, Msg.of(hint, key=value))
                problems.append(Problem(row.number, column, refusal))
            refs[what] = ids.get(value) if value is not None else None
        future = _future(row, "date", row["date"], ctx)
        if future is not None:
            problems.append(future)
        grant_id = refs["grant_id"]
        if grant_id is not None:
            currency: str | None = grant_currencies.get(grant_id)
        else:
            if workspace_currency is None:
                workspace_currency = (_workspace_currency(ctx),)
            currency = workspace_currency[0]
        typed_badly = False
        for column in ("pledged", "received"):
            amount = row.get(column)
            problem = (
                None
                if amount is None or currency is None
                else amount_decimals_problem(amount, currency, ctx.decimal_mark)
            )
            if problem is not None:
                problems.append(Problem(row.number, column, problem))
                typed_badly = True
        if typed_badly:  # the amount is a question: checking it further would guess
            plan.problems.extend(problems)
            continue
        kind = row["kind"]

        values: dict[str, Any] | None = None
        hours = _given(row, old, present, "hours") if kind == VOLUNTEER else row.get("hours")
        pledged = row.get("pledged") if kind == VOLUNTEER else _given(row, old, present, "pledged")
        received = (
            row.get("received") if kind == VOLUNTEER else _given(row, old, present, "received")
        )
        needs_rate = (
            kind == VOLUNTEER and hours is not None and pledged is None and received is None
        )
        if needs_rate and old is not None and old["kind"] == VOLUNTEER and old["hours"] == hours:
            # The hours stored: keep the value they were given when logged.
            values = {"pledged": old["pledged"], "received": old["received"], "hours": hours}
        else:
            if needs_rate and rate is None:
                rate = _rate(_workspace_root(ctx))
            if needs_rate and rate is not None and rate[0] is None:
                problems.append(Problem(row.number, "hours", rate_missing(rate[1])))
            else:
                try:
                    resolved = resolve(
                        kind,
                        pledged=pledged,
                        received=received,
                        hours=hours,
                        rate=rate[0] if rate is not None else None,
                    )
                except Invalid as invalid:
                    problems.append(Problem(row.number, None, invalid.msg))
                else:
                    values = {
                        "pledged": resolved.pledged,
                        "received": resolved.received,
                        "hours": resolved.hours,
                    }
        if problems or values is None:
            plan.problems.extend(problems)
            continue
        stored = {
            "kind": kind,
            "description": row["description"],
            **refs,
            **values,
            "dated": row["date"],
        }
        shown = {
            "kind": kind,
            "description": row["description"],
            "grant": grant_keys.get(stored["grant_id"]) if stored["grant_id"] else None,
            "source": org_keys.get(stored["source_id"]) if stored["source_id"] else None,
            "pledged": values["pledged"],
            "received": values["received"],
            "hours": values["hours"],
            "date": row["date"],
        }
        if old is None:
            upserts.create(key, {"key": key, **stored}, {**upserts.at(row.number), **shown})
        elif changed := upserts.changed(old, stored):
            upserts.update(key, old["id"], stored, changed, upserts.at(row.number))
    return upserts.done("resource", RESOURCE_ENTITY)


RESOURCES_IMPORT = ImportKind(
    name="resources",
    entity=RESOURCE_ENTITY,
    columns=_resource_columns,
    natural_key=_resource_key,
    key_columns="id",
    plan=_plan_resources,
)
