"""`comunidad report --html`: the board report of a period, one self-contained printable page.

A workspace with a grant, a fund round whose award was adopted and contracted, a payment,
meetings and capacity assessments before and during the year is reported on as a board
would read it; the outcomes section is drawn from its typed interface with hand-made
figures (the outcome commands fill it); the page is opened in a real headless Chromium,
which must lay out every chart and log nothing on its console.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.i18n import activate
from comunidad_cli.render.charts import Mark, Series, bar_chart, trend_chart
from comunidad_cli.render.report import board_html
from comunidad_cli.services.report import (
    BoardReport,
    DimensionDisparities,
    DisparityRow,
    IndicatorOutcomes,
    OutcomeSeries,
    OutcomesSection,
    default_period,
)
from tests.helpers import ok, query, refused, run
from tests.test_capacity import MINI
from tests.test_funds_contracts import PLAZA, TALLER, _adopted_round

NOW = "2026-12-31 15:00:00"


def _capacity(w: tuple[str, ...], org: str, rater: str, day: str, score: int) -> None:
    answers = [
        a for item in ("g1", "g2", "g3", "g4", "f1", "f2") for a in ("--answer", f"{item}={score}")
    ]
    ok(
        *w,
        "capacity",
        "assess",
        org,
        "--instrument",
        "mini",
        "--rater",
        rater,
        "--on",
        day,
        *answers,
    )


def _year(folder: Path, *, title: str = "Adjudicar el Fondo Barrio Activo 2026") -> tuple[str, ...]:
    """A directorio workspace (English, CLP) with its year: the round adopted and contracted,
    a payment, a meeting outside the year, capacity assessed in 2025 and again in 2026."""
    _adopted_round(folder, awards=(PLAZA, TALLER))
    w = ("--workspace", str(folder))
    if title != "Adjudicar el Fondo Barrio Activo 2026":
        from tests.helpers import execute

        execute(folder, "UPDATE motion SET title = ?", (title,))
    ok(*w, "fund", "contract", "2026-barrio-activo")
    [(sub,)] = query(folder, "SELECT key FROM subcontract")
    ok(*w, "subcontract", "risk", sub, "--level", "low", "--by", "Ana", "--on", "2026-06-20")
    ok(*w, "subcontract", "status", sub, "active")
    ok(
        *w, "payment", "add", "--subcontract", sub, "--period-from", "2026-07-01",
        "--period-to", "2026-07-31", "--date", "2026-08-01", "--status", "paid",
        "--line", "materiales=1,500,000",
    )  # fmt: skip
    ok(*w, "meeting", "new", "--body", "directorio", "--at", "2025-11-20 19:00", "--id", "old")
    (folder / "instruments").mkdir()
    (folder / "instruments" / "mini.toml").write_text(MINI, encoding="utf-8")
    ok(*w, "org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    _capacity(w, "casa", "Ana", "2025-10-01", 2)
    _capacity(w, "casa", "Ana", "2026-10-01", 3)
    return w


class _Page(HTMLParser):
    """What a test reads of a page: its text, its headings, its charts' named parts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.h2: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in and self._in[-1] == "h2":
            self.h2.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def _parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    return parsed


def _check_charts(page: str) -> int:
    """Every chart is an SVG named by its own <title> and <desc> (aria-labelledby), with a
    caption and a table of its data beside it; the number of charts."""
    parsed = _parse(page)
    ids = {attrs.get("id") for _tag, attrs in parsed.tags}
    svgs = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    for attrs in svgs:
        assert attrs["role"] == "img"
        labels = (attrs["aria-labelledby"] or "").split()
        assert len(labels) == 2 and all(label in ids for label in labels), attrs
    figures = re.findall(r'<figure class="chart".*?</figure>', page, re.S)
    assert len(figures) == len(svgs)
    for figure in figures:
        assert "<figcaption>" in figure and '<table class="chart-data">' in figure
        assert "<title id=" in figure and "<desc id=" in figure
    return len(svgs)


