"""Month arithmetic, written once (`core/when.py` `add_months`): a seat's term limit and a
deliverable's monthly due dates count months the same way, clamped to a shorter month's end.
"""

from __future__ import annotations

import calendar
from datetime import date

import pytest

from comunidad_cli.core.governance import seats
from comunidad_cli.core.grants import deliverables
from comunidad_cli.core.when import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2025, 1, 31), 2, date(2025, 3, 31)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 11, 15), 14, date(2026, 1, 15)),
        (date(2024, 3, 1), -3, date(2023, 12, 1)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
    ],
)
def test_months_are_added_with_month_end_clamping(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_month_ends_agree_with_the_calendar_in_every_month_of_four_centuries() -> None:
    """The month lengths add_months knows (no calendar call a date) are the calendar's,
    leap years of 1900, 2000 and 2100 included, forwards and backwards."""
    for year in (1899, 1900, 1999, 2000, 2023, 2024, 2099, 2100, 2299):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            for k in range(-13, 13):
                y, m = divmod(month - 1 + k, 12)
                end = calendar.monthrange(year + y, m + 1)[1]
                for day in range(28, last + 1):
                    expected = date(year + y, m + 1, min(day, end))
                    assert add_months(date(year, month, day), k) == expected


def test_seats_and_deliverables_count_months_with_the_same_function() -> None:
    """One rule, not two copies that can drift apart."""
    assert seats.add_months is add_months
    assert deliverables.add_months is add_months
