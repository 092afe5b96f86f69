"""The `agreements` import kind (`comunidad import agreements FILE`): agreements with partner
organisations, one row each, as drafts or signed; and `agreement-goals` (agreement, goal)
and `agreement-data` (agreement, what, direction, purpose): goals and data items added to
an agreement's draft, refused on a signed or ended one exactly as `agreement goal` and
`agreement data` are (a goal or data item already on the draft, the same, is unchanged).

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed with its number, re-running the same file changes nothing. One row per
**id**: title, partner, lead (our side), from, to, and optionally reviews (dates separated
by spaces or semicolons), signed and signed_by (both or neither). An id already recorded
with the same values is unchanged; with other values the row is refused: what is recorded
changes only by `agreement amend` or `agreement renew`, a new version beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.agreements import ORIGINAL, direction_of, term_problem
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import check_text, one_line
from comunidad_cli.core.importing.values import parse_date
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.entries import unknown_org
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)
from comunidad_cli.services.suggest import no_such

if TYPE_CHECKING:
    from comunidad_cli.storage.agreements import AgreementRow, VersionRow
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


def _row_problems(db: Db, row: Row, orgs: dict[str, int], ctx: ImportContext) -> list[Problem]:
    problems: list[Problem] = []
    for column in ("partner", "lead"):
        if row[column] not in orgs:
            problems.append(
                Problem(
                    row.number,
                    column,
                    unknown_org(db, row[column]),
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
        problems = _row_problems(db, row, orgs, ctx)
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


# --- goals and data items added to a draft -------------------------------------------------------


def _text(value: str) -> str:
    """A goal or purpose as typed (line breaks kept), not empty."""
    check_text(value)
    if not value.strip():
        raise Invalid.of(N_("it cannot be empty"))
    return value


def _direction(value: str) -> str:
    way = direction_of(value)
    if not isinstance(way, str):
        raise Invalid(way)
    return way


def _goal_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (Column("agreement", parse_key, required=True), Column("goal", _text, required=True))


def _data_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("agreement", parse_key, required=True),
        Column("what", _title, required=True),
        Column("direction", _direction, required=True),
        Column("purpose", _text, required=True),
    )


def _drafts(db: Db, rows: list[Row], plan: Plan) -> dict[str, tuple[AgreementRow, VersionRow]]:
    """The draft of each agreement the rows name; a problem (the command's refusal) on each
    row naming an unknown, signed or ended one."""
    from comunidad_cli.services.agreements import draft_of
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.storage import agreements as store

    existing = {a.key: a for a in store.agreements(db)}
    named = {row["agreement"] for row in rows if row["agreement"] in existing}
    by_agreement: dict[int, list[VersionRow]] = {}
    for version in store.versions(db, [existing[k].id for k in sorted(named)]):
        by_agreement.setdefault(version.agreement_id, []).append(version)
    drafts: dict[str, tuple[AgreementRow, VersionRow]] = {}
    refusals: dict[str, Msg] = {}
    for key in named:
        found = existing[key]
        try:
            drafts[key] = (found, draft_of(found, by_agreement[found.id]))
        except ServiceError as refusal:
            refusals[key] = refusal.msg
    for row in rows:
        key = row["agreement"]
        if key not in existing:
            problem = no_such(
                db,
                "agreement",
                key,
                Msg.of(N_('no agreement with id "{key}": see "comunidad agreement list"'), key=key),
            )
            plan.problems.append(Problem(row.number, "agreement", problem))
        elif key in refusals:
            plan.problems.append(Problem(row.number, "agreement", refusals[key]))
    return drafts


def _added_to_drafts(
    ctx: ImportContext,
    drafts: dict[str, tuple[AgreementRow, VersionRow]],
    new: list[Row],
    add: Callable[[Db, VersionRow, Row], dict[str, Any]],
) -> Callable[[Db], None]:
    """The `write` of a kind that adds rows to agreements' drafts: each new row `add`ed to
    its agreement's draft, audited as an update of the agreement naming the draft's version
    and what `add` says it added."""

    def write(db: Db) -> None:
        entries = []
        for row in new:
            found, draft = drafts[row["agreement"]]
            added = add(db, draft, row)
            at = {"file": ctx.file, "row": row.number, "version": draft.number}
            entries.append(AuditEntry("update", found.key, {**at, **added}))
        write_audit(db, ctx, "agreement", entries)

    return write


def _plan_goals(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import agreements as store

    plan = Plan()
    drafts = _drafts(db, rows, plan)
    if plan.problems:
        return plan
    already = set(store.goals(db, [v.id for _a, v in drafts.values()]))
    new: list[Row] = []
    for row in rows:
        if (drafts[row["agreement"]][1].id, row["goal"]) in already:
            plan.unchanged += 1
        else:
            plan.created += 1
            new.append(row)

    def add(db: Db, draft: VersionRow, row: Row) -> dict[str, Any]:
        store.add_goal(db, draft.id, row["goal"])
        return {"goal": row["goal"]}

    plan.write = _added_to_drafts(ctx, drafts, new, add)
    return plan


def _plan_data(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import agreements as store

    plan = Plan()
    drafts = _drafts(db, rows, plan)
    if plan.problems:
        return plan
    already = {
        (version_id, what, way): purpose
        for version_id, what, way, purpose in store.data_items(
            db, [v.id for _a, v in drafts.values()]
        )
    }
    new: list[Row] = []
    for row in rows:
        draft = drafts[row["agreement"]][1]
        recorded = already.get((draft.id, row["what"], row["direction"]))
        if recorded is None:
            plan.created += 1
            new.append(row)
        elif recorded == row["purpose"]:
            plan.unchanged += 1
        else:
            problem = Msg.of(
                N_(
                    'the draft of agreement "{key}" already shares "{what}" this way for'
                    " another purpose ({purpose}): it stays as it was"
                ),
                key=row["agreement"],
                what=row["what"],
                purpose=recorded,
            )
            plan.problems.append(Problem(row.number, "purpose", problem))
    if plan.problems:
        return plan

    def add(db: Db, draft: VersionRow, row: Row) -> dict[str, Any]:
        shared = {"what": row["what"], "direction": row["direction"], "purpose": row["purpose"]}
        store.add_data(db, draft.id, **shared)
        return shared

    plan.write = _added_to_drafts(ctx, drafts, new, add)
    return plan


def _goal_key(row: Row) -> Hashable | None:
    return (row["agreement"], row["goal"])


def _data_key(row: Row) -> Hashable | None:
    return (row["agreement"], row["what"], row["direction"])


GOALS_IMPORT = ImportKind(
    name="agreement-goals",
    entity="agreement",
    columns=_goal_columns,
    natural_key=_goal_key,
    key_columns="agreement, goal",
    plan=_plan_goals,
    amounts=False,
)

DATA_IMPORT = ImportKind(
    name="agreement-data",
    entity="agreement",
    columns=_data_columns,
    natural_key=_data_key,
    key_columns="agreement, what, direction",
    plan=_plan_data,
    amounts=False,
)
