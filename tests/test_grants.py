"""`comunidad grant|subcontract|payment|deliverable|export`: the rules through the CLI, every
refusal with a clear message, exit 1 (2 for usage) and the database unchanged."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.services.grants.positions import grant_positions, subcontract_positions
from tests.conftest import subprocess_env
from tests.helpers import database_of, dump, ok, refused, run

D = Decimal


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    """An English workspace in euros with a funder, two partners and a grant of 100,000.00."""
    assert run("init", "w", "--locale", "en", "--currency", "EUR")[0] == 0
    root = in_tmp / "w"
    os.chdir(root)
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "funder")
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    ok("org", "add", "Amigos del Parque", "--kind", "community", "--id", "amigos")
    ok(
        "grant",
        "new",
        "--funder",
        "funder",
        "--title",
        "Best Start 2025",
        "--amount",
        "100,000.00",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--id",
        "bs",
        "--match",
        "20,000",
    )
    return root


def new_subcontract(*lines: str, key: str = "casa-1", partner: str = "casa") -> None:
    args = ["subcontract", "new", "--grant", "bs", "--partner", partner, "--kind", "subaward"]
    args += ["--from", "2025-02-01", "--to", "2025-11-30", "--id", key]
    for line in lines or ("personnel=1,000.00", "supplies=500.00"):
        args += ["--line", line]
    ok(*args)


def activate(key: str = "casa-1") -> None:
    ok("subcontract", "risk", key, "--level", "low", "--by", "Ana", "--on", "2025-01-15")
    ok("subcontract", "status", key, "active")


def pay(
    *lines: str, key: str | None = None, status: str = "submitted", day: str = "2025-03-05"
) -> tuple[int, str, str]:
    args = ["payment", "add", "--subcontract", "casa-1", "--period-from", "2025-02-01"]
    args += ["--period-to", "2025-02-28", "--date", day, "--status", status]
    for line in lines:
        args += ["--line", line]
    if key:
        args += ["--id", key]
    return run(*args)


def position(key: str = "casa-1") -> dict[str, object]:
    data: dict[str, object] = json.loads(ok("subcontract", "show", key, "--json"), parse_float=D)
    return data


# --- grants and subcontracts ------------------------------------------------------------------


def test_a_grant_command_group_builds_only_its_own_module() -> None:
    """`comunidad payment ...` builds the payment group alone (cli/app.py's LAZY registry
    names each group's module): not the other grant groups, no SQLAlchemy before it runs."""
    code = (
        "import sys, typer, typer.main\n"
        "from comunidad_cli.cli.app import app\n"
        "root = typer.main.get_command(app)\n"
        "assert root.get_command(typer.Context(root), 'payment') is not None\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('comunidad_cli.cli.grants',"
        " 'sqlalchemy')))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "comunidad_cli.cli.grants",
        "comunidad_cli.cli.grants.common",
        "comunidad_cli.cli.grants.payment",
        "comunidad_cli.cli.grants.render",
    ]


def test_grant_show_and_list(ws: Path) -> None:
    grant = json.loads(ok("grant", "show", "bs", "--json"))
    assert grant["amount"] == 100000 and grant["match_required"] == 20000
    assert grant["currency"] == "EUR" and grant["funder"] == "funder"
    assert grant["subcontracts"] == []
    out = ok("grant", "list")
    assert "Best Start 2025" in out and "€100,000.00" in out


def test_activation_without_a_risk_assessment_is_refused(ws: Path) -> None:
    new_subcontract()
    err = refused(ws, "subcontract", "status", "casa-1", "active")
    assert "cannot leave draft without a risk assessment" in err
    ok("subcontract", "risk", "casa-1", "--level", "medium", "--by", "Ana", "--on", "2025-01-15")
    code, _, err = run("subcontract", "status", "casa-1", "active")
    assert code == 0 and "draft -> active" in err
    assert refused(ws, "subcontract", "status", "casa-1", "closed").count("cannot become closed")


def test_payments_to_the_cent(ws: Path) -> None:
    new_subcontract()
    activate()
    assert pay("personnel=600.00", "supplies=100.00")[0] == 0
    # personnel has 400.00 left: one cent over is refused, exactly the balance is allowed.
    err = refused(
        ws,
        "payment",
        "add",
        "--subcontract",
        "casa-1",
        "--period-from",
        "2025-02-01",
        "--period-to",
        "2025-02-28",
        "--date",
        "2025-03-05",
        "--status",
        "submitted",
        "--line",
        "personnel=400.01",
    )
    assert 'overdraw line "personnel": €400.01 asked, €400.00 left (€0.01 over)' in err
    assert pay("personnel=400.00")[0] == 0
    data = position()
    assert data["spent"] == 1100 and data["balance"] == 400
    lines = {line["category"]: line for line in data["lines"]}  # type: ignore[attr-defined]
    assert lines["personnel"]["balance"] == 0
    # A repayment brings money back; it cannot take back more than was spent.
    assert pay("supplies=-100.00")[0] == 0
    assert "more than the €0.00 spent" in refused(
        ws,
        "payment",
        "add",
        "--subcontract",
        "casa-1",
        "--period-from",
        "2025-02-01",
        "--period-to",
        "2025-02-28",
        "--date",
        "2025-03-05",
        "--status",
        "paid",
        "--line",
        "supplies=-0.01",
    )


def test_declined_payments_free_the_money(ws: Path) -> None:
    new_subcontract()
    activate()
    assert pay("supplies=500.00", key="inv-1")[0] == 0
    assert pay("supplies=0.01")[0] == 1
    ok("payment", "status", "inv-1", "declined")
    assert pay("supplies=500.00")[0] == 0
    err = refused(ws, "payment", "status", "inv-1", "approved")
    assert "a declined payment cannot become approved" in err


def test_amendments_change_the_balance_and_keep_history(ws: Path) -> None:
    new_subcontract()
    activate()
    assert pay("supplies=500.00")[0] == 0
    assert pay("supplies=50.00")[0] == 1
    code, _, err = run(
        "subcontract",
        "amend",
        "casa-1",
        "--effective",
        "2025-04-01",
        "--reason",
        "More workshops",
        "--line",
        "supplies=50.00",
    )
    assert code == 0, err
    assert "obligated €1,500.00 -> €1,550.00" in err and "funder" not in err
    assert pay("supplies=50.00")[0] == 0
    assert pay("supplies=0.01")[0] == 1
    code, _, err = run(
        "subcontract",
        "amend",
        "casa-1",
        "--effective",
        "2025-05-01",
        "--reason",
        "Less supplies",
        "--line",
        "supplies=-10.00",
    )
    assert code == 1 and "less than the €550.00 already spent" in err
    data = position()
    assert [a["number"] for a in data["amendments"]] == [1]  # type: ignore[attr-defined]
    assert data["obligated"] == 1550


def test_the_revision_flag_at_the_edge(ws: Path) -> None:
    new_subcontract()  # obligated 1,500.00: one tenth is 150.00
    code, _, err = run(
        "subcontract",
        "amend",
        "casa-1",
        "--effective",
        "2025-04-01",
        "--reason",
        "Move",
        "--line",
        "personnel=-150.00",
        "--line",
        "supplies=150.00",
    )
    assert code == 0 and "Needs the funder's approval" not in err
    code, _, err = run(
        "subcontract",
        "amend",
        "casa-1",
        "--effective",
        "2025-04-02",
        "--reason",
        "Move more",
        "--line",
        "personnel=-0.01",
        "--line",
        "supplies=0.01",
    )
    assert code == 0
    assert "Needs the funder's approval: €0.01 moved between lines (€150.01 since the last" in err
    data = position()
    assert data["lines"][1]["budget"] == 650  # type: ignore[index]  # the pending move is not in force
    assert data["flags"] == ["missing_risk_assessment", "revision_awaiting_approval"]
    with freeze_time("2025-04-10"):
        ok("subcontract", "approve-revision", "casa-1", "--amendment", "2", "--on", "2025-04-09")
        assert "already approved" in refused(
            ws,
            "subcontract",
            "approve-revision",
            "casa-1",
            "--amendment",
            "2",
            "--on",
            "2025-04-09",
        )
        assert "did not need" in refused(
            ws,
            "subcontract",
            "approve-revision",
            "casa-1",
            "--amendment",
            "1",
            "--on",
            "2025-04-09",
        )
    data = position()
    assert data["lines"][1]["budget"] == D("650.01")  # type: ignore[index]
    assert data["amendments"][1]["status"] == "approved"  # type: ignore[index]


def test_the_threshold_comes_from_the_workspace(ws: Path) -> None:
    config = ws / "comunidad.toml"
    config.write_text(config.read_text() + 'revision_threshold = "1/5"\n')
    new_subcontract()
    code, _, err = run(
        "subcontract",
        "amend",
        "casa-1",
        "--effective",
        "2025-04-01",
        "--reason",
        "Move",
        "--line",
        "personnel=-300.00",
        "--line",
        "supplies=300.00",
    )
    assert code == 0 and "Needs the funder's approval" not in err


def test_the_grant_cannot_be_overobligated(ws: Path) -> None:
    new_subcontract("personnel=60,000.00")
    err = refused(
        ws,
        "subcontract",
        "new",
        "--grant",
        "bs",
        "--partner",
        "amigos",
        "--kind",
        "contract",
        "--from",
        "2025-02-01",
        "--to",
        "2025-11-30",
        "--line",
        "personnel=40,000.01",
    )
    assert "would obligate €100,000.01, more than the grant's €100,000.00 (€0.01 over" in err
    new_subcontract("personnel=40,000.00", key="amigos-1", partner="amigos")
    assert "more than the grant's" in refused(
        ws,
        "subcontract",
        "amend",
        "amigos-1",
        "--effective",
        "2025-04-01",
        "--reason",
        "More",
        "--line",
        "personnel=0.01",
    )


ORDER = ["--from", "2025-02-01", "--to", "2025-11-30"]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (
            [
                "grant",
                "new",
                "--funder",
                "funder",
                "--title",
                "X",
                "--amount",
                "-5",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
            ],
            "--amount: -€5.00 is not allowed here: the amount must be more than zero",
            1,
        ),
        (
            [
                "grant",
                "new",
                "--funder",
                "funder",
                "--title",
                "X",
                "--amount",
                "1.234,56",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
            ],
            '--amount: "1.234,56" is written with the other decimal separator',
            1,
        ),
        (
            [
                "grant",
                "new",
                "--funder",
                "funder",
                "--title",
                "X",
                "--amount",
                "10",
                "--from",
                "2025-12-31",
                "--to",
                "2025-01-01",
            ],
            "the period ends (Jan 1, 2025) before it starts (Dec 31, 2025)",
            1,
        ),
        (
            [
                "grant",
                "new",
                "--funder",
                "nobody",
                "--title",
                "X",
                "--amount",
                "10",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
            ],
            'no organisation with id "nobody"',
            1,
        ),
        (
            [
                "grant",
                "new",
                "--funder",
                "funder",
                "--title",
                "X",
                "--amount",
                "10",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--currency",
                "euros",
            ],
            "not an ISO 4217 currency code",
            1,
        ),
        (
            [
                "grant",
                "new",
                "--funder",
                "funder",
                "--title",
                "X",
                "--amount",
                "10",
                "--from",
                "1/1/2025",
                "--to",
                "2025-12-31",
            ],
            '--from: "1/1/2025" is not a date',
            2,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "bs",
                "--partner",
                "casa",
                "--kind",
                "grant",
                *ORDER,
                "--line",
                "a=1",
            ],
            '--kind: "grant" is not one of: subaward, contract',
            1,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "nope",
                "--partner",
                "casa",
                "--kind",
                "subaward",
                *ORDER,
                "--line",
                "a=1",
            ],
            'no grant with id "nope"',
            1,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "bs",
                "--partner",
                "casa",
                "--kind",
                "subaward",
                "--from",
                "2024-12-01",
                "--to",
                "2025-11-30",
                "--line",
                "a=1",
            ],
            "outside the grant's period",
            1,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "bs",
                "--partner",
                "casa",
                "--kind",
                "subaward",
                *ORDER,
                "--line",
                "personnel=-100",
            ],
            'line "personnel": -€100.00 is not allowed here: the amount must be more than zero',
            1,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "bs",
                "--partner",
                "casa",
                "--kind",
                "subaward",
                *ORDER,
                "--line",
                "personnel=1.234,56",
            ],
            "other decimal separator",
            1,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "bs",
                "--partner",
                "casa",
                "--kind",
                "subaward",
                *ORDER,
                "--line",
                "personnel=10.005",
            ],
            "10.005: amounts in EUR have at most 2 decimals; did you mean 10,005?",
            1,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "bs",
                "--partner",
                "casa",
                "--kind",
                "subaward",
                *ORDER,
                "--line",
                "personnel 100",
            ],
            "write it as CATEGORY=AMOUNT",
            2,
        ),
        (
            [
                "subcontract",
                "new",
                "--grant",
                "bs",
                "--partner",
                "casa",
                "--kind",
                "subaward",
                *ORDER,
            ],
            "Missing option '--line'",
            2,
        ),
        (
            [
                "payment",
                "add",
                "--subcontract",
                "nope",
                "--period-from",
                "2025-02-01",
                "--period-to",
                "2025-02-28",
                "--date",
                "2025-03-01",
                "--status",
                "paid",
                "--line",
                "a=1",
            ],
            'no subcontract with id "nope"',
            1,
        ),
        (
            [
                "payment",
                "add",
                "--subcontract",
                "casa-1",
                "--period-from",
                "2025-02-01",
                "--period-to",
                "2025-02-28",
                "--date",
                "2025-03-01",
                "--status",
                "paid",
                "--line",
                "personnel=1",
            ],
            "only recorded on active or closing subcontracts; this one is draft",
            1,
        ),
        (["payment", "status", "nope", "paid"], 'no payment with id "nope"', 1),
        (
            [
                "subcontract",
                "amend",
                "casa-1",
                "--effective",
                "2025-03-01",
                "--reason",
                " ",
                "--line",
                "personnel=1",
            ],
            "--reason: this cannot be empty",
            1,
        ),
        (
            ["subcontract", "risk", "casa-1", "--level", "extreme", "--by", "Ana"],
            '--level: "extreme" is not one of: low, medium, high',
            1,
        ),
        (["subcontract", "show", "nope"], 'no subcontract with id "nope"', 1),
        (
            [
                "deliverable",
                "add",
                "--subcontract",
                "casa-1",
                "--title",
                "Report",
                "--due",
                "2025-03-01",
                "--every",
                "2",
            ],
            "needs both --every N and --unit",
            1,
        ),
        (
            [
                "deliverable",
                "add",
                "--subcontract",
                "nope",
                "--title",
                "Report",
                "--due",
                "2025-03-01",
            ],
            'no subcontract with id "nope"',
            1,
        ),
        (
            ["deliverable", "submit", "nope", "--due", "2025-03-01", "--on", "2025-03-01"],
            'no deliverable with id "nope"',
            1,
        ),
        (["grant", "show", "nope"], 'no grant with id "nope"', 1),
    ],
)
def test_bad_inputs_write_nothing(ws: Path, args: list[str], message: str, code: int) -> None:
    new_subcontract()
    err = refused(ws, *args, code=code)
    assert message in err, err


