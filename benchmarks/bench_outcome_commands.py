"""Outcomes at the issue's scale: 10 indicators x 4 dimensions x 20 groups x 40 quarters.

Run by hand (not part of the test suite):

    python benchmarks/bench_outcome_commands.py [--runs 5] [--db postgresql://...]

Generates synthetic aggregated counts (numerators and denominators that add up, a share of
the groups under 11 so that suppression has work to do) for 10 percentage indicators, each
broken down by 4 dimensions of 20 groups, over 40 quarters (2016-Q1 to 2025-Q4): 32,400
rows. Then, whole processes (`comunidad` as installed, in a temporary workspace): `import
outcomes` of the CSV, and `outcome show ID --json` of each indicator (the whole table
suppressed, the trend of 40 quarters with Wilson intervals and the disparities of the last
quarter in 4 dimensions); and in one process `view_of` for all 10 (the computation alone,
target < 0.5 s). Figures as the median of --runs runs; results also go to
benchmarks/out/outcome_commands.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

INDICATORS, DIMENSIONS, GROUPS, QUARTERS = 10, 4, 20, 40


def _toml() -> str:
    lines = ["schema = 1", ""]
    for i in range(INDICATORS):
        dims = ", ".join(f'"d{d}"' for d in range(DIMENSIONS))
        lines += [
            f"[indicators.ind{i}]",
            f'name = {{ es = "Indicador {i}", en = "Indicator {i}", ca = "Indicador {i}" }}',
            'direction = "higher"',
            'measure = "percentage"',
            'numerator = { es = "n", en = "n", ca = "n" }',
            'denominator = { es = "d", en = "d", ca = "d" }',
            f"dimensions = [{dims}]",
            'links = { priorities = ["p"] }',
            "",
        ]
    return "\n".join(lines)


def _csv(seed: int) -> str:
    rng = random.Random(seed)
    out = ["indicator,period,dimension,group,numerator,denominator"]
    for i in range(INDICATORS):
        for q in range(QUARTERS):
            period = f"{2016 + q // 4}-Q{q % 4 + 1}"
            # one set of people per period, split differently by each dimension
            dens = [rng.randint(5, 200) for _ in range(GROUPS)]
            nums = [rng.randint(0, den) for den in dens]
            total_n, total_d = sum(nums), sum(dens)
            out.append(f"ind{i},{period},total,total,{total_n},{total_d}")
            for d in range(DIMENSIONS):
                order = list(range(GROUPS))
                rng.shuffle(order)
                for g, k in enumerate(order):
                    out.append(f"ind{i},{period},d{d},g{g:02d},{nums[k]},{dens[k]}")
    return "\n".join(out) + "\n"


def _timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default=None)
    options = parser.parse_args()
    exe = str(Path(sys.executable).with_name("comunidad"))
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        init = [exe, "init", str(root)] + (["--db", options.db] if options.db else [])
        subprocess.run(init, check=True, capture_output=True)
        (root / "outcomes").mkdir()
        (root / "outcomes" / "bench.toml").write_text(_toml(), encoding="utf-8")
        data = root / "counts.csv"
        data.write_text(_csv(1), encoding="utf-8")
        rows = data.read_text(encoding="utf-8").count("\n") - 1
        results["import_outcomes_s"] = _timed([exe, "import", "outcomes", str(data)], root)
        shows = []
        for _ in range(options.runs):
            start = time.perf_counter()
            for i in range(INDICATORS):
                subprocess.run(
                    [exe, "outcome", "show", f"ind{i}", "--json"],
                    cwd=root,
                    check=True,
                    capture_output=True,
                )
            shows.append(time.perf_counter() - start)
        results["outcome_show_all_10_s"] = statistics.median(shows)

        from comunidad_cli.services.outcomes.data import privacy_settings, view_of
        from comunidad_cli.services.outcomes.files import workspace_indicators
        from comunidad_cli.services.session import reading_db
        from comunidad_cli.services.workspace import database_url, load
        from comunidad_cli.storage.outcomes import indicator_cells

        url = database_url(load(root), None, {})
        indicators = workspace_indicators(root)
        with reading_db(url) as db:
            tables = {i: indicator_cells(db, i) for i in indicators}
        privacy = privacy_settings(root)
        computes = []
        for _ in range(options.runs):
            start = time.perf_counter()
            for i, indicator in indicators.items():
                view_of(indicator, tables[i], privacy)
            computes.append(time.perf_counter() - start)
        results["compute_all_10_s"] = statistics.median(computes)
    results["rows"] = rows
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "outcome_commands.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0 if results["compute_all_10_s"] < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
