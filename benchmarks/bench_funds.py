"""Competitive funds' core at scale: scoring, ranking, award in every mode, and explain.

Run by hand (not part of the test suite):

    python benchmarks/bench_funds.py [--applications 2000] [--best 500] [--rounds 5] [--seed 1]

In one process, on a generated round (6 criteria weighted 1/4, 1/4, 1/6, 1/6, 1/12, 1/12 on
a 1-5 scale, 3 reviewers per application, amounts of 500,000 to 5,000,000 pesos, a budget
of a third of what is asked, minimum score 2.5, tie-breaks priority, criterion:impact,
smaller_amount, earlier_submission, lottery), it times, as the median of --runs runs:
scoring --applications applications; ranking them with the award (mode "skip") and
`explain` (target < 0.5 s); the award in each mode; and the exact mode "best" on --best
applications (target < 2 s), over --rounds differently drawn rounds (the slowest is the
figure). Results also go to benchmarks/out/funds.json. Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from comunidad_cli.core.funds.award import AWARD_MODES, award, explain  # noqa: E402
from comunidad_cli.core.funds.ranking import Candidate, rank  # noqa: E402
from comunidad_cli.core.funds.scoring import Criterion, Review, score_applications  # noqa: E402

CRITERIA = tuple(
    Criterion(name, Fraction(weight), 1, 5)
    for name, weight in (
        ("impact", "1/4"),
        ("participation", "1/4"),
        ("plan", "1/6"),
        ("feasibility", "1/6"),
        ("budget", "1/12"),
        ("sustainability", "1/12"),
    )
)
TIE_BREAK = ("priority", "criterion:impact", "smaller_amount", "earlier_submission", "lottery")
MIN_SCORE = Fraction(5, 2)


def generate(count: int, seed: int) -> tuple[list[str], list[Review], dict[str, Any]]:
    """A round's applications, 3 reviews each, and their facts (amount, priority, time)."""
    draw = random.Random(seed)
    ids = [f"app-{n:05}" for n in range(count)]
    reviews = [
        Review(app, f"rev-{r}", {c.id: draw.randint(1, 5) for c in CRITERIA})
        for app in ids
        for r in range(3)
    ]
    start = datetime(2026, 3, 1, 9, 0)
    facts = {
        app: (
            Decimal(draw.randrange(500, 5001) * 1000),
            draw.randint(1, 6),
            start + timedelta(minutes=draw.randrange(0, 60 * 24 * 30)),
        )
        for app in ids
    }
    return ids, reviews, facts


def candidates(ids: list[str], reviews: list[Review], facts: dict[str, Any]) -> list[Candidate]:
    sheet = score_applications(CRITERIA, ids, reviews, reviewers_required=3, max_spread=Fraction(1))
    return [
        Candidate(
            s.application,
            s.score,
            facts[s.application][0],
            priority=facts[s.application][1],
            criteria=s.criteria,
            submitted=facts[s.application][2],
        )
        for s in sheet.scored
    ]


def timed(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--best", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    ids, reviews, facts = generate(args.applications, args.seed)
    budget = sum((f[0] for f in facts.values()), Decimal(0)) // 3
    results: dict[str, float] = {}
    results["score"] = timed(
        lambda: score_applications(
            CRITERIA, ids, reviews, reviewers_required=3, max_spread=Fraction(1)
        ),
        args.runs,
    )
    pool = candidates(ids, reviews, facts)

    def rank_and_explain() -> object:
        ranking = rank(pool, min_score=MIN_SCORE, tie_break=TIE_BREAK, seed="2026")
        return explain(award(ranking, budget, "skip"))

    results["rank_award_explain"] = timed(rank_and_explain, args.runs)
    ranking = rank(pool, min_score=MIN_SCORE, tie_break=TIE_BREAK, seed="2026")
    for mode in AWARD_MODES:
        results[f"award_{mode}"] = timed(lambda m=mode: award(ranking, budget, m), 1)

    best_times = []
    for n in range(args.rounds):
        small_ids, small_reviews, small_facts = generate(args.best, args.seed + 100 + n)
        small_budget = sum((f[0] for f in small_facts.values()), Decimal(0)) // 3
        small = rank(
            candidates(small_ids, small_reviews, small_facts),
            min_score=Fraction(0),
            tie_break=TIE_BREAK,
            seed="2026",
        )
        best_times.append(timed(lambda s=small, b=small_budget: award(s, b, "best"), 1))
    results["best_small_slowest"] = max(best_times)
    results["best_small_median"] = statistics.median(best_times)

    fundable = len(ranking.ranked)
    print(f"{args.applications} applications x 3 reviewers x 6 criteria, {fundable} fundable")
    for name, seconds in results.items():
        print(f"  {name:<22} {seconds * 1000:9.1f} ms")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "funds.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    missed = results["rank_award_explain"] >= 0.5 or results["best_small_slowest"] >= 2.0
    if missed:
        print("a target was missed (rank+explain < 0.5 s, best on the small round < 2 s)")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
