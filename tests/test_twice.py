"""The same command run twice records one thing, not two.

A Catalan tester ran `person add "Pau Llull"` twice and got `pau-llull` and `pau-llull-2`;
`meeting new` twice gave two meetings of one body at the same minute; `deliverable add` twice
gave two reports, and later the organisation's application was refused naming each overdue
report twice. Without --id, a name, a meeting time, a report or a grant the workspace already
has is refused, naming the one there and an id to give another; with --id it is recorded."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ok, refused
from tests.test_grants import new_subcontract, ws  # noqa: F401  (the fixture)


def test_a_person_or_organisation_named_again(ws: Path) -> None:  # noqa: F811
    ok("person", "add", "Pau Llull")
    err = refused(ws, "person", "add", "pau  LLULL")
    assert "(pau-llull)" in err and "--id" in err and "pau-llull-2" in err
    err = refused(ws, "--locale", "ca", "org", "add", "casa de la comunidad", "--kind", "community")
    assert err == (
        'error: ja hi ha al directori una organització anomenada "casa de la comunidad" (casa):'
        " si és una altra, doneu-li el seu propi id amb --id (per exemple casa-de-la-comunidad)\n"
    )
    ok("person", "add", "Pau Llull", "--id", "pau-llull-fill")  # another Pau Llull


def test_a_meeting_of_one_body_at_the_same_time(in_tmp: Path) -> None:
    from tests.helpers import run

    assert run("init", "w")[0] == 0
    args = ("--workspace", "w", "meeting", "new", "--body", "partnership")
    first = ok(*args, "--at", "2026-12-03 19:00", "--notice-sent", "2026-11-20").strip()
    err = refused(in_tmp / "w", *args, "--at", "2026-12-03 19:00", "--notice-sent", "2026-11-20")
    assert f"({first})" in err and "--id" in err
    ok(*args, "--at", "2026-12-03 20:00", "--notice-sent", "2026-11-20")  # later that day
    ok(*args, "--at", "2026-12-03 19:00", "--notice-sent", "2026-11-20", "--id", "second")


def test_a_report_owed_twice_and_a_grant_given_twice(ws: Path) -> None:  # noqa: F811
    new_subcontract()
    report = ("deliverable", "add", "--subcontract", "casa-1", "--title", "Final report")
    ok(*report, "--due", "2025-11-30")
    err = refused(ws, *report[:-1], "final  REPORT", "--due", "2025-11-30")
    assert 'already owes "final REPORT" first due on Nov 30, 2025 (casa-1-final-report)' in err
    ok(*report, "--due", "2025-12-15")  # another due day: another report
    grant = ("grant", "new", "--funder", "funder", "--title", "best start 2025")
    grant += ("--amount", "1,000.00")
    err = refused(ws, *grant, "--from", "2025-01-01", "--to", "2025-12-31")
    assert "(bs)" in err and "--id" in err
    ok(*grant, "--from", "2026-01-01", "--to", "2026-12-31")  # next year's, of the same name
