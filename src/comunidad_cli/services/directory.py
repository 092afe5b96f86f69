"""The directory: organisations and people, each with a stable natural key.

Keys are chosen by the user (`--id`) or generated from the name by `make_id`, ASCII-folded
("María José Núñez" -> "maria-jose-nunez"), short, with -2, -3 ... when taken. Every write is one transaction
(`writing_db`, through `storage.directory`, no SQLAlchemy) with one audit row per change; a
refusal raises `ServiceError` before anything is written. The `orgs` and `people` kinds of
`comunidad import` are in services/imports/directory.py.

SQLAlchemy is imported inside the functions: the CLI imports this module to start up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.importing.ids import make_id, parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import check_text, one_line
from comunidad_cli.core.importing.values import choice, parse_email, parse_phone
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

    from comunidad_cli.storage.dbapi import Db

ORG_KINDS = ("agency", "community", "business", "public", "funder")
ORG_FIELDS = ("name", "kind", "email", "phone")
PERSON_FIELDS = ("name", "org", "email", "phone")
NAME_MAX = 200
ORG_ENTITY = "organisation"
PERSON_ENTITY = "person"


# --- views ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrgView:
    key: str
    name: str
    kind: str
    email: str | None
    phone: str | None
    people: tuple[tuple[str, str], ...] = ()
    #: Every record of its legal personality, oldest first (`org legal`).
    legal: tuple[Any, ...] = ()

    def as_json(self, *, with_people: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.key,
            "name": self.name,
            "kind": self.kind,
            "email": self.email,
            "phone": self.phone,
        }
        if with_people:
            data["people"] = [{"id": key, "name": name} for key, name in self.people]
            data["legal_personality"] = [r.as_json() for r in self.legal]
        return data


@dataclass(frozen=True, slots=True)
class SeatView:
    bylaws: str
    body: str
    member_class: str
    role: str | None
    start: date
    end: date | None
    active: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "bylaws": self.bylaws,
            "body": self.body,
            "class": self.member_class,
            "role": self.role,
            "from": self.start.isoformat(),
            "to": self.end.isoformat() if self.end else None,
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class PersonView:
    key: str
    name: str
    org: str | None
    email: str | None
    phone: str | None
    seats: tuple[SeatView, ...] = ()

    def as_json(self, *, with_seats: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.key,
            "name": self.name,
            "org": self.org,
            "email": self.email,
            "phone": self.phone,
        }
        if with_seats:
            data["seats"] = [s.as_json() for s in self.seats]
        return data


@dataclass(frozen=True, slots=True)
class Edited:
    """The result of an edit: the record now, and what changed (empty: nothing)."""

    key: str
    changed: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)


# --- validation (plain functions, shared with the import kinds) ---------------------------


def parse_name(value: str) -> str:
    name = one_line(value)
    if not name:
        raise Invalid.of(N_("a name cannot be empty"))
    if len(name) > NAME_MAX:
        raise Invalid.of(
            N_("the name is too long ({length} characters; at most {max})"),
            length=len(name),
            max=NAME_MAX,
        )
    return name


parse_org_kind = choice(*ORG_KINDS)


def _checked(parse: Any, value: str, option: str) -> Any:
    try:
        # Only spaces are trimmed: a control character, tab or line break at either end is
        # refused, not dropped.
        return parse(check_text(value).strip(" "))
    except Invalid as invalid:
        raise ServiceError(
            Msg.of(N_("{option}: {problem}"), option=option, problem=invalid.msg)
        ) from None


def _optional(parse: Any, value: str | None, option: str) -> str | None:
    """None and "" (to clear a value) both mean no value."""
    if value is None or not value.strip():
        return None
    result: str = _checked(parse, value, option)
    return result


# --- tables -------------------------------------------------------------------------------


def table_of(name: str) -> Table:
    """The Core table behind a SQLModel table class, by table name (for bulk statements)."""
    from sqlmodel import SQLModel

    import comunidad_cli.storage.tables  # noqa: F401  (defines the tables)

    return SQLModel.metadata.tables[name]


def _org_row(source: Db | Connection, key: str) -> dict[str, Any]:
    """The organisation `key`, or the refusal that names `org list` (grants use it too)."""
    from comunidad_cli.storage.dbapi import as_db
    from comunidad_cli.storage.directory import organisation

    row = organisation(as_db(source), key)
    if row is None:
        from comunidad_cli.services.entries import unknown_org

        raise ServiceError(unknown_org(as_db(source), key))
    return row


def _person_row(db: Db, key: str) -> dict[str, Any]:
    from comunidad_cli.storage.directory import person

    row = person(db, key)
    if row is None:
        from comunidad_cli.services.suggest import no_such

        fallback = Msg.of(N_('no person with id "{key}": see "comunidad person list"'), key=key)
        raise ServiceError(no_such(db, "person", key, fallback))
    return row


def _new_key(db: Db, table: str, key: str | None, name: str, prefix: str) -> str:
    """The id chosen with --id, else one made from the name; a name the directory already
    has is refused without --id (a command run twice, or a name typed on another keyboard,
    must not add the same person twice): it names the one there and an id for another."""
    from comunidad_cli.core.importing.text import same_name
    from comunidad_cli.storage.directory import Taken, named

    taken = Taken(db, table)
    if key is None:
        typed = same_name(name)
        there = named(db, table, lambda other: same_name(other) == typed)
        if there is not None:
            raise ServiceError.of(
                N_(
                    'an organisation named "{name}" is already in the directory ({key}): if this'
                    " is another one, give it its own id with --id (for example {suggested})"
                )
                if prefix == "org"
                else N_(
                    'a person named "{name}" is already in the directory ({key}): if this is'
                    " another person, give them their own id with --id (for example {suggested})"
                ),
                name=name,
                key=there,
                suggested=make_id(name, prefix=prefix, taken=taken),
            )
    if key is not None:
        chosen: str = _checked(parse_key, key, "--id")
        if chosen in taken:
            raise ServiceError.of(
                N_(
                    'the id "{key}" is already taken by another {entity}: choose another --id,'
                    " or leave it out to have one made from the name"
                ),
                key=chosen,
                entity=Msg.of(N_("organisation") if prefix == "org" else N_("person")),
            )
        return chosen
    return make_id(name, prefix=prefix, taken=taken)


# --- organisations ------------------------------------------------------------------------


def add_org(
    url: str,
    *,
    name: str,
    kind: str,
    key: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    command: str = "org add",
) -> OrgView:
    """Create an organisation; returns it with its key (chosen or generated)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import directory as stored
    from comunidad_cli.storage.audit import record

    values = {
        "name": _checked(parse_name, name, "NAME"),
        "kind": _checked(parse_org_kind, kind, "--kind"),
        "email": _optional(parse_email, email, "--email"),
        "phone": _optional(parse_phone, phone, "--phone"),
    }
    now = clock.now()
    with writing_db(url) as db:
        chosen = _new_key(db, "organisation", key, values["name"], "org")
        stored.add_org(db, key=chosen, created_at=now, **values)
        record(
            db,
            command=command,
            action="create",
            entity=ORG_ENTITY,
            entity_id=chosen,
            detail=values,
            at=now,
        )
    return OrgView(chosen, **values)


