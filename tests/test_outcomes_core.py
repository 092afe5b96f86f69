"""Outcomes, the pure computation (core/outcomes/): rates, Wilson's interval against
published values, change from the baseline, disparity tables worked by hand for every
reference (rates, ratios, differences, the index of disparity, the four-fifths flags at
their exact boundary), and suppression cases where a naive table would give a hidden
cell away, with property tests: in every suppressed table no hidden count can be worked
out, by linear algebra over the additive relations or by the lower bound of 1."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comunidad_cli import i18n
from comunidad_cli.core.outcomes import Cell
from comunidad_cli.core.outcomes.disparity import (
    GroupDisparity,
    disparities,
    four_fifths,
    index_of_disparity,
    reference_problem,
)
from comunidad_cli.core.outcomes.privacy import Slot, statement, suppress
from comunidad_cli.core.outcomes.rates import change, median_days, rate, rate_interval, wilson

Q = "2026-Q1"
F = Fraction


def group(dimension: str, name: str, numerator: int, denominator: int | None = None) -> Cell:
    return Cell(Q, dimension, name, numerator, denominator)


def total(numerator: int, denominator: int | None = None) -> Cell:
    return Cell(Q, None, None, numerator, denominator)


# -- rates --------------------------------------------------------------------------------


def test_rates_are_exact_in_each_measure() -> None:
    assert rate(81, 263, "percentage") == F(8100, 263)
    assert rate(81, 263, "per_1000") == F(81000, 263)
    assert rate(7, None, "count") == 7
    assert rate(F(91, 2), 40, "median_days") == F(91, 2)  # a median given as 45.5 days
    assert rate(Decimal("45.5"), 40, "median_days") == F(91, 2)
    assert rate(0, 12, "percentage") == 0
    # no rate: no denominator, a zero denominator, a hidden (None) numerator, no child
    assert rate(3, 0, "percentage") is None
    assert rate(3, None, "per_1000") is None
    assert rate(None, 12, "percentage") is None
    assert median_days(30, 0) is None
    with pytest.raises(ValueError, match="negative"):
        median_days(-1, 12)


# Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson, no
# continuity correction), to 4 decimals.
NEWCOMBE = [
    (81, 263, "0.2553", "0.3662"),
    (15, 148, "0.0624", "0.1605"),
    (0, 20, "0.0000", "0.1611"),
    (1, 29, "0.0061", "0.1718"),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE)
def test_wilson_matches_newcombes_published_intervals(x: int, n: int, low: str, high: str) -> None:
    lower, upper = wilson(x, n)
    four = Decimal("0.0001")
    assert lower.quantize(four, ROUND_HALF_UP) == Decimal(low)
    assert upper.quantize(four, ROUND_HALF_UP) == Decimal(high)


def test_wilson_rounds_outwards_to_its_places() -> None:
    # exact bounds 0.25528761..., 0.36621068...: 4 places outwards, not to the nearest
    assert wilson(81, 263, places=4) == (Decimal("0.2552"), Decimal("0.3663"))
    assert wilson(81, 263) == (Decimal("0.255287"), Decimal("0.366211"))
    # 0 and n successes: the bounds are exactly 0 and 1, never past them
    assert wilson(0, 20)[0] == 0 and wilson(29, 29)[1] == 1
    # in the measure's unit: the same interval x 100, 6 places of a percentage
    assert rate_interval(81, 263, "percentage") == (Decimal("25.528761"), Decimal("36.621069"))
    assert rate_interval(81, 263, "count") is None and rate_interval(1, 0, "per_1000") is None


def _wilson_oracle(x: int, n: int, z: Decimal) -> tuple[Decimal, Decimal]:
    """Wilson's bounds in 60-digit decimals: an independent reckoning of the formula."""
    with localcontext() as ctx:
        ctx.prec = 60
        p = Decimal(x) / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * (p * (1 - p) / n + z * z / (4 * n * n)).sqrt()
        return centre - half, centre + half


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_is_the_exact_bound_rounded_outwards(xn: tuple[int, int]) -> None:
    x, n = xn
    lower, upper = wilson(x, n, places=6)
    true_low, true_high = _wilson_oracle(x, n, Decimal("1.96"))
    ulp = Decimal("0.000001")
    assert lower <= true_low < lower + ulp or (lower == 0 and abs(true_low) < Decimal("1e-50"))
    assert upper - ulp < true_high <= upper or (
        upper == 1 and abs(true_high - 1) < Decimal("1e-50")
    )
    assert 0 <= lower <= Fraction(x, n) <= upper <= 1


