"""`comunidad region summary`: two partnerships' by-laws in one workspace, every figure
worked by hand.

bsmla (Best Start, 5 bodies, the Community Partnership states no seats): 12 seats on the
NLG; a meeting on 2026-11-18 (one motion adopted, one rejected) and one on 2025-12-01,
before the period. directorio-local (2 bodies, 13 + 5 seats stated): 2 seats, a meeting
on 2026-06-10 whose motion closed without quorum.

Money (USD, the workspace's): a grant of 100,000; subcontract s1 to p1 (from 2026-02-01,
30,000 plus an amendment of 5,000 in force) made from a fund round of bsmla, paid 2,500
on 2026-04-05 and invoiced 1,000 more, not paid; subcontract s2 to p2 (from 2025-06-01,
before the period: nothing committed in it) paid 5,000 on 2026-03-05, not attributed.

Learning: 2.5 hours for bsmla on 2026-05-01 (r1, r2), 3 hours without by-laws on
2026-07-01 (r1, a1), one for bsmla on 2026-12-20, after the period.

Period: 2026-01-01 to 2026-11-30.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import ROOT
from tests.helpers import execute, ok, query, refused

PERIOD = ("--from", "2026-01-01", "--to", "2026-11-30")


def _vote(meeting_key: str, title: str, votes: list[tuple[str, str]]) -> None:
    motion = ok(
        "motion", "new", "--meeting", meeting_key, "--decision", "award_subcontract",
        "--title", title, "--at", "18:15",
    ).strip()  # fmt: skip
    for person, choice in votes:
        ok("motion", "vote", motion, "--person", person, "--choice", choice, "--at", "18:20")
    ok("motion", "close", motion, "--at", "18:30")


def _governance(root: Path, meeting_key: str) -> None:
    _vote(meeting_key, "Adopted", [("r1", "yes"), ("r2", "yes"), ("r3", "yes"), ("a1", "no")])
    _vote(meeting_key, "Rejected", [("r1", "no"), ("r2", "no"), ("r3", "yes")])
    ok("meeting", "close", meeting_key, "--at", "19:00")
    ok("meeting", "new", "--body", "nlg", "--at", "2025-12-01 18:00", "--notice-sent",
       "2025-11-20")  # fmt: skip
    shutil.copy(ROOT / "bylaws" / "directorio-local.toml", root / "bylaws")
    execute(
        root,
        "insert into seat (bylaws_id, body, person_id, member_class, start)"
        " values ('directorio-local', 'directorio', ?, 'comunitaria', '2026-01-01')",
        (1,),
        (2,),
    )
    key = ok(
        "meeting", "new", "--bylaws", "directorio-local", "--body", "directorio", "--at",
        "2026-06-10 18:00", "--notice-sent", "2026-06-01",
    ).strip()  # fmt: skip
    motion = ok(
        "motion", "new", "--meeting", key, "--decision", "ordinaria", "--title", "Sin quórum",
        "--at", "18:10",
    ).strip()  # fmt: skip
    ok("motion", "close", motion, "--at", "18:20")


def _money(root: Path) -> None:
    for org, kind in (("fund", "funder"), ("p1", "community"), ("p2", "community")):
        ok("org", "add", f"Org {org}", "--kind", kind, "--id", org)
    grant = "region"
    ok(
        "grant", "new", "--funder", "fund", "--title", "Region", "--amount", "100,000",
        "--currency", "USD", "--from", "2025-01-01", "--to", "2026-12-31",
    )  # fmt: skip
    subs = []
    for partner, start, amount in (("p1", "2026-02-01", "30,000"), ("p2", "2025-06-01", "20,000")):
        sub = f"{grant}-{partner}"
        ok(
            "subcontract", "new", "--grant", grant, "--partner", partner, "--kind", "subaward",
            "--from", start, "--to", "2026-10-31", "--line", f"personnel={amount}",
        )  # fmt: skip
        ok("subcontract", "risk", sub, "--level", "low", "--by", "Coordinator", "--on", start)
        ok("subcontract", "status", sub, "active")
        subs.append(sub)
    s1, s2 = subs
    ok("subcontract", "amend", s1, "--effective", "2026-06-01", "--reason", "More",
       "--line", "personnel=5,000")  # fmt: skip
    for sub, on, amount, status in (
        (s1, "2026-04-05", "2,500", "paid"),
        (s1, "2026-05-05", "1,000", "submitted"),
        (s2, "2026-03-05", "5,000", "paid"),
    ):
        ok(
            "payment", "add", "--subcontract", sub, "--period-from", on[:8] + "01",
            "--period-to", on[:8] + "28", "--date", on, "--status", "submitted",
            "--line", f"personnel={amount}",
        )  # fmt: skip
        (key,) = query(root, "select key from payment order by id desc")[0]
        if status == "paid":
            ok("payment", "status", key, "approved")
            ok("payment", "status", key, "paid")
    # s1 was made from a fund round of bsmla (rows as `fund award` would leave them).
    t = "'2026-01-15 12:00:00'"
    (sub_id,) = query(root, "select id from subcontract where key = ?", (s1,))[0]
    (grant_id,) = query(root, "select id from grant_award")[0]
    (motion_id,) = query(root, "select id from motion order by id")[0]
    execute(root, "insert into fund_round (id, key, bylaws_id, body, grant_id, opened_at)"
            f" values (1, 'r', 'bsmla', 'nlg', ?, {t})", (grant_id,))  # fmt: skip
    execute(root, "insert into fund_round_text (id, round_id, sha256, content, loaded_at)"
            f" values (1, 1, 'x', '', {t})")  # fmt: skip
    execute(root, "insert into fund_application (id, key, round_id, organisation_id, project,"
            f" amount, own_contribution, submitted_at) values (1, 'r-1', 1, 2, 'P', 30000, 0, {t})")  # fmt: skip
    execute(root, "insert into fund_award (id, key, round_id, round_text_id, mode, motion_id,"
            f" snapshot, proposed_at) values (1, 'r-a', 1, 1, 'skip', ?, '{{}}', {t})",
            (motion_id,))  # fmt: skip
    execute(root, "insert into fund_award_line (id, award_id, application_id, rank, amount,"
            " outcome) values (1, 1, 1, 1, 30000, 'funded')")  # fmt: skip
    execute(root, "insert into fund_project (award_line_id, subcontract_id, created_at)"
            f" values (1, ?, {t})", (sub_id,))  # fmt: skip


def _learning(root: Path) -> None:
    t = "'2026-01-15 12:00:00'"
    execute(
        root,
        "insert into learning_activity (id, key, title, topic, facilitator, held_on, hours,"
        f" bylaws_id, created_at) values (?, ?, 'T', 'topic', 'F', ?, ?, ?, {t})",
        (1, "l1", "2026-05-01", 2.5, "bsmla"),
        (2, "l2", "2026-07-01", 3, None),
        (3, "l3", "2026-12-20", 4, "bsmla"),
    )
    execute(
        root,
        "insert into learning_participant (activity_id, person_id) values (?, ?)",
        (1, 1), (1, 2), (2, 1), (2, 8), (3, 3),
    )  # fmt: skip


def _networks() -> None:
    ok("network", "add", "Xarxa", "--kind", "xarxa", "--id", "xarxa")
    ok("network", "add", "Grup Motor", "--kind", "comissió", "--parent", "xarxa", "--id", "gm")
    ok("network", "session", "xarxa", "--on", "2026-10-08", "--who", "R1", "--notes", "N")
    ok("network", "session", "xarxa", "--on", "2025-10-08", "--who", "R1", "--notes", "Old")
    for key, due in (("late", "2026-10-31"), ("done", "2026-10-20"), ("later", "2026-12-31")):
        ok("network", "commit", "xarxa", "--text", key, "--owner", "r1", "--on", "2026-10-08",
           "--due", due, "--id", key)  # fmt: skip
    ok("network", "follow-up", "done", "--status", "done", "--on", "2026-10-19", "--by", "R1")
    ok("network", "report-back", "xarxa", "--on", "2026-10-15", "--to", "Families",
       "--summary", "S")  # fmt: skip
    ok("network", "referrals", "xarxa", "--period", "2026-Q2", "--made", "2", "--received", "3")
    ok("network", "referrals", "xarxa", "--period", "2025-Q4", "--made", "9", "--received", "9")


def _record(root: Path, meeting_key: str) -> None:
    _governance(root, meeting_key)
    _money(root)
    _learning(root)
    _networks()


def _figures(row: dict[str, object]) -> tuple[object, ...]:
    motions = row["motions"]
    learning = row["learning"]
    assert isinstance(motions, dict) and isinstance(learning, dict)
    return (
        row["bodies"], row["seats_filled"], row["seats"], row["meetings"], motions["adopted"],
        motions["rejected"], motions["no_quorum"], row["money"], learning["activities"],
        learning["hours"], learning["participants"],
    )  # fmt: skip


def test_region_summary_figures_by_hand(workspace: Path, meeting: str) -> None:
    _record(workspace, meeting)
    data = json.loads(ok("region", "summary", *PERIOD, "--json"))
    assert (data["from"], data["to"]) == ("2026-01-01", "2026-11-30")
    rows = {p["bylaws"]: p for p in data["partnerships"]}
    assert list(rows) == ["bsmla", "directorio-local"]
    assert rows["bsmla"]["name"] == "Best Start Metro LA Community Partnership"
    usd = {"currency": "USD", "committed": 35000.0, "paid": 2500.0}
    assert _figures(rows["bsmla"]) == (5, 12, None, 1, 1, 1, 0, [usd], 1, 2.5, 2)
    assert _figures(rows["directorio-local"]) == (2, 2, 18, 1, 0, 0, 1, [], 0, 0, 0)
    loose = {"currency": "USD", "committed": 0.0, "paid": 5000.0}
    assert _figures(data["unattributed"]) == (0, 0, None, 0, 0, 0, 0, [loose], 1, 3, 2)
    total = {"currency": "USD", "committed": 35000.0, "paid": 7500.0}
    # r1 took part in both activities: three people, not four.
    assert _figures(data["total"]) == (7, 14, None, 2, 1, 1, 1, [total], 2, 5.5, 3)
    assert data["networks"] == {
        "spaces": 1,
        "commissions": 1,
        "sessions": 1,
        "report_backs": 1,
        "commitments_taken": 3,
        "commitments_open": 2,
        "commitments_overdue": 1,
        "commitments_on": "2026-11-30",
        "referrals_made": 2,
        "referrals_received": 3,
    }
    assert data["notes"] == []


def test_region_summary_a_whole_year_counts_the_earlier_meeting(
    workspace: Path, meeting: str
) -> None:
    _governance(workspace, meeting)
    data = json.loads(
        ok("region", "summary", "--from", "2025-12-01", "--to", "2026-11-30", "--json")
    )
    rows = {p["bylaws"]: p for p in data["partnerships"]}
    assert rows["bsmla"]["meetings"] == 2 and data["total"]["meetings"] == 3


def test_region_summary_text_in_english_spanish_and_catalan(workspace: Path, meeting: str) -> None:
    _record(workspace, meeting)
    en = ok("region", "summary", *PERIOD)
    assert "Regional view, January 1, 2026 to November 30, 2026: 2 partnerships." in en
    assert "$35,000.00" in en and "$7,500.00" in en and "Not attributed" in en
    assert "Commitments still open on November 30, 2026: 2; overdue: 1." in en
    es = ok("--locale", "es", "region", "summary", *PERIOD)
    assert "Vista regional" in es and "No atribuido" in es and "35.000,00" in es
    ca = ok("--locale", "ca", "region", "summary", *PERIOD)
    assert "Vista regional" in ca and "No atribuït" in ca and "35.000,00" in ca
    assert "Compromisos encara oberts el 30 de novembre del 2026: 2; vençuts: 1." in ca


def test_region_summary_notes_a_file_with_errors(workspace: Path) -> None:
    (workspace / "bylaws" / "broken.toml").write_text("id = [", encoding="utf-8")
    data = json.loads(ok("region", "summary", *PERIOD, "--json"))
    assert [p["bylaws"] for p in data["partnerships"]] == ["bsmla"]
    assert len(data["notes"]) == 1 and "broken.toml" in data["notes"][0]
    assert "bylaws check" in ok("region", "summary", *PERIOD)


def test_region_summary_refuses_a_period_upside_down(workspace: Path) -> None:
    err = refused(workspace, "region", "summary", "--from", "2026-12-31", "--to", "2026-01-01",
                  code=2)  # fmt: skip
    assert "is before --from" in err
    refused(workspace, "region", "summary", "--from", "2026-13-01", code=2)


def test_region_summary_loads_no_sqlalchemy_nor_rich(workspace: Path, meeting: str) -> None:
    """An everyday read: the region summary (text and JSON) goes through the storage API,
    checked in a fresh process."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    _governance(workspace, meeting)
    code = (
        "import sys\n"
        "from comunidad_cli.cli import main\n"
        "for args in (['region', 'summary'], ['region', 'summary', '--json']):\n"
        "    sys.argv = ['comunidad', *args, '--from', '2026-01-01', '--to', '2026-11-30']\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as stop:\n"
        "        assert not stop.code, stop.code\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'rich') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=workspace,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
