"""Integrity under concurrency: real processes at once against one workspace, on the backend
of the run (SQLite; PostgreSQL when COMUNIDAD_TEST_POSTGRES is set).

Each worker is a separate Python process that runs `comunidad` commands through the same
entry point as the console script (`comunidad_cli.cli.main`). It imports what the commands
need, says it is ready, and waits for a barrier file: when the file appears every worker
starts at once, so the transactions meet. Every case runs a few rounds to make the races
likely. docs/architecture.md ("Concurrency") says which lock gives each guarantee.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from comunidad_cli.storage.postgres import WRITE_LOCK, libpq_url
from tests.conftest import ROOT, subprocess_env
from tests.helpers import database_of, ok, query, run, write

#: The worker: argv = the run's folder, its name there, its work as JSON (rounds, each a list
#: of commands, each a list of arguments) and the names of the workers it repeats its round's
#: commands for. Before round R it touches NAME.ready-R and waits for the barrier go-R; after
#: it, NAME.done-R. A repeating worker runs its commands again and again until every worker
#: named has finished the round, then once more. At the end it writes NAME.json: per round,
#: per command, the exit code, stderr, when the command started and ended, whether
#: SQLAlchemy was loaded by then (an import took the careful lane), and stdout.
WORKER = r"""
import io, json, sys, time
from pathlib import Path

folder, name, rounds = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
awaited = sys.argv[4].split(",") if sys.argv[4] else []
from comunidad_cli import cli, i18n

i18n.activate(cli.select_locale(rounds[0][0]))
import comunidad_cli.cli.app
import comunidad_cli.services.grants.payments
import comunidad_cli.services.imports.engine
import comunidad_cli.services.motions
import comunidad_cli.storage.dbapi

try:
    import psycopg
except ImportError:
    pass
results = []
for number, commands in enumerate(rounds):
    (folder / f"{name}.ready-{number}").touch()
    while not (folder / f"go-{number}").exists():
        time.sleep(0.001)
    done = []
    while True:
        # a pass that starts once every awaited worker has finished the round is the last
        finished = all((folder / f"{peer}.done-{number}").exists() for peer in awaited)
        for argv in commands:
            sys.argv = ["comunidad", *argv]
            streams = sys.stdout, sys.stderr
            sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
            start = time.time()
            try:
                cli.main()
                code = 0
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
            finally:
                out, err = sys.stdout.getvalue(), sys.stderr.getvalue()
                sys.stdout, sys.stderr = streams
            done.append([code, err, start, time.time(), "sqlalchemy" in sys.modules, out])
        if finished or len(done) > 500:
            break
    results.append(done)
    (folder / f"{name}.done-{number}").touch()