def test_wilson_refuses_what_is_not_a_proportion() -> None:
    for x, n in ((1, 0), (5, 4), (-1, 4)):
        with pytest.raises(ValueError, match="Wilson"):
            wilson(x, n)


def test_change_respects_the_direction() -> None:
    # re-entries: lower is better, baseline 20%, target 15%
    half_way = change(F(35, 2), baseline=20, target=15, direction="lower")
    assert half_way is not None
    assert half_way.difference == F(-5, 2) and half_way.relative == F(-1, 8)
    assert half_way.better is True and half_way.progress == F(1, 2)
    assert half_way.target_met is False
    beyond = change(F(14), baseline=20, target=15, direction="lower")
    assert beyond is not None and beyond.progress == F(6, 5) and beyond.target_met is True
    # reunified: higher is better, baseline 40%, target 50%; 35% is moving away
    away = change(F(35), baseline=Decimal("40"), target=Decimal("50"), direction="higher")
    assert away is not None
    assert away.better is False and away.progress == F(-1, 2) and away.target_met is False
    at_target = change(F(50), baseline=40, target=50, direction="higher")
    assert at_target is not None and at_target.progress == 1 and at_target.target_met
    same = change(F(40), baseline=40, target=40, direction="higher")
    assert same is not None and same.better is None and same.progress is None
    zero = change(F(3), baseline=0, target=None, direction="lower")
    assert zero is not None and zero.relative is None and zero.better is False
    assert zero.progress is None and zero.target_met is None
    assert change(None, baseline=20, target=15, direction="lower") is None


# -- disparities, worked by hand ------------------------------------------------------------

# Reunified within 12 months (higher is better), by race/ethnicity:
#   A 60/100 = 60%   B 45/100 = 45%   C 30/60 = 50%   D 20/50 = 40%   total 155/310 = 50%
REUNIFIED = [
    group("race", "A", 60, 100),
    group("race", "B", 45, 100),
    group("race", "C", 30, 60),
    group("race", "D", 20, 50),
    total(155, 310),
]


def figures(rows: Sequence[GroupDisparity]) -> dict[str, tuple[object, ...]]:
    return {
        row.group: (row.rate, row.ratio, row.difference, row.flagged, row.is_reference)
        for row in rows
    }


def test_reunified_against_the_best_group() -> None:
    # best = A (60%); four-fifths of 60 = 48: B (45) and D (40) fall below it, C (50) not
    rows = disparities(REUNIFIED, "best", "higher")
    assert {(row.reference, row.reference_rate) for row in rows} == {("A", 60)}
    assert figures(rows) == {
        "A": (60, 1, 0, False, True),
        "B": (45, F(3, 4), -15, True, False),
        "C": (50, F(5, 6), -10, False, False),
        "D": (40, F(2, 3), -20, True, False),
    }
    # ID = mean(|45-60|, |50-60|, |40-60|) / 60 x 100 = 15/60 x 100 = 25 (A not counted)
    assert index_of_disparity(rows) == 25