def test_payment_period_outside_the_subcontract(ws: Path) -> None:
    new_subcontract()
    activate()
    err = refused(
        ws,
        "payment",
        "add",
        "--subcontract",
        "casa-1",
        "--period-from",
        "2025-11-01",
        "--period-to",
        "2025-12-31",
        "--date",
        "2026-01-05",
        "--status",
        "submitted",
        "--line",
        "personnel=1",
    )
    assert "outside the subcontract's period" in err


def test_amounts_in_spanish(ws: Path) -> None:
    code, _, err = run(
        "--locale",
        "es",
        "subcontract",
        "new",
        "--grant",
        "bs",
        "--partner",
        "casa",
        "--kind",
        "subaward",
        *ORDER,
        "--line",
        "personal=1.234,56",
        "--line",
        "materiales=100",
    )
    assert code == 0, err
    assert "1.334,56" in err and "€" in err
    data = json.loads(ok("subcontract", "show", "bs-casa", "--json"), parse_float=D)
    assert data["obligated"] == D("1334.56")
    code, _, err = run(
        "--locale",
        "es",
        "payment",
        "add",
        "--subcontract",
        "bs-casa",
        "--period-from",
        "2025-02-01",
        "--period-to",
        "2025-02-28",
        "--date",
        "2025-03-01",
        "--status",
        "paid",
        "--line",
        "personal=1,234.56",
    )
    assert code == 1 and "1,234.56" in err


