"""The `assessments` import kind: capacity assessments, one row per answer.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed, matched on natural keys so that importing a file again changes nothing.

A row is (org, instrument, rater, date, item, score; `na` for N/A). Rows sharing org,
instrument, rater (ignoring case) and date are one assessment, which must answer every item
of the instrument, counting the answers already stored for it. A row is created, unchanged
or updated answer by answer; the audit log has one row per assessment.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.capacity.scoring import answer_problem, parse_score, rater_key, unanswered
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.values import parse_date
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.capacity.answers import parse_rater
from comunidad_cli.services.capacity.assessments import ASSESSMENT_ENTITY, assessment_entity_id
from comunidad_cli.services.capacity.instruments import FOLDER, InstrumentFile, find_instrument
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    insert_dicts,
    no_org,
    update_dicts,
    write_audit,
)
from comunidad_cli.services.imports.kinds import stored as as_stored

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


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


def _plan_assessments(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import capacity
    from comunidad_cli.storage.directory import org_ids as stored_org_ids

    root = _workspace_root(ctx)
    folder = root / FOLDER if root is not None else None
    org_ids = stored_org_ids(db)
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
        found: list[tuple[Any, ...]] = [
            (i, o, instr, rater, on)
            for i, o, instr, _sha, rater, on in capacity.assessments(db, wanted)
        ]
        by_id: dict[int, dict[str, tuple[int, int | None]]] = {int(f[0]): {} for f in found}
        for answer_id, assessment_id, item, score in capacity.answer_rows(db, list(by_id)):
            by_id[assessment_id][item] = (answer_id, score)
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
                    no_org(db, org),
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

    def write(db: Db) -> None:
        for head, head_answers in new_heads:
            assessment_id = db.insert(
                "capacity_assessment", {k: as_stored(db, v) for k, v in head.items()}
            )
            new_answers.extend({"assessment_id": assessment_id, **a} for a in head_answers)
        insert_dicts(db, "capacity_answer", new_answers)
        update_dicts(db, "capacity_answer", changed_answers)
        update_dicts(db, "capacity_assessment", sha_updates)
        write_audit(db, ctx, ASSESSMENT_ENTITY, audit)

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
