"""Disparities between groups: rate ratio, rate difference, the four-fifths flag and the
index of disparity, each against a reference group, exactly (Fractions).

The Family to Family principles commit a partnership to reduce every difference by
race/ethnicity, gender or age for each outcome; these are the measures of that difference
for one indicator, one period and one dimension (race/ethnicity, gender, age group,
neighbourhood, ...).

The reference (`reference`) is one of:

- "best": the group with the best rate of those whose rate is shown (the lowest when lower
  is better, the highest when higher is); the first of equal rates in the order given;
- "total": the period's total (the cell with no dimension and no group);
- a group's name: that group (`reference_problem` says when there is no such group).

A group whose rate is not shown (no data, hidden by `privacy.suppress`, or below the
minimum denominator) gets no figures, and is never the reference; when the reference's
own rate is not shown no group gets figures, since a ratio to a hidden rate would reveal it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Final

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.outcomes.cells import Cell, CellKey, Direction, Measure
from comunidad_cli.core.outcomes.rates import rate

#: The four-fifths rule's threshold (EEOC, Uniform Guidelines on Employee Selection
#: Procedures, 1978, 29 CFR 1607.4(D)).
FOUR_FIFTHS: Final = Fraction(4, 5)


@dataclass(frozen=True, slots=True)
class GroupDisparity:
    """One group against the reference.

    `ratio` = rate / reference rate (None when the reference rate is 0); `difference` =
    rate - reference rate, in the measure's unit (percentage points for a percentage);
    `flagged` is the four-fifths rule (`four_fifths`). All None when the group's or the
    reference's rate is not shown. `reference` is the reference group's name, None for
    the total.
    """

    period: str
    dimension: str
    group: str
    rate: Fraction | None
    reference: str | None
    reference_rate: Fraction | None
    ratio: Fraction | None
    difference: Fraction | None
    flagged: bool | None
    is_reference: bool


def four_fifths(rate_: Fraction, reference_rate: Fraction, direction: Direction) -> bool:
    """Whether a group fares worse than four-fifths of the reference.

    The EEOC's rule (29 CFR 1607.4(D)) for a rate where higher is better (a selection
    rate): flagged when rate < 4/5 x reference. For a rate where lower is better (an
    adverse outcome) it is turned round: flagged when reference < 4/5 x rate, i.e. when
    the rate ratio is more than 5/4. Both compared exactly; a group at exactly 4/5 (or
    5/4) is not flagged.
    """
    if direction == "higher":
        return rate_ * 5 < reference_rate * 4
    return reference_rate * 5 < rate_ * 4


def disparities(
    cells: Sequence[Cell],
    reference: str,
    direction: Direction,
    measure: Measure = "percentage",
    *,
    hidden: Collection[CellKey] = frozenset(),
) -> list[GroupDisparity]:
    """Each group of one period and one dimension against the reference (`GroupDisparity`),
    in the order given.

    `cells` are that dimension's group cells and, for reference "total", the period's total
    cell; `hidden` are the cells whose rate may not be shown (`privacy.Suppressed.no_rate`).
    """
    if direction not in ("lower", "higher"):
        raise ValueError(f"direction must be 'lower' or 'higher': {direction!r}")
    groups: list[Cell] = []
    totals: list[Cell] = []
    period = cells[0].period if cells else ""
    dimension: str | None = None
    for cell in cells:  # one pass: a report asks this thousands of times
        if cell.period != period:
            raise ValueError("disparities compare the groups of one period and one dimension")
        if cell.group is None:
            if cell.dimension is not None:
                raise ValueError("a group's cell names its dimension and its group")
            if totals:
                raise ValueError("a period has one total")
            totals.append(cell)
            continue
        if dimension is None:
            dimension = cell.dimension
        if cell.dimension is None or cell.dimension != dimension:
            raise ValueError("disparities compare the groups of one period and one dimension")
        groups.append(cell)
    rates = [
        None
        if hidden and (cell.period, cell.dimension, cell.group) in hidden
        else rate(cell.numerator, cell.denominator, measure)
        for cell in groups
    ]
    ref_name: str | None
    if reference == "total":
        ref_name = None
        total = totals[0] if totals else None
        ref_rate = (
            None
            if total is None or total.key in hidden
            else rate(total.numerator, total.denominator, measure)
        )
    elif reference == "best":
        ref_name, ref_rate = _best(rates, groups, direction)
    else:
        names = [cell.group for cell in groups]
        if reference not in names:
            raise ValueError(f"no group {reference!r} to compare with")
        ref_name = reference
        ref_rate = rates[names.index(reference)]
    rows: list[GroupDisparity] = []
    # In integers, one Fraction a figure: r = a/b against R = c/d gives the ratio ad/cb,
    # the difference (ad - cb)/bd and the four-fifths rule as 5ad < 4cb (or 5cb < 4ad).
    if ref_rate is not None:
        c, d = ref_rate.numerator, ref_rate.denominator
    higher = direction == "higher"
    for cell, own in zip(groups, rates, strict=True):
        assert cell.dimension is not None and cell.group is not None
        is_ref = ref_name is not None and cell.group == ref_name
        if own is None or ref_rate is None:
            rows.append(
                GroupDisparity(
                    cell.period, cell.dimension, cell.group, own, ref_name, ref_rate,
                    None, None, None, is_ref,
                )
            )  # fmt: skip
            continue
        a, b = own.numerator, own.denominator
        ad, cb = a * d, c * b
        rows.append(
            GroupDisparity(
                cell.period,
                cell.dimension,
                cell.group,
                own,
                ref_name,
                ref_rate,
                Fraction(ad, cb) if c else None,
                Fraction(ad - cb, b * d),
                5 * ad < 4 * cb if higher else 5 * cb < 4 * ad,
                is_ref,
            )
        )
    return rows


def _best(
    rates: Sequence[Fraction | None], groups: Sequence[Cell], direction: Direction
) -> tuple[str | None, Fraction | None]:
    """The group with the best shown rate (the first of equal ones) and its rate."""
    best: Fraction | None = None
    name: str | None = None
    lower = direction == "lower"
    for own, cell in zip(rates, groups, strict=True):
        if own is None:
            continue
        if best is None:
            best, name = own, cell.group
            continue
        left, right = own.numerator * best.denominator, best.numerator * own.denominator
        if (left < right) if lower else (left > right):
            best, name = own, cell.group
    return name, best


def index_of_disparity(rows: Sequence[GroupDisparity]) -> Fraction | None:
    """The index of disparity, as a percentage of the reference rate, exactly.

    Pearcy, J. N. and Keppel, K. G. (2002), "A summary measure of health disparity",
    Public Health Reports 117(3):273-280 (the issue calls it Pearl's ID); Keppel et al.
    (2005), "Methodological issues in measuring health disparities", NCHS Vital Health
    Stat 2(141):

        ID = (sum over i of |r_i - R|) / n / R x 100

    the mean absolute deviation of the groups' rates r_i from the reference rate R, as a
    percentage of R. The n groups are those whose rate is shown, not counting the
    reference group itself (with the total as the reference, every group counts). None
    when the reference rate is not shown or is 0, or no other group has a rate.
    """
    compared = [row for row in rows if row.difference is not None and not row.is_reference]
    if not compared:
        return None
    reference_rate = compared[0].reference_rate
    if not reference_rate:
        return None
    # the sum of |r_i - R| over their least common denominator, one Fraction at the end
    total, common = 0, 1
    for row in compared:
        assert row.difference is not None
        p, q = abs(row.difference.numerator), row.difference.denominator
        if p:
            multiple = lcm(common, q)
            total = total * (multiple // common) + p * (multiple // q)
            common = multiple
    return Fraction(
        total * 100 * reference_rate.denominator,
        common * len(compared) * reference_rate.numerator,
    )


def reference_problem(cells: Sequence[Cell], reference: str) -> Msg | None:
    """Why `reference` cannot be the reference for these cells, or None when it can: a
    named group that is not among them, or "total" when the data give no total."""
    if reference == "best":
        return None
    if reference == "total":
        if any(cell.is_total for cell in cells):
            return None
        return Msg.of(N_("the data give no total to compare the groups with"))
    groups = list(dict.fromkeys(cell.group for cell in cells if cell.group is not None))
    if reference in groups:
        return None
    dimension = next((cell.dimension for cell in cells if cell.dimension is not None), "")
    return Msg.of(
        N_('there is no group "{group}" in "{dimension}" to compare with: its groups are {groups}'),
        group=reference,
        dimension=dimension,
        groups=", ".join(f'"{g}"' for g in groups),
    )