def test_currencies_without_cents(ws: Path) -> None:
    ok(
        "grant",
        "new",
        "--funder",
        "funder",
        "--title",
        "Fondo",
        "--amount",
        "5,000,000",
        "--currency",
        "CLP",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--id",
        "fondo",
    )
    err = refused(
        ws,
        "subcontract",
        "new",
        "--grant",
        "fondo",
        "--partner",
        "casa",
        "--kind",
        "contract",
        *ORDER,
        "--line",
        "personnel=1,000.50",
    )
    assert "--line personnel: 1,000.50: amounts in CLP have no decimals" in err


# --- deliverables, today's flags and holds ----------------------------------------------------


def test_deliverables_overdue_very_late_and_holding_payments(ws: Path) -> None:
    new_subcontract()
    activate()
    code, _, err = run(
        "deliverable",
        "add",
        "--subcontract",
        "casa-1",
        "--title",
        "Monthly report",
        "--due",
        "2025-02-28",
        "--every",
        "1",
        "--unit",
        "months",
        "--holds-payments",
        "--id",
        "monthly",
    )
    assert (
        code == 0 and ": every month until Nov 30, 2025, 10 due dates from Feb 28, 2025." in err
    ), err
    listed = json.loads(ok("deliverable", "list", "--json"))
    dues = [o["due"] for o in listed[0]["occurrences"]]
    assert dues[:3] == ["2025-02-28", "2025-03-28", "2025-04-28"]
    assert dues[-1] == "2025-11-28"
    with freeze_time("2025-03-14"):  # 14 days after Feb 28: overdue, not yet very late
        data = json.loads(ok("deliverable", "list", "--overdue", "--json"))
        assert [(d["overdue"], d["very_late"]) for d in data] == [(1, 0)]
        err = refused(
            ws,
            "payment",
            "add",
            "--subcontract",
            "casa-1",
            "--period-from",
            "2025-02-01",
            "--period-to",
            "2025-02-28",
            "--date",
            "2025-03-10",
            "--status",
            "approved",
            "--line",
            "personnel=100",
        )
        assert 'payments wait for the report "Monthly report" due Feb 28, 2025' in err
        assert pay("personnel=100", key="inv-1", day="2025-03-10")[0] == 0  # submitted: fine
        assert "payments wait" in refused(ws, "payment", "status", "inv-1", "approved")
    with freeze_time("2025-03-15"):
        data = json.loads(ok("deliverable", "list", "--overdue", "--json"))
        assert [(d["overdue"], d["very_late"]) for d in data] == [(1, 1)]
        assert subcontract_positions(database_of(Path.cwd()))[0].flags() == ["very_late_reports"]
        ok("deliverable", "submit", "monthly", "--due", "2025-02-28", "--on", "2025-03-15")
        assert ok("deliverable", "list", "--overdue") == ""
        ok("payment", "status", "inv-1", "approved")
        assert "was already submitted" in refused(
            ws, "deliverable", "submit", "monthly", "--due", "2025-02-28", "--on", "2025-03-15"
        )
        assert "is not due on" in refused(
            ws, "deliverable", "submit", "monthly", "--due", "2025-03-01", "--on", "2025-03-15"
        )
        assert "is in the future" in refused(
            ws, "deliverable", "submit", "monthly", "--due", "2025-03-28", "--on", "2025-03-20"
        )