def test_a_year_reported_to_the_board(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    w = _year(folder)
    out = tmp_path / "board.html"
    with freeze_time(NOW):
        code, _out, err = run(*w, "report", "--html", "-o", str(out), "--from", "2026-01-01")
    assert code == 0, err
    assert "board.html" in err
    page = out.read_text(encoding="utf-8")
    parsed = _parse(page)
    assert parsed.h2 == [
        "Grant position",
        "Meetings and decisions",
        "Funded projects",
        "Capacity change",
        "Outcomes",
    ]
    words = parsed.words
    assert "From January 1, 2026 to December 31, 2026. Prepared on December 31, 2026." in words
    # The grant as the summary has it, on the last day: money in the grant's currency.
    [(grant,)] = query(folder, "SELECT key FROM grant_award")
    assert f"{grant} Municipalidad CLP 30,000,000 CLP 3,000,000 CLP 1,500,000" in words
    # The year's meeting and its decision; the meeting of 2025 is not in it.
    assert "adjudicacion (directorio), June 12, 2026" in words
    assert "Adjudicar el Fondo Barrio Activo 2026 adjudicar_fondos adopted" in words
    assert "1 meeting; 1 motion; 1 adopted." in words and "old" not in words.split()
    # The funded project (the one not funded is not a project), paid and owing its reports.
    assert "Junta de Vecinos «Villa Esperanza» Plaza Los Aromos espacios-publicos" in words
    assert "CLP 3,000,000 CLP 1,500,000 0 of 2" in words
    assert "Taller de murales" not in words
    assert "1 of 2 applications funded" in words
    # Capacity: 2.00 before the year, 3.00 at its end, per domain.
    assert "Governance 2.00 3.00 +1.00" in words and "Finance 2.00 3.00 +1.00" in words
    assert "No outcome indicators or outcome data are recorded in this workspace." in words
    assert _check_charts(page) == 2  # the grants' spending and capacity; no outcome chart
    # Self-contained: nothing to fetch, no script, a policy that forbids both.
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "default-src 'none'" in page and "https://" not in page


def test_the_report_of_an_earlier_period_and_on_standard_output(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    w = _year(folder)
    with freeze_time(NOW):
        page = ok(*w, "report", "--html", "--from", "2025-01-01", "--to", "2025-12-31")
    words = _parse(page).words
    assert "old (directorio), November 20, 2025" in words and "adjudicacion" not in words
    assert "no motions" in words
    # Capacity before 2025 was never assessed: no "before", the end of 2025 has 2.00.
    assert "Governance — 2.00 —" in words
    # The round was opened in June 2026: not yet in 2025.
    assert "No competitive fund rounds." in words


def test_a_year_by_default_ending_today(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    w = _year(folder)
    with freeze_time("2026-06-30 12:00:00"):
        page = ok(*w, "report", "--html")
    assert "From July 1, 2025 to June 30, 2026." in _parse(page).words
    assert default_period(date(2028, 2, 29)) == date(2027, 3, 1)


def test_the_report_imports_no_sqlalchemy_nor_rich(tmp_path: Path) -> None:
    """A read over the storage API (`reading_db`): no SQLAlchemy, SQLModel or Rich to load."""
    from tests.test_dbapi import _imported

    folder = tmp_path / "ws"
    _year(folder)
    out, modules = _imported(
        folder, "report", "--html", "--from", "2026-01-01", "--to", "2026-12-31"
    )
    heavy = sorted(m for m in modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "rich"))
    assert heavy == [] and "Plaza Los Aromos" in out


def test_an_empty_workspace_says_so_in_every_section(tmp_path: Path) -> None:
    ok("init", str(tmp_path / "ws"), "--locale", "en")
    with freeze_time(NOW):
        page = ok("--workspace", str(tmp_path / "ws"), "report", "--html")
    words = _parse(page).words
    for empty in (
        "No grants recorded.",
        "No meetings in the period.",
        "No competitive fund rounds.",
        "No capacity assessments by the end of the period.",
        "No outcome indicators or outcome data are recorded in this workspace.",
    ):
        assert empty in words
    assert _check_charts(page) == 0


def test_peoples_text_is_printed_as_typed(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    typed = 'Plan <script>alert("x")</script> & [b]bold[/b] *now*'
    w = _year(folder, title=typed)
    with freeze_time(NOW):
        page = ok(*w, "report", "--html")
    assert "<script" not in page
    assert "Plan &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; [b]bold[/b] *now*" in page
    assert typed in _parse(page).words


def test_in_spanish_with_the_locales_formats(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    w = _year(folder)
    with freeze_time(NOW):
        page = ok(*w, "--locale", "es_CL", "report", "--html", "--from", "2026-01-01")
    parsed = _parse(page)
    assert parsed.h2 == [
        "Situación de las subvenciones",
        "Reuniones y decisiones",
        "Proyectos financiados",
        "Cambio en las capacidades",
        "Resultados",
    ]
    assert '<html lang="es">' in page
    assert "$30.000.000" in parsed.words and "1 de enero de 2026" in parsed.words
    assert "Gobierno 2,00 3,00 +1,00" in parsed.words


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("report",), "--html"),
        (("report", "--html", "--from", "2026-02-30"), "--from"),
        (
            ("report", "--html", "--from", "2026-06-01", "--to", "2026-05-01"),
            "swap --from and --to",
        ),
    ],
)
def test_refusals_are_usage_errors(tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    ok("init", str(tmp_path / "ws"), "--locale", "en")
    err = refused(tmp_path / "ws", "--workspace", str(tmp_path / "ws"), *args, code=2)
    assert words in err


def test_an_unwritable_file_is_refused_in_words(tmp_path: Path) -> None:
    ok("init", str(tmp_path / "ws"), "--locale", "en")
    target = tmp_path / "missing" / "board.html"
    code, _out, err = run(
        "--workspace", str(tmp_path / "ws"), "report", "--html", "-o", str(target)
    )
    assert code == 1 and "cannot write" in err and "Traceback" not in err


# --- the outcomes section, from its interface ---------------------------------------------------


def _outcomes() -> OutcomesSection:
    """Two indicators by hand: separations (lower is better) over four quarters with a
    suppressed value, and reunification (higher is better) by race/ethnicity with a group
    flagged and one suppressed."""
    d = Decimal
    periods = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    separations = IndicatorOutcomes(
        key="separaciones",
        name={"en": "Children separated from their families", "es": "Niños separados"},
        measure="per_1000",
        lower_is_better=True,
        periods=periods,
        series=(
            OutcomeSeries(None, (d("6.2"), d("5.8"), d("5.1"), d("4.9"))),
            OutcomeSeries("Barrio Norte", (d("8.0"), None, d("7.1"), d("6.4"))),
        ),
        baseline=d("6.5"),
        target=d("4.0"),
        disparities=(),
    )
    reunified = IndicatorOutcomes(
        key="reunificacion",
        name={"en": "Children reunified within 12 months"},
        measure="percentage",
        lower_is_better=False,
        periods=periods,
        series=(OutcomeSeries(None, (d("40"), d("42"), d("45"), d("47"))),),
        baseline=d("40"),
        target=d("55"),
        disparities=(
            DimensionDisparities(
                dimension="race_ethnicity",
                period="2026-Q4",
                reference="Group A",
                reference_rate=d("60"),
                rows=(
                    DisparityRow("Group A", d("60"), d("1.00"), d("0"), False, True),
                    DisparityRow("Group B", d("45"), d("0.75"), d("-15"), True),
                    DisparityRow("Group <C>", None, None, None, False),
                ),
                index_of_disparity=d("12.5"),
            ),
        ),
    )
    return OutcomesSection(minimum=11, min_denominator=30, indicators=(separations, reunified))


def _report_with_outcomes() -> BoardReport:
    return BoardReport(
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        grants=(),
        meetings=(),
        rounds=(),
        unawarded_rounds=(),
        capacity=None,
        outcomes=_outcomes(),
    )


def _outcomes_page() -> str:
    activate("en")
    return board_html(_report_with_outcomes(), "Alianza Norte", date(2026, 12, 31), "en")


def test_outcomes_with_trends_disparities_and_the_privacy_settings_stated() -> None:
    page = _outcomes_page()
    words = _parse(page).words
    assert (
        "Privacy: counts from 1 to 10 are not shown, nor rates computed from them, and other"
        " cells are hidden where a hidden one could be worked out from a total; no rate is"
        " shown over fewer than 30."
    ) in words
    assert "rate per 1,000; lower is better; baseline 6.5; target 4.0." in words
    assert "percentage; higher is better; baseline 40.0 %; target 55.0 %." in words
    # The trend's text alternative names each line's first and last value shown.
    assert (
        "Total: 6.2 in 2026-Q1, 4.9 in 2026-Q4; Barrio Norte: 8.0 in 2026-Q1, 6.4 in 2026-Q4."
        in words
    )
    # The suppressed quarter is a gap in the line and a dash in the table, never a value.
    assert "2026-Q2 5.8 —" in words
    trend = re.search(r'<figure class="chart" id="chart-1">.*?</figure>', page, re.S)
    assert (
        trend is not None and trend.group().count("<polyline") == 2
    )  # the total; Q3-Q4 of the group
    # The disparity table: rates, ratios, differences, the flag, the reference, the index.
    assert "race/ethnicity Rate Rate ratio Rate difference" in words
    assert "Group A (reference) 60.0 % 1.00 0.0 pp" in words
    assert "Group B 45.0 % 0.75 -15.0 pp ▲" in words
    assert "Group <C> — — —" in words and "Group &lt;C&gt;" in page
    assert "Reference: Group A; index of disparity 12.5 %." in words
    assert "Worse than four-fifths of the reference: Group B." in words
    assert _check_charts(page) == 3  # two trends and one disparity chart


def test_charts_draw_only_what_they_are_given() -> None:
    activate("en")
    figure = trend_chart(
        "t",
        title="Rate <by> quarter",
        desc="Falls & rises.",
        periods=("Q1", "Q2", "Q3"),
        series=[Series("A & B", (Decimal(1), None, Decimal(3)))],
        fmt=str,
        marks=[Mark("target", Decimal(2))],
    )
    assert "<polyline" not in figure  # two single points, no line between them over the gap
    assert figure.count("<circle") == 2
    assert "Rate &lt;by&gt; quarter" in figure and "A &amp; B" in figure
    assert '<th scope="row">Q2</th><td>—</td>' in figure
    bars = bar_chart(
        "b",
        title="By group",
        desc="d",
        categories=("x", "y"),
        series=[Series("rate", (Decimal(5), None))],
        fmt=str,
        flagged=(False, True),
        flag_label="flag",
    )
    assert bars.count('<rect class="bar"') == 1 and "▲ y" in bars
    assert ">—</text>" in bars  # the value not shown is a dash where its bar would be
    # A long name is drawn whole, over several lines, never cut.
    name = "Comunidad indígena mapuche-huilliche de la Región de Los Lagos <sur>"
    long = bar_chart(
        "c", title="t", desc="d", categories=(name,), series=[Series("r", (Decimal(1),))], fmt=str
    )
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", long)
    assert len(spans) == 3 and " ".join(spans) == name.replace("<", "&lt;").replace(">", "&gt;")
    assert '<th scope="row">y</th><td>—</td><td>▲</td>' in bars


def test_the_outcomes_of_the_workspace_in_the_report(tmp_path: Path) -> None:
    """The outcome indicators and counts imported (`import outcomes`) reach the report as
    `outcome show` has them: suppressed under [privacy], the best group as the reference."""
    from tests.helpers import write
    from tests.test_outcomes_cli import DATA, INDICATORS

    ok("init", str(tmp_path / "ws"), "--locale", "en")
    root = tmp_path / "ws"
    (root / "outcomes").mkdir()
    write(root / "outcomes", "indicadores.toml", INDICATORS)
    write(root, "data.csv", DATA)
    w = ("--workspace", str(root))
    ok(*w, "import", "outcomes", str(root / "data.csv"))
    with freeze_time(NOW):
        page = ok(*w, "report", "--html", "--from", "2025-01-01", "--to", "2026-12-31")
    words = _parse(page).words
    shown = json.loads(ok(*w, "outcome", "show", "reunificacion", "--json"))
    assert "Children reunified" in _parse(page).text and "Length of stay" in words
    assert "Privacy: counts from 1 to 10 are not shown" in words
    assert "percentage; higher is better; baseline 48.0 %; target 60.0 %." in words
    # 2025 by hand: 90 of 200 reunified; the report's trend table has it, and 2026's total
    # as `outcome show` shows it (hidden or not).
    assert "2025 45.0 %" in words
    total_2026 = shown["trend"][-1]["rate"]
    assert ("2026 —" in words) == (total_2026 is None)
    # Group A's 5 of 50 in 2026 is a small count: no rate of it anywhere in the report.
    # and with it B's 40 (45 - 40 would give it away): no group of gender is shown.
    assert (
        "Children reunified by gender, 2026: no group's rate may be shown (small counts or"
        " denominators)." in words
    )
    assert "10.0 %" not in words and "40.0 %" not in words
    assert "Reference: 6-17; index of disparity 20.0 %." in words  # age group: 26.7 vs 33.3
    assert "Total: 400 in 2025." in words  # the median of days, one period
    assert _check_charts(page) == 4  # two trends; age group and gender of length of stay


# --- in a real browser -----------------------------------------------------------------------------

#: Appended to a copy of the page (with scripts allowed): every chart's laid-out size, and
#: every element of it drawn with a size, written into the DOM that Chromium dumps.
_PROBE = """<script>
document.body.dataset.probe = JSON.stringify([...document.querySelectorAll("svg.chart")].map(
  (svg) => ({width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height,
    drawn: [...svg.querySelectorAll("rect.bar, polyline, circle")].filter(
      (e) => e.getBBox().width > 0 || e.getBBox().height > 0).length,
    title: svg.querySelector("title").textContent})));
</script>"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found is not None:
            return found
    if os.environ.get("COMUNIDAD_REQUIRE_BROWSER"):
        pytest.fail("COMUNIDAD_REQUIRE_BROWSER is set (CI) but no chromium was found")
    pytest.skip("no chromium here: apt-get install chromium (.ci/run installs it)")


def _in_browser(page: str, folder: Path) -> tuple[list[dict[str, object]], list[str]]:
    """The page opened in headless Chromium: each chart as laid out, and every line the
    browser logged on the page's console (errors, refused loads, policy violations)."""
    probed = page.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
    probed = probed.replace("</body>", _PROBE + "</body>")
    path = folder / "probed.html"
    path.write_text(probed, encoding="utf-8")
    result = subprocess.run(
        [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--enable-logging=stderr", "--v=0", f"--user-data-dir={folder / 'profile'}",
            "--dump-dom", path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    found = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert found is not None, result.stdout[:2000]
    import html

    return json.loads(html.unescape(found.group(1))), console


def test_the_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    _chromium()
    folder = tmp_path / "ws"
    w = _year(folder)
    with freeze_time(NOW):
        page = ok(*w, "report", "--html", "--from", "2026-01-01")
    charts, console = _in_browser(page, tmp_path)
    assert console == []
    assert [c["title"] for c in charts] == [
        "Money spent against time elapsed, per grant",
        "Capacity by domain, before and at the end of the period",
    ]
    for chart in charts:
        assert float(str(chart["width"])) > 300 and float(str(chart["height"])) > 50
    assert [c["drawn"] for c in charts] == [2, 4]  # time and money; two domains x two days
    charts, console = _in_browser(_outcomes_page(), tmp_path)
    assert console == []
    assert [c["drawn"] for c in charts] == [9, 5, 2]  # lines and points; a line and points; bars
    # It prints: on A4 pages, from the one file.
    source = tmp_path / "board.html"
    source.write_text(page, encoding="utf-8")
    pdf = tmp_path / "board.pdf"
    subprocess.run(
        [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={tmp_path / 'print-profile'}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", source.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )  # fmt: skip
    printed = pdf.read_bytes()
    assert printed.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", printed)) >= 2
    # The check itself sees a page that reaches out: a refused load is a console line.
    _charts, console = _in_browser(
        page.replace("</main>", '<img src="https://example.invalid/x.png" alt=""></main>'),
        tmp_path,
    )
    assert console and "example.invalid" in console[0]
