"""Charts for printed reports: inline SVG, no script, no network, each with its text.

A chart is drawn three ways in one `<figure>`: the SVG (with `<title>` and `<desc>` named by
`aria-labelledby`, so a screen reader announces what it shows), a sentence under it (the
same description, for a reader of the printed page) and a table of every value drawn (the
fallback where the picture says nothing: a screen reader, a text browser, a copy into a
spreadsheet). Values are Decimals placed on a linear scale; their text comes formatted by
the caller (Babel, in the report's locale), so a chart never formats a number itself.

Everything a person typed (a series' or group's name) is escaped where it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

#: Colours told apart by people with the common colour-vision deficiencies (Okabe-Ito),
#: and each series also has its own dash pattern or hatch-free shade order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")

Format = Callable[[Decimal], str]


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a trend chart, or one bar of each category of a bar chart: `values`
    in the order of the chart's periods or categories (None: not shown there, e.g. a
    suppressed cell)."""

    label: str
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """A horizontal (trend) or vertical (bars) reference line: a baseline, a target, the
    reference group's rate."""

    label: str
    value: Decimal


def _num(value: float) -> str:
    """An SVG coordinate: two decimals at most, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _top(values: Sequence[Decimal]) -> Decimal:
    """The top of the value axis: a round number at or above the largest value."""
    largest = max(values, default=Decimal(0))
    if largest <= 0:
        return Decimal(1)
    exponent = largest.adjusted()
    step = Decimal(1).scaleb(exponent)
    for factor in (1, 2, 2.5, 5, 10):
        top = step * Decimal(str(factor))
        if top >= largest:
            return top
    return step * 10  # pragma: no cover - the loop ends at 10 x step >= largest


def _ticks(top: Decimal, count: int = 4) -> list[Decimal]:
    return [top * i / count for i in range(count + 1)]


def _frame(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _figure(chart_id: str, svg: str, desc: str, table: str) -> str:
    return (
        f'<figure class="chart" id="{chart_id}">\n{svg}\n'
        f"<figcaption>{escape(desc)}</figcaption>\n{table}</figure>\n"
    )


def data_table(
    caption: str,
    corner: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
) -> str:
    """The values of a chart as a table: one row per period or group, one column per series."""
    head = f'<th scope="col">{escape(corner)}</th>' + "".join(
        f'<th scope="col">{escape(c)}</th>' for c in columns
    )
    body = "".join(
        f'<tr><th scope="row">{escape(row)}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in line)
        + "</tr>\n"
        for row, line in zip(rows, cells, strict=True)
    )
    return (
        f'<table class="chart-data"><caption>{escape(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>\n"
    )


def trend_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    periods: Sequence[str],
    series: Sequence[Series],
    fmt: Format,
    marks: Sequence[Mark] = (),
    missing: str = "—",
    period_header: str = "",
) -> str:
    """A line chart of `series` over `periods` (a gap where a value is None), with dashed
    reference lines for `marks` (baseline, target), its description and its data table."""
    width, plot_h = 640, 220
    left, right, top_margin, bottom = 64, 70, 16, 40
    height = top_margin + plot_h + bottom + 16 * len(series)
    plot_w = width - left - right
    shown = [v for s in series for v in s.values if v is not None] + [m.value for m in marks]
    top = _top(shown)
    count = max(len(periods), 1)

    def x(index: int) -> float:
        return left + (plot_w * (index + 0.5) / count)

    def y(value: Decimal) -> float:
        return top_margin + plot_h * (1 - float(value / top))

    parts = [_frame(chart_id, width, height, title, desc)]
    parts.append('<g class="axis" font-size="11" fill="#333">')
    for tick in _ticks(top):
        ty = _num(y(tick))
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{ty}" y2="{ty}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{ty}" text-anchor="end" dominant-baseline="middle">'
            f"{escape(fmt(tick))}</text>"
        )
    every = max(1, -(-len(periods) // 12))  # at most 12 labels under the axis
    for index, period in enumerate(periods):
        if index % every == 0 or index == len(periods) - 1:
            parts.append(
                f'<text x="{_num(x(index))}" y="{top_margin + plot_h + 16}" text-anchor="middle">'
                f"{escape(period)}</text>"
            )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top_margin + plot_h}"'
        f' y2="{top_margin + plot_h}" stroke="#333"/></g>'
    )
    for mark in marks:
        my = _num(y(mark.value))
        parts.append(
            f'<g class="mark"><line x1="{left}" x2="{left + plot_w}" y1="{my}" y2="{my}"'
            f' stroke="#555" stroke-dasharray="4 4"/>'
            f'<text x="{left + plot_w + 4}" y="{my}" font-size="10" dominant-baseline="middle"'
            f' fill="#333">{escape(mark.label)}</text></g>'
        )
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        dots = []
        for index, value in enumerate(line.values):
            if value is None:
                runs.append([])
                continue
            point = f"{_num(x(index))},{_num(y(value))}"
            runs[-1].append(point)
            dots.append(f'<circle cx="{_num(x(index))}" cy="{_num(y(value))}" r="2.5"/>')
        paths = "".join(
            f'<polyline points="{" ".join(run)}" fill="none" stroke-width="2"{dashed}/>'
            for run in runs
            if len(run) > 1
        )
        parts.append(
            f'<g class="series" stroke="{colour}" fill="{colour}">'
            f"<title>{escape(line.label)}</title>{paths}{''.join(dots)}</g>"
        )
        ly = top_margin + plot_h + 36 + 16 * number
        parts.append(
            f'<g class="legend" font-size="11"><line x1="{left}" x2="{left + 18}" y1="{ly}"'
            f' y2="{ly}" stroke="{colour}" stroke-width="2"{dashed}/>'
            f'<text x="{left + 24}" y="{ly}" dominant-baseline="middle" fill="#111">'
            f"{escape(line.label)}</text></g>"
        )
    parts.append("</svg>")
    cells = [[_cell(s.values[i], fmt, missing) for s in series] for i in range(len(periods))]
    table = data_table(title, period_header, periods, [s.label for s in series], cells)
    return _figure(chart_id, "".join(parts), desc, table)


def _cell(value: Decimal | None, fmt: Format, missing: str) -> str:
    return missing if value is None else fmt(value)


def _wrapped(label: str, width: int) -> list[str]:
    """A name in lines of at most `width` characters, broken at spaces (a longer word is
    cut), every character kept: the name as typed, on several lines."""
    import textwrap

    return textwrap.wrap(label, width, break_on_hyphens=False) or [label]


def bar_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Format,
    marks: Sequence[Mark] = (),
    flagged: Sequence[bool] = (),
    flag_label: str = "",
    missing: str = "—",
    category_header: str = "",
) -> str:
    """Horizontal grouped bars: one row per category (a group, a domain, a grant), one bar
    per series in it, dashed vertical lines for `marks` (the reference rate), and a flag
    (▲ and `flag_label` in the table) on the categories `flagged` says."""
    per_row = max(len(series), 1)
    bar_h, gap = 12, 10
    width, right, top_margin, bottom = 640, 70, 10, 34 + 14 * len(series)
    # Each category's name whole, wrapped at its spaces within a column of at most 30
    # characters: the room on the left is as wide as the longest line needs.
    names = [
        _wrapped(("▲ " if i < len(flagged) and flagged[i] else "") + c, 30)
        for i, c in enumerate(categories)
    ]
    longest = max((len(line) for lines in names for line in lines), default=0)
    left = max(60, min(220, round(6.2 * longest) + 12))
    row_h = max(per_row * bar_h, 13 * max((len(lines) for lines in names), default=1)) + gap
    plot_w = width - left - right
    height = top_margin + bottom + len(categories) * row_h
    shown = [v for s in series for v in s.values if v is not None] + [m.value for m in marks]
    top = _top(shown)

    def x(value: Decimal) -> float:
        return left + plot_w * float(value / top)

    base = top_margin + len(categories) * row_h
    parts = [_frame(chart_id, width, height, title, desc)]
    parts.append('<g class="axis" font-size="11" fill="#333">')
    for tick in _ticks(top):
        tx = _num(x(tick))
        parts.append(
            f'<line x1="{tx}" x2="{tx}" y1="{top_margin}" y2="{base}" stroke="#ddd"/>'
            f'<text x="{tx}" y="{base + 14}" text-anchor="middle">{escape(fmt(tick))}</text>'
        )
    parts.append("</g>")
    for row, category in enumerate(categories):
        row_y = top_margin + row * row_h
        flag = row < len(flagged) and flagged[row]
        lines = names[row]
        first = row_y + (row_h - gap) / 2 - 6.5 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{left - 6}" y="{_num(first + 13 * i)}">{escape(text)}</tspan>'
            for i, text in enumerate(lines)
        )
        parts.append(
            f'<text font-size="11" text-anchor="end" dominant-baseline="middle"'
            f' fill="{"#B00020" if flag else "#111"}">{spans}</text>'
        )
        for number, line in enumerate(series):
            value = line.values[row]
            if value is None:  # not shown (suppressed, or no data): a dash, never a bar
                parts.append(
                    f'<text x="{left + 3}" y="{_num(row_y + number * bar_h + bar_h / 2)}"'
                    f' font-size="10" dominant-baseline="middle" fill="#333">'
                    f"{escape(missing)}</text>"
                )
                continue
            colour = PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect class="bar" x="{left}" y="{row_y + number * bar_h}"'
                f' width="{_num(max(x(value) - left, 0.5))}" height="{bar_h - 2}"'
                f' fill="{colour}"><title>{escape(line.label)}: {escape(category)}:'
                f" {escape(fmt(value))}</title></rect>"
                f'<text x="{_num(x(value) + 3)}" y="{_num(row_y + number * bar_h + bar_h / 2)}"'
                f' font-size="10" dominant-baseline="middle" fill="#333">'
                f"{escape(fmt(value))}</text>"
            )
    for mark in marks:
        mx = _num(x(mark.value))
        parts.append(
            f'<g class="mark"><line x1="{mx}" x2="{mx}" y1="{top_margin - 4}" y2="{base}"'
            f' stroke="#B00020" stroke-dasharray="4 3"/>'
            f'<text x="{mx}" y="{base + 28}" font-size="10" text-anchor="middle"'
            f' fill="#B00020">{escape(mark.label)}</text></g>'
        )
    for number, line in enumerate(series):
        ly = base + 34 + 14 * number
        colour = PALETTE[number % len(PALETTE)]
        parts.append(
            f'<g class="legend" font-size="11"><rect x="{left}" y="{ly - 5}" width="10"'
            f' height="10" fill="{colour}"/><text x="{left + 14}" y="{ly}"'
            f' dominant-baseline="middle" fill="#111">{escape(line.label)}</text></g>'
        )
    parts.append("</svg>")
    columns = [s.label for s in series] + ([flag_label] if flag_label else [])
    cells = []
    for row in range(len(categories)):
        line_cells = [_cell(s.values[row], fmt, missing) for s in series]
        if flag_label:
            line_cells.append("▲" if row < len(flagged) and flagged[row] else "")
        cells.append(line_cells)
    table = data_table(title, category_header, categories, columns, cells)
    return _figure(chart_id, "".join(parts), desc, table)
