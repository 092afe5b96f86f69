"""The pure rules of grant administration (core/grants/): money to the cent, amendments,
the revision flag at its edge, status, due dates across month ends and leap years, flags."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from comunidad_cli.core.grants.attention import overdraw_risk
from comunidad_cli.core.grants.budget import (
    AmendmentRecord,
    approval_problems,
    budget_line_problems,
    check_amendment,
    check_revision,
    committed,
    moved_between_lines,
    obligation_problem,
)
from comunidad_cli.core.grants.budget import position as budget_position
from comunidad_cli.core.grants.deliverables import (
    HoldingReport,
    due_dates,
    hold_problem,
    occurrence,
    schedule_problem,
)
from comunidad_cli.core.grants.payments import (
    COUNTED_STATUSES,
    check_payment,
    payment_transition_problem,
)
from comunidad_cli.core.grants.spend import elapsed_share
from comunidad_cli.core.grants.subcontracts import payable_problem, status_problem
from comunidad_cli.core.grants.values import cents_problem, parse_line_spec, precision_problem
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.values import money
from comunidad_cli.core.messages import Msg

D = Decimal
BUDGET = {"personnel": D("1000.00"), "supplies": D("500.00")}


def texts(problems: list[Msg]) -> list[str]:
    return [p.render() for p in problems]


# --- payments: to the cent --------------------------------------------------------------------


def test_a_payment_at_exactly_the_balance_is_allowed() -> None:
    spent = {"personnel": D("400.00")}
    assert check_payment(BUDGET, spent, [("personnel", D("600.00"))]) == []


def test_one_cent_over_the_line_balance_is_refused() -> None:
    spent = {"personnel": D("400.00")}
    problems = texts(check_payment(BUDGET, spent, [("personnel", D("600.01"))]))
    assert problems == [
        'the payment would overdraw line "personnel": 600.01 asked, 600.00 left (0.01 over)'
    ]


def test_each_line_is_checked_against_its_own_balance() -> None:
    spent = {"supplies": D("499.99")}
    assert check_payment(BUDGET, spent, [("supplies", D("0.01"))]) == []
    problems = texts(check_payment(BUDGET, spent, [("supplies", D("0.02"))]))
    assert problems and "(0.01 over)" in problems[0]
    # Room left on another line does not help.
    problems = texts(
        check_payment(BUDGET, spent, [("personnel", D("1.00")), ("supplies", D("0.02"))])
    )
    assert len(problems) == 1 and '"supplies"' in problems[0]


def test_repayments_cannot_make_spent_negative() -> None:
    spent = {"personnel": D("250.00")}
    assert check_payment(BUDGET, spent, [("personnel", D("-250.00"))]) == []
    problems = texts(check_payment(BUDGET, spent, [("personnel", D("-250.01"))]))
    assert problems == [
        'the repayment of 250.01 to line "personnel" is more than the 250.00 spent on it'
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("personnel", D("10.001"))], "more than two decimals"),
        ([("personnel", D("0"))], "the amount is zero"),
        (
            [("travel", D("10"))],
            'there is no budget line "travel"; the lines are personnel, supplies',
        ),
        ([("personnel", D("1")), ("personnel", D("2"))], 'category "personnel" is given twice'),
        ([], "needs at least one line"),
    ],
)
def test_payment_lines_must_be_amounts_to_the_cent_on_known_lines(
    lines: list[tuple[str, Decimal]], message: str
) -> None:
    problems = texts(check_payment(BUDGET, {}, lines))
    assert problems and message in problems[0]


def test_more_decimals_are_refused_but_trailing_zeros_are_fine() -> None:
    assert cents_problem(D("12.3400")) is None
    assert cents_problem(D("12.345")) is not None
    assert cents_problem(D("1E+3")) is None


def test_a_payment_that_does_not_count_is_not_checked_against_balances() -> None:
    spent = {"personnel": D("1000.00")}
    assert check_payment(BUDGET, spent, [("personnel", D("5.00"))], counted=False) == []
    assert check_payment(BUDGET, spent, [("travel", D("5.00"))], counted=False) != []


def test_declined_payments_do_not_count() -> None:
    assert "declined" not in COUNTED_STATUSES
    assert {"submitted", "approved", "paid"} == COUNTED_STATUSES


def test_currencies_without_cents_refuse_decimals() -> None:
    assert precision_problem(D("1500"), 0, "CLP") is None
    # The decimals as typed count: 1500,00 pesos is a question, not 1500.
    assert precision_problem(D("1500.00"), 0, "CLP") is not None
    problem = precision_problem(D("1500.50"), 0, "CLP")
    assert problem is not None and "CLP" in problem.render()
    assert precision_problem(D("1500.50"), 2, "EUR") is None


# --- budget position and amendments ---------------------------------------------------------


def test_amendments_in_force_change_the_budget_and_the_balance() -> None:
    history = [
        AmendmentRecord(1, {"personnel": D("-100.00"), "supplies": D("100.00")}),
        AmendmentRecord(2, {"travel": D("250.00")}),
        AmendmentRecord(3, {"personnel": D("-300.00")}, needs_approval=True),  # pending
    ]
    position = budget_position(BUDGET, history, {"personnel": D("850.00")})
    assert position.budgets() == {
        "personnel": D("900.00"),
        "supplies": D("600.00"),
        "travel": D("250.00"),
    }
    assert position.obligated == D("1750.00")
    assert position.spent == D("850.00")
    assert position.balance == D("900.00")
    line = position.line("personnel")
    assert line is not None and (line.original, line.amended, line.balance) == (
        D("1000.00"),
        D("-100.00"),
        D("50.00"),
    )
    approved = [
        *history[:2],
        AmendmentRecord(3, {"personnel": D("-30.00")}, True, date(2025, 5, 1)),
    ]
    assert budget_position(BUDGET, approved, {}).obligated == D("1720.00")


def test_an_amendment_may_not_leave_a_line_below_what_it_spent() -> None:
    spent = {"supplies": D("300.00")}
    assert check_amendment(BUDGET, [], spent, [("supplies", D("-200.00"))]) == []
    problems = texts(check_amendment(BUDGET, [], spent, [("supplies", D("-200.01"))]))
    assert problems == [
        'line "supplies" would be left with 299.99, less than the 300.00 already spent on it'
    ]
    problems = texts(check_amendment(BUDGET, [], {}, [("supplies", D("-500.01"))]))
    assert "would go below zero" in problems[0]
    problems = texts(check_amendment(BUDGET, [], {}, [("travel", D("-1.00"))]))
    assert 'there is no budget line "travel" to take 1.00 from' in problems[0]
    assert check_amendment(BUDGET, [], {}, [("travel", D("1.00"))]) == []


def test_money_moved_is_what_left_one_line_and_arrived_in_another() -> None:
    assert moved_between_lines({"a": D("-100"), "b": D("100")}) == D("100")
    assert moved_between_lines({"a": D("-100"), "b": D("300")}) == D("100")
    assert moved_between_lines({"a": D("-400"), "b": D("150")}) == D("150")
    assert moved_between_lines({"a": D("500")}) == D("0")


@pytest.mark.parametrize(
    ("moved", "flagged"),
    [("150.00", False), ("149.99", False), ("150.01", True), ("1500.00", True)],
)
def test_the_revision_flag_at_its_edge(moved: str, flagged: bool) -> None:
    """Obligated 1,500.00; one tenth is 150.00: exactly at the threshold is not flagged."""
    deltas = {"personnel": -D(moved), "supplies": D(moved)}
    check = check_revision(BUDGET, [], deltas, Fraction(1, 10))
    assert check.base == D("1500.00")
    assert check.needs_approval is flagged


def test_revisions_add_up_until_the_funder_approves_one() -> None:
    tenth = Fraction(1, 10)
    first = AmendmentRecord(1, {"personnel": D("-100.00"), "supplies": D("100.00")})
    check = check_revision(
        BUDGET, [first], {"personnel": D("-50.01"), "supplies": D("50.01")}, tenth
    )
    assert check.cumulative == D("150.01") and check.needs_approval
    check = check_revision(
        BUDGET, [first], {"personnel": D("-50.00"), "supplies": D("50.00")}, tenth
    )
    assert not check.needs_approval
    approved = AmendmentRecord(
        2, {"personnel": D("-200.00"), "supplies": D("200.00")}, True, date(2025, 3, 1)
    )
    check = check_revision(
        BUDGET, [first, approved], {"personnel": D("-150.00"), "supplies": D("150.00")}, tenth
    )
    assert check.cumulative == D("150.00") and not check.needs_approval


def test_a_different_threshold() -> None:
    deltas = {"personnel": D("-300.00"), "supplies": D("300.00")}
    assert not check_revision(BUDGET, [], deltas, Fraction(1, 5)).needs_approval
    assert check_revision(BUDGET, [], deltas, Fraction(1, 6)).needs_approval


def test_approving_a_revision() -> None:
    pending = AmendmentRecord(1, {"personnel": D("-600.00"), "supplies": D("600.00")}, True)
    assert approval_problems(BUDGET, [pending], 1, {}) == []
    assert (
        "would leave line"
        in texts(approval_problems(BUDGET, [pending], 1, {"personnel": D("400.01")}))[0]
    )
    assert "there is no amendment 2" in texts(approval_problems(BUDGET, [pending], 2, {}))[0]
    done = AmendmentRecord(1, pending.deltas, True, date(2025, 1, 5))
    assert "already approved" in texts(approval_problems(BUDGET, [done], 1, {}))[0]


def test_the_grant_may_not_be_overobligated_by_one_cent() -> None:
    assert obligation_problem(D("1000.00"), D("600.00"), D("400.00")) is None
    problem = obligation_problem(D("1000.00"), D("600.00"), D("400.01"))
    assert problem is not None
    assert problem.render() == (
        "the subcontracts of this grant would obligate 1000.01, more than the grant's 1000.00"
        " (0.01 over; 400.00 still available)"
    )


def test_what_a_grant_has_committed_counts_amendments_awaiting_approval() -> None:
    """The one committed total (subcontract new|amend and the imports hold it against the
    grant): original lines plus every amendment, in force or awaiting the funder."""
    pending = AmendmentRecord(1, {"personnel": D("250.00")}, needs_approval=True)
    cut = AmendmentRecord(2, {"supplies": D("-100.00")})
    other = {"travel": D("300.00")}
    assert committed([(BUDGET, [pending, cut]), (other, [])]) == D("1950.00")
    assert committed([]) == 0
    # the budget position counts only what is in force
    assert budget_position(BUDGET, [pending, cut], {}).obligated == D("1400.00")


def test_each_category_once_in_budget_lines_amendments_and_payments() -> None:
    twice = [("personnel", D("10.00")), ("personnel", D("20.00"))]
    expected = 'category "personnel" is given twice'
    assert texts(budget_line_problems(twice)) == [expected]
    assert texts(check_amendment(BUDGET, [], {}, twice)) == [expected]
    assert texts(check_payment(BUDGET, {}, twice)) == [expected]


# --- status -------------------------------------------------------------------------------------


def test_activation_requires_a_risk_assessment() -> None:
    problem = status_problem("draft", "active", has_risk=False)
    assert problem is not None and "risk assessment" in problem.render()
    assert status_problem("draft", "active", has_risk=True) is None


@pytest.mark.parametrize(
    ("current", "new", "one_step", "allowed"),
    [
        ("active", "closing", True, True),
        ("closing", "closed", True, True),
        ("active", "closed", True, False),
        ("active", "closed", False, True),
        ("closed", "active", False, False),
        ("active", "draft", True, False),
        ("active", "active", True, False),
    ],
)
def test_status_moves_forward(current: str, new: str, one_step: bool, allowed: bool) -> None:
    problem = status_problem(current, new, has_risk=True, one_step=one_step)
    assert (problem is None) is allowed


def test_payments_only_on_active_or_closing() -> None:
    assert payable_problem("active") is None
    assert payable_problem("closing") is None
    assert payable_problem("draft") is not None
    assert payable_problem("closed") is not None


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("submitted", "approved", True),
        ("submitted", "paid", True),
        ("approved", "declined", True),
        ("paid", "declined", False),
        ("declined", "approved", False),
        ("approved", "approved", False),
    ],
)
def test_payment_status_changes(old: str, new: str, allowed: bool) -> None:
    assert (payment_transition_problem(old, new) is None) is allowed


# --- due dates ----------------------------------------------------------------------------------


def test_monthly_due_dates_are_computed_from_the_first_not_chained() -> None:
    dues = due_dates(date(2025, 1, 31), 1, "months", date(2025, 6, 30))
    assert dues == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),  # not Mar 28: computed from Jan 31
        date(2025, 4, 30),
        date(2025, 5, 31),
        date(2025, 6, 30),
    ]


def test_leap_year_due_dates() -> None:
    dues = due_dates(date(2024, 1, 31), 1, "months", date(2024, 3, 31))
    assert dues == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]
    quarterly = due_dates(date(2023, 11, 30), 3, "months", date(2024, 12, 31))
    assert quarterly == [
        date(2023, 11, 30),
        date(2024, 2, 29),
        date(2024, 5, 30),
        date(2024, 8, 30),
        date(2024, 11, 30),
    ]


def test_weekly_due_dates_across_the_year_end() -> None:
    dues = due_dates(date(2024, 12, 16), 2, "weeks", date(2025, 1, 31))
    assert dues == [date(2024, 12, 16), date(2024, 12, 30), date(2025, 1, 13), date(2025, 1, 27)]
    assert due_dates(date(2024, 12, 16), 2, "weeks", date(2025, 1, 27))[-1] == date(2025, 1, 27)


def test_a_one_off_deliverable_has_one_due_date() -> None:
    assert due_dates(date(2025, 3, 1), None, None, date(2024, 1, 1)) == [date(2025, 3, 1)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((date(2025, 1, 1), None, None, None, date(2025, 2, 1)), "before the subcontract starts"),
        ((date(2025, 3, 1), 2, None, None, date(2025, 2, 1)), "needs both --every N and --unit"),
        ((date(2025, 3, 1), 0, "weeks", None, date(2025, 2, 1)), "--every must be 1 or more"),
        ((date(2025, 3, 1), None, None, date(2025, 5, 1), date(2025, 2, 1)), "--until is for"),
        (
            (date(2025, 3, 1), 1, "months", date(2025, 2, 1), date(2025, 2, 1)),
            "before the first due",
        ),
    ],
)
def test_schedule_problems(
    args: tuple[date, int | None, str | None, date | None, date], message: str
) -> None:
    problem = schedule_problem(*args)
    assert problem is not None and message in problem.render()


# --- flags relative to today --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_past", "overdue", "very_late"),
    [(-1, False, False), (0, False, False), (1, True, False), (14, True, False), (15, True, True)],
)
def test_overdue_and_very_late(days_past: int, overdue: bool, very_late: bool) -> None:
    due = date(2025, 3, 10)
    flags = occurrence(due, None, due + timedelta(days=days_past))
    assert (flags.overdue, flags.very_late) == (overdue, very_late)


def test_a_submitted_report_is_never_overdue() -> None:
    flags = occurrence(date(2025, 3, 10), date(2025, 4, 30), date(2025, 6, 1))
    assert not flags.overdue and not flags.very_late
    assert flags.late_submission and flags.days_late == 51


def test_a_report_that_holds_payments() -> None:
    report = HoldingReport(
        "Quarterly report",
        (date(2025, 3, 31), date(2025, 6, 30)),
        {date(2025, 3, 31): date(2025, 4, 15)},
    )
    assert report.overdue_on(date(2025, 3, 31)) is None  # due today: not overdue yet
    assert report.overdue_on(date(2025, 4, 1)) == date(2025, 3, 31)  # submitted later
    assert report.overdue_on(date(2025, 4, 15)) is None
    assert report.overdue_on(date(2025, 7, 1)) == date(2025, 6, 30)
    problem = hold_problem([report], date(2025, 4, 2))
    assert problem is not None and "Quarterly report" in problem.render()


def test_overdraw_risk_is_spending_ahead_of_time() -> None:
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    half = budget_position(BUDGET, [], {"personnel": D("600.00")})
    assert elapsed_share(start, end, date(2025, 7, 2)) == Fraction(183, 365)
    assert not overdraw_risk(half, start, end, date(2025, 7, 2))  # 60% spent, 50% + 10%
    assert overdraw_risk(half, start, end, date(2025, 5, 1))  # 60% spent, 33% gone
    assert elapsed_share(start, end, date(2024, 1, 1)) == 0
    assert elapsed_share(start, end, date(2026, 1, 1)) == 1


# --- what users type ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mark", "text", "expected"),
    [
        (".", "personnel=1,234.56", ("personnel", D("1234.56"))),
        (",", "personal=1.234,56", ("personal", D("1234.56"))),
        (",", "materiales=-500", ("materiales", D("-500"))),
    ],
)
def test_line_specs_in_the_locale(mark: str, text: str, expected: tuple[str, Decimal]) -> None:
    assert parse_line_spec(text, money(mark)) == expected


def test_line_specs_refuse_the_other_convention_and_bad_categories() -> None:
    with pytest.raises(Invalid, match="other decimal separator"):
        parse_line_spec("personnel=1.234,56", money("."))
    with pytest.raises(Invalid, match="category"):
        parse_line_spec("Personnel Costs=12", money("."))
    with pytest.raises(ValueError):
        parse_line_spec("personnel 12", money("."))


def test_amounts_the_database_cannot_hold_are_refused() -> None:
    assert cents_problem(D("999999999999.99")) is None
    problem = cents_problem(D("1000000000000"))
    assert problem is not None and "too large" in problem.render()
    problem = cents_problem(D("NaN"))
    assert problem is not None and "not an amount" in problem.render()
