"""Networks and territorial spaces: representation history (never overwritten), a
commitment's follow-up as new records (closed stays closed), overdue from the day after the
due day, refusals that write nothing, --json, and the messages in es/ca/en, on either
backend."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from comunidad_cli.core.networks import CANCELLED, DONE, OPEN, OVERDUE, status_on
from tests.helpers import ok, query, refused, run


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = in_tmp / "xarxes"
    assert run("init", str(folder), "--locale", "en_US")[0] == 0
    monkeypatch.chdir(folder)
    ok("org", "add", "Associació de Sants", "--kind", "community", "--id", "assoc")
    ok("person", "add", "Núria Puig", "--org", "assoc")
    ok("person", "add", "Jordi Vila", "--org", "assoc")
    ok(
        "network",
        "add",
        "Xarxa d'Infància de Sants",
        "--kind",
        "xarxa",
        "--territory",
        "Sants",
        "--id",
        "xis",
    )
    return folder


def said(*args: str) -> str:
    """The command succeeds; what it told the user (on stderr)."""
    code, _, err = run(*args)
    assert code == 0, err
    return err


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


def test_status_on_the_right_day() -> None:
    due = date(2026, 11, 20)
    assert status_on(due, None, date(2026, 11, 20)) == OPEN  # the due day itself
    assert status_on(due, None, date(2026, 11, 21)) == OVERDUE  # from the day after
    assert status_on(due, (DONE, date(2026, 11, 22)), date(2026, 11, 21)) == OVERDUE
    assert status_on(due, (DONE, date(2026, 11, 22)), date(2026, 11, 22)) == DONE
    assert status_on(due, (CANCELLED, date(2026, 11, 1)), date(2026, 12, 1)) == CANCELLED


def test_a_commission_and_names_as_typed(ws: Path) -> None:
    out = said("network", "add", "Grup Motor <b>*", "--kind", "comissió", "--parent", "xis")
    assert "grup-motor-b" in out or "grup-motor" in out
    spaces = as_json("network", "list")
    motor = next(s for s in spaces if s["parent"] == "xis")
    assert motor["name"] == "Grup Motor <b>*" and motor["kind"] == "comissió"
    assert as_json("network", "show", "xis")["commissions"] == [motor["id"]]
    refused(ws, "network", "add", "Comissió", "--kind", "comissió", "--parent", "nowhere")
    refused(ws, "network", "add", "Xarxa", "--kind", "xarxa", "--id", "xis")


def test_representation_history_is_kept(ws: Path) -> None:
    ok(
        "network",
        "represent",
        "xis",
        "--person",
        "nuria-puig",
        "--org",
        "assoc",
        "--from",
        "2025-01-10",
    )
    err = refused(
        ws, "network", "represent", "xis", "--person", "nuria-puig", "--from", "2025-06-01"
    )
    assert "already represents" in err
    refused(ws, "network", "leave", "xis", "--person", "nuria-puig", "--on", "2024-12-31")
    ok("network", "leave", "xis", "--person", "nuria-puig", "--on", "2025-05-31")
    refused(ws, "network", "leave", "xis", "--person", "nuria-puig", "--on", "2025-06-30")
    ok(
        "network",
        "represent",
        "xis",
        "--person",
        "jordi-vila",
        "--org",
        "assoc",
        "--from",
        "2025-06-01",
    )
    shown = as_json("network", "show", "xis", "--as-of", "2025-03-01")
    assert shown["representatives"] == ["nuria-puig (assoc)"]
    assert shown["representation"] == [
        {"person": "nuria-puig", "org": "assoc", "from": "2025-01-10", "to": "2025-05-31"},
        {"person": "jordi-vila", "org": "assoc", "from": "2025-06-01", "to": None},
    ]
    assert as_json("network", "list", "--as-of", "2025-06-01")[0]["representatives"] == [
        "jordi-vila (assoc)"
    ]
    refused(
        ws,
        "network",
        "represent",
        "xis",
        "--person",
        "jordi-vila",
        "--from",
        "2025-02-01",
        "--to",
        "2025-01-01",
    )
    refused(ws, "network", "represent", "xis", "--person", "nobody", "--from", "2025-02-01")
    refused(ws, "network", "represent", "xis", "--from", "2025-02-01", code=2)


@freeze_time("2026-12-01 10:00:00")
def test_commitment_follow_up_and_overdue(ws: Path) -> None:
    out = said(
        "network",
        "commit",
        "xis",
        "--text",
        "Enviar el calendari",
        "--owner",
        "jordi-vila",
        "--on",
        "2026-11-05",
        "--due",
        "2026-11-20",
        "--id",
        "calendari",
    )
    assert "calendari" in out
    ok(
        "network",
        "commit",
        "xis",
        "--text",
        "Fer la difusió",
        "--owner",
        "nuria-puig",
        "--on",
        "2026-11-05",
        "--due",
        "2026-11-25",
        "--id",
        "difusio",
    )
    assert as_json("network", "overdue", "--as-of", "2026-11-20") == []
    late = as_json("network", "overdue", "--as-of", "2026-11-21")
    assert [c["id"] for c in late] == ["calendari"]
    assert late[0]["status"] == "overdue" and late[0]["owner"] == "jordi-vila"
    assert "calendari" in ok("network", "overdue")
    assert ok("network", "overdue", "--as-of", "2026-11-20").strip() == ""
    ok(
        "network",
        "follow-up",
        "calendari",
        "--status",
        "done",
        "--by",
        "Jordi",
        "--on",
        "2026-11-22",
    )
    ok(
        "network",
        "follow-up",
        "difusio",
        "--status",
        "cancelled",
        "--by",
        "Núria",
        "--on",
        "2026-11-23",
        "--note",
        "La taula ho fa",
    )
    assert [c["id"] for c in as_json("network", "overdue", "--as-of", "2026-11-21")] == [
        "calendari"
    ]  # as it stood then
    assert as_json("network", "overdue") == []
    shown = {c["id"]: c for c in as_json("network", "show", "xis")["commitments"]}
    assert shown["calendari"]["status"] == "done" and shown["calendari"]["closed_by"] == "Jordi"
    assert shown["difusio"]["status"] == "cancelled"
    assert shown["difusio"]["note"] == "La taula ho fa"
    err = refused(ws, "network", "follow-up", "calendari", "--status", "cancelled", "--by", "X")
    assert "already marked done on" in err
    err = refused(
        ws, "network", "follow-up", "difusio", "--status", "done", "--by", "X", "--locale", "ca"
    )
    assert "ja es va cancel·lar el 23 de novembre del 2026" in err
    assert query(ws, "select count(*) from network_follow_up") == [(2,)]
    refused(
        ws,
        "network",
        "commit",
        "xis",
        "--text",
        "t",
        "--owner",
        "jordi-vila",
        "--on",
        "2026-11-05",
        "--due",
        "2026-11-01",
    )
    refused(
        ws,
        "network",
        "commit",
        "xis",
        "--text",
        "t",
        "--owner",
        "jordi-vila",
        "--on",
        "2026-12-02",
        "--due",
        "2026-12-20",
    )
    refused(
        ws,
        "network",
        "commit",
        "xis",
        "--text",
        "t",
        "--owner",
        "jordi-vila",
        "--due",
        "2026-13-01",
        code=2,
    )


@freeze_time("2026-12-01 10:00:00")
def test_sessions_report_back_and_referrals(ws: Path) -> None:
    ok(
        "network",
        "session",
        "xis",
        "--on",
        "2026-11-05",
        "--who",
        "Núria Puig, Jordi Vila",
        "--notes",
        "Pla d'estiu *2027*",
    )
    ok(
        "network",
        "report-back",
        "xis",
        "--on",
        "2026-11-10",
        "--to",
        "Famílies del casal",
        "--summary",
        "Calendari d'activitats",
    )
    ok("network", "referrals", "xis", "--period", "2026-Q3", "--made", "4", "--received", "7")
    ok("network", "referrals", "xis", "--period", "2026-Q3", "--made", "5", "--received", "7")
    shown = as_json("network", "show", "xis")
    assert shown["sessions"] == [
        {"date": "2026-11-05", "who": "Núria Puig, Jordi Vila", "notes": "Pla d'estiu *2027*"}
    ]
    assert shown["report_backs"] == [
        {"date": "2026-11-10", "to": "Famílies del casal", "summary": "Calendari d'activitats"}
    ]
    assert shown["referrals"] == [{"period": "2026-Q3", "made": 5, "received": 7}]
    text = ok("network", "show", "xis")
    assert "Pla d'estiu *2027*" in text and "Famílies del casal" in text
    refused(ws, "network", "referrals", "xis", "--period", "Q3-2026", "--made", "1")
    refused(ws, "network", "referrals", "xis", "--period", "2026-Q4", "--made", "-1")
    refused(ws, "network", "session", "xis", "--on", "2026-12-02", "--who", "Núria")
    refused(ws, "network", "session", "xis", "--on", "2026-11-02", "--who", "A\x1b[31m")
    refused(ws, "network", "report-back", "nowhere", "--to", "X", "--summary", "Y")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("es", 'no hay ningún espacio con el id "nowhere"'),
        ("ca", 'no hi ha cap espai amb l\'id "nowhere"'),
        ("en", 'no space with id "nowhere"'),
    ],
)
def test_refusals_are_translated(ws: Path, locale: str, expected: str) -> None:
    err = refused(ws, "network", "show", "nowhere", "--locale", locale)
    assert expected in err


def test_catalan_output(ws: Path) -> None:
    assert "Cap compromís endarrerit." in said("network", "overdue", "--locale", "ca")
    ok("network", "represent", "xis", "--person", "nuria-puig", "--from", "2025-01-10")
    out = ok("network", "show", "xis", "--locale", "ca")
    assert "Representació" in out and "Tipus" in out


def test_referrals_import_all_or_nothing_with_row_numbers(ws: Path) -> None:
    ok("network", "add", "Taula de Salut Mental", "--kind", "taula", "--id", "tsm")
    good = ws / "referrals.csv"
    good.write_text(
        "espai,període,fetes,rebut\nxis,2026-Q3,4,7\ntsm,2026-Q3,1,0\n", encoding="utf-8"
    )
    ok("import", "network-referrals", str(good))
    assert as_json("network", "show", "xis")["referrals"] == [
        {"period": "2026-Q3", "made": 4, "received": 7}
    ]
    ok("import", "network-referrals", str(good))  # again: nothing changes
    assert query(ws, "select count(*) from network_referral") == [(2,)]
    bad = ws / "bad.ndjson"
    bad.write_text(
        '{"space": "xis", "period": "2026-Q4", "made": 2, "received": 3}\n'
        '{"space": "nowhere", "period": "2026-Q4", "made": 2, "received": 3}\n'
        '{"space": "tsm", "period": "Q4", "made": -1, "received": 3}\n',
        encoding="utf-8",
    )
    err = refused(ws, "import", "network-referrals", str(bad))
    assert 'bad.ndjson:2: space: no space with id "nowhere"' in err
    assert "bad.ndjson:3: made: a count cannot be negative (-1)" in err
    assert 'bad.ndjson:3: period: "Q4" is not a period' in err


def test_the_readmes_network_tour_runs_as_written_in_catalan(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's Catalan tour (examples/xarxes/) works typed as written; what it shows is
    in Catalan, names as typed; the commitment due on 2026-11-15 is overdue on the 16th."""
    import shutil

    from tests.conftest import ROOT
    from tests.test_docs import _run_tour, _tour

    shutil.copytree(ROOT / "examples" / "xarxes", in_tmp / "examples" / "xarxes")
    with freeze_time("2026-11-19 10:00"):
        _run_tour(
            _tour("Networks and territorial spaces (xarxes i espais territorials)"), monkeypatch
        )
        shown = ok("network", "show", "xarxa-infancia-sants", "--locale", "ca")
        overdue = as_json("network", "overdue", "--as-of", "2026-11-16")
    assert "Tipus: xarxa" in shown and "Representació" in shown
    assert "Xarxa d'Infància de Sants" in shown and "Famílies del casal" in shown
    assert "complert" in shown and "Derivacions" in shown
    assert [c["id"] for c in overdue] == ["jornada"]


