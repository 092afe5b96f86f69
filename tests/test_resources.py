"""Resources mobilised: the volunteer valuation to the cent, pledged and received, match and
leverage exact, `resource log|list|report`, refusals that write nothing, and the `resources`
import re-run unchanged (and never revaluing hours already logged)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.resources import (
    Line,
    grant_position,
    percent,
    resolve,
    to_cents,
    totals,
    volunteer_value,
)
from tests.conftest import ROOT
from tests.helpers import dump, ok, run
from tests.test_capacity import add_grant, audit, make_workspace, refused
from tests.test_directory import db_url

EXAMPLES = ROOT / "examples"
D = Decimal


def as_json(*args: str) -> Any:
    """A command's JSON, amounts read exactly (they are JSON numbers)."""
    return json.loads(ok(*args, "--json"), parse_float=D)


# --- the rules (pure) -------------------------------------------------------------------------------


def test_volunteer_hours_are_valued_exactly_and_rounded_half_up_to_the_cent() -> None:
    assert volunteer_value(D("412.5"), D("33.49")) == D("13814.625")  # exact
    assert to_cents(D("13814.625")) == D("13814.63")  # half up (half-even would give .62)
    assert to_cents(volunteer_value(D("287.25"), D("33.49"))) == D("9620.00")  # 9620.0025
    assert to_cents(volunteer_value(D("0.5"), D("0.01"))) == D("0.01")  # 0.005
    values = resolve(
        "volunteer_hours", pledged=None, received=None, hours=D("412.5"), rate=D("33.49")
    )
    assert (values.pledged, values.received, values.hours) == (
        D("13814.63"),
        D("13814.63"),
        D("412.5"),
    )


def test_pledged_defaults_to_received_and_received_to_nothing() -> None:
    gift = resolve("donation", pledged=None, received=D("150"), hours=None, rate=None)
    assert (gift.pledged, gift.received) == (D("150"), D("150"))
    promise = resolve("funding", pledged=D("40000"), received=None, hours=None, rate=None)
    assert (promise.pledged, promise.received) == (D("40000"), D(0))


@pytest.mark.parametrize(
    ("kind", "pledged", "received", "hours", "rate", "expected"),
    [
        ("donation", None, D("-5"), None, None, "cannot be negative"),
        ("donation", None, D("1.005"), None, None, "more than two decimals"),
        ("donation", None, None, None, None, "pledged or a received amount"),
        ("donation", D(0), D(0), None, None, "pledged or a received amount"),
        ("funding", None, D("10"), D("3"), None, "only volunteer_hours"),
        ("volunteer_hours", None, None, None, D("30"), "number of hours"),
        ("volunteer_hours", None, None, D("0"), D("30"), "more than zero"),
        ("volunteer_hours", None, None, D("1.255"), D("30"), "more than two decimals"),
        ("volunteer_hours", None, D("100"), D("3"), D("30"), "not pledged or received"),
        ("volunteer_hours", None, None, D("3"), None, "volunteer_hour_rate"),
        ("grant", None, D("10"), None, None, "is not one of"),
    ],
)
def test_refused_values(
    kind: str,
    pledged: Decimal | None,
    received: Decimal | None,
    hours: Decimal | None,
    rate: Decimal | None,
    expected: str,
) -> None:
    with pytest.raises(Invalid) as refusal:
        resolve(kind, pledged=pledged, received=received, hours=hours, rate=rate)
    assert expected in refusal.value.msg.render()


