"""The `deliverables` (key `id`) and `submissions` (key `deliverable, due`) import kinds.

A schedule change may not orphan a submission; a submission answers one due date and is not
in the future.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.grants.deliverables import due_dates, schedule_problem
from comunidad_cli.core.importing.columns import Column, Row
from comunidad_cli.core.importing.ids import earlier_ids, make_id, parse_key
from comunidad_cli.core.importing.values import parse_bool, parse_date, parse_int
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import DELIVERABLE_ENTITY, SUBMISSION_ENTITY, parse_text
from comunidad_cli.services.grants.records import _deliverables
from comunidad_cli.services.imports.grant_store import (
    _DELIVERABLE,
    _SUBCONTRACT,
    _no,
    _Problems,
    parse_unit,
)
from comunidad_cli.services.imports.kinds import (
    ImportContext,
    ImportKind,
    Plan,
    Upserts,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


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


def _submitted(db: Db) -> dict[int, dict[date, tuple[int, date]]]:
    from comunidad_cli.storage.grant_rows import submission_rows

    found: dict[int, dict[date, tuple[int, date]]] = {}
    for sub_id, deliverable_id, due, on in submission_rows(db):
        found.setdefault(deliverable_id, {})[due] = (sub_id, on)
    return found


def _plan_deliverables(
    db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from comunidad_cli.storage import grants as stored

    sub_rows = {r["key"]: r for r in stored.subcontracts(db)}
    existing = {r["key"]: r for r in stored.deliverables(db, None)}
    submitted = _submitted(db)
    upserts = Upserts(ctx)
    problems = _Problems(upserts.plan)
    for row in rows:
        n = row.number
        key = _deliverable_key(row)
        if not row.get("id") and key not in existing:
            earlier = earlier_ids(row["subcontract"], row["title"], prefix="deliverable")
            key = next((k for k in earlier if k in existing), key)
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
            schedule_problem(
                values["first_due"], values["every"], values["unit"], values["until"], sub["start"]
            ),
        ):
            continue
        old = existing.get(key)
        detail = {k: v for k, v in values.items() if k != "subcontract_id"}
        if old is None:
            upserts.create(
                key,
                {"key": key, **values},
                {**upserts.at(n), "subcontract": row["subcontract"], **detail},
            )
            continue
        changed = upserts.changed(old, values)
        if not changed:
            continue
        dues = set(
            due_dates(
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
        upserts.update(key, old["id"], values, changed, upserts.at(n))
    return upserts.done("deliverable", DELIVERABLE_ENTITY)


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


def _plan_submissions(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage.grants import deliverables

    ids = {d["key"]: (d["id"], d["subcontract_id"]) for d in deliverables(db, None)}
    views = {
        d.key: d
        for found in _deliverables(db, {s for _, s in ids.values()}, ctx.today).values()
        for d in found
    }
    submitted = _submitted(db)
    upserts = Upserts(ctx)
    problems = _Problems(upserts.plan)
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
        detail = {**upserts.at(n), "due": due}
        values = {"submitted_on": on}
        if old is None:
            upserts.create(
                key, {"deliverable_id": deliverable_id, "due": due, **values}, {**detail, **values}
            )
        elif changed := upserts.changed({"submitted_on": old[1]}, values):
            upserts.update(key, old[0], values, changed, detail)
    return upserts.done("submission", SUBMISSION_ENTITY)


SUBMISSIONS_IMPORT = ImportKind(
    name="submissions",
    entity=SUBMISSION_ENTITY,
    columns=_submission_columns,
    natural_key=_submission_key,
    key_columns="deliverable, due",
    plan=_plan_submissions,
)
