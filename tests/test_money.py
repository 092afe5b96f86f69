"""Money typed by people (issue 8): read in the workspace's convention, refused when typed
with more decimals than its currency has, saying what it might have meant; JSON carries
every amount as an exact number with the currency's digits; foreign currencies are shown
properly; spend-down and the attention reasons agree everywhere."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.values import decimals_problem, money, written
from tests.helpers import ok, refused, run
from tests.test_summary import _grant_workspace

D = Decimal
YEAR = ["--from", "2025-01-01", "--to", "2025-12-31"]
PERIOD = ["--period-from", "2025-02-01", "--period-to", "2025-02-28", "--date", "2025-03-05"]


def exact(*args: str) -> Any:
    return json.loads(ok(*args, "--json"), parse_float=D, parse_int=D)


def workspace(folder: Path, locale: str, currency: str, amount: str) -> Path:
    """A workspace with a grant `g` of `amount` and an active subcontract `s` (lines
    personal and talleres), amounts typed in `locale`'s convention."""
    assert run("init", str(folder), "--locale", locale, "--currency", currency)[0] == 0
    os.chdir(folder)
    ok("org", "add", "Fondo", "--kind", "funder", "--id", "fondo")
    ok("org", "add", "Junta", "--kind", "community", "--id", "junta")
    ok("grant", "new", "--funder", "fondo", "--title", "G", "--id", "g", "--amount", amount,
       "--from", "2025-01-01", "--to", "2025-12-31")  # fmt: skip
    return folder


@pytest.fixture
def chile(in_tmp: Path) -> Path:
    root = workspace(in_tmp / "cl", "es_CL", "CLP", "10.000.000")
    ok("subcontract", "new", "--grant", "g", "--partner", "junta", "--kind", "subaward",
       "--from", "2025-02-01", "--to", "2025-11-30", "--id", "s",
       "--line", "personal=2.000.000", "--line", "talleres=1.000.000")  # fmt: skip
    ok("subcontract", "risk", "s", "--level", "low", "--by", "Ana", "--on", "2025-01-15")
    ok("subcontract", "status", "s", "active")
    return root


# --- the pure rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mark", "text", "digits", "currency", "expected"),
    [
        (",", "650,000", 0, "CLP", "650,000: amounts in CLP have no decimals; did you mean 650.000?"),
        (",", "3,480", 2, "EUR", "3,480: amounts in EUR have at most 2 decimals; did you mean 3.480?"),
        (".", "1.250", 2, "USD", "1.250: amounts in USD have at most 2 decimals; did you mean 1,250?"),
        (",", "-650,000", 0, "CLP", "-650,000: amounts in CLP have no decimals; did you mean -650.000?"),
        # A whole part past three digits can't be a thousands group read the other way:
        # nothing is suggested (it was "did you mean 3.480.255?", a thousand times more).
        (",", "-1250,000", 0, "CLP", "-1.250,000: amounts in CLP have no decimals; did you mean -1.250?"),
        (",", "3480,255", 2, "EUR", "3.480,255: amounts in EUR have at most 2 decimals"),
        (",", "15.000,505", 2, "EUR", "15.000,505: amounts in EUR have at most 2 decimals"),
        (",", "650,5", 0, "CLP", "650,5: amounts in CLP have no decimals"),
        (",", "12,3456", 2, "EUR", "12,3456: amounts in EUR have at most 2 decimals"),
        (None, "1.250", 2, "USD", "1.250: amounts in USD have at most 2 decimals; did you mean 1.25?"),
        (None, "1.255", 2, "USD", "1.255: amounts in USD have at most 2 decimals"),
        (",", "650.000,00", 0, "CLP", "650.000,00: amounts in CLP have no decimals; did you mean 650.000?"),
        (",", "0,500", 0, "CLP", "0,500: amounts in CLP have no decimals"),
    ],
)  # fmt: skip
def test_too_many_decimals_ask_what_was_meant(
    mark: str | None, text: str, digits: int, currency: str, expected: str
) -> None:
    amount = money(mark)(text)
    problem = decimals_problem(amount, digits, currency, mark)
    assert problem is not None and problem.render() == expected