def list_orgs(url: str) -> list[OrgView]:
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.directory import organisations

    with reading_db(url) as db:
        return [OrgView(*row) for row in organisations(db)]


def get_org(url: str, key: str) -> OrgView:
    """An organisation with the people who belong to it."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.directory import members_of

    with reading_db(url) as db:
        row = _org_row(db, key)
        members = members_of(db, row["id"])
        from comunidad_cli.services.funds.applications import legal_of

        legal = legal_of(db, row["id"], row["key"])
    return OrgView(
        row["key"], row["name"], row["kind"], row["email"], row["phone"], tuple(members), legal
    )


def _nothing_to_change(options: str) -> ServiceError:
    return ServiceError.of(
        N_("nothing to change: give at least one of {options}"), exit_code=2, options=options
    )


def edit_org(
    url: str,
    key: str,
    *,
    name: str | None = None,
    kind: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    command: str = "org edit",
) -> Edited:
    """Change what is given (an empty email or phone clears it); audited when it changes."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.directory import change_org

    wanted: dict[str, Any] = {}
    if name is not None:
        wanted["name"] = _checked(parse_name, name, "--name")
    if kind is not None:
        wanted["kind"] = _checked(parse_org_kind, kind, "--kind")
    if email is not None:
        wanted["email"] = _optional(parse_email, email, "--email")
    if phone is not None:
        wanted["phone"] = _optional(parse_phone, phone, "--phone")
    if not wanted:
        raise _nothing_to_change("--name, --kind, --email, --phone")
    now = clock.now()
    with writing_db(url) as db:
        row = _org_row(db, key)
        changed = {f: (row[f], v) for f, v in wanted.items() if row[f] != v}
        if changed:
            change_org(db, row["id"], {f: new for f, (_, new) in changed.items()})
            record(
                db,
                command=command,
                action="update",
                entity=ORG_ENTITY,
                entity_id=key,
                detail={f: list(pair) for f, pair in changed.items()},
                at=now,
            )
    return Edited(key, changed)


