"""The workspace's time zone: times typed, imported, shown and exported on its clocks.

The machine runs in UTC here (as a server would) while the workspace is elsewhere, so a
test passes only if nothing reads the machine's zone; the clock changes of Chile
(America/Santiago) and Spain (Europe/Madrid) in 2026 are typed, imported and refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from comunidad_cli import clock
from comunidad_cli.core.when import parse_when
from comunidad_cli.services.facts import local_zone
from tests.helpers import connect, ok, run


def _set_tz(name: str | None) -> None:
    if name is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = name
    time.tzset()


@pytest.fixture(autouse=True)
def _machine_in_utc() -> Iterator[None]:
    """The machine in UTC; the clock forgets the last command's workspace afterwards."""
    before = os.environ.get("TZ")
    _set_tz("UTC")
    yield
    _set_tz(before)
    clock.use_zone(None)


def set_zone(root: Path, name: str | None) -> None:
    """Set (or, with None, remove) `timezone` in the workspace's comunidad.toml."""
    config = root / "comunidad.toml"
    lines = [
        line for line in config.read_text(encoding="utf-8").splitlines() if "timezone" not in line
    ]
    if name is not None:
        lines.append(f'timezone = "{name}"')
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def new_meeting(at: str, notice: str) -> tuple[int, str, str]:
    return run("meeting", "new", "--body", "nlg", "--at", at, "--notice-sent", notice)


def scheduled(key: str) -> str:
    return str(
        next(m for m in json.loads(ok("meeting", "list", "--json")) if m["key"] == key)[
            "scheduled_at"
        ]
    )


# --- init ---------------------------------------------------------------------------------------


def test_init_takes_the_system_zone_or_the_one_chosen(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Madrid")
    assert run("init", "a", "--locale", "ca_ES")[0] == 0
    assert 'timezone = "Europe/Madrid"' in (in_tmp / "a" / "comunidad.toml").read_text()

    code, _, err = run("init", "b", "--timezone", "America/Santiago")
    assert code == 0, err
    assert "time zone: America/Santiago" in err
    assert 'timezone = "America/Santiago"' in (in_tmp / "b" / "comunidad.toml").read_text()

    code, _, err = run("init", "c", "--timezone", "Chile/Nowhere")
    assert code == 2
    assert '--timezone: "Chile/Nowhere" is not a time zone' in err
    assert not (in_tmp / "c" / "comunidad.toml").exists()

    monkeypatch.setenv("TZ", "Somewhere/Unknown")
    code, _, err = run("init", "d")
    assert code == 0, err
    assert 'timezone = "UTC"' in (in_tmp / "d" / "comunidad.toml").read_text()
    assert "note: the system does not name its time zone, so the workspace uses UTC" in err


def test_a_bad_zone_in_comunidad_toml_is_named_with_its_line(workspace: Path) -> None:
    set_zone(workspace, "America/Santiagoo")
    code, _, err = run("meeting", "list")
    assert code == 1
    line = next(
        n
        for n, text in enumerate((workspace / "comunidad.toml").read_text().splitlines(), 1)
        if text.startswith("timezone")
    )
    assert f'comunidad.toml:{line}: "America/Santiagoo" is not a time zone' in err
    assert "Traceback" not in err


# --- typed and shown in the workspace's zone on a UTC machine ------------------------------------


def test_los_angeles_workspace_on_a_utc_machine(workspace: Path) -> None:
    set_zone(workspace, "America/Los_Angeles")
    code, out, err = new_meeting("2026-01-10 18:00", "2026-01-01")
    assert code == 0, err
    key = out.strip()
    assert key.endswith("2026-01-10")  # the day on the workspace's clocks, not UTC's Jan 11
    assert scheduled(key) == "2026-01-10T18:00:00-08:00"
    with connect(workspace) as db:
        (stored,) = db.execute("select scheduled_at from meeting").fetchone()
    assert str(stored).startswith("2026-01-11 02:00")  # stored in UTC

    ok("meeting", "attend", key, "--person", "r1", "--at", "18:05")
    shown = json.loads(ok("meeting", "show", key, "--at", "18:10", "--json"))
    assert shown["scheduled_at"] == "2026-01-10T18:00:00-08:00"
    assert shown["at"] == "2026-01-10T18:10:00-08:00"
    assert [p["person"] for p in shown["present"]] == ["r1"]
    # A time typed with another offset is the same instant, shown on the workspace's clocks.
    shown = json.loads(ok("meeting", "show", key, "--at", "2026-01-11T02:10Z", "--json"))
    assert shown["at"] == "2026-01-10T18:10:00-08:00"

    minutes = ok("meeting", "minutes", key, "--format", "markdown")
    assert "6:05" in minutes and "2:05" not in minutes


def test_old_workspace_without_a_zone_uses_the_systems(workspace: Path) -> None:
    set_zone(workspace, None)
    _set_tz("America/Santiago")
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-01-10 18:00", "--notice-sent", "2026-01-01"
    ).strip()
    assert scheduled(key) == "2026-01-10T18:00:00-03:00"


