"""`comunidad org ...` and `comunidad person ...`: the directory of organisations and people.

Two Typer apps, `org_app` and `person_app`, registered by cli/app.py as `org` and `person`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    command_group,
    database_url,
    info,
    value_option,
    write_stdout,
)
from comunidad_cli.cli._common import JsonOption as JsonOption
from comunidad_cli.cli.completion import complete_person
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, choice_word, translated

org_app = command_group(
    _("Organisations: agencies, community organisations, businesses, public bodies, funders.")
)
person_app = command_group(_("People: residents and the representatives of organisations."))

OrgArgument = Annotated[
    str, typer.Argument(metavar="ORG", help=_("The organisation's id."), show_default=False)
]
PersonArgument = Annotated[
    str,
    typer.Argument(
        metavar="PERSON",
        help=_("The person's id."),
        show_default=False,
        autocompletion=complete_person,
    ),
]
NewNameOption = Annotated[str | None, value_option("--name", "NAME", _("New name."))]
EmailOption = Annotated[str | None, value_option("--email", "EMAIL", _("Email address."))]
PhoneOption = Annotated[str | None, value_option("--phone", "PHONE", _("Phone number."))]
KeyOption = Annotated[
    str | None,
    value_option(
        "--id",
        "ID",
        _(
            "The id to refer to it by: lower-case letters, digits, - and _ (default: made from"
            " the name)."
        ),
    ),
]


# --- output helpers (shared by the member commands) ---------------------------------------


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], whole: Sequence[int] = (0,)
) -> str:
    """Plain aligned columns (no Rich: cheap, and friendly to grep and pipes), within the
    terminal's width; the `whole` columns (ids) are never wrapped, the others wrap."""
    from comunidad_cli.render.table import plain_table, terminal_width

    return plain_table(headers, rows, whole=whole, width=terminal_width())


def print_json(data: Any) -> None:
    write_stdout(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def show_date(value: date | None) -> str:
    from comunidad_cli.i18n import format_date

    return format_date(value, "medium") if value is not None else ""


def _fields(pairs: Sequence[tuple[str, str | None]]) -> str:
    from comunidad_cli.render.table import plain_fields, terminal_width

    return plain_fields(pairs, terminal_width())


# A changed field in the reader's words ("nom ha canviat", not "name ha canviat").
_FIELD_WORDS = {
    "name": N_("name"),
    "email": N_("email"),
    "phone": N_("phone"),
    "org": N_("organisation"),
    "kind": N_("kind"),
}


def _changes(changed: Any, key: str) -> None:
    if not changed:
        info(_("{key}: nothing to change.").format(key=key))
        return
    for field, (old, new) in changed.items():
        word = translated(_FIELD_WORDS[field]) if field in _FIELD_WORDS else field
        if field == "kind":  # a choice: in the reader's words too
            old, new = (None if v is None else choice_word(v) for v in (old, new))
        info(
            _("{key}: {field} changed from {old} to {new}.").format(
                key=key, field=word, old=old or "-", new=new or "-"
            )
        )


# --- org ------------------------------------------------------------------------------------


@org_app.command(
    "add",
    cls=ComunidadCommand,
    help=_("Add an organisation. KIND: agency, community, business, public or funder."),
)
def org_add(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=_("The organisation's name."), show_default=False)
    ],
    kind: Annotated[
        str, value_option("--kind", "KIND", _("agency, community, business, public or funder."))
    ],
    key: KeyOption = None,
    email: EmailOption = None,
    phone: PhoneOption = None,
) -> None:
    from comunidad_cli.services.directory import add_org

    org = add_org(database_url(), name=name, kind=kind, key=key, email=email, phone=phone)
    info(_('Added organisation "{name}" with id {key}.').format(name=org.name, key=org.key))


@org_app.command("list", cls=ComunidadCommand, help=_("List the organisations."))
def org_list(as_json: JsonOption = False) -> None:
    from comunidad_cli.services.directory import list_orgs

    orgs = list_orgs(database_url())
    if as_json:
        print_json([o.as_json() for o in orgs])
        return
    if not orgs:
        info(_('No organisations yet: add one with "comunidad org add".'))
        return
    write_stdout(
        format_table(
            [_("ID"), _("NAME"), _("KIND"), _("EMAIL"), _("PHONE")],
            [[o.key, o.name, choice_word(o.kind), o.email or "", o.phone or ""] for o in orgs],
        )
    )


