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
    maybe_day,
    print_json,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.grants.common import (
    JsonOption,
    KeyOption,
    SubcontractOption,
    _app,
    _refusals,
)
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
    subcontract: SubcontractOption,
    title: Annotated[str, value_option("--title", "TITLE", _("What is due."))],
    due: Annotated[str, value_option("--due", "DATE", _("The (first) due date."))],
    every: Annotated[int | None, value_option("--every", "N", _("Repeat every N units."))] = None,
    unit: Annotated[str | None, value_option("--unit", "UNIT", _("weeks or months."))] = None,
    until: Annotated[
        str | None,
        value_option(
            "--until", "DATE", _("Last possible due date (default: the subcontract's end).")
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
    last = maybe_day(until, "--until")
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
    due: Annotated[str, value_option("--due", "DATE", _("The due date it answers."))],
    on: Annotated[str, value_option("--on", "DATE", _("The day it was submitted."))],
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
        str | None, value_option("--subcontract", "ID", _("Only this subcontract's deliverables."))
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
