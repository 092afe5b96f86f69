"""The `fund-applications` import kind: applications to one round (`--round`), one row per
application, matched on the organisation and the project within the round.

Columns: `org`, `project`, `amount` (required); `own` (own contribution, default 0),
`priority` (the plan need it serves), `lines` (budget lines in one cell,
"materiales=1.200.000; honorarios=300.000", amounts in the file's convention),
`submitted_at` (when it was received; default: the time of the import), `id` (default
made from the organisation and the project). A row is refused when submitted outside the
round's window, as `fund apply` is; an application already judged is never changed.
Same engine and re-import policy as every import (services/imports/engine.py).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import make_id, parse_key
from comunidad_cli.core.importing.invalid import Invalid, Parser
from comunidad_cli.core.importing.values import money
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    no_org,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

ENTITY = "fund_application"


def lines_parser(decimal_mark: str | None, digits: int | None) -> Parser:
    """A `lines` cell: CATEGORY=AMOUNT pairs separated by ";", each category once."""
    from comunidad_cli.core.grants.values import parse_line_spec

    amount = money(decimal_mark, digits=digits)

    def parse_lines(value: str) -> tuple[tuple[str, Decimal], ...]:
        found: list[tuple[str, Decimal]] = []
        for part in re.split(r"[;|]", value):
            if not part.strip():
                continue
            try:
                found.append(parse_line_spec(part.strip(), amount))
            except Invalid:
                raise
            except ValueError:
                raise Invalid.of(
                    N_(
                        '"{value}" is not a budget line: write CATEGORY=AMOUNT, separated'
                        ' by ";" (materiales=1.200.000; honorarios=300.000)'
                    ),
                    value=part.strip(),
                ) from None
        return tuple(found)

    return parse_lines


def _columns(ctx: ImportContext) -> tuple[Column, ...]:
    from comunidad_cli.services.grants.common import parse_text
    from comunidad_cli.services.imports.meeting_store import instant

    amount = money(ctx.decimal_mark, digits=ctx.money_digits)
    return (
        Column("id", parse_key),
        Column("org", parse_key, required=True),
        Column("project", parse_text, required=True),
        Column("amount", amount, required=True),
        Column("own", amount),
        Column("priority", parse_key),
        Column("lines", lines_parser(ctx.decimal_mark, ctx.money_digits)),
        Column("submitted_at", instant(_zone()), also=("date", "at")),
    )


def _zone() -> Any:
    from comunidad_cli import clock

    return clock.zone()


def _key(row: Row) -> Hashable | None:
    return (row["org"], row["project"])


def _plan(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli import clock
    from comunidad_cli.core.funds.admissibility import window_problem
    from comunidad_cli.services.funds.applications import (
        amount_problems,
        entry_problems,
    )
    from comunidad_cli.services.funds.views import load_round
    from comunidad_cli.services.grants.common import in_currency_msg
    from comunidad_cli.storage.directory import Taken, org_ids
    from comunidad_cli.storage.funds import admissibility as stored
    from comunidad_cli.storage.funds.applications import application_lines, applications

    plan = Plan()
    if ctx.round is None:
        plan.problems.append(
            Problem(
                None,
                None,
                Msg.of(N_("name the round the applications are to: --round ROUND")),
            )
        )
        return plan
    try:
        loaded = load_round(db, ctx.round)
    except ServiceError as refused:
        plan.problems.append(Problem(None, None, refused.msg))
        return plan
    currency = loaded.round.currency
    orgs = org_ids(db)
    existing = {(a.organisation, a.project): a for a in applications(db, loaded.row.id)}
    stored_lines = application_lines(db, loaded.row.id)
    decided = stored.decisions(db, loaded.row.id)
    taken = Taken(db, "fund_application")
    chosen: set[str] = set()
    creates: list[dict[str, Any]] = []
    updates: list[tuple[int, dict[str, Any], dict[str, Decimal] | None]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        problems: list[Problem] = []
        org_key = row["org"]
        if org_key not in orgs:
            problems.append(
                Problem(
                    row.number,
                    "org",
                    no_org(db, org_key),
                )
            )
        amount: Decimal = row["amount"]
        own: Decimal = row.get("own") if row.get("own") is not None else Decimal(0)
        lines = tuple(row.get("lines") or ())
        found = amount_problems(
            amount, own, lines, currency, ctx.decimal_mark, ("amount", "own", "lines")
        )
        found += entry_problems(
            loaded.round, amount, row.get("priority"), lines, bool(found), ("priority", "lines")
        )
        for problem in found:
            problems.append(Problem(row.number, None, in_currency_msg(problem, currency)))
        submitted = row.get("submitted_at") or ctx.at
        window = window_problem(loaded.round, submitted.astimezone(clock.zone()).date())
        if window is not None:
            problems.append(Problem(row.number, "submitted_at", window))
        old = existing.get((org_key, row["project"]))
        if old is not None and row.get("id") is not None and row["id"] != old.key:
            problems.append(
                Problem(
                    row.number,
                    "id",
                    Msg.of(
                        N_('this application is stored as "{key}": its id cannot change'),
                        key=old.key,
                    ),
                )
            )
        if (
            old is None
            and row.get("id") is not None
            and (row["id"] in taken or row["id"] in chosen)
        ):
            problems.append(
                Problem(
                    row.number,
                    "id",
                    Msg.of(N_('the id "{key}" is already taken'), key=row["id"]),
                )
            )
        if problems:
            plan.problems.extend(problems)
            continue
        values: dict[str, Any] = {"amount": amount}
        if "own" in present:
            values["own_contribution"] = own
        if "priority" in present:
            values["priority"] = row.get("priority")
        if "submitted_at" in present:
            values["submitted_at"] = submitted
        new_lines = dict(lines) if "lines" in present else None
        if old is None:
            key = row.get("id") or make_id(
                org_key, row["project"], prefix="application", taken=_Either(taken, chosen)
            )
            chosen.add(key)
            creates.append(
                {
                    "key": key,
                    "organisation_id": orgs[org_key],
                    "project": row["project"],
                    "amount": amount,
                    "own_contribution": own,
                    "priority": row.get("priority"),
                    "submitted_at": submitted,
                    "lines": dict(lines),
                }
            )
            audit.append(
                AuditEntry(
                    "create",
                    key,
                    {"file": ctx.file, "row": row.number, "round": loaded.row.key, "org": org_key},
                )
            )
            continue
        before: dict[str, Any] = {
            "amount": old.amount,
            "own_contribution": old.own_contribution,
            "priority": old.priority,
            "submitted_at": old.submitted_at,
        }
        changed = {k: [before[k], v] for k, v in values.items() if before[k] != v}
        if new_lines is not None and new_lines != stored_lines.get(old.id, {}):
            changed["lines"] = [stored_lines.get(old.id, {}), new_lines]
        if not changed:
            plan.unchanged += 1
            continue
        if old.id in decided:
            plan.problems.append(
                Problem(
                    row.number,
                    None,
                    Msg.of(
                        N_(
                            "the application {key} has been judged already: it stays as it"
                            " was judged"
                        ),
                        key=old.key,
                    ),
                )
            )
            continue
        updates.append((old.id, {k: v[1] for k, v in changed.items() if k != "lines"}, new_lines))
        audit.append(
            AuditEntry(
                "update",
                old.key,
                {"file": ctx.file, "row": row.number, "changed": changed},
            )
        )
    plan.created, plan.updated = len(creates), len(updates)

    def write(db: Db) -> None:
        from comunidad_cli.services.imports.kinds import write_audit
        from comunidad_cli.storage.funds.applications import add_application

        for c in creates:
            add_application(db, round_id=loaded.row.id, **c)
        for application_id, changes, replaced in updates:
            stored.update_application(db, application_id, values=changes, lines=replaced)
        write_audit(db, ctx, ENTITY, audit)

    plan.write = write
    return plan


class _Either:
    """Taken in the database or chosen earlier in the file."""

    def __init__(self, taken: Any, chosen: set[str]) -> None:
        self.taken, self.chosen = taken, chosen

    def __contains__(self, key: object) -> bool:
        return key in self.chosen or key in self.taken


FUND_APPLICATIONS_IMPORT = ImportKind(
    name="fund-applications",
    entity=ENTITY,
    columns=_columns,
    natural_key=_key,
    key_columns="org, project",
    plan=_plan,
)
