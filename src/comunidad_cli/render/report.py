"""The board report as one self-contained, printable HTML page, in the report's language.

Inline CSS and inline SVG charts (`render/charts.py`), no script, nothing fetched: a
Content-Security-Policy of `default-src 'none'` says so to the browser, which would refuse
anything else. People's text (names, titles) is escaped where it is written; numbers, money
and dates go through Babel (`i18n.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from html import escape

from comunidad_cli.core.capacity.instrument import localized
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import (
    _,
    current_language,
    fill,
    format_date,
    format_money,
    format_number,
    ngettext,
    translated,
)
from comunidad_cli.render.charts import Mark, Series, bar_chart, trend_chart
from comunidad_cli.render.tally import outcome_name
from comunidad_cli.services.report import (
    BoardReport,
    CapacityChange,
    DimensionDisparities,
    IndicatorOutcomes,
    OutcomesSection,
)

_PACE = {
    "not_started": N_("not started"),
    "behind": N_("behind: money may be left unspent"),
    "on_track": N_("on track"),
    "ahead": N_("ahead: money may run out early"),
    "ended": N_("ended"),
}
_FLAGS = {
    "missing_risk_assessment": N_("no risk assessment on file"),
    "overdue_reports": N_("overdue reports"),
    "very_late_reports": N_("reports more than 14 days late"),
    "overdraw_risk": N_("spending ahead of time (overdraw risk)"),
    "revision_awaiting_approval": N_("budget revision awaiting the funder's approval"),
}

#: A print stylesheet: A4, charts and tables never split across pages, no colour needed.
_STYLE = """\
@page { size: A4; margin: 1.6cm 1.6cm 1.8cm; }
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4;
  color: #111; max-width: 18cm; margin: 1.5em auto; }
