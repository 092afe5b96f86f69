"""Concurrent writers: N processes x M votes on one meeting, on SQLite and on PostgreSQL.

Run by hand (not part of the test suite), with the interpreter of the venv that has comunidad:

    python benchmarks/bench_concurrency.py                        # SQLite (and PostgreSQL, below)
    python benchmarks/bench_concurrency.py --processes 1 8 --votes 20 --spawn-votes 3
    python benchmarks/bench_concurrency.py --postgres postgresql://me@127.0.0.1:5432/postgres

PostgreSQL is measured when `--postgres URL` (or COMUNIDAD_BENCH_POSTGRES, else
COMUNIDAD_TEST_POSTGRES) names a server where the user may create databases; each run gets
a fresh database named `--db-prefix` + a number, dropped at the end (`--keep` keeps it).

For each backend and each N of `--processes`, a fresh workspace (Best Start by-laws, 11
voting members of the NLG seated, a meeting where they are all present, M motions put) and
N processes, one per member, each casting a vote on every motion, each in another order:

- `loop`: each process runs its M `motion vote` commands one after the other through the
  console script's entry point (`comunidad_cli.cli.main`), in the one process, so what is
  measured is the commands' work and the waits for the writers' lock, not start-up;
- `spawn`: each process runs its `--spawn-votes` votes as `comunidad motion vote` processes
  (a person at a terminal), start-up included.

The processes import what they need, then wait for a barrier file; the clock runs from the
barrier to the last vote. It prints votes, seconds, votes per second and each vote's
latency (median, 95th percentile), checks that every vote was stored once, and writes
everything to benchmarks/out/concurrency.json.

Target: one writer at a time must not collapse under contention: N processes' votes per
second at least 0.8x one process's (`loop`; the votes queue for the lock instead of failing
and retrying). Exit status: 0 target met, 1 missed, 2 a command failed or a vote was lost
or doubled.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench_governance import BYLAWS, bench_env, comunidad

ROOT = Path(__file__).resolve().parent.parent
JSON_OUT = ROOT / "benchmarks" / "out" / "concurrency.json"
MIN_RATIO = 0.8
DAY = "2026-11-18"
SEATS = [(f"r{n}", "resident") for n in range(1, 8)]
SEATS += [(f"a{n}", "agency") for n in range(1, 4)] + [("b1", "business")]

#: One process: argv = barrier file, result file, mode, JSON list of commands.
WORKER = r"""
import io, json, os, subprocess, sys, time
from pathlib import Path

barrier, out, mode, commands = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
from comunidad_cli import cli, i18n

i18n.activate("en")
import comunidad_cli.cli.app, comunidad_cli.services.motions, comunidad_cli.storage.dbapi
try:
    import psycopg
except ImportError:
    pass
Path(str(out) + ".ready").touch()
while not barrier.exists():
    time.sleep(0.0005)
done = []
for argv in commands:
    start = time.perf_counter()
    if mode == "spawn":
        code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
    else:
        sys.argv = ["comunidad", *argv]
        real, sys.stdout = sys.stdout, io.StringIO()
        try:
            cli.main()
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        finally:
            sys.stdout = real
    done.append([code, time.perf_counter() - start, time.time()])