def test_today_is_the_date_on_the_workspace_clocks() -> None:
    with freeze_time(datetime(2026, 1, 11, 3, 0, tzinfo=UTC)):
        clock.use_zone(ZoneInfo("America/Los_Angeles"))
        assert clock.today() == date(2026, 1, 10)
        assert local_zone() == ZoneInfo("America/Los_Angeles")
        clock.use_zone(ZoneInfo("Europe/Madrid"))
        assert clock.today() == date(2026, 1, 11)
        clock.use_zone(lambda: ZoneInfo("America/Santiago"))
        assert clock.today() == date(2026, 1, 11)  # 00:00 there, -03:00 in summer


# --- clock changes: never guess ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "text", "offset"),
    [
        ("America/Santiago", "2026-04-04 18:00", "-03:00"),  # summer time, last day
        ("America/Santiago", "2026-04-05 18:00", "-04:00"),
        ("America/Santiago", "2026-09-05 18:00", "-04:00"),
        ("America/Santiago", "2026-09-06 18:00", "-03:00"),
        ("Europe/Madrid", "2026-03-28 18:00", "+01:00"),
        ("Europe/Madrid", "2026-03-29 18:00", "+02:00"),
        ("Europe/Madrid", "2026-10-24 18:00", "+02:00"),
        ("Europe/Madrid", "2026-10-25 18:00", "+01:00"),
    ],
)
def test_each_side_of_a_change_has_its_offset(zone: str, text: str, offset: str) -> None:
    parsed = parse_when(text, ZoneInfo(zone))
    assert isinstance(parsed, datetime)
    assert parsed.isoformat(timespec="minutes") == text.replace(" ", "T") + offset


@pytest.mark.parametrize(
    ("zone", "text", "named"),
    [
        (
            "America/Santiago",
            "2026-09-06 00:30",
            "(the clocks jump from 00:00 to 01:00): write 2026-09-06T00:30-04:00 (= 01:30 on the"
            " new clocks) or 2026-09-06T00:30-03:00 (= 2026-09-05 23:30 on the old clocks)",
        ),
        (
            "Europe/Madrid",
            "2026-03-29 02:30",
            "(the clocks jump from 02:00 to 03:00): write 2026-03-29T02:30+01:00 (= 03:30 on the"
            " new clocks) or 2026-03-29T02:30+02:00 (= 01:30 on the old clocks)",
        ),
    ],
)
def test_a_time_the_clocks_skip_is_refused_naming_both(
    workspace: Path, zone: str, text: str, named: str
) -> None:
    set_zone(workspace, zone)
    code, _, err = new_meeting(text, "2026-03-01")
    assert code == 1  # a value refused, as in an import: not a usage error
    assert f'"{text}" does not exist in {zone} {named}' in err
    assert json.loads(ok("meeting", "list", "--json")) == []
    # Each reading, typed with its offset, is taken as written.
    second = named.split(" or ")[1].split(" ")[0]
    key = ok("meeting", "new", "--body", "nlg", "--at", second, "--notice-sent", "2026-03-01")
    assert datetime.fromisoformat(scheduled(key.strip())) == datetime.fromisoformat(second)

    # In an import the same refusal, the same words, the same exit code.
    (workspace / "skip.csv").write_text(
        f"meeting,person,at,event\n{key.strip()},r1,{text},arrive\n", encoding="utf-8"
    )
    code, _, err = run("import", "attendance", "skip.csv")
    assert code == 1
    assert f'skip.csv:2: at: "{text}" does not exist in {zone} {named}' in err


