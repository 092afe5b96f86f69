"""`comunidad outcome list|show`: hand-worked disparity tables (rates, ratios, the index of
disparity, four-fifths flags) against the best group, the total and a named group; small
counts never printed in any format, with the cell a naive table would give away hidden
too; the privacy settings stated on every output; es, ca and en; and the service the
board report reads (`outcomes_for_report`)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import database_of, ok, run, write

INDICATORS = """schema = 1

[indicators.reunificacion]
name = { es = "Niños reunificados", en = "Children reunified", ca = "Infants reunificats" }
direction = "higher"
measure = "percentage"
numerator = { es = "reunificados", en = "reunified", ca = "reunificats" }
denominator = { es = "salidas", en = "left care", ca = "sortides" }
dimensions = ["gender", "age_group"]
baseline = { period = "2024", value = "48" }
target = { period = "2027", value = "60" }
links = { priorities = ["reunificacion"] }

[indicators.permanencia]
name = { es = "Permanencia", en = "Length of stay", ca = "Estada" }
direction = "lower"
measure = "median_days"
numerator = { es = "mediana", en = "median", ca = "mediana" }
denominator = { es = "salidas", en = "left care", ca = "sortides" }
dimensions = ["gender"]
links = { priorities = ["reunificacion"] }
"""

#: 2025 worked by hand; 2026 the suppression case: A's 5 is small, and with B's 40 and the
#: total's 45 shown it would be 45 - 40: so one of those is hidden too.
DATA = """indicator,period,dimension,group,numerator,denominator
reunificacion,2025,total,total,90,200
reunificacion,2025,gender,A,30,100
reunificacion,2025,gender,B,60,100
reunificacion,2025,age_group,0-5,45,100
reunificacion,2025,age_group,6-17,45,100
reunificacion,2026,total,total,45,150
reunificacion,2026,gender,A,5,50
reunificacion,2026,gender,B,40,100
reunificacion,2026,age_group,0-5,20,75
reunificacion,2026,age_group,6-17,25,75
permanencia,2025,total,total,400,60
permanencia,2025,gender,A,380.5,30
permanencia,2025,gender,B,420,30
"""


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ok("init", "ws")
    root = in_tmp / "ws"
    monkeypatch.chdir(root)
    (root / "outcomes").mkdir()
    write(root / "outcomes", "indicadores.toml", INDICATORS)
    write(root, "data.csv", DATA)
    ok("import", "outcomes", "data.csv")
    return root


def _show(*args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok("outcome", "show", "reunificacion", "--json", *args))
    return data


def _groups(data: dict[str, Any], dimension: str) -> dict[str, dict[str, Any]]:
    (found,) = [d for d in data["dimensions"] if d["dimension"] == dimension]
    return {g["group"]: g for g in found["groups"]}


def _dimension(data: dict[str, Any], dimension: str) -> dict[str, Any]:
    (found,) = [d for d in data["dimensions"] if d["dimension"] == dimension]
    return found


def test_against_the_best_group_by_hand(ws: Path) -> None:
    data = _show("--period", "2025")
    gender = _groups(data, "gender")
    assert _dimension(data, "gender")["reference_group"] == "B"
    assert gender["A"]["rate"] == "30.000000" and gender["B"]["rate"] == "60.000000"
    assert (
        gender["A"]["rate_ratio"] == "0.500000" and gender["A"]["rate_difference"] == "-30.000000"
    )
    assert gender["A"]["four_fifths_flag"] is True
    assert gender["B"]["rate_ratio"] == "1.000000" and gender["B"]["is_reference"] is True
    assert gender["B"]["four_fifths_flag"] is False
    # |30 - 60| / 1 group / 60 x 100
    assert _dimension(data, "gender")["index_of_disparity"] == "50.000000"
    ages = _groups(data, "age_group")
    assert {g["four_fifths_flag"] for g in ages.values()} == {False}
    assert _dimension(data, "age_group")["index_of_disparity"] == "0.000000"


def test_against_the_total_by_hand(ws: Path) -> None:
    data = _show("--period", "2025", "--reference", "total")
    gender = _groups(data, "gender")
    assert _dimension(data, "gender")["reference_rate"] == "45.000000"
    assert gender["A"]["rate_ratio"] == "0.666667" and gender["B"]["rate_ratio"] == "1.333333"
    assert gender["A"]["rate_difference"] == "-15.000000"
    assert gender["B"]["rate_difference"] == "15.000000"
    # 30 < 4/5 x 45 = 36: flagged; 60 is not
    assert gender["A"]["four_fifths_flag"] is True and gender["B"]["four_fifths_flag"] is False
    # (15 + 15) / 2 / 45 x 100
    assert _dimension(data, "gender")["index_of_disparity"] == "33.333333"


def test_against_a_named_group_by_hand(ws: Path) -> None:
    data = _show("--period", "2025", "--reference", "A", "--dimension", "gender")
    gender = _groups(data, "gender")
    assert gender["B"]["rate_ratio"] == "2.000000" and gender["B"]["rate_difference"] == "30.000000"
    assert gender["A"]["is_reference"] is True
    assert _dimension(data, "gender")["index_of_disparity"] == "100.000000"
    assert [d["dimension"] for d in data["dimensions"]] == ["gender"]


def test_the_trend_interval_and_change(ws: Path) -> None:
    data = _show()
    assert data["period"] == "2026"
    (first, second) = data["trend"]
    assert first["period"] == "2025" and first["rate"] == "45.000000"
    low, high = (float(x) for x in first["ci95"])
    assert 37 < low < 45 < high < 52
    assert first["change_from_baseline"] == "-3.000000"
    assert second["numerator"] is None or second["numerator"] == "45"


def _small(value: Any) -> bool:
    return value is not None and 1 <= float(value) <= 10


def test_no_small_count_in_json_and_the_hidden_cell_cannot_be_worked_out(ws: Path) -> None:
    data = _show("--period", "2026")
    cells = [
        data["trend"][1],
        *_groups(data, "gender").values(),
        *_groups(data, "age_group").values(),
    ]
    for cell in cells:
        assert not _small(cell["numerator"]) and not _small(cell["denominator"])
    gender = _groups(data, "gender")
    assert gender["A"]["numerator"] is None and gender["A"]["hidden"] is True
    assert gender["A"]["rate"] is None
    # a naive table shows B's 40 and the total's 45, giving A's 5 away
    assert gender["B"]["numerator"] is None or data["trend"][1]["numerator"] is None
    assert data["privacy"] == {
        "minimum": 11,
        "min_denominator": 20,
        "statement": [
            "Counts from 1 to 10 are not shown, nor rates from them, and other cells are"
            " hidden so that none can be worked out from a total.",
            "No rate is shown for a denominator under 20.",
        ],
    }


def _table_counts(text: str) -> list[str]:
    """The NUMERATOR and DENOMINATOR cells of every table in `outcome show`'s text."""
    found: list[str] = []
    in_table = False
    for line in text.splitlines():
        if re.match(r"^(PERIOD|GROUP|PERIODO|GRUPO|PERÍODE|GRUP)\s", line):
            in_table = True
            continue
        if not line.strip() or line.startswith(("Index", "Índice", "Índex")):
            in_table = False
            continue
        if in_table:
            cells = re.split(r"\s{2,}", line.strip())
            found.extend(cells[1:3])
    return found