def test_match_and_leverage_are_exact() -> None:
    lines = [
        Line("funding", D("25000.00"), D("15000.00")),
        Line("in_kind", D("1800.00"), D("1800.00")),
        Line("donation", D("1500.00"), D("1500.00")),
        Line("funding", D("5000.00"), D("5000.00"), from_funder=True),  # never match
        Line("volunteer_hours", D("13814.63"), D("13814.63"), D("412.5")),
        Line("funding", D("40000.00"), D("0")),  # pledged only: not match, but leveraged
    ]
    position = grant_position(lines, D("300000.00"), D("60000.00"))
    assert position.cash_match == D("16500.00")
    assert position.in_kind_match == D("15614.63")
    assert position.match == D("32114.63")
    assert position.not_counted == D("5000.00")
    assert position.match_ratio == Fraction(3211463, 30000000)
    assert position.required_ratio == Fraction(1, 5)
    assert position.match_met == Fraction(3211463, 6000000)
    assert position.shortfall == D("27885.37")
    assert position.mobilised == D("87114.63")
    assert position.leverage == Fraction(8711463, 30000000)
    assert percent(position.match_ratio) == D("10.7")
    assert percent(position.leverage) == D("29.0")
    total = totals(lines)
    assert [(k.kind, k.count, k.outstanding) for k in total.by_kind] == [
        ("funding", 3, D("50000.00")),
        ("donation", 1, D(0)),
        ("in_kind", 1, D(0)),
        ("volunteer_hours", 1, D(0)),
    ]
    assert total.by_kind[3].hours == D("412.5")
    nothing = grant_position([], D(0), D(0))
    assert (nothing.match_ratio, nothing.match_met, nothing.leverage) == (None, None, None)


def test_percent_rounds_half_up() -> None:
    assert percent(Fraction(1, 8)) == D("12.5")
    assert percent(Fraction(2, 3)) == D("66.7")
    assert percent(Fraction(1, 2000)) == D("0.1")  # 0.05 %: half up
    assert percent(Fraction(1, 3), 2) == D("33.33")


# --- resource log, list, report -------------------------------------------------------------------


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_workspace(in_tmp / "w", monkeypatch, rate="33.49")
    ok("import", "orgs", str(EXAMPLES / "orgs.csv"))
    add_grant(root, "best-start-2025", funder="first5la", amount="300000", match="60000")
    return root


def log(*args: str) -> str:
    return ok("resource", "log", *args)


def test_log_volunteer_hours_at_the_workspace_rate(ws: Path) -> None:
    _code, _out, err = run(
        "resource", "log", "--kind", "volunteer_hours", "--description", "Outreach, Q1",
        "--hours", "412.5", "--grant", "best-start-2025", "--on", "2025-03-31",
    )  # fmt: skip
    assert "with id outreach-q1" in err and "$13,814.63" in err
    listed = as_json("resource", "list")
    assert listed == [
        {
            "id": "outreach-q1",
            "kind": "volunteer_hours",
            "description": "Outreach, Q1",
            "grant": "best-start-2025",
            "source": None,
            "pledged": D("13814.63"),
            "received": D("13814.63"),
            "hours": D("412.50"),
            "date": "2025-03-31",
            "currency": "USD",
        }
    ]
    assert audit(ws, "resource") == [("resource log", "create", "outreach-q1")]
    log("--kind", "volunteer_hours", "--description", "Outreach, Q1", "--hours", "1")
    assert [r["id"] for r in as_json("resource", "list")] == ["outreach-q1", "outreach-q1-2"]


def test_volunteer_hours_without_a_rate_say_how_to_set_it(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(in_tmp / "norate", monkeypatch)
    err = refused(
        root, "resource", "log", "--kind", "volunteer_hours", "--description", "x", "--hours", "3"
    )
    assert 'volunteer_hour_rate = "33.49"' in err and str(root / "comunidad.toml") in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--kind", "donation", "--description", "x", "--received", "1.234,56"],
            "other decimal separator",
        ),
        (["--kind", "donation", "--description", "x", "--received", "-5"], "cannot be negative"),
        (
            ["--kind", "donation", "--description", "x", "--received", "12.345"],
            "--received: 12.345: amounts in USD have at most 2 decimals; did you mean 12,345?",
        ),
        (["--kind", "donation", "--description", "x"], "pledged or a received amount"),
        (["--kind", "cash", "--description", "x", "--received", "5"], '"cash" is not one of'),
        (["--kind", "donation", "--description", " ", "--received", "5"], "cannot be empty"),
        (
            ["--kind", "donation", "--description", "x", "--received", "5", "--grant", "nope"],
            'no grant with id "nope"',
        ),
        (
            ["--kind", "donation", "--description", "x", "--received", "5", "--source", "nadie"],
            'no organisation with id "nadie"',
        ),
        (
            ["--kind", "donation", "--description", "x", "--received", "5", "--on", "2999-01-01"],
            "in the future",
        ),
        (
            ["--kind", "donation", "--description", "x", "--received", "5", "--on", "01/02/2025"],
            "is not a date",
        ),
        (
            ["--kind", "in_kind", "--description", "x", "--received", "5", "--hours", "2"],
            "only volunteer_hours",
        ),
        (
            ["--kind", "volunteer_hours", "--description", "x", "--hours", "2", "--received", "5"],
            "not pledged or received",
        ),
        (
            ["--kind", "donation", "--description", "x", "--received", "5", "--id", "Bad Id"],
            "is not valid",
        ),
    ],
)
def test_bad_inputs_exit_1_and_write_nothing(ws: Path, args: list[str], expected: str) -> None:
    assert expected in refused(ws, "resource", "log", *args)