def test_a_bad_at_is_usage_and_a_refused_one_is_input(workspace: Path) -> None:
    """Exit 2 for text that is not written as a time; exit 1 for a time the record refuses."""
    set_zone(workspace, "America/Santiago")
    key = new_meeting("2026-09-05 22:00", "2026-08-20")[1].strip()
    for at in ("25:99", "yesterday", "2026-02-30 18:00"):
        assert run("meeting", "attend", key, "--person", "r1", "--at", at)[0] == 2, at
        assert new_meeting(at, "2026-08-20")[0] == 2, at
    assert new_meeting("18:30", "2026-08-20")[0] == 2  # a meeting's time needs its date
    for at in ("2026-09-06 00:30", "2026-09-07 18:00"):  # skipped; not during the meeting
        code, _, err = run("meeting", "attend", key, "--person", "r1", "--at", at)
        assert code == 1, (at, err)


@pytest.mark.parametrize(
    ("zone", "text", "first", "second"),
    [
        (
            "America/Santiago",
            "2026-04-04 23:30",
            "2026-04-04T23:30-03:00",
            "2026-04-04T23:30-04:00",
        ),
        ("Europe/Madrid", "2026-10-25 02:30", "2026-10-25T02:30+02:00", "2026-10-25T02:30+01:00"),
    ],
)
def test_a_time_the_clocks_show_twice_is_refused_naming_both(
    workspace: Path, zone: str, text: str, first: str, second: str
) -> None:
    set_zone(workspace, zone)
    code, _, err = new_meeting(text, "2026-03-01")
    assert code == 1
    assert f'"{text}" happens twice in {zone} (the clocks go back): write {first}' in err
    assert f"or {second} for the second" in err
    # Either instant, typed with its offset, is taken as written.
    key = ok("meeting", "new", "--body", "nlg", "--at", second, "--notice-sent", "2026-03-01")
    assert scheduled(key.strip()) == second[:16] + ":00" + second[16:]


def test_attendance_on_the_night_chile_turns_its_clocks_back(workspace: Path) -> None:
    set_zone(workspace, "America/Santiago")
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-04-04 21:00", "--notice-sent", "2026-03-20"
    ).strip()
    ok("meeting", "attend", key, "--person", "r1", "--at", "22:50")
    code, _, err = run("meeting", "attend", key, "--person", "r2", "--at", "23:10")
    assert code == 1
    assert '"23:10" happens twice in America/Santiago' in err
    ok("meeting", "attend", key, "--person", "r2", "--at", "2026-04-04T23:10-04:00")
    shown = json.loads(ok("meeting", "show", key, "--at", "2026-04-04T23:20-04:00", "--json"))
    assert shown["at"] == "2026-04-04T23:20:00-04:00"
    assert [p["person"] for p in shown["present"]] == ["r1", "r2"]


# --- imports -------------------------------------------------------------------------------------


def test_imported_times_without_an_offset_are_on_the_workspace_clocks(workspace: Path) -> None:
    set_zone(workspace, "Europe/Madrid")
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-10-24 18:00", "--notice-sent", "2026-10-01"
    ).strip()
    (workspace / "in.csv").write_text(
        f"meeting,person,at,event\n{key},r1,2026-10-24 18:05,arrive\n"
        f"{key},r2,2026-10-24T16:10Z,arrive\n",
        encoding="utf-8",
    )
    assert run("import", "attendance", "in.csv")[0] == 0
    with connect(workspace) as db:
        stored = [str(at)[:16] for (at,) in db.execute("select at from attendance order by at")]
    assert stored == ["2026-10-24 16:05", "2026-10-24 16:10"]

    later = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-10-25 01:00", "--notice-sent", "2026-10-01"
    ).strip()
    (workspace / "bad.csv").write_text(
        f"meeting,person,at,event\n{later},r1,2026-10-25 02:30,arrive\n", encoding="utf-8"
    )
    code, _, err = run("import", "attendance", "bad.csv")
    assert code == 1
    assert (
        'bad.csv:2: at: "2026-10-25 02:30" happens twice in Europe/Madrid (the clocks go back):'
        " write 2026-10-25T02:30+02:00 for the first time or 2026-10-25T02:30+01:00 for the second"
    ) in err


