"""Privacy by default: which counts and rates of an outcome table may be shown.

Primary suppression: a count from 1 to `minimum - 1` (1 to 10 by default) is hidden, and
so is every rate worked from it; 0 is shown (it reveals no one). Complementary
suppression: where groups add up to a total (for each dimension, the groups of a period
add up to that period's total), a hidden cell must never be the only hidden one of the
relation, or it could be worked out by subtraction; and where the total is shown, the
hidden groups must not all be 1, or the knowledge that a hidden count is at least 1
would give each of them away. A rate is not shown either when its denominator is below
`min_denominator` (a rate on a few children says little and can point at them).

The algorithm is small, deterministic and greedy: hide the primary cells; then, until
nothing changes, visit each relation (by period, then dimension) and, while it breaks the
rule above, hide one more of its shown cells: the smallest non-zero group, else the total,
else a zero group. Every pass only hides, so it ends. It protects against exact recovery
through the additive relations given and the lower bound of 1; it does not audit the
narrower ranges an upper bound (a numerator never above its denominator) could give,
which needs linear programming.

The counts suppressed are the numerators (percentage, rate per 1,000, count) and the
denominators (percentage, rate per 1,000, median days). A median is not a count: it is
shown, as its cell's rate, unless its denominator is a hidden small count or below the
minimum denominator.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.outcomes.cells import Cell, CellKey, Measure, Number

#: The smallest count shown (counts from 1 to 10 are hidden).
DEFAULT_MINIMUM: Final = 11
#: The smallest denominator a rate is shown for.
DEFAULT_MIN_DENOMINATOR: Final = 20

Part = Literal["numerator", "denominator"]
#: One count of the table: a cell's numerator or its denominator.
Slot = tuple[CellKey, Part]


@dataclass(frozen=True, slots=True)
class Suppressed:
    """An outcome table and what of it may be shown.

    `primary` are the counts hidden for being small, `complementary` those hidden so that
    no small one can be worked out; `no_rate` the cells whose rate is not shown (a hidden
    numerator or denominator, or a denominator below `min_denominator`). `visible()` is
    the table as it may be shown.
    """

    cells: tuple[Cell, ...]
    measure: Measure
    minimum: int
    min_denominator: int
    primary: frozenset[Slot]
    complementary: frozenset[Slot]
    no_rate: frozenset[CellKey]

    @property
    def hidden(self) -> frozenset[Slot]:
        return self.primary | self.complementary

    def visible(self) -> tuple[Cell, ...]:
        """The cells with every hidden count (and a median not shown) replaced by None."""
        hidden = self.hidden
        shown: list[Cell] = []
        for cell in self.cells:
            numerator = cell.numerator
            denominator = cell.denominator
            if (cell.key, "numerator") in hidden or (
                self.measure == "median_days" and cell.key in self.no_rate
            ):
                numerator = None
            if (cell.key, "denominator") in hidden:
                denominator = None
            if numerator is cell.numerator and denominator is cell.denominator:
                shown.append(cell)
            else:
                shown.append(Cell(cell.period, cell.dimension, cell.group, numerator, denominator))
        return tuple(shown)

    def statement(self) -> tuple[Msg, ...]:
        """What was hidden and why, in words, for every output (`statement`)."""
        return statement(self.minimum, self.min_denominator)


def statement(minimum: int, min_denominator: int) -> tuple[Msg, ...]:
    """The privacy settings in force, in words: every output states them."""
    counts = (
        Msg.of(
            N_(
                "Counts from 1 to {largest} are not shown, nor rates from them, and other"
                " cells are hidden so that none can be worked out from a total."
            ),
            largest=minimum - 1,
        )
        if minimum > 1
        else Msg.of(N_("Every count is shown: small counts are not hidden."))
    )
    rates = (
        Msg.of(
            N_("No rate is shown for a denominator under {min_denominator}."),
            min_denominator=min_denominator,
        )
        if min_denominator > 1
        else Msg.of(N_("A rate is shown whatever its denominator."))
    )
    return counts, rates


def suppress(
    table: Sequence[Cell],
    minimum: int = DEFAULT_MINIMUM,
    min_denominator: int = DEFAULT_MIN_DENOMINATOR,
    *,
    measure: Measure = "percentage",
    additive: Collection[str] | None = None,
) -> Suppressed:
    """Decide what of one indicator's `table` may be shown (the module's rules).

    `table` holds any periods and dimensions, each period's total as the cell with no
    dimension and no group; `additive` names the dimensions whose groups add up to the
    total (None: every dimension; a dimension where a child may be in two groups, such as
    several races, is left out and has no relation to protect).
    """
    if minimum < 0 or min_denominator < 0:
        raise ValueError("the minimum count and the minimum denominator cannot be negative")
    cells = tuple(table)
    keys = [cell.key for cell in cells]
    if len(set(keys)) != len(keys):
        raise ValueError("a table holds one cell per period, dimension and group")
    parts: list[Part] = []
    if measure in ("percentage", "per_1000", "count"):
        parts.append("numerator")
    if measure in ("percentage", "per_1000", "median_days"):
        parts.append("denominator")
    values: dict[Slot, int] = {}
    for cell, key in zip(cells, keys, strict=True):
        for part in parts:
            value = cell.numerator if part == "numerator" else cell.denominator
            if value is not None:
                values[(key, part)] = _count(value, cell, part)
    primary = frozenset(slot for slot, value in values.items() if 1 <= value < minimum)
    hidden = set(primary)
    # Relations of different periods or parts share no count: each block to its fixed point.
    blocks: dict[Slot, list[tuple[Slot, list[Slot]]]] = {}
    for total, groups in _relations(cells, parts, values, additive):
        blocks.setdefault(total, []).append((total, groups))
    for block in blocks.values():
        if not any(slot in hidden for _, groups in block for slot in groups) and (
            block[0][0] not in hidden
        ):
            continue  # nothing hidden: nothing to protect
        changed = True
        while changed:
            changed = False
            for total, groups in block:
                while (extra := _next_to_hide(total, groups, hidden, values)) is not None:
                    hidden.add(extra)
                    changed = True
    no_rate = frozenset(
        key
        for cell, key in zip(cells, keys, strict=True)
        if not _rate_shown(cell, key, measure, primary, hidden, min_denominator)
    )
    return Suppressed(
        cells, measure, minimum, min_denominator, primary, frozenset(hidden - primary), no_rate
    )


def breaks_rule(
    total: Slot, groups: Sequence[Slot], hidden: Collection[Slot], values: dict[Slot, int]
) -> bool:
    """Whether a relation (total = sum of groups) gives a hidden count away: it is the only
    hidden one, or the total is shown and the hidden groups can only all be 1."""
    hidden_groups = [slot for slot in groups if slot in hidden]
    if total in hidden:
        return not hidden_groups
    if not hidden_groups:
        return False
    return len(hidden_groups) == 1 or sum(values[s] for s in hidden_groups) == len(hidden_groups)


def _next_to_hide(
    total: Slot, groups: Sequence[Slot], hidden: set[Slot], values: dict[Slot, int]
) -> Slot | None:
    """The one more cell to hide in a relation that breaks the rule, or None."""
    if not breaks_rule(total, groups, hidden, values):
        return None
    shown = [slot for slot in groups if slot not in hidden]
    nonzero = [slot for slot in shown if values[slot]]
    if nonzero:
        return min(nonzero, key=lambda slot: (values[slot], _order(slot)))
    if total not in hidden:
        return total
    return min(shown, key=_order) if shown else None


def _order(slot: Slot) -> tuple[str, str]:
    (_, dimension, group), _part = slot
    return (dimension or "", group or "")


def _relations(
    cells: Sequence[Cell],
    parts: Sequence[Part],
    values: dict[Slot, int],
    additive: Collection[str] | None,
) -> Iterator[tuple[Slot, list[Slot]]]:
    """Each (total, groups) relation of the table, by period, dimension and part: only
    where the period's total has that count (without a total nothing can be subtracted)."""
    members: dict[tuple[str, str], list[CellKey]] = {}
    for cell in cells:
        if cell.dimension is None or cell.group is None:
            continue
        if additive is not None and cell.dimension not in additive:
            continue
        members.setdefault((cell.period, cell.dimension), []).append(cell.key)
    for (period, _dimension), group_keys in sorted(members.items()):
        for part in parts:
            total: Slot = ((period, None, None), part)
            if total not in values:
                continue
            groups = [(key, part) for key in group_keys if (key, part) in values]
            if groups:
                yield total, groups


def _rate_shown(
    cell: Cell,
    key: CellKey,
    measure: Measure,
    primary: Collection[Slot],
    hidden: Collection[Slot],
    min_denominator: int,
) -> bool:
    if cell.numerator is None:
        return False
    if measure == "count":
        return (key, "numerator") not in hidden
    if cell.denominator is None or cell.denominator < min_denominator:
        return False
    if measure == "median_days":
        return (key, "denominator") not in primary and cell.denominator > 0
    return (key, "numerator") not in hidden and (key, "denominator") not in hidden


def _count(value: Number, cell: Cell, part: Part) -> int:
    """A count as an int: counts are whole and never negative."""
    if type(value) is int and value >= 0:
        return value
    exact = Fraction(value)
    if exact.denominator != 1 or exact < 0:
        raise ValueError(f"the {part} of {cell.key} is not a count: {value}")
    return int(exact)
