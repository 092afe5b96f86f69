"""Whole-process wall time of the comunidad CLI, on this machine, in one run.

Run by hand (not part of the test suite), with the interpreter of the venv that has comunidad:

    python benchmarks/bench_cli.py            # 20 runs per command, 5 for the 1,000 files
    python benchmarks/bench_cli.py --runs 50 --dir-runs 10

Measures, after warm-up runs, the wall time of starting each command as a new process (what a
user or a CI job waits for), compares it with `python -c pass` on the same interpreter, checks
the targets, lists the heaviest imports of `comunidad --help` and `bylaws check`, and writes
everything to benchmarks/out/cli.json as well. See benchmarks/README.md.

Stdlib only. Exit status: 0 all targets met, 1 a target missed or a forbidden import seen,
2 a command did not behave as expected (wrong exit status, missing script).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLE = "bylaws/best-start-partnership.toml"
JSON_OUT = ROOT / "benchmarks" / "out" / "cli.json"

# Targets (ratios are of medians to the median of `python -c pass`).
HELP_MAX_RATIO = 10.0
CHECK_MAX_RATIO = 15.0
DIR_MAX_SECONDS = 3.0
# Must not be imported by `--help` nor by `bylaws check` of one file (a module or any submodule).
FORBIDDEN = ("sqlalchemy", "sqlmodel", "babel.numbers", "rich")

# Variables that would change what is measured (language, workspace, bytecode, profiling).
_DROPPED_ENV = (
    "LC_ALL",
    "LC_MESSAGES",
    "LANGUAGE",
    "COMUNIDAD_LOCALE",
    "COMUNIDAD_WORKSPACE",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONWARNINGS",
)


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env["LANG"] = "C.UTF-8"
    return env


def script(name: str) -> Path | None:
    """The console script `name` next to sys.executable (bin/ or Scripts/), if any."""
    found = shutil.which(name, path=str(BIN))
    return Path(found) if found else None


# --- timing ------------------------------------------------------------------------------


@dataclass
class Bench:
    label: str
    argv: list[str]
    expected_rc: int = 0
    samples: list[float] = field(default_factory=list)  # seconds
    skipped: str | None = None
    error: str | None = None

    def stats(self) -> dict[str, float]:
        ms = [s * 1000 for s in self.samples]
        return {
            "mean_ms": statistics.fmean(ms),
            "median_ms": statistics.median(ms),
            "min_ms": min(ms),
            "stdev_ms": statistics.stdev(ms) if len(ms) > 1 else 0.0,
        }

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def run_once(
    argv: list[str], env: dict[str, str], capture: bool = False
) -> tuple[float, int, str, str]:
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, stdout=out, stderr=out, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if capture:
        return (
            elapsed,
            proc.returncode,
            proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace"),
        )
    return elapsed, proc.returncode, "", ""


def warm_up(bench: Bench, env: dict[str, str], count: int) -> tuple[str, str]:
    """Warm-up runs (not timed); the first one's output is kept and its exit status checked."""
    first = ("", "")
    for i in range(max(count, 1)):
        _, rc, out, err = run_once(bench.argv, env, capture=True)
        if i == 0:
            first = (out, err)
        if rc != bench.expected_rc:
            bench.error = (
                f"exit status {rc}, expected {bench.expected_rc}:\n{(err or out).strip()[-2000:]}"
            )
            break
    return first


def measure(benches: list[Bench], env: dict[str, str], runs: int) -> None:
    """Time each command `runs` times, interleaved so that drift hits all of them alike."""
    live = [b for b in benches if b.skipped is None and b.error is None]
    for _ in range(runs):
        for bench in live:
            elapsed, rc, _, _ = run_once(bench.argv, env)
            if rc != bench.expected_rc and bench.error is None:
                bench.error = f"exit status {rc} during a timed run, expected {bench.expected_rc}"
            bench.samples.append(elapsed)


# --- the 1,000 by-laws files ---------------------------------------------------------------

_ID_LINE = re.compile(r'^id = "([^"]+)"', re.MULTILINE)
_NAME_LINE = re.compile(r'^name = "([^"]*)"', re.MULTILINE)  # the first one is the top-level name
_GENERATED = re.compile(r"(\d{4})-[a-z0-9-]+\.toml")