def test_the_hour_chile_repeats_keeps_its_order(workspace: Path) -> None:
    """23:10 the second time (03:10 UTC) is after 23:50 the first time (02:50 UTC)."""
    set_zone(workspace, "America/Santiago")
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-04-04 21:00", "--notice-sent", "2026-03-20"
    ).strip()
    ok("meeting", "attend", key, "--person", "r1", "--at", "21:00")
    ok("meeting", "attend", key, "--person", "r2", "--at", "2026-04-04T23:10-04:00")

    def present(at: str) -> list[str]:
        shown = json.loads(ok("meeting", "show", key, "--at", at, "--json"))
        return [p["person"] for p in shown["present"]]

    assert present("2026-04-04T23:50-03:00") == ["r1"]
    assert present("2026-04-04T23:20-04:00") == ["r1", "r2"]
    code, _, err = run("meeting", "leave", key, "--person", "r2", "--at", "2026-04-04T23:55-03:00")
    assert code == 1 and "r2 already has arrivals or departures after" in err

    (workspace / "att.csv").write_text(
        "meeting,person,at,event\n"
        f"{key},r3,2026-04-04T23:15-04:00,arrive\n"
        f"{key},r3,2026-04-04T23:55-03:00,leave\n",
        encoding="utf-8",
    )
    code, _, err = run("import", "attendance", "att.csv")
    assert code == 1, err
    assert "nothing was imported" in err


def test_minutes_printed_at_signing_show_the_time_they_show_later(workspace: Path) -> None:
    """The copy printed by --sign and every later print say the same time, on the workspace's
    clocks (it used to print the UTC time at signing: 5:10 PM, then 9:10 AM ever after)."""
    set_zone(workspace, "America/Los_Angeles")
    key = new_meeting("2026-01-10 18:00", "2025-12-01")[1].strip()
    ok("meeting", "attend", key, "--person", "r1", "--at", "18:05")
    ok("meeting", "close", key, "--at", "19:00")
    with freeze_time("2026-01-11T17:10:00Z"):  # 09:10 in Los Angeles
        at_signing = ok("meeting", "minutes", key, "--sign", "--by", "Secretary")
        later = ok("meeting", "minutes", key, "--format", "markdown")
    assert "9:10" in at_signing and "5:10" not in at_signing
    assert "9:10" in later and "5:10" not in later


# --- a meeting that runs past midnight -----------------------------------------------------------


def test_a_meeting_that_runs_past_midnight_takes_times_after_it(workspace: Path) -> None:
    """The Chilean night the clocks go back: 22:00 on April 4, business until 00:40 on the 5th."""
    set_zone(workspace, "America/Santiago")
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-04-04 22:00", "--notice-sent", "2026-03-20"
    ).strip()
    for person in ("r1", "r2", "r3", "r4", "r5"):
        ok("meeting", "attend", key, "--person", person, "--at", "22:00")
    ok("meeting", "attend", key, "--person", "r6", "--at", "2026-04-05 00:05")
    ok("meeting", "leave", key, "--person", "r1", "--at", "2026-04-05 00:20")
    motion = ok(
        "motion", "new", "--meeting", key, "--decision", "award_subcontract",
        "--title", "After midnight", "--at", "2026-04-05 00:25",
    ).strip()  # fmt: skip
    ok("motion", "vote", motion, "--person", "r2", "--choice", "yes", "--at", "2026-04-05 00:26")
    (workspace / "late.csv").write_text(
        f"meeting,person,at,event\n{key},r7,2026-04-05 00:30,arrive\n", encoding="utf-8"
    )
    code, _, err = run("import", "attendance", "late.csv")
    assert code == 0, err
    shown = json.loads(ok("meeting", "show", key, "--at", "2026-04-05 00:35", "--json"))
    assert [p["person"] for p in shown["present"]] == ["r2", "r3", "r4", "r5", "r6", "r7"]

    # More than 12 hours after it started is not this meeting; nor is the day before.
    for at in ("2026-04-05 10:30", "2026-04-03 23:00"):
        code, _, err = run("meeting", "attend", key, "--person", "b1", "--at", at)
        assert code == 1
        assert f"is not during meeting {key}, which started" in err
        assert "a time after midnight is written with its date" in err
    (workspace / "later.csv").write_text(
        f"meeting,person,at,event\n{key},b1,2026-04-05 10:30,arrive\n", encoding="utf-8"
    )
    code, _, err = run("import", "attendance", "later.csv")
    assert code == 1 and f"is not during meeting {key}" in err

    # "00:20" alone is on the meeting's day, 21 hours before it: which was meant is asked.
    code, _, err = run("meeting", "leave", key, "--person", "r2", "--at", "00:20")
    assert code == 1
    assert (
        f'"00:20" is on the day of meeting {key}, before it started at Apr 4, 2026, 10:00'
        '\u202fPM: write "2026-04-05 00:20" for after midnight, or "2026-04-04 00:20" for that day'
    ) in err
    code, _, err = run("meeting", "attend", key, "--person", "b1", "--at", "00:20")
    assert code == 1 and "for after midnight" in err
    assert run("meeting", "attend", key, "--person", "b1", "--at", "21:55")[0] == 0  # early
    ok("motion", "close", motion, "--at", "2026-04-05 00:38")
    ok("meeting", "close", key, "--at", "2026-04-05 00:40")
    # The minutes date what happened after midnight; what happened that evening, not.
    minutes = ok("meeting", "minutes", key, "--format", "markdown")
    assert "4/5/26, 12:20\u202fAM: Person R1 left" in minutes, minutes
    assert "\n- 10:00\u202fPM: Person R2 arrived" in minutes
    code, _, err = run("meeting", "leave", key, "--person", "r2", "--at", "2026-04-05 00:45")
    assert code == 1 and f"meeting {key} is closed" in err


