"""The `agreements` import kind (`comunidad import agreements FILE`): agreements with partner
organisations, one row each, as drafts or signed.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed with its number, re-running the same file changes nothing. One row per
**id**: title, partner, lead (our side), from, to, and optionally reviews (dates separated
by spaces or semicolons), signed and signed_by (both or neither). An id already recorded
with the same values is unchanged; with other values the row is refused: what is recorded
changes only by `agreement amend` or `agreement renew`, a new version beside it.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import TYPE_CHECKING

from comunidad_cli.core.agreements import ORIGINAL, term_problem
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.importing.values import parse_date
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def _title(value: str) -> str:
    text = one_line(value)
    if not text:
        raise Invalid.of(N_("a title cannot be empty"))
    return text


def _dates(value: str) -> tuple[date, ...]:
    return tuple(sorted({parse_date(part) for part in value.replace(";", " ").split()}))


def _columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key, required=True),
        Column("title", _title, required=True),
        Column("partner", parse_key, required=True),
        Column("lead", parse_key, required=True),
        Column("from", parse_date, required=True),
        Column("to", parse_date, required=True),
        Column("reviews", _dates),
        Column("signed", parse_date),
        Column("signed_by", _title),
    )


def _key(row: Row) -> Hashable | None:
    key: str | None = row["id"]
    return key


def _row_problems(row: Row, orgs: dict[str, int], ctx: ImportContext) -> list[Problem]:
    problems: list[Problem] = []
    for column in ("partner", "lead"):
        if row[column] not in orgs:
            problems.append(
                Problem(
                    row.number,
                    column,
                    Msg.of(
                        N_('no organisation with id "{key}": see "comunidad org list"'),
                        key=row[column],
                    ),
                )
            )
    if row["partner"] == row["lead"]:
        problems.append(
            Problem(
                row.number,
                "lead",
                Msg.of(
                    N_("the partner and our side are the same organisation ({org})"),
                    org=row["lead"],
                ),
            )
        )
    term = term_problem(row["from"], row["to"])
    if term is not None:
        problems.append(Problem(row.number, "to", term))
    if (row["signed"] is None) != (row["signed_by"] is None):
        problems.append(
            Problem(
                row.number,
                "signed" if row["signed"] is None else "signed_by",
                Msg.of(N_("give signed and signed_by together, or neither")),
            )
        )
    if row["signed"] is not None and row["signed"] > ctx.today:
        problems.append(
            Problem(
                row.number,
                "signed",
                Msg.of(N_("{option} {day} is in the future"), option="signed", day=row["signed"]),
            )
        )
    return problems


def _plan(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import agreements as store
    from comunidad_cli.storage.directory import org_ids

    plan = Plan()
    orgs = org_ids(db)
    existing = {a.key: a for a in store.agreements(db)}
    originals = {
        v.agreement_id: v
        for v in store.versions(db, [a.id for a in existing.values()])
        if v.kind == ORIGINAL
    }
    reviews: dict[int, tuple[date, ...]] = {}
    for version_id, due in store.reviews(db, [v.id for v in originals.values()]):
        reviews[version_id] = (*reviews.get(version_id, ()), due)
    new: list[Row] = []
    for row in rows:
        problems = _row_problems(row, orgs, ctx)
        if problems:
            plan.problems.extend(problems)
            continue
        old = existing.get(row["id"])
        if old is None:
            plan.created += 1
            new.append(row)
            continue
        first = originals[old.id]
        same = (
            old.title == row["title"]
            and old.partner == row["partner"]
            and old.lead == row["lead"]
            and first.term_start == row["from"]
            and first.term_end == row["to"]
            and reviews.get(first.id, ()) == (row["reviews"] or ())
            and first.signed_on == row["signed"]
            and first.signed_by == row["signed_by"]
        )
        if same:
            plan.unchanged += 1
            continue
        plan.problems.append(
            Problem(
                row.number,
                "id",
                Msg.of(
                    N_(
                        'agreement "{key}" is already recorded with other values: it stays as'
                        ' it was; record a change with "comunidad agreement amend {key}" or'
                        ' "comunidad agreement renew {key}"'
                    ),
                    key=row["id"],
                ),
            )
        )
    if plan.problems:
        return plan

    def write(db: Db) -> None:
        entries = []
        for row in new:
            agreement_id = store.add_agreement(
                db,
                key=row["id"],
                title=row["title"],
                partner_id=orgs[row["partner"]],
                lead_id=orgs[row["lead"]],
                at=ctx.at,
            )
            version_id = store.add_version(
                db,
                agreement_id=agreement_id,
                number=0,
                kind=ORIGINAL,
                text="",
                term_start=row["from"],
                term_end=row["to"],
                at=ctx.at,
            )
            for due in row["reviews"] or ():
                store.add_review(db, version_id, due)
            if row["signed"] is not None:
                store.sign_version(db, version_id, on=row["signed"], by=row["signed_by"])
            entries.append(
                AuditEntry(
                    "create",
                    row["id"],
                    {
                        "file": ctx.file,
                        "row": row.number,
                        "title": row["title"],
                        "partner": row["partner"],
                        "lead": row["lead"],
                        "from": row["from"],
                        "to": row["to"],
                        "reviews": list(row["reviews"] or ()),
                        "signed_on": row["signed"],
                        "signed_by": row["signed_by"],
                    },
                )
            )
        write_audit(db, ctx, "agreement", entries)

    plan.write = write
    return plan


AGREEMENTS_IMPORT = ImportKind(
    name="agreements",
    entity="agreement",
    columns=_columns,
    natural_key=_key,
    key_columns="id",
    plan=_plan,
    amounts=False,
)
