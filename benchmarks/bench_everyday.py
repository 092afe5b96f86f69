"""Everyday commands on a realistic database, whole process, against `sqlite-utils rows`.

Run by hand (not part of the test suite), with the interpreter of the venv that has comunidad
and the bench extra (`pip install -e '.[bench]'` for sqlite-utils):

    python benchmarks/bench_everyday.py               # about a minute on a 2-core machine
    python benchmarks/bench_everyday.py --runs 20 --keep

In a temporary workspace with the Best Start by-laws it writes, with raw sqlite3, 2,000
people, 5,000 seats, 1,000 meetings (one a day, the last one today and still open), 100,000
attendance rows, 10,000 motions and 100,000 votes (1,000,000 would take minutes to build on
every run; bench_governance.py has that scale). Then it times, as new processes, `person
list`, `person add`, `member list`, `meeting list`, `meeting show`, `motion vote` and
`motion show` (of today's open motion: a live count), each beside `sqlite-utils rows` of the
table it mostly reads, and prints the medians and their ratio; the grants' commands and
writes (`grant new`, `subcontract new|amend|approve-revision|risk|status`) and `capacity
assess` likewise, on 20 grants and 200 subcontracts. Everything is also written to
benchmarks/out/everyday.json. See benchmarks/README.md.

Stdlib only. Exit status: 0 all targets met, 1 a target missed, 2 a command failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_governance import BYLAWS, bench_env, comunidad

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JSON_OUT = ROOT / "benchmarks" / "out" / "everyday.json"

#: Targets, on medians: every command under this many seconds, and within this many
#: times `sqlite-utils rows` of the same table.
MAX_SECONDS = 0.25
MAX_RATIO = 2.0

CLASSES = ("resident", "agency", "business")
PRESENT = 100
MOTIONS_PER_MEETING = 10
#: Open motions put at yesterday's (closed) meeting, for `motion close` to close one a run.
TO_CLOSE = 40
VOTES_PER_MOTION = 10
T = "%Y-%m-%d %H:%M:%S.%f"  # how comunidad stores an instant in SQLite (UTC)


def snapshot(motion_id: int) -> str:
    """A closed motion's snapshot, of the shape `motion close` writes (what the minutes read),
    for an adopted 10-0 vote."""
    return json.dumps(
        {
            "motion": motion_id, "decision": "ordinary", "outcome": "adopted",
            "rule": {"id": "majority", "threshold": "1/2", "strict": True, "base": "cast",
                     "tie": "fails"},
            "yes": VOTES_PER_MOTION, "no": 0, "abstain": 0, "base": "cast",
            "base_total": VOTES_PER_MOTION, "required": VOTES_PER_MOTION // 2 + 1, "tie": False,
            "decided_by_chair": False, "chair_vote": None,
            "quorum": {"required": 34, "present": PRESENT, "met": True, "voting_members": 100,
                       "minimums": []},
            "present": [], "entitled": [], "recused": [], "voters": [],
        },
        sort_keys=True,
    )  # fmt: skip


def build(db: Path, *, people: int, meetings: int) -> dict[str, Any]:
    """Fill the workspace's database; returns what the timed commands need."""
    today = datetime.now(UTC).date()
    first = today - timedelta(days=meetings - 1)
    content = BYLAWS.read_text(encoding="utf-8")
    counts = dict.fromkeys(("person", "seat", "meeting", "attendance", "motion", "vote"), 0)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("BEGIN")
    created = "2024-01-01 00:00:00.000000"
    conn.executemany(
        "INSERT INTO person (id, key, name, email, created_at) VALUES (?, ?, ?, ?, ?)",
        (
            (i, f"person-{i:04d}", f"Persona {i}", f"p{i}@example.org", created)
            for i in range(1, people + 1)
        ),
    )
    seats = []
    for i in range(1, people + 1):
        member_class = CLASSES[i % 3]
        seats.append(("partnership", i, member_class, "2024-01-01", "2024-12-31"))
        seats.append(("partnership", i, member_class, "2025-01-01", None))
        if i <= people // 2:
            seats.append(("nlg", i, member_class, "2025-01-01", None))
    conn.executemany(
        'INSERT INTO seat (bylaws_id, body, person_id, member_class, start, "end")'
        " VALUES ('bsmla', ?, ?, ?, ?, ?)",
        seats,
    )
    version = conn.execute(
        "INSERT INTO bylaws_version (bylaws_id, sha256, content, loaded_at)"
        " VALUES ('bsmla', ?, ?, ?)",
        (hashlib.sha256(content.encode()).hexdigest(), content, created),
    ).lastrowid
    attendance, motions, votes = [], [], []
    motion_id = 0
    for m in range(1, meetings + 1):
        day = first + timedelta(days=m - 1)
        opened = datetime(day.year, day.month, day.day, 0, 5, tzinfo=UTC)
        last = m == meetings
        conn.execute(
            "INSERT INTO meeting (id, key, bylaws_id, bylaws_version_id, body, kind, scheduled_at,"
            " notice_sent, ended_at, title) VALUES (?, ?, 'bsmla', ?, 'partnership', 'regular',"
            " ?, ?, ?, ?)",
            (
                m,
                f"cp-{day.isoformat()}",
                version,
                opened.strftime(T),
                (day - timedelta(days=8)).isoformat(),
                None if last else (opened + timedelta(hours=2)).strftime(T),
                f"Reunión {m}",
            ),
        )
        room = [1 + (m * 37 + n) % people for n in range(PRESENT)]
        for n, person in enumerate(room):
            attendance.append((m, person, (opened + timedelta(minutes=n % 15)).strftime(T), 1))
        for k in range(MOTIONS_PER_MEETING):
            motion_id += 1
            put = opened + timedelta(minutes=20 + 2 * k)
            closed = None if last else (put + timedelta(minutes=1)).strftime(T)
            motions.append(
                (
                    motion_id,
                    f"cp-{day.isoformat()}-m{k:02d}",
                    m,
                    put.strftime(T),
                    closed,
                    None if last else "adopted",
                    None if last else snapshot(motion_id),
                )
            )
            for person in room[:VOTES_PER_MOTION]:
                votes.append((motion_id, person, "yes", (put + timedelta(seconds=30)).strftime(T)))
        if m == meetings - 1:
            put = opened + timedelta(minutes=25)
            for k in range(TO_CLOSE):
                motion_id += 1
                key = f"cp-{day.isoformat()}-x{k:02d}"
                motions.append((motion_id, key, m, put.strftime(T), None, None, None))
            to_close = [f"cp-{day.isoformat()}-x{k:02d}" for k in range(TO_CLOSE)]
        if last:
            today_room = room
    conn.executemany(
        "INSERT INTO attendance (meeting_id, person_id, at, arrived) VALUES (?, ?, ?, ?)",
        attendance,
    )
    conn.executemany(
        "INSERT INTO motion (id, key, meeting_id, decision, title, opened_at, closed_at, outcome,"
        " snapshot) VALUES (?, ?, ?, 'ordinary', 'Punto', ?, ?, ?, ?)",
        motions,
    )
    conn.executemany(
        "INSERT INTO vote (motion_id, person_id, choice, at) VALUES (?, ?, ?, ?)", votes
    )
    conn.execute("COMMIT")
    for table in counts:
        counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    conn.close()
    last_day = first + timedelta(days=meetings - 1)
    return {
        "counts": counts,
        "meeting": f"cp-{last_day.isoformat()}",
        "meeting_id": meetings,
        "motion": f"cp-{last_day.isoformat()}-m{MOTIONS_PER_MEETING - 1:02d}",
        "motion_id": motion_id,
        "recused_from": f"cp-{last_day.isoformat()}-m{MOTIONS_PER_MEETING - 2:02d}",
        "to_close": to_close,
        "closed_meetings": [f"cp-{first + timedelta(days=m)}" for m in range(meetings - 1)],
        "seated": [f"person-{p:04d}" for p in range(people // 2 + 1, people + 1)],
        "voters": [f"person-{p:04d}" for p in today_room[VOTES_PER_MOTION:]],
        "day": last_day,
    }


def build_grants(
    db: Path, *, grants: int, subcontracts: int, payments: int, deliverables: int
) -> dict[str, Any]:
    """Fill the grants side: a funder and `grants` grants, `subcontracts` active subcontracts
    (three budget lines each, big enough never to overdraw) with their partners,
    `payments` paid payments of two lines each, and `deliverables` quarterly reports
    (half of them submitted so far); returns what the timed commands need."""
    today = datetime.now(UTC).date()
    created = "2024-01-01 00:00:00.000000"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO organisation (id, key, name, kind, created_at)"
        " VALUES (1, 'fundacion', 'Fundación', 'funder', ?)",
        (created,),
    )
    conn.executemany(
        "INSERT INTO organisation (id, key, name, kind, created_at)"
        " VALUES (?, ?, ?, 'community', ?)",
        ((1 + i, f"socio-{i:03d}", f"Socio {i}", created) for i in range(1, subcontracts + 1)),
    )
    conn.executemany(
        'INSERT INTO grant_award (id, key, funder_id, title, amount, currency, start, "end",'
        " match_required, created_at) VALUES (?, ?, 1, ?, 100000000, 'EUR', '2024-01-01',"
        " '2027-12-31', 0, ?)",
        ((g, f"beca-{g:02d}", f"Beca {g}", created) for g in range(1, grants + 1)),
    )
    conn.executemany(
        'INSERT INTO subcontract (id, key, grant_id, partner_id, kind, start, "end", status,'
        " created_at) VALUES (?, ?, ?, ?, 'subaward', '2024-01-01', '2027-12-31', 'active', ?)",
        (
            (s, f"sub-{s:03d}", 1 + (s - 1) % grants, 1 + s, created)
            for s in range(1, subcontracts + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO budget_line (subcontract_id, category, amount) VALUES (?, ?, 1000000)",
        ((s, c) for s in range(1, subcontracts + 1) for c in ("personal", "actividades", "otros")),
    )
    conn.executemany(
        "INSERT INTO payment (id, key, subcontract_id, period_start, period_end, invoice_date,"
        " status, total, created_at) VALUES (?, ?, ?, '2025-01-01', '2025-01-31', ?, 'paid',"
        " 250.5, ?)",
        (
            (
                n,
                f"pago-{n:06d}",
                1 + n % subcontracts,
                (date(2025, 2, 1) + timedelta(days=n % 300)).isoformat(),
                created,
            )
            for n in range(1, payments + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO payment_line (payment_id, category, amount) VALUES (?, ?, ?)",
        (
            row
            for n in range(1, payments + 1)
            for row in ((n, "personal", 200.25), (n, "actividades", 50.25))
        ),
    )
    conn.executemany(
        "INSERT INTO deliverable (id, key, subcontract_id, title, first_due, every, unit, until,"
        " holds_payments) VALUES (?, ?, ?, ?, '2024-03-31', 3, 'months', NULL, ?)",
        (
            (d, f"informe-{d:04d}", 1 + d % subcontracts, f"Informe {d}", int(d % 2 == 0))
            for d in range(1, deliverables + 1)
        ),
    )
    dues = [date(2024, 3, 31)]
    while dues[-1] < today:
        month = dues[-1].month + 3
        year = dues[-1].year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        dues.append(_month_end(year, month))
    conn.executemany(
        "INSERT INTO submission (deliverable_id, due, submitted_on) VALUES (?, ?, ?)",
        (
            (d, due.isoformat(), due.isoformat())
            for d in range(1, deliverables + 1)
            for due in dues[: len(dues) // 2]
        ),
    )
    conn.execute("COMMIT")
    counts = {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("grant_award", "subcontract", "payment", "payment_line", "deliverable")
    }
    conn.close()
    # Even subcontracts get only odd deliverables, which hold no payments.
    return {"counts": counts, "subcontract": "sub-002", "subcontract_id": 2, "day": today}


#: Draft subcontracts (with a risk assessment) for `subcontract status` to activate, one a
#: run, and amendments awaiting the funder for `subcontract approve-revision`, one a run.
TO_ACTIVATE = 40
PENDING = 40


def build_grant_writes(db: Path, *, grants: int, subcontracts: int) -> dict[str, Any]:
    """After `build_grants`: `TO_ACTIVATE` draft subcontracts of beca-01 with a risk
    assessment each, and `PENDING` amendments of sub-003 that move money between lines and
    await the funder's approval; returns what the grant writes' benches need."""
    created = "2024-01-01 00:00:00.000000"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    first = subcontracts + 1
    drafts = range(first, first + TO_ACTIVATE)
    conn.executemany(
        'INSERT INTO subcontract (id, key, grant_id, partner_id, kind, start, "end", status,'
        " created_at) VALUES (?, ?, 1, 2, 'contract', '2024-01-01', '2027-12-31', 'draft', ?)",
        ((s, f"borrador-{s:03d}", created) for s in drafts),
    )
    conn.executemany(
        "INSERT INTO budget_line (subcontract_id, category, amount) VALUES (?, 'personal', 1000)",
        ((s,) for s in drafts),
    )
    conn.executemany(
        "INSERT INTO risk_assessment (subcontract_id, assessed_on, level, assessed_by)"
        " VALUES (?, '2024-01-02', 'low', 'Ana')",
        ((s,) for s in drafts),
    )
    for number in range(1, PENDING + 1):
        amendment = conn.execute(
            "INSERT INTO amendment (subcontract_id, number, effective, reason,"
            " needs_funder_approval, funder_approved_on, created_at)"
            " VALUES (3, ?, '2025-06-01', 'Reasignación', 1, NULL, ?)",
            (number, created),
        ).lastrowid
        conn.executemany(
            "INSERT INTO amendment_line (amendment_id, category, delta) VALUES (?, ?, ?)",
            ((amendment, "otros", -10000), (amendment, "actividades", 10000)),
        )
    conn.execute("COMMIT")
    conn.close()
    return {
        "drafts": [f"borrador-{s:03d}" for s in drafts],
        "pending": list(range(1, PENDING + 1)),
        "partners": [f"socio-{i:03d}" for i in range(1, subcontracts + 1)],
    }


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run: on a shared machine, the CPU time is what
    the command itself costs, the wall time also what the other jobs took from it."""
    cpu = _cpu()
    start = time.perf_counter()
    proc = subprocess.run(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"FAILED: {' '.join(argv)}\n{proc.stderr[-3000:]}", file=sys.stderr)
        raise SystemExit(2)
    return seconds, _cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--payments", type=int, default=20000)
    parser.add_argument("--deliverables", type=int, default=1000)
    parser.add_argument(
        "--only",
        default="",
        help="time only these commands, comma-separated (e.g. 'payment add,grant list')",
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", type=Path, default=JSON_OUT)
    args = parser.parse_args(argv)

    tool = comunidad()
    utils = shutil.which("sqlite-utils", path=str(BIN))
    folder = Path(tempfile.mkdtemp(prefix="bench-everyday-"))
    workspace = folder / "w"
    env = bench_env(workspace)
    try:
        subprocess.run(
            [tool, "init", str(workspace), "--locale", "es_ES"],
            env=env,
            check=True,
            capture_output=True,
        )
        for stale in (workspace / "bylaws").glob("*.toml"):
            stale.unlink()
        shutil.copy(BYLAWS, workspace / "bylaws")
        db = workspace / "comunidad.db"
        started = time.perf_counter()
        data = build(db, people=args.people, meetings=args.meetings)
        money = build_grants(
            db,
            grants=20,
            subcontracts=200,
            payments=args.payments,
            deliverables=args.deliverables,
        )
        data["counts"].update(money["counts"])
        writes = build_grant_writes(db, grants=20, subcontracts=200)
        built = time.perf_counter() - started
        print(f"built in {built:.1f} s: {data['counts']}")
        paid = iter(range(10**6))
        sub_where = ["--where", "subcontract_id = :s", "-p", "s", str(money["subcontract_id"])]
        voters = iter(data["voters"])
        recusing = iter(data["voters"])
        closing = iter(data["to_close"])
        signing = iter(data["closed_meetings"])
        ending = iter(data["seated"])
        rejoining = iter(data["seated"])  # the seats `member end` ended, from the next day
        next_day = (data["day"] + timedelta(days=1)).isoformat()
        adds = iter(range(10**6))
        made = iter(range(10**6))
        activating = iter(writes["drafts"])
        approving = iter(writes["pending"])
        partners = iter(writes["partners"] * 100)
        items = [  # every item of the shipped instrument, answered 3
            f"{item}=3"
            for item in (
                "gov-bylaws", "gov-board", "gov-residents", "gov-conflicts", "gov-succession",
                "fin-budget", "fin-controls", "fin-reporting", "fin-audit", "fin-reserves",
                "prg-plan", "prg-data", "prg-outcomes", "prg-learning", "prg-deliverables",
                "com-voice", "com-language", "com-access", "com-feedback", "com-leaders",
                "hr-roles", "hr-training", "hr-volunteers", "hr-wellbeing",
                "ptn-network", "ptn-funding", "ptn-inkind", "ptn-advocacy",
            )
        ]  # fmt: skip
        answers = [arg for item in items for arg in ("--answer", item)]
        day = data["day"].isoformat()
        benches: list[tuple[str, Any, list[str]]] = [
            ("person list", ["person", "list"], ["person"]),
            ("person add", lambda: ["person", "add", f"Nueva Persona {next(adds)}"], ["person"]),
            (
                "member list",
                ["member", "list", "--body", "partnership", "--on", day],
                ["seat", "--where", "body = :b", "-p", "b", "partnership"],
            ),
            ("meeting list", ["meeting", "list"], ["meeting"]),
            (
                "meeting show",
                ["meeting", "show", data["meeting"]],
                ["attendance", "--where", "meeting_id = :m", "-p", "m", str(data["meeting_id"])],
            ),
            (
                "motion vote",
                lambda: [
                    "motion",
                    "vote",
                    data["motion"],
                    "--person",
                    next(voters),
                    "--choice",
                    "yes",
                    "--at",
                    "00:50",
                ],
                ["vote", "--where", "motion_id = :m", "-p", "m", str(data["motion_id"])],
            ),
            (
                "motion show",
                ["motion", "show", data["motion"]],
                ["vote", "--where", "motion_id = :m", "-p", "m", str(data["motion_id"])],
            ),
            (
                "payment add",
                lambda: [
                    "payment",
                    "add",
                    "--subcontract",
                    money["subcontract"],
                    "--period-from",
                    "2026-01-01",
                    "--period-to",
                    "2026-01-31",
                    "--date",
                    "2026-02-01",
                    "--status",
                    "approved",
                    "--line",
                    "personal=1.000,00",
                    "--line",
                    "actividades=250,50",
                    "--id",
                    f"bench-{next(paid)}",
                ],
                ["payment", *sub_where],
            ),
            ("deliverable list", ["deliverable", "list"], ["deliverable"]),
            (
                "motion recuse",
                lambda: [
                    "motion",
                    "recuse",
                    data["recused_from"],
                    "--person",
                    next(recusing),
                    "--reason",
                    "Conflicto de interés",
                    "--at",
                    "00:50",
                ],
                ["recusal"],
            ),
            (
                "motion close",
                lambda: ["motion", "close", next(closing), "--at", "00:40"],
                ["motion", "--where", "meeting_id = :m", "-p", "m", str(data["meeting_id"] - 1)],
            ),
            (
                "member end",
                lambda: [
                    "member",
                    "end",
                    "--body",
                    "partnership",
                    "--person",
                    next(ending),
                    "--on",
                    day,
                ],
                ["seat", "--where", "body = :b", "-p", "b", "partnership"],
            ),
            (
                "member add",
                lambda: [
                    "member",
                    "add",
                    "--body",
                    "partnership",
                    "--person",
                    next(rejoining),
                    "--class",
                    "resident",
                    "--from",
                    next_day,
                ],
                ["seat", "--where", "body = :b", "-p", "b", "partnership"],
            ),
            (
                "minutes sign",
                lambda: [
                    "meeting",
                    "minutes",
                    next(signing),
                    "--sign",
                    "--by",
                    "Secretaría",
                ],
                ["attendance", "--where", "meeting_id = :m", "-p", "m", "1"],
            ),
            (
                "meeting correct",
                lambda: [
                    "meeting",
                    "correct",
                    data["closed_meetings"][0],
                    "--text",
                    "Corrección",
                    "--by",
                    "Secretaría",
                ],
                ["attendance", "--where", "meeting_id = :m", "-p", "m", "1"],
            ),
            (
                "grant new",
                lambda: [
                    "grant",
                    "new",
                    "--funder",
                    "fundacion",
                    "--title",
                    f"Beca nueva {next(made)}",
                    "--amount",
                    "100.000,00",
                    "--from",
                    "2026-01-01",
                    "--to",
                    "2026-12-31",
                ],
                ["grant_award"],
            ),
            (
                "subcontract new",
                lambda: [
                    "subcontract",
                    "new",
                    "--grant",
                    "beca-02",
                    "--partner",
                    next(partners),
                    "--kind",
                    "subaward",
                    "--from",
                    "2026-01-01",
                    "--to",
                    "2026-12-31",
                    "--line",
                    "personal=1.000,00",
                    "--line",
                    "actividades=500,00",
                ],
                ["subcontract", "--where", "grant_id = :g", "-p", "g", "2"],
            ),
            (
                "subcontract amend",
                [
                    "subcontract",
                    "amend",
                    "sub-001",
                    "--effective",
                    "2026-01-01",
                    "--reason",
                    "Ampliación",
                    "--line",
                    "personal=100,00",
                ],
                ["amendment", "--where", "subcontract_id = :s", "-p", "s", "1"],
            ),
            (
                "subcontract approve-revision",
                lambda: [
                    "subcontract",
                    "approve-revision",
                    "sub-003",
                    "--amendment",
                    str(next(approving)),
                    "--on",
                    "2025-06-15",
                ],
                ["amendment", "--where", "subcontract_id = :s", "-p", "s", "3"],
            ),
            (
                "subcontract risk",
                [
                    "subcontract",
                    "risk",
                    "sub-004",
                    "--level",
                    "medium",
                    "--by",
                    "Ana",
                    "--on",
                    "2025-06-15",
                    "--notes",
                    "Revisión anual",
                ],
                ["risk_assessment", "--where", "subcontract_id = :s", "-p", "s", "4"],
            ),
            (
                "subcontract status",
                lambda: ["subcontract", "status", next(activating), "active"],
                ["subcontract", "--where", "status = :s", "-p", "s", "draft"],
            ),
            (
                "capacity assess",
                lambda: [
                    "capacity",
                    "assess",
                    next(partners),
                    "--instrument",
                    "capacidad-organizacional",
                    "--rater",
                    f"Evaluadora {next(made)}",
                    "--on",
                    "2025-06-15",
                    *answers,
                ],
                ["capacity_assessment"],
            ),
            ("subcontract list", ["subcontract", "list"], ["subcontract"]),
            ("grant list", ["grant", "list"], ["grant_award"]),
            (
                "payment list",
                ["payment", "list", "--subcontract", money["subcontract"]],
                ["payment", *sub_where],
            ),
        ]
        if args.only:
            wanted = {label.strip() for label in args.only.split(",")}
            benches = [b for b in benches if b[0] in wanted]
        samples: dict[str, dict[str, list[float]]] = {}
        for label, command, rows in benches:
            got: dict[str, list[float]] = {k: [] for k in ("wall", "cpu", "su_wall", "su_cpu")}
            for n in range(args.warmup + args.runs):
                call = command() if callable(command) else command
                wall, cpu = timed([tool, *call], env, workspace)
                if utils:  # interleaved, so a burst of load hits both alike
                    su_wall, su_cpu = timed([utils, "rows", str(db), *rows], env, workspace)
                if n >= args.warmup:
                    got["wall"].append(wall)
                    got["cpu"].append(cpu)
                    if utils:
                        got["su_wall"].append(su_wall)
                        got["su_cpu"].append(su_cpu)
            samples[label] = got
        load = os.getloadavg() if hasattr(os, "getloadavg") else None
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    missed = []
    print(
        f"\n{'command':<28} {'wall s':>7} {'cpu s':>6} {'su wall':>8} {'su cpu':>7}"
        f" {'ratio':>6} {'cpu ratio':>9}  verdict (wall, else cpu on a loaded machine)"
    )
    results = {}
    nan = float("nan")
    for label, got in samples.items():
        med = {k: statistics.median(v) if v else nan for k, v in got.items()}
        ratio = med["wall"] / med["su_wall"] if got["su_wall"] else nan
        cpu_ratio = med["cpu"] / med["su_cpu"] if got["su_cpu"] and med["su_cpu"] else nan
        ok_wall = med["wall"] < MAX_SECONDS and not ratio > MAX_RATIO
        ok_cpu = med["cpu"] < MAX_SECONDS and not cpu_ratio > MAX_RATIO
        verdict = "PASS" if ok_wall else ("PASS (cpu)" if ok_cpu else "FAIL")
        if verdict == "FAIL":
            missed.append(label)
        results[label] = {**med, "ratio": ratio, "cpu_ratio": cpu_ratio, "verdict": verdict}
        print(
            f"{label:<28} {med['wall']:>7.3f} {med['cpu']:>6.3f} {med['su_wall']:>8.3f}"
            f" {med['su_cpu']:>7.3f} {ratio:>6.2f} {cpu_ratio:>9.2f}  {verdict}"
        )
    print(f"load average: {load}")
    print("all targets met" if not missed else f"missed: {', '.join(missed)}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(),
                "machine": platform.platform(),
                "python": platform.python_version(),
                "sqlite": sqlite3.sqlite_version,
                "cpus": os.cpu_count(),
                "load": load,
                "counts": data["counts"],
                "targets": {"seconds": MAX_SECONDS, "ratio": MAX_RATIO},
                "results": results,
                "samples": samples,
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