# --- people -------------------------------------------------------------------------------


def _org_id(db: Db, org: str) -> int:
    return int(_org_row(db, org.strip())["id"])


def add_person(
    url: str,
    *,
    name: str,
    key: str | None = None,
    org: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    command: str = "person add",
) -> PersonView:
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import directory as stored
    from comunidad_cli.storage.audit import record

    values = {
        "name": _checked(parse_name, name, "NAME"),
        "email": _optional(parse_email, email, "--email"),
        "phone": _optional(parse_phone, phone, "--phone"),
    }
    org_key = org.strip() if org and org.strip() else None
    now = clock.now()
    with writing_db(url) as db:
        org_id = _org_id(db, org_key) if org_key else None
        chosen = _new_key(db, "person", key, values["name"], "person")
        stored.add_person(db, key=chosen, organisation_id=org_id, created_at=now, **values)
        record(
            db,
            command=command,
            action="create",
            entity=PERSON_ENTITY,
            entity_id=chosen,
            detail={**values, "org": org_key},
            at=now,
        )
    return PersonView(chosen, values["name"], org_key, values["email"], values["phone"])


def list_people(url: str, org: str | None = None) -> list[PersonView]:
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.directory import people

    with reading_db(url) as db:
        org_id = _org_id(db, org) if org is not None else None
        return [PersonView(*row) for row in people(db, org_id)]


def get_person(url: str, key: str, today: date) -> PersonView:
    """A person with every seat they hold or held (`active` on `today`)."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.directory import org_key, seats_held

    with reading_db(url) as db:
        row = _person_row(db, key)
        org = org_key(db, row["organisation_id"]) if row["organisation_id"] is not None else None
        held = seats_held(db, row["id"])
    return PersonView(
        row["key"],
        row["name"],
        org,
        row["email"],
        row["phone"],
        tuple(
            SeatView(b, body, c, role, start, end, start <= today and (end is None or today <= end))
            for b, body, c, role, start, end in held
        ),
    )


def edit_person(
    url: str,
    key: str,
    *,
    name: str | None = None,
    org: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    command: str = "person edit",
) -> Edited:
    """Change what is given (an empty org, email or phone clears it); audited when it changes."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.directory import change_person, org_key

    wanted: dict[str, Any] = {}
    if name is not None:
        wanted["name"] = _checked(parse_name, name, "--name")
    if email is not None:
        wanted["email"] = _optional(parse_email, email, "--email")
    if phone is not None:
        wanted["phone"] = _optional(parse_phone, phone, "--phone")
    if not wanted and org is None:
        raise _nothing_to_change("--name, --org, --email, --phone")
    now = clock.now()
    with writing_db(url) as db:
        row = _person_row(db, key)
        changed = {f: (row[f], v) for f, v in wanted.items() if row[f] != v}
        values: dict[str, Any] = {f: new for f, (_, new) in changed.items()}
        if org is not None:
            new_org = org.strip() or None
            new_id = _org_id(db, new_org) if new_org else None
            if new_id != row["organisation_id"]:
                old_org = None
                if row["organisation_id"] is not None:
                    old_org = org_key(db, row["organisation_id"])
                changed["org"] = (old_org, new_org)
                values["organisation_id"] = new_id
        if changed:
            change_person(db, row["id"], values)
            record(
                db,
                command=command,
                action="update",
                entity=PERSON_ENTITY,
                entity_id=key,
                detail={f: list(pair) for f, pair in changed.items()},
                at=now,
            )
    return Edited(key, changed)
