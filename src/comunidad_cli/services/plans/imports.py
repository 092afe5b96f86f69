"""The `territories` and `needs` import kinds (`comunidad import territories|needs FILE`).

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed with its number, re-running the same file changes nothing.

- `territories`: one row per territory and criterion (**territory, criterion**, value,
  name). A new territory needs its name; a value that differs from the latest one is a new
  value beside it (history), never an overwrite; a name is never changed by a file.
- `needs`: one row per need of a draft plan (**plan, id**, name, rank, evidence,
  territory). The plan's needs after the file (those stored and the file's) must be
  ranked 1..n, each once; a plan being voted on or adopted is frozen.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid, Parser
from comunidad_cli.core.importing.text import one_line, parse_text
from comunidad_cli.core.importing.values import parse_int
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.plans import needs as core_needs
from comunidad_cli.core.plans.territory import parse_value
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def _value_parser(decimal_mark: str | None) -> Parser:
    def parse(value: str) -> Decimal:
        found = parse_value(value, decimal_mark)
        if isinstance(found, Msg):
            raise Invalid(found)
        return found

    return parse


def _name(value: str) -> str:
    text = one_line(value)
    if not text.strip():
        raise Invalid.of(N_("cannot be empty"))
    return text


def _evidence(value: str) -> str:
    text = parse_text(value)
    if not text.strip():
        raise Invalid.of(N_("say what shows the need (a survey, a count, a meeting)"))
    return text


# --- territories --------------------------------------------------------------------------------


def _territory_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("territory", parse_key, required=True),
        Column("criterion", parse_key, required=True),
        Column("value", _value_parser(ctx.decimal_mark), required=True),
        Column("name", _name),
    )


def _territory_key(row: Row) -> Hashable | None:
    return (row["territory"], row["criterion"])


def _plan_territories(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import plans as store

    plan = Plan()
    known = {t.key: t for t in store.territories(db)}
    latest = store.latest_values(db)
    names: dict[str, tuple[str, int]] = {}  # territory -> (name, row that gave it)
    for row in rows:
        name = row.get("name")
        territory = row["territory"]
        if name is None:
            continue
        stored = known.get(territory)
        if stored is not None and stored.name != name:
            plan.problems.append(
                Problem(
                    row.number,
                    "name",
                    Msg.of(
                        N_('territory "{key}" is named "{name}": a file does not rename it'),
                        key=territory,
                        name=stored.name,
                    ),
                )
            )
            continue
        first = names.setdefault(territory, (name, row.number))
        if first[0] != name:
            plan.problems.append(
                Problem(
                    row.number,
                    "name",
                    Msg.of(
                        N_('territory "{key}" is named "{name}" at row {row}'),
                        key=territory,
                        name=first[0],
                        row=first[1],
                    ),
                )
            )
    new_territories: dict[str, str] = {}
    values: list[tuple[str, str, Decimal, int]] = []
    for row in rows:
        territory = row["territory"]
        if territory not in known and territory not in new_territories:
            if territory not in names:
                plan.problems.append(
                    Problem(
                        row.number,
                        "name",
                        Msg.of(N_('territory "{key}" is new: give its name'), key=territory),
                    )
                )
                continue
            new_territories[territory] = names[territory][0]
        stored = known.get(territory)
        old = latest.get(stored.id, {}).get(row["criterion"]) if stored is not None else None
        if old is not None and old == row["value"]:
            plan.unchanged += 1
            continue
        values.append((territory, row["criterion"], row["value"], row.number))
    if plan.problems:
        return plan
    plan.created = len(new_territories)
    plan.updated = len(values)

    def write(db: Db) -> None:
        ids = {k: t.id for k, t in known.items()}
        for key, name in new_territories.items():
            ids[key] = store.add_territory(db, key=key, name=name, at=ctx.at)
        for territory, criterion, value, _row in values:
            store.add_value(
                db, territory_id=ids[territory], criterion=criterion, value=value, at=ctx.at
            )
        write_audit(
            db,
            ctx,
            "territory",
            [
                *(
                    AuditEntry("create", key, {"file": ctx.file, "name": name})
                    for key, name in new_territories.items()
                ),
                *(
                    AuditEntry(
                        "update",
                        territory,
                        {
                            "file": ctx.file,
                            "row": number,
                            "criterion": criterion,
                            "value": str(value),
                        },
                    )
                    for territory, criterion, value, number in values
                ),
            ],
        )

    plan.write = write
    return plan


TERRITORIES_IMPORT = ImportKind(
    name="territories",
    entity="territory",
    columns=_territory_columns,
    natural_key=_territory_key,
    key_columns="territory, criterion",
    plan=_plan_territories,
)


# --- needs ------------------------------------------------------------------------------------


def _need_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("plan", parse_key, required=True),
        Column("id", parse_key, required=True),
        Column("name", _name, required=True),
        Column("rank", parse_int, required=True, also=("priority",)),
        Column("evidence", _evidence, required=True),
        Column("territory", parse_key),
    )


def _need_key(row: Row) -> Hashable | None:
    return (row["plan"], row["id"])


def _plan_needs(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.services.plans.versions import Versions, _editable
    from comunidad_cli.storage import plans as store

    plan = Plan()
    territories = {t.key: t.id for t in store.territories(db)}
    by_plan: dict[str, list[Row]] = {}
    for row in rows:
        by_plan.setdefault(row["plan"], []).append(row)
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for plan_key, plan_rows in by_plan.items():
        found = store.plan_by_key(db, plan_key)
        if found is None:
            plan.problems.extend(
                Problem(
                    r.number, "plan", Msg.of(N_('no plan "{key}": see plan list'), key=plan_key)
                )
                for r in plan_rows
            )
            continue
        try:
            _editable(Versions.load(db, bylaws_id=found.bylaws_id, body=found.body), found)
        except ServiceError as refusal:
            plan.problems.extend(Problem(r.number, "plan", refusal.msg) for r in plan_rows)
            continue
        stored = {n.key: n for n in store.needs(db, found.id)}
        ranked: dict[str, core_needs.RankedNeed] = {
            k: core_needs.RankedNeed(k, n.rank) for k, n in stored.items()
        }
        bad = False
        for row in plan_rows:
            territory = row.get("territory")
            if territory is not None and territory not in territories:
                plan.problems.append(
                    Problem(
                        row.number,
                        "territory",
                        Msg.of(N_('no territory "{key}" (see territory list)'), key=territory),
                    )
                )
                bad = True
            ranked[row["id"]] = core_needs.RankedNeed(row["id"], row["rank"], row.number)
        # Stored needs first, so that a rank repeated by the file is reported at its row.
        ordered = sorted(ranked.values(), key=lambda n: (n.row is not None, n.row or 0))
        for problem in core_needs.rank_problems(ordered):
            plan.problems.append(
                Problem(
                    problem.row,
                    "rank" if problem.row is not None else None,
                    problem.msg
                    if problem.row is not None
                    else Msg.of(N_('plan "{plan}": {problem}'), plan=plan_key, problem=problem.msg),
                )
            )
            bad = True
        if bad:
            continue
        for row in plan_rows:
            values = {
                "name": row["name"],
                "rank": row["rank"],
                "evidence": row["evidence"],
                "territory_id": territories.get(row.get("territory") or ""),
            }
            old = stored.get(row["id"])
            if old is None:
                creates.append({"plan_id": found.id, "key": row["id"], **values})
                audit.append(
                    AuditEntry(
                        "create", f"{plan_key}/{row['id']}", {"file": ctx.file, "row": row.number}
                    )
                )
                continue
            before = {
                "name": old.name,
                "rank": old.rank,
                "evidence": old.evidence,
                "territory_id": territories.get(old.territory or ""),
            }
            if before == values:
                plan.unchanged += 1
                continue
            updates.append({"_id": old.id, **values})
            audit.append(
                AuditEntry(
                    "update", f"{plan_key}/{row['id']}", {"file": ctx.file, "row": row.number}
                )
            )
    if plan.problems:
        return plan
    plan.created, plan.updated = len(creates), len(updates)

    def write(db: Db) -> None:
        for row in creates:
            store.add_need(
                db,
                plan_id=row["plan_id"],
                key=row["key"],
                name=row["name"],
                rank=row["rank"],
                evidence=row["evidence"],
                territory_id=row["territory_id"],
            )
        for row in updates:
            store.update_need(
                db,
                row["_id"],
                name=row["name"],
                rank=row["rank"],
                evidence=row["evidence"],
                territory_id=row["territory_id"],
            )
        write_audit(db, ctx, "plan_need", audit)

    plan.write = write
    return plan


NEEDS_IMPORT = ImportKind(
    name="needs",
    entity="plan_need",
    columns=_need_columns,
    natural_key=_need_key,
    key_columns="plan, id",
    plan=_plan_needs,
)
