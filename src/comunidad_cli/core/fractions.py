"""Exact fractions written as strings ("1/2", "2/3"): never floats, never rounded."""

from __future__ import annotations

import re
from fractions import Fraction

_FRACTION = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+)\s*)?$")


def parse_fraction(text: str) -> Fraction | None:
    """Return the exact fraction for "n/d" or "n", or None when it is not one."""
    match = _FRACTION.match(text)
    if match is None:
        return None
    numerator = int(match.group(1))
    denominator = int(match.group(2)) if match.group(2) is not None else 1
    if denominator == 0:
        return None
    return Fraction(numerator, denominator)


def format_fraction(value: Fraction) -> str:
    """The canonical spelling: "1/2", "2/3", "1"."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def meets(count: int, total: int, threshold: Fraction, *, strict: bool) -> bool:
    """Whether `count` out of `total` is more than (strict) / at least `threshold`.

    Compared in integers: count/total > n/d  <=>  count*d > n*total, so nothing is ever
    rounded. With a zero total a strict threshold is never met and an at-least one always
    is: callers decide what an empty base means before asking.
    """
    lhs = count * threshold.denominator
    rhs = threshold.numerator * total
    return lhs > rhs if strict else lhs >= rhs


def minimum_count(total: int, threshold: Fraction, *, strict: bool) -> int:
    """The smallest integer count that meets `threshold` of `total` (may exceed total)."""
    numerator = threshold.numerator * total
    quotient, remainder = divmod(numerator, threshold.denominator)
    if strict:
        return quotient + 1
    return quotient + (1 if remainder else 0)