def test_next_due_is_the_first_unsubmitted_date_on_or_after_today(ws: Path) -> None:
    """A past unsubmitted report is overdue, not "next due" (it used to show Feb 28 in April)."""
    new_subcontract()
    activate()
    ok(
        "deliverable", "add", "--subcontract", "casa-1", "--title", "Monthly report",
        "--due", "2025-02-28", "--every", "1", "--unit", "months", "--id", "monthly",
    )  # fmt: skip
    with freeze_time("2025-04-10"):
        listed = json.loads(ok("deliverable", "list", "--json"))
        assert (listed[0]["next_due"], listed[0]["overdue"]) == ("2025-04-28", 2)
        assert "Apr 28, 2025" in ok("deliverable", "list")
    with freeze_time("2025-04-28"):  # due today: still next, not overdue
        assert json.loads(ok("deliverable", "list", "--json"))[0]["next_due"] == "2025-04-28"
    with freeze_time("2026-01-10"):  # every date past: nothing is next
        assert json.loads(ok("deliverable", "list", "--json"))[0]["next_due"] is None


def test_positions_flag_exactly_the_overdue_occurrences_the_deliverable_list_shows(
    ws: Path,
) -> None:
    """Positions compute only the due dates up to the day (not every one to the end): the
    same overdue reports as `deliverable list`, today and as of a past day."""
    from datetime import date

    from comunidad_cli.services.grants.deliverables import list_deliverables

    new_subcontract()
    activate()
    ok(
        "deliverable", "add", "--subcontract", "casa-1", "--title", "Monthly report",
        "--due", "2025-02-28", "--every", "1", "--unit", "months", "--id", "monthly",
    )  # fmt: skip
    ok("deliverable", "add", "--subcontract", "casa-1", "--title", "Final", "--due", "2025-11-30")
    with freeze_time("2025-05-20"):
        ok("deliverable", "submit", "monthly", "--due", "2025-03-28", "--on", "2025-04-20")
    url = database_of(Path.cwd())
    for day, as_of in (
        (date(2025, 4, 28), False),  # due that day: not overdue yet
        (date(2025, 4, 29), False),
        (date(2025, 4, 10), True),  # submitted on the 20th: overdue as of the 10th
        (date(2025, 12, 15), False),  # the one-off too, and every monthly one to the end
    ):
        shown = [
            (d.key, o.due, o.days_late, o.very_late)
            for d in list_deliverables(url, today=day, as_of=as_of)
            for o in d.overdue
        ]
        (position,) = subcontract_positions(url, today=day, as_of=as_of)
        flagged = [
            (r.deliverable, r.due, r.days_late, r.very_late) for r in position.overdue_reports
        ]
        assert flagged == sorted(shown, key=lambda r: r[1]), day
        assert flagged, day
    assert [r.due for r in position.overdue_reports][-2:] == [
        date(2025, 11, 28),
        date(2025, 11, 30),
    ]
    assert date(2025, 3, 28) not in [r.due for r in position.overdue_reports]


