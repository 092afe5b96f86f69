"""The `assessments` and `resources` kinds of `comunidad import`.

Both follow the engine's policy (services/imports/engine.py): all or nothing, every bad row
listed, matched on natural keys so that importing a file again changes nothing.

`assessments`: one row per answer (org, instrument, rater, date, item, score; `na` for N/A).
Rows sharing org, instrument, rater (ignoring case) and date are one assessment, which must
answer every item of the instrument, counting the answers already stored for it. A row is
created, unchanged or updated answer by answer; the audit log has one row per assessment.

`resources`: one row per resource, matched on `id`. Volunteer hours are valued at the
workspace's `volunteer_hour_rate` when they are new or their hours change; a row whose hours
are those stored keeps its stored value, so a later change of the rate revalues nothing.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.capacity import answer_problem, parse_score, rater_key, unanswered
from comunidad_cli.core.importing import (
    Column,
    Invalid,
    Problem,
    Row,
    choice,
    money,
    parse_date,
    parse_key,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.resources import KINDS, VOLUNTEER, rate_missing, resolve
from comunidad_cli.services.capacity import (
    ASSESSMENT_ENTITY,
    FOLDER,
    InstrumentFile,
    assessment_entity_id,
    find_instrument,
    parse_rater,
)
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)
from comunidad_cli.services.resources import (
    RESOURCE_ENTITY,
    amount_decimals_problem,
    parse_description,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _workspace_root(ctx: ImportContext) -> Path | None:
    if ctx.bylaws_dir is None:
        return None
    from comunidad_cli.services.workspace import find_root

    return find_root(ctx.bylaws_dir)


def _future(row: Row, column: str, value: date, ctx: ImportContext) -> Problem | None:
    if value <= ctx.today:
        return None
    return Problem(
        row.number,
        column,
        Msg.of(N_("{date} is in the future: record it once it has happened"), date=value),
    )


# --- assessments ------------------------------------------------------------------------------


def _assessment_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("org", parse_key, required=True),
        Column("instrument", parse_key, required=True),
        Column("rater", parse_rater, required=True),
        Column("date", parse_date, required=True),
        Column("item", parse_key, required=True),
        Column("score", parse_score, required=True),
    )


def _assessment_key(row: Row) -> Hashable | None:
    return (row["org"], row["instrument"], rater_key(row["rater"]), row["date"], row["item"])


@dataclass(slots=True)
class _Group:
    """The rows of one assessment in the file."""

    first: Row
    rows: list[Row] = field(default_factory=list)


def _plan_assessments(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import bindparam, insert, select, update

    from comunidad_cli.services.directory import table_of

    root = _workspace_root(ctx)
    folder = root / FOLDER if root is not None else None
    orgs = table_of("organisation")
    heads, answers = table_of("capacity_assessment"), table_of("capacity_answer")
    org_ids: dict[str, int] = {k: i for i, k in conn.execute(select(orgs.c.id, orgs.c.key)).all()}
    plan = Plan()

    groups: dict[tuple[str, str, str, date], _Group] = {}
    for row in rows:
        key = (row["org"], row["instrument"], rater_key(row["rater"]), row["date"])
        groups.setdefault(key, _Group(row)).rows.append(row)

    instruments: dict[str, InstrumentFile | Msg] = {}

    def instrument_of(instrument_id: str) -> InstrumentFile | Msg:
        if instrument_id not in instruments:
            try:
                instruments[instrument_id] = find_instrument(instrument_id, folder)
            except ServiceError as error:
                instruments[instrument_id] = error.msg
        return instruments[instrument_id]

    # What is stored already for the organisations in the file.
    stored: dict[
        tuple[int, str, str, date], tuple[int, str, dict[str, tuple[int, int | None]]]
    ] = {}
    wanted = sorted({org_ids[g[0]] for g in groups if g[0] in org_ids})
    if wanted:
        found = conn.execute(
            select(
                heads.c.id,
                heads.c.organisation_id,
                heads.c.instrument,
                heads.c.rater,
                heads.c.assessed_on,
            ).where(heads.c.organisation_id.in_(wanted))
        ).all()
        by_id: dict[int, dict[str, tuple[int, int | None]]] = {int(f[0]): {} for f in found}
        if by_id:
            for answer_id, assessment_id, item, score in conn.execute(
                select(
                    answers.c.id, answers.c.assessment_id, answers.c.item, answers.c.score
                ).where(answers.c.assessment_id.in_(list(by_id)))
            ).all():
                by_id[int(assessment_id)][str(item)] = (int(answer_id), score)
        for assessment_id, org_id, instrument, rater, on in found:
            stored[(int(org_id), str(instrument), rater_key(str(rater)), on)] = (
                int(assessment_id),
                str(rater),
                by_id[int(assessment_id)],
            )

    new_heads: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    new_answers: list[dict[str, Any]] = []
    changed_answers: list[dict[str, Any]] = []
    sha_updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for (org, instrument_id, rkey, on), group in groups.items():
        first = group.first
        problems: list[Problem] = []
        org_id = org_ids.get(org)
        if org_id is None:
            problems.append(
                Problem(
                    first.number,
                    "org",
                    Msg.of(
                        N_(
                            'no organisation with id "{key}": import the organisations first,'
                            ' or add it with "comunidad org add"'
                        ),
                        key=org,
                    ),
                )
            )
        future = _future(first, "date", on, ctx)
        if future is not None:
            problems.append(future)
        found_instrument = instrument_of(instrument_id)
        if isinstance(found_instrument, Msg):
            problems.append(Problem(first.number, "instrument", found_instrument))
            plan.problems.extend(problems)
            continue
        instrument = found_instrument.instrument
        assert instrument is not None
        for row in group.rows:
            problem = answer_problem(instrument, row["item"], row["score"])
            if problem is not None:
                column = "item" if instrument.item(row["item"]) is None else "score"
                problems.append(Problem(row.number, column, problem))
        existing = stored.get((org_id, instrument.id, rkey, on)) if org_id is not None else None
        merged: dict[str, int | None] = {
            item: score for item, (_id, score) in (existing[2] if existing else {}).items()
        }
        merged.update({row["item"]: row["score"] for row in group.rows})
        missing = unanswered(instrument, merged)
        if missing:
            problems.append(
                Problem(
                    first.number,
                    None,
                    Msg.of(
                        N_(
                            "the assessment of {org} by {rater} on {date} has no answer for"
                            " {count} items of {instrument}: {items}"
                        ),
                        org=org,
                        rater=first["rater"],
                        date=on,
                        count=len(missing),
                        instrument=instrument.id,
                        items=", ".join(missing),
                    ),
                )
            )
        if problems:
            plan.problems.extend(problems)
            continue
        assert org_id is not None
        entity_id = assessment_entity_id(org, instrument.id, first["rater"], on)
        if existing is None:
            answers_given = {row["item"]: row["score"] for row in group.rows}
            new_heads.append(
                (
                    {
                        "organisation_id": org_id,
                        "instrument": instrument.id,
                        "instrument_sha256": found_instrument.sha256,
                        "rater": first["rater"],
                        "assessed_on": on,
                    },
                    [{"item": i, "score": s} for i, s in answers_given.items()],
                )
            )
            plan.created += len(group.rows)
            audit.append(
                AuditEntry(
                    "create",
                    entity_id,
                    {
                        "file": ctx.file,
                        "rows": [row.number for row in group.rows],
                        "sha256": found_instrument.sha256,
                        "answers": answers_given,
                    },
                )
            )
            continue
        assessment_id, stored_rater, stored_answers = existing
        changes: dict[str, list[int | None]] = {}
        for row in group.rows:
            item, score = row["item"], row["score"]
            before = stored_answers.get(item)
            if before is None:
                new_answers.append({"assessment_id": assessment_id, "item": item, "score": score})
                changes[item] = [None, score]
                plan.created += 1
            elif before[1] != score:
                changed_answers.append({"_id": before[0], "score": score})
                changes[item] = [before[1], score]
                plan.updated += 1
            else:
                plan.unchanged += 1
        if changes:
            sha_updates.append({"_id": assessment_id, "instrument_sha256": found_instrument.sha256})
            audit.append(
                AuditEntry(
                    "update",
                    assessment_entity_id(org, instrument.id, stored_rater, on),
                    {"file": ctx.file, "sha256": found_instrument.sha256, "changed": changes},
                )
            )

    def write(conn: Connection) -> None:
        for head, head_answers in new_heads:
            result = conn.execute(insert(heads).values(**head))
            assert result.inserted_primary_key is not None
            assessment_id = int(result.inserted_primary_key[0])
            new_answers.extend({"assessment_id": assessment_id, **a} for a in head_answers)
        if new_answers:
            conn.execute(insert(answers), new_answers)
        if changed_answers:
            conn.execute(update(answers).where(answers.c.id == bindparam("_id")), changed_answers)
        if sha_updates:
            conn.execute(update(heads).where(heads.c.id == bindparam("_id")), sha_updates)
        write_audit(conn, ctx, ASSESSMENT_ENTITY, audit)

    plan.write = write
    return plan


ASSESSMENTS_IMPORT = ImportKind(
    name="assessments",
    entity=ASSESSMENT_ENTITY,
    columns=_assessment_columns,
    natural_key=_assessment_key,
    key_columns="org, instrument, rater, date, item",
    plan=_plan_assessments,
)


# --- resources --------------------------------------------------------------------------------

_FIELDS = ("kind", "description", "grant_id", "source_id", "pledged", "received", "hours", "dated")


def _resource_columns(ctx: ImportContext) -> tuple[Column, ...]:
    amount = money(ctx.decimal_mark)
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


def _plan_resources(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import bindparam, insert, select, update

    from comunidad_cli.services.directory import table_of

    table, grants, orgs = table_of("resource"), table_of("grant_award"), table_of("organisation")
    grant_ids: dict[str, int] = {}
    grant_currencies: dict[int, str] = {}
    for grant_id, grant_key, grant_currency in conn.execute(
        select(grants.c.id, grants.c.key, grants.c.currency)
    ).all():
        grant_ids[grant_key] = grant_id
        grant_currencies[grant_id] = grant_currency
    workspace_currency: tuple[str | None] | None = None
    org_ids: dict[str, int] = {k: i for i, k in conn.execute(select(orgs.c.id, orgs.c.key)).all()}
    grant_keys = {i: k for k, i in grant_ids.items()}
    org_keys = {i: k for k, i in org_ids.items()}
    existing = {
        r["key"]: r
        for r in conn.execute(
            select(table.c.id, table.c.key, *(table.c[f] for f in _FIELDS))
        ).mappings()
    }
    rate: tuple[Decimal | None, str] | None = None
    plan = Plan()
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        key = row["id"]
        old = existing.get(key)
        problems: list[Problem] = []
        refs: dict[str, int | None] = {}
        for column, ids, what, hint in (
            (
                "grant",
                grant_ids,
                "grant_id",
                N_('no grant with id "{key}": see "comunidad grant list"'),
            ),
            (
                "source",
                org_ids,
                "source_id",
                N_(
                    'no organisation with id "{key}": import the organisations first, or add it with "comunidad org add"'
                ),
            ),
        ):
            if column not in present:
                refs[what] = old[what] if old is not None else None
                continue
            value = row.get(column)
            if value is not None and value not in ids:
                problems.append(Problem(row.number, column, Msg.of(hint, key=value)))
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
            creates.append({"key": key, **stored})
            audit.append(AuditEntry("create", key, {"file": ctx.file, "row": row.number, **shown}))
            continue
        changed = {f: [old[f], v] for f, v in stored.items() if old[f] != v}
        if not changed:
            plan.unchanged += 1
            continue
        updates.append({"_id": old["id"], **stored})
        audit.append(
            AuditEntry("update", key, {"file": ctx.file, "row": row.number, "changed": changed})
        )
    plan.created, plan.updated = len(creates), len(updates)

    def write(conn: Connection) -> None:
        if creates:
            conn.execute(insert(table), creates)
        if updates:
            conn.execute(update(table).where(table.c.id == bindparam("_id")), updates)
        write_audit(conn, ctx, RESOURCE_ENTITY, audit)

    plan.write = write
    return plan


RESOURCES_IMPORT = ImportKind(
    name="resources",
    entity=RESOURCE_ENTITY,
    columns=_resource_columns,
    natural_key=_resource_key,
    key_columns="id",
    plan=_plan_resources,
)
