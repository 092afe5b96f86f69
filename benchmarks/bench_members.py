"""Seat imports at scale: `comunidad import members` of 1,000, 2,500 and 10,000 seats.

Run by hand (not part of the test suite), with the interpreter of the venv that has comunidad:

    python benchmarks/bench_members.py                   # 1,000 / 2,500 / 10,000 seats
    python benchmarks/bench_members.py --sizes 1000 20000 --runs 5

For each size, in a temporary workspace with the Best Start by-laws, the script imports the
people (untimed), then times `comunidad import members` of a file of that many seats, whole
process, `--runs` times from the same starting database (median). The seats exercise every
rule: capped bodies (nlg, outreach, finance, parent_leadership) filled to their caps year
after year with one-year terms, a facilitator and a finance chair each year (role holders
and term limits), co-chairs and a secretary on the partnership every two years, and the
rest open seats on the partnership. The rows are shuffled, so the file is in no helpful
order. Then, on the database each size left, it times `comunidad member add` of one seat on
the partnership and one on a capped body (whole process, median): one seat must not cost
more because many are stored.

Target (whole process, medians): the largest size within as many times the smallest's time
as it has times the seats (10,000 seats within 10x of 1,000: linear). Beside it, the time of
importing a file with no rows (start-up, by-laws, the database), and the import's own work
timed inside a process that has already imported an empty file, with its ratio: the whole
process hides much of the growth under start-up. Figures go to benchmarks/out/members.json.
Stdlib only. Exit status: 0 target met, 1 missed, 2 a command failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench_governance import BYLAWS, bench_env, comunidad

ROOT = Path(__file__).resolve().parent.parent
JSON_OUT = ROOT / "benchmarks" / "out" / "members.json"

#: Capped bodies and their caps in the Best Start by-laws, and the role each one's first
#: resident seat carries every year (None: no role).
CAPPED = {
    "nlg": ({"resident": 7, "agency": 3, "business": 1, "funder": 1}, "nlg_facilitator"),
    "outreach": ({"resident": 4, "agency": 2}, None),
    "finance": ({"resident": 3, "agency": 2}, "finance_chair"),
    "parent_leadership": ({"resident": 5}, None),
}
PER_YEAR = sum(sum(caps.values()) for caps, _ in CAPPED.values())  # 28
ROTATION = 60  # people taking turns on the capped bodies
OFFICERS = 30  # people taking turns as co-chairs and secretary
OPEN_CLASSES = ("resident", "agency", "business", "funder")
LAST_YEAR = 2025


def seats_for(size: int, rng: random.Random) -> tuple[list[str], list[list[str]]]:
    """People and exactly `size` seats (shuffled) that every rule accepts."""
    years = max(1, round(size * 0.2 / (PER_YEAR + 1.5)))
    first_year = LAST_YEAR - years + 1
    rows: list[list[str]] = []
    for n in range(years):
        year = first_year + n
        start, end = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
        for body, (caps, role) in CAPPED.items():
            k = 0
            for member_class, cap in caps.items():
                for _ in range(cap):
                    person = f"rota-{(n * 7 + k) % ROTATION:02d}"
                    held = role if k == 0 and role else ""
                    rows.append(["bsmla", body, person, member_class, held, start, end])
                    k += 1
    for q in range((years + 1) // 2):
        year = first_year + 2 * q
        start, end = date(year, 1, 1).isoformat(), date(year + 1, 12, 31).isoformat()
        for k, (member_class, role) in enumerate(
            (("resident", "co_chairs"), ("agency", "co_chairs"), ("resident", "secretary"))
        ):
            person = f"officer-{(3 * q + k) % OFFICERS:02d}"
            rows.append(["bsmla", "partnership", person, member_class, role, start, end])
    people = [f"rota-{n:02d}" for n in range(ROTATION)]
    people += [f"officer-{n:02d}" for n in range(OFFICERS)]
    for n in range(max(0, size - len(rows))):
        person = f"member-{n:05d}"
        people.append(person)
        start = date(first_year + rng.randrange(years), rng.randrange(1, 13), 1).isoformat()
        rows.append(["bsmla", "partnership", person, OPEN_CLASSES[n % 4], "", start, ""])
    people.append("late-joiner")
    rows = rows[:size]
    rng.shuffle(rows)
    return people, rows


#: Run by `sys.executable -c`: import an empty file (untimed: it pays start-up, the imports
#: and the table models), then the seats, timed inside the process: the import's own work.
IN_PROCESS = """
import sys, time
from comunidad_cli.cli import main

def run(path):
    sys.argv = ["comunidad", "import", "members", path]
    try:
        main()
    except SystemExit as exit:
        if exit.code not in (0, None):
            raise
    return time.perf_counter()

