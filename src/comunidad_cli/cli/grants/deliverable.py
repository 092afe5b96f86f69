"""`comunidad deliverable add|submit|list`: deliverables and reports, overdue flags."""

from __future__ import annotations

from typing import Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AsOfOption,
    ComunidadCommand,
    as_of_day,
    database_url,
    day_option,
    info,
    print_json,
    write_stdout,
)
from comunidad_cli.cli.grants.common import JsonOption, KeyOption, _app, _refusals
from comunidad_cli.cli.grants.render import _date_text, _deliverable_rows, _schedule
from comunidad_cli.i18n import _, fill, ngettext

deliverable_app = _app(_("Deliverables and reports: due dates, submissions, overdue flags."))


@deliverable_app.command(
    "add",
    cls=ComunidadCommand,
    help=_(
        "Add a deliverable or report a subcontract owes: once, or every N weeks or months"
        " until a date (default: the subcontract's end)."
    ),
)
def deliverable_add(
    subcontract: Annotated[
        str,
        typer.Option(
            "--subcontract", metavar="ID", help=_("The subcontract's id."), show_default=False
        ),
    ],
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help=_("What is due."), show_default=False)
    ],
    due: Annotated[
        str,
        typer.Option("--due", metavar="DATE", help=_("The (first) due date."), show_default=False),
    ],
    every: Annotated[
        int | None,
        typer.Option("--every", metavar="N", help=_("Repeat every N units."), show_default=False),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", metavar="UNIT", help=_("weeks or months."), show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help=_("Last possible due date (default: the subcontract's end)."),
            show_default=False,
        ),
    ] = None,
    holds_payments: Annotated[
        bool,
        typer.Option(
            "--holds-payments",
            help=_("Payments are not approved or paid while this report is overdue."),
        ),
    ] = False,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants.deliverables import add_deliverable

    first = day_option(due, "--due")
    last = day_option(until, "--until") if until is not None else None
    with _refusals():
        deliverable = add_deliverable(
            database_url(),
            subcontract=subcontract,
            title=title,
            first_due=first,
            every=every,
            unit=unit,
            until=last,
            holds_payments=holds_payments,
            key=key,
            today=clock.today(),
        )
    dues = [o.due for o in deliverable.occurrences]
    info(
        fill(
            ngettext(
                'Added "{title}" with id {key}: {schedule}, {count} due date, {first}.',
                'Added "{title}" with id {key}: {schedule}, {count} due dates from {first}.',
                len(dues),
            ),
            title=deliverable.title,
            key=deliverable.key,
            schedule=_schedule(deliverable),
            count=len(dues),
            first=_date_text(dues[0]),
        )
    )


@deliverable_app.command(
    "submit",
    cls=ComunidadCommand,
    help=_("Record a deliverable handed in: the occurrence due on --due, submitted on --on."),
)
def deliverable_submit(
    key: Annotated[
        str, typer.Argument(metavar="ID", help=_("The deliverable's id."), show_default=False)
    ],
    due: Annotated[
        str,
        typer.Option(
            "--due", metavar="DATE", help=_("The due date it answers."), show_default=False
        ),
    ],
    on: Annotated[
        str,
        typer.Option(
            "--on", metavar="DATE", help=_("The day it was submitted."), show_default=False
        ),
    ],
) -> None:
    from comunidad_cli.services.grants.deliverables import submit_deliverable

    due_day, day = day_option(due, "--due"), day_option(on, "--on")
    with _refusals():
        deliverable = submit_deliverable(
            database_url(), key, due=due_day, on=day, today=clock.today()
        )
    late = (day - due_day).days
    message = (
        ngettext(
            '"{title}" due {due} submitted on {on}, {days} day late.',
            '"{title}" due {due} submitted on {on}, {days} days late.',
            late,
        )
        if late > 0
        else _('"{title}" due {due} submitted on {on}.')
    )
    info(
        fill(
            message, title=deliverable.title, due=_date_text(due_day), on=_date_text(day), days=late
        )
    )


@deliverable_app.command(
    "list",
    cls=ComunidadCommand,
    help=_(
        "List deliverables with their next due date, overdue reports and whether they hold"
        " payments."
    ),
)
def deliverable_list(
    subcontract: Annotated[
        str | None,
        typer.Option(
            "--subcontract",
            metavar="ID",
            help=_("Only this subcontract's deliverables."),
            show_default=False,
        ),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help=_("Only those with an overdue report."))
    ] = False,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.grants.deliverables import list_deliverables

    day = as_of_day(as_of)
    with _refusals():
        deliverables = list_deliverables(
            database_url(),
            subcontract,
            overdue_only=overdue,
            today=day or clock.today(),
            as_of=day is not None,
        )
    if as_json:
        print_json([d.as_json() for d in deliverables])
        return
    if not deliverables:
        info(
            _("No overdue reports.")
            if overdue
            else _('No deliverables yet: add one with "comunidad deliverable add".')
        )
        return
    write_stdout(_deliverable_rows(deliverables))
