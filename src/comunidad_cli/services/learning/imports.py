"""The `learning-activities` and `learning-participants` import kinds.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed with its number, re-running the same file changes nothing.

- `learning-activities`: one row per **id**: title, topic, cycle, facilitator, date, hours,
  bylaws. Hours are read like amounts (the file's decimal mark; three decimals refused as
  a question); a by-laws id must be one of the workspace's; a day in the future is refused.
  A changed row is an update, in the audit log; hours are never cut below what a
  participant is recorded to have attended.
- `learning-participants`: one row per **activity, person**: org (default: the person's
  own organisation), hours (when fewer than the whole activity). The activity and the
  person must exist (`learning add` or `learning-activities`; the directory).
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING

from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.importing.values import parse_date
from comunidad_cli.core.learning import (
    attended_problem,
    parse_hours,
    stored_hours,
    unknown_person,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.entries import unknown_org
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    ImportContext,
    ImportKind,
    Plan,
    Upserts,
)
from comunidad_cli.services.learning import ACTIVITY, PARTICIPANT
from comunidad_cli.services.suggest import no_such

if TYPE_CHECKING:
    from comunidad_cli.core.importing.invalid import Parser
    from comunidad_cli.storage.dbapi import Db


def _hours(ctx: ImportContext) -> Parser:
    def parse(value: str) -> Decimal:
        return parse_hours(value, ctx.decimal_mark)

    return parse


def _activity_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key, required=True),
        Column("title", one_line, required=True),
        Column("topic", one_line, required=True),
        Column("cycle", one_line),
        Column("facilitator", one_line, required=True),
        Column("date", parse_date, required=True),
        Column("hours", _hours(ctx), required=True),
        Column("bylaws", parse_key),
    )


def _activity_key(row: Row) -> Hashable | None:
    return str(row["id"])


class _Bylaws:
    """The workspace's by-laws ids, each looked up once: the id stored, or why not."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.found: dict[str, str | Msg] = {}

    def __call__(self, value: str) -> str | Msg:
        if value not in self.found:
            from comunidad_cli.services.learning import bylaws_of

            try:
                self.found[value] = bylaws_of(self.ctx.bylaws_dir, value, self.ctx.today)
            except ServiceError as refused:
                self.found[value] = refused.msg
        return self.found[value]


def _plan_activities(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import learning

    existing = {a.key: a for a in learning.activities(db)}
    longest: dict[int, Decimal] = {}
    for p in learning.participants(db):
        if p.hours is not None:
            longest[p.activity_id] = max(p.hours, longest.get(p.activity_id, Decimal(0)))
    bylaws = _Bylaws(ctx)
    upserts = Upserts(ctx)
    plan = upserts.plan
    for row in rows:
        key = row["id"]
        old = existing.get(key)
        problems: list[Problem] = []
        if row["date"] > ctx.today:
            problems.append(
                Problem(
                    row.number,
                    "date",
                    Msg.of(
                        N_("{date} is in the future: record it once it has happened"),
                        date=row["date"],
                    ),
                )
            )
        bylaws_id: str | None = None
        if "bylaws" in present and row.get("bylaws") is not None:
            found = bylaws(row["bylaws"])
            if isinstance(found, Msg):
                problems.append(Problem(row.number, "bylaws", found))
            else:
                bylaws_id = found
        elif "bylaws" not in present and old is not None:
            bylaws_id = old.bylaws_id
        hours: Decimal = row["hours"]
        if old is not None and hours < longest.get(old.id, Decimal(0)):
            problems.append(
                Problem(
                    row.number,
                    "hours",
                    Msg.of(
                        N_(
                            "{hours} hours is less than a participant is recorded to have"
                            " attended ({attended})"
                        ),
                        hours=hours,
                        attended=longest[old.id],
                    ),
                )
            )
        if problems:
            plan.problems.extend(problems)
            continue
        cycle = row.get("cycle") if "cycle" in present or old is None else old.cycle
        values = {
            "title": row["title"],
            "topic": row["topic"],
            "cycle": cycle,
            "facilitator": row["facilitator"],
            "held_on": row["date"],
            "hours": hours,
            "bylaws_id": bylaws_id,
        }
        shown = upserts.at(row.number)
        if old is None:
            upserts.create(key, {"key": key, **values, "created_at": ctx.at}, {**shown, **values})
        elif changed := upserts.changed(learning.activity_values(db, old), values):
            upserts.update(key, old.id, values, changed, shown)
    return upserts.done("learning_activity", ACTIVITY)


ACTIVITIES_IMPORT = ImportKind(
    name="learning-activities",
    entity=ACTIVITY,
    columns=_activity_columns,
    natural_key=_activity_key,
    key_columns="id",
    plan=_plan_activities,
)


def _participant_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("activity", parse_key, required=True),
        Column("person", parse_key, required=True),
        Column("org", parse_key),
        Column("hours", _hours(ctx)),
    )


def _participant_key(row: Row) -> Hashable | None:
    return (row["activity"], row["person"])


def _plan_participants(
    db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from comunidad_cli.storage import learning
    from comunidad_cli.storage.directory import org_ids

    activities = {a.key: a for a in learning.activities(db)}
    directory = learning.person_orgs(db)
    orgs = org_ids(db)
    existing = {(p.activity, p.person): p for p in learning.participants(db)}
    upserts = Upserts(ctx)
    plan = upserts.plan
    for row in rows:
        problems: list[Problem] = []
        activity = activities.get(row["activity"])
        if activity is None:
            problems.append(
                Problem(
                    row.number,
                    "activity",
                    no_such(
                        db,
                        "activity",
                        row["activity"],
                        Msg.of(
                            N_(
                                'no learning activity with id "{key}":'
                                ' see "comunidad learning list"'
                            ),
                            key=row["activity"],
                        ),
                    ),
                )
            )
        person = directory.get(row["person"])
        if person is None:
            problems.append(Problem(row.number, "person", unknown_person(row["person"], directory)))
        org = row.get("org")
        if org is not None and org not in orgs:
            problems.append(
                Problem(
                    row.number,
                    "org",
                    unknown_org(db, org),
                )
            )
        hours: Decimal | None = row.get("hours")
        if activity is not None and hours is not None:
            problem = attended_problem(hours, activity.hours)
            if problem is not None:
                problems.append(Problem(row.number, "hours", problem))
        if problems or activity is None or person is None:
            plan.problems.extend(problems)
            continue
        old = existing.get((activity.key, row["person"]))
        if org is not None:
            org_id: int | None = orgs[org]
        elif "org" not in present and old is not None:
            org_id = None if old.org is None else orgs[old.org]
            org = old.org
        else:
            org_id, org = person[1], person[2]
        if "hours" not in present and old is not None:
            kept = old.hours
        else:
            kept = stored_hours(hours, activity.hours)
        values = {"org_id": org_id, "hours": kept}
        detail = {**upserts.at(row.number), "person": row["person"]}
        if old is None:
            upserts.create(
                activity.key,
                {"activity_id": activity.id, "person_id": person[0], **values},
                {**detail, "org": org, "hours": kept},
            )
            continue
        stored = {"org_id": None if old.org is None else orgs[old.org], "hours": old.hours}
        if changed := upserts.changed(stored, values):
            upserts.update(activity.key, old.id, values, changed, detail)
    return upserts.done("learning_participant", PARTICIPANT)


PARTICIPANTS_IMPORT = ImportKind(
    name="learning-participants",
    entity=PARTICIPANT,
    columns=_participant_columns,
    natural_key=_participant_key,
    key_columns="activity, person",
    plan=_plan_participants,
)