def test_the_summary_lists_overdue_network_commitments(ws: Path) -> None:
    assert "Network commitments overdue" not in ok("summary", "--as-of", "2026-11-30")
    ok(
        "network",
        "commit",
        "xis",
        "--text",
        "Enviar el calendari",
        "--owner",
        "jordi-vila",
        "--on",
        "2026-11-05",
        "--due",
        "2026-11-20",
        "--id",
        "calendari",
    )
    assert json.loads(ok("summary", "--json", "--as-of", "2026-11-20"))["network_overdue"] == []
    data = json.loads(ok("summary", "--json", "--as-of", "2026-11-21"))
    assert [c["id"] for c in data["network_overdue"]] == ["calendari"]
    text = ok("summary", "--as-of", "2026-11-21", "--locale", "ca")
    assert "Compromisos endarrerits a les xarxes" in text and "calendari (xis, jordi-vila)" in text


def test_network_commands_do_not_import_sqlalchemy(ws: Path) -> None:
    """Everyday commands run on the DB-API path: `network list|show|overdue` load no
    SQLAlchemy (nor Rich), checked in a fresh process."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    code = (
        "import sys\n"
        "from comunidad_cli.cli import main\n"
        "for args in (['network', 'list'], ['network', 'show', 'xis'], ['network', 'overdue']):\n"
        "    sys.argv = ['comunidad', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as stop:\n"
        "        assert not stop.code, stop.code\n"
        "print(sorted(m for m in ('sqlalchemy', 'rich') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=ws,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
