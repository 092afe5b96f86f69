"""`comunidad member ...`: dated seats on the bodies of the by-laws.

The Typer app `member_app`, registered by cli/app.py as `member`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    OnOption,
    command_group,
    current_workspace,
    database_url,
    day_option,
    day_or_today,
    error,
    info,
    maybe_day,
    render,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.completion import complete_person
from comunidad_cli.i18n import _, fill, ngettext

member_app = command_group(
    _("Seats: who sits on which body, in which class and role, from when to when.")
)

BodyOption = Annotated[str, value_option("--body", "BODY", _("The body's id in the by-laws."))]
PersonOption = Annotated[
    str,
    typer.Option(
        "--person",
        metavar="ID",
        help=_("The person's id."),
        show_default=False,
        autocompletion=complete_person,
    ),
]
BylawsOption = Annotated[
    str | None,
    value_option(
        "--bylaws", "ID", _("Which by-laws (needed when the workspace has more than one).")
    ),
]


def _bylaws_dir() -> Path:
    workspace = current_workspace()
    assert workspace is not None
    return workspace.bylaws_dir


@member_app.command(
    "add",
    cls=ComunidadCommand,
    help=_(
        "Seat a person on a body, in a class and maybe a role, checked against the by-laws:"
        " seat caps, role holders and term limits."
    ),
)
def member_add(
    body: BodyOption,
    person: PersonOption,
    member_class: Annotated[
        str, value_option("--class", "CLASS", _("Membership class (sector) of the seat."))
    ],
    start: Annotated[str, value_option("--from", "DATE", _("First day of the seat (YYYY-MM-DD)."))],
    role: Annotated[
        str | None, value_option("--role", "ROLE", _("A role of the by-laws, e.g. chair."))
    ] = None,
    end: Annotated[
        str | None,
        value_option("--to", "DATE", _("Last day of the seat (YYYY-MM-DD; default: open).")),
    ] = None,
    bylaws: BylawsOption = None,
) -> None:
    from comunidad_cli.services.members import SeatRefused, add_member

    first = day_option(start, "--from")
    last = maybe_day(end, "--to")
    try:
        seat = add_member(
            database_url(),
            _bylaws_dir(),
            body=body,
            person=person,
            member_class=member_class,
            start=first,
            end=last,
            role=role,
            bylaws_id=bylaws,
            today=clock.today(),
        )
    except SeatRefused as refused:
        for problem in refused.problems:
            error(render(problem.msg))
        raise typer.Exit(1) from None
    from comunidad_cli.cli.directory import show_date

    details = f"{seat.member_class}, {seat.role}" if seat.role else seat.member_class
    if seat.end is None:
        info(
            fill(
                _("Seated {person} on {body} ({details}) from {start}."),
                person=seat.person,
                body=seat.body,
                details=details,
                start=show_date(seat.start),
            )
        )
    else:
        info(
            fill(
                _("Seated {person} on {body} ({details}) from {start} to {end}."),
                person=seat.person,
                body=seat.body,
                details=details,
                start=show_date(seat.start),
                end=show_date(seat.end),
            )
        )


@member_app.command(
    "end",
    cls=ComunidadCommand,
    help=_("End a person's seat on a body: DATE is the last day they hold it."),
)
def member_end(
    body: BodyOption,
    person: PersonOption,
    on: Annotated[str, value_option("--on", "DATE", _("The seat's last day (YYYY-MM-DD)."))],
    bylaws: BylawsOption = None,
) -> None:
    from comunidad_cli.cli.directory import show_date
    from comunidad_cli.services.members import end_member

    day = day_option(on, "--on")
    seat, changed = end_member(
        database_url(),
        _bylaws_dir(),
        body=body,
        person=person,
        on=day,
        bylaws_id=bylaws,
        today=clock.today(),
    )
    message = (
        _("{person}'s seat on {body} now ends on {day}.")
        if changed
        else _("{person}'s seat on {body} already ends on {day}.")
    )
    info(fill(message, person=seat.person, body=seat.body, day=show_date(day)))


@member_app.command(
    "list",
    cls=ComunidadCommand,
    help=_("Who held a seat on a body on a date (default: today)."),
)
def member_list(
    body: BodyOption,
    on: OnOption = None,
    bylaws: BylawsOption = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.cli.directory import format_table, print_json, show_date
    from comunidad_cli.services.members import list_members

    today = clock.today()
    day = day_or_today(on)
    seats = list_members(
        database_url(), _bylaws_dir(), body=body, on=day, bylaws_id=bylaws, today=today
    )
    if as_json:
        print_json([s.as_json() for s in seats])
        return
    if not seats:
        info(fill(_("Nobody held a seat on {body} on {day}."), body=body, day=show_date(day)))
        return
    write_stdout(
        format_table(
            [_("PERSON"), _("NAME"), _("CLASS"), _("VOTES"), _("ROLE"), _("FROM"), _("TO")],
            [
                [
                    s.person,
                    s.name,
                    s.member_class,
                    _("yes") if s.votes else _("no"),
                    s.role or "",
                    show_date(s.start),
                    show_date(s.end),
                ]
                for s in seats
            ],
        )
    )
    info(
        fill(
            ngettext(
                "{count} seat held on {body} on {day}.",
                "{count} seats held on {body} on {day}.",
                len(seats),
            ),
            count=len(seats),
            body=body,
            day=show_date(day),
        )
    )
