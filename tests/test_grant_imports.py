"""`comunidad import grants|subcontracts|budget-lines|deliverables|submissions|payments`:
the examples load in a Catalan workspace, re-run unchanged, and every refusal is per row
with nothing written."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from comunidad_cli.services.grants.positions import grant_positions, subcontract_positions
from tests.conftest import ROOT
from tests.helpers import connect, database_of, dump, ok, run, write

EXAMPLES = ROOT / "examples" / "grants"
ORDER = (
    "orgs",
    "grants",
    "subcontracts",
    "budget-lines",
    "deliverables",
    "submissions",
    "payments",
)
D = Decimal


def workspace(folder: Path, locale: str) -> Path:
    assert run("init", str(folder), "--locale", locale, "--currency", "EUR")[0] == 0
    os.chdir(folder)
    return folder


@pytest.fixture
def catalan(in_tmp: Path) -> Path:
    return workspace(in_tmp / "xarxa", "ca_ES")


@pytest.fixture
def english(in_tmp: Path) -> Path:
    return workspace(in_tmp / "w", "en")


def imported(kind: str, path: Path) -> str:
    code, _out, err = run("import", kind, str(path))
    assert code == 0, err
    return err


def refused(folder: Path, kind: str, path: Path) -> list[str]:
    before = dump(folder)
    code, _, err = run("import", kind, str(path))
    assert code == 1, err
    assert "Traceback" not in err and "nothing was imported" in err
    assert dump(folder) == before
    return [
        line.removeprefix("error: ").replace(f"{path.parent}{os.sep}", "")
        for line in err.splitlines()
        if line.startswith("error: ")
    ]


def load_examples() -> None:
    for kind in ORDER:
        imported(kind, EXAMPLES / f"{kind}.csv")


# --- the examples -----------------------------------------------------------------------------


def test_the_examples_load_and_reload_unchanged(catalan: Path) -> None:
    load_examples()
    with connect(catalan) as db:
        counts = {
            t: db.execute(f"select count(*) from {t}").fetchone()[0]
            for t in (
                "grant_award",
                "subcontract",
                "budget_line",
                "risk_assessment",
                "deliverable",
                "submission",
                "payment",
                "payment_line",
            )
        }
    assert counts == {
        "grant_award": 1,
        "subcontract": 3,
        "budget_line": 8,
        "risk_assessment": 3,
        "deliverable": 5,
        "submission": 25,
        "payment": 38,
        "payment_line": 98,
    }
    before = dump(catalan)
    for kind in ORDER:
        assert " 0 creats" in " " + imported(kind, EXAMPLES / f"{kind}.csv")  # a Catalan workspace
    assert dump(catalan) == before
    (grant,) = grant_positions(database_of(Path.cwd()))
    assert grant.amount == D("180000.00") and grant.obligated == D("144000.00")
    # The declined invoice does not count; the repayment of 250,00 does.
    spent = {p.key: p.spent for p in subcontract_positions(database_of(Path.cwd()))}
    assert spent == {
        "bordeta-2025": D("46022.80"),
        "esplai-2025": D("33615.79"),
        "sants-2025": D("56695.45"),
    }
    out = ok("subcontract", "show", "sants-2025").replace("\xa0", " ")
    assert "60.000,00 €" in out  # euros the Catalan way


def test_spanish_amounts_are_refused_in_an_english_file(english: Path) -> None:
    imported("orgs", EXAMPLES / "orgs.csv")
    problems = refused(english, "grants", EXAMPLES / "grants.csv")
    assert any(
        p.endswith(
            'grants.csv:2: amount: "180.000,00" is written with the other decimal separator:'
            " numbers in this file are expected as 1234.56 / 1,234.56; did you mean 180,000.00?"
        )
        for p in problems
    ), problems


# --- payments ---------------------------------------------------------------------------------

HEADER = "payment,subcontract,period_from,period_to,date,status,category,amount\n"


@pytest.fixture
def active(english: Path) -> Path:
    """A subcontract "casa-1" with personnel 1,000.00 and supplies 500.00, active."""
    write(english, "orgs.csv", "id,name,kind\nfunder,Funder,funder\ncasa,Casa,community\n")
    write(
        english,
        "grants.csv",
        'id,funder,title,amount,currency,from,to\ng,funder,Grant,"10,000",EUR,2025-01-01,2025-12-31\n',
    )
    write(
        english,
        "subs.csv",
        "id,grant,partner,kind,from,to,status,risk_level,risk_by,risk_on\n"
        "casa-1,g,casa,subaward,2025-01-01,2025-12-31,active,low,Ana,2025-01-02\n",
    )
    write(
        english,
        "lines.csv",
        'subcontract,category,amount\ncasa-1,personnel,"1,000.00"\ncasa-1,supplies,500\n',
    )
    for kind, name in (
        ("orgs", "orgs"),
        ("grants", "grants"),
        ("subcontracts", "subs"),
        ("budget-lines", "lines"),
    ):
        imported(kind, english / f"{name}.csv")
    return english


def test_running_balances_to_the_cent(active: Path) -> None:
    # In date order: 600.00 then 400.00 fits exactly; one cent more on row 4 is refused.
    over = write(
        active,
        "pay.csv",
        HEADER
        + "p2,casa-1,2025-02-01,2025-02-28,2025-03-05,paid,personnel,400.00\n"
        + "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,personnel,600.00\n"
        + "p3,casa-1,2025-03-01,2025-03-31,2025-04-05,submitted,personnel,0.01\n",
    )
    problems = refused(active, "payments", over)
    assert problems == [
        'pay.csv:4: the payment would overdraw line "personnel": 0.01 asked, 0.00 left (0.01 over)'
    ]
    fits = write(active, "pay.csv", over.read_text().replace(",0.01\n", ",-0.01\n"))
    assert "3 created" in imported("payments", fits)
    assert "0 created, 3 unchanged" in imported("payments", fits)


def test_a_payment_split_across_rows(active: Path) -> None:
    path = write(
        active,
        "pay.csv",
        HEADER
        + 'p1,casa-1,2025-01-01,2025-01-31,2025-02-05,submitted,personnel,"1,000.00"\n'
        + "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,submitted,supplies,500.00\n"
        + "p2,casa-1,2025-01-01,2025-01-31,2025-02-06,declined,supplies,9.99\n",
    )
    assert "2 created" in imported("payments", path)
    payments = json.loads(ok("payment", "list", "--json"), parse_float=D)
    assert [(p["id"], p["total"], p["status"]) for p in payments] == [
        ("p1", D("1500.00"), "submitted"),
        ("p2", D("9.99"), "declined"),
    ]
    # Re-import with p1 paid: its status moves on; its lines cannot change.
    submitted = path.read_text()
    paid = write(active, "pay.csv", submitted.replace("submitted", "paid"))
    assert "1 updated" in imported("payments", paid)
    changed = write(active, "pay2.csv", paid.read_text().replace("500.00", "499.00"))
    assert any("already recorded with another" in p for p in refused(active, "payments", changed))
    back = write(active, "pay3.csv", submitted)  # paid -> submitted
    assert any(
        "a paid payment cannot become submitted" in p for p in refused(active, "payments", back)
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            'p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,personnel,"1.234,56"\n',
            "other decimal separator",
        ),
        (
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,personnel,10.005\n",
            "pay.csv:2: amount: 10.005: amounts in EUR have at most 2 decimals;"
            " did you mean 10,005?",
        ),
        (
            "p1,nope,2025-01-01,2025-01-31,2025-02-05,paid,personnel,10\n",
            'subcontract: no subcontract with id "nope"',
        ),
        (
            "p1,casa-1,2025-01-31,2025-01-01,2025-02-05,paid,personnel,10\n",
            "period_to: the period ends",
        ),
        (
            "p1,casa-1,2024-12-01,2024-12-31,2025-02-05,paid,personnel,10\n",
            "outside the subcontract's period",
        ),
        (
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,travel,10\n",
            'there is no budget line "travel"',
        ),
        (
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,personnel,-10\n",
            "the repayment of 10.00",
        ),
        (
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,owed,personnel,10\n",
            'status: "owed" is not one of',
        ),
        (
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,personnel,10\n"
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-06,paid,supplies,10\n",
            'pay.csv:3: date: payment "p1" has date 2025-02-06 here but 2025-02-05 in row 2',
        ),
        (
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,personnel,10\n"
            "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,personnel,10\n",
            "duplicate of row 2",
        ),
    ],
)
def test_bad_payment_rows(active: Path, rows: str, message: str) -> None:
    problems = refused(active, "payments", write(active, "pay.csv", HEADER + rows))
    assert any(message in p for p in problems), problems


def test_payments_in_json_are_exact(active: Path) -> None:
    items = [
        {
            "payment": "p1",
            "subcontract": "casa-1",
            "period_from": "2025-01-01",
            "period_to": "2025-01-31",
            "date": "2025-02-05",
            "status": "paid",
            "category": "personnel",
            "amount": 1000.00,
        },
        {
            "payment": "p1",
            "subcontract": "casa-1",
            "period_from": "2025-01-01",
            "period_to": "2025-01-31",
            "date": "2025-02-05",
            "status": "paid",
            "category": "supplies",
            "amount": 0.1,
        },
    ]
    path = write(active, "pay.json", json.dumps(items))
    assert "1 created" in imported("payments", path)
    (position,) = subcontract_positions(database_of(Path.cwd()))
    assert position.spent == D("1000.10") and position.balance == D("499.90")


# --- grants, subcontracts, budget lines -------------------------------------------------------


def test_budget_lines_are_frozen_once_money_moves(active: Path) -> None:
    lines = write(active, "lines.csv", "subcontract,category,amount\ncasa-1,supplies,600\n")
    assert "1 updated" in imported("budget-lines", lines)
    imported(
        "payments",
        write(
            active,
            "pay.csv",
            HEADER + "p1,casa-1,2025-01-01,2025-01-31,2025-02-05,paid,supplies,10\n",
        ),
    )
    problems = refused(
        active,
        "budget-lines",
        write(active, "lines.csv", "subcontract,category,amount\ncasa-1,supplies,700\n"),
    )
    assert problems == [
        'lines.csv:2: the budget of "casa-1" is in use (it has payments or amendments): change it'
        ' with "comunidad subcontract amend"'
    ]


def test_budget_lines_may_not_overobligate_the_grant(active: Path) -> None:
    problems = refused(
        active,
        "budget-lines",
        write(active, "lines.csv", 'subcontract,category,amount\ncasa-1,travel,"8,500.01"\n'),
    )
    assert problems == [
        "lines.csv:2: the subcontracts of this grant would obligate 10,000.01, more than the"
        " grant's 10,000.00 (0.01 over; 8,500.00 still available)"
    ]


def test_activation_in_a_file_needs_a_risk_assessment(english: Path) -> None:
    write(english, "orgs.csv", "id,name,kind\nfunder,Funder,funder\ncasa,Casa,community\n")
    write(
        english,
        "grants.csv",
        "id,funder,title,amount,currency,from,to\ng,funder,Grant,10000,EUR,2025-01-01,2025-12-31\n",
    )
    imported("orgs", english / "orgs.csv")
    imported("grants", english / "grants.csv")
    path = write(
        english,
        "subs.csv",
        "id,grant,partner,kind,from,to,status\ncasa-1,g,casa,subaward,2025-01-01,2025-12-31,active\n",
    )
    problems = refused(english, "subcontracts", path)
    assert problems == [
        "subs.csv:2: status: a subcontract cannot leave draft without a risk assessment on file:"
        ' record one with "comunidad subcontract risk"'
    ]
    active = path.read_text()
    draft = write(english, "draft.csv", active.replace(",active", ",draft"))
    assert "1 created" in imported("subcontracts", draft)
    ok("subcontract", "risk", "casa-1", "--level", "low", "--by", "Ana", "--on", "2025-01-02")
    assert "1 updated" in imported("subcontracts", path)
    back = draft
    assert any("cannot become draft" in p for p in refused(english, "subcontracts", back))


def test_grants_cannot_shrink_below_their_subcontracts(active: Path) -> None:
    path = write(
        active,
        "grants.csv",
        "id,funder,title,amount,currency,from,to\ng,funder,Grant,1499.99,EUR,2025-01-01,2025-12-31\n",
    )
    problems = refused(active, "grants", path)
    assert problems == [
        "grants.csv:2: amount: the grant's subcontracts already obligate 1,500.00, more than"
        " 1,499.99"
    ]
    fine = write(active, "grants.csv", path.read_text().replace("1499.99", "1500"))
    assert "1 updated" in imported("grants", fine)


def test_deliverables_and_submissions(active: Path) -> None:
    path = write(
        active,
        "del.csv",
        "id,subcontract,title,first_due,every,unit,until,holds_payments\n"
        "monthly,casa-1,Monthly report,2025-01-31,1,months,,yes\n"
        "final,casa-1,Final report,2026-01-31,,,,\n",
    )
    assert "2 created" in imported("deliverables", path)
    listed = {d["id"]: d for d in json.loads(ok("deliverable", "list", "--json"))}
    assert [o["due"] for o in listed["monthly"]["occurrences"]][:3] == [
        "2025-01-31",
        "2025-02-28",
        "2025-03-31",
    ]
    subs = write(active, "sub.csv", "deliverable,due,submitted_on\nmonthly,2025-01-31,2025-02-03\n")
    assert "1 created" in imported("submissions", subs)
    assert "1 unchanged" in imported("submissions", subs)
    bad = write(active, "sub.csv", "deliverable,due,submitted_on\nmonthly,2025-02-03,2025-02-03\n")
    assert any("is not due on" in p for p in refused(active, "submissions", bad))
    # Paid on Mar 5 while the Feb 28 report was missing: held.
    pay = write(
        active, "pay.csv", HEADER + "p1,casa-1,2025-02-01,2025-02-28,2025-03-05,paid,personnel,10\n"
    )
    assert any(
        'payments wait for the report "Monthly report"' in p
        for p in refused(active, "payments", pay)
    )
    # A schedule change may not orphan a submission.
    moved = write(active, "del.csv", path.read_text().replace("2025-01-31,1", "2025-01-30,1"))
    assert any("has no due date" in p for p in refused(active, "deliverables", moved))