h1 { font-size: 18pt; border-bottom: 1.5pt solid #111; padding-bottom: .2em; }
h2 { font-size: 14pt; margin-top: 1.6em; border-bottom: .5pt solid #999;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11.5pt; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: 9pt; }
th, td { border: .5pt solid #888; padding: .2em .35em; text-align: left; vertical-align: top; }
td:first-child { white-space: nowrap; }
td.n, th.n { text-align: right; white-space: nowrap; }
thead th { background: #eee; }
tr, li, figure { break-inside: avoid; page-break-inside: avoid; }
figure.chart { margin: .8em 0 1.2em; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #333; margin: .2em 0; }
table.chart-data { font-size: 8.5pt; width: auto; min-width: 50%; }
table.chart-data caption { text-align: left; font-size: 8.5pt; color: #333; }
.note { font-size: 9pt; color: #333; }
.flag { color: #B00020; font-weight: bold; }
@media print { body { margin: 0; max-width: none; } thead th { background: none; } }
"""

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class _Ids:
    """Chart ids, unique in the page and the same on every run (the file is reproducible)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"chart-{self.count}"


def _percent(value: Fraction | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return format_number(value, decimals=decimals) + " %"


def _share(value: Fraction | None) -> Decimal | None:
    """A share (0..1) as a percentage for a chart."""
    if value is None:
        return None
    return Decimal(value.numerator * 100) / Decimal(value.denominator)


def _cell(text: str, numeric: bool = False) -> str:
    return f'<td class="n">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"


def _table(header: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """A plain table; `header` says which columns are numbers (right-aligned)."""
    head = "".join(
        f'<th scope="col" class="n">{escape(h)}</th>' if n else f'<th scope="col">{escape(h)}</th>'
        for h, n in header
    )
    body = "".join(
        "<tr>" + "".join(_cell(c, n) for c, (_h, n) in zip(row, header, strict=True)) + "</tr>\n"
        for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def _heading(level: int, text: str) -> str:
    return f"<h{level}>{escape(text)}</h{level}>\n"


def _para(text: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<p{klass}>{escape(text)}</p>\n"


def _grants(report: BoardReport, chart_id: _Ids) -> str:
    out = [_heading(2, _("Grant position"))]
    if not report.grants:
        return out[0] + _para(_("No grants recorded."))
    out.append(
        _para(fill(_("Money spent and time elapsed on {date}."), date=format_date(report.end)))
    )
    rows = []
    for entry in report.grants:
        g, spend = entry.grant, entry.spend
        rows.append(
            [
                g.key,
                g.funder_name,
                format_money(g.amount, g.currency),
                format_money(g.obligated, g.currency),
                format_money(spend.spent, g.currency),
                format_money(spend.unspent, g.currency),
                translated(_PACE[spend.pace.value]),
            ]
        )
    out.append(
        _table(
            [
                (_("Grant"), False),
                (_("Funder"), False),
                (_("Amount"), True),
                (_("Obligated"), True),
                (_("Spent"), True),
                (_("Unspent"), True),
                (_("Pace"), False),
            ],
            rows,
        )
    )
    keys = [entry.grant.key for entry in report.grants]
    time = tuple(_share(entry.spend.elapsed) for entry in report.grants)
    money = tuple(_share(entry.spend.spent_share) for entry in report.grants)
    desc = "; ".join(
        _("{grant}: {spent} of the money spent, {time} of the time gone").format(
            grant=entry.grant.key,
            spent=_percent(entry.spend.spent_share),
            time=_percent(entry.spend.elapsed),
        )
        for entry in report.grants
    )
    out.append(
        bar_chart(
            chart_id(),
            title=_("Money spent against time elapsed, per grant"),
            desc=desc + ".",
            categories=keys,
            series=[Series(_("Time"), time), Series(_("Money spent"), money)],
            fmt=lambda v: format_number(v, decimals=0) + " %",
            category_header=_("Grant"),
        )
    )
    attention = [
        (sub.key, sub.partner_name, [translated(_FLAGS[f]) for f in sub.flags() if f in _FLAGS])
        for entry in report.grants
        for sub, _spend in entry.subcontracts
    ]
    attention = [a for a in attention if a[2]]
    out.append(_heading(3, _("Needs attention")))
    if attention:
        items = "".join(
            f"<li>{escape(key)} ({escape(partner)}): {escape('; '.join(reasons))}</li>\n"
            for key, partner, reasons in attention
        )
        out.append(f"<ul>\n{items}</ul>\n")
    else:
        out.append(_para(_("Nothing: every subcontract is up to date.")))
    return "".join(out)


def _meetings(report: BoardReport) -> str:
    out = [_heading(2, _("Meetings and decisions"))]
    if not report.meetings:
        return out[0] + _para(_("No meetings in the period."))
    motions = [m for meeting in report.meetings for m in meeting.motions]
    adopted = sum(1 for m in motions if m.outcome == "adopted")
    out.append(
        _para(
            ngettext("{n} meeting", "{n} meetings", len(report.meetings)).format(
                n=format_number(len(report.meetings))
            )
            + "; "
            + ngettext("{n} motion", "{n} motions", len(motions)).format(
                n=format_number(len(motions))
            )
            + "; "
            + ngettext("{n} adopted", "{n} adopted", adopted).format(n=format_number(adopted))
            + "."
        )
    )
    for meeting in report.meetings:
        heading = _("{meeting} ({body}), {date}").format(
            meeting=meeting.key, body=meeting.body, date=format_date(meeting.day)
        )
        out.append(f"<h3>{escape(heading)}</h3>\n")
        if meeting.title:
            out.append(_para(meeting.title))
        if meeting.motions:
            out.append(
                _table(
                    [(_("Motion"), False), (_("Decision"), False), (_("Outcome"), False)],
                    [[m.title, m.decision, outcome_name(m.outcome)] for m in meeting.motions],
                )
            )
        else:
            out.append(_para(_("no motions")))
    return "".join(out)


def _projects(report: BoardReport) -> str:
    out = [_heading(2, _("Funded projects"))]
    if not report.rounds and not report.unawarded_rounds:
        return out[0] + _para(_("No competitive fund rounds."))
    language = current_language()
    for found in report.rounds:
        name = localized(found.name, language) or found.round
        out.append(f"<h3>{escape(name)}</h3>\n")
        total = found.total
        out.append(
            _para(
                _(
                    "{funded} of {applications} applications funded; {awarded} awarded,"
                    " {paid} paid, {unaccounted} not yet accounted for."
                ).format(
                    funded=format_number(total.funded),
                    applications=format_number(total.applications),
                    awarded=format_money(total.awarded, found.currency),
                    paid=format_money(total.paid, found.currency),
                    unaccounted=format_money(total.unaccounted, found.currency),
                )
            )
        )
        out.append(
            _table(
                [
                    (_("Organisation"), False),
                    (_("Project"), False),
                    (_("Priority"), False),
                    (_("Awarded"), True),
                    (_("Paid"), True),
                    (_("Reports handed in"), True),
                    (_("Overdue"), True),
                ],
                [
                    [
                        p.organisation,
                        p.project,
                        p.priority or "—",
                        format_money(p.awarded, found.currency),
                        format_money(p.paid, found.currency),
                        _("{submitted} of {reports}").format(
                            submitted=format_number(p.submitted), reports=format_number(p.reports)
                        ),
                        format_number(p.overdue),
                    ]
                    for p in found.projects
                ],
            )
        )
    for key in report.unawarded_rounds:
        out.append(_para(_("{round}: no award adopted yet.").format(round=key)))
    return "".join(out)


def _score(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def _capacity(report: BoardReport, chart_id: _Ids) -> str:
    out = [_heading(2, _("Capacity change"))]
    found: CapacityChange | None = report.capacity
    if found is None:
        return out[0] + _para(_("No capacity assessments by the end of the period."))
    language = current_language()
    before_label = fill(_("Before {date}"), date=format_date(report.start))
    after_label = fill(_("On {date}"), date=format_date(report.end))
    out.append(
        _para(
            ngettext(
                "{instrument}: mean score of {n} organisation's latest round, from 0 to 4.",
                "{instrument}: mean score of {n} organisations' latest rounds, from 0 to 4.",
                found.organisations,
            ).format(instrument=localized(found.instrument_name, language), n=found.organisations)
        )
    )

    def shown(value: Decimal | None) -> str:
        return "—" if value is None else format_number(value, decimals=2)

    names = [localized(d.name, language) for d in found.domains]
    before = tuple(_score(d.before) for d in found.domains)
    after = tuple(_score(d.after) for d in found.domains)
    changes = [_score(d.change) for d in found.domains]
    out.append(
        _table(
            [
                (_("Domain"), False),
                (before_label, True),
                (after_label, True),
                (_("Change"), True),
            ],
            [
                [name, shown(b), shown(a), "—" if c is None else _signed(c)]
                for name, b, a, c in zip(names, before, after, changes, strict=True)
            ],
        )
    )
    desc = "; ".join(
        _("{domain}: {before} before, {after} at the end").format(
            domain=name, before=shown(b), after=shown(a)
        )
        for name, b, a in zip(names, before, after, strict=True)
    )
    out.append(
        bar_chart(
            chart_id(),
            title=_("Capacity by domain, before and at the end of the period"),
            desc=desc + ".",
            categories=names,
            series=[Series(before_label, before), Series(after_label, after)],
            fmt=lambda v: format_number(v, decimals=2),
            category_header=_("Domain"),
        )
    )
    return "".join(out)


def _signed(value: Decimal, decimals: int = 2) -> str:
    text = format_number(value, decimals=decimals)
    return text if value < 0 else "+" + text


def value_format(measure: str) -> Callable[[Decimal], str]:
    """How an indicator's values read: a percentage with one decimal and "%", a rate per
    1,000 with one decimal, a count or median days whole."""
    if measure == "percentage":
        return lambda v: format_number(v, decimals=1) + " %"
    if measure == "per_1000":
        return lambda v: format_number(v, decimals=1)
    return lambda v: format_number(v, decimals=0)


_MEASURES = {
    "percentage": N_("percentage"),
    "per_1000": N_("rate per 1,000"),
    "count": N_("count"),
    "median_days": N_("median days"),
}


def _outcomes(report: BoardReport, chart_id: _Ids) -> str:
    out = [_heading(2, _("Outcomes"))]
    section: OutcomesSection | None = report.outcomes
    if section is None or not section.indicators:
        return out[0] + _para(
            _("No outcome indicators or outcome data are recorded in this workspace.")
        )
    out.append(
        _para(
            _(
                "Privacy: counts from 1 to {hidden} are not shown, nor rates computed from them,"
                " and other cells are hidden where a hidden one could be worked out from a total;"
                " no rate is shown over fewer than {denominator}."
            ).format(
                hidden=format_number(section.minimum - 1),
                denominator=format_number(section.min_denominator),
            ),
            "note",
        )
    )
    for indicator in section.indicators:
        out.append(_indicator(indicator, chart_id))
    return "".join(out)


def _indicator(indicator: IndicatorOutcomes, chart_id: _Ids) -> str:
    fmt = value_format(indicator.measure)
    measure = translated(_MEASURES.get(indicator.measure, indicator.measure))
    name = localized(indicator.name, current_language())
    direction = _("lower is better") if indicator.lower_is_better else _("higher is better")
    facts = [measure, direction]
    if indicator.baseline is not None:
        facts.append(_("baseline {value}").format(value=fmt(indicator.baseline)))
    if indicator.target is not None:
        facts.append(_("target {value}").format(value=fmt(indicator.target)))
    out = [_heading(3, name), _para("; ".join(facts) + ".")]
    marks = []
    if indicator.baseline is not None:
        marks.append(Mark(_("baseline"), indicator.baseline))
    if indicator.target is not None:
        marks.append(Mark(_("target"), indicator.target))
    if indicator.periods and indicator.series:
        out.append(
            trend_chart(
                chart_id(),
                title=_("{indicator}: trend").format(indicator=name),
                desc=_trend_text(indicator, fmt),
                periods=indicator.periods,
                series=[Series(_series_label(s.label), s.values) for s in indicator.series],
                fmt=fmt,
                marks=marks,
                period_header=_("Period"),
            )
        )
    for dimension in indicator.disparities:
        out.append(_disparities(name, indicator.measure, dimension, fmt, chart_id))
    return "".join(out)


def _trend_text(indicator: IndicatorOutcomes, fmt: Callable[[Decimal], str]) -> str:
    """Each line's first and last value shown, in words."""
    parts = []
    for series in indicator.series:
        shown = [
            (p, v) for p, v in zip(indicator.periods, series.values, strict=True) if v is not None
        ]
        if not shown:
            parts.append(_("{series}: not shown").format(series=_series_label(series.label)))
            continue
        (first_p, first_v), (last_p, last_v) = shown[0], shown[-1]
        if len(shown) == 1:
            parts.append(
                _("{series}: {value} in {period}").format(
                    series=_series_label(series.label), value=fmt(first_v), period=first_p
                )
            )
            continue
        parts.append(
            _("{series}: {first} in {first_period}, {last} in {last_period}").format(
                series=_series_label(series.label),
                first=fmt(first_v),
                first_period=first_p,
                last=fmt(last_v),
                last_period=last_p,
            )
        )
    return "; ".join(parts) + "."


def _series_label(label: str | None) -> str:
    return _("Total") if label is None else label


def _dimension_name(dimension: str) -> str:
    """A known dimension in the reader's language (race/ethnicity ...), another as named."""
    from comunidad_cli.core.indicators.model import KNOWN_DIMENSIONS

    known = KNOWN_DIMENSIONS.get(dimension)
    return translated(known) if known is not None else dimension


def _difference(value: Decimal, measure: str, fmt: Callable[[Decimal], str]) -> str:
    """A rate difference: between two percentages, in percentage points."""
    if measure == "percentage":
        return _("{value} pp").format(value=format_number(value, decimals=1))
    return fmt(value)


def _disparities(
    name: str,
    measure: str,
    dimension: DimensionDisparities,
    fmt: Callable[[Decimal], str],
    chart_id: _Ids,
) -> str:
    dimension_name = _dimension_name(dimension.dimension)
    title = _("{indicator} by {dimension}, {period}").format(
        indicator=name, dimension=dimension_name, period=dimension.period
    )
    if all(row.rate is None for row in dimension.rows):
        return _para(
            _("{title}: no group's rate may be shown (small counts or denominators).").format(
                title=title
            )
        )
    flagged = [row.group for row in dimension.rows if row.flagged]
    index = (
        "—"
        if dimension.index_of_disparity is None
        else format_number(dimension.index_of_disparity, decimals=1) + " %"
    )
    words = _("Reference: {reference}; index of disparity {index}.").format(
        reference="—" if dimension.reference is None else dimension.reference,
        index=index,
    )
    if flagged:
        words += " " + _("Worse than four-fifths of the reference: {groups}.").format(
            groups=", ".join(flagged)
        )
    rates = tuple(row.rate for row in dimension.rows)
    marks = (
        [Mark(_("reference"), dimension.reference_rate)]
        if dimension.reference_rate is not None
        else []
    )
    out = [
        bar_chart(
            chart_id(),
            title=title,
            desc=words,
            categories=[row.group for row in dimension.rows],
            series=[Series(_("Rate"), rates)],
            fmt=fmt,
            marks=marks,
            flagged=[row.flagged for row in dimension.rows],
            flag_label=_("Worse than 4/5"),
            category_header=dimension_name,
        ),
        _table(
            [
                (dimension_name, False),
                (_("Rate"), True),
                (_("Rate ratio"), True),
                (_("Rate difference"), True),
                (_("Worse than 4/5"), False),
            ],
            [
                [
                    row.group + (" (" + _("reference") + ")" if row.is_reference else ""),
                    "—" if row.rate is None else fmt(row.rate),
                    "—" if row.ratio is None else format_number(row.ratio, decimals=2),
                    "—" if row.difference is None else _difference(row.difference, measure, fmt),
                    "▲" if row.flagged else "",
                ]
                for row in dimension.rows
            ],
        ),
    ]
    return "".join(out)


def board_html(report: BoardReport, workspace: str, prepared: date, language: str) -> str:
    """The report as one HTML page (`language`: its `lang`, for hyphenation and voices)."""
    chart_id = _Ids()
    title = _("Report to the board: {workspace}").format(workspace=workspace)
    period = fill(
        _("From {start} to {end}."), start=format_date(report.start), end=format_date(report.end)
    )
    prepared_text = fill(_("Prepared on {date}."), date=format_date(prepared))
    return "".join(
        [
            f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{escape(title)}</title>\n<style>\n{_STYLE}</style>\n</head>\n<body>\n",
            f"<header>\n<h1>{escape(title)}</h1>\n",
            _para(period + " " + prepared_text),
            "</header>\n<main>\n<section>\n",
            _grants(report, chart_id),
            "</section>\n<section>\n",
            _meetings(report),
            "</section>\n<section>\n",
            _projects(report),
            "</section>\n<section>\n",
            _capacity(report, chart_id),
            "</section>\n<section>\n",
            _outcomes(report, chart_id),
            "</section>\n</main>\n</body>\n</html>\n",
        ]
    )
