"""`comunidad outcome ...`: the indicators file, written and checked the way `bylaws new`
and `bylaws check` write and check by-laws (the same formats, flags and exit codes; silent
when clean), and the aggregated counts behind them shown with rates, disparities and the
privacy rules they were shown under."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    ComunidadGroup,
    current_workspace,
    fail,
    info,
    write_stdout,
)
from comunidad_cli.cli.bylaws import (
    CheckJsonOption,
    FormatOption,
    StrictOption,
    VerboseOption,
    check_format,
    emit_findings,
)
from comunidad_cli.i18n import _

outcome_app = typer.Typer(
    cls=ComunidadGroup,
    help=_(
        "Outcomes for children and families: indicator files, the aggregated counts imported"
        " for them, rates, disparities between groups."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)


def _folder() -> Path:
    from comunidad_cli.services.outcomes.files import FOLDER

    workspace = current_workspace(required=False)
    return workspace.root / FOLDER if workspace is not None else Path(FOLDER)


@outcome_app.command(
    "new",
    cls=ComunidadCommand,
    help=_(
        "Write the Family to Family indicators (es, en, ca), commented, as a starting file"
        " that passes outcome check (default: outcomes/familia-a-familia.toml); never overwrites."
    ),
)
def new(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Where to write it; - for standard output (default:"
                " outcomes/familia-a-familia.toml)."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.outcomes.files import TEMPLATE, starting_text, write_new

    if output is not None and str(output) == "-":
        write_stdout(starting_text())
        return
    path = write_new(output or _folder() / f"{TEMPLATE}.toml")
    info(_('Wrote {path}: edit it, then run "comunidad outcome check {path}".').format(path=path))


@outcome_app.command(
    "check",
    cls=ComunidadCommand,
    help=_(
        "Check indicator files and folders: every finding in every file, as path:line:col."
        " Exit 0 clean (warnings allowed), 1 findings, 2 usage error."
    ),
)
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH...",
            help=_("Files or folders (default: the workspace's outcomes/)."),
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = None,
    strict: StrictOption = False,
    verbose: VerboseOption = False,
    as_json: CheckJsonOption = False,
) -> None:
    from comunidad_cli.core.indicators.codes import CODES
    from comunidad_cli.services.outcomes.files import check_paths

    chosen = check_format(output_format, as_json)
    if not paths:
        folder = _folder()
        if not folder.is_dir():
            fail(
                _(
                    "no paths given and no outcomes/ folder here: name the files or folders"
                    " to check"
                ),
                2,
            )
        paths = [folder]
    results = check_paths(paths)
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    emit_findings(findings, [r.path for r in results], len(results), chosen, strict, verbose, CODES)


# --- list and show ---------------------------------------------------------------------------

DASH = "—"
#: What a hidden count is shown as (the legend under every table says why).
HIDDEN = "*"

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
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON instead of a table."))]


def _privacy(minimum: int | None, min_denominator: int | None) -> Any:
    from comunidad_cli.services.outcomes.data import privacy_settings

    workspace = current_workspace(required=False)
    return privacy_settings(
        workspace.root if workspace is not None else None, minimum, min_denominator
    )


def _root() -> Path | None:
    workspace = current_workspace(required=False)
    return workspace.root if workspace is not None else None


def _name(texts: Any) -> str:
    """An indicator's text in the reader's language (else Spanish, else any)."""
    from comunidad_cli.i18n import current_language

    language = current_language()
    for choice in (language, "es", "en", "ca"):
        if choice in texts:
            return str(texts[choice])
    return next(iter(texts.values()), "")


def _dimension_name(dimension: str) -> str:
    from comunidad_cli.core.indicators.model import KNOWN_DIMENSIONS

    known = KNOWN_DIMENSIONS.get(dimension)
    return _(known) if known is not None else dimension


def _measure_name(measure: str) -> str:
    names = {
        "percentage": _("percentage"),
        "per_1000": _("rate per 1,000"),
        "count": _("count"),
        "median_days": _("median days"),
    }
    return names.get(measure, measure)


def _direction_name(direction: str) -> str:
    return _("lower is better") if direction == "lower" else _("higher is better")


def _decimal_of(value: Fraction, places: int) -> Decimal:
    from decimal import ROUND_HALF_UP

    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _rate_text(value: Fraction | None, measure: str) -> str:
    """A rate the locale's way, one decimal: 42,1 %, 6,0 ‰, 412,5 days, a count whole."""
    from comunidad_cli.i18n import format_number

    if value is None:
        return DASH
    if measure == "count":
        return format_number(_decimal_of(value, 0), 0)
    number = format_number(_decimal_of(value, 1), 1)
    if measure == "percentage":
        return _("{value} %").format(value=number)
    if measure == "per_1000":
        return _("{value} ‰").format(value=number)
    return _("{value} days").format(value=number)


