"""`comunidad summary` and `comunidad spend-down` in the user's locale (frozen clock)."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.helpers import ok, run


def _grant_workspace(root: Path, locale: str, currency: str, amounts: dict[str, str]) -> None:
    """A funder, a grant, one active subcontract and one paid invoice, typed as a user would."""
    ok("init", str(root), "--locale", locale, "--currency", currency)
    os.chdir(root)
    ok("org", "add", "Fundación Barrio", "--kind", "funder", "--id", "fundacion")
    ok("org", "add", "Junta de Vecinos Los Aromos", "--kind", "community", "--id", "aromos")
    ok(
        "grant",
        "new",
        "--funder",
        "fundacion",
        "--title",
        "Fondo 2026",
        "--amount",
        amounts["grant"],
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--id",
        "fondo-2026",
    )
    ok(
        "subcontract",
        "new",
        "--grant",
        "fondo-2026",
        "--partner",
        "aromos",
        "--kind",
        "subaward",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--line",
        f"talleres={amounts['line']}",
        "--id",
        "aromos-2026",
    )
    ok(
        "subcontract",
        "risk",
        "aromos-2026",
        "--level",
        "low",
        "--by",
        "Coordinación",
        "--on",
        "2026-01-05",
    )
    ok("subcontract", "status", "aromos-2026", "active")
    ok(
        "payment",
        "add",
        "--subcontract",
        "aromos-2026",
        "--period-from",
        "2026-01-01",
        "--period-to",
        "2026-03-31",
        "--date",
        "2026-04-05",
        "--status",
        "paid",
        "--line",
        f"talleres={amounts['paid']}",
        "--id",
        "f-001",
    )


@freeze_time("2026-07-02 12:00:00")
def test_summary_in_chilean_pesos_and_spanish_dates(in_tmp: Path) -> None:
    _grant_workspace(
        in_tmp / "w",
        "es_CL",
        "CLP",
        {"grant": "12.000.000", "line": "6.000.000", "paid": "1.500.000"},
    )
    out = ok("summary")
    assert "2 de julio de 2026" in out
    assert "$1.500.000" in out  # pesos: dot thousands, no decimals
    assert "$4.500.000" in out  # balance of the subcontract
    assert "aromos-2026" in out


@freeze_time("2026-07-02 12:00:00")
def test_summary_in_euros_the_catalan_way(in_tmp: Path) -> None:
    _grant_workspace(
        in_tmp / "w",
        "ca_ES",
        "EUR",
        {"grant": "120.000,00", "line": "60.000,00", "paid": "15.000,50"},
    )
    out = ok("summary")
    assert "2 de juliol del 2026" in out
    assert "15.000,50\xa0€" in out
    assert "44.999,50\xa0€" in out


@freeze_time("2026-07-02 12:00:00")
def test_summary_json_and_spend_down(in_tmp: Path) -> None:
    _grant_workspace(
        in_tmp / "w",
        "en_US",
        "USD",
        {"grant": "120,000.00", "line": "60,000.00", "paid": "15,000.50"},
    )
    data = json.loads(ok("summary", "--json"), parse_float=Decimal)
    assert data["today"] == "2026-07-02"
    (grant,) = data["grants"]
    assert grant["spend_down"]["spent"] == Decimal("15000.50")
    assert grant["spend_down"]["pace"] == "behind"  # a quarter of the money in half the year
    assert data["attention"] == []
    spend = json.loads(ok("spend-down", "--json"), parse_float=Decimal)
    # A grant's budget is its amount (obligated or not), a subcontract's its obligated budget.
    assert spend[0]["budget_basis"] == "amount" and spend[0]["budget"] == Decimal("120000.00")
    assert (spend[0]["obligated"], spend[0]["unobligated"]) == (Decimal(60000), Decimal(60000))
    assert spend[0]["unspent"] == Decimal("104999.50")  # 120,000.00 - 15,000.50
    assert spend[0]["projected_unspent"] == Decimal("90080.97")  # 120,000.00 - 29,919.03
    (sub,) = spend[0]["subcontracts"]
    assert sub["subcontract"] == "aromos-2026"
    assert sub["budget_basis"] == "obligated" and sub["budget"] == Decimal("60000.00")
    assert sub["unspent"] == Decimal("44999.50")
    assert sub["projected"] == Decimal("29919.03")  # 15,000.50 over 183 days, carried to 365
    text = " ".join(ok("spend-down").split())  # sentences wrapped at the terminal's width
    assert "behind: money may be left unspent" in text
    assert "$2,494.89 a month so far" in text  # 15,000.50 / 183 days * 30.4367
    # The text shows the same unspent amounts as the JSON, and leaves the same projection.
    assert "$104,999.50" in text and "$44,999.50" in text
    assert "leaving $90,080.97 unspent" in text
    assert "Unspent: a grant's amount, or a subcontract's obligated budget" in text
    shown = json.loads(ok("grant", "show", spend[0]["grant"], "--json"), parse_float=Decimal)
    assert shown["balance"] == spend[0]["unspent"]  # grant show's balance: the same basis


@freeze_time("2026-07-02 12:00:00")
def test_summary_of_an_empty_workspace_says_what_to_do(in_tmp: Path) -> None:
    ok("init", str(in_tmp / "w"))
    os.chdir(in_tmp / "w")
    out = ok("summary")
    assert "comunidad grant new" in out
    assert "comunidad meeting new" in out


def test_summary_outside_a_workspace(in_tmp: Path) -> None:
    code, _, err = run("summary")
    assert code == 1 and "comunidad init" in err


@pytest.mark.parametrize("command", [["summary"], ["spend-down"]])
def test_help(command: list[str]) -> None:
    assert "Usage:" in ok(*command, "--help")


@freeze_time("2026-07-02 12:00:00")
def test_summary_with_capacity_assessments_and_meetings(in_tmp: Path) -> None:
    from tests.conftest import ROOT

    ok("init", str(in_tmp / "w"), "--locale", "es")
    os.chdir(in_tmp / "w")
    ok("import", "orgs", str(ROOT / "examples" / "orgs.csv"))
    ok("import", "assessments", str(ROOT / "examples" / "capacity" / "assessments.csv"))
    out = ok("summary")
    assert "Ámbitos de capacidad más débiles" in out or "capacidad" in out
    assert " de 4 (" in out  # a domain score, with the number of organisations
    data = json.loads(ok("summary", "--json"))
    scores = [w["score"] for w in data["weakest_domains"]]
    assert scores and all(len(s.split(".")[1]) == 2 for s in scores)  # exact, to two decimals
    assert scores == sorted(scores, key=float)


@freeze_time("2026-07-02 12:00:00")
def test_summary_as_of_a_day_before_any_assessment_lists_no_weakest_domain(in_tmp: Path) -> None:
    """The summary looks for assessments made by its day before loading the capacity engine:
    before the first one nothing is listed, from its day on the domains are."""
    from tests.conftest import ROOT

    ok("init", str(in_tmp / "w"), "--locale", "en")
    os.chdir(in_tmp / "w")
    ok("import", "orgs", str(ROOT / "examples" / "orgs.csv"))
    ok("import", "assessments", str(ROOT / "examples" / "capacity" / "assessments.csv"))
    before = json.loads(ok("summary", "--json", "--as-of", "2024-03-11"))
    assert before["weakest_domains"] == []
    assert "No capacity assessments yet" in ok("summary", "--as-of", "2024-03-11")
    first = json.loads(ok("summary", "--json", "--as-of", "2024-03-12"))
    assert len(first["weakest_domains"]) == 3
    assert first["weakest_domains"] != json.loads(ok("summary", "--json"))["weakest_domains"]


@freeze_time("2026-07-02 12:00:00")
def test_spend_down_text_gives_every_subcontracts_pace_and_projection(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text shows the figures --json gives for each subcontract: its pace (ended and
    not started too), burn per month, projection and what it would leave unspent."""
    monkeypatch.setenv("COLUMNS", "200")  # one sentence a line
    _grant_workspace(
        in_tmp / "w",
        "en_US",
        "USD",
        {"grant": "120,000.00", "line": "60,000.00", "paid": "15,000.50"},
    )
    for key, start, end in (
        ("spring", "2026-02-01", "2026-05-31"),
        ("autumn", "2026-09-01", "2026-11-30"),
    ):
        ok("subcontract", "new", "--grant", "fondo-2026", "--partner", "aromos", "--kind",
           "contract", "--from", start, "--to", end, "--line", "talleres=3,000.00", "--id",
           key)  # fmt: skip
        ok("subcontract", "risk", key, "--level", "low", "--by", "Ana", "--on", "2026-01-05")
        ok("subcontract", "status", key, "active")
    ok("payment", "add", "--subcontract", "spring", "--period-from", "2026-02-01",
       "--period-to", "2026-05-31", "--date", "2026-06-05", "--status", "paid", "--line",
       "talleres=2,400.00")  # fmt: skip
    (grant,) = json.loads(ok("spend-down", "--json"), parse_float=Decimal)
    subs = {s["subcontract"]: s for s in grant["subcontracts"]}
    assert [subs[k]["pace"] for k in ("aromos-2026", "spring", "autumn")] == [
        "behind",
        "ended",
        "not_started",
    ]
    lines = ok("spend-down").splitlines()

    def said(key: str) -> str:
        (line,) = [line for line in lines if line.startswith(f"  {key}: ")]
        return line

    aromos = subs["aromos-2026"]
    assert aromos["burn_per_month"] == Decimal("2494.89")
    assert aromos["projected"] == Decimal("29919.03")
    assert aromos["projected_unspent"] == Decimal("30080.97")
    assert said("aromos-2026") == (
        "  aromos-2026: behind: money may be left unspent; $2,494.89 a month so far; at this"
        " pace $29,919.03 of its obligated budget spent by December 31, 2026, leaving"
        " $30,080.97 unspent."
    )
    assert subs["spring"]["burn_per_month"] == Decimal("608.73")  # 2,400.00 over 120 days
    assert subs["spring"]["projected"] is None
    assert said("spring") == (
        "  spring: ended on May 31, 2026; $608.73 a month on average, $600.00 unspent."
    )
    assert subs["autumn"]["burn_per_month"] is None
    assert said("autumn") == "  autumn: not started; it starts on September 1, 2026."
    assert any(
        line.startswith("fondo-2026: behind: money may be left unspent; $")
        and f"leaving ${grant['projected_unspent']:,} unspent." in line
        for line in lines
    ), lines


