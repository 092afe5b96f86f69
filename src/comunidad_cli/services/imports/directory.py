"""The directory's import kinds: `orgs` and `people` (the directory) and `members` (seats).

Same engine and policy as every import (services/imports/engine.py). `orgs` and `people`
are matched on `id`, or on the key the name makes (`make_id`) when the file has none, and
checked as `org add` / `person add` check them. `members` rows are seats, matched on
(by-laws, body, person, from) and checked with the rules `member add` applies
(`core.governance.seats`), against the seats stored and the file's other rows.
"""

from __future__ import annotations

from collections.abc import Container, Hashable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.governance.seats import HeldSeats
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import earlier_ids, parse_key, slugify
from comunidad_cli.core.importing.values import parse_date, parse_email, parse_phone
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.directory import (
    ORG_ENTITY,
    ORG_FIELDS,
    PERSON_ENTITY,
    PERSON_FIELDS,
    parse_name,
    parse_org_kind,
)
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    ImportContext,
    ImportKind,
    Plan,
    Upserts,
    bylaws_problem,
    no_org,
)
from comunidad_cli.services.members import SEAT_ENTITY, load_bylaws, seat_key, stored_seats

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


# --- import kinds: orgs and people ----------------------------------------------------------


def _org_key_of(row: Row) -> str:
    key: str | None = row.get("id")
    return key if key else slugify(row["name"], prefix="org")


def _person_key_of(row: Row) -> str:
    key: str | None = row.get("id")
    return key if key else slugify(row["name"], prefix="person")


def _earlier(key: str, row: Row, prefix: str, existing: Container[str]) -> str:
    """A row without an id matches the row an earlier version stored under a longer key."""
    if row.get("id") or key in existing:
        return key
    return next((k for k in earlier_ids(row["name"], prefix=prefix) if k in existing), key)


def _org_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key),
        Column("name", parse_name, required=True),
        Column("kind", parse_org_kind, required=True),
        Column("email", parse_email),
        Column("phone", parse_phone),
    )


def _person_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key),
        Column("name", parse_name, required=True),
        Column("org", parse_key),
        Column("email", parse_email),
        Column("phone", parse_phone),
    )