def test_reunified_against_the_total() -> None:
    # total 50%; four-fifths of 50 = 40: D at exactly 40 is not "worse than four-fifths"
    rows = disparities(REUNIFIED, "total", "higher")
    assert {(row.reference, row.reference_rate) for row in rows} == {(None, 50)}
    assert figures(rows) == {
        "A": (60, F(6, 5), 10, False, False),
        "B": (45, F(9, 10), -5, False, False),
        "C": (50, 1, 0, False, False),
        "D": (40, F(4, 5), -10, False, False),
    }
    # ID = (10 + 5 + 0 + 10) / 4 / 50 x 100 = 12.5: every group counts
    assert index_of_disparity(rows) == F(25, 2)


def test_reunified_against_a_named_group() -> None:
    rows = disparities(REUNIFIED, "C", "higher")
    assert figures(rows) == {
        "A": (60, F(6, 5), 10, False, False),
        "B": (45, F(9, 10), -5, False, False),
        "C": (50, 1, 0, False, True),
        "D": (40, F(4, 5), -10, False, False),
    }
    # ID = (10 + 5 + 10) / 3 / 50 x 100 = 50/3
    assert index_of_disparity(rows) == F(50, 3)


# Re-entries into care (lower is better), by age group:
#   A 12/120 = 10%   B 30/200 = 15%   C 25/200 = 12.5%   D 35/160 = 21.875%
#   total 102/680 = 15%
REENTRIES = [
    group("age", "A", 12, 120),
    group("age", "B", 30, 200),
    group("age", "C", 25, 200),
    group("age", "D", 35, 160),
    total(102, 680),
]


def test_reentries_against_the_best_group() -> None:
    # best = A (10%); flagged when 10 < 4/5 x rate, i.e. ratio > 5/4: C at exactly 5/4 not
    rows = disparities(REENTRIES, "best", "lower")
    assert figures(rows) == {
        "A": (10, 1, 0, False, True),
        "B": (15, F(3, 2), 5, True, False),
        "C": (F(25, 2), F(5, 4), F(5, 2), False, False),
        "D": (F(175, 8), F(35, 16), F(95, 8), True, False),
    }
    # ID = (5 + 2.5 + 11.875) / 3 / 10 x 100 = 775/12
    assert index_of_disparity(rows) == F(775, 12)


def test_reentries_against_the_total() -> None:
    rows = disparities(REENTRIES, "total", "lower")
    assert figures(rows) == {
        "A": (10, F(2, 3), -5, False, False),
        "B": (15, 1, 0, False, False),
        "C": (F(25, 2), F(5, 6), F(-5, 2), False, False),
        "D": (F(175, 8), F(35, 24), F(55, 8), True, False),
    }
    # ID = (5 + 0 + 2.5 + 6.875) / 4 / 15 x 100 = 575/24
    assert index_of_disparity(rows) == F(575, 24)


def test_the_four_fifths_rule_at_its_boundary_both_ways() -> None:
    assert not four_fifths(F(48), F(60), "higher") and four_fifths(F(4799, 100), F(60), "higher")
    assert not four_fifths(F(125, 10), F(10), "lower") and four_fifths(F(12501, 1000), 10, "lower")
    assert four_fifths(F(1), F(0), "lower")  # any rate against a reference of 0
    assert not four_fifths(F(0), F(0), "higher")


def test_per_1000_scales_the_rates_but_not_the_ratios_or_flags() -> None:
    percent = disparities(REUNIFIED, "best", "higher")
    per_1000 = disparities(REUNIFIED, "best", "higher", "per_1000")
    assert [r.ratio for r in per_1000] == [r.ratio for r in percent]
    assert [r.flagged for r in per_1000] == [r.flagged for r in percent]
    assert [r.difference for r in per_1000] == [
        10 * r.difference for r in percent if r.difference is not None
    ]
    assert index_of_disparity(per_1000) == index_of_disparity(percent)


