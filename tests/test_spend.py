"""Spend-down maths: exact shares, linear projection, pace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from comunidad_cli.core.grants.attention import overdraw_risk
from comunidad_cli.core.grants.budget import position as budget_position
from comunidad_cli.core.grants.spend import Pace, elapsed_share, pace_of, spend_down

YEAR = (date(2026, 1, 1), date(2026, 12, 31))  # 365 days


def test_half_the_money_in_half_the_year_is_on_track() -> None:
    result = spend_down(
        Decimal("1000.00"), Decimal("500.00"), *YEAR, today=date(2026, 7, 2)
    )  # day 183
    assert result.elapsed == Fraction(183, 365)
    assert result.spent_share == Fraction(1, 2)
    assert result.pace is Pace.ON_TRACK
    assert result.projected == Decimal("997.27")  # 500 / 183 * 365, to the cent
    assert result.projected_unspent == Decimal("2.73")
    assert result.burn_per_month == Decimal("83.16")  # 500 / 183 * 30.4367 = 83.160
    assert result.days_left == 182


def test_pace_ahead_and_behind_at_the_margin() -> None:
    today = date(2026, 2, 19)  # day 50 of 365: elapsed 10/73 ~ 13.7 %
    ahead = spend_down(Decimal("1000"), Decimal("300"), *YEAR, today=today)
    behind = spend_down(Decimal("1000"), Decimal("0"), *YEAR, today=date(2026, 5, 1))  # 121 days
    assert ahead.pace is Pace.AHEAD and behind.pace is Pace.BEHIND
    # exactly ten points ahead of time is still on track
    exactly = spend_down(Decimal("365"), Decimal("96.50"), *YEAR, today=date(2026, 3, 1))  # 60 days
    assert exactly.spent_share == Fraction(60, 365) + Fraction(1, 10)
    assert exactly.pace is Pace.ON_TRACK


def test_before_and_after_the_period() -> None:
    before = spend_down(Decimal("1000"), Decimal("0"), *YEAR, today=date(2025, 12, 31))
    assert (before.pace, before.elapsed, before.burn_per_month, before.projected) == (
        Pace.NOT_STARTED,
        0,
        None,
        None,
    )
    after = spend_down(Decimal("1000"), Decimal("990"), *YEAR, today=date(2027, 3, 1))
    assert (after.pace, after.elapsed, after.projected, after.unspent) == (
        Pace.ENDED,
        1,
        None,
        Decimal("10"),
    )


def test_nothing_obligated() -> None:
    result = spend_down(Decimal("0"), Decimal("0"), *YEAR, today=date(2026, 6, 1))
    assert result.spent_share is None and result.pace is Pace.ON_TRACK


@given(
    spent=st.decimals(min_value=0, max_value=10**9, places=2),
    day=st.integers(min_value=1, max_value=364),
)
def test_projection_grows_with_spending(spent: Decimal, day: int) -> None:
    today = date.fromordinal(YEAR[0].toordinal() + day - 1)
    low = spend_down(Decimal("1000000"), spent, *YEAR, today=today)
    high = spend_down(Decimal("1000000"), spent + Decimal("0.01"), *YEAR, today=today)
    assert low.projected is not None and high.projected is not None
    assert high.projected >= low.projected >= spent


@given(
    spent=st.decimals(min_value=0, max_value=2000, places=2),
    day=st.integers(min_value=1, max_value=364),
)
def test_overdraw_risk_is_the_spend_down_pace_ahead(spent: Decimal, day: int) -> None:
    """One pace rule: a one-line budget is at overdraw risk exactly when spend-down says it
    is spending ahead of time (the margin, ten points, is the same on both sides)."""
    today = date.fromordinal(YEAR[0].toordinal() + day - 1)
    budget = Decimal("1000.00")
    position = budget_position({"personnel": budget}, [], {"personnel": spent})
    pace = spend_down(budget, spent, *YEAR, today=today).pace
    assert overdraw_risk(position, *YEAR, today) == (pace is Pace.AHEAD)
    assert pace_of(Fraction(spent) / Fraction(budget), elapsed_share(*YEAR, today)) is pace


def test_the_pace_margin_is_ten_points_either_way() -> None:
    half = Fraction(1, 2)
    assert pace_of(half + Fraction(1, 10), half) is Pace.ON_TRACK
    assert pace_of(half + Fraction(1, 10) + Fraction(1, 10**6), half) is Pace.AHEAD
    assert pace_of(half - Fraction(1, 10), half) is Pace.ON_TRACK
    assert pace_of(half - Fraction(1, 10) - Fraction(1, 10**6), half) is Pace.BEHIND