def test_no_small_count_in_text_csv_or_list(ws: Path) -> None:
    for locale in ("en", "es", "ca"):
        text = ok("outcome", "show", "reunificacion", "--period", "2026", "--locale", locale)
        counts = _table_counts(text)
        assert len(counts) == 2 * (2 + 2 + 2)
        assert "5" not in counts and all(
            c in ("*", "—") or int(c.replace(".", "")) >= 11 for c in counts
        )
    out = ok("outcome", "show", "reunificacion", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    for row in rows:
        for column in ("numerator", "denominator"):
            value = row[column]
            assert value in ("", "*") or not 1 <= float(value) <= 10, row
        assert row["minimum"] == "11" and row["min_denominator"] == "20"
    (a_2026,) = [r for r in rows if r["group"] == "A" and r["period"] == "2026"]
    assert a_2026["numerator"] == "*" and a_2026["rate"] == ""


def test_a_zero_is_shown(ws: Path) -> None:
    """0 reveals no one: it is shown in every format (a CSV once printed it empty)."""
    write(
        ws,
        "zero.csv",
        "indicator,period,dimension,group,numerator,denominator\n"
        "reunificacion,2027,total,total,40,100\n"
        "reunificacion,2027,gender,A,0,40\n"
        "reunificacion,2027,gender,B,40,60\n"
        "reunificacion,2027,age_group,0-5,15,50\n"
        "reunificacion,2027,age_group,6-17,25,50\n",
    )
    ok("import", "outcomes", "zero.csv")
    rows = list(csv.DictReader(io.StringIO(ok("outcome", "show", "reunificacion", "--csv"))))
    (a,) = [r for r in rows if r["group"] == "A"]
    assert a["numerator"] == "0" and a["rate"] == "0.000000"
    assert _groups(_show(), "gender")["A"]["numerator"] == "0"
    listed = json.loads(ok("outcome", "list", "--json"))
    for item in listed["indicators"]:
        latest = item["latest"]
        if latest is not None:
            assert not _small(latest["numerator"]) and not _small(latest["denominator"])
    assert listed["privacy"]["minimum"] == 11


def test_the_privacy_statement_on_every_output(ws: Path) -> None:
    statement = "Counts from 1 to 10 are not shown"
    assert statement in ok("outcome", "show", "reunificacion")
    assert statement in ok("outcome", "list")
    assert statement in json.dumps(_show())
    code, _out, err = run("outcome", "show", "reunificacion", "--csv")
    assert code == 0 and statement in err


def test_privacy_settings_from_the_workspace_and_the_options(ws: Path) -> None:
    config = ws / "comunidad.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[privacy]\nminimum = 5\nmin_denominator = 10\n",
        encoding="utf-8",
    )
    data = _show("--period", "2026")
    assert data["privacy"]["minimum"] == 5 and data["privacy"]["min_denominator"] == 10
    assert _groups(data, "gender")["A"]["numerator"] == "5"
    assert "Counts from 1 to 4 are not shown" in data["privacy"]["statement"][0]
    data = _show("--period", "2026", "--minimum", "11")
    assert _groups(data, "gender")["A"]["numerator"] is None
    data = _show("--period", "2026", "--min-denominator", "60")
    assert _groups(data, "gender")["A"]["rate"] is None
    config.write_text(
        config.read_text(encoding="utf-8").replace("minimum = 5", 'minimum = "cinco"'),
        encoding="utf-8",
    )
    code, _out, err = run("outcome", "show", "reunificacion")
    assert code == 1 and "[privacy] minimum" in err and "Traceback" not in err