def test_summary_speaks_of_rounds_and_the_plan_in_force(in_tmp: Path) -> None:
    """A round's window open (its closing day), then a round awaiting a step with the next
    command; per body the plan in force (period, needs) or none."""
    from tests.funds_fixtures import ROUND, apply, open_round, workspace
    from tests.test_funds_plan import _adopt_plan

    with freeze_time("2026-02-10 23:00"):
        root = workspace(in_tmp / "w", locale="en_US")
        os.chdir(root)
        plan = _adopt_plan(
            root, [("seguridad-comunitaria", 1), ("personas-mayores", 2), ("espacios-publicos", 3)]
        )
        open_round(root)
    apply(root, "a-plaza", "junta-1", "1000000", admissible=None)
    with freeze_time("2026-04-01 12:00"):
        text = " ".join(ok("summary").split())  # as read, whatever the terminal's width
        data = json.loads(ok("summary", "--json"))["funds"]
    assert "Competitive funds and the plan" in text
    assert f"• {ROUND}: applications open until April 17, 2026" in text
    assert (
        f"directorio: plan {plan} in force, January 1, 2026 to December 31, 2027, 3 needs" in text
    )
    assert data["open"] == [{"round": ROUND, "body": "directorio", "closes": "2026-04-17"}]
    assert data["awaiting"] == []
    assert data["plans"] == [
        {
            "bylaws": "directorio-local",
            "body": "directorio",
            "plan": plan,
            "from": "2026-01-01",
            "to": "2027-12-31",
            "needs": 3,
        }
    ]
    with freeze_time("2028-01-10 12:00"):  # the plan's period is over; the round closed
        text = " ".join(ok("--locale", "es", "summary").split())
        data = json.loads(ok("summary", "--json"))["funds"]
    assert "directorio: ningún plan vigente" in text
    assert f"siguiente: comunidad fund admissibility {ROUND} --by NOMBRE" in text
    [waiting] = data["awaiting"]
    assert (waiting["round"], waiting["stage"], waiting["not_judged"]) == (ROUND, "not_judged", 1)
    assert waiting["next"] == f"comunidad fund admissibility {ROUND} --by NAME"
    assert data["plans"][0]["plan"] is None and data["open"] == []


def test_summary_without_rounds_or_plans_says_nothing_of_them(in_tmp: Path) -> None:
    ok("init", str(in_tmp / "w"), "--locale", "en")
    os.chdir(in_tmp / "w")
    assert "Competitive funds" not in ok("summary")
    assert json.loads(ok("summary", "--json"))["funds"] == {
        "open": [],
        "awaiting": [],
        "plans": [],
    }


def test_summary_without_rounds_loads_nothing_of_the_funds_engine(in_tmp: Path) -> None:
    """The funds section costs two queries in a workspace without rounds or plans: none of
    the modules that read a round (its file, applications, evaluation) is imported."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    ok("init", str(in_tmp / "w"), "--locale", "en")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "comunidad_cli", "summary"],
        cwd=in_tmp / "w",
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "comunidad_cli.services.funds.stage" in modules  # the section was read
    loaded = {
        m
        for m in modules
        if m.startswith(
            ("comunidad_cli.services.funds.views", "comunidad_cli.core.funds.evaluation")
        )
    }
    assert not loaded, loaded