def test_a_hidden_rate_is_never_the_reference_nor_compared() -> None:
    hidden = {(Q, "race", "A")}
    rows = disparities(REUNIFIED, "best", "higher", hidden=hidden)
    # A hidden: the best shown is C (50%); A gets no figures at all
    assert figures(rows)["A"] == (None, None, None, None, False)
    assert {row.reference for row in rows} == {"C"}
    assert figures(rows)["B"] == (45, F(9, 10), -5, False, False)
    assert index_of_disparity(rows) == F(15, 2) / 50 * 100  # (5 + 10) / 2 against 50
    # the reference itself hidden: no group is compared, since a ratio would reveal it
    for reference in ("A", "total"):
        keys = {(Q, "race", "A")} if reference == "A" else {(Q, None, None)}
        rows = disparities(REUNIFIED, reference, "higher", hidden=keys)
        assert all(row.ratio is None and row.flagged is None for row in rows)
        assert index_of_disparity(rows) is None


def test_a_zero_reference_rate_has_no_ratio_and_the_groups_above_it_are_flagged() -> None:
    cells = [group("g", "x", 0, 40), group("g", "y", 12, 40)]
    rows = disparities(cells, "best", "lower")
    assert figures(rows) == {"x": (0, None, 0, False, True), "y": (30, None, 30, True, False)}
    assert index_of_disparity(rows) is None


def test_the_reference_is_checked_before_and_said_in_each_language() -> None:
    assert reference_problem(REUNIFIED, "best") is None
    assert reference_problem(REUNIFIED, "total") is None
    assert reference_problem(REUNIFIED, "C") is None
    unknown = reference_problem(REUNIFIED, "E")
    assert unknown is not None
    assert i18n.message_text(unknown) == (
        'there is no group "E" in "race" to compare with: its groups are "A", "B", "C", "D"'
    )
    no_total = reference_problem(REUNIFIED[:-1], "total")
    assert no_total is not None
    try:
        i18n.activate("es")
        assert i18n.message_text(no_total) == (
            "los datos no dan un total con el que comparar los grupos"
        )
        i18n.activate("ca")
        assert i18n.message_text(unknown).startswith("no hi ha cap grup «E» a «race»")
    finally:
        i18n.activate("en")
    with pytest.raises(ValueError, match="no group"):
        disparities(REUNIFIED, "E", "higher")
    with pytest.raises(ValueError, match="one period and one dimension"):
        disparities([*REUNIFIED, group("age", "A", 1, 2)], "best", "higher")


# -- suppression ----------------------------------------------------------------------------


def slot(dimension: str | None, name: str | None, part: str = "numerator") -> Slot:
    return ((Q, dimension, name), part)  # type: ignore[return-value]


def relations(cells: Sequence[Cell], part: str) -> list[tuple[Slot, list[Slot]]]:
    """Every additive relation of a table, as the test reckons it (every dimension adds up)."""
    found: dict[tuple[str, str], list[Slot]] = {}
    for cell in cells:
        if cell.dimension is not None:
            found.setdefault((cell.period, cell.dimension), []).append((cell.key, part))  # type: ignore[arg-type]
    return [(((period, None, None), part), slots) for (period, _), slots in found.items()]  # type: ignore[misc]


def worked_out(cells: Sequence[Cell], hidden: set[Slot], part: str = "numerator") -> set[Slot]:
    """The hidden counts an attacker works out from what is shown: by subtraction through
    the relations (each one found becomes known and may open the next), and from knowing
    that a hidden count is never 0 (0 is shown), so hidden cells summing to their number
    are all 1."""
    value = {
        (cell.key, part): (cell.numerator if part == "numerator" else cell.denominator)
        for cell in cells
    }
    unknown = set(hidden)
    found: set[Slot] = set()
    progress = True
    while progress:
        progress = False
        for whole, parts in relations(cells, part):
            members = [whole, *parts]
            missing = [s for s in members if s in unknown]
            if len(missing) == 1:
                unknown.discard(missing[0])
                found.add(missing[0])
                progress = True
            elif missing and whole not in unknown:
                rest = value[whole] - sum(value[s] for s in parts if s not in unknown)  # type: ignore[operator]
                if rest == len(missing):
                    unknown -= set(missing)
                    found |= set(missing)
                    progress = True
    return found