# --- the hour the clocks repeat, shown ------------------------------------------------------------


def test_the_repeated_hour_is_shown_with_its_offset_everywhere(workspace: Path) -> None:
    """In Santiago 23:00-23:59 on April 4 happens twice: each such time carries its offset,
    in every place a time is shown; other times read as always."""
    set_zone(workspace, "America/Santiago")
    first, second = "2026-04-04T23:10-03:00", "2026-04-04T23:10-04:00"
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-04-04 22:50", "--notice-sent", "2026-03-20"
    ).strip()
    code, _, err = run("meeting", "attend", key, "--person", "r1", "--at", first)
    assert code == 0 and "r1 arrived at 11:10\u202fPM (-03:00)" in err
    code, _, err = run("meeting", "attend", key, "--person", "r2", "--at", second)
    assert code == 0 and "r2 arrived at 11:10\u202fPM (-04:00)" in err
    # Recorded at 23:12 the second time (freezegun drops `fold`: only "now" is frozen here).
    with freeze_time(datetime(2026, 4, 5, 3, 12, tzinfo=UTC)):
        code, _, err = run("meeting", "attend", key, "--person", "r3", "--at", "22:55")
        assert code == 0 and "r3 arrived at 10:55\u202fPM\n" in err
    late = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-04-04T23:30-04:00",
        "--notice-sent", "2026-03-20", "--id", "late",
    ).strip()  # fmt: skip

    listed = ok("meeting", "list")
    assert "11:30\u202fPM (-04:00)" in listed and "10:50\u202fPM" in listed
    assert "10:50\u202fPM (" not in listed
    shown = ok("meeting", "show", key, "--at", "2026-04-04T23:20-04:00")
    assert "At 4/4/26, 11:20\u202fPM (-04:00):" in shown, shown
    assert "4/4/26, 10:50\u202fPM" in shown and "10:50\u202fPM (" not in shown
    for form in ("text", "markdown", "html"):
        minutes = ok("meeting", "minutes", key, "--format", form)
        assert "11:10\u202fPM (-03:00)" in minutes, (form, minutes)
        assert "11:10\u202fPM (-04:00)" in minutes, form
        assert "10:55\u202fPM" in minutes and "10:55\u202fPM (" not in minutes, form
    audit = ok("audit", "list", "--entity", "attendance")
    assert "11:12\u202fPM (-04:00)" in audit, audit
    assert late == "late"


# --- PostgreSQL: instants whatever the session's time zone ----------------------------------------


