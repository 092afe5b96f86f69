"""`comunidad fund contract` and `comunidad fund report`: from an adopted award to money,
and the round's money and projects per plan priority."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    database_url,
    day_or_today,
    fail,
    info,
    print_json,
    render,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.funds.round import fund_app
from comunidad_cli.cli.grants.common import _decimal_mark, _money_parser, _refusals
from comunidad_cli.i18n import _, fill, format_date, format_money, format_number, ngettext

RoundArgument = Annotated[
    str, typer.Argument(metavar="ROUND", help=_("The round's id."), show_default=False)
]


def _given(specs: Sequence[str]) -> list[tuple[str, str, Decimal]]:
    """`--line APPLICATION:CATEGORY=AMOUNT` values (amounts in the locale's convention)."""
    from comunidad_cli.core.funds.contracts import parse_line_target
    from comunidad_cli.core.grants.values import parse_line_spec
    from comunidad_cli.core.importing.invalid import Invalid

    parse = _money_parser()
    found: list[tuple[str, str, Decimal]] = []
    for spec in specs:
        target = parse_line_target(spec)
        try:
            if target is None:
                raise ValueError(spec)
            category, amount = parse_line_spec(target[1], parse)
        except ValueError as bad:
            if isinstance(bad, Invalid):
                fail(f"--line {spec.partition('=')[0].strip()}: {render(bad.msg)}")
            fail(
                _(
                    "--line {spec}: write it as APPLICATION:CATEGORY=AMOUNT, e.g."
                    " plaza-los-aromos:materiales=1500"
                ).format(spec=spec),
                2,
            )
        found.append((target[0], category, amount))
    return found


@fund_app.command(
    "contract",
    cls=ComunidadCommand,
    help=_(
        "Make each funded project of the round's adopted award a subcontract of the round's"
        " grant, with its budget lines and accountability reports; safe to run again."
    ),
)
def contract(
    round_key: RoundArgument,
    lines: Annotated[
        list[str],
        value_option(
            "--line",
            "APPLICATION:CATEGORY=AMOUNT",
            _(
                "A budget line of a funded project whose lines are not the ones it asked for"
                " (a partial award); repeat for each line."
            ),
        ),
    ] = [],  # noqa: B006 (Typer reads the default)
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help=_("Who records it (default: COMUNIDAD_ACTOR, else you)."),
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.i18n import current_language
    from comunidad_cli.services.funds.contracts import contract_awards, given_lines

    given = given_lines(_given(lines))
    with _refusals():
        result = contract_awards(
            database_url(),
            round_key,
            given=given,
            language=current_language(),
            by=by,
            decimal_mark=_decimal_mark(),
        )
    if as_json:
        print_json(result.as_json())
        return
    made = [p for p in result.projects if p.made_now]
    if not made:
        info(
            _("Every funded project of round {round} already has its subcontract.").format(
                round=result.round
            )
        )
    from comunidad_cli.render.table import plain_table, terminal_width

    headers = [_("APPLICATION"), _("SUBCONTRACT"), _("AMOUNT"), _("ORGANISATION"), _("REPORTS")]
    cells = [
        [
            p.application,
            p.subcontract,
            format_money(p.amount, result.currency),
            p.organisation,
            "; ".join(p.reports) if p.made_now else _("(made earlier)"),
        ]
        for p in result.projects
    ]
    write_stdout(plain_table(headers, cells, right=(2,), whole=(0, 1, 2), width=terminal_width()))
    if made:
        info(
            ngettext(
                "{count} subcontract of grant {grant} made from award {award} (motion {motion}).",
                "{count} subcontracts of grant {grant} made from award {award} (motion {motion}).",
                len(made),
            ).format(
                count=format_number(len(made)),
                grant=result.grant,
                award=result.award,
                motion=result.motion,
            )
        )


@fund_app.command(
    "report",
    cls=ComunidadCommand,
    help=_(
        "The round's applications, funded projects and money per plan priority, and what is"
        " still unaccounted for (paid to projects whose reports are not all handed in)."
    ),
)
def report(
    round_key: RoundArgument,
    on: Annotated[
        str | None, value_option("--on", "DATE", _("The day of the report (default: today)."))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.i18n import current_language
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services.funds.report import round_report

    day = day_or_today(on)
    with _refusals():
        found = round_report(database_url(), round_key, day)
    if as_json:
        print_json(found.as_json())
        return

    def money(amount: Decimal) -> str:
        return format_money(amount, found.currency)

    language = current_language()
    name = found.name.get(language) or next(iter(found.name.values()), found.round)
    write_stdout(
        fill(
            _("{name} ({round}) on {day}: budget {budget}, awarded {awarded}, paid {paid}."),
            name=name,
            round=found.round,
            day=format_date(day),
            budget=money(found.budget),
            awarded=money(found.total.awarded),
            paid=money(found.total.paid),
        )
        + "\n"
    )
    if found.award is None:
        write_stdout(_("No award adopted yet.") + "\n")
    headers = [
        _("PRIORITY"),
        _("APPLIED"),
        _("ADMISSIBLE"),
        _("FUNDED"),
        _("AWARDED"),
        _("PAID"),
        _("UNACCOUNTED"),
        _("OVERDUE REPORTS"),
    ]
    cells = [
        [
            label,
            format_number(row.applications),
            format_number(row.admissible),
            format_number(row.funded),
            money(row.awarded),
            money(row.paid),
            money(row.unaccounted),
            format_number(row.overdue),
        ]
        for label, row in [
            *((row.priority or _("(none)"), row) for row in found.priorities),
            (_("Total"), found.total),
        ]
    ]
    width = terminal_width()
    write_stdout(
        plain_table(headers, cells, right=(1, 2, 3, 4, 5, 6, 7), whole=(4, 5, 6), width=width)
    )
    if found.projects:
        write_stdout("\n")
        headers = [
            _("APPLICATION"),
            _("SUBCONTRACT"),
            _("AWARDED"),
            _("PAID"),
            _("REPORTS"),
            _("ORGANISATION"),
        ]
        cells = [
            [
                p.application,
                p.subcontract or _("(not made: fund contract)"),
                money(p.awarded),
                money(p.paid),
                _("{submitted} of {reports}, {overdue} overdue").format(
                    submitted=format_number(p.submitted),
                    reports=format_number(p.reports),
                    overdue=format_number(p.overdue),
                ),
                p.organisation,
            ]
            for p in found.projects
        ]
        write_stdout(plain_table(headers, cells, right=(2, 3), whole=(0, 2, 3), width=width))
