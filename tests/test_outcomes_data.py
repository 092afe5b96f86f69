"""`comunidad import outcomes`: aggregated counts (never person-level records) checked
against the workspace's indicators, all or nothing with row numbers, the groups adding up
to the period's total, revisions audited; on either backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import ok, query, refused, run, write

EXAMPLE = ROOT / "examples" / "outcomes" / "conteos.csv"
HEADER = "indicator,period,dimension,group,numerator,denominator\n"


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the Family to Family indicators."""
    ok("init", "ws")
    monkeypatch.chdir(in_tmp / "ws")
    ok("outcome", "new")
    return in_tmp / "ws"


def _counts(ws: Path) -> list[tuple[object, ...]]:
    return sorted(
        query(
            ws,
            "select indicator, period, dimension, group_name, numerator, denominator"
            " from outcome_count",
        ),
        key=repr,
    )


def test_the_example_imports_and_again_changes_nothing(ws: Path) -> None:
    _code, out, err = run("import", "outcomes", str(EXAMPLE))
    assert "20 created" in out + err
    rows = _counts(ws)
    assert len(rows) == 20
    assert ("reunificacion", "2025-Q1", "total", "total") in [r[:4] for r in rows]
    (total,) = [r for r in rows if r[:4] == ("reunificacion", "2025-Q1", "total", "total")]
    assert int(total[4]) == 64 and total[5] == 152
    imports = query(ws, 'select "by", file, rows, sha256 from outcome_import')
    assert len(imports) == 1 and imports[0][2] == 20 and len(imports[0][3]) == 64
    assert imports[0][1].endswith("conteos.csv")
    _code, out, err = run("import", "outcomes", str(EXAMPLE))
    assert "0 created, 20 unchanged" in out + err
    assert len(query(ws, "select id from outcome_import")) == 1