@pytest.mark.parametrize(
    ("mark", "text", "digits", "value"),
    [
        (",", "1.250", 0, D(1250)),  # es_CL pesos: a thousands group
        (",", "3.480,25", 2, D("3480.25")),  # ca_ES euros
        (".", "1,250.5", 2, D("1250.5")),
        (None, "1500", 0, D(1500)),
    ],
)
def test_amounts_in_the_convention_stay_accepted(
    mark: str | None, text: str, digits: int, value: Decimal
) -> None:
    amount = money(mark)(text)
    assert amount == value and decimals_problem(amount, digits, "XXX", mark) is None


def test_a_command_line_amount_is_not_in_a_file() -> None:
    with pytest.raises(Invalid) as typed:
        money(",", origin="option")("1,234.56")
    assert "in this file" not in typed.value.msg.render()
    assert "in this workspace" in typed.value.msg.render()
    with pytest.raises(Invalid) as filed:
        money(",")("1,234.56")
    assert "in this file" in filed.value.msg.render()


def test_written_groups_the_whole_part() -> None:
    assert written(D("1250000.5"), ",") == "1.250.000,5"
    assert written(D("1250000.50"), ".") == "1,250,000.50"
    assert written(D("-650"), ",") == "-650"
    assert written(D("1250000.5"), None) == "1250000.5"


# --- every option and import column -----------------------------------------------------------


def test_pesos_typed_with_decimals_are_refused_everywhere(chile: Path) -> None:
    err = refused(chile, "payment", "add", "--subcontract", "s", *PERIOD, "--status",
                  "submitted", "--line", "personal=650,000")  # fmt: skip
    assert "650,000" in err and "CLP" in err and "650.000?" in err
    assert "in this file" not in err and "en este archivo" not in err
    for args in (
        ["grant", "new", "--funder", "fondo", "--title", "Otro", *YEAR, "--amount", "650,000"],
        ["grant", "new", "--funder", "fondo", "--title", "Otro", *YEAR, "--amount", "650",
         "--match", "1,500"],
        ["subcontract", "new", "--grant", "g", "--partner", "fondo", "--kind", "contract",
         "--from", "2025-02-01", "--to", "2025-03-01", "--line", "personal=650,000"],
        ["subcontract", "amend", "s", "--effective", "2025-03-01", "--reason", "x",
         "--line", "personal=-650,000", "--line", "talleres=650,000"],
        ["resource", "log", "--kind", "donation", "--description", "Pan", "--received",
         "650,000"],
        ["resource", "log", "--kind", "donation", "--description", "Pan", "--received", "5,5",
         "--grant", "g"],
    ):  # fmt: skip
        err = refused(chile, *args)
        assert "CLP" in err, (args, err)
    ok("payment", "add", "--subcontract", "s", *PERIOD, "--status", "submitted",
       "--line", "personal=650.000")  # fmt: skip
    paid = exact("payment", "list")
    assert [p["total"] for p in paid] == [D(650000)]
    assert ".00" not in ok("payment", "list", "--json")  # pesos have no cents


def test_euros_and_dollars_typed_with_a_group_are_questions(in_tmp: Path) -> None:
    root = workspace(in_tmp / "ca", "ca_ES", "EUR", "100.000")
    ok("subcontract", "new", "--grant", "g", "--partner", "junta", "--kind", "subaward",
       "--from", "2025-02-01", "--to", "2025-11-30", "--id", "s",
       "--line", "personal=3.480,25")  # fmt: skip
    assert exact("subcontract", "show", "s")["obligated"] == D("3480.25")
    err = refused(root, "subcontract", "amend", "s", "--effective", "2025-03-01", "--reason",
                  "x", "--line", "personal=3,480")  # fmt: skip
    assert "3,480" in err and "3.480?" in err and "EUR" in err
    os.chdir(in_tmp)
    root = workspace(in_tmp / "en", "en", "USD", "100,000")
    err = refused(
        root, "grant", "new", "--funder", "fondo", "--title", "H", *YEAR, "--amount", "1.250"
    )
    assert "1.250: amounts in USD have at most 2 decimals; did you mean 1,250?" in err


