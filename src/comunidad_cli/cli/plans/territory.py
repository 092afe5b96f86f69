"""`comunidad territory ...`: candidate territories, their criteria values, and the
selection under a rule file (exact scores, ranking, ties), recorded as history.

`territory_app` is registered by cli/app.py as `territory`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    command_group,
    database_url,
    fail,
    info,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.plans.common import JsonOption, print_json, reporting, shown_fraction
from comunidad_cli.i18n import _, ngettext

territory_app = command_group(
    _(
        "Territory selection: candidate territories, their values on the model's criteria"
        " (vulnerability, active community organisations, local government support), and the"
        " selection under a rule, with exact scores."
    )
)


def _decimal_mark() -> str:
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.imports.engine import decimal_mark_for

    return decimal_mark_for(current_locale())


def _value_specs(values: list[str]) -> list[tuple[str, str]]:
    found = []
    for spec in values:
        criterion, sep, value = spec.partition("=")
        if not sep or not criterion.strip() or not value.strip():
            fail(
                _("--value {spec}: write CRITERION=VALUE, e.g. vulnerabilidad=0,62").format(
                    spec=spec
                ),
                2,
            )
        found.append((criterion.strip(), value.strip()))
    return found


@territory_app.command(
    "add", cls=ComunidadCommand, help=_("Add a candidate territory with its criteria values.")
)
def territory_add(
    key: Annotated[str, typer.Argument(metavar="ID", help=_("The territory's id."))],
    name: Annotated[str, typer.Option("--name", help=_("Its name, as it is written."))],
    values: Annotated[
        list[str] | None,
        value_option(
            "--value",
            "CRITERION=VALUE",
            _("A value on a criterion, with the locale's decimal mark (repeat the option)."),
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.plans.territory import add_territory

    specs = _value_specs(values or [])
    add_territory(database_url(), key, name=name, values=specs, decimal_mark=_decimal_mark())
    info(
        ngettext(
            'Recorded territory "{name}" with id {key} and {count} criterion value.',
            'Recorded territory "{name}" with id {key} and {count} criterion values.',
            len(specs),
        ).format(name=name, key=key, count=len(specs))
    )
    write_stdout(key + "\n")  # the id alone on stdout, for scripts


@territory_app.command(
    "list", cls=ComunidadCommand, help=_("The candidate territories and their latest values.")
)
def territory_list(json_output: JsonOption = False) -> None:
    from comunidad_cli.i18n import format_number
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services.plans.territory import list_territories

    found = list_territories(database_url())
    if json_output:
        print_json(
            [
                {"id": t.key, "name": t.name, "values": {k: str(v) for k, v in t.values.items()}}
                for t in found
            ]
        )
        return
    if not found:
        write_stdout(_("No territories yet: territory add or import territories.") + "\n")
        return
    criteria = sorted({c for t in found for c in t.values})
    rows = [
        [
            t.key,
            t.name,
            *(format_number(t.values[c]) if c in t.values else "–" for c in criteria),
        ]
        for t in found
    ]
    write_stdout(
        plain_table(
            [_("ID"), _("NAME"), *criteria],
            rows,
            right=range(2, 2 + len(criteria)),
            width=terminal_width(),
        )
    )


def _print_selection(selection: Any) -> None:
    from comunidad_cli.i18n import format_datetime, format_number
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services.facts import on_clocks

    rule = selection.rule
    criteria = [c["id"] for c in rule["criteria"]]
    lines = [
        _("Selection {key}, made {when} by {by}").format(
            key=selection.key,
            when=format_datetime(on_clocks(selection.made_at)),
            by=selection.by or "–",
        ),
        _("Rule: {file}").format(file=rule.get("file", "–")),
    ]
    for c in rule["criteria"]:
        lines.append(
            "  "
            + _("{criterion}: weight {weight}, {direction} is better, {normalise}").format(
                criterion=c["name"] or c["id"],
                weight=c["weight"],
                direction=_("higher") if c["direction"] == "higher" else _("lower"),
                normalise=c["normalise"],
            )
        )
    rows = []
    for r in selection.ranking:
        rows.append(
            [
                str(r["rank"]),
                r["territory"],
                r["name"],
                shown_fraction(r["score"]),
                r["score"],
                *(format_number(Decimal(r["criteria"][c]["value"])) for c in criteria),
                _("selected") if r["selected"] else "",
            ]
        )
    table = plain_table(
        [_("PLACE"), _("ID"), _("NAME"), _("SCORE"), _("EXACT"), *criteria, ""],
        rows,
        right=(0, 3, 4, *range(5, 5 + len(criteria))),
        whole=(0, 1),
        width=terminal_width(),
    )
    notes = []
    for r in selection.ranking:
        if not r["tied_with"]:
            continue
        if r["broken_by"] == "id":
            notes.append(
                _("{territory}: tied with {others} on every criterion; placed by id").format(
                    territory=r["territory"], others=", ".join(r["tied_with"])
                )
            )
        else:
            notes.append(
                _("{territory}: same score as {others}; placed by criterion {criterion}").format(
                    territory=r["territory"],
                    others=", ".join(r["tied_with"]),
                    criterion=r["broken_by"],
                )
            )
    text = "\n".join(lines) + "\n\n" + table
    if notes:
        text += "\n" + "\n".join(notes) + "\n"
    write_stdout(text)


def _selection_json(selection: Any) -> dict[str, Any]:
    from comunidad_cli.services.facts import on_clocks

    return {
        "selection": selection.key,
        "made_at": on_clocks(selection.made_at).isoformat(),
        "by": selection.by,
        "rule": selection.rule,
        "ranking": selection.ranking,
    }


@territory_app.command(
    "select",
    cls=ComunidadCommand,
    help=_(
        "Score every candidate under a rule file (criteria, exact weights, direction,"
        " normalisation), rank them and record the rule, the values and the result."
    ),
)
def territory_select(
    rule: Annotated[
        Path,
        typer.Option("--rule", metavar="FILE", help=_("The rule, a TOML file.")),
    ],
    key: Annotated[
        str | None, value_option("--id", "KEY", _("The selection's id (default: selection-DATE)."))
    ] = None,
    by: Annotated[str | None, value_option("--by", "NAME", _("Who made it."))] = None,
    json_output: JsonOption = False,
) -> None:
    from comunidad_cli.services.plans.territory import select

    made = reporting(lambda: select(database_url(), rule, shown=str(rule), key=key, by=by))
    if json_output:
        print_json(_selection_json(made))
    else:
        _print_selection(made)


@territory_app.command(
    "show",
    cls=ComunidadCommand,
    help=_("A recorded selection, as it was made (default: the latest)."),
)
def territory_show(
    key: Annotated[
        str | None,
        typer.Argument(metavar="[SELECTION]", help=_("The selection's id."), show_default=False),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from comunidad_cli.services.plans.territory import show

    found = show(database_url(), key)
    if json_output:
        print_json(_selection_json(found))
    else:
        _print_selection(found)
