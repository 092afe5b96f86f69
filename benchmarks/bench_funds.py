"""Competitive funds' core at scale: scoring, ranking, award in every mode, and explain.

Run by hand (not part of the test suite):

    python benchmarks/bench_funds.py [--applications 2000] [--best 500] [--rounds 5] [--seed 1]
    python benchmarks/bench_funds.py --commands-only      # only the commands, whole process

In one process, on a generated round (6 criteria weighted 1/4, 1/4, 1/6, 1/6, 1/12, 1/12 on
a 1-5 scale, 3 reviewers per application, amounts of 500,000 to 5,000,000 pesos, a budget
of a third of what is asked, minimum score 2.5, tie-breaks priority, criterion:impact,
smaller_amount, earlier_submission, lottery), it times, as the median of --runs runs:
scoring --applications applications; ranking them with the award (mode "skip") and
`explain` (target < 0.5 s); the award in each mode; and the exact mode "best" on --best
applications (target < 2 s), over --rounds differently drawn rounds (the slowest is the
figure).

Then the commands, whole process (`comunidad` as installed, in a temporary SQLite
workspace under `bylaws/directorio-local.toml`, the round and its --applications
applications judged admissible written through `storage/funds/`, 3 reviewers seated on the
commission): `import fund-scores` of the 6 x 3 x --applications rows (CSV), `fund rank
--explain` (median and best of --runs, wall and CPU, target < 0.5 s), and `fund award
--explain` in every mode (the round's text in force changed to each mode). `--no-commands`
skips them. `--keep DIR` builds the workspace in DIR and leaves it there, to time or
profile the commands by hand (`comunidad fund rank bench --explain --seed 2026` in DIR/w).

Results also go to benchmarks/out/funds.json. Exit 1 when a target is missed: for `fund
rank --explain`, when its best run's CPU time (user + system) is 0.5 s or more, the cost of
the command alone on a core (on a machine shared with other jobs the wall time says more of
them than of the command; both are printed).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def round_file(mode: str, budget: Decimal) -> str:
    """A round file with the benchmark's rubric, every step's date still ahead (so that
    scores are taken on any day until 2030), and award mode `mode`."""
    criteria = "".join(
        f'''
[[criteria]]
id = "{c.id}"
name = {{ es = "{c.id}", en = "{c.id}", ca = "{c.id}" }}
weight = "{c.weight}"
scale = {{ min = 1, max = 5 }}

[criteria.levels]
'''
        + "".join(f'{p} = {{ es = "{p}", en = "{p}", ca = "{p}" }}\n' for p in range(1, 6))
        for c in CRITERIA
    )
    chain = ", ".join(f'"{w}"' for w in ("priority", "criterion:impact", *TIE_BREAK[2:]))
    return f'''schema = 1
id = "bench"
body = "directorio"
currency = "CLP"
budget = {budget}
serves = ["p1", "p2", "p3", "p4", "p5", "p6"]
reviewers_per_application = 3
max_spread = "1.5"
min_score = "2.5"
tie_break = [{chain}]
award_mode = "{mode}"

[name]
es = "Bench"
en = "Bench"
ca = "Bench"

[dates]
call = 2026-01-05
applications_open = 2026-01-10
applications_close = 2026-02-10
admissibility = 2026-02-20
appeals_until = 2026-02-28
evaluation = 2030-12-31
award = 2031-01-15

[eligibility]
kinds = ["community"]
{criteria}'''


def commands(count: int, seed: int, runs: int, keep: Path | None = None) -> dict[str, float]:
    """The commands on a round of `count` applications, whole process (see the module);
    in `keep` (left there) when given, else in a temporary folder."""
    import hashlib
    from datetime import UTC

    from bench_governance import bench_env, comunidad

    from comunidad_cli.storage import dbapi
    from comunidad_cli.storage.funds import applications, rounds

    script = comunidad()
    ids, reviews, facts = generate(count, seed)
    budget = sum((f[0] for f in facts.values()), Decimal(0)) // 3
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-funds-") as tmp:
        base = Path(tmp) if keep is None else keep
        if keep is not None:
            shutil.rmtree(keep / "w", ignore_errors=True)
            keep.mkdir(parents=True, exist_ok=True)
        workspace = base / "w"
        env = bench_env(workspace)

        cpu: dict[str, float] = {}

        def call(*argv: str) -> float:
            """Run one command; its wall time (its CPU, user + system, kept in `cpu`)."""
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            here = workspace if workspace.is_dir() else base
            done = subprocess.run(
                [script, *argv], cwd=here, env=env, capture_output=True, text=True
            )
            took = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[" ".join(argv[:2])] = (
                after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            )
            if done.returncode != 0:
                print(f"comunidad {' '.join(argv)} failed:\n{done.stderr}", file=sys.stderr)
                raise SystemExit(2)
            return took

        call("init", str(workspace), "--template", "directorio", "--locale", "es_CL")
        for path in (workspace / "bylaws").glob("*.toml"):
            path.unlink()
        shutil.copy(ROOT / "bylaws" / "directorio-local.toml", workspace / "bylaws")
        url = f"sqlite:///{workspace / 'comunidad.db'}"
        at = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)

        def text(db: dbapi.Db, round_id: int, mode: str, when: datetime) -> None:
            content = round_file(mode, budget)
            digest = hashlib.sha256(content.encode()).hexdigest()
            rounds.add_text(db, round_id=round_id, sha256=digest, content=content, loaded_at=when)

        with dbapi.transaction(url, write=True, check=lambda _: None, limit=5) as db:
            for n in range(200):
                db.insert(
                    "organisation",
                    {"key": f"org-{n}", "name": f"Org {n}", "kind": "community",
                     "created_at": db.instant(at)},
                )  # fmt: skip
            for r in range(3):
                pid = db.insert(
                    "person", {"key": f"rev-{r}", "name": f"Rev {r}", "created_at": db.instant(at)}
                )
                db.insert(
                    "seat",
                    {"bylaws_id": "directorio-local", "body": "comision_evaluadora",
                     "person_id": pid, "member_class": "comunitaria",
                     "start": db.day(at.date())},
                )  # fmt: skip
            rid = rounds.add_round(
                db, key="bench", bylaws_id="directorio-local", body="directorio",
                grant_id=None, opened_at=at,
            )  # fmt: skip
            text(db, rid, "skip", at)
            orgs = dict(db.rows("SELECT key, id FROM organisation"))
            for n, app in enumerate(ids):
                amount, priority, submitted = facts[app]
                aid = applications.add_application(
                    db, key=app, round_id=rid, organisation_id=orgs[f"org-{n % 200}"],
                    project=app, amount=amount, own_contribution=amount / 10,
                    priority=f"p{priority}", submitted_at=submitted.replace(tzinfo=UTC),
                    lines={"materiales": amount},
                )  # fmt: skip
                db.insert(
                    "fund_admissibility",
                    {"application_id": aid, "admissible": True, "reasons": "[]",
                     "decided_at": db.instant(at), "by": "bench"},
                )  # fmt: skip
        scores = base / "scores.csv"
        scores.write_text(
            "application,reviewer,criterion,points\n"
            + "".join(
                f"{r.application},{r.reviewer},{c},{p}\n"
                for r in reviews
                for c, p in r.scores.items()
            ),
            encoding="utf-8",
        )
        results["cmd_import_fund_scores"] = call(
            "import", "fund-scores", str(scores), "--round", "bench"
        )
        call("fund", "rank", "bench", "--explain", "--seed", "2026")  # warm the caches
        used = []
        for _ in range(runs):
            took = call("fund", "rank", "bench", "--explain", "--seed", "2026")
            used.append((took, cpu["fund rank"]))
        results["cmd_rank_explain"] = statistics.median(t for t, _ in used)
        results["cmd_rank_explain_cpu"] = statistics.median(c for _, c in used)
        # the best run's CPU (user + system): what the command costs on a core of its own,
        # the figure that other jobs sharing the machine inflate least
        results["cmd_rank_explain_cpu_best"] = min(c for _, c in used)
        results["cmd_rank_explain_best"] = min(t for t, _ in used)
        for k, mode in enumerate(AWARD_MODES):
            if mode != "skip":  # the text in force says "skip" already
                with dbapi.transaction(url, write=True, check=lambda _: None, limit=5) as db:
                    text(db, rid, mode, at + timedelta(minutes=k + 1))
            results[f"cmd_award_{mode}"] = statistics.median(
                call("fund", "award", "bench", "--explain", "--seed", "2026") for _ in range(runs)
            )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--best", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-commands", action="store_true", help="the core only")
    parser.add_argument("--commands-only", action="store_true", help="the commands only")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="build the commands' workspace in DIR, kept"
    )
    args = parser.parse_args()
    if args.commands_only:
        found = commands(args.applications, args.seed, args.runs, args.keep)
        for name, seconds in found.items():
            print(f"  {name:<26} {seconds * 1000:9.1f} ms")
        return 1 if found["cmd_rank_explain_cpu_best"] >= 0.5 else 0

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

    if not args.no_commands:
        results.update(commands(args.applications, args.seed, args.runs, args.keep))
    fundable = len(ranking.ranked)
    print(f"{args.applications} applications x 3 reviewers x 6 criteria, {fundable} fundable")
    for name, seconds in results.items():
        print(f"  {name:<26} {seconds * 1000:9.1f} ms")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "funds.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    missed = (
        results["rank_award_explain"] >= 0.5
        or results["best_small_slowest"] >= 2.0
        or results.get("cmd_rank_explain_cpu_best", 0) >= 0.5
    )
    if missed:
        print(
            "a target was missed (rank+explain < 0.5 s, best on the small round < 2 s,"
            " fund rank --explain < 0.5 s of CPU)"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
