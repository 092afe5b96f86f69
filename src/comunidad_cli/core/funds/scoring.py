"""Reviewers' scores to an application's score, exactly (`Fraction`, never float).

Each reviewer's weighted total is the sum over the rubric of weight x points; an
application's score is the mean of its non-recused reviewers' totals. A recused reviewer's
scores never count, whatever they are. Scores that cannot be taken (outside the scale, for a
criterion the rubric lacks, a criterion left out, a reviewer twice) are refused as data
(`Msg` findings) and that reviewer's sheet is left out, never guessed at. An application
with fewer counted reviewers than the round requires, and one whose reviewers' totals differ
by more than the round's `max_spread`, are flagged for the commission to see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from functools import lru_cache
from math import lcm
from operator import le, mul
from types import MappingProxyType

from comunidad_cli.core.messages import N_, NP_, Msg


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rubric criterion: its weight (the round's weights sum to 1) and point scale."""

    id: str
    weight: Fraction
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class Review:
    """One reviewer's points per criterion on one application."""

    application: str
    reviewer: str
    scores: Mapping[str, int]
    recused: bool = False


@dataclass(frozen=True, slots=True)
class Scored:
    """An application's score and what the commission must look at.

    `score` is None when no reviewer's sheet counts. `totals` are the counted reviewers'
    weighted totals, in reviewer order; `criteria` the mean points per criterion over them
    (for the tie-break "criterion:<id>").
    """

    application: str
    score: Fraction | None
    totals: tuple[tuple[str, Fraction], ...]
    criteria: Mapping[str, Fraction]
    recused: tuple[str, ...]
    short_of_reviewers: bool
    spread: Fraction
    spread_flagged: bool

    @property
    def flags(self) -> tuple[Msg, ...]:
        """The flags as messages: too few reviewers, reviewers too far apart."""
        flags: list[Msg] = []
        if self.short_of_reviewers:
            flags.append(
                Msg.counted(
                    NP_REVIEWERS,
                    "count",
                    application=self.application,
                    count=len(self.totals),
                )
            )
        if self.spread_flagged:
            flags.append(
                Msg.of(
                    N_(
                        'application "{application}": reviewers\' totals differ by {spread}:'
                        " a consensus note is needed"
                    ),
                    application=self.application,
                    spread=shown_score(self.spread),
                )
            )
        return tuple(flags)


NP_REVIEWERS = NP_(
    'application "{application}" has {count} reviewer counted, fewer than the round requires',
    'application "{application}" has {count} reviewers counted, fewer than the round requires',
)


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """Every application's score, and the sheets refused (as findings, in input order)."""

    scored: tuple[Scored, ...]
    findings: tuple[Msg, ...] = field(default=())

    def by_application(self) -> dict[str, Scored]:
        return {s.application: s for s in self.scored}