def _plan_orgs(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage.directory import org_rows

    existing = org_rows(db)
    fields = [f for f in ORG_FIELDS if f in present]
    upserts = Upserts(ctx)
    for row in rows:
        key = _earlier(_org_key_of(row), row, "org", existing)
        values = {f: row.get(f) for f in fields}
        old = existing.get(key)
        if old is None:
            upserts.create(
                key,
                {"key": key, "email": None, "phone": None, "created_at": ctx.at, **values},
                {**upserts.at(row.number), **values},
            )
        elif changed := upserts.changed(old, values):
            upserts.update(key, old["id"], values, changed, upserts.at(row.number))
    return upserts.done("organisation", ORG_ENTITY)


def _plan_people(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import directory

    org_ids = directory.org_ids(db)
    org_keys = {i: k for k, i in org_ids.items()}
    existing = directory.person_rows(db)
    fields = [f for f in PERSON_FIELDS if f in present]
    upserts = Upserts(ctx)
    plan = upserts.plan
    for row in rows:
        key = _earlier(_person_key_of(row), row, "person", existing)
        values = {f: row.get(f) for f in fields}
        stored = {f: values[f] for f in fields if f != "org"}
        if "org" in values:
            org = values["org"]
            if org is not None and org not in org_ids:
                plan.problems.append(
                    Problem(
                        row.number,
                        "org",
                        no_org(db, org),
                    )
                )
                continue
            stored["organisation_id"] = org_ids[org] if org is not None else None
        old = existing.get(key)
        if old is None:
            blank = {"email": None, "phone": None, "organisation_id": None}
            upserts.create(
                key,
                {"key": key, **blank, "created_at": ctx.at, **stored},
                {**upserts.at(row.number), **values},
            )
            continue
        before = {f: old[f] for f in fields if f != "org"}
        if "org" in values:
            before["org"] = org_keys.get(old["organisation_id"])
        if changed := upserts.changed(before, values):
            upserts.update(key, old["id"], stored, changed, upserts.at(row.number))
    return upserts.done("person", PERSON_ENTITY)


ORGS_IMPORT = ImportKind(
    name="orgs",
    entity=ORG_ENTITY,
    columns=_org_columns,
    natural_key=_org_key_of,
    key_columns="id",
    plan=_plan_orgs,
)

PEOPLE_IMPORT = ImportKind(
    name="people",
    entity=PERSON_ENTITY,
    columns=_person_columns,
    natural_key=_person_key_of,
    key_columns="id",
    plan=_plan_people,
)


MEMBER_COLUMNS = ("bylaws", "body", "person", "class", "role", "from", "to")


def _member_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("bylaws", parse_key),
        Column("body", parse_key, required=True),
        Column("person", parse_key, required=True),
        Column("class", parse_key, required=True),
        Column("role", parse_key),
        Column("from", parse_date, required=True),
        Column("to", parse_date),
    )


def _member_key(row: Row) -> Hashable | None:
    return (row.get("bylaws") or "", row["body"], row["person"], row["from"])


@dataclass
class _Held:
    """The seats under one by-laws, stored then accepted from the file, indexed for judging.

    `by_key` finds a seat by its natural key (body, person, from) with its row id (None: from
    this file); the first seat stored under a key is the one a row updates.
    """

    seats: HeldSeats
    by_key: dict[tuple[str, str, date], tuple[int | None, Seat]]


class _Workspace:
    """By-laws by id, loaded once each, and the seats under them (stored, then accepted)."""

    def __init__(self, db: Db, ctx: ImportContext) -> None:
        self.db = db
        self.ctx = ctx
        self.models: dict[str | None, Bylaws | Msg] = {}
        self.seats: dict[str, _Held] = {}

    def bylaws(self, bylaws_id: str | None) -> Bylaws | Msg:
        if bylaws_id not in self.models:
            assert self.ctx.bylaws_dir is not None
            try:
                self.models[bylaws_id] = load_bylaws(self.ctx.bylaws_dir, bylaws_id, self.ctx.today)
            except ServiceError as error:
                self.models[bylaws_id] = bylaws_problem(self.ctx.bylaws_dir, bylaws_id, error.msg)
        return self.models[bylaws_id]

    def held(self, bylaws_id: str) -> _Held:
        if bylaws_id not in self.seats:
            stored = stored_seats(self.db, bylaws_id)
            by_key: dict[tuple[str, str, date], tuple[int | None, Seat]] = {}
            for i, s in stored:
                by_key.setdefault((s.body, s.person, s.start), (i, s))
            self.seats[bylaws_id] = _Held(HeldSeats(s for _, s in stored), by_key)
        return self.seats[bylaws_id]


def _plan_members(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage.directory import person_ids as stored_person_ids

    upserts = Upserts(ctx)
    plan = upserts.plan
    if ctx.bylaws_dir is None:
        plan.problems.append(
            Problem(
                None,
                None,
                Msg.of(
                    N_('importing members needs a workspace with by-laws: run "comunidad init"')
                ),
            )
        )
        return plan
    person_ids = stored_person_ids(db)
    space = _Workspace(db, ctx)
    for row in rows:
        bylaws = space.bylaws(row.get("bylaws"))
        if isinstance(bylaws, Msg):
            plan.problems.append(Problem(row.number, "bylaws", bylaws))
            continue
        person_id = person_ids.get(row["person"])
        if person_id is None:
            plan.problems.append(
                Problem(
                    row.number,
                    "person",
                    Msg.of(
                        N_(
                            'no person with id "{key}": import the people first,'
                            ' or add them with "comunidad person add"'
                        ),
                        key=row["person"],
                    ),
                )
            )
            continue
        new = Seat(
            row["person"], row["body"], row["class"], row["from"], row.get("to"), row.get("role")
        )
        held = space.held(bylaws.id)
        natural = (new.body, new.person, new.start)
        found = held.by_key.get(natural)
        if found is not None and found[1] == new:
            plan.unchanged += 1
            continue
        refusals = held.seats.check(bylaws, new, replacing=None if found is None else found[1])
        if refusals:
            plan.problems.extend(Problem(row.number, r.field, r.msg) for r in refusals)
            continue
        key = seat_key(bylaws.id, new)
        if found is None:
            held.seats.add(new)
            held.by_key[natural] = (None, new)
            upserts.create(
                key,
                {
                    "bylaws_id": bylaws.id,
                    "body": new.body,
                    "person_id": person_id,
                    "member_class": new.member_class,
                    "role": new.role,
                    "start": new.start,
                    "end": new.end,
                },
                {
                    **upserts.at(row.number),
                    "class": new.member_class,
                    "role": new.role,
                    "from": new.start,
                    "to": new.end,
                },
            )
            continue
        seat_id, old = found
        held.seats.replace(old, new)
        held.by_key[natural] = (seat_id, new)
        if seat_id is None:  # pragma: no cover - duplicates within the file are refused earlier
            continue
        changed = {
            name: [before, after]
            for name, before, after in (
                ("class", old.member_class, new.member_class),
                ("role", old.role, new.role),
                ("to", old.end, new.end),
            )
            if before != after
        }
        written = {"member_class": new.member_class, "role": new.role, "end": new.end}
        upserts.update(key, seat_id, written, changed, upserts.at(row.number))
    return upserts.done("seat", SEAT_ENTITY)


MEMBERS_IMPORT = ImportKind(
    name="members",
    entity=SEAT_ENTITY,
    columns=_member_columns,
    natural_key=_member_key,
    key_columns="bylaws, body, person, from",
    plan=_plan_members,
)