empty, seats = sys.argv[1:3]
run(empty)
start = time.perf_counter()
print(run(seats) - start, file=sys.stderr)
"""


def in_process(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    proc = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        print(f"FAILED in process: {proc.stdout}{proc.stderr[-3000:]}", file=sys.stderr)
        raise SystemExit(2)
    return float(proc.stderr.strip().splitlines()[-1])


def timed(argv: list[str], env: dict[str, str], cwd: Path, expect: str = "") -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - start
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0 or expect not in output:
        print(f"FAILED: {' '.join(argv)}\n{output[-3000:]}", file=sys.stderr)
        raise SystemExit(2)
    return seconds


def measure(size: int, args: argparse.Namespace, temp: Path) -> dict[str, Any]:
    """Median whole-process seconds of importing `size` seats, and of adding one after."""
    cli = comunidad()
    folder = temp / f"n{size}"
    workspace = folder / "ws"
    folder.mkdir()
    env = bench_env(workspace)
    people, rows = seats_for(size, random.Random(args.seed))
    with open(folder / "people.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "name"])
        out.writerows([key, key.replace("-", " ").title()] for key in people)
    with open(folder / "members.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["bylaws", "body", "person", "class", "role", "from", "to"])
        out.writerows(rows)
    timed([cli, "init", str(workspace), "--locale", "en_US"], env, folder)
    for old in (workspace / "bylaws").glob("*.toml"):
        old.unlink()
    shutil.copy(BYLAWS, workspace / "bylaws" / BYLAWS.name)
    timed([cli, "import", "people", str(folder / "people.csv")], env, workspace)
    db = workspace / "comunidad.db"
    empty = folder / "people-only.db"
    with sqlite3.connect(db) as conn:  # one file: the WAL folded back in
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, empty)

    (folder / "header.csv").write_text("bylaws,body,person,class,role,from,to\n", encoding="utf-8")
    floor = [
        timed([cli, "import", "members", str(folder / "header.csv")], env, workspace, "0 created")
        for _ in range(args.runs)
    ]
    imports = []
    for _ in range(args.runs):
        for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            extra.unlink(missing_ok=True)
        shutil.copy(empty, db)
        imports.append(
            timed(
                [cli, "import", "members", str(folder / "members.csv")],
                env,
                workspace,
                f"{size} created",
            )
        )
    inside = []
    for _ in range(args.runs):
        for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            extra.unlink(missing_ok=True)
        shutil.copy(empty, db)
        inside.append(
            in_process([str(folder / "header.csv"), str(folder / "members.csv")], env, workspace)
        )
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    full = folder / "seated.db"
    shutil.copy(db, full)
    adds: dict[str, list[float]] = {}
    for label, extra_args in (
        ("partnership", ["--body", "partnership", "--class", "resident"]),
        ("nlg", ["--body", "nlg", "--class", "resident", "--to", f"{LAST_YEAR + 1}-12-31"]),
    ):
        samples = adds.setdefault(label, [])
        for _ in range(args.runs):
            shutil.copy(full, db)
            argv = [cli, "member", "add", "--person", "late-joiner", *extra_args]
            samples.append(
                timed([*argv, "--from", f"{LAST_YEAR + 1}-01-01"], env, workspace, "Seated")
            )
    return {
        "seats": size,
        "import_samples_s": imports,
        "import_median_s": statistics.median(imports),
        "in_process_samples_s": inside,
        "in_process_median_s": statistics.median(inside),
        "empty_import_samples_s": floor,
        "empty_import_median_s": statistics.median(floor),
        "member_add_samples_s": adds,
        "member_add_median_s": {k: statistics.median(v) for k, v in adds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 10000])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspaces")
    parser.add_argument("--json", type=Path, default=JSON_OUT, dest="json_path")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    temp = Path(tempfile.mkdtemp(prefix="bench-members-"))
    load = os.getloadavg()
    try:
        results = []
        for size in sizes:
            print(f"{size:,} seats ...", file=sys.stderr)
            results.append(measure(size, args, temp))
    finally:
        if args.keep:
            print(f"kept: {temp}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)

    small, large = results[0], results[-1]
    ratio = large["import_median_s"] / small["import_median_s"]
    allowed = large["seats"] / small["seats"]  # linear: 10x the seats, at most 10x the time
    passed = ratio <= allowed

    print(
        f"{'seats':>8} {'import s':>9} {'seats/s':>9} {'x smallest':>10}"
        f" {'empty file s':>12} {'in process s':>12} {'x smallest':>10}"
        f" {'add (partnership) s':>20} {'add (nlg) s':>12}"
    )
    for result in results:
        seconds, add = result["import_median_s"], result["member_add_median_s"]
        inside = result["in_process_median_s"]
        print(
            f"{result['seats']:>8,} {seconds:>9.3f} {result['seats'] / seconds:>9,.0f}"
            f" {seconds / small['import_median_s']:>10.2f}"
            f" {result['empty_import_median_s']:>12.3f} {inside:>12.3f}"
            f" {inside / small['in_process_median_s']:>10.2f}"
            f" {add['partnership']:>20.3f} {add['nlg']:>12.3f}"
        )
    print(
        f"{'PASS' if passed else 'FAIL'}  {large['seats']:,} seats within {allowed:.1f}x"
        f" of {small['seats']:,}: {ratio:.2f}x   (load average {load[0]:.2f}, runs {args.runs})"
    )
    args.json_path.parent.mkdir(parents=True, exist_ok=True)
    args.json_path.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {
                    "platform": platform.platform(),
                    "python": sys.version.split()[0],
                    "cpus": os.cpu_count(),
                    "load_average": load,
                },
                "parameters": {k: v for k, v in vars(args).items() if k != "json_path"},
                "results": results,
                "ratio": ratio,
                "allowed_ratio": allowed,
                "passed": passed,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"results: {args.json_path}", file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