out.write_text(json.dumps(done))
"""


def write_csv(path: Path, header: str, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header.split(","))
        writer.writerows(rows)
    return path


def setup(cli: str, folder: Path, motions: int, db_url: str | None) -> Path:
    """A workspace in `folder`/ws: the NLG seated and present, `motions` motions put."""
    env = bench_env(folder / "ws")
    env.pop("COMUNIDAD_WORKSPACE")

    def ok(*args: str, cwd: Path) -> None:
        done = subprocess.run([cli, *args], cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"comunidad {' '.join(args)}: {done.stderr}")

    init = ["init", "ws", "--locale", "en_US", "--timezone", "UTC"]
    ok(*init, *(["--db", db_url] if db_url else []), cwd=folder)
    ws = folder / "ws"
    for old in (ws / "bylaws").glob("*.toml"):
        old.unlink()
    shutil.copy(BYLAWS, ws / "bylaws" / BYLAWS.name)
    people = [(key, f"Person {key.upper()}") for key, _ in SEATS]
    ok("import", "people", str(write_csv(folder / "people.csv", "id,name", people)), cwd=ws)
    seats = [("bsmla", "nlg", key, cls, "2024-01-01") for key, cls in SEATS]
    header = "bylaws,body,person,class,from"
    ok("import", "members", str(write_csv(folder / "members.csv", header, seats)), cwd=ws)
    meeting = ["meeting", "new", "--body", "nlg", "--at", f"{DAY} 18:00", "--id", "m"]
    ok(*meeting, "--notice-sent", "2026-11-01", cwd=ws)
    arrive = [("m", key, f"{DAY}T18:00:00", "arrive") for key, _ in SEATS]
    header = "meeting,person,at,event"
    ok("import", "attendance", str(write_csv(folder / "arrive.csv", header, arrive)), cwd=ws)
    rows = [
        (f"m-{n}", "m", "award_subcontract", f"Motion {n}", f"{DAY}T18:10") for n in range(motions)
    ]
    header = "id,meeting,decision,title,at"
    ok("import", "motions", str(write_csv(folder / "motions.csv", header, rows)), cwd=ws)
    return ws


def stored_votes(ws: Path, db_url: str | None) -> list[tuple[Any, ...]]:
    sql = "SELECT motion_id, person_id, count(*) FROM vote GROUP BY motion_id, person_id"
    if db_url is None:
        import sqlite3

        with sqlite3.connect(ws / "comunidad.db") as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(db_url) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def measure(cli: str, ws: Path, mode: str, processes: int, votes: int) -> dict[str, Any]:
    """N processes, each member `r1`... voting on motions m-0..m-(votes-1), at once."""
    env = bench_env(ws)
    folder = ws.parent / f"run-{mode}-{processes}"
    folder.mkdir()
    barrier = folder / "go"
    procs, outs = [], []
    for p in range(processes):
        person = SEATS[p][0]
        order = [(p + k) % votes for k in range(votes)]
        commands = [
            ["motion", "vote", f"m-{n}", "--person", person, "--choice", "yes", "--at", "18:20"]
            for n in order
        ]
        if mode == "spawn":
            commands = [[cli, *c] for c in commands]
        out = folder / f"w{p}.json"
        outs.append(out)
        argv = [sys.executable, "-c", WORKER, str(barrier), str(out), mode, json.dumps(commands)]
        procs.append(subprocess.Popen(argv, cwd=ws, env=env, stderr=subprocess.PIPE, text=True))
    while not all(Path(f"{o}.ready").exists() for o in outs):
        if any(p.poll() is not None for p in procs):
            raise SystemExit("a worker failed: " + "".join(p.communicate()[1] for p in procs))
        time.sleep(0.005)
    started = time.time()
    barrier.touch()
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a worker failed: {err}")
    done = [item for out in outs for item in json.loads(out.read_text())]
    seconds = max(end for _, _, end in done) - started
    latencies = sorted(latency for _, latency, _ in done)
    return {
        "mode": mode,
        "processes": processes,
        "votes": len(done),
        "failed": sum(1 for code, _, _ in done if code != 0),
        "seconds": round(seconds, 3),
        "votes_per_second": round(len(done) / seconds, 1),
        "latency_median_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
    }


def new_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--votes", type=int, default=40, help="votes per process (loop)")
    parser.add_argument("--spawn-votes", type=int, default=5, help="votes per process (spawn)")
    parser.add_argument("--spawn-processes", type=int, nargs="*", default=[1, 8])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("COMUNIDAD_BENCH_POSTGRES")
        or os.environ.get("COMUNIDAD_TEST_POSTGRES"),
        help="a PostgreSQL server URL (a database is created there for each run)",
    )
    parser.add_argument("--db-prefix", default="comunidad_bench_", help="databases' name prefix")
    parser.add_argument("--keep", action="store_true", help="keep workspaces and databases")
    parser.add_argument("--json", type=Path, default=JSON_OUT, dest="json_path")
    args = parser.parse_args(argv)
    if max(args.processes + args.spawn_processes) > len(SEATS):
        parser.error(f"at most {len(SEATS)} processes: the NLG has {len(SEATS)} voting seats")

    cli = comunidad()
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if args.postgres:
        backends.append(("postgresql", args.postgres))
    temp = Path(tempfile.mkdtemp(prefix="bench-concurrency-"))
    results: list[dict[str, Any]] = []
    created: list[str] = []
    status = 0
    try:
        runs = [("loop", n, args.votes) for n in args.processes]
        runs += [("spawn", n, args.spawn_votes) for n in args.spawn_processes]
        for backend, server in backends:
            for number, (mode, processes, votes) in enumerate(runs):
                folder = temp / f"{backend}-{number}"
                folder.mkdir()
                db_url = None
                if server is not None:
                    name = f"{args.db_prefix}{os.getpid()}_{number}"
                    db_url = new_database(server, name)
                    created.append(name)
                ws = setup(cli, folder, votes, db_url)
                print(f"{backend} {mode} {processes} x {votes} ...", file=sys.stderr)
                result = {"backend": backend, **measure(cli, ws, mode, processes, votes)}
                stored = stored_votes(ws, db_url)
                result["stored"] = sum(count for _, _, count in stored)
                result["doubled"] = sum(1 for _, _, count in stored if count != 1)
                results.append(result)
                if result["failed"] or result["doubled"] or result["stored"] != result["votes"]:
                    print(f"lost, doubled or failed votes: {result}", file=sys.stderr)
                    status = 2
    finally:
        if args.keep:
            print(f"kept: {temp} {' '.join(created)}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)
            for name in created:
                assert args.postgres
                drop_database(args.postgres, name)

    print(
        f"{'backend':<11}{'mode':<7}{'procs':>6}{'votes':>7}{'s':>8}{'votes/s':>9}"
        f"{'median ms':>11}{'p95 ms':>9}"
    )
    for r in results:
        print(
            f"{r['backend']:<11}{r['mode']:<7}{r['processes']:>6}{r['votes']:>7}"
            f"{r['seconds']:>8.2f}{r['votes_per_second']:>9.1f}{r['latency_median_ms']:>11.1f}"
            f"{r['latency_p95_ms']:>9.1f}"
        )
    verdicts = []
    for backend, _ in backends:
        loop = {
            r["processes"]: r for r in results if r["backend"] == backend and r["mode"] == "loop"
        }
        if 1 in loop and len(loop) > 1:
            most = max(loop)
            ratio = loop[most]["votes_per_second"] / loop[1]["votes_per_second"]
            met = ratio >= MIN_RATIO
            verdicts.append(
                {"backend": backend, "processes": most, "ratio": round(ratio, 2), "met": met}
            )
            print(
                f"{backend}: {most} processes at {ratio:.2f}x one process's votes/s"
                f" (target >= {MIN_RATIO}x): {'PASS' if met else 'FAIL'}"
            )
            if not met and status == 0:
                status = 1
    args.json_path.parent.mkdir(parents=True, exist_ok=True)
    args.json_path.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "load": os.getloadavg(),
                },
                "parameters": vars(args) | {"json_path": str(args.json_path)},
                "results": results,
                "verdicts": verdicts,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
