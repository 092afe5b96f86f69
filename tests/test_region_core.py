"""`core.region.region_view` as data: which facts fall in the period and how rows add up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from comunidad_cli.core.region import (
    ActivityFact,
    Amounts,
    MeetingFact,
    MoneyFact,
    Partnership,
    RegionView,
    region_view,
)

START, END = date(2026, 1, 1), date(2026, 3, 31)


def _view(today: date = date(2026, 12, 1)) -> RegionView:
    return region_view(
        START,
        END,
        today,
        [Partnership("b", "B", 2, None), Partnership("a", "A", 1, 5)],
        ["a", "a", "b", "c"],  # a seat under by-laws the folder lacks makes its own row
        [
            MeetingFact("a", START, {"adopted": 2, "no_quorum": 1, "open": 1}),
            MeetingFact("a", END, {"rejected": 1}),
            MeetingFact("a", date(2025, 12, 31), {"adopted": 5}),  # the day before
            MeetingFact("b", date(2026, 2, 10), {}),
        ],
        [
            MoneyFact("a", "EUR", END, Decimal("100.50"), Decimal(0)),  # starts on the last day
            MoneyFact("a", "USD", START, Decimal(10), Decimal(4)),
            MoneyFact("a", "EUR", date(2025, 6, 1), Decimal(999), Decimal("20.25")),  # paid only
            MoneyFact(None, "EUR", date(2026, 4, 1), Decimal(50), Decimal(0)),  # starts after
            MoneyFact(None, "EUR", date(2025, 1, 1), Decimal(70), Decimal(7)),
        ],
        [
            ActivityFact("a", Decimal("1.5"), frozenset({1, 2})),
            ActivityFact(None, Decimal(2), frozenset({2, 3})),
        ],
    )


def test_rows_and_the_total_by_hand() -> None:
    view = _view()
    a, b, c = view.partnerships
    assert [r.bylaws_id for r in (a, b, c)] == ["a", "b", "c"]
    assert (a.bodies, a.seats, a.seats_filled, a.meetings) == (1, 5, 2, 2)
    assert (a.adopted, a.rejected, a.no_quorum) == (2, 1, 1)
    assert a.money == {
        "EUR": Amounts(Decimal("100.50"), Decimal("20.25")),
        "USD": Amounts(Decimal(10), Decimal(4)),
    }
    assert (a.activities, a.hours, a.participants) == (1, Decimal("1.5"), 2)
    assert (c.name, c.bodies, c.seats_filled) == (None, 0, 1)
    loose = view.unattributed
    assert loose.money == {"EUR": Amounts(Decimal(0), Decimal(7))}
    total = view.total
    assert (total.bodies, total.seats_filled, total.seats, total.meetings) == (3, 4, None, 3)
    assert total.money["EUR"] == Amounts(Decimal("100.50"), Decimal("27.25"))
    assert (total.activities, total.hours, total.participants) == (2, Decimal("3.5"), 3)


def test_meetings_after_today_are_not_held_yet() -> None:
    view = _view(today=date(2026, 2, 10))
    a, b, _c = view.partnerships
    assert (a.meetings, b.meetings) == (1, 1)  # a's on 31 March is still to come


def test_a_referral_period_counts_when_it_lies_wholly_within() -> None:
    from comunidad_cli.core.region import period_within

    assert period_within("2026-Q1", START, END)
    assert period_within("2026-03", START, END)
    assert not period_within("2026-04", START, END)
    assert not period_within("2026", START, END)  # three months of it are outside
    assert not period_within("2025-Q4", START, END)
    assert period_within("2025-12", date(2025, 12, 1), date(2025, 12, 31))
    assert not period_within("Q4", START, END)