def test_amounts_typed_the_locale_way(ws: Path) -> None:
    log("--kind", "donation", "--description", "a", "--received", "1,234.56")
    ok(
        "--locale",
        "es",
        "resource",
        "log",
        "--kind",
        "donation",
        "--description",
        "b",
        "--received",
        "1.234,56",
    )
    ok(
        "--locale",
        "es",
        "resource",
        "log",
        "--kind",
        "donation",
        "--description",
        "c",
        "--received",
        "99,50",
    )
    # The other convention is refused, never guessed: 99.50 in Spanish is a question.
    err = refused(
        ws,
        "--locale",
        "es",
        "resource",
        "log",
        "--kind",
        "donation",
        "--description",
        "c",
        "--received",
        "99.50",
    )
    assert '--received: "99.50" está escrito con el otro separador decimal' in err
    assert "en este archivo" not in err and "en este espacio de trabajo" in err
    received = [r["received"] for r in as_json("resource", "list")]
    assert received == [D("1234.56"), D("1234.56"), D("99.50")]
    log("--kind", "donation", "--description", "d", "--received", "5", "--id", "taken")
    assert "already taken" in refused(
        ws,
        "resource",
        "log",
        "--kind",
        "donation",
        "--description",
        "e",
        "--received",
        "5",
        "--id",
        "taken",
    )


def test_report_for_a_grant(ws: Path) -> None:
    ok("import", "resources", str(EXAMPLES / "resources.csv"))
    report = as_json("resource", "report", "--grant", "best-start-2025")
    assert report["grant"]["amount"] == D("300000.00")
    match = report["match"]
    # 20,000 - 5,000 from the funder, + 1,500 + 4,200 + 23,434.63
    assert match["counted"] == D("44134.63")
    assert (match["cash"], match["in_kind"]) == (D("16500.00"), D("27634.63"))
    assert match["not_counted_from_funder"] == D("5000.00")
    assert match["ratio"] == {"exact": "4413463/30000000", "percent": "14.7"}
    assert match["met"] == {"exact": "4413463/6000000", "percent": "73.6"}
    assert match["shortfall"] == D("15865.37")
    assert report["leverage"] == {
        "mobilised": D("59134.63"),
        "ratio": {"exact": "5913463/30000000", "percent": "19.7"},
    }
    volunteers = report["by_kind"][3]
    assert (volunteers["hours"], volunteers["received"]) == (D("699.75"), D("23434.63"))
    text = ok("resource", "report", "--grant", "best-start-2025")
    assert "Match: $44,134.63 received and counted" in text and "73.6% met" in text
    assert "Leverage: 19.7%" in text and "$5,000.00 received from the grant's own funder" in text
    whole = as_json("resource", "report")
    assert whole["match"] is None and whole["total"]["pledged"] == D("99134.63")
    assert 'no grant with id "nope"' in refused(ws, "resource", "report", "--grant", "nope")


def test_report_in_the_locale_currency_format(ws: Path) -> None:
    add_grant(ws, "fondo-cl", funder="first5la", amount="15000000", match="3000000", currency="CLP")
    log(
        "--kind",
        "donation",
        "--description",
        "Aporte",
        "--received",
        "1500000",
        "--grant",
        "fondo-cl",
    )
    chilean = ok("--locale", "es_CL", "resource", "report", "--grant", "fondo-cl")
    assert "$1.500.000" in chilean and "10 %" not in chilean and "10%" in chilean
    catalan = ok("--locale", "ca_ES", "resource", "report", "--grant", "best-start-2025")
    assert "300.000,00\xa0USD" in catalan