def make_bylaws_dir(directory: Path, count: int) -> int:
    """`count` copies of the example by-laws, each with its own id and name; returns the broken one."""
    sources = sorted((ROOT / "bylaws").glob("*.toml"))
    if not sources:
        raise SystemExit(f"no example by-laws in {ROOT / 'bylaws'}")
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    broken = count // 2
    for i in range(count):
        stem, text = texts[i % len(texts)]
        if i == broken:
            # Invalid id (upper case and a space): an error the checker must report.
            text = _ID_LINE.sub(f'id = "BROKEN {i}"', text, count=1)
        else:
            text = _ID_LINE.sub(rf'id = "\g<1>-{i:04d}"', text, count=1)
        text = _NAME_LINE.sub(rf'name = "\g<1> #{i}"', text, count=1)
        (directory / f"{i:04d}-{stem}.toml").write_text(text, encoding="utf-8")
    return broken


def verify_dir_output(out: str, err: str, broken: int) -> str | None:
    """None if exactly the broken file was reported, else what went wrong."""
    reported = {int(m.group(1)) for m in _GENERATED.finditer(out + "\n" + err)}
    if reported != {broken}:
        shown = sorted(reported)[:10]
        return f"expected findings in file {broken:04d} only, got files {shown}"
    return None


# --- imports -------------------------------------------------------------------------------

_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)\s*$")


@dataclass
class ImportReport:
    label: str
    argv: list[str]
    modules: list[tuple[str, int, int, int]] = field(
        default_factory=list
    )  # name, self, cumulative us, depth
    error: str | None = None

    @property
    def total_us(self) -> int:
        return sum(m[1] for m in self.modules)

    def forbidden(self) -> list[str]:
        names = [m[0] for m in self.modules]
        return sorted({f for f in FORBIDDEN for n in names if n == f or n.startswith(f + ".")})

    def top(self, threshold_us: int, limit: int = 10) -> list[tuple[str, int, int, int]]:
        heavy = [m for m in self.modules if m[2] >= threshold_us]
        return sorted(heavy, key=lambda m: m[2], reverse=True)[:limit]


