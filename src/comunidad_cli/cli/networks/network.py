"""`comunidad network ...`: the external spaces the entity sits in (xarxes, taules and their
commissions), who represents it there and since when, sessions attended, commitments and
their follow-up, information brought back and referral counts.

`network_app` is registered by cli/app.py as `network`. Names and texts are printed as typed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AsOfOption,
    ByOption,
    ComunidadCommand,
    JsonOption,
    NotesOption,
    OnOption,
    as_of_day,
    command_group,
    database_url,
    day_option,
    day_or_today,
    info,
    maybe_day,
    print_json,
    table_text,
    value_option,
    write_stdout,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, format_date

network_app = command_group(
    _(
        "Networks and territorial spaces: representation, sessions, commitments, information"
        " brought back, referrals."
    )
)

SpaceArgument = Annotated[str, typer.Argument(metavar="SPACE", help=_("The space's id."))]
PersonOption = Annotated[str | None, value_option("--person", "ID", _("The person's id."))]
OrgOption = Annotated[str | None, value_option("--org", "ID", _("The organisation's id."))]
STATUS_LABELS = {
    "open": N_("open"),
    "overdue": N_("overdue"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}


@network_app.command(
    "add",
    cls=ComunidadCommand,
    help=_("Add a space: a network, a table, or a commission of one (--parent)."),
)
def add(
    name: Annotated[str, typer.Argument(metavar="NAME", help=_("Its name, as written."))],
    kind: Annotated[str, value_option("--kind", "KIND", _("xarxa, taula, comissió, ..."))],
    parent: Annotated[
        str | None, value_option("--parent", "SPACE", _("The space a commission belongs to."))
    ] = None,
    territory: Annotated[
        str | None, value_option("--territory", "TEXT", _("Its territory."))
    ] = None,
    key: Annotated[
        str | None,
        value_option("--id", "ID", _("The id to refer to it by (default: made from the name).")),
    ] = None,
) -> None:
    from comunidad_cli.services.networks import add_space

    chosen = add_space(
        database_url(),
        name=name,
        kind=kind,
        parent=parent,
        territory=territory,
        key=key,
        at=clock.now(),
    )
    info(_("Added space {key}.").format(key=chosen))


@network_app.command(
    "represent",
    cls=ComunidadCommand,
    help=_("Record who represents the entity in a space, from a day (a new term: history kept)."),
)
def represent(
    space: SpaceArgument,
    person: PersonOption = None,
    org: OrgOption = None,
    start: Annotated[
        str | None, value_option("--from", "DATE", _("First day, YYYY-MM-DD (default: today)."))
    ] = None,
    end: Annotated[
        str | None, value_option("--to", "DATE", _("Last day, YYYY-MM-DD, if known."))
    ] = None,
) -> None:
    from comunidad_cli.services.networks import represent as record_term

    first = day_or_today(start, "--from")
    record_term(
        database_url(),
        space.strip(),
        person=person.strip() if person else None,
        org=org.strip() if org else None,
        start=first,
        end=maybe_day(end, "--to"),
        today=clock.today(),
        at=clock.now(),
    )
    info(
        _("Recorded: {who} represents the entity in {space} from {start}.").format(
            who=person or org, space=space.strip(), start=format_date(first)
        )
    )


@network_app.command(
    "leave", cls=ComunidadCommand, help=_("End someone's open term of representation in a space.")
)
def leave(
    space: SpaceArgument, person: PersonOption = None, org: OrgOption = None, on: OnOption = None
) -> None:
    from comunidad_cli.services.networks import leave as end_term

    day = day_or_today(on)
    end_term(
        database_url(),
        space.strip(),
        person=person.strip() if person else None,
        org=org.strip() if org else None,
        on=day,
        today=clock.today(),
        at=clock.now(),
    )
    info(_("Recorded: the term ends on {day}.").format(day=format_date(day)))


@network_app.command(
    "session", cls=ComunidadCommand, help=_("Record a session of a space attended.")
)
def session(
    space: SpaceArgument,
    who: Annotated[str, value_option("--who", "TEXT", _("Who went, as written."))],
    on: OnOption = None,
    notes: NotesOption = "",
) -> None:
    from comunidad_cli.services.networks import add_session

    day = day_or_today(on)
    add_session(
        database_url(),
        space.strip(),
        on=day,
        attendees=who,
        notes=notes,
        today=clock.today(),
        at=clock.now(),
    )
    info(_("Recorded the session of {day}.").format(day=format_date(day)))


@network_app.command(
    "commit",
    cls=ComunidadCommand,
    help=_("Record a commitment taken in a space: owner and due day."),
)
def commit(
    space: SpaceArgument,
    text: Annotated[str, value_option("--text", "TEXT", _("What was committed."))],
    owner: Annotated[str, value_option("--owner", "ID", _("The person who owns it."))],
    due: Annotated[str, value_option("--due", "DATE", _("Due day, YYYY-MM-DD."))],
    on: OnOption = None,
    key: Annotated[
        str | None,
        value_option("--id", "ID", _("The id to refer to it by (default: made from the text).")),
    ] = None,
) -> None:
    from comunidad_cli.services.networks import add_commitment

    chosen = add_commitment(
        database_url(),
        space.strip(),
        text=text,
        owner=owner.strip(),
        due=day_option(due, "--due"),
        on=day_or_today(on),
        key=key,
        today=clock.today(),
        at=clock.now(),
    )
    info(_("Recorded commitment {key}.").format(key=chosen))


@network_app.command(
    "follow-up",
    cls=ComunidadCommand,
    help=_("Close a commitment as done or cancelled (a new record; what is closed stays)."),
)
def follow_up(
    commitment: Annotated[
        str, typer.Argument(metavar="COMMITMENT", help=_("The commitment's id."))
    ],
    status: Annotated[str, value_option("--status", "STATUS", _("done or cancelled."))],
    by: ByOption,
    on: OnOption = None,
    note: Annotated[str, value_option("--note", "TEXT", _("A note."))] = "",
) -> None:
    from comunidad_cli.services.networks import follow_up as record_follow_up

    day = day_or_today(on)
    record_follow_up(
        database_url(),
        commitment.strip(),
        status=status,
        on=day,
        by=by,
        note=note,
        today=clock.today(),
        at=clock.now(),
    )
    info(_("Recorded the follow-up of {key}.").format(key=commitment.strip()))


@network_app.command(
    "report-back",
    cls=ComunidadCommand,
    help=_("Record information brought back from a space to the people the entity serves."),
)
def report_back(
    space: SpaceArgument,
    to: Annotated[str, value_option("--to", "TEXT", _("To whom, or which group."))],
    summary: Annotated[str, value_option("--summary", "TEXT", _("What was shared."))],
    on: OnOption = None,
) -> None:
    from comunidad_cli.services.networks import report_back as record

    day = day_or_today(on)
    record(
        database_url(),
        space.strip(),
        on=day,
        audience=to,
        summary=summary,
        today=clock.today(),
        at=clock.now(),
    )
    info(_("Recorded the information brought back on {day}.").format(day=format_date(day)))


@network_app.command(
    "referrals",
    cls=ComunidadCommand,
    help=_("Record the referrals made and received through a space in a period (counts)."),
)
def referrals(
    space: SpaceArgument,
    period: Annotated[str, value_option("--period", "PERIOD", _("2026, 2026-Q1 or 2026-03."))],
    made: Annotated[int, typer.Option("--made", metavar="N", help=_("Referrals made."))] = 0,
    received: Annotated[
        int, typer.Option("--received", metavar="N", help=_("Referrals received."))
    ] = 0,
) -> None:
    from comunidad_cli.services.networks import referrals as record

    record(
        database_url(),
        space.strip(),
        period=period.strip(),
        made=made,
        received=received,
        at=clock.now(),
    )
    info(
        _("Recorded the referrals of {space} for {period}.").format(
            space=space.strip(), period=period.strip()
        )
    )


@network_app.command(
    "list", cls=ComunidadCommand, help=_("List the spaces and who represents the entity there.")
)
def list_command(as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    from comunidad_cli.services.networks import list_spaces

    rows = list_spaces(database_url(), as_of_day(as_of) or clock.today())
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_('No spaces yet: add one with "comunidad network add".'))
        return
    headers = [_("ID"), _("KIND"), _("PARENT"), _("TERRITORY"), _("REPRESENTED BY"), _("NAME")]
    write_stdout(
        table_text(
            headers,
            [
                [
                    r.key,
                    r.kind,
                    r.parent or "",
                    r.territory or "",
                    ", ".join(r.representatives),
                    r.name,
                ]
                for r in rows
            ],
        )
    )


@network_app.command(
    "show",
    cls=ComunidadCommand,
    help=_(
        "Everything about a space: representation history, sessions, commitments, information"
        " brought back, referrals."
    ),
)
def show(space: SpaceArgument, as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    from comunidad_cli.services.networks import show_space

    detail = show_space(database_url(), space.strip(), as_of_day(as_of) or clock.today())
    if as_json:
        print_json(detail.as_json())
        return
    head = detail.space
    lines = [f"{head.name} ({head.key})", _("Kind: {kind}").format(kind=head.kind)]
    if head.parent:
        lines.append(_("Part of: {space}").format(space=head.parent))
    if head.territory:
        lines.append(_("Territory: {territory}").format(territory=head.territory))
    if detail.commissions:
        lines.append(_("Commissions: {spaces}").format(spaces=", ".join(detail.commissions)))
    if head.representatives:
        lines.append(_("Represented by: {who}").format(who=", ".join(head.representatives)))
    write_stdout("\n".join(lines) + "\n")
    sections: list[tuple[str, list[str], list[list[str]]]] = [
        (
            _("Representation"),
            [_("WHO"), _("FROM"), _("TO")],
            [
                [
                    f"{person} ({org})" if person and org else person or org or "",
                    format_date(start, "medium"),
                    "" if end is None else format_date(end, "medium"),
                ]
                for person, org, start, end in detail.terms
            ],
        ),
        (
            _("Sessions attended"),
            [_("DATE"), _("WHO"), _("NOTES")],
            [[format_date(d, "medium"), w, n] for d, w, n in detail.sessions],
        ),
        (
            _("Commitments"),
            [_("ID"), _("DUE"), _("STATUS"), _("OWNER"), _("TEXT")],
            [
                [c.key, format_date(c.due, "medium"), _(STATUS_LABELS[c.status]), c.owner, c.text]
                for c in detail.commitments
            ],
        ),
        (
            _("Information brought back"),
            [_("DATE"), _("AUDIENCE"), _("SUMMARY")],
            [[format_date(d, "medium"), t, s] for d, t, s in detail.report_backs],
        ),
        (
            _("Referrals"),
            [_("PERIOD"), _("MADE"), _("RECEIVED")],
            [[p, str(m), str(r)] for p, m, r in detail.referrals],
        ),
    ]
    for title, headers, rows in sections:
        if rows:
            write_stdout(f"\n{title}\n" + table_text(headers, rows, whole=(0, 1)))


@network_app.command(
    "overdue",
    cls=ComunidadCommand,
    help=_("Commitments past their due day and not closed, oldest due first."),
)
def overdue_command(as_of: AsOfOption = None, as_json: JsonOption = False) -> None:
    from comunidad_cli.services.networks import overdue

    rows = overdue(database_url(), as_of_day(as_of) or clock.today())
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_("No overdue commitments."))
        return
    headers = [_("ID"), _("SPACE"), _("DUE"), _("OWNER"), _("TEXT")]
    write_stdout(
        table_text(
            headers,
            [[r.key, r.space, format_date(r.due, "medium"), r.owner, r.text] for r in rows],
            whole=(0, 1, 2),
        )
    )
