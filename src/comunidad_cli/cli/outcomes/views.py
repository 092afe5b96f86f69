"""How `outcome show` and `outcome list` draw what the services computed: rates, intervals,
counts (a hidden one as `HIDDEN`), the disparity tables, as text, CSV and JSON, in the
reader's language and number format. Nothing here computes a rate or hides a count."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from comunidad_cli.i18n import _

DASH = "—"
#: What a hidden count is shown as (the legend under every table says why).
HIDDEN = "*"


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