def test_in_spanish_and_catalan(ws: Path) -> None:
    es = ok("outcome", "show", "reunificacion", "--period", "2025", "--locale", "es")
    assert "Niños reunificados" in es and "45,0 %" in es
    assert "Índice de disparidad: 50,0 %" in es and "peor que 4/5" in es
    assert "género en 2025, frente a B" in es
    assert "No se muestran los recuentos de 1 a 10" in es
    hidden = ok("outcome", "show", "reunificacion", "--period", "2026", "--locale", "es")
    assert "género en 2026, frente a —" in hidden
    ca = ok("outcome", "show", "reunificacion", "--period", "2025", "--locale", "ca")
    assert "Infants reunificats" in ca and "Índex de disparitat: 50,0 %" in ca
    assert "pitjor que 4/5" in ca


def test_a_median_indicator(ws: Path) -> None:
    data = json.loads(ok("outcome", "show", "permanencia", "--json"))
    gender = _groups(data, "gender")
    assert data["trend"][0]["rate"] == "400.000000"
    assert gender["A"]["rate"] == "380.500000" and gender["A"]["is_reference"] is True
    assert "380.5 days" in ok("outcome", "show", "permanencia")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("nada",), 1, 'no indicator "nada"'),
        (("reunificacion", "--period", "2030"), 1, "has no data for 2030"),
        (("reunificacion", "--dimension", "barrio"), 2, "is not broken down by barrio"),
        (("reunificacion", "--reference", "C", "--dimension", "gender"), 2, "C"),
        (("reunificacion", "--reference", "C"), 2, "C"),
        (("reunificacion", "--json", "--csv"), 2, "choose one of --json and --csv"),
        (("reunificacion", "--minimum", "0"), 2, "--minimum must be a whole number from 1"),
    ],
)
def test_refusals(ws: Path, args: tuple[str, ...], code: int, message: str) -> None:
    status, out, err = run("outcome", "show", *args)
    assert status == code and message in err and "Traceback" not in err and out == ""


def test_list(ws: Path) -> None:
    out = ok("outcome", "list")
    assert "reunificacion" in out and "2025–2026" in out and "permanencia" in out


def test_outcomes_for_report(ws: Path) -> None:
    from comunidad_cli.services.outcomes.data import outcomes_for_report

    found = outcomes_for_report(database_of(ws), date(2026, 1, 1), date(2026, 12, 31), root=ws)
    assert [o.indicator.id for o in found] == ["reunificacion"]
    (report,) = found
    assert [p.period for p in report.trend] == ["2026"] and report.period == "2026"
    gender = next(d for d in report.dimensions if d.dimension == "gender")
    a = next(r for r in gender.rows if r.group == "A")
    assert a.shown.numerator is None and a.shown.rate is None
    assert report.privacy.minimum == 11
    both = outcomes_for_report(database_of(ws), date(2025, 1, 1), date(2026, 12, 31), root=ws)
    assert [p.period for p in both[0].trend] == ["2025", "2026"]
    assert outcomes_for_report(database_of(ws), date(2020, 1, 1), date(2020, 12, 31), root=ws) == []
