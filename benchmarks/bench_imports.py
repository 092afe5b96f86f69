"""The careful path of `comunidad import people|orgs|grants|payments` on 1,000-row files.

Run by hand (not part of the test suite), with the interpreter of the venv that has comunidad:

    python benchmarks/bench_imports.py                        # this checkout
    python benchmarks/bench_imports.py --src /tmp/old/src     # another checkout's src/

For each kind, in a temporary workspace whose prerequisites were imported untimed (a funder
and a community organisation; for payments a grant, an active subcontract and its budget),
the script times `comunidad import KIND FILE` of 1,000 new rows, whole process, `--runs`
times, each from a copy of the same starting database: median and least wall time, and the
median CPU time (user + system) of the process, which a loaded machine inflates less. These kinds have no fast
lane: every row goes the careful path (plan, then write, in one transaction). `--src` puts
another checkout's src/ first on PYTHONPATH (the before/after of a change). Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_governance import bench_env, comunidad

ROWS = 1_000


def _files(rows: int) -> dict[str, str]:
    orgs = "id,name,kind\n" + "".join(f"o{i},Organisation {i},community\n" for i in range(rows))
    people = "id,name,org,email\n" + "".join(
        f"p{i},Person {i},casa,p{i}@example.org\n" for i in range(rows)
    )
    grants = "id,funder,title,amount,currency,from,to\n" + "".join(
        f"g{i},funder,Grant {i},1000.00,EUR,2025-01-01,2025-12-31\n" for i in range(rows)
    )
    payments = "payment,subcontract,period_from,period_to,date,status,category,amount\n" + "".join(
        f"inv-{i},casa-1,2025-02-01,2025-02-28,2025-03-05,approved,personnel,10.00\n"
        for i in range(rows)
    )
    return {"orgs": orgs, "people": people, "grants": grants, "payments": payments}


_SETUP = {
    "orgs": "id,name,kind\nfunder,Funder,funder\ncasa,Casa,community\n",
    "grants": "id,funder,title,amount,currency,from,to\n"
    "bs,funder,Best Start,1000000.00,EUR,2025-01-01,2025-12-31\n",
    "subcontracts": "id,grant,partner,kind,from,to,status,risk_level,risk_by,risk_on\n"
    "casa-1,bs,casa,subaward,2025-02-01,2025-11-30,active,low,Ana,2025-01-15\n",
    "budget-lines": "subcontract,category,amount\ncasa-1,personnel,100000.00\n",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--src", type=Path, help="another checkout's src/ (before a change)")
    args = parser.parse_args()
    script = comunidad()
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        base = Path(tmp)
        workspace = base / "w"
        env = bench_env(workspace)
        env.pop("COMUNIDAD_WORKSPACE")
        if args.src is not None:
            env["PYTHONPATH"] = str(args.src.resolve())

        cpu: list[float] = []

        def call(*argv: str) -> float:
            """Run one command; its wall time (its CPU time, user + system, goes to `cpu`)."""
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                [script, *argv], cwd=workspace, env=env, capture_output=True, text=True
            )
            took = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                print(f"comunidad {' '.join(argv)} failed:\n{done.stderr}", file=sys.stderr)
                raise SystemExit(2)
            return took

        subprocess.run(
            [script, "init", str(workspace), "--locale", "en", "--currency", "EUR"],
            env=env,
            check=True,
            capture_output=True,
        )
        for kind, text in _SETUP.items():
            (base / f"setup-{kind}.csv").write_text(text, encoding="utf-8")
            call("import", kind, str(base / f"setup-{kind}.csv"))
        database = workspace / "comunidad.db"
        start = base / "start.db"
        shutil.copy(database, start)
        print(
            f"{'kind':<10} {'rows':>6} {'wall s':>7} {'min s':>6} {'CPU s':>6}"
            f"   (medians; python {sys.version.split()[0]}, load {os.getloadavg()[0]:.1f})"
        )
        for kind, text in _files(args.rows).items():
            path = base / f"{kind}.csv"
            path.write_text(text, encoding="utf-8")
            times = []
            cpu.clear()
            for _ in range(args.runs + 1):  # the first run warms the caches, untimed
                for suffix in ("-wal", "-shm"):
                    Path(f"{database}{suffix}").unlink(missing_ok=True)
                shutil.copy(start, database)
                times.append(call("import", kind, str(path)))
            times, used = times[1:], cpu[1:]
            print(
                f"{kind:<10} {args.rows:>6} {statistics.median(times):>7.3f} {min(times):>6.3f}"
                f" {statistics.median(used):>6.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