# --- the query functions for spend-down and the summary ---------------------------------------


def test_positions_for_reports(ws: Path) -> None:
    new_subcontract()
    activate()
    new_subcontract("personnel=2,000.00", key="amigos-1", partner="amigos")
    assert pay("personnel=900.00", status="paid")[0] == 0
    assert pay("supplies=100.00", status="declined")[0] == 0
    from datetime import date

    positions = subcontract_positions(database_of(Path.cwd()), "bs", today=date(2025, 4, 1))
    casa, amigos = sorted(positions, key=lambda p: p.key == "amigos-1")
    assert (casa.obligated, casa.spent, casa.paid, casa.balance) == (
        D("1500.00"),
        D("900.00"),
        D("900.00"),
        D("600.00"),
    )
    assert casa.overdraw_risk  # 90% of personnel spent two months into ten
    assert casa.flags() == ["overdraw_risk"]
    assert amigos.missing_risk_assessment and not amigos.overdraw_risk
    (grant,) = grant_positions(database_of(Path.cwd()), today=date(2025, 4, 1))
    assert (grant.amount, grant.obligated, grant.unobligated, grant.spent) == (
        D("100000.00"),
        D("3500.00"),
        D("96500.00"),
        D("900.00"),
    )
    assert [s.key for s in grant.needing_attention] == [casa.key, amigos.key] or {
        s.key for s in grant.needing_attention
    } == {"casa-1", "amigos-1"}