def test_resources_summary_for_the_summary_developer(ws: Path) -> None:
    from comunidad_cli.services.resources import resources_summary

    ok("import", "resources", str(EXAMPLES / "resources.csv"))
    everything = resources_summary(db_url(ws))
    assert everything.grant is None and everything.position is None
    assert everything.totals.count == 8 and everything.totals.received == D("49134.63")
    one = resources_summary(db_url(ws), grant_key="best-start-2025")
    assert one.grant is not None and one.grant.currency == "USD" and one.grant.funder == "first5la"
    assert one.position is not None and one.position.match == D("44134.63")
    from comunidad_cli.services.session import reading

    with reading(db_url(ws)) as session:
        assert resources_summary(session, "best-start-2025") == one


# --- import resources -------------------------------------------------------------------------------


def test_import_resources_and_run_it_again(ws: Path) -> None:
    code, _out, err = run("import", "resources", str(EXAMPLES / "resources.csv"))
    assert code == 0 and "8 created, 0 unchanged" in err
    before = dump(ws)
    code, _out, err = run("import", "resources", str(EXAMPLES / "resources.csv"))
    assert code == 0 and "0 created, 8 unchanged" in err
    assert dump(ws) == before


def test_a_new_rate_does_not_revalue_hours_already_imported(ws: Path, tmp_path: Path) -> None:
    ok("import", "resources", str(EXAMPLES / "resources.csv"))
    config = ws / "comunidad.toml"
    config.write_text(config.read_text().replace('"33.49"', '"40.00"'), encoding="utf-8")
    before = dump(ws)
    assert (
        "0 created, 8 unchanged" in run("import", "resources", str(EXAMPLES / "resources.csv"))[2]
    )
    assert dump(ws) == before
    changed = tmp_path / "changed.csv"
    changed.write_text(
        (EXAMPLES / "resources.csv").read_text().replace(",412.5,", ",400,"), encoding="utf-8"
    )
    assert "0 created, 1 updated, 7 unchanged" in run("import", "resources", str(changed))[2]
    q1 = next(r for r in as_json("resource", "list") if r["id"] == "volunteers-q1")
    assert (q1["hours"], q1["received"]) == (D("400.00"), D("16000.00"))


def test_a_bad_resources_file_is_refused_whole(ws: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,kind,description,grant,source,pledged,received,hours,date\n"
        "ok-row,donation,Fine,best-start-2025,,,100.00,,2025-01-05\n"
        'r2,donation,Comma,,,,"1.234,56",,2025-01-05\n'
        "r3,volunteer_hours,Hours and money,,,,50.00,3,2025-01-05\n"
        "r4,in_kind,Unknown grant,nope,,,10.00,,2025-01-05\n"
        "r5,funding,Negative,,,-10.00,,,2025-01-05\n"
        "r6,gift,Unknown kind,,,,10.00,,2025-01-05\n"
        "ok-row,donation,Again,,,,1.00,,2025-01-05\n",
        encoding="utf-8",
    )
    before = dump(ws)
    code, _out, err = run("import", "resources", str(bad))
    assert code == 1 and dump(ws) == before
    lines = [line.removeprefix("error: ").removeprefix(f"{bad}:") for line in err.splitlines()]
    assert any(
        line.startswith("3: received:") and "other decimal separator" in line for line in lines
    )
    assert any(line.startswith("4: ") and "not pledged or received" in line for line in lines)
    assert any(line.startswith('5: grant: no grant with id "nope"') for line in lines)
    assert any(line.startswith("6: ") and "cannot be negative (-10.00)" in line for line in lines)
    assert any(line.startswith('7: kind: "gift" is not one of') for line in lines)
    assert any(line.startswith("8: duplicate of row 2") for line in lines)


def test_import_volunteer_hours_without_a_rate(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(in_tmp / "norate", monkeypatch)
    hours = in_tmp / "hours.csv"
    hours.write_text(
        "id,kind,description,hours,date\nv1,volunteer_hours,Garden,12.5,2025-01-05\n",
        encoding="utf-8",
    )
    code, _out, err = run("import", "resources", str(hours))
    assert (
        code == 1
        and "2: hours: volunteer hours are valued at the workspace's value of an hour of volunteering (`volunteer_hour_rate`)"
        in err
    )
    assert str(root / "comunidad.toml") in err
    assert json.loads(run("resource", "list", "--json")[1]) == []