def test_a_single_hidden_cell_in_a_row_with_a_total() -> None:
    # total 100; a = 5 is small. Shown alone it would be 100 - 40 - 55 = 5.
    cells = [total(100), group("g", "a", 5), group("g", "b", 40), group("g", "c", 55)]
    naive = {slot("g", "a")}
    assert worked_out(cells, naive) == naive
    result = suppress(cells, measure="count")
    assert result.primary == naive
    assert result.complementary == {slot("g", "b")}  # the smallest other group, not the total
    assert worked_out(cells, set(result.hidden)) == set()
    assert [c.numerator for c in result.visible()] == [100, None, None, 55]


def test_two_dimensions_over_the_same_total() -> None:
    # total 120 shown; gender: 57, 60, 3 (small); age: 9 (small), 50, 61
    cells = [
        total(120),
        group("gender", "girls", 57),
        group("gender", "boys", 60),
        group("gender", "non-binary", 3),
        group("age", "0-5", 9),
        group("age", "6-12", 50),
        group("age", "13-17", 61),
    ]
    naive = {slot("gender", "non-binary"), slot("age", "0-5")}
    assert worked_out(cells, naive) == naive
    result = suppress(cells, measure="count")
    assert result.complementary == {slot("gender", "girls"), slot("age", "6-12")}
    assert worked_out(cells, set(result.hidden)) == set()


def test_a_hidden_total() -> None:
    # 12 children, each in a different neighbourhood: every neighbourhood is a hidden 1
    # and the total 12 is shown, so every hidden cell must be 1 - unless the total goes
    # too. Then age's 12 (all in 6-12) would give the total back, so it goes as well.
    neighbourhoods = [group("barrio", f"n{i:02}", 1) for i in range(12)]
    cells = [
        total(12),
        *neighbourhoods,
        group("gender", "girls", 5),
        group("gender", "boys", 7),
        group("age", "0-5", 0),
        group("age", "6-12", 12),
    ]
    naive = {slot("barrio", f"n{i:02}") for i in range(12)} | {
        slot("gender", "girls"),
        slot("gender", "boys"),
    }
    assert worked_out(cells, naive) >= {slot("barrio", "n00")}
    result = suppress(cells, measure="count")
    assert result.complementary == {slot(None, None), slot("age", "6-12")}
    assert worked_out(cells, set(result.hidden)) == set()
    assert slot("age", "0-5") not in result.hidden  # 0 is shown


def test_rates_from_hidden_counts_or_small_denominators_are_not_shown() -> None:
    cells = [
        total(64, 300),
        group("g", "a", 4, 100),  # a small numerator
        group("g", "b", 40, 185),
        group("g", "c", 20, 15),  # a denominator under 20 (rate not shown; counts are)
    ]
    result = suppress(cells, min_denominator=20)
    assert result.primary == {slot("g", "a")}
    assert result.complementary == {slot("g", "c")}  # the smallest other: 20
    assert result.no_rate == {(Q, "g", "a"), (Q, "g", "c")}
    visible = result.visible()
    assert visible[3] == Cell(Q, "g", "c", None, 15)
    assert visible[2] == cells[2]
    # the denominators: 15 is not small (>= 11), so nothing of them is hidden
    assert not any(part == "denominator" for _, part in result.hidden)


def test_small_denominators_are_hidden_with_their_complement() -> None:
    cells = [total(30, 200), group("g", "a", 0, 8), group("g", "b", 30, 192)]
    result = suppress(cells)
    assert result.primary == {slot("g", "a", "denominator")}
    assert result.complementary == {slot("g", "b", "denominator")}
    assert result.no_rate == {(Q, "g", "a"), (Q, "g", "b")}
    assert [(c.numerator, c.denominator) for c in result.visible()] == [
        (30, 200),
        (0, None),
        (30, None),
    ]


