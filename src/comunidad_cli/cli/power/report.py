"""`comunidad power report`: seats, presence, votes and motions carried, by class, for one
body over a period; a table in the user's locale or `--json` for scripts."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    command_group,
    database_url,
    day_option,
    write_stdout,
)
from comunidad_cli.i18n import _, fill, format_date, format_number, ngettext

power_app = command_group(_("Power sharing: seats, presence and votes by membership class."))


@power_app.callback()
def _group() -> None:
    """Keeps `power` a group with `report` under it (Typer flattens one-command apps)."""


def _rate(present: int, expected: int) -> str:
    from fractions import Fraction

    from comunidad_cli.cli.resources import show_percent

    return show_percent(Fraction(present, expected) if expected else None)


@power_app.command(
    "report",
    cls=ComunidadCommand,
    help=_(
        "Per membership class of a body over a period: seats at its start and end and"
        " person-days seated, presence at the period's meetings, votes cast, and adopted"
        " motions carried with the class's majority and without it."
    ),
)
def report(
    body: Annotated[
        str, typer.Option("--body", metavar="BODY", help=_("The body, by id (e.g. nlg)."))
    ],
    start: Annotated[
        str, typer.Option("--from", metavar="DATE", help=_("First day of the period, YYYY-MM-DD."))
    ],
    end: Annotated[
        str, typer.Option("--to", metavar="DATE", help=_("Last day of the period, YYYY-MM-DD."))
    ],
    bylaws: Annotated[
        str | None,
        typer.Option(
            "--bylaws",
            metavar="ID",
            help=_("The by-laws id, when the body's id is in several."),
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.power.report import build_power_report

    first = day_option(start, "--from")
    last = day_option(end, "--to")
    view = build_power_report(database_url(), body, first, last, bylaws)
    r = view.report
    if as_json:
        data: dict[str, Any] = {
            "bylaws": view.bylaws_id,
            "body": r.body,
            "from": r.start.isoformat(),
            "to": r.end.isoformat(),
            "meetings": r.meetings,
            "motions_closed": r.motions_closed,
            "motions_adopted": r.motions_adopted,
            "classes": [
                {
                    "class": c.member_class,
                    "name": view.class_names.get(c.member_class, c.member_class),
                    "votes": view.class_votes.get(c.member_class),
                    "seats_start": c.seats_start,
                    "seats_end": c.seats_end,
                    "person_days": c.person_days,
                    "present": c.present,
                    "expected": c.expected,
                    "presence": None
                    if c.presence is None
                    else f"{c.presence.numerator}/{c.presence.denominator}",
                    "votes_cast": c.votes_cast,
                    "yes": c.yes,
                    "no": c.no,
                    "abstain": c.abstain,
                    "carried_with_majority": c.carried_with,
                    "carried_without_majority": c.carried_without,
                }
                for c in r.classes
            ],
        }
        write_stdout(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    from comunidad_cli.render.table import plain_table, terminal_width

    lines = [
        fill(
            _("Body {body}, {start} to {end}:"),
            body=r.body,
            start=format_date(r.start),
            end=format_date(r.end),
        )
        + " "
        + ngettext("{count} meeting", "{count} meetings", r.meetings).format(
            count=format_number(r.meetings)
        )
        + ", "
        + ngettext(
            "{count} motion closed, {adopted} adopted.",
            "{count} motions closed, {adopted} adopted.",
            r.motions_closed,
        ).format(count=format_number(r.motions_closed), adopted=format_number(r.motions_adopted)),
        "",
    ]
    headers = [
        _("CLASS"),
        _("SEATS AT START"),
        _("SEATS AT END"),
        _("PERSON-DAYS"),
        _("PRESENCE"),
        _("VOTES CAST (YES/NO/ABST.)"),
        _("CARRIED WITH ITS MAJORITY"),
        _("CARRIED WITHOUT IT"),
    ]
    rows = [
        [
            view.class_names.get(c.member_class, c.member_class),
            format_number(c.seats_start),
            format_number(c.seats_end),
            format_number(c.person_days),
            f"{_rate(c.present, c.expected)} ({format_number(c.present)}/{format_number(c.expected)})",
            f"{format_number(c.votes_cast)} ({c.yes}/{c.no}/{c.abstain})",
            format_number(c.carried_with),
            format_number(c.carried_without),
        ]
        for c in r.classes
    ]
    table = plain_table(
        headers, rows, right=(1, 2, 3, 4, 5, 6, 7), whole=(0,), width=terminal_width()
    )
    write_stdout("\n".join(lines) + "\n" + table)