(folder / f"{name}.json").write_text(json.dumps(results), encoding="utf-8")
"""

Commands = Sequence[Sequence[str]]


@dataclass(frozen=True)
class Outcome:
    """One command a worker ran: its exit code, stderr, when it started and ended, whether
    SQLAlchemy was loaded by its end (the careful lane of an import), and stdout."""

    code: int
    err: str
    start: float
    end: float
    sqlalchemy: bool
    out: str


def at_once(
    root: Path, workers: Sequence[Sequence[Commands]], repeat: Sequence[int] = ()
) -> list[list[list[Outcome]]]:
    """Run each worker (its rounds of commands) in a process of its own, in `root`.

    Round R starts in every worker at once, when all of them have finished round R-1 (and
    imported what a command needs, before round 0). The workers numbered in `repeat` run
    their round's commands again and again until the others have finished it, then once
    more. Returns [worker][round][command].
    """
    folder = root.parent / f"run-{time.monotonic_ns()}"
    folder.mkdir()
    names = [f"w{n}" for n in range(len(workers))]
    awaited = ",".join(name for n, name in enumerate(names) if n not in repeat)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(folder),
                name,
                json.dumps(rounds),
                awaited if n in repeat else "",
            ],
            cwd=root,
            env=subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, (name, rounds) in enumerate(zip(names, workers, strict=True))
    ]
    try:
        for number in range(len(workers[0])):
            deadline = time.monotonic() + 120
            while not all((folder / f"{name}.ready-{number}").exists() for name in names):
                assert all(p.poll() is None for p in procs), [p.communicate()[1] for p in procs]
                assert time.monotonic() < deadline, f"the workers did not reach round {number}"
                time.sleep(0.005)
            (folder / f"go-{number}").touch()
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return [
        [[Outcome(*c) for c in done] for done in json.loads((folder / f"{name}.json").read_text())]
        for name in names
    ]


def csv_file(folder: Path, name: str, header: str, rows: Sequence[Sequence[object]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return write(folder, name, buffer.getvalue())


#: How many times each race is run (rounds of the same workers).
ROUNDS = 3

# --- (a) two payments that each fit a line's balance, together overdraw it ---------------------

#: Pairs of payments racing in a round, each pair on a subcontract of its own.
PAIRS = 4


@pytest.fixture
def grants_ws(in_tmp: Path) -> Path:
    """A euro workspace with PAIRS x ROUNDS active subcontracts, one line of 1,000.00 each."""
    assert run("init", "g", "--locale", "en", "--currency", "EUR", "--timezone", "UTC")[0] == 0
    root = in_tmp / "g"
    os.chdir(root)
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "funder")
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    grant = ["grant", "new", "--funder", "funder", "--title", "Best Start 2025", "--id", "bs"]
    ok(*grant, "--amount", "100,000.00", "--from", "2025-01-01", "--to", "2025-12-31")
    keys = [f"casa-{n}" for n in range(PAIRS * ROUNDS)]
    header = "id,grant,partner,kind,from,to,status,risk_level,risk_by,risk_on"
    active = ("active", "low", "Ana", "2025-01-15")  # status, risk level, by, on
    rows = [(k, "bs", "casa", "subaward", "2025-02-01", "2025-11-30", *active) for k in keys]
    ok("import", "subcontracts", str(csv_file(root, "subcontracts.csv", header, rows)))
    lines = [(k, "personnel", "1000.00") for k in keys]
    header = "subcontract,category,amount"
    ok("import", "budget-lines", str(csv_file(root, "lines.csv", header, lines)))
    return root


def payment(key: str, amount: str, *locale: str) -> list[str]:
    """`payment add` of one line `personnel=AMOUNT` (typed in the locale's convention)."""
    args = ["payment", "add", "--subcontract", key, "--period-from", "2025-02-01"]
    args += ["--period-to", "2025-02-28", "--date", "2025-03-05", "--status", "submitted"]
    return [*args, "--line", f"personnel={amount}", *locale]


def spent(root: Path, key: str) -> list[int]:
    """The cents recorded against subcontract `key`, one entry per payment line."""
    rows = query(
        root,
        "select l.amount from payment_line l join payment p on p.id = l.payment_id"
        " join subcontract s on s.id = p.subcontract_id where s.key = ?",
        (key,),
    )
    return sorted(round(Decimal(str(amount)) * 100) for (amount,) in rows)


def test_two_payments_that_together_overdraw_a_line_exactly_one_is_accepted(
    grants_ws: Path,
) -> None:
    """600.00 and 400.01 each fit a line of 1,000.00; sent at the same instant, one is
    accepted and the other refused with the balance left after it, to the cent. The
    second of each pair runs in Spanish: the refusal is translated."""
    keys = [[f"casa-{r * PAIRS + n}" for n in range(PAIRS)] for r in range(ROUNDS)]
    workers: list[list[Commands]] = []
    for n in range(PAIRS):
        workers.append([[payment(keys[r][n], "600.00")] for r in range(ROUNDS)])
        workers.append([[payment(keys[r][n], "400,01", "--locale", "es")] for r in range(ROUNDS)])
    outcomes = at_once(grants_ws, workers)
    for r in range(ROUNDS):
        for n, key in enumerate(keys[r]):
            (big,), (small,) = outcomes[2 * n][r], outcomes[2 * n + 1][r]
            assert sorted([big.code, small.code]) == [0, 1], (key, big, small)
            if big.code == 0:
                assert spent(grants_ws, key) == [60000]
                assert (
                    'el pago superaría el saldo de la partida "personnel": se piden 400,01\xa0€,'
                    " quedan 400,00\xa0€ (0,01\xa0€ de exceso)"
                ) in small.err, small.err
            else:
                assert spent(grants_ws, key) == [40001]
                assert (
                    'the payment would overdraw line "personnel": €600.00 asked, €599.99 left'
                    " (€0.01 over)"
                ) in big.err, big.err
            assert "Traceback" not in big.err + small.err
            position = json.loads(ok("subcontract", "show", key, "--json"), parse_float=Decimal)
            assert position["spent"] + position["balance"] == Decimal("1000.00")
            assert position["balance"] in (Decimal("400.00"), Decimal("599.99"))
    audited = query(grants_ws, "select count(*) from audit_event where entity = 'payment'")
    assert audited == [(PAIRS * ROUNDS,)]


# --- governance: a seated NLG and a meeting -----------------------------------------------------

RESIDENTS = [f"r{n}" for n in range(1, 8)]
AGENCIES = ["a1", "a2", "a3"]
#: Eight members with a vote, each voting from a process of their own.
VOTERS = [*RESIDENTS, "a1"]
MEETING = "nlg-m"
DAY = "2026-11-18"


@pytest.fixture
def meeting_ws(in_tmp: Path) -> Path:
    """Best Start by-laws, a seated NLG, meeting `nlg-m` at 18:00 where all but b1 arrived."""
    assert run("init", "w", "--locale", "en_US", "--timezone", "UTC")[0] == 0
    root = in_tmp / "w"
    os.chdir(root)
    (root / "bylaws" / "partnership.toml").unlink()
    shutil.copy(ROOT / "bylaws" / "best-start-partnership.toml", root / "bylaws")
    seats = [(k, "resident") for k in RESIDENTS] + [(k, "agency") for k in AGENCIES]
    seats += [("b1", "business"), ("f1", "funder")]
    people = [(key, f"Person {key.upper()}") for key, _ in seats]
    ok("import", "people", str(csv_file(root, "people.csv", "id,name", people)))
    members = [("bsmla", "nlg", key, cls, "2024-01-01") for key, cls in seats]
    header = "bylaws,body,person,class,from"
    ok("import", "members", str(csv_file(root, "members.csv", header, members)))
    new_meeting(root, MEETING, DAY, arrive=[key for key, _ in seats if key != "b1"])
    return root


def new_meeting(root: Path, key: str, day: str, arrive: Sequence[str]) -> None:
    """Meeting `key` of the NLG on `day` at 18:00; `arrive` arrive at 18:00."""
    meeting = ["meeting", "new", "--body", "nlg", "--at", f"{day} 18:00", "--id", key]
    ok(*meeting, "--notice-sent", "2026-11-01")
    rows = [(key, person, f"{day}T18:00:00", "arrive") for person in arrive]
    name = f"arrive-{key}.csv"
    ok("import", "attendance", str(csv_file(root, name, "meeting,person,at,event", rows)))


def new_motions(root: Path, meeting: str, day: str, keys: Sequence[str]) -> None:
    """Motions `keys` put to `meeting` at 18:10."""
    rows = [(k, meeting, "award_subcontract", f"Award {k}", f"{day}T18:10:00") for k in keys]
    name = f"motions-{keys[0]}.csv"
    ok("import", "motions", str(csv_file(root, name, "id,meeting,decision,title,at", rows)))


def vote(motion: str, person: str, choice: str, *more: str) -> list[str]:
    return ["motion", "vote", motion, "--person", person, "--choice", choice, *more]


def votes_of(root: Path) -> Counter[tuple[str, str, str]]:
    """Every stored vote: (motion, person, choice), counted."""
    rows = query(
        root,
        "select m.key, p.key, v.choice from vote v join motion m on m.id = v.motion_id"
        " join person p on p.id = v.person_id",
    )
    return Counter(rows)  # type: ignore[arg-type]


def audited_votes(root: Path) -> Counter[str]:
    """The audit's vote rows, counted by motion."""
    rows = query(root, "select entity_id from audit_event where entity = 'vote'")
    return Counter(motion for (motion,) in rows)


# --- (b) eight processes voting on the same motions -------------------------------------------


def test_eight_processes_voting_on_the_same_motions_lose_and_double_nothing(
    meeting_ws: Path,
) -> None:
    """Eight members, each in a process of their own, vote on the same four motions at
    once, each in another order: every vote is recorded once, with its choice, and
    audited once."""
    choices = ["yes", "no", "abstain"]
    motions = [[f"{MEETING}-{r}-{n}" for n in range(4)] for r in range(ROUNDS)]
    new_motions(meeting_ws, MEETING, DAY, [m for ms in motions for m in ms])
    expected: Counter[tuple[str, str, str]] = Counter()
    workers: list[list[Commands]] = []
    for w, person in enumerate(VOTERS):
        rounds = []
        for ms in motions:
            commands = []
            for n in [(w + k) % 4 for k in range(4)]:  # each worker in another order
                chosen = choices[(w + n) % 3]
                commands.append(vote(ms[n], person, chosen, "--at", "18:20"))
                expected[(ms[n], person, chosen)] += 1
            rounds.append(commands)
        workers.append(rounds)
    outcomes = at_once(meeting_ws, workers)
    codes = [o.code for worker in outcomes for done in worker for o in done]
    assert codes == [0] * len(VOTERS) * ROUNDS * 4, outcomes
    assert votes_of(meeting_ws) == expected
    assert audited_votes(meeting_ws) == Counter({m: len(VOTERS) for ms in motions for m in ms})


# --- (c) the same member voting twice at the same instant -------------------------------------


def test_the_same_member_voting_twice_at_the_same_instant_is_recorded_once(
    meeting_ws: Path,
) -> None:
    """Two processes cast one member's vote at once, yes in English and no in Spanish:
    one is recorded, the other refused with the engine's reason (not a database error)."""
    motions = [[f"{MEETING}-twice-{r}-{n}" for n in range(4)] for r in range(ROUNDS)]
    new_motions(meeting_ws, MEETING, DAY, [m for ms in motions for m in ms])
    people = [VOTERS[n::4] for n in range(4)]  # pair n: a person of its own each round
    workers: list[list[Commands]] = []
    for n in range(4):
        who = [people[n][r % len(people[n])] for r in range(ROUNDS)]
        yes = [[vote(motions[r][n], who[r], "yes", "--at", "18:20")] for r in range(ROUNDS)]
        no = [
            [vote(motions[r][n], who[r], "no", "--at", "18:21", "--locale", "es")]
            for r in range(ROUNDS)
        ]
        workers += [yes, no]
    outcomes = at_once(meeting_ws, workers)
    recorded: Counter[tuple[str, str, str]] = Counter()
    for r in range(ROUNDS):
        for n in range(4):
            motion, person = motions[r][n], people[n][r % len(people[n])]
            (yes_done,), (no_done,) = outcomes[2 * n][r], outcomes[2 * n + 1][r]
            assert sorted([yes_done.code, no_done.code]) == [0, 1], (motion, yes_done, no_done)
            if yes_done.code == 0:
                recorded[(motion, person, "yes")] += 1
                expected = f"{person} ya votó en la moción {motion}: cada miembro vota una sola vez"
                assert expected in no_done.err, no_done.err
            else:
                recorded[(motion, person, "no")] += 1
                expected = f"{person} already voted on motion {motion}: a member votes once"
                assert expected in yes_done.err, yes_done.err
    assert votes_of(meeting_ws) == recorded
    assert audited_votes(meeting_ws) == Counter({m: 1 for ms in motions for m in ms})


# --- (d) a vote cast while an import of that meeting runs -------------------------------------


def test_a_vote_cast_while_the_meetings_attendance_is_imported_sees_all_of_it_or_none(
    meeting_ws: Path,
) -> None:
    """An attendance file has b1 arrive at 18:05 on its first row and leave at 18:15 on its
    last, with a long run of other members' comings and goings between them. b1's vote at
    18:20, cast again and again until the file is imported, sees the meeting before the
    import (b1 never arrived) or after it (b1 left at 18:15); half of it (arrived, not yet
    left) would accept the vote. A present member's vote meanwhile is recorded, a reader of
    the minutes sees all of the file or none of it, and the import is written whole. The first file takes the import's fast lane (the storage API),
    the second its careful lane (judged row by row): both hold the writers' lock."""
    days = ["2026-11-25", "2026-12-02"]
    files, motions = [], []
    for r, day in enumerate(days):
        meeting = f"nlg-d{r}"
        new_meeting(meeting_ws, meeting, day, arrive=[*RESIDENTS, *AGENCIES])
        motions.append((f"{meeting}-x", f"{meeting}-y"))
        new_motions(meeting_ws, meeting, day, motions[-1])
        rows: list[tuple[str, ...]] = [(meeting, "b1", f"{day}T18:05:00", "arrive")]
        start = datetime.fromisoformat(f"{day}T19:00:00")
        for person in AGENCIES:  # from 19:00 to 20:30, a departure and an arrival a second
            for second in range(0, 5400, 2):
                gone = start + timedelta(seconds=second)
                rows.append((meeting, person, gone.isoformat(), "leave"))
                rows.append((meeting, person, (gone + timedelta(seconds=1)).isoformat(), "arrive"))
        if r == 1:  # a blank line: the careful lane imports this one
            rows.insert(len(rows) // 2, ())
        rows.append((meeting, "b1", f"{day}T18:15:00", "leave"))
        header = "meeting,person,at,event"
        path = csv_file(meeting_ws, f"attendance-{meeting}.csv", header, rows)
        files.append((path, sum(1 for row in rows if row)))
    before = query(meeting_ws, "select count(*) from attendance")[0][0]
    outcomes = at_once(
        meeting_ws,
        [
            [[["import", "attendance", str(file)]] for file, _ in files],
            [
                [vote(x, "b1", "yes", "--at", f"{day} 18:20")]
                for (x, _), day in zip(motions, days, strict=True)
            ],
            [
                [vote(y, "r1", "yes", "--at", f"{day} 18:20")]
                for (_, y), day in zip(motions, days, strict=True)
            ],
            [[["meeting", "minutes", f"nlg-d{r}", "--format", "json"]] for r in range(2)],
        ],
        repeat=(1, 3),  # b1's vote and the reader: again and again until the import ends
    )
    for r in range(len(days)):
        (imported,), attempts, (present,), reports = (worker[r] for worker in outcomes)
        assert imported.code == 0, imported.err
        assert not imported.sqlalchemy  # both lanes are on the storage API now
        assert present.code == 0, present.err
        read = []
        for report in reports:  # a reader sees the meeting before the import or after it
            assert report.code == 0, report.err
            minutes = json.loads(report.out)
            b1 = [
                (a["arrived_at"], a["left_at"])
                for a in minutes["attendance"]
                if a["person"] == "b1"
            ]
            if len(minutes["events"]) == 10:
                assert b1 == []
                read.append("before")
            else:
                assert len(minutes["events"]) == 10 + files[r][1]
                assert [(a[11:16], b[11:16]) for a, b in b1] == [("18:05", "18:15")], b1
                read.append("after")
        assert read == sorted(read, reverse=True), read
        seen = []
        for attempt in attempts:
            assert attempt.code == 1, attempt
            if "b1 is not present at" in attempt.err:
                seen.append("before")
            else:
                assert "b1 left at" in attempt.err and "before their vote" in attempt.err, attempt
                seen.append("after")
        assert seen == sorted(seen, reverse=True), seen  # never "before" again once "after"
        assert attempts[-1].start > imported.end and seen[-1] == "after"
        assert reports[-1].start > imported.end and read[-1] == "after"
    written = sum(count for _, count in files)
    assert query(meeting_ws, "select count(*) from attendance")[0][0] == before + written
    assert votes_of(meeting_ws) == Counter({(y, "r1", "yes"): 1 for _, y in motions})


# --- a writer that waited for the lock while the schema changed -------------------------------


@pytest.mark.parametrize("lane", ["motion vote", "import votes"])
def test_a_writer_that_waited_for_an_upgrade_is_judged_on_the_schema_it_then_finds(
    meeting_ws: Path, lane: str
) -> None:
    """A write that checked the schema, then waited for the write lock while another
    transaction took the database to a newer schema (as `db upgrade` of a newer comunidad
    does), must not write with the old code into the new schema: it is refused as for a
    database written by a newer comunidad, with nothing written. Both ways to the data:
    `motion vote` (the storage API) and a vote import's careful lane (SQLAlchemy)."""
    new_motions(meeting_ws, MEETING, DAY, ["nlg-m-up"])
    argv = vote("nlg-m-up", "r1", "yes", "--at", "18:20")
    if lane == "import votes":
        rows = [("nlg-m-up", "r1", "yes", f"{DAY}T18:20:00", ""), ()]  # blank: careful lane
        votes = csv_file(meeting_ws, "votes.csv", "motion,person,choice,at,by", rows)
        argv = ["import", "votes", str(votes)]
    url = database_of(meeting_ws)
    if url.startswith("sqlite:///"):
        holder: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        holder = psycopg.connect(libpq_url(url))
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "comunidad_cli", *argv],
            cwd=meeting_ws,
            env=subprocess_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        waiting = proc.stderr.readline()  # checked the schema, now waits for the lock
        assert "waiting for it to finish" in waiting, waiting
        holder.execute("UPDATE alembic_version SET version_num = '9999'")
        holder.execute("COMMIT") if isinstance(holder, sqlite3.Connection) else holder.commit()
        out, err = proc.communicate(timeout=120)
    finally:
        holder.close()
    assert proc.returncode == 1, (out, err)
    assert "this database was written by a newer comunidad (schema revision 9999" in err, err
    assert "Traceback" not in err
    assert query(meeting_ws, "select count(*) from vote") == [(0,)]