def shown_score(value: Fraction) -> Decimal:
    """A score as shown to people: two decimals (the exact `Fraction` is what counts)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), ROUND_HALF_EVEN)


def weighted_total(criteria: Sequence[Criterion], scores: Mapping[str, int]) -> Fraction:
    """A reviewer's weighted total: the sum of weight x points over the rubric (in integers
    over the weights' common denominator, then one exact Fraction: thousands of sheets are
    summed without a Fraction per term)."""
    common, scaled = _scaled(tuple(criteria))
    return Fraction(sum(w * scores[c] for c, w in scaled), common)


@lru_cache(maxsize=32)
def _scaled(criteria: tuple[Criterion, ...]) -> tuple[int, tuple[tuple[str, int], ...]]:
    """The weights' common denominator, and each criterion's weight as an integer over it."""
    common = lcm(*(c.weight.denominator for c in criteria)) if criteria else 1
    return common, tuple((c.id, int(c.weight * common)) for c in criteria)


def review_problems(criteria: Sequence[Criterion], review: Review) -> list[Msg]:
    """Why a reviewer's sheet cannot be taken: points outside a criterion's scale, a
    criterion the rubric lacks, a criterion without points."""
    known = {c.id: c for c in criteria}
    problems: list[Msg] = []
    for criterion_id, points in review.scores.items():
        criterion = known.get(criterion_id)
        if criterion is None:
            problems.append(
                Msg.of(
                    N_(
                        'reviewer "{reviewer}" scored "{criterion}" on "{application}":'
                        " the rubric has no such criterion"
                    ),
                    reviewer=review.reviewer,
                    criterion=criterion_id,
                    application=review.application,
                )
            )
        elif (
            isinstance(points, bool)
            or not isinstance(points, int)
            or not (criterion.low <= points <= criterion.high)
        ):
            problems.append(
                Msg.of(
                    N_(
                        'reviewer "{reviewer}" gave {points} on "{criterion}" to "{application}":'
                        " the scale is {low} to {high}"
                    ),
                    reviewer=review.reviewer,
                    points=str(points),
                    criterion=criterion_id,
                    application=review.application,
                    low=criterion.low,
                    high=criterion.high,
                )
            )
    for criterion in criteria:
        if criterion.id not in review.scores:
            problems.append(
                Msg.of(
                    N_('reviewer "{reviewer}" gave no score on "{criterion}" to "{application}"'),
                    reviewer=review.reviewer,
                    criterion=criterion.id,
                    application=review.application,
                )
            )
    return problems


def score_applications(
    criteria: Sequence[Criterion],
    applications: Iterable[str],
    reviews: Iterable[Review],
    *,
    reviewers_required: int,
    max_spread: Fraction | None,
) -> ScoreSheet:
    """Every application's score from the reviews (the round's rubric and settings as plain
    parameters), with the refused sheets as findings.

    Recused sheets are not even checked: they never count. An application with no review is
    scored None and flagged as short of reviewers when the round requires any.

    The arithmetic is in integers: a reviewer's total over the weights' common denominator,
    the score over that times the reviewers counted, the spread compared by cross-products.
    Each exact value becomes a `Fraction` once (a round of thousands of sheets repeats a few
    hundred), so the results are the Fractions the definitions give, without a Fraction sum
    or comparison per sheet.
    """
    common, scaled = _scaled(tuple(criteria))  # weighted_total's way, worked out once
    ids = [c for c, _ in scaled]
    weights = [w for _, w in scaled]
    plain = _Plain(criteria)
    exact = _Exact()
    order = list(dict.fromkeys(applications))
    #: application -> reviewer -> the sheet's points in the rubric's order
    counted: dict[str, dict[str, list[int]]] = {a: {} for a in order}
    recused: dict[str, list[str]] = {a: [] for a in order}
    findings: list[Msg] = []
    for review in reviews:
        if review.application not in counted:
            findings.append(
                Msg.of(
                    N_(
                        'reviewer "{reviewer}" scored "{application}", which is not an'
                        " application of the round"
                    ),
                    reviewer=review.reviewer,
                    application=review.application,
                )
            )
            continue
        if review.recused:
            recused[review.application].append(review.reviewer)
            continue
        if review.reviewer in counted[review.application]:
            findings.append(
                Msg.of(
                    N_('reviewer "{reviewer}" scored "{application}" twice'),
                    reviewer=review.reviewer,
                    application=review.application,
                )
            )
            continue
        row = plain(review.scores)
        if row is None:
            problems = review_problems(criteria, review)
            if problems:
                findings.extend(problems)
                continue
            row = [review.scores[c] for c in ids]
        counted[review.application][review.reviewer] = row
    scored = []
    for application in order:
        sheets = counted[application]
        # a reviewer who recused on the application never counts, even with a sheet too
        kept = [name for name in sorted(sheets) if name not in recused[application]]
        count = len(kept)
        rows = [sheets[name] for name in kept]
        sums = [sum(map(mul, weights, row)) for row in rows]
        totals = tuple((name, exact(t, common)) for name, t in zip(kept, sums, strict=True))
        wide = max(sums) - min(sums) if sums else 0
        scored.append(
            Scored(
                application=application,
                score=exact(sum(sums), common * count) if count else None,
                totals=totals,
                criteria=MappingProxyType(
                    {
                        c: exact(sum(col), count)
                        for c, col in zip(ids, zip(*rows, strict=True), strict=True)
                    }
                    if count
                    else {}
                ),
                recused=tuple(sorted(set(recused[application]))),
                short_of_reviewers=count < reviewers_required,
                spread=exact(wide, common),
                # spread > max_spread, as wide / common > p / q with both denominators > 0
                spread_flagged=max_spread is not None
                and wide * max_spread.denominator > max_spread.numerator * common,
            )
        )
    return ScoreSheet(tuple(scored), tuple(findings))


class _Exact:
    """numerator / denominator as a `Fraction`, made once per value (they are immutable)."""

    def __init__(self) -> None:
        self._made: dict[tuple[int, int], Fraction] = {}

    def __call__(self, numerator: int, denominator: int) -> Fraction:
        key = (numerator, denominator)
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = Fraction(numerator, denominator)
        return found


class _Plain:
    """A sheet's points in the rubric's order when they are plainly right, else None:
    every criterion of the rubric and no other, each with integer points on its scale (the
    common case, told without building messages; `review_problems` says the rest)."""

    def __init__(self, criteria: Sequence[Criterion]) -> None:
        self.ids = [c.id for c in criteria]
        self.lows = [c.low for c in criteria]
        self.highs = [c.high for c in criteria]

    def __call__(self, scores: Mapping[str, int]) -> list[int] | None:
        if len(scores) != len(self.ids):
            return None
        try:
            row = [scores[c] for c in self.ids]
        except KeyError:
            return None
        if (
            all(type(p) is int for p in row)
            and all(map(le, self.lows, row))
            and all(map(le, row, self.highs))
        ):
            return row
        return None
