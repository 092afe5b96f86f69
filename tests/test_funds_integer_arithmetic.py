"""Scoring and ranking count in integers (issue 12: `fund rank --explain` under 0.5 s); the
results must be exactly those of the definitions in `Fraction`s. The reference functions
below are the Fraction implementations as they were before, kept here only to compare:
on random rubrics, sheets (refused ones too), recusals and chains, the integer arithmetic
gives equal scores, totals, means, spreads, flags, findings, order and tie messages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from comunidad_cli.core.funds import ranking
from comunidad_cli.core.funds.ranking import Candidate, Ranked, rank
from comunidad_cli.core.funds.scoring import (
    Criterion,
    Review,
    Scored,
    ScoreSheet,
    review_problems,
    score_applications,
)
from comunidad_cli.core.messages import N_, Msg


def fraction_score(
    criteria: Sequence[Criterion],
    applications: Iterable[str],
    reviews: Iterable[Review],
    *,
    reviewers_required: int,
    max_spread: Fraction | None,
) -> ScoreSheet:
    """`score_applications` in Fractions, term by term, as the module defines it."""
    order = list(dict.fromkeys(applications))
    counted: dict[str, dict[str, Review]] = {a: {} for a in order}
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
        problems = review_problems(criteria, review)
        if problems:
            findings.extend(problems)
            continue
        counted[review.application][review.reviewer] = review
    scored = []
    for application in order:
        kept = [
            r
            for name, r in sorted(counted[application].items())
            if name not in recused[application]
        ]
        totals = tuple(
            (r.reviewer, sum((c.weight * r.scores[c.id] for c in criteria), Fraction(0)))
            for r in kept
        )
        values = [t for _, t in totals]
        spread = max(values) - min(values) if values else Fraction(0)
        scored.append(
            Scored(
                application=application,
                score=sum(values, Fraction(0)) / len(values) if values else None,
                totals=totals,
                criteria=MappingProxyType(
                    {c.id: Fraction(sum(r.scores[c.id] for r in kept), len(kept)) for c in criteria}
                    if kept
                    else {}
                ),
                recused=tuple(sorted(set(recused[application]))),
                short_of_reviewers=len(kept) < reviewers_required,
                spread=spread,
                spread_flagged=max_spread is not None and spread > max_spread,
            )
        )
    return ScoreSheet(tuple(scored), tuple(findings))


def fraction_rank(
    candidates: Iterable[Candidate], *, min_score: Fraction, tie_break: Sequence[str], seed: str
) -> tuple[Ranked, ...]:
    """`rank` sorting on the Fractions themselves, as it did before."""
    fundable = [
        c for c in candidates if c.admissible and c.score is not None and c.score >= min_score
    ]
    rules = list(tie_break)

    def key(c: Candidate) -> tuple[Any, ...]:
        assert c.score is not None
        return (-c.score, *(ranking._key(r, c, seed) for r in rules), c.id)

    fundable.sort(key=key)
    ranked: list[Ranked] = []
    for position, candidate in enumerate(fundable):
        tie = None
        if position and fundable[position - 1].score == candidate.score:
            ahead = fundable[position - 1]
            rule = next(
                (
                    r
                    for r in rules
                    if ranking._key(r, ahead, seed) != ranking._key(r, candidate, seed)
                ),
                "id",
            )
            tie = ranking._resolution(rule, ahead, candidate, seed)
        ranked.append(Ranked(position + 1, candidate, tie))
    return tuple(ranked)


weights = st.fractions(min_value=Fraction(1, 60), max_value=1, max_denominator=60)


@st.composite
def rubrics(draw: st.DrawFn) -> tuple[Criterion, ...]:
    count = draw(st.integers(1, 5))
    found = []
    for n in range(count):
        low = draw(st.integers(0, 2))
        found.append(Criterion(f"c{n}", draw(weights), low, low + draw(st.integers(1, 9))))
    return tuple(found)


@st.composite
def sheets(draw: st.DrawFn) -> tuple[tuple[Criterion, ...], list[str], list[Review]]:
    rubric = draw(rubrics())
    apps = [f"a{n}" for n in range(draw(st.integers(0, 6)))]
    reviews = []
    for _ in range(draw(st.integers(0, 24))):
        scores: dict[str, Any] = {
            c.id: draw(st.integers(c.low, c.high)) for c in rubric if draw(st.integers(0, 30))
        }
        if not draw(st.integers(0, 20)):  # now and then a sheet that cannot be taken
            scores[draw(st.sampled_from(["c0", "extra"]))] = draw(
                st.sampled_from([99, -1, True, "4", 2])
            )
        reviews.append(
            Review(
                draw(st.sampled_from([*apps, "stray"])),
                draw(st.sampled_from(["r1", "r2", "r3", "r4"])),
                scores,
                recused=not draw(st.integers(0, 8)),
            )
        )
    return rubric, apps, reviews


@settings(max_examples=150, deadline=None)
@given(
    sheets(),
    st.integers(0, 4),
    st.none() | st.fractions(min_value=0, max_value=3, max_denominator=24),
)
def test_integer_scoring_equals_the_fraction_definition(
    drawn: tuple[tuple[Criterion, ...], list[str], list[Review]],
    required: int,
    max_spread: Fraction | None,
) -> None:
    rubric, apps, reviews = drawn
    ours = score_applications(
        rubric, apps, reviews, reviewers_required=required, max_spread=max_spread
    )
    reference = fraction_score(
        rubric, apps, reviews, reviewers_required=required, max_spread=max_spread
    )
    assert ours == reference
    assert [s.flags for s in ours.scored] == [s.flags for s in reference.scored]
    for s in ours.scored:  # the same types too: exact Fractions, never ints or floats
        assert s.score is None or type(s.score) is Fraction
        assert type(s.spread) is Fraction
        assert all(type(t) is Fraction for _, t in s.totals)
        assert all(type(m) is Fraction for m in s.criteria.values())


RULES = ["priority", "criterion:c0", "criterion:c1", "smaller_amount", "earlier_submission"]
exact_scores = st.fractions(min_value=1, max_value=5, max_denominator=36)
start = datetime(2026, 3, 1, 9, 0)


@st.composite
def pools(draw: st.DrawFn) -> list[Candidate]:
    # few distinct values, so that ties are common and the chain is walked to its end
    values = draw(st.lists(exact_scores, min_size=1, max_size=4))
    means = draw(st.lists(exact_scores, min_size=1, max_size=3))
    return [
        Candidate(
            f"app-{n}",
            draw(st.none() | st.sampled_from(values)),
            Decimal(draw(st.sampled_from([100, 250]))),
            admissible=bool(draw(st.integers(0, 9))),
            priority=draw(st.none() | st.integers(1, 2)),
            criteria=MappingProxyType(
                {c: draw(st.sampled_from(means)) for c in ("c0", "c1") if draw(st.booleans())}
            ),
            submitted=draw(st.none() | st.sampled_from([start, start + timedelta(hours=1)])),
        )
        for n in range(draw(st.integers(0, 30)))
    ]


@settings(max_examples=150, deadline=None)
@given(
    pools(),
    st.permutations(RULES).flatmap(lambda p: st.integers(0, len(p)).map(lambda k: p[:k])),
    st.booleans(),
    exact_scores,
)
def test_integer_ranking_equals_the_fraction_sort(
    pool: list[Candidate], chain: list[str], lottery: bool, minimum: Fraction
) -> None:
    rules = [*chain, "lottery"] if lottery else chain
    ours = rank(pool, min_score=minimum, tie_break=rules, seed="2026")
    reference = fraction_rank(pool, min_score=minimum, tie_break=rules, seed="2026")
    assert ours.ranked == reference
    assert {c.id for c, _ in ours.unranked} | {r.candidate.id for r in ours.ranked} == {
        c.id for c in pool
    }
