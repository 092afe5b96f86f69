"""Reports as of a day (`--as-of`, COMUNIDAD_AS_OF): a quarterly report is written after the
quarter, so overdue reports and pace are judged on that day, with what was on record then."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from tests.helpers import ok, run
from tests.test_capacity import as_json, assess, ws  # noqa: F401 (ws: a fixture)
from tests.test_summary import _grant_workspace

TODAY = "2026-07-02 12:00:00"


def _money(value: Any) -> Decimal:
    """An amount from JSON, whether written as a number or as a string."""
    return Decimal(str(value))


@pytest.fixture
def grant(in_tmp: Path) -> Path:
    """Fondo 2026 (120,000 USD, all of 2026), a 60,000 subcontract, 15,000.50 paid on April 5,
    and two reports: quarterly from April 10 (the first handed in on April 20) and one due
    May 15 never handed in."""
    with freeze_time(TODAY):
        _grant_workspace(
            in_tmp / "w",
            "en_US",
            "USD",
            {"grant": "120,000.00", "line": "60,000.00", "paid": "15,000.50"},
        )
        for title, due, every in (("Quarterly", "2026-04-10", "3"), ("Survey", "2026-05-15", "")):
            ok(
                "deliverable",
                "add",
                "--subcontract",
                "aromos-2026",
                "--title",
                title,
                "--due",
                due,
                *(("--every", every, "--unit", "months") if every else ()),
            )
        ok(
            "deliverable",
            "submit",
            "aromos-2026-quarterly",
            "--due",
            "2026-04-10",
            "--on",
            "2026-04-20",
        )
    return in_tmp / "w"


def _overdue(*options: str) -> list[tuple[str, str]]:
    listed = json.loads(ok("deliverable", "list", "--overdue", "--json", *options))
    return [(d["id"], o["due"]) for d in listed for o in d["occurrences"] if o["overdue"]]


@freeze_time(TODAY)
def test_an_overdue_report_was_not_overdue_before_its_due_date(grant: Path) -> None:
    assert _overdue() == [("aromos-2026-survey", "2026-05-15")]
    assert _overdue("--as-of", "2026-05-01") == []
    # Handed in on April 20: overdue as of April 15, though not today.
    assert _overdue("--as-of", "2026-04-15") == [("aromos-2026-quarterly", "2026-04-10")]

    def flags(*options: str) -> list[str]:
        return list(json.loads(ok("subcontract", "list", "--json", *options))[0]["flags"])

    assert flags("--as-of", "2026-04-15") == ["overdue_reports"]
    assert flags("--as-of", "2026-05-01") == []
    assert flags() == ["very_late_reports"]
    shown = json.loads(ok("subcontract", "show", "aromos-2026", "--json", "--as-of", "2026-04-15"))
    assert shown["flags"] == ["overdue_reports"]
    summary = json.loads(ok("summary", "--json", "--as-of", "2026-05-01"))
    assert summary["today"] == "2026-05-01"
    assert summary["attention"] == []
    today = json.loads(ok("summary", "--json"))
    assert [a["subcontract"] for a in today["attention"]] == ["aromos-2026"]


@freeze_time(TODAY)
def test_pace_as_of_a_day_counts_the_money_spent_by_then(grant: Path) -> None:
    (before,) = json.loads(ok("spend-down", "--json", "--as-of", "2026-03-31"))
    assert _money(before["spent"]) == 0  # paid on April 5
    assert before["elapsed"] == round(90 / 365, 4)  # January 1 to March 31, of 365 days
    assert before["pace"] == "behind"
    (after,) = json.loads(ok("spend-down", "--json", "--as-of", "2026-04-10"))
    assert _money(after["spent"]) == Decimal("15000.50")
    (sub,) = after["subcontracts"]
    assert sub["pace"] == "on_track"  # a quarter of 60,000 in 100 of 365 days
    (now,) = json.loads(ok("spend-down", "--json"))
    assert now["pace"] == "behind" and now["elapsed"] != after["elapsed"]
    text = ok("spend-down", "--as-of", "2026-03-31")
    assert "15,000.50" not in text


@freeze_time(TODAY)
def test_the_variable_is_for_scripts_and_the_option_beats_it(
    grant: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMUNIDAD_AS_OF", "2026-05-01")
    assert _overdue() == []
    assert json.loads(ok("summary", "--json"))["today"] == "2026-05-01"
    assert _overdue("--as-of", "2026-07-02") == [("aromos-2026-survey", "2026-05-15")]

    monkeypatch.setenv("COMUNIDAD_AS_OF", "31/03/2026")
    code, _, err = run("summary")
    assert code == 2
    assert 'COMUNIDAD_AS_OF: "31/03/2026" is not a date: write it as YYYY-MM-DD' in err
    monkeypatch.delenv("COMUNIDAD_AS_OF")
    for command in (["summary"], ["spend-down"], ["deliverable", "list"], ["grant", "list"]):
        code, _, err = run(*command, "--as-of", "2026-02-30")
        assert code == 2, command
        assert '--as-of: there is no such date as "2026-02-30"' in err


def test_capacity_as_of_a_day_uses_the_assessments_made_by_then(ws: Path) -> None:  # noqa: F811
    assess("casa", "Ana", "2025-03-01", g1=3, g2=4, g3="na", g4="na", f1=2, f2="na")
    assess("casa", "Luis", "2025-03-05", g1=2, g2=2, g3=2, g4=1, f1=1, f2=1)
    assess("casa", "Ana", "2025-05-01", g1=4, g2=4, g3=4, g4=4, f1=3, f2=3)
    assert as_json("capacity", "show", "casa")["latest"]["to"] == "2025-05-01"
    assert as_json("capacity", "show", "casa", "--as-of", "2025-03-31")["latest"]["to"] == (
        "2025-03-05"
    )
    code, _, err = run("capacity", "compare", "casa", "--as-of", "2025-03-31")
    assert code == 0 and "nothing to compare yet" in err
    network = as_json("capacity", "network", "--as-of", "2025-03-02")
    assert [o["id"] for o in network["organisations"]] == ["casa"]
    code, _, err = run("capacity", "network", "--as-of", "2025-02-01")
    assert code == 1 and "no capacity assessments yet" in err


def test_amendments_after_the_day_are_not_in_its_view(grant: Path) -> None:
    """Recorded March 10 to take effect June 1 (awaiting the funder, approved June 15), and
    recorded May 10 backdated to March 1: as of March 31 neither is on record in force."""
    with freeze_time("2026-03-10 12:00:00"):
        ok("subcontract", "amend", "aromos-2026", "--effective", "2026-06-01", "--reason", "Move",
           "--line", "talleres=-20,000", "--line", "personal=20,000")  # fmt: skip
    with freeze_time("2026-05-10 12:00:00"):
        ok("subcontract", "amend", "aromos-2026", "--effective", "2026-03-01", "--reason", "Fix",
           "--line", "talleres=-100", "--line", "materiales=100")  # fmt: skip
    with freeze_time("2026-06-15 12:00:00"):
        ok(
            "subcontract",
            "approve-revision",
            "aromos-2026",
            "--amendment",
            "1",
            "--on",
            "2026-06-15",
        )

    def amendments(day: str) -> list[tuple[int, str]]:
        shown = json.loads(ok("subcontract", "show", "aromos-2026", "--json", "--as-of", day))
        return [(a["number"], a["status"]) for a in shown["amendments"]]

    def flags(day: str) -> list[str]:
        (listed,) = json.loads(ok("subcontract", "list", "--json", "--as-of", day))
        return list(listed["flags"])

    with freeze_time(TODAY):
        assert amendments("2026-03-31") == []
        assert flags("2026-03-31") == []
        summary = json.loads(ok("summary", "--json", "--as-of", "2026-03-31"))
        assert summary["attention"] == []
        assert "awaiting" not in " ".join(ok("summary", "--as-of", "2026-03-31").split())
        grant_shown = json.loads(
            ok("grant", "show", "fondo-2026", "--json", "--as-of", "2026-03-31")
        )
        assert grant_shown["needing_attention"] == []
        # Recorded, in effect, not yet approved on June 10: awaiting the funder then.
        assert amendments("2026-05-31") == [(2, "pending")]  # in effect March 1, recorded May 10
        assert amendments("2026-06-10") == [(1, "pending"), (2, "pending")]
        assert "revision_awaiting_approval" in flags("2026-06-10")
        assert amendments("2026-06-20") == [(1, "approved"), (2, "pending")]
        assert amendments("2026-07-02") == amendments("2026-06-20")


def test_recent_meetings_are_those_held_by_the_day(workspace: Path) -> None:
    """A meeting scheduled after today (or after the as-of day) is not "recent": left out,
    and when every meeting is later the summary says none were held by that day."""
    for at, notice in (("2026-03-10 18:00", "2026-03-01"), ("2026-12-10 18:00", "2026-12-01")):
        ok("meeting", "new", "--body", "nlg", "--at", at, "--notice-sent", notice)
    with freeze_time("2026-12-05 12:00:00"):
        listed = json.loads(ok("summary", "--json"))["meetings"]
        assert [m["meeting"] for m in listed] == ["nlg-2026-03-10"]
        assert "nlg-2026-12-10" not in ok("summary")
        assert [m["meeting"] for m in json.loads(ok("summary", "--json", "--as-of", "2026-03-01"))[
            "meetings"
        ]] == []  # fmt: skip
        text = " ".join(ok("summary", "--as-of", "2026-03-01").split())
        assert "No meetings by March 1, 2026." in text
        assert "No meetings yet" not in text
    with freeze_time("2026-12-12 12:00:00"):
        listed = json.loads(ok("summary", "--json"))["meetings"]
        assert [m["meeting"] for m in listed] == ["nlg-2026-12-10", "nlg-2026-03-10"]
