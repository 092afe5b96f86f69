"""A million votes into PostgreSQL: `comunidad import votes` against a raw COPY of the same rows.

Run by hand (not part of the test suite), with the interpreter of the venv that has comunidad
and psycopg, against a PostgreSQL server where the role may create databases:

    python benchmarks/bench_pg_copy.py --server postgresql://me@127.0.0.1:5432/postgres
    python benchmarks/bench_pg_copy.py --meetings 100   # 100,000 votes, for a quick look

The data are `bench_governance.py`'s (1,000 meetings, 100,000 attendance rows, 10,000
motions, 1,000,000 votes). A workspace is created on a new database of the server
(`comunidad init --db URL`) and everything up to the motions imported; that database is then
kept as a template, so that each measured run starts from the very same state, in a fresh
database made from it (`CREATE DATABASE ... TEMPLATE`): the same tables, indexes, foreign
keys, parent rows, and an empty `vote` table. Each run, in turn:

1. `comunidad import votes votes.csv`, as its own process (whole process timed);
2. the raw script (`RAW_SCRIPT`), as its own process: psycopg, csv.reader over the same CSV
   file, ids looked up, times converted, `COPY vote (...) FROM STDIN` with `write_row`,
   one transaction: the same rows a user's own COPY would write (whole process timed);
3. the floor: the same rows, prepared in memory beforehand, copied with psycopg's COPY in
   this process (only the COPY and its commit timed).

Runs are interleaved, so a burst of load on the machine hits each about equally; the load
average is recorded. Results go to benchmarks/out/pg_copy.json. See benchmarks/README.md.

Exit status: 0 the target met (the import within 3x the raw COPY script, medians), 1 missed,
2 a command failed or did not write every row.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_governance import (  # the data and the runner are shared
    BYLAWS,
    COLUMNS,
    Step,
    bench_env,
    comunidad,
    run,
    write_files,
)

ROOT = Path(__file__).resolve().parent.parent
JSON_OUT = ROOT / "benchmarks" / "out" / "pg_copy.json"
#: The target of issue 10: the import (whole process) within this many times a raw COPY.
MAX_RATIO = 3.0

#: What a user could write by hand: read the CSV, look the ids up, COPY, one transaction.
#: argv: database URL, CSV file.
RAW_SCRIPT = """
import csv, sys
from datetime import UTC, datetime
import psycopg

url, path = sys.argv[1:3]
with psycopg.connect(url) as conn:
    people = dict(conn.execute("SELECT key, id FROM person").fetchall())
    motions = dict(conn.execute("SELECT key, id FROM motion").fetchall())
    times = {}

    def at(text):
        found = times.get(text)
        if found is None:
            found = times[text] = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
        return found

    with open(path, newline="", encoding="utf-8") as f, conn.cursor() as cursor:
        reader = csv.reader(f)
        next(reader)
        with cursor.copy(
            "COPY vote (motion_id, person_id, choice, at, cast_by_id) FROM STDIN"
        ) as copy:
            for m, p, c, t, b in reader:
                copy.write_row((motions[m], people[p], c, at(t), people[b] if b else None))
"""


def with_database(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def admin(server: str, *statements: str) -> None:
    """Statements outside a transaction on the server's own database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def fresh_from(server: str, template: str, name: str) -> str:
    admin(
        server,
        f'DROP DATABASE IF EXISTS "{name}"',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )
    return with_database(server, name)