def test_import_columns_refuse_them_with_the_row(chile: Path) -> None:
    lines = chile / "lines.csv"
    lines.write_text("subcontract;category;amount\ns;materiales;650,000\n", encoding="utf-8")
    err = refused(chile, "import", "budget-lines", str(lines))
    assert "lines.csv:2" in err and "650,000" in err and "650.000?" in err
    grants = chile / "grants.csv"
    grants.write_text(
        "id;funder;title;amount;currency;from;to;match\n"
        "h;fondo;H;1.500.000;CLP;2025-01-01;2025-12-31;1,500\n",
        encoding="utf-8",
    )
    err = refused(chile, "import", "grants", str(grants))
    assert "grants.csv:2" in err and "1,500" in err and "1.500?" in err
    payments = chile / "payments.csv"
    payments.write_text(
        "payment;subcontract;period_from;period_to;date;status;category;amount\n"
        "p;s;2025-02-01;2025-02-28;2025-03-05;paid;personal;650,000\n",
        encoding="utf-8",
    )
    err = refused(chile, "import", "payments", str(payments))
    assert "payments.csv:2" in err and "650.000?" in err
    resources = chile / "resources.csv"
    resources.write_text(
        "id;kind;description;grant;source;pledged;received;hours;date\n"
        "r;donation;Pan;;;;650,000;;2025-03-01\n",
        encoding="utf-8",
    )
    err = refused(chile, "import", "resources", str(resources))
    assert "resources.csv:2" in err and "650.000?" in err
    payments.write_text(payments.read_text().replace("650,000", "650.000"), encoding="utf-8")
    ok("import", "payments", str(payments))
    ok("export", "payments", "--format", "csv", "--output", "out.csv")
    exported = (chile / "out.csv").read_text(encoding="utf-8-sig")
    assert ";650000\n" in exported  # pesos without ",00": it imports back unchanged
    code, _out, err = run("import", "payments", str(chile / "out.csv"))
    assert code == 0, err


def test_the_other_convention_suggests_the_locales_writing_in_the_currencys_digits(
    chile: Path,
) -> None:
    err = refused(chile, "grant", "new", "--funder", "fondo", "--title", "Otro", *YEAR,
                  "--amount", "30,000,000")  # fmt: skip
    assert "30,000,000" in err and "30.000.000?" in err
    assert "1234 / 1.234" in err and "1234,56" not in err  # pesos have no decimals
    err = refused(chile, "grant", "new", "--funder", "fondo", "--title", "Euro", *YEAR,
                  "--currency", "EUR", "--amount", "15,000.50")  # fmt: skip
    assert "1234,56 / 1.234,56" in err and "15.000,50?" in err
    err = refused(chile, "payment", "add", "--subcontract", "s", *PERIOD, "--status",
                  "submitted", "--line", "personal=1,234.00")  # fmt: skip
    assert "1.234?" in err and "1234 / 1.234" in err
    err = refused(chile, "resource", "log", "--kind", "donation", "--description", "Pan",
                  "--received", "650,000.00")  # fmt: skip
    assert "650.000?" in err and "1234 / 1.234" in err
    grants = chile / "grants.csv"
    grants.write_text(
        "id;funder;title;amount;currency;from;to\nh;fondo;H;30,000,000;CLP;2025-01-01;2025-12-31\n",
        encoding="utf-8",
    )
    err = refused(chile, "import", "grants", str(grants))
    assert "grants.csv:2" in err and "30.000.000?" in err and "1234 / 1.234" in err


