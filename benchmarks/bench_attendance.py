"""`comunidad import attendance` of 100,000 arrivals against raw sqlite3, in CPU time.

Run by hand (not part of the test suite), with the interpreter of the venv that has comunidad:

    python benchmarks/bench_attendance.py                     # this checkout, best of 5
    python benchmarks/bench_attendance.py --src /tmp/old/src  # another checkout's src/

The data set is `bench_governance.py`'s (`--meetings 1000 --present 100`): the Best Start
by-laws, 114 people seated, 1,000 meetings, 100 arrivals each. The prerequisites (people,
members, meetings) are imported untimed; then, `--runs` times, each from a copy of the same
starting database: `comunidad import attendance FILE` as its own process (CPU time of the
child, user + system, from `getrusage`), and the raw floor `raw_insert` of
`bench_governance.py` (the same rows, prepared in memory, sqlite3 executemany into an empty
copy of the table and its indexes, one transaction; CPU time of this process around it).
The 2 cores are shared with other jobs, so CPU time, not wall time, and the best of the
runs: what the work costs, not what the machine's load added. Stdlib only.
Exit status: 0 within `ATTENDANCE_MAX_RATIO` (3x), 1 not, 2 a command failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_governance import (
    ATTENDANCE_MAX_RATIO,
    BYLAWS,
    bench_env,
    comunidad,
    raw_insert,
    raw_rows,
    schema_of,
    write_files,
)

JSON_OUT = Path(__file__).resolve().parent / "out" / "attendance.json"


def child_cpu(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """CPU seconds (user + system) of one command run as its own process; exit 2 on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(f"FAILED: {' '.join(argv)}\n{done.stderr[-3000:]}", file=sys.stderr)
        raise SystemExit(2)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--src", type=Path, help="another checkout's src/ (before a change)")
    parser.add_argument("--json", type=Path, default=JSON_OUT, dest="json_path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args(argv)
    setup = argparse.Namespace(
        meetings=args.meetings,
        present=100,
        leaving=0,
        motions_per_meeting=0,
        votes_per_motion=0,
        seed=2026,
    )
    cli = comunidad()
    temp = Path(tempfile.mkdtemp(prefix="bench-attendance-"))
    workspace, files = temp / "ws", temp / "files"
    files.mkdir()
    env = bench_env(workspace)
    if args.src is not None:
        env["PYTHONPATH"] = str(args.src.resolve())
    try:
        data = write_files(files, setup)
        child_cpu([cli, "init", str(workspace), "--locale", "en_US"], env, temp)
        for old in (workspace / "bylaws").glob("*.toml"):
            old.unlink()
        shutil.copy(BYLAWS, workspace / "bylaws" / BYLAWS.name)
        for kind in ("people", "members", "meetings"):
            child_cpu([cli, "import", kind, str(files / f"{kind}.csv")], env, workspace)
        database = workspace / "comunidad.db"
        start = temp / "start.db"
        with sqlite3.connect(database) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(database, start)
        command = [cli, "import", "attendance", str(files / "attendance.csv")]
        imports: list[float] = []
        raws: list[float] = []
        schema: list[str] = []
        rows: list[tuple[Any, ...]] = []
        for n in range(args.runs + 1):  # the first run warms the caches, untimed
            for suffix in ("-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            shutil.copy(start, database)
            used = child_cpu(command, env, workspace)
            if n == 0:
                with sqlite3.connect(database) as conn:
                    (count,) = conn.execute("SELECT count(*) FROM attendance").fetchone()
                if count != data.counts["attendance"]:
                    print(f"{count} attendance rows, not {data.counts['attendance']}")
                    return 2
                schema = schema_of(database, ("attendance",))
                rows = raw_rows(database, files)["attendance"]
                raw_insert(schema, "attendance", rows, temp, time.process_time)
                continue
            imports.append(used)
            raws.append(raw_insert(schema, "attendance", rows, temp, time.process_time))
        ratio = min(imports) / min(raws)
        passed = ratio <= ATTENDANCE_MAX_RATIO
        load = os.getloadavg()[0]
        print(
            f"import attendance, {data.counts['attendance']:,} rows, CPU s (user + system),"
            f" best of {args.runs}: {min(imports):.3f}"
            f" (runs {', '.join(f'{x:.3f}' for x in imports)})\n"
            f"raw sqlite3 executemany, CPU s, best of {args.runs}: {min(raws):.3f}"
            f" (runs {', '.join(f'{x:.3f}' for x in raws)})\n"
            f"ratio {ratio:.2f}x (target {ATTENDANCE_MAX_RATIO:g}x): {'PASS' if passed else 'FAIL'}"
            f"   (python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, load {load:.1f})"
        )
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            "load": load,
            "rows": data.counts["attendance"],
            "import_cpu_s": imports,
            "raw_cpu_s": raws,
            "ratio_of_bests": ratio,
            "target": ATTENDANCE_MAX_RATIO,
            "passed": passed,
        }
        args.json_path.parent.mkdir(parents=True, exist_ok=True)
        args.json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return 0 if passed else 1
    finally:
        if args.keep:
            print(f"kept: {temp} (start.db: before the import)", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