def test_a_revised_count_replaces_the_stored_one_and_is_audited(ws: Path) -> None:
    ok("import", "outcomes", str(EXAMPLE))
    revised = EXAMPLE.read_text(encoding="utf-8")
    revised = revised.replace(
        "reunificacion,2025-Q1,total,total,64,152", "reunificacion,2025-Q1,total,total,64,153"
    )
    for line in ("Otro,4,12", "Masculino,31,74", "13-17,14,40"):
        group, n, d = line.split(",")
        revised = revised.replace(line, f"{group},{n},{int(d) + 1}")
    write(ws, "revised.csv", revised)
    _code, out, err = run("import", "outcomes", "revised.csv")
    assert "0 created, 4 updated" in out + err
    (total,) = [r for r in _counts(ws) if r[:4] == ("reunificacion", "2025-Q1", "total", "total")]
    assert total[5] == 153
    audit = query(
        ws, "select action, entity_id, detail from audit_event where entity = 'outcome_count'"
    )
    updates = [a for a in audit if a[0] == "update"]
    assert len(updates) == 4
    detail = json.loads(next(a[2] for a in updates if a[1] == "reunificacion/2025-Q1/total/total"))
    assert detail["denominator"] == [152, 153]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("nada,2025,total,total,1,2\n", ':2: indicator: no indicator "nada" in outcomes/'),
        (
            "reunificacion,2025,barrio,Centro,11,20\n",
            ':2: dimension: indicator reunificacion is not broken down by "barrio"',
        ),
        ("reunificacion,2025,total,todos,11,20\n", ':2: group: the total\'s group is "total"'),
        ("reunificacion,2025,gender,total,11,20\n", ':2: group: "total" is not a group'),
        (
            "reunificacion,2025,total,total,30,20\n",
            ":2: numerator: the numerator 30 is more than the denominator 20",
        ),
        ("reunificacion,2025,total,total,11.5,20\n", ":2: numerator: 11.5 is not a count"),
        ("reunificacion,2025,total,total,11,\n", ":2: denominator: a percentage indicator needs"),
        ("reunificacion,2025-Q5,total,total,11,20\n", ':2: period: "2025-Q5" is not a period'),
        ("reunificacion,2025,total,total,-1,20\n", ':2: numerator: "-1" is not a count'),
        (
            "reunificacion,2025,gender,Femenino,11,20\n",
            ":2: dimension: indicator reunificacion has groups of gender in 2025 but no total",
        ),
        (
            "reunificacion,2025,total,total,30,60\n"
            "reunificacion,2025,gender,Femenino,11,20\n"
            "reunificacion,2025,gender,Masculino,18,40\n",
            ":4: numerator: the groups of gender add up to 29 (numerator), but the total of"
            " reunificacion in 2025 is 30",
        ),
        (
            "reunificacion,2025,total,total,30,60\n"
            "reunificacion,2025,gender,Femenino,12,20\n"
            "reunificacion,2025,gender,Masculino,18,41\n",
            ":4: denominator: the groups of gender add up to 61 (denominator)",
        ),
    ],
    ids=[
        "indicator",
        "dimension",
        "total-group",
        "group-total",
        "above-denominator",
        "fraction",
        "no-denominator",
        "period",
        "negative",
        "no-total",
        "numerators",
        "denominators",
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(ws: Path, rows: str, expected: str) -> None:
    write(ws, "bad.csv", HEADER + rows)
    err = refused(ws, "import", "outcomes", "bad.csv")
    assert f"bad.csv{expected}" in err
    assert "nothing was imported" in err


def test_every_bad_row_at_once(ws: Path) -> None:
    write(
        ws,
        "bad.csv",
        HEADER
        + "reunificacion,2025,total,total,30,60\n"
        + "nada,2025,total,total,1,2\n"
        + "reunificacion,2025,barrio,Centro,11,20\n",
    )
    err = refused(ws, "import", "outcomes", "bad.csv")
    assert "bad.csv:3: indicator" in err and "bad.csv:4: dimension" in err


def test_the_groups_add_up_with_what_is_stored(ws: Path) -> None:
    """The total in one file, its groups in the next: checked against the data as the second
    file leaves it."""
    write(ws, "total.csv", HEADER + "reunificacion,2025,total,total,30,60\n")
    ok("import", "outcomes", "total.csv")
    write(ws, "one.csv", HEADER + "reunificacion,2025,gender,Femenino,12,20\n")
    err = refused(ws, "import", "outcomes", "one.csv")
    assert "add up to 12 (numerator)" in err
    write(
        ws,
        "both.csv",
        HEADER
        + "reunificacion,2025,gender,Femenino,12,20\n"
        + "reunificacion,2025,gender,Masculino,18,40\n",
    )
    ok("import", "outcomes", "both.csv")


def test_a_partial_dimension_need_not_add_up_and_a_median_is_exact(ws: Path) -> None:
    write(
        ws,
        "data.csv",
        HEADER
        + "separacion,2025,total,total,60,10000\n"
        + "separacion,2025,neighbourhood,Centro,12,2000\n"
        + "permanencia,2025,total,total,412.5,80\n"
        + "permanencia,2025,gender,Femenino,380,40\n"
        + "permanencia,2025,gender,Masculino,431.25,40\n",
    )
    text = (ws / "outcomes" / "familia-a-familia.toml").read_text(encoding="utf-8")
    text = text.replace(
        'dimensions = ["race_ethnicity", "gender", "age_group", "neighbourhood"]\nbaseline = { period = "2024", value = "6.0" }',
        'dimensions = ["race_ethnicity", "gender", "age_group", "neighbourhood"]\npartial = ["neighbourhood"]\nbaseline = { period = "2024", value = "6.0" }',
        1,
    )
    (ws / "outcomes" / "familia-a-familia.toml").write_text(text, encoding="utf-8")
    ok("import", "outcomes", "data.csv")
    medians = {r[3]: r[4] for r in _counts(ws) if r[0] == "permanencia"}
    assert {str(float(v)) for v in medians.values()} == {"412.5", "380.0", "431.25"}


def test_json_and_ndjson(ws: Path) -> None:
    records = [
        {
            "indicator": "reunificacion",
            "period": "2025",
            "dimension": "total",
            "group": "total",
            "numerator": 30,
            "denominator": 60,
        },
        {
            "indicator": "reunificacion",
            "period": "2025",
            "dimension": "gender",
            "group": "Femenino",
            "numerator": 12,
            "denominator": 20,
        },
        {
            "indicator": "reunificacion",
            "period": "2025",
            "dimension": "gender",
            "group": "Masculino",
            "numerator": 18,
            "denominator": 40,
        },
    ]
    write(ws, "data.json", json.dumps(records))
    ok("import", "outcomes", "data.json")
    records[0]["period"] = records[1]["period"] = records[2]["period"] = "2026"
    write(ws, "data.ndjson", "\n".join(json.dumps(r) for r in records) + "\n")
    ok("import", "outcomes", "data.ndjson")
    assert len(_counts(ws)) == 6


def test_spanish_headers_and_messages(ws: Path) -> None:
    write(
        ws,
        "datos.csv",
        "indicador,periodo,dimensión,grupo,numerador,denominador\n"
        "reunificacion,2025,total,total,30,60\n"
        "reunificacion,2025,gender,Femenino,11,20\n",
    )
    err = refused(ws, "import", "outcomes", "datos.csv", "--locale", "es")
    assert "datos.csv:3: numerador: los grupos de gender suman 11 (numerator)" in err
    assert "no se importó nada" in err
    err = refused(ws, "import", "outcomes", "datos.csv", "--locale", "ca")
    assert "els grups de gender sumen 11" in err


def test_without_indicators_the_import_is_refused(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("init", "ws")
    monkeypatch.chdir(in_tmp / "ws")
    write(in_tmp / "ws", "data.csv", HEADER + "reunificacion,2025,total,total,30,60\n")
    err = refused(in_tmp / "ws", "import", "outcomes", "data.csv")
    assert "outcome new" in err


def test_indicators_with_errors_refuse_the_import(ws: Path) -> None:
    path = ws / "outcomes" / "familia-a-familia.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('measure = "percentage"', 'measure = "x"', 1),
        encoding="utf-8",
    )
    write(ws, "data.csv", HEADER + "reunificacion,2025,total,total,30,60\n")
    err = refused(ws, "import", "outcomes", "data.csv")
    assert "familia-a-familia.toml:" in err and "OC106" in err
