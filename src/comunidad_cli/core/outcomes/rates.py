"""Rates, their confidence intervals, and change from the baseline: exact.

Every rate is a `Fraction` (numerator x scale / denominator), never a float: rounding
happens once, at the edge, in the reader's locale. The one square root (Wilson's interval)
is taken in integers, so the interval's bounds are exact to their last decimal place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import isqrt
from typing import Final

from comunidad_cli.core.outcomes.cells import Direction, Measure, Number

#: What a proportion is multiplied by to be shown in each measure's unit.
SCALE: Final[dict[Measure, int]] = {"percentage": 100, "per_1000": 1000}

#: The normal quantile for a two-sided 95% interval, as an exact fraction.
Z_95: Final = Fraction("1.96")

#: Decimal places of a Wilson bound in its unit (a proportion, a percentage, per 1,000).
PLACES: Final = 6


def rate(numerator: Number | None, denominator: int | None, measure: Measure) -> Fraction | None:
    """The cell's rate in the measure's unit, exactly; None when it has no rate.

    - percentage: 100 x numerator / denominator (None when the denominator is 0 or absent)
    - per_1000: 1,000 x numerator / denominator (likewise)
    - count: the numerator itself (no denominator)
    - median_days: the median as given (`median_days`)
    """
    if numerator is None:
        return None
    if measure == "count":
        return Fraction(numerator)
    if measure == "median_days":
        return median_days(numerator, denominator)
    if not denominator:
        return None
    if type(numerator) is int:  # the usual case, one gcd: thousands of cells a report
        return Fraction(SCALE[measure] * numerator, denominator)
    return Fraction(SCALE[measure] * Fraction(numerator), denominator)


def median_days(median: Number | None, count: int | None) -> Fraction | None:
    """The median number of days as the data give it, for a cell of `count` children.

    Aggregated data hold no person-level durations, so a median cannot be computed here:
    each cell (each group, and the total) carries its own median, worked out by whoever
    holds the records, with the number of children it is taken over as the denominator.
    A median is never added up, averaged or derived from the groups' medians. None when
    there is no median or no child (`count` 0); a negative median is refused.
    """
    if median is None or count == 0:
        return None
    value = Fraction(median)
    if value < 0:
        raise ValueError(f"a median of days cannot be negative: {median}")
    return value


def wilson(
    successes: int, n: int, z: Fraction = Z_95, places: int = PLACES
) -> tuple[Decimal, Decimal]:
    """Wilson's score interval for the proportion `successes`/`n` (0 to 1).

    Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical
    inference", JASA 22:209-212; method 3 of Newcombe (1998), Statistics in Medicine
    17:857-872, which tabulates 81/263 -> 0.2553 to 0.3662 and 0/20 -> 0 to 0.1611. With
    p = x/n:

        centre = (p + z^2/2n) / (1 + z^2/n)
        half   = z / (1 + z^2/n) * sqrt(p(1 - p)/n + z^2/4n^2)
        bounds = centre - half, centre + half

    Precision: computed in integers from the exact fractions (z is a Fraction, 1.96 by
    default), so the lower bound is the exact one rounded down to `places` decimals and the
    upper the exact one rounded up: the printed interval always contains the true one and
    is never wider than one unit in the last place on each side. Unlike the normal
    approximation it stays within 0..1 and is sound for 0 or n successes.
    """
    low, high = _wilson_units(successes, n, z, 10**places)
    return _decimal(low, places), _decimal(high, places)


def rate_interval(
    numerator: int | None,
    denominator: int | None,
    measure: Measure,
    z: Fraction = Z_95,
    places: int = PLACES,
) -> tuple[Decimal, Decimal] | None:
    """Wilson's interval of a percentage or rate per 1,000 in its own unit (`wilson` x 100
    or x 1,000, rounded outwards to `places` decimals of that unit); None for counts and
    medians (no proportion) and when there is no denominator."""
    scale = SCALE.get(measure)
    if scale is None or numerator is None or not denominator:
        return None
    low, high = _wilson_units(numerator, denominator, z, scale * 10**places)
    return _decimal(low, places), _decimal(high, places)


def _decimal(units: int, places: int) -> Decimal:
    return Decimal(units).scaleb(-places)


def _wilson_units(x: int, n: int, z: Fraction, unit: int) -> tuple[int, int]:
    """floor(lower x unit) and ceil(upper x unit) of Wilson's bounds, exactly.

    With z = zn/zd and the formula multiplied through by 2 zd^2 (n + z^2):

        bound = (A -+ zn sqrt(M/n)) / D,   A = 2 x zd^2 + zn^2,
        M = 4 zd^2 x (n - x) + n zn^2,     D = 2 (n zd^2 + zn^2)

    so bound x unit = (A unit -+ s) / D with s = sqrt(W/n), W = zn^2 M unit^2, an
    integer. isqrt gives s to within one; the exact floor/ceil is then settled by
    comparing squares in integers (s <= k  <=>  W <= n k^2 for k >= 0).
    """
    if n <= 0 or not 0 <= x <= n:
        raise ValueError(f"Wilson's interval needs 0 <= successes <= n and n > 0: {x}/{n}")
    if type(z) is not Fraction:
        z = Fraction(z)
    zn, zd = z.numerator, z.denominator
    if zn <= 0:
        raise ValueError(f"z must be positive: {z}")
    a = (2 * x * zd * zd + zn * zn) * unit
    m = 4 * zd * zd * x * (n - x) + n * zn * zn
    d = 2 * (n * zd * zd + zn * zn)
    w = zn * zn * m * unit * unit
    t = isqrt(w // n)  # t <= s < t + 1
    low = (a - t - 1) // d  # low * d <= a - t - 1 < a - s
    while (k := a - (low + 1) * d) >= 0 and w <= n * k * k:  # s <= a - (low + 1) d
        low += 1
    high = -((-(a + t + 1)) // d)  # high * d >= a + t + 1 > a + s
    while (k := (high - 1) * d - a) >= 0 and w <= n * k * k:  # s <= (high - 1) d - a
        high -= 1
    return low, high


@dataclass(frozen=True, slots=True)
class Change:
    """Where a rate stands against the indicator's baseline and target.

    `difference` = current - baseline, in the measure's unit (percentage points for a
    percentage); `relative` = difference / baseline (None for a zero baseline); `better`
    says whether it moved the better way for the indicator's direction (None: unchanged);
    `progress` = (current - baseline) / (target - baseline), the share of the way from
    the baseline to the target: 0 at the baseline, 1 at the target, above 1 beyond it,
    below 0 when it moved away (None without both, or when they are equal); `target_met`
    = current <= target when lower is better, >= when higher is (None without a target).
    """

    current: Fraction
    difference: Fraction | None
    relative: Fraction | None
    better: bool | None
    progress: Fraction | None
    target_met: bool | None


def change(
    current: Fraction | None,
    *,
    baseline: Number | None,
    target: Number | None,
    direction: Direction,
) -> Change | None:
    """The change of `current` from the baseline and towards the target (`Change`);
    None when there is no current rate (no data, or hidden)."""
    if current is None:
        return None
    if direction not in ("lower", "higher"):
        raise ValueError(f"direction must be 'lower' or 'higher': {direction!r}")
    difference = relative = progress = None
    better: bool | None = None
    target_met: bool | None = None
    if baseline is not None:
        base = Fraction(baseline)
        difference = current - base
        relative = difference / base if base else None
        if difference:
            better = (difference < 0) if direction == "lower" else (difference > 0)
    if target is not None:
        goal = Fraction(target)
        target_met = current <= goal if direction == "lower" else current >= goal
        if baseline is not None and goal != Fraction(baseline):
            progress = (current - Fraction(baseline)) / (goal - Fraction(baseline))
    return Change(current, difference, relative, better, progress, target_met)