@org_app.command(
    "show", cls=ComunidadCommand, help=_("Show an organisation and the people who belong to it.")
)
def org_show(
    key: OrgArgument,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.directory import get_org

    org = get_org(database_url(), key)
    if as_json:
        print_json(org.as_json(with_people=True))
        return
    text = _fields(
        [
            (_("id"), org.key),
            (_("name"), org.name),
            (_("kind"), choice_word(org.kind)),
            (_("email"), org.email),
            (_("phone"), org.phone),
        ]
    )
    if org.people:
        text += "\n" + _("People:") + "\n"
        text += "".join(f"  {k}  {n}\n" for k, n in org.people)
    if org.legal:
        text += "\n" + _("Legal personality:") + "\n"
        text += "".join(
            "  "
            + _("{number}, in force {start} to {until} (recorded by {by})").format(
                number=r.number or "-",
                start=show_date(r.valid_from) or "-",
                until=show_date(r.valid_until) or "-",
                by=r.by or "-",
            )
            + "\n"
            for r in org.legal
        )
    write_stdout(text)


@org_app.command(
    "legal",
    cls=ComunidadCommand,
    help=_(
        "Record an organisation's legal personality (certificado de vigencia): a new record"
        " beside the earlier ones."
    ),
)
def org_legal(
    key: OrgArgument,
    number: Annotated[str, value_option("--number", "N", _("Its registration number."))],
    valid_until: Annotated[
        str, value_option("--valid-until", "DATE", _("The last day it is in force."))
    ],
    valid_from: Annotated[
        str | None, value_option("--valid-from", "DATE", _("The first day it is in force."))
    ] = None,
    by: Annotated[str | None, value_option("--by", "NAME", _("Who records it."))] = None,
) -> None:
    from comunidad_cli.cli._common import day_option, maybe_day
    from comunidad_cli.services.funds.applications import record_legal

    until = day_option(valid_until, "--valid-until")
    start = maybe_day(valid_from, "--valid-from")
    view = record_legal(
        database_url(), key, number=number, valid_until=until, valid_from=start, by=by
    )
    info(
        _("Recorded the legal personality of {org}: {number}, in force until {until}.").format(
            org=view.organisation, number=view.number, until=show_date(view.valid_until)
        )
    )


@org_app.command(
    "edit",
    cls=ComunidadCommand,
    help=_("Change an organisation's name, kind, email or phone (an empty value clears it)."),
)
def org_edit(
    key: OrgArgument,
    name: NewNameOption = None,
    kind: Annotated[
        str | None,
        value_option("--kind", "KIND", _("agency, community, business, public or funder.")),
    ] = None,
    email: EmailOption = None,
    phone: PhoneOption = None,
) -> None:
    from comunidad_cli.services.directory import edit_org

    edited = edit_org(database_url(), key, name=name, kind=kind, email=email, phone=phone)
    _changes(edited.changed, edited.key)


# --- person -------------------------------------------------------------------------------

OrgOption = Annotated[str | None, value_option("--org", "ID", _("The id of their organisation."))]


@person_app.command("add", cls=ComunidadCommand, help=_("Add a person."))
def person_add(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=_("The person's name."), show_default=False)
    ],
    key: KeyOption = None,
    org: OrgOption = None,
    email: EmailOption = None,
    phone: PhoneOption = None,
) -> None:
    from comunidad_cli.services.directory import add_person

    person = add_person(database_url(), name=name, key=key, org=org, email=email, phone=phone)
    info(_('Added "{name}" with id {key}.').format(name=person.name, key=person.key))


@person_app.command("list", cls=ComunidadCommand, help=_("List people (of one organisation)."))
def person_list(
    org: Annotated[
        str | None, value_option("--org", "ID", _("Only the people of this organisation."))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.directory import list_people

    people = list_people(database_url(), org)
    if as_json:
        print_json([p.as_json() for p in people])
        return
    if not people:
        info(_('No people yet: add someone with "comunidad person add".'))
        return
    write_stdout(
        format_table(
            [_("ID"), _("NAME"), _("ORGANISATION"), _("EMAIL"), _("PHONE")],
            [[p.key, p.name, p.org or "", p.email or "", p.phone or ""] for p in people],
            whole=(0, 2),
        )
    )


@person_app.command(
    "show", cls=ComunidadCommand, help=_("Show a person and the seats they hold or held.")
)
def person_show(
    key: PersonArgument,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli import clock
    from comunidad_cli.services.directory import get_person

    person = get_person(database_url(), key, clock.today())
    if as_json:
        print_json(person.as_json(with_seats=True))
        return
    text = _fields(
        [
            (_("id"), person.key),
            (_("name"), person.name),
            (_("organisation"), person.org),
            (_("email"), person.email),
            (_("phone"), person.phone),
        ]
    )
    if person.seats:
        text += "\n" + _("Seats:") + "\n"
        text += format_table(
            [_("BY-LAWS"), _("BODY"), _("CLASS"), _("ROLE"), _("FROM"), _("TO"), ""],
            [
                [
                    s.bylaws,
                    s.body,
                    s.member_class,
                    s.role or "",
                    show_date(s.start),
                    show_date(s.end),
                    _("(current)") if s.active else "",
                ]
                for s in person.seats
            ],
        )
    write_stdout(text)


@person_app.command(
    "edit",
    cls=ComunidadCommand,
    help=_("Change a person's name, organisation, email or phone (an empty value clears it)."),
)
def person_edit(
    key: PersonArgument,
    name: NewNameOption = None,
    org: OrgOption = None,
    email: EmailOption = None,
    phone: PhoneOption = None,
) -> None:
    from comunidad_cli.services.directory import edit_person

    edited = edit_person(database_url(), key, name=name, org=org, email=email, phone=phone)
    _changes(edited.changed, edited.key)
