"""Territory selection: the rule file, exact scores worked by hand, ties, history, imports."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from comunidad_cli.core.messages import Msg
from comunidad_cli.core.plans import territory as core
from tests.conftest import ROOT
from tests.helpers import ok, query, refused, run, write

EXAMPLES = ROOT / "examples" / "plans"


def _rule(**criteria: dict[str, str]) -> core.Rule:
    rule, problems = core.read_rule({"criteria": criteria})
    assert rule is not None, problems
    return rule


def _cand(key: str, **values: str) -> core.Candidate:
    return core.Candidate(key, key.upper(), {k: Decimal(v) for k, v in values.items()})


# --- the core ---------------------------------------------------------------------------------


def test_scores_worked_by_hand() -> None:
    """The example's three territories: minmax, max and minmax criteria, exact sums."""
    rule = _rule(
        vulnerabilidad={"weight": "1/2", "direction": "higher"},
        organizaciones={"weight": "3/10", "direction": "higher", "normalise": "max"},
        apoyo={"weight": "0.2", "direction": "higher"},
    )
    ranking = core.score(
        rule,
        [
            _cand("los-aromos", vulnerabilidad="0.62", organizaciones="14", apoyo="3"),
            _cand("villa-sur", vulnerabilidad="0.71", organizaciones="6", apoyo="4"),
            _cand("el-bosque", vulnerabilidad="0.55", organizaciones="10", apoyo="2"),
        ],
    )
    assert all(isinstance(s, core.Scored) for s in ranking)
    # villa-sur: 1/2*1 + 3/10*(6/14) + 1/5*1 = 29/35
    # los-aromos: 1/2*(7/16) + 3/10*1 + 1/5*(1/2) = 99/160
    # el-bosque: 0 + 3/10*(10/14) + 0 = 3/14
    assert [(s.key, s.rank, s.score) for s in ranking] == [  # type: ignore[union-attr]
        ("villa-sur", 1, Fraction(29, 35)),
        ("los-aromos", 2, Fraction(99, 160)),
        ("el-bosque", 3, Fraction(3, 14)),
    ]


def test_lower_is_better_and_max_normalisation() -> None:
    rule = _rule(
        distance={"weight": "1/2", "direction": "lower", "normalise": "max"},
        cost={"weight": "1/2", "direction": "lower"},
    )
    ranking = core.score(
        rule, [_cand("a", distance="2", cost="10"), _cand("b", distance="4", cost="30")]
    )
    # a: 1/2*(2/2) + 1/2*1 = 1; b: 1/2*(2/4) + 1/2*0 = 1/4
    assert [(s.key, s.score) for s in ranking] == [  # type: ignore[union-attr]
        ("a", Fraction(1)),
        ("b", Fraction(1, 4)),
    ]


def test_ties_broken_by_the_first_criterion_then_by_id() -> None:
    rule = _rule(
        a={"weight": "1/2", "direction": "higher"}, b={"weight": "1/2", "direction": "higher"}
    )
    ranking = core.score(
        rule,
        [
            _cand("t2", a="0", b="1"),
            _cand("t4", a="1", b="0"),
            _cand("t1", a="1", b="0"),
            _cand("t3", a="0", b="0"),
        ],
    )
    scored = [s for s in ranking if isinstance(s, core.Scored)]
    assert [(s.key, s.score) for s in scored] == [
        ("t1", Fraction(1, 2)),
        ("t4", Fraction(1, 2)),
        ("t2", Fraction(1, 2)),
        ("t3", Fraction(0)),
    ]
    by_key = {s.key: s for s in scored}
    assert by_key["t1"].broken_by == "id" and set(by_key["t1"].tied_with) == {"t2", "t4"}
    assert by_key["t2"].broken_by == "a"
    assert by_key["t3"].broken_by is None and by_key["t3"].tied_with == ()


def test_equal_values_give_everyone_one_under_minmax() -> None:
    rule = _rule(a={"weight": "1", "direction": "higher"})
    ranking = core.score(rule, [_cand("x", a="3"), _cand("y", a="3")])
    assert [s.score for s in ranking] == [Fraction(1), Fraction(1)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"criteria": {"a": {"weight": 0.5, "direction": "higher"}}}, "exact string"),
        ({"criteria": {"a": {"weight": "1/2", "direction": "higher"}}}, "add up to 1/2"),
        ({"criteria": {"a": {"weight": "1", "direction": "up"}}}, "higher or lower"),
        ({"criteria": {"a": {"weight": "1", "direction": "higher", "normalise": "z"}}}, "minmax"),
        ({"criteria": {}}, "no criteria"),
        ({"criteria": {"a": {"weight": "1", "direction": "higher"}}, "select": 0}, "at least 1"),
    ],
)
def test_rule_problems(data: dict[str, object], expected: str) -> None:
    rule, problems = core.read_rule(data)
    assert rule is None
    assert any(expected in p.render() for p in problems), [p.render() for p in problems]


def test_a_missing_value_is_refused_never_taken_as_zero() -> None:
    rule = _rule(a={"weight": "1", "direction": "higher"})
    found = core.score(rule, [_cand("x", a="1"), _cand("y")])
    assert [m.render() for m in found if isinstance(m, Msg)] == [
        'territory "y" has no value for criterion "a"'
    ]