def count_votes(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM vote").fetchone()
        return int(row[0]) if row else 0


def prepared_rows(url: str, votes_csv: Path) -> list[tuple[Any, ...]]:
    """The vote rows as comunidad writes them: ids looked up, aware UTC times."""
    import psycopg

    with psycopg.connect(url) as conn:
        people = dict(conn.execute("SELECT key, id FROM person").fetchall())
        motions = dict(conn.execute("SELECT key, id FROM motion").fetchall())
    times: dict[str, datetime] = {}
    rows = []
    with open(votes_csv, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for m, p, c, t, b in reader:
            when = times.get(t)
            if when is None:
                when = times[t] = datetime.fromisoformat(t.replace("Z", "+00:00")).astimezone(UTC)
            rows.append((motions[m], people[p], c, when, people[b] if b else None))
    return rows


def floor_copy(url: str, rows: list[tuple[Any, ...]]) -> float:
    """Seconds for psycopg's COPY of `rows` (prepared already) and its commit."""
    import psycopg

    columns = ", ".join(COLUMNS["vote"])
    with psycopg.connect(url) as conn:
        start = time.perf_counter()
        with conn.cursor() as cursor, cursor.copy(f"COPY vote ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - start


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"FAILED: {' '.join(argv)}\n{(proc.stdout + proc.stderr)[-3000:]}", file=sys.stderr)
        raise SystemExit(2)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("COMUNIDAD_TEST_POSTGRES")
        or "postgresql://comunidad@127.0.0.1:55432/postgres",
        help="a database URL on the server (its databases are made beside it)",
    )
    parser.add_argument("--prefix", default="bench_pg_copy", help="names of the databases made")
    parser.add_argument("--runs", type=int, default=1, help="measured runs of each, interleaved")
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--present", type=int, default=100)
    parser.add_argument("--motions-per-meeting", type=int, default=10)
    parser.add_argument("--votes-per-motion", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the files and databases")
    parser.add_argument("--json", type=Path, default=JSON_OUT, dest="json_path")
    args = parser.parse_args(argv)
    args.leaving = 0

    cli = comunidad()
    temp = Path(tempfile.mkdtemp(prefix="bench-pg-copy-"))
    workspace, files = temp / "ws", temp / "files"
    files.mkdir()
    env = bench_env(workspace)
    server = args.server
    template, ws_db, raw_db, floor_db = (
        f"{args.prefix}_{name}" for name in ("template", "ws", "raw", "floor")
    )
    made = [template, ws_db, raw_db, floor_db]
    try:
        data = write_files(files, args)
        votes_csv = files / "votes.csv"
        print(f"files: {data.counts} ({files})", file=sys.stderr)
        admin(server, f'DROP DATABASE IF EXISTS "{template}"', f'CREATE DATABASE "{template}"')
        url = with_database(server, template)
        init = [cli, "init", str(workspace), "--locale", "en_US", "--db", url]
        run(Step("init", init), env, temp)
        for old in (workspace / "bylaws").glob("*.toml"):
            old.unlink()
        shutil.copy(BYLAWS, workspace / "bylaws" / BYLAWS.name)
        for kind in ("people", "members", "meetings", "attendance", "motions"):
            print(f"import {kind} ...", file=sys.stderr)
            run(Step(kind, [cli, "import", kind, str(files / f"{kind}.csv")]), env, workspace)
        # From now on the template is only copied; the workspace points at its copy.
        ws_url = with_database(server, ws_db)
        (workspace / "comunidad.toml").write_text(
            (workspace / "comunidad.toml").read_text(encoding="utf-8").replace(url, ws_url),
            encoding="utf-8",
        )
        script = temp / "raw_copy.py"
        script.write_text(RAW_SCRIPT, encoding="utf-8")
        rows = prepared_rows(url, votes_csv)
        expected = data.counts["votes"]
        samples: dict[str, list[float]] = {"import": [], "raw": [], "floor": []}
        loads: list[float] = []
        for n in range(args.runs):
            loads.append(os.getloadavg()[0])
            fresh_from(server, template, ws_db)
            print(f"run {n + 1}: comunidad import votes ...", file=sys.stderr)
            samples["import"].append(
                timed([cli, "import", "votes", str(votes_csv)], env, workspace)
            )
            raw_url = fresh_from(server, template, raw_db)
            print(f"run {n + 1}: raw COPY script ...", file=sys.stderr)
            samples["raw"].append(
                timed([sys.executable, str(script), raw_url, str(votes_csv)], env, temp)
            )
            floor_url = fresh_from(server, template, floor_db)
            print(f"run {n + 1}: COPY of prepared rows ...", file=sys.stderr)
            samples["floor"].append(floor_copy(floor_url, rows))
            loads.append(os.getloadavg()[0])
            for name, where in (("import", ws_url), ("raw", raw_url), ("floor", floor_url)):
                if count_votes(where) != expected:
                    print(f"{name}: not every vote was written", file=sys.stderr)
                    return 2

        medians = {k: statistics.median(v) for k, v in samples.items()}
        ratio = medians["import"] / medians["raw"]
        floor_ratio = medians["import"] / medians["floor"]
        passed = ratio <= MAX_RATIO
        lines = [
            f"votes: {expected:,}; load average (1 min) {min(loads):.1f}-{max(loads):.1f}",
            f"{'measure':<44} {'median s':>9} {'rows/s':>10}  runs",
        ]
        for label, key in (
            ("comunidad import votes (whole process)", "import"),
            ("raw COPY script (whole process)", "raw"),
            ("COPY of prepared rows (COPY + commit)", "floor"),
        ):
            values = ", ".join(f"{s:.2f}" for s in samples[key])
            lines.append(
                f"{label:<44} {medians[key]:>9.2f} {expected / medians[key]:>10,.0f}  {values}"
            )
        lines.append(
            f"import / raw COPY script: {ratio:.2f}x; import / COPY floor: {floor_ratio:.2f}x"
        )
        lines.append(
            f"{'PASS' if passed else 'FAIL'}  votes import within {MAX_RATIO:g}x a raw COPY"
        )
        print("\n".join(lines))

        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "platform": platform.platform(),
                "python": sys.version.split()[0],
                "cpus": os.cpu_count(),
                "load_average": loads,
            },
            "parameters": {k: v for k, v in vars(args).items() if k not in ("json_path", "server")},
            "rows": data.counts,
            "samples_s": samples,
            "medians_s": medians,
            "ratio_to_raw_script": ratio,
            "ratio_to_copy_floor": floor_ratio,
            "target": {"max_ratio": MAX_RATIO, "met": passed},
        }
        args.json_path.parent.mkdir(parents=True, exist_ok=True)
        args.json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"results: {args.json_path}", file=sys.stderr)
        return 0 if passed else 1
    finally:
        if args.keep:
            print(f"kept: {temp} and databases {', '.join(made)}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)
            admin(server, *(f'DROP DATABASE IF EXISTS "{name}"' for name in made))


if __name__ == "__main__":
    sys.exit(main())
