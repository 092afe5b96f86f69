"""One TOML shape checker (core/toml_shape.py) behind the by-laws schema and the capacity
instrument: the same mistake gets the same words in both, under each format's own code."""

from __future__ import annotations

from pathlib import Path

from comunidad_cli.core.bylaws.spec import check_shape
from comunidad_cli.core.capacity.instrument import check_instrument
from comunidad_cli.core.findings import Finding, Severity
from comunidad_cli.core.messages import Msg
from comunidad_cli.core.toml_shape import ShapeCodes, dotted, found_type
from tests.conftest import ROOT

MISTAKES = {"schema": 1, "id": "Bad Id", "nmae": "x", "colour": 1}


def said(findings: list[Finding]) -> dict[tuple[str, tuple[object, ...]], str]:
    return {(f.code[:2], f.path): f.message.render() for f in findings}


def test_the_same_mistakes_are_worded_alike_in_bylaws_and_instruments() -> None:
    bylaws = said(check_shape(MISTAKES))
    instrument = said(check_instrument(MISTAKES)[1])
    for key in (("nmae",), ("id",)):
        assert bylaws[("BL", key)] == instrument[("CI", key)]
    allowed = 'unknown key "colour" in (top level); allowed keys: schema, id, name, '
    assert bylaws[("BL", ("colour",))].startswith(allowed)
    assert instrument[("CI", ("colour",))] == allowed + "description, na, scale, domains"
    assert (
        instrument[("CI", ("nmae",))] == 'unknown key "nmae" in (top level); did you mean "name"?'
    )
    assert bylaws[("BL", ("colour",))].startswith(
        'unknown key "colour" in (top level); allowed keys:'
    )
    assert instrument[("CI", ("id",))].startswith('"Bad Id" is not a valid id')
    missing = [f.message.render() for f in check_shape(MISTAKES) if f.code == "BL101"]
    assert 'missing required key "name" in (top level)' in missing
    assert 'missing required key "name" in (top level)' in [
        f.message.render() for f in check_instrument(MISTAKES)[1] if f.code == "CI101"
    ]


def test_each_format_keeps_its_codes_and_where_a_bad_id_points() -> None:
    bylaws = {f.code: f for f in check_shape(MISTAKES)}
    instrument = {f.code: f for f in check_instrument(MISTAKES)[1]}
    assert {"BL101", "BL102", "BL107"} <= set(bylaws)
    assert {"CI101", "CI102", "CI105"} <= set(instrument)
    assert bylaws["BL107"].at_value and not instrument["CI105"].at_value


def test_a_wrong_type_names_what_was_found_in_the_formats_words() -> None:
    """By-laws say "a boolean", instruments "true or false": each format's `found` wording."""
    wrong = check_shape({"schema": 1, "id": "x", "name": True})
    assert [f.message.render() for f in wrong if f.code == "BL103"] == [
        '"name" must be a string, found a boolean'
    ]
    instrument = check_instrument({"schema": 1, "id": "x", "na": 3, "name": "Mini"})[1]
    assert '"na" must be true or false, found an integer' in [
        f.message.render() for f in instrument if f.code == "CI103"
    ]


def test_a_format_of_its_own_reuses_the_checks_with_its_codes() -> None:
    def make(code: str, path: tuple[object, ...], text: str, **params: object) -> Finding:
        at_value = bool(params.pop("at_value", False))
        return Finding(code, Severity.WARNING, Msg.of(text, **params), path, at_value=at_value)

    shape = ShapeCodes(make, missing="X1", unknown="X2", wrong_type="X3", bad_id="X4", version="X5")
    data = {"titel": "t", "count": "3"}
    found = [
        *shape.unknown_keys(("table",), data, ("title", "count")),
        *shape.missing_keys(("table",), data, ("title", "count")),
        shape.wrong_type_finding(("table", "count"), "an integer", data["count"]),
        *shape.id_findings(("table", "id"), "9lives"),
    ]
    assert [(f.code, f.path) for f in found] == [
        ("X2", ("table", "titel")),
        ("X1", ("table",)),
        ("X3", ("table", "count")),
        ("X4", ("table", "id")),
    ]
    assert found[0].message.render().endswith('did you mean "title"?')
    assert found[2].message.render() == '"table.count" must be an integer, found a string'
    assert dotted(()) == "(top level)" and found_type([]).render() == "a list"


def test_neither_format_keeps_a_shape_checker_of_its_own() -> None:
    """The machinery lives once: no close-match suggestion, id pattern or reading of the TOML
    reader's error positions beside it (core/toml_shape.py, services/toml_files.py)."""
    for module in (
        "core/bylaws/spec.py",
        "core/capacity/instrument.py",
        "services/bylaws.py",
        "services/capacity/instruments.py",
    ):
        source = Path(ROOT, "src", "comunidad_cli", module).read_text(encoding="utf-8")
        assert "difflib" not in source and "re.compile" not in source, module


def test_an_unsupported_schema_version_stops_both_formats_alike() -> None:
    bylaws = check_shape({"schema": 3, "nmae": "x"})
    instrument = check_instrument({"schema": 3, "nmae": "x"})[1]
    assert [(f.code, f.path, f.at_value) for f in bylaws] == [("BL104", ("schema",), True)]
    assert [(f.code, f.path, f.at_value) for f in instrument] == [("CI104", ("schema",), True)]
    # By-laws read schemas 1 and 2 (dual majorities), instruments schema 1: one wording.
    assert bylaws[0].message.render() == (
        "unsupported schema version 3: this comunidad reads schema 2"
    )
    assert instrument[0].message.render() == (
        "unsupported schema version 3: this comunidad reads schema 1"
    )
    assert check_shape({"schema": True, "id": "x", "name": "n"}) != check_shape(
        {"schema": 3, "id": "x", "name": "n"}
    )