# --- exports ----------------------------------------------------------------------------------


def test_exports_neutralise_formulas_and_keep_numbers(ws: Path) -> None:
    ok(
        "org",
        "add",
        '=HYPERLINK("http://evil.example","click")',
        "--kind",
        "community",
        "--id",
        "evil",
    )
    ok("org", "add", "+1 Associació", "--kind", "community", "--id", "plus")
    ok("org", "add", "--kind", "community", "--id", "minus", "--", "-2 Cooperativa")
    ok(
        "grant",
        "new",
        "--funder",
        "funder",
        "--title",
        "@SUM(A1:A9)",
        "--amount",
        "10,000",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--id",
        "at",
    )
    for partner in ("evil", "plus", "minus"):
        ok(
            "subcontract",
            "new",
            "--grant",
            "at",
            "--partner",
            partner,
            "--kind",
            "contract",
            *ORDER,
            "--line",
            "personnel=1,000.25",
            "--id",
            f"sub-{partner}",
        )
    new_subcontract()
    activate()
    assert pay("personnel=100.10", "supplies=20", key="inv-1", status="paid")[0] == 0
    assert pay("supplies=-20.00", key="inv-2", status="paid")[0] == 0
    text = ok("export", "subcontracts")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_id = {r["id"]: r for r in rows}
    assert by_id["sub-evil"]["partner_name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert by_id["sub-plus"]["partner_name"] == "'+1 Associació"
    assert by_id["sub-minus"]["partner_name"] == "'-2 Cooperativa"
    assert by_id["sub-evil"]["grant_title"] == "'@SUM(A1:A9)"
    assert by_id["sub-evil"]["obligated"] == "1000.25"  # a number, not text
    assert by_id["casa-1"]["spent"] == "100.10"
    payments = list(csv.DictReader(io.StringIO(ok("export", "payments"))))
    assert [p["amount"] for p in payments] == ["100.10", "20.00", "-20.00"]  # no quote on -20
    data = json.loads(ok("export", "subcontracts", "--format", "json"), parse_float=Decimal)
    evil = next(d for d in data if d["id"] == "sub-evil")
    assert evil["partner_name"].startswith("=HYPERLINK")  # JSON is exact
    assert evil["obligated"] == D("1000.25")


def test_payments_export_round_trips_through_import(ws: Path) -> None:
    new_subcontract()
    activate()
    assert pay("personnel=1,000.00", "supplies=0.01", key="inv-1", status="paid")[0] == 0
    assert pay("supplies=-0.01", key="inv-2", status="submitted")[0] == 0
    for file_format in ("csv", "json"):
        target = ws / f"out.{file_format}"
        code, _, err = run("export", "payments", "--format", file_format, "--output", str(target))
        assert code == 0 and "Wrote 3 rows" in err
        before = dump(ws)
        code, _, err = run("import", "payments", str(target))
        assert code == 0 and "0 created, 2 unchanged" in err, err
        assert dump(ws) == before
    assert (ws / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # In Spanish the numbers follow the locale, so a Spanish spreadsheet reads them as numbers.
    text = ok("--locale", "es", "export", "payments")
    assert text.splitlines()[1].endswith(";personnel;1000,00")
    assert refused(ws, "export", "payments", "--format", "xlsx", code=2).count("unknown format")


def test_one_due_date_one_day_late_in_the_singular(ws: Path) -> None:
    new_subcontract()
    activate()
    code, _, err = run(
        "deliverable", "add", "--subcontract", "casa-1", "--title", "Final report",
        "--due", "2025-12-15", "--id", "final",
    )  # fmt: skip
    assert code == 0 and ": once, 1 due date, Dec 15, 2025." in err, err
    code, _, err = run(
        "deliverable", "submit", "final", "--due", "2025-12-15", "--on", "2025-12-16"
    )
    assert code == 0 and "submitted on Dec 16, 2025, 1 day late." in err, err


def test_a_budget_category_typed_as_words_is_refused_with_the_key_it_makes(ws: Path) -> None:
    """A Catalan tester typed --line "material didàctic"=3.200,00 and was shown "(e.g.
    personnel)": the refusal now gives the key those words make."""
    code, _out, err = run(
        "--locale", "ca", "subcontract", "new", "--grant", "bs", "--partner", "casa",
        "--kind", "subaward", "--from", "2025-02-01", "--to", "2025-11-30",
        "--line", "material didàctic=3.200,00",
    )  # fmt: skip
    assert code in (1, 2) and "personnel" not in err
    assert '"material didàctic" no és vàlida' in err and "(per a aquesta, material-didactic)" in err
    new_subcontract("material-didactic=3,200.00")