def _interval_text(low: Decimal | None, high: Decimal | None) -> str:
    from comunidad_cli.i18n import format_number

    if low is None or high is None:
        return ""
    return f"{format_number(_decimal_of(Fraction(low), 1), 1)}–{format_number(_decimal_of(Fraction(high), 1), 1)}"


def _count_text(value: Decimal | int | None, hidden_here: bool) -> str:
    from comunidad_cli.i18n import format_number

    if value is None:
        return HIDDEN if hidden_here else DASH
    return format_number(value)


def _bar(value: Fraction | None, top: Fraction, width: int = 16) -> str:
    if value is None or top <= 0:
        return ""
    filled = min(width, round(value / top * width))
    return "█" * filled + "░" * (width - filled)


def _exact(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def _number_json(value: Fraction | None, places: int = 6) -> str | None:
    return None if value is None else str(_decimal_of(value, places))


def _privacy_lines(privacy: Any) -> list[str]:
    from comunidad_cli.cli._common import render

    return [render(msg) for msg in privacy.statement()]


def _privacy_json(privacy: Any) -> dict[str, Any]:
    return {
        "minimum": privacy.minimum,
        "min_denominator": privacy.min_denominator,
        "statement": _privacy_lines(privacy),
    }


def _shown_json(shown: Any) -> dict[str, Any]:
    return {
        "numerator": None if shown.numerator is None else str(shown.numerator),
        "denominator": shown.denominator,
        "hidden": shown.hidden,
        "rate": _number_json(shown.rate),
        "rate_exact": _exact(shown.rate),
        "ci95": None
        if shown.low is None or shown.high is None
        else [str(shown.low), str(shown.high)],
    }


def _view_json(view: Any) -> dict[str, Any]:
    indicator = view.indicator
    return {
        "indicator": indicator.id,
        "name": _name(indicator.name),
        "measure": indicator.measure,
        "direction": indicator.direction,
        "baseline": None
        if indicator.baseline is None
        else {"period": indicator.baseline.period, "value": str(indicator.baseline.value)},
        "target": None
        if indicator.target is None
        else {"period": indicator.target.period, "value": str(indicator.target.value)},
        "privacy": _privacy_json(view.privacy),
        "trend": [
            {
                "period": point.period,
                **_shown_json(point.total),
                "change_from_baseline": None
                if point.change is None
                else _number_json(point.change.difference),
                "progress_to_target": None
                if point.change is None
                else _number_json(point.change.progress),
                "better": None if point.change is None else point.change.better,
            }
            for point in view.trend
        ],
        "period": view.period,
        "reference": view.reference,
        "dimensions": [
            {
                "dimension": d.dimension,
                "reference_group": d.reference,
                "reference_rate": _number_json(d.reference_rate),
                "index_of_disparity": _number_json(d.index),
                "groups": [
                    {
                        "group": row.group,
                        **_shown_json(row.shown),
                        "rate_ratio": _number_json(row.ratio),
                        "rate_difference": _number_json(row.difference),
                        "four_fifths_flag": row.flagged,
                        "is_reference": row.is_reference,
                    }
                    for row in d.rows
                ],
            }
            for d in view.dimensions
        ],
    }


def _view_csv(view: Any) -> str:
    """One row per period's total and per group of the chosen period, the privacy settings
    on every row (a CSV has nowhere else to say them)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "indicator",
            "period",
            "dimension",
            "group",
            "numerator",
            "denominator",
            "rate",
            "ci95_low",
            "ci95_high",
            "reference",
            "rate_ratio",
            "rate_difference",
            "four_fifths_flag",
            "minimum",
            "min_denominator",
        ]
    )
    privacy = view.privacy
    tail = [privacy.minimum, privacy.min_denominator]

    def shown_cells(shown: Any) -> list[Any]:
        return [
            HIDDEN
            if shown.numerator is None and shown.hidden
            else ("" if shown.numerator is None else shown.numerator),
            "" if shown.denominator is None else shown.denominator,
            _number_json(shown.rate) or "",
            shown.low if shown.low is not None else "",
            shown.high if shown.high is not None else "",
        ]

    for point in view.trend:
        writer.writerow(
            [
                view.indicator.id,
                point.period,
                "total",
                "total",
                *shown_cells(point.total),
                "",
                "",
                "",
                "",
                *tail,
            ]
        )
    for d in view.dimensions:
        for row in d.rows:
            writer.writerow(
                [
                    view.indicator.id,
                    view.period,
                    d.dimension,
                    row.group,
                    *shown_cells(row.shown),
                    d.reference or "total",
                    _number_json(row.ratio) or "",
                    _number_json(row.difference) or "",
                    "" if row.flagged is None else ("yes" if row.flagged else "no"),
                    *tail,
                ]
            )
    return buffer.getvalue()


def _view_text(view: Any) -> str:
    from comunidad_cli.i18n import format_number
    from comunidad_cli.render.table import plain_table, terminal_width

    indicator = view.indicator
    measure = indicator.measure
    lines = [
        f"{indicator.id}: {_name(indicator.name)}",
        _("{measure}, {direction}").format(
            measure=_measure_name(measure), direction=_direction_name(indicator.direction)
        ),
    ]
    if indicator.numerator:
        lines.append(_("numerator: {words}").format(words=_name(indicator.numerator)))
    if indicator.denominator:
        lines.append(_("denominator: {words}").format(words=_name(indicator.denominator)))
    for label, point in ((_("baseline"), indicator.baseline), (_("target"), indicator.target)):
        if point is not None:
            lines.append(
                _("{label}: {value} in {period}").format(
                    label=label,
                    value=_rate_text(Fraction(point.value), measure),
                    period=point.period,
                )
            )
    width = terminal_width()
    rates = [p.total.rate for p in view.trend if p.total.rate is not None]
    top = max(rates, default=Fraction(0))
    lines.append("")
    if not view.trend:
        lines.append(_('No data: import counts with "comunidad import outcomes FILE".'))
    else:
        rows = [
            [
                point.period,
                _count_text(point.total.numerator, point.total.hidden),
                _count_text(point.total.denominator, point.total.hidden),
                _rate_text(point.total.rate, measure),
                _interval_text(point.total.low, point.total.high),
                DASH
                if point.change is None or point.change.difference is None
                else _signed(point.change.difference, measure),
                _bar(point.total.rate, top),
            ]
            for point in view.trend
        ]
        lines.append(
            plain_table(
                [
                    _("PERIOD"),
                    _("NUMERATOR"),
                    _("DENOMINATOR"),
                    _("RATE"),
                    _("95% CI"),
                    _("VS BASELINE"),
                    "",
                ],
                rows,
                right=(1, 2, 3, 4, 5),
                whole=(0, 6),
                width=width,
            ).rstrip("\n")
        )
    for d in view.dimensions:
        lines.append("")
        reference = (
            d.reference
            if d.reference is not None
            else _("total")
            if view.reference == "total"
            else DASH
        )
        lines.append(
            _("{dimension} in {period}, against {reference}").format(
                dimension=_dimension_name(d.dimension), period=view.period, reference=reference
            )
        )
        group_rates = [r.shown.rate for r in d.rows if r.shown.rate is not None]
        group_top = max(group_rates, default=Fraction(0))
        rows = [
            [
                row.group,
                _count_text(row.shown.numerator, row.shown.hidden),
                _count_text(row.shown.denominator, row.shown.hidden),
                _rate_text(row.shown.rate, measure),
                _interval_text(row.shown.low, row.shown.high),
                DASH if row.ratio is None else format_number(_decimal_of(row.ratio, 2), 2),
                DASH if row.difference is None else _signed(row.difference, measure),
                _("worse than 4/5") if row.flagged else "",
                _bar(row.shown.rate, group_top),
            ]
            for row in d.rows
        ]
        lines.append(
            plain_table(
                [
                    _("GROUP"),
                    _("NUMERATOR"),
                    _("DENOMINATOR"),
                    _("RATE"),
                    _("95% CI"),
                    _("RATIO"),
                    _("DIFFERENCE"),
                    _("FLAG"),
                    "",
                ],
                rows,
                right=(1, 2, 3, 4, 5, 6),
                whole=(0, 7, 8),
                width=width,
            ).rstrip("\n")
        )
        lines.append(
            _("Index of disparity: {index}").format(
                index=DASH
                if d.index is None
                else _("{value} %").format(value=format_number(_decimal_of(d.index, 1), 1))
            )
        )
    lines.append("")
    lines.append(
        _("{hidden} hidden to protect privacy; {dash} not shown.").format(hidden=HIDDEN, dash=DASH)
    )
    lines.extend(_privacy_lines(view.privacy))
    return "\n".join(lines) + "\n"


def _signed(value: Fraction, measure: str) -> str:
    """A difference with its sign, in the measure's unit (points for a percentage)."""
    if measure == "percentage":
        from comunidad_cli.i18n import format_number

        text = _("{value} pp").format(value=format_number(_decimal_of(abs(value), 1), 1))
    else:
        text = _rate_text(abs(value), measure)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


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