def test_a_median_is_shown_unless_its_children_are_few() -> None:
    cells = [
        total(200, 130),
        group("g", "a", 300, 9),  # 9 children: their median is not shown
        group("g", "b", 150, 40),  # hidden as a complement: the median is still shown
        group("g", "c", 190, 81),
    ]
    result = suppress(cells, measure="median_days")
    assert result.primary == {slot("g", "a", "denominator")}
    assert result.complementary == {slot("g", "b", "denominator")}
    assert result.no_rate == {(Q, "g", "a")}
    assert [(c.numerator, c.denominator) for c in result.visible()] == [
        (200, 130),
        (None, None),
        (150, None),
        (190, 81),
    ]


def test_dimensions_that_do_not_add_up_have_no_relation_to_protect() -> None:
    cells = [total(100), group("race", "a", 5), group("race", "b", 95)]
    result = suppress(cells, measure="count", additive=())
    assert result.hidden == {slot("race", "a")}
    assert suppress(cells, measure="count", minimum=0).hidden == frozenset()


def test_the_privacy_settings_are_stated_in_each_language() -> None:
    assert [i18n.message_text(m) for m in statement(11, 20)] == [
        "Counts from 1 to 10 are not shown, nor rates from them, and other cells are hidden"
        " so that none can be worked out from a total.",
        "No rate is shown for a denominator under 20.",
    ]
    assert [i18n.message_text(m) for m in statement(0, 0)] == [
        "Every count is shown: small counts are not hidden.",
        "A rate is shown whatever its denominator.",
    ]
    try:
        i18n.activate("es")
        assert i18n.message_text(statement(11, 30)[1]) == (
            "No se muestra ninguna tasa con un denominador inferior a 30."
        )
        i18n.activate("ca")
        assert i18n.message_text(statement(11, 30)[0]).startswith(
            "No es mostren els recomptes d'1 a 10"
        )
    finally:
        i18n.activate("en")


def test_a_table_must_hold_counts_once_each() -> None:
    with pytest.raises(ValueError, match="one cell per"):
        suppress([total(1), total(2)])
    with pytest.raises(ValueError, match="not a count"):
        suppress([total(F(1, 2), 10)])


# -- properties -----------------------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn) -> list[Cell]:
    """One or two periods; each a total and one to three dimensions partitioning it into
    one to seven groups, counts drawn small so that many are hidden."""
    cells: list[Cell] = []
    for period in draw(st.sampled_from([["2026-Q1"], ["2026-Q1", "2026-Q2"]])):
        whole = draw(st.integers(0, 60))
        denominator = whole + draw(st.integers(0, 60))
        cells.append(Cell(period, None, None, whole, denominator))
        for d in range(draw(st.integers(1, 3))):
            k = draw(st.integers(1, 7))
            nums = _partition(draw, whole, k)
            dens = _partition(draw, denominator, k)
            cells += [
                Cell(period, f"d{d}", f"g{i}", n, max(m, n))
                for i, (n, m) in enumerate(zip(nums, dens, strict=True))
            ]
    # denominators as drawn may not add up once raised to their numerators: rebuild totals
    return _consistent(cells)


def _partition(draw: st.DrawFn, whole: int, k: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, whole), min_size=k - 1, max_size=k - 1)))
    bounds = [0, *cuts, whole]
    return [b - a for a, b in itertools.pairwise(bounds)]