@pytest.mark.postgres_only
def test_instants_round_trip_whatever_the_databases_time_zone(workspace: Path) -> None:
    """timestamptz keeps the instant, not the wall clock: with the database's TimeZone set to
    America/Santiago (every session then converts through it), the hour Chile repeats is
    written (`Db.instant`, and COPY for an import) and read back as the instants typed."""
    import psycopg

    from tests.helpers import database_of

    set_zone(workspace, "America/Santiago")
    url = database_of(workspace)
    with psycopg.connect(url, autocommit=True) as admin:
        name = admin.execute("SELECT current_database()").fetchone()
        assert name is not None
        admin.execute(f"ALTER DATABASE \"{name[0]}\" SET timezone TO 'America/Santiago'")
    with psycopg.connect(url) as session:
        assert session.execute("SHOW timezone").fetchone() == ("America/Santiago",)
    first, second = "2026-04-04T23:10-03:00", "2026-04-04T23:10-04:00"
    key = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-04-04T23:30-04:00",
        "--notice-sent", "2026-03-20",
    ).strip()  # fmt: skip
    ok("meeting", "attend", key, "--person", "r1", "--at", first)
    ok("meeting", "attend", key, "--person", "r2", "--at", second)
    (workspace / "att.csv").write_text(
        f"meeting,person,at,event\n{key},r3,2026-04-04T23:15-04:00,arrive\n", encoding="utf-8"
    )
    assert run("import", "attendance", "att.csv")[0] == 0
    with psycopg.connect(url) as session:
        stored = session.execute(
            "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM attendance"
            " ORDER BY at"
        ).fetchall()
        scheduled_utc = session.execute(
            "SELECT to_char(scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM meeting"
        ).fetchall()
    assert stored == [("2026-04-05 02:10",), ("2026-04-05 03:10",), ("2026-04-05 03:15",)]
    assert scheduled_utc == [("2026-04-05 03:30",)]
    assert scheduled(key) == "2026-04-04T23:30:00-04:00"
    minutes = ok("meeting", "minutes", key, "--format", "markdown")
    assert "11:10\u202fPM (-03:00)" in minutes and "11:10\u202fPM (-04:00)" in minutes
    assert "11:15\u202fPM (-04:00)" in minutes


@pytest.mark.postgres_only
def test_psycopg_reads_plain_datetimes_even_when_first_used_under_a_frozen_clock(
    postgres_url: str,
) -> None:
    """The suite imports psycopg before any test freezes the clock (tests/conftest.py): its C
    extension, first imported inside `freeze_time`, would build every timestamp of the rest
    of the run as freezegun's FakeDatetime, whose `astimezone` drops `fold` (the repeated-hour
    tests above then failed whenever tests/test_as_of.py ran first). A fresh interpreter, as
    the suite starts, shows it whatever ran before."""
    script = """
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import tests.conftest  # noqa: F401  (as pytest loads it, before any test)
from freezegun import freeze_time
from freezegun.api import real_datetime

with freeze_time(datetime(2026, 4, 5, 3, 12, tzinfo=UTC)):
    import psycopg

    with psycopg.connect(sys.argv[1]) as session:
        (value,) = session.execute("SELECT timestamptz '2026-04-05 03:30:00+00'").fetchone()
print(type(value) is real_datetime, value.astimezone(ZoneInfo("America/Santiago")).isoformat())
"""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script, postgres_url],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "2026-04-04T23:30:00-04:00"], done.stderr


@pytest.mark.parametrize("zone", ["America/Santiago", "Europe/Madrid", "Australia/Lord_Howe"])
def test_on_clocks_gives_the_wall_time_with_that_moments_fixed_offset(zone: str) -> None:
    """Every minute of a year (clock changes included, a half-hour one too): the instant
    itself, the wall clock the zone shows, a fixed offset shared by times with that offset,
    fold 0, and the order of the instants (the hour the clocks repeat compares right)."""
    from datetime import timedelta, timezone

    from comunidad_cli.services.facts import on_clocks

    tz = ZoneInfo(zone)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    previous = None
    offsets: dict[timedelta, object] = {}
    for minute in range(0, 366 * 24 * 60, 17):
        instant = start + timedelta(minutes=minute)
        for value in (instant, instant.replace(tzinfo=None), str(instant.replace(tzinfo=None))):
            shown = on_clocks(value, tz)
            local = instant.astimezone(tz)
            assert shown == instant
            assert shown.replace(tzinfo=None) == local.replace(tzinfo=None)
            assert shown.fold == 0 and type(shown.tzinfo) is timezone
            assert shown.utcoffset() == local.utcoffset()
            assert offsets.setdefault(local.utcoffset(), shown.tzinfo) is shown.tzinfo
        assert previous is None or previous < shown
        previous = shown
    assert len(offsets) == 2