def test_a_line_refusal_has_one_prefix_style(chile: Path) -> None:
    """`--line personal:` whether the parser or the currency refuses the amount."""
    for amount in ("1.25", "1,25", "abc"):
        err = refused(chile, "subcontract", "amend", "s", "--effective", "2025-03-01",
                      "--reason", "x", "--line", f"personal={amount}")  # fmt: skip
        assert "--line personal: " in err and "personal=" not in err, err
        assert "1.25?" not in err and "1,25?" not in err  # nothing pesos could hold


def test_the_example_follows_the_currencys_digits() -> None:
    with pytest.raises(Invalid) as pesos:
        money(",", digits=0)("1.25")
    assert pesos.value.msg.params["example"] == "1234 / 1.234"
    assert "suggestion" not in pesos.value.msg.params  # 1,25 pesos is no amount either
    with pytest.raises(Invalid) as euros:
        money(",", digits=2)("1.25")
    assert euros.value.msg.params["example"] == "1234,56 / 1.234,56"
    assert euros.value.msg.params["suggestion"] == "1,25"
    with pytest.raises(Invalid) as dollars:
        money(".", origin="option", digits=2)("1.234,56")
    assert dollars.value.msg.render().endswith("as 1234.56 / 1,234.56; did you mean 1,234.56?")


def test_json_amounts_with_decimals_are_refused_too(chile: Path) -> None:
    lines = chile / "lines.json"
    lines.write_text('[{"subcontract": "s", "category": "otros", "amount": 650.000}]')
    err = refused(chile, "import", "budget-lines", str(lines))
    # JSON has one convention: 650.000 is 650 with zeros too many, never six hundred thousand.
    assert "650.000" in err and "CLP" in err and "650?" in err and "650.000?" not in err


# --- attention: one set of reasons everywhere --------------------------------------------------


@freeze_time("2026-07-02 12:00:00")
def test_a_revision_awaiting_the_funder_needs_attention_everywhere(in_tmp: Path) -> None:
    _grant_workspace(
        in_tmp / "w", "en_US", "USD", {"grant": "120,000.00", "line": "60,000.00", "paid": "500"}
    )
    ok("subcontract", "amend", "aromos-2026", "--effective", "2026-07-01", "--reason", "Move",
       "--line", "talleres=-20,000", "--line", "personal=20,000")  # fmt: skip
    (listed,) = exact("subcontract", "list")
    assert listed["flags"] == ["revision_awaiting_approval"]  # nothing else is wrong
    assert "revision awaiting approval" in ok("subcontract", "list")
    grant = exact("grant", "show", "fondo-2026")
    assert grant["needing_attention"] == ["aromos-2026"]
    assert "revision awaiting approval" in ok("grant", "show", "fondo-2026")
    summary = exact("summary")
    assert summary["attention"] == [
        {
            "subcontract": "aromos-2026",
            "partner": "aromos",
            "grant": "fondo-2026",
            "flags": ["revision_awaiting_approval"],
        }
    ]
    assert "budget revision awaiting the funder's approval" in " ".join(ok("summary").split())
    ok("subcontract", "approve-revision", "aromos-2026", "--amendment", "1", "--on", "2026-07-02")
    assert exact("grant", "show", "fondo-2026")["needing_attention"] == []
    assert exact("summary")["attention"] == []


# --- foreign currencies shown properly ---------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "currency", "amount", "shown"),
    [
        ("es_CL", "EUR", "15000.50", "EUR\xa015.000,50"),  # a code apart from the digits
        ("es_CL", "USD", "15000.5", "US$15.000,50"),
        ("es_CL", "CLP", "15000.00", "$15.000"),  # pesos: no decimals
        ("ca_ES", "CLP", "15000.00", "15.000\xa0CLP"),
        ("ca_ES", "EUR", "0.005", "0,01\xa0€"),  # half-up to the cent
        ("en", "EUR", "15000.5", "€15,000.50"),
        ("en", "CLP", "-15000", "-CLP\xa015,000"),
    ],
)
def test_money_in_any_currency_reads_properly(
    locale: str, currency: str, amount: str, shown: str
) -> None:
    from comunidad_cli import i18n

    i18n.activate(locale)
    assert i18n.format_money(D(amount), currency) == shown