def import_times(label: str, args: list[str], env: dict[str, str], tries: int = 3) -> ImportReport:
    """`python -X importtime -m comunidad_cli ARGS`: the quickest of `tries` runs (least noise)."""
    argv = [sys.executable, "-X", "importtime", "-m", "comunidad_cli", *args]
    best: ImportReport | None = None
    for _ in range(tries):
        proc = subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, stdin=subprocess.DEVNULL
        )
        report = ImportReport(label, argv)
        for line in proc.stderr.decode(errors="replace").splitlines():
            match = _IMPORT_LINE.match(line)
            if match:
                self_us, cum_us, indent, name = match.groups()
                report.modules.append((name, int(self_us), int(cum_us), (len(indent) - 1) // 2))
        if proc.returncode != 0:
            report.error = f"exit status {proc.returncode}"
        if best is None or report.total_us < best.total_us:
            best = report
    assert best is not None
    return best


# --- output --------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "SKIP" if ok is None else ("PASS" if ok else "FAIL")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (default 20)")
    parser.add_argument(
        "--dir-runs", type=int, default=5, help="timed runs of the folder check (default 5)"
    )
    parser.add_argument(
        "--files", type=int, default=1000, help="by-laws files in the folder (default 1000)"
    )
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument(
        "--import-threshold-ms",
        type=float,
        default=5.0,
        help="list imports at least this heavy, cumulative (default 5 ms)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=JSON_OUT,
        help=f"results file (default {JSON_OUT.relative_to(ROOT)})",
    )
    opts = parser.parse_args(argv)
    if opts.runs < 2 or opts.dir_runs < 1 or opts.files < 2:
        parser.error("need --runs >= 2, --dir-runs >= 1, --files >= 2")

    env = bench_env()
    comunidad = script("comunidad")
    if comunidad is None:
        print(
            f"no `comunidad` script next to {sys.executable}: install the project in this environment"
            " (pip install -e .) or run this with the venv's python.",
            file=sys.stderr,
        )
        return 2
    sqlite_utils = script("sqlite-utils") if importlib.util.find_spec("sqlite_utils") else None

    print(f"comunidad CLI start-up benchmark - {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}")
    print(f"python     {platform.python_version()} ({sys.executable})")
    print(f"machine    {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"cwd        {ROOT}   env LANG=C.UTF-8")
    print(
        f"runs       {opts.runs} per command (interleaved), {opts.dir_runs} for {opts.files} files;"
        f" {opts.warmup} warm-up runs each; targets use the median"
    )
    print()

    py = Bench("python -c pass", [sys.executable, "-c", "pass"])
    help_ = Bench("comunidad --help", [str(comunidad), "--help"])
    check1 = Bench(
        f"comunidad bylaws check {EXAMPLE}", [str(comunidad), "bylaws", "check", EXAMPLE]
    )
    sqlu = Bench("sqlite-utils --help", [str(sqlite_utils), "--help"] if sqlite_utils else [])
    if sqlite_utils is None:
        sqlu.skipped = "sqlite-utils not installed"
        print(
            "sqlite-utils is not installed in this environment, so its line is skipped."
            " Install it with:  pip install -e '.[bench]'"
        )
        print()
    benches = [py, help_, check1, sqlu]

    for bench in benches:
        if bench.skipped is None:
            warm_up(bench, env, opts.warmup)
    measure(benches, env, opts.runs)

    with tempfile.TemporaryDirectory(prefix="comunidad-bench-") as tmp:
        broken = make_bylaws_dir(Path(tmp), opts.files)
        folder = Bench(
            f"comunidad bylaws check DIR ({opts.files} files)",
            [str(comunidad), "bylaws", "check", tmp],
            expected_rc=1,
        )
        out, err = warm_up(folder, env, opts.warmup)
        if folder.error is None:
            folder.error = verify_dir_output(out, err, broken)
        measure([folder], env, opts.dir_runs)

    help_imports = import_times("comunidad --help", ["--help"], env)
    check_imports = import_times(
        f"comunidad bylaws check {EXAMPLE}", ["bylaws", "check", EXAMPLE], env
    )

    # --- table ---
    base = py.median if py.samples else None
    targets: list[dict[str, object]] = []

    def target(name: str, value: float | None, limit: float | None, unit: str) -> str:
        ok = None if value is None or limit is None else value < limit
        targets.append({"target": name, "value": value, "limit": limit, "unit": unit, "passed": ok})
        return f"{name}: {verdict(ok)}"

    rows = []
    for bench in [*benches, folder]:
        notes: list[str] = []
        ratio = bench.median / base if bench.samples and base else None
        if bench is help_:
            notes.append(target(f"< {HELP_MAX_RATIO:g}x pass", ratio, HELP_MAX_RATIO, "x"))
            faster = sqlu.median * 1000 if sqlu.samples else None
            notes.append(
                target(
                    "< sqlite-utils --help",
                    help_.median * 1000 if help_.samples else None,
                    faster,
                    "ms",
                )
            )
        elif bench is check1:
            notes.append(target(f"< {CHECK_MAX_RATIO:g}x pass", ratio, CHECK_MAX_RATIO, "x"))
        elif bench is folder:
            notes.append(
                target(
                    f"< {DIR_MAX_SECONDS:g} s",
                    bench.median if bench.samples else None,
                    DIR_MAX_SECONDS,
                    "s",
                )
            )
        rows.append((bench, ratio, "; ".join(notes)))

    width = max(len(b.label) for b, _, _ in rows)
    head = f"{'command':<{width}}  {'runs':>4}  {'mean':>8}  {'median':>8}  {'min':>8}  {'stdev':>7}  {'x pass':>6}  targets (median)"
    print(head)
    print(f"{'':<{width}}  {'':>4}  {'ms':>8}  {'ms':>8}  {'ms':>8}  {'ms':>7}")
    print("-" * len(head))
    for bench, ratio, notes in rows:
        if bench.skipped:
            print(
                f"{bench.label:<{width}}  skipped: {bench.skipped}  (pip install -e '.[bench]')  {notes}"
            )
            continue
        if not bench.samples:
            print(f"{bench.label:<{width}}  not measured  {notes}")
            continue
        s = bench.stats()
        r = f"{ratio:5.2f}x" if ratio is not None else "-"
        print(
            f"{bench.label:<{width}}  {len(bench.samples):>4}  {s['mean_ms']:8.1f}  {s['median_ms']:8.1f}"
            f"  {s['min_ms']:8.1f}  {s['stdev_ms']:7.1f}  {r:>6}  {notes}"
        )
    print()
    files_per_s = None
    if folder.samples:
        files_per_s = opts.files / folder.median
        print(
            f"{opts.files} files: {folder.median:.2f} s median (min {min(folder.samples):.2f} s),"
            f" {files_per_s:.0f} files/s; target < {DIR_MAX_SECONDS:g} s: {verdict(folder.median < DIR_MAX_SECONDS)}"
        )
        print()

    errors = [b for b in [*benches, folder] if b.error]
    for bench in errors:
        print(f"ERROR {bench.label}: {bench.error}")
    if errors:
        print()

    # --- imports ---
    threshold_us = int(opts.import_threshold_ms * 1000)
    forbidden_found = False
    for report in (help_imports, check_imports):
        print(
            f"imports of `{report.label}` ({len(report.modules)} modules, {report.total_us / 1000:.1f} ms"
            f" self time in all; top 10 at >= {opts.import_threshold_ms:g} ms cumulative, quickest of 3 runs)"
        )
        if report.error:
            print(f"  (the importtime run ended with {report.error})")
        print(f"  {'cumulative ms':>13}  {'self ms':>7}  module (indented under its importer)")
        for name, self_us, cum_us, depth in report.top(threshold_us):
            print(f"  {cum_us / 1000:13.1f}  {self_us / 1000:7.1f}  {'  ' * depth}{name}")
        found = report.forbidden()
        if found:
            forbidden_found = True
            print(
                f"  FAIL: `{report.label}` imports {', '.join(found)} (must not: {', '.join(FORBIDDEN)})"
            )
        else:
            print(f"  PASS: none of {', '.join(FORBIDDEN)} imported")
        print()

    failed = [t for t in targets if t["passed"] is False]
    summary = (
        "all targets met"
        if not failed and not forbidden_found
        else "MISSED: "
        + ", ".join(
            [f"{t['target']}" for t in failed] + (["forbidden imports"] if forbidden_found else [])
        )
    )
    if errors:
        summary += f"; {len(errors)} command(s) misbehaved"
    print(summary)

    # --- JSON ---
    def bench_json(b: Bench) -> dict[str, object]:
        data: dict[str, object] = {
            "command": b.label,
            "argv": b.argv,
            "expected_exit": b.expected_rc,
        }
        if b.skipped:
            data["skipped"] = b.skipped
        if b.error:
            data["error"] = b.error
        if b.samples:
            data.update({k: round(v, 3) for k, v in b.stats().items()})
            data["runs"] = len(b.samples)
            data["ratio_to_python_pass"] = round(b.median / base, 3) if base else None
            data["samples_ms"] = [round(s * 1000, 3) for s in b.samples]
        return data

    def imports_json(r: ImportReport) -> dict[str, object]:
        return {
            "argv": r.argv,
            "modules": len(r.modules),
            "self_total_ms": round(r.total_us / 1000, 3),
            "top": [
                {"module": n, "cumulative_ms": c / 1000, "self_ms": s / 1000, "depth": d}
                for n, s, c, d in r.top(threshold_us)
            ],
            "forbidden_imported": r.forbidden(),
            "error": r.error,
        }

    result = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "env": {"LANG": env["LANG"]},
        "runs": opts.runs,
        "warmup": opts.warmup,
        "commands": [bench_json(b) for b in benches],
        "bylaws_dir": {
            **bench_json(folder),
            "files": opts.files,
            "broken_file": broken,
            "median_s": round(folder.median, 4) if folder.samples else None,
            "files_per_second": round(files_per_s, 1) if files_per_s else None,
        },
        "targets": targets,
        "imports": {
            "help": imports_json(help_imports),
            "check_one_file": imports_json(check_imports),
        },
        "forbidden_modules": list(FORBIDDEN),
    }
    opts.json.parent.mkdir(parents=True, exist_ok=True)
    opts.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    written = opts.json.resolve()
    shown = written.relative_to(ROOT) if written.is_relative_to(ROOT) else written
    print(f"results written to {shown}")

    if errors:
        return 2
    return 1 if failed or forbidden_found else 0


if __name__ == "__main__":
    sys.exit(main())
