"""The data the outcome computation works on: one aggregated cell per period and group.

A cell holds counts, never people: for a percentage or a rate per 1,000 the numerator
counts the children with the outcome (e.g. reunified) and the denominator those who could
have it (e.g. who left care); for a count the numerator is the count and there is no
denominator; for median days the numerator is the median as the data give it (a median
cannot be computed from, or added across, aggregated cells) and the denominator is the
number of children the median is taken over.

The total of a period is the cell whose dimension and group are both `None` (`TOTAL`); a
group's cell names its dimension ("race_ethnicity", "gender", "age_group",
"neighbourhood" or any other) and its group within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

#: How a rate is expressed: numerator / denominator x 100, x 1,000, the count itself, or
#: a median in days given per cell.
Measure = Literal["percentage", "per_1000", "count", "median_days"]
MEASURES: Final[tuple[Measure, ...]] = ("percentage", "per_1000", "count", "median_days")

#: Which way is better: a lower rate (separations, re-entries, moves, days in care) or a
#: higher one (reunified, placed in the neighbourhood, siblings together).
Direction = Literal["lower", "higher"]
DIRECTIONS: Final[tuple[Direction, ...]] = ("lower", "higher")

#: The number a cell's numerator may hold: a count (int), or a median in days that may be
#: a half (Fraction or Decimal, taken exactly).
Number = int | Fraction | Decimal

#: (period, dimension, group): what identifies a cell in a table.
CellKey = tuple[str, str | None, str | None]

#: The (dimension, group) of a period's total.
TOTAL: Final[tuple[None, None]] = (None, None)


@dataclass(frozen=True, slots=True)
class Cell:
    """One period's aggregated counts for one group of one dimension (or the total).

    `numerator` or `denominator` is None when the data do not give it (or, in a table
    `privacy.suppress` made visible, when it is hidden).
    """

    period: str
    dimension: str | None
    group: str | None
    numerator: Number | None
    denominator: int | None = None

    @property
    def key(self) -> CellKey:
        return (self.period, self.dimension, self.group)

    @property
    def is_total(self) -> bool:
        """The period's total: no dimension and no group."""
        return self.dimension is None and self.group is None