def test_a_euro_grant_in_a_chilean_workspace(chile: Path) -> None:
    ok("grant", "new", "--funder", "fondo", "--title", "Euros", "--id", "eu", *YEAR,
       "--currency", "EUR", "--amount", "15.000,50")  # fmt: skip
    assert "EUR\xa015.000,50" in ok("grant", "show", "eu")
    assert "EUR15" not in ok("grant", "list")


# --- every --json of the grant side carries money one way ---------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: Strings that are numbers on purpose: exact ratios and percentages, capacity scores.
NOT_MONEY = {"exact", "percent", "score"}
MONEY_KEYS = {
    "amount", "match_required", "obligated", "unobligated", "spent", "paid", "balance",
    "original", "budget", "unspent", "burn_per_month", "projected", "projected_unspent",
    "total", "delta", "change", "moved", "pledged", "received", "outstanding", "mobilised",
    "match", "counted", "cash", "in_kind", "required", "shortfall", "not_counted_from_funder",
}  # fmt: skip


def money_fields(data: Any, key: str = "") -> list[tuple[str, Any]]:
    """Every money value in a JSON document, with its key; fails on a number written as text."""
    found: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            found += money_fields(v, k)
    elif isinstance(data, list):
        for v in data:
            found += money_fields(v, key)
    elif isinstance(data, str):
        assert key in NOT_MONEY or not data.replace(".", "", 1).lstrip("-").isdigit(), (key, data)
    elif key in MONEY_KEYS and data is not None:
        assert isinstance(data, Decimal), (key, data)
        found.append((key, data))
    return found


@freeze_time("2026-03-01 12:00:00")  # within the grants' periods: projections are made
def test_every_json_gives_money_as_numbers(in_tmp: Path) -> None:
    assert run("init", "xarxa", "--locale", "ca_ES", "--currency", "EUR")[0] == 0
    os.chdir(in_tmp / "xarxa")
    with (in_tmp / "xarxa" / "comunidad.toml").open("a", encoding="utf-8") as config:
        config.write('volunteer_hour_rate = "33,49"\n'.replace(",", "."))
    for kind in ("orgs", "grants", "subcontracts", "budget-lines", "deliverables",
                 "submissions", "payments"):  # fmt: skip
        ok("import", kind, str(EXAMPLES / "grants" / f"{kind}.csv"))
    # A grant in pesos beside the euros: its amounts have no decimals anywhere.
    ok("grant", "new", "--funder", "fundacio-barri-viu", "--title", "Pesos", "--id", "pesos",
       "--currency", "CLP", "--amount", "5.000.000", "--match", "1.000.000", *YEAR)  # fmt: skip
    partner = exact("subcontract", "list")[0]["partner"]
    ok("subcontract", "new", "--grant", "pesos", "--partner", partner, "--kind", "contract",
       "--from", "2025-02-01", "--to", "2025-11-30", "--id", "pesos-1",
       "--line", "personal=2.000.000", "--line", "talleres=500.000")  # fmt: skip
    ok("subcontract", "amend", "pesos-1", "--effective", "2025-03-01", "--reason", "Més",
       "--line", "talleres=-100.000", "--line", "personal=100.000")  # fmt: skip
    ok("subcontract", "risk", "pesos-1", "--level", "low", "--by", "Montse", "--on", "2025-01-15")
    ok("subcontract", "status", "pesos-1", "active")
    ok("payment", "add", "--subcontract", "pesos-1", *PERIOD, "--status", "paid",
       "--line", "personal=350.000")  # fmt: skip
    ok("resource", "log", "--kind", "donation", "--description", "Pa", "--received", "12.000",
       "--grant", "pesos", "--on", "2025-03-01")  # fmt: skip
    ok("resource", "log", "--kind", "volunteer_hours", "--description", "Voluntaris",
       "--hours", "10,5", "--grant", "barri-viu-2025", "--on", "2025-03-01")  # fmt: skip
    ok("resource", "log", "--kind", "in_kind", "--description", "Local", "--pledged", "900,50")
    commands = [
        ["grant", "list"], ["grant", "show", "barri-viu-2025"], ["grant", "show", "pesos"],
        ["subcontract", "list"], ["subcontract", "show", "pesos-1"], ["payment", "list"],
        ["resource", "list"], ["resource", "report"], ["resource", "report", "--grant", "pesos"],
        ["resource", "report", "--grant", "barri-viu-2025"], ["summary"], ["spend-down"],
        ["spend-down", "pesos"],
    ]  # fmt: skip
    seen: set[str] = set()
    for command in commands:
        text = ok(*command, "--json")
        fields = money_fields(json.loads(text, parse_float=D, parse_int=D))
        assert fields, command
        seen |= {k for k, _v in fields}
    for kind in ("payments", "subcontracts"):
        exported = ok("export", kind, "--format", "json")
        assert money_fields(json.loads(exported, parse_float=D, parse_int=D))
    assert seen >= {"amount", "obligated", "spent", "unspent", "pledged", "received", "match",
                    "delta", "total", "projected", "mobilised"}  # fmt: skip
    pesos = ok("spend-down", "pesos", "--json") + ok("subcontract", "show", "pesos-1", "--json")
    assert ".00" not in pesos and "350000" in pesos and "2100000" in pesos
    assert '"amount": 180000.00' in ok("grant", "show", "barri-viu-2025", "--json")


