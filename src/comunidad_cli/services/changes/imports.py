"""The `change-tags` import kind (`comunidad import change-tags FILE`): systems-change tags,
one row per record and condition and/or quality.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed with its number, re-running the same file changes nothing. Columns: **kind**
(motion, subcontract, project, activity, commitment, in any language), **id** (the record's
id; a funded project's is its application's), **condition** and/or **quality** (in any
language; a row gives at least one), **by** (who tagged it). A tag already in force is
unchanged; the record must exist.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from comunidad_cli.core.changes import CONDITION, CONDITIONS, KINDS, QUALITIES, QUALITY, not_found
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.importing.values import choice
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)
from comunidad_cli.services.suggest import no_such

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def _reference(value: str) -> str:
    """A record's id as typed (ids given by hand are kept as given)."""
    return value


def _columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("kind", choice(*KINDS), required=True),
        Column("id", _reference, required=True),
        Column("condition", choice(*CONDITIONS)),
        Column("quality", choice(*QUALITIES)),
        Column("by", one_line, required=True),
    )


def _key(row: Row) -> Hashable | None:
    return (row["kind"], row["id"], row.get("condition"), row.get("quality"))


def _plan(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import changes as store

    plan = Plan()
    held = {(t.kind, t.subject, t.dimension, t.value) for t in store.tags(db)}
    found: dict[tuple[str, str], int | None] = {}
    adds: list[tuple[str, str, int, str, str, str, int]] = []
    seen: set[tuple[str, int, str, str]] = set()
    for row in rows:
        kind, key = row["kind"], row["id"]
        wanted = [(d, row.get(d)) for d in (CONDITION, QUALITY) if row.get(d) is not None]
        if not wanted:
            plan.problems.append(
                Problem(row.number, None, Msg.of(N_("give a condition, a quality or both")))
            )
            continue
        if (kind, key) not in found:
            hit = store.subject(db, kind, key)
            found[(kind, key)] = None if hit is None else hit[0]
        subject_id = found[(kind, key)]
        if subject_id is None:
            plan.problems.append(
                Problem(row.number, "id", no_such(db, kind, key, not_found(kind, key)))
            )
            continue
        new = [
            (d, v)
            for d, v in wanted
            if (kind, subject_id, d, v) not in held and (kind, subject_id, d, v) not in seen
        ]
        if not new:
            plan.unchanged += 1
            continue
        plan.created += 1
        for dimension, value in new:
            seen.add((kind, subject_id, dimension, value))
            adds.append((kind, key, subject_id, dimension, value, row["by"], row.number))
    if plan.problems:
        return plan

    def write(db: Db) -> None:
        entries = []
        for kind, key, subject_id, dimension, value, by, number in adds:
            store.add_tag(
                db,
                kind=kind,
                subject_id=subject_id,
                dimension=dimension,
                value=value,
                at=ctx.at,
                by=by,
            )
            entries.append(
                AuditEntry(
                    "create",
                    f"{kind}:{key}",
                    {"file": ctx.file, "row": number, dimension: [value], "by": by},
                )
            )
        write_audit(db, ctx, "change_tag", entries)

    plan.write = write
    return plan


CHANGE_TAGS_IMPORT = ImportKind(
    name="change-tags",
    entity="change_tag",
    columns=_columns,
    natural_key=_key,
    key_columns="kind, id, condition, quality",
    plan=_plan,
    amounts=False,
)
