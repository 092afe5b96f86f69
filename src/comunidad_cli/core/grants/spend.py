"""Spend-down: how fast money is going compared with time, and where that pace leads.

Pure and exact: shares are Fractions, money is Decimal quantized to the cent only in the
results. The projection is linear (what was spent per elapsed day, carried to the end
date), which is what a funder's program officer does on the back of an envelope; it says
nothing before the period starts or once it has ended.

One basis per row, named in every output: the **budget** is the money to be spent over the
period (a grant's award amount; a subcontract's obligated budget), **unspent** is budget
minus spent (a grant's "balance" in `grant show`), the pace compares the share of the
budget spent with the share of time gone, and the projection's **projected unspent** is
the budget minus what would be spent by the end at this pace. A grant's money not yet
obligated to partners is unspent too: it shows as a grant behind time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from comunidad_cli.core.grants.values import CENT

DAYS_PER_MONTH = Fraction(36524, 1200)  # 365.24 / 12: a calendar month on average
PACE_MARGIN = Fraction(1, 10)  # within ten points of time elapsed counts as on track


class Pace(StrEnum):
    NOT_STARTED = "not_started"
    BEHIND = "behind"  # spending slower than time: money may be left unspent
    ON_TRACK = "on_track"
    AHEAD = "ahead"  # spending faster than time: money may run out early
    ENDED = "ended"


def _money(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class SpendDown:
    budget: Decimal  # what is to be spent over the period (grant: amount; subcontract: obligated)
    spent: Decimal
    unspent: Decimal  # budget - spent
    elapsed: Fraction  # share of the period gone, 0..1
    spent_share: Fraction | None  # share of the budget spent; None when the budget is zero
    burn_per_month: Decimal | None  # average spent per month so far
    projected: Decimal | None  # spent by the end date at the pace so far
    projected_unspent: Decimal | None  # budget - projected
    days_left: int
    pace: Pace


def period_days(start: date, end: date, today: date) -> tuple[int, int]:
    """(days of [start, end] gone by the end of `today`, days in it), both days counted; a
    period is at least one day long."""
    days = max((end - start).days + 1, 1)
    return min(max((today - start).days + 1, 0), days), days


def elapsed_share(start: date, end: date, today: date) -> Fraction:
    """The share of [start, end] (both days included) elapsed by the end of `today`, 0..1."""
    done, days = period_days(start, end, today)
    return Fraction(done, days)


def pace_of(share: Fraction, elapsed: Fraction) -> Pace:
    """The spending pace while the period runs: the share of a budget spent against the share
    of time gone, on track within `PACE_MARGIN`. The one rule behind `spend-down`'s pace and
    the overdraw-risk flag."""
    if abs(share - elapsed) <= PACE_MARGIN:
        return Pace.ON_TRACK
    return Pace.AHEAD if share > elapsed else Pace.BEHIND


def spend_down(budget: Decimal, spent: Decimal, start: date, end: date, today: date) -> SpendDown:
    """The spend-down of one budget over [start, end] (both days counted) on `today`."""
    done, days = period_days(start, end, today)
    elapsed = Fraction(done, days)
    share = Fraction(spent) / Fraction(budget) if budget > 0 else None
    burn = projected = projected_unspent = None
    if done > 0:
        per_day = Fraction(spent) / done
        burn = _money(per_day * DAYS_PER_MONTH)
        if done < days:
            projected = _money(per_day * days)
            projected_unspent = budget - projected
    if done == 0:
        pace = Pace.NOT_STARTED
    elif done == days:
        pace = Pace.ENDED
    elif share is None:
        pace = Pace.ON_TRACK
    else:
        pace = pace_of(share, elapsed)
    return SpendDown(
        budget=budget,
        spent=spent,
        unspent=budget - spent,
        elapsed=elapsed,
        spent_share=share,
        burn_per_month=burn,
        projected=projected,
        projected_unspent=projected_unspent,
        days_left=days - done,
        pace=pace,
    )
