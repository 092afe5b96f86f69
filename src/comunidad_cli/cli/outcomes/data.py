"""`comunidad outcome show` and `outcome list`: the aggregated counts behind the indicators,
with rates, disparities and the privacy rules they were shown under (drawn by
`cli/outcomes/views.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    current_workspace,
    fail,
    info,
    write_stdout,
)
from comunidad_cli.cli.outcomes.indicators import outcome_app
from comunidad_cli.cli.outcomes.views import (
    DASH,
    _direction_name,
    _measure_name,
    _name,
    _privacy_json,
    _privacy_lines,
    _rate_text,
    _shown_json,
    _view_csv,
    _view_json,
    _view_text,
)
from comunidad_cli.i18n import _

MinimumOption = Annotated[
    int | None,
    typer.Option(
        "--minimum",
        help=_(
            "The smallest count shown (default: [privacy] minimum in comunidad.toml, else 11):"
            " counts from 1 to one less are hidden, with the cells that would give them away."
        ),
        show_default=False,
    ),
]
MinDenominatorOption = Annotated[
    int | None,
    typer.Option(
        "--min-denominator",
        help=_(
            "The smallest denominator a rate is shown for (default: [privacy] min_denominator"
            " in comunidad.toml, else 20)."
        ),
        show_default=False,
    ),
]


def _privacy(minimum: int | None, min_denominator: int | None) -> Any:
    from comunidad_cli.services.outcomes.data import privacy_settings

    workspace = current_workspace(required=False)
    return privacy_settings(
        workspace.root if workspace is not None else None, minimum, min_denominator
    )


def _root() -> Path | None:
    workspace = current_workspace(required=False)
    return workspace.root if workspace is not None else None


@outcome_app.command(
    "show",
    cls=ComunidadCommand,
    help=_(
        "One indicator: the trend of its totals with 95% intervals and the change from the"
        " baseline, and for one period each group's rate against a reference group (ratio,"
        " difference, four-fifths flag, index of disparity). Small counts are hidden."
    ),
)
def show(
    indicator: Annotated[
        str,
        typer.Argument(
            metavar="INDICATOR",
            help=_("The indicator's id, e.g. reunificacion."),
            show_default=False,
        ),
    ],
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help=_("The period of the disparity tables (default: the latest with data)."),
            show_default=False,
        ),
    ] = None,
    dimension: Annotated[
        str | None,
        typer.Option(
            "--dimension", help=_("Only this dimension (default: every one)."), show_default=False
        ),
    ] = None,
    reference: Annotated[
        str,
        typer.Option(
            "--reference",
            help=_("What each group is compared with: best, total, or a group's name as imported."),
        ),
    ] = "best",
    minimum: MinimumOption = None,
    min_denominator: MinDenominatorOption = None,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help=_("Print CSV instead of a table."))] = False,
) -> None:
    from comunidad_cli.cli._common import database_url
    from comunidad_cli.services.outcomes.data import show_indicator

    if as_json and as_csv:
        fail(_("choose one of --json and --csv"), 2)
    privacy = _privacy(minimum, min_denominator)
    view = show_indicator(
        database_url(),
        _root(),
        indicator,
        privacy,
        period=period,
        dimension=dimension,
        reference=reference,
    )
    if as_json:
        from comunidad_cli.services.exports import dumps_json

        write_stdout(dumps_json(_view_json(view)) + "\n")
    elif as_csv:
        write_stdout(_view_csv(view))
        for line in _privacy_lines(privacy):
            info(line)
    else:
        write_stdout(_view_text(view))


@outcome_app.command(
    "list",
    cls=ComunidadCommand,
    help=_(
        "The workspace's indicators: measure, direction, the periods with data and the latest"
        " total (small counts hidden)."
    ),
)
def list_command(
    minimum: MinimumOption = None,
    min_denominator: MinDenominatorOption = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.cli._common import database_url
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services.outcomes.data import list_indicators

    privacy = _privacy(minimum, min_denominator)
    listed = list_indicators(database_url(), _root(), privacy)
    if as_json:
        from comunidad_cli.services.exports import dumps_json

        data = {
            "privacy": _privacy_json(privacy),
            "indicators": [
                {
                    "indicator": item.indicator.id,
                    "name": _name(item.indicator.name),
                    "measure": item.indicator.measure,
                    "direction": item.indicator.direction,
                    "dimensions": list(item.indicator.dimensions),
                    "links": {k: list(v) for k, v in item.indicator.links.items()},
                    "periods": list(item.periods),
                    "latest": None
                    if item.latest is None
                    else {"period": item.latest.period, **_shown_json(item.latest.total)},
                }
                for item in listed
            ],
        }
        write_stdout(dumps_json(data) + "\n")
        return
    rows = [
        [
            item.indicator.id,
            _name(item.indicator.name),
            _measure_name(item.indicator.measure),
            _direction_name(item.indicator.direction),
            (f"{item.periods[0]}–{item.periods[-1]}" if len(item.periods) > 1 else item.periods[0])
            if item.periods
            else DASH,
            DASH
            if item.latest is None
            else f"{_rate_text(item.latest.total.rate, item.indicator.measure)} ({item.latest.period})",
        ]
        for item in listed
    ]
    text = plain_table(
        [_("ID"), _("NAME"), _("MEASURE"), _("DIRECTION"), _("PERIODS"), _("LATEST")],
        rows,
        right=(5,),
        whole=(0, 4, 5),
        width=terminal_width(),
    )
    write_stdout(text + "\n".join(_privacy_lines(privacy)) + "\n")