def test_values_in_the_locale_way() -> None:
    assert core.parse_value("0,62", ",") == Decimal("0.62")
    assert core.parse_value("0.62", None) == Decimal("0.62")
    refusal = core.parse_value("0.62", ",")
    assert isinstance(refusal, Msg) and "0,62" in refusal.render()


# --- the commands -----------------------------------------------------------------------------


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    assert run("init", "w", "--template", "directorio", "--locale", "en_US")[0] == 0
    root = in_tmp / "w"
    import os

    os.chdir(root)
    return root


def test_import_select_and_show(ws: Path) -> None:
    code, _, err = run("import", "territories", str(EXAMPLES / "territories.csv"), "--locale", "es")
    assert code == 0, err
    assert query(ws, "select count(*) from territory") == [(3,)]
    made = json.loads(
        ok("territory", "select", "--rule", str(EXAMPLES / "territorios.toml"), "--json")
    )
    assert [(r["territory"], r["score"], r["selected"]) for r in made["ranking"]] == [
        ("villa-sur", "29/35", True),
        ("los-aromos", "99/160", True),
        ("el-bosque", "3/14", False),
    ]
    assert made["rule"]["criteria"][0]["weight"] == "1/2"
    assert json.loads(ok("territory", "show", "--json")) == made
    text = ok("territory", "show", made["selection"])
    assert "29/35" in text and "0.8286" in text and "Población Los Aromos" in text
    # Recorded: the inputs as they were.
    (inputs,) = query(ws, "select inputs from territory_selection")
    assert json.loads(inputs[0])["villa-sur"]["values"]["organizaciones"] == "6"


def test_selections_and_values_are_history(ws: Path) -> None:
    ok("import", "territories", str(EXAMPLES / "territories.csv"), "--locale", "es")
    first = json.loads(
        ok("territory", "select", "--rule", str(EXAMPLES / "territorios.toml"), "--json")
    )
    write(ws, "more.csv", "territory,criterion,value\nel-bosque,organizaciones,30\n")
    ok("import", "territories", "more.csv")
    second = json.loads(
        ok("territory", "select", "--rule", str(EXAMPLES / "territorios.toml"), "--json")
    )
    assert second["selection"] != first["selection"]
    assert json.loads(ok("territory", "show", first["selection"], "--json")) == first
    scores = {r["territory"]: r["score"] for r in second["ranking"]}
    assert scores["el-bosque"] == "3/10"  # 3/10 * 30/30, no longer 3/10 * 10/14
    assert query(ws, "select count(*) from territory_value where criterion = 'organizaciones'") == [
        (4,)
    ]
    # The same file again changes nothing.
    before = query(ws, "select count(*) from territory_value")
    ok("import", "territories", "more.csv")
    assert query(ws, "select count(*) from territory_value") == before


def test_import_errors_name_rows_and_write_nothing(ws: Path) -> None:
    write(
        ws,
        "bad.csv",
        "territorio;criterio;valor;nombre\n"
        "a;vulnerabilidad;0.5;A\n"
        "b;vulnerabilidad;0,4;\n"
        "c;vulnerabilidad;0,3;C\n"
        "c;vulnerabilidad;0,4;C\n",
    )
    err = refused(ws, "import", "territories", "bad.csv", "--locale", "es")
    assert 'bad.csv:2: valor: "0.5"' in err  # the column as the file's header names it
    assert "bad.csv:3: nombre:" in err and '"b"' in err
    assert "bad.csv:5" in err
    assert "3 problemas" in err


def test_add_and_spanish_output(ws: Path) -> None:
    ok(
        "territory",
        "add",
        "villa",
        "--name",
        "Villa [Sur]",
        "--value",
        "vulnerabilidad=0,7",
        "--locale",
        "es",
    )
    ok("territory", "add", "cerro", "--name", "Cerro", "--value", "vulnerabilidad=0.2")
    write(ws, "r.toml", '[criteria.vulnerabilidad]\nweight = "1"\ndirection = "higher"\n')
    out = ok("territory", "select", "--rule", "r.toml", "--locale", "es")
    assert "Villa [Sur]" in out and "PUNTAJE" in out and "1,0000" in out
    out = ok("territory", "show", "--locale", "ca")
    assert "PUNTUACIÓ" in out


def test_bad_rule_lists_every_problem(ws: Path) -> None:
    ok("territory", "add", "x", "--name", "X", "--value", "a=1")
    write(
        ws,
        "r.toml",
        '[criteria.a]\nweight = 0.5\ndirection = "higher"\n[criteria.b]\nweight = "1/2"\n',
    )
    err = refused(ws, "territory", "select", "--rule", "r.toml")
    assert "r.toml: criteria.a.weight:" in err and "r.toml: criteria.b.direction:" in err


def test_select_refuses_a_missing_value(ws: Path) -> None:
    ok("territory", "add", "x", "--name", "X", "--value", "a=1")
    ok("territory", "add", "y", "--name", "Y")
    write(ws, "r.toml", '[criteria.a]\nweight = "1"\ndirection = "higher"\n')
    err = refused(ws, "territory", "select", "--rule", "r.toml")
    assert 'territory "y" has no value for criterion "a"' in err