def _consistent(cells: list[Cell]) -> list[Cell]:
    """Make each period's denominators add up: the total's denominator becomes the largest
    dimension's sum, and every other dimension's last group takes up the difference."""
    out: list[Cell] = []
    for period in dict.fromkeys(c.period for c in cells):
        mine = [c for c in cells if c.period == period]
        dims: dict[str, list[Cell]] = {}
        for c in mine:
            if c.dimension is not None:
                dims.setdefault(c.dimension, []).append(c)
        whole = max(sum(c.denominator or 0 for c in g) for g in dims.values())
        head = next(c for c in mine if c.is_total)
        out.append(Cell(period, None, None, head.numerator, whole))
        for groups in dims.values():
            short = whole - sum(c.denominator or 0 for c in groups)
            last = groups[-1]
            out += groups[:-1]
            out.append(
                Cell(
                    period,
                    last.dimension,
                    last.group,
                    last.numerator,
                    (last.denominator or 0) + short,
                )
            )
    return out


def determined(cells: Sequence[Cell], hidden: set[Slot], part: str) -> set[Slot]:
    """Hidden counts fixed by the linear system of the relations: x is determined exactly
    when its unit vector lies in the row space (Gaussian elimination over Fractions)."""
    unknowns = sorted((s for s in hidden if s[1] == part), key=repr)
    index = {s: i for i, s in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for whole, parts in relations(cells, part):
        row = [Fraction(0)] * len(unknowns)
        for s, sign in [(whole, -1), *((p, 1) for p in parts)]:
            if s in index:
                row[index[s]] += sign
        if any(row):
            rows.append(row)
    basis = _echelon(rows)
    rank = len(basis)
    found = set()
    for s, i in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[i] = Fraction(1)
        if len(_echelon([*basis, unit])) == rank:
            found.add(s)
    return found


def _echelon(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    rows = [list(r) for r in rows]
    out: list[list[Fraction]] = []
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in rows if r[col] != 0), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        rows = [[a - pivot[j] * r[col] / pivot[col] for j, a in enumerate(r)] for r in rows]
        out.append(pivot)
    return out


@settings(max_examples=200, deadline=None)
@given(tables(), st.integers(0, 15), st.sampled_from(["percentage", "count", "median_days"]))
def test_no_hidden_count_can_be_worked_out(cells: list[Cell], minimum: int, measure: str) -> None:
    result = suppress(cells, minimum, measure=measure)  # type: ignore[arg-type]
    hidden = set(result.hidden)
    parts = {"percentage": ("numerator", "denominator"), "count": ("numerator",)}
    for part in parts.get(measure, ("denominator",)):
        # every small count is hidden, and no zero is hidden for being small
        for cell in cells:
            value = cell.numerator if part == "numerator" else cell.denominator
            assert ((cell.key, part) in result.primary) == (1 <= value < minimum)  # type: ignore[operator]
        # no relation has a single hidden cell
        for whole, slots in relations(cells, part):
            assert len([s for s in [whole, *slots] if s in hidden]) != 1
        assert determined(cells, hidden, part) == set()
        assert worked_out(cells, hidden, part) == set()


@settings(max_examples=100, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_suppression_is_deterministic_and_shows_no_rate_from_a_hidden_count(
    cells: list[Cell], rng: random.Random
) -> None:
    result = suppress(cells)
    shuffled = list(cells)
    rng.shuffle(shuffled)
    again = suppress(shuffled)
    assert (again.primary, again.complementary, again.no_rate) == (
        result.primary,
        result.complementary,
        result.no_rate,
    )
    for cell in result.visible():
        shown = rate(cell.numerator, cell.denominator, "percentage")
        original = next(c for c in cells if c.key == cell.key)
        if cell.key in result.no_rate:
            continue
        assert shown == rate(original.numerator, original.denominator, "percentage")
        assert original.denominator is not None and original.denominator >= 20
        assert not 1 <= original.numerator < 11  # type: ignore[operator]


def test_wilson_agrees_with_floats_where_floats_suffice() -> None:
    for x, n in ((3, 7), (50, 100), (999, 1000)):
        low, high = wilson(x, n)
        p, z = x / n, 1.96
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        assert abs(float(low) - (centre - half)) < 2e-6
        assert abs(float(high) - (centre + half)) < 2e-6