def test_hours_typed_with_a_group_are_not_read_as_decimals(in_tmp: Path) -> None:
    root = workspace(in_tmp / "en", "en", "USD", "100,000")
    with (root / "comunidad.toml").open("a", encoding="utf-8") as config:
        config.write('volunteer_hour_rate = "30.00"\n')
    err = refused(root, "resource", "log", "--kind", "volunteer_hours", "--description", "V",
                  "--hours", "1.250")  # fmt: skip
    assert "more than two decimals (1.250)" in err
    ok("resource", "log", "--kind", "volunteer_hours", "--description", "V", "--hours", "1,250")
    assert [r["hours"] for r in exact("resource", "list")] == [D(1250)]


def test_import_problems_show_amounts_the_way_of_the_locale_and_currency(chile: Path) -> None:
    payments = chile / "payments.csv"
    payments.write_text(
        "payment;subcontract;period_from;period_to;date;status;category;amount\n"
        "p;s;2025-02-01;2025-02-28;2025-03-05;paid;personal;2.500.000\n",
        encoding="utf-8",
    )
    err = refused(chile, "import", "payments", str(payments))
    # Pesos: no ".00", Chilean thousands (the line has 2.000.000, so 500.000 too many).
    assert "2.500.000" in err and "2.000.000" in err and "500.000" in err
    assert ",00" not in err and "2500000" not in err


def test_a_currency_with_more_decimals_than_cents_is_refused_plainly(chile: Path) -> None:
    """KWD counts 3 decimals and the Chilean UF (CLF) 4: money is kept to the cent, so they
    are refused where they are chosen, not capped at 2 and asked about later."""
    code, _, err = run("grant", "new", "--funder", "fondo", "--title", "Kuwait", "--amount",
                       "1.000", "--currency", "KWD", "--from", "2025-01-01", "--to", "2025-12-31")  # fmt: skip
    assert code == 1 and "KWD" in err and "3 decimales" in err, err
    code, _, err = run("init", str(chile.parent / "uf"), "--currency", "CLF")
    assert code == 2 and "--currency" in err and "CLF" in err and "4" in err
