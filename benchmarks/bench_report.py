"""The board report of a year on a realistic workspace: `comunidad report --html`.

Run by hand (not part of the test suite):

    python benchmarks/bench_report.py [--partners 30] [--meetings 48] [--runs 10]

It builds a throwaway English workspace (partnership by-laws) as a user would, by imports:
one funder and `--partners` partners; three grants for 2026, the partners' subcontracts
split among them with three budget lines each and a paid invoice every month (36 payment
lines a subcontract); `--meetings` NLG meetings in 2026 with five motions each; every
partner assessed with the shipped capacity instrument (29 items) in 2025 and again in 2026.
Then it times `comunidad report --html --from 2026-01-01 --to 2026-12-31 -o FILE` (whole
process, median of --runs) and, in one process, the report's own work (`board_report` and
`board_html`, warm). Target: under 2 s. Results also go to benchmarks/out/report.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMUNIDAD = str(Path(sys.executable).parent / "comunidad")
CATEGORIES = ("personnel", "activities", "overhead")
ITEMS = {
    "governance": ("gov-bylaws", "gov-board", "gov-residents", "gov-conflicts", "gov-succession"),
    "finance": ("fin-budget", "fin-controls", "fin-reporting", "fin-audit", "fin-reserves"),
    "programs": ("prg-plan", "prg-data", "prg-outcomes", "prg-learning", "prg-deliverables"),
    "community": ("com-voice", "com-language", "com-access", "com-feedback", "com-leaders"),
    "people": ("hr-roles", "hr-training", "hr-volunteers", "hr-wellbeing"),
    "partnerships": ("ptn-network", "ptn-funding", "ptn-inkind", "ptn-advocacy"),
}


def run(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run([COMUNIDAD, *args], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"comunidad {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def write_files(folder: Path, partners: int, meetings: int) -> dict[str, Path]:
    names = (
        "orgs", "grants", "subcontracts", "budget-lines", "payments", "meetings", "motions",
        "assessments",
    )  # fmt: skip
    files = {name: folder / f"{name}.csv" for name in names}
    with files["orgs"].open("w") as out:
        out.write("id,name,kind\nfunder,A Foundation,funder\n")
        out.writelines(f"partner-{n:03},Partner {n},community\n" for n in range(partners))
    with files["grants"].open("w") as out:
        out.write("id,funder,title,amount,currency,from,to,match\n")
        out.writelines(
            f"grant-{g},funder,Grant {g},{400 * partners * 1000}.00,USD,2026-01-01,2026-12-31,0\n"
            for g in range(3)
        )
    with files["subcontracts"].open("w") as out:
        out.write("id,grant,partner,kind,from,to,status,risk_level,risk_by,risk_on\n")
        out.writelines(
            f"sub-{n:03},grant-{n % 3},partner-{n:03},subaward,2026-01-01,2026-12-31,active,low,"
            "Bench,2025-12-15\n"
            for n in range(partners)
        )
    with files["budget-lines"].open("w") as out:
        out.write("subcontract,category,amount\n")
        out.writelines(f"sub-{n:03},{c},40000.00\n" for n in range(partners) for c in CATEGORIES)
    with files["payments"].open("w") as out:
        out.write("payment,subcontract,period_from,period_to,date,status,category,amount\n")
        for n in range(partners):
            for month in range(1, 13):
                first = date(2026, month, 1)
                last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)
                paid = min(last + timedelta(days=5), date(2026, 12, 31))
                for i, category in enumerate(CATEGORIES):
                    out.write(
                        f"pay-{n:03}-{month:02},sub-{n:03},{first},{last},{paid},paid,{category},"
                        f"{2000 + 37 * n + 11 * i}.50\n"
                    )
    with files["meetings"].open("w") as out, files["motions"].open("w") as motions:
        out.write("id,body,at,title\n")
        motions.write("id,meeting,decision,title,at\n")
        for m in range(meetings):
            day = date(2026, 1, 7) + timedelta(days=7 * m)
            out.write(f"nlg-{day},nlg,{day} 18:00,Meeting {m + 1} of the NLG\n")
            motions.writelines(
                f"nlg-{day}-{k},nlg-{day},award_subcontract,Subcontract {k} of meeting {m + 1},"
                f"{day} 18:{10 + k:02}\n"
                for k in range(5)
            )
    with files["assessments"].open("w") as out:
        out.write("org,instrument,rater,date,item,score\n")
        for n in range(partners):
            for year, base in ((2025, 1), (2026, 2)):
                for d, (_domain, items) in enumerate(ITEMS.items()):
                    for i, item in enumerate(items):
                        score = min(4, base + (n + d + i) % 3)
                        out.write(
                            f"partner-{n:03},capacidad-organizacional,Rater {n},{year}-10-01,"
                            f"{item},{score}\n"
                        )
    return files


DIMENSIONS = ("race_ethnicity", "gender", "age_group", "neighbourhood")


def write_outcomes(root: Path, folder: Path, indicators: int, groups: int, quarters: int) -> Path:
    """`indicators` percentage indicators in the workspace's outcomes/, each broken down by
    the four known dimensions into `groups` groups, and their counts for `quarters` quarters
    ending with 2026's (groups adding up to the total in every dimension): what
    `import outcomes` reads."""
    (root / "outcomes").mkdir(exist_ok=True)
    lines = ["schema = 1", ""]
    for i in range(indicators):
        lines += [
            f"[indicators.ind{i}]",
            f'name = {{ es = "Indicador {i}", en = "Indicator {i}", ca = "Indicador {i}" }}',
            f'direction = "{"higher" if i % 2 else "lower"}"',
            'measure = "percentage"',
            'numerator = { es = "casos", en = "cases", ca = "casos" }',
            'denominator = { es = "niños", en = "children", ca = "infants" }',
            f"dimensions = {json.dumps(list(DIMENSIONS))}",
            'baseline = { period = "2024", value = "40" }',
            'target = { period = "2027", value = "30" }',
            "",
        ]
    (root / "outcomes" / "indicadores.toml").write_text("\n".join(lines), encoding="utf-8")
    path = folder / "outcomes.csv"
    first = 2027 * 4 - quarters  # the last quarter is 2026-Q4
    with path.open("w") as out:
        out.write("indicator,period,dimension,group,numerator,denominator\n")
        for i in range(indicators):
            for q in range(first, first + quarters):
                period = f"{q // 4}-Q{q % 4 + 1}"
                cells = []
                for g in range(groups):
                    denominator = 8 + (g * 7 + q + i) % 90  # some small: suppressed
                    cells.append(((denominator * (25 + (g + i + q) % 30)) // 100, denominator))
                numerator = sum(c[0] for c in cells)
                denominator = sum(c[1] for c in cells)
                out.write(f"ind{i},{period},total,total,{numerator},{denominator}\n")
                for dimension in DIMENSIONS:
                    out.writelines(
                        f"ind{i},{period},{dimension},g{g:02},{n},{d}\n"
                        for g, (n, d) in enumerate(cells)
                    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=30)
    parser.add_argument("--meetings", type=int, default=48)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMUNIDAD_", "LC_"))}
    env["LANG"] = "en_US.UTF-8"
    env["COMUNIDAD_AS_OF"] = "2026-12-31"
    temp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    results: dict[str, object] = {
        "partners": args.partners,
        "meetings": args.meetings,
        "outcomes": [args.indicators, 4, args.groups, args.quarters],
    }
    try:
        files = write_files(temp, args.partners, args.meetings)
        run(["init", "ws", "--template", "partnership", "--locale", "en_US"], temp, env)
        ws = temp / "ws"
        for kind in (
            "orgs", "grants", "subcontracts", "budget-lines", "payments", "meetings", "motions",
            "assessments",
        ):  # fmt: skip
            run(["import", kind, str(files[kind])], ws, env)
        counts = write_outcomes(ws, temp, args.indicators, args.groups, args.quarters)
        seconds = run(["import", "outcomes", str(counts)], ws, env)
        print(
            f"import outcomes: {args.indicators} x 4 x {args.groups} x {args.quarters}: {seconds:.2f} s"
        )
        command = ["report", "--html", "--from", "2026-01-01", "--to", "2026-12-31"]
        command += ["-o", str(temp / "report.html")]
        run(command, ws, env)  # warm the OS cache
        times = [run(command, ws, env) for _ in range(args.runs)]
        size = (temp / "report.html").stat().st_size
        results["report_median_seconds"] = round(statistics.median(times), 3)
        results["report_bytes"] = size
        print(
            f"comunidad report --html (a year): median {statistics.median(times):.3f} s"
            f" (min {min(times):.3f}) over {args.runs} runs, {size:,} bytes"
        )
        probe = (
            "import time\n"
            "from datetime import date\n"
            "from pathlib import Path\n"
            "from comunidad_cli.i18n import activate\n"
            "from comunidad_cli.render.report import board_html\n"
            "from comunidad_cli.services.report import board_report\n"
            "activate('en_US')\n"
            f"url = 'sqlite:///{ws / 'comunidad.db'}'\n"
            "def once():\n"
            f"    data = board_report(url, date(2026, 1, 1), date(2026, 12, 31), Path({str(ws)!r}))\n"
            "    return board_html(data, 'ws', date(2026, 12, 31), 'en')\n"
            "once()\n"
            "times = []\n"
            "for _ in range(5):\n"
            "    t = time.perf_counter(); once(); times.append(time.perf_counter() - t)\n"
            "print(min(times))\n"
        )
        warm = float(
            subprocess.run(
                [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
            ).stdout
        )
        results["report_in_process_seconds"] = round(warm, 3)
        print(f"board_report + board_html in one process (warm): {warm:.3f} s")
        results["target_met"] = statistics.median(times) < 2.0
        out = ROOT / "benchmarks" / "out"
        out.mkdir(exist_ok=True)
        (out / "report.json").write_text(json.dumps(results, indent=2) + "\n")
        return 0 if results["target_met"] else 1
    finally:
        if args.keep:
            print(f"kept {temp}")
        else:
            import shutil

            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
