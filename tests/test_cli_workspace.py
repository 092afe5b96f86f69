"""`comunidad init`, workspace discovery, `db ...` and `demo`, as a coordinator runs them."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.helpers import connect, run


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.sqlite_only  # the file, its mode, the init's own upgrade event
def test_init_creates_a_workspace(in_tmp: Path) -> None:
    code, _, err = run("init", "barrio", "--template", "directorio", "--locale", "es_CL.UTF-8")
    assert code == 0, err
    root = in_tmp / "barrio"
    assert tree(root) == ["bylaws", "bylaws/directorio.toml", "comunidad.db", "comunidad.toml"]
    config = (root / "comunidad.toml").read_text()
    assert 'locale = "es_CL"' in config and 'currency = "CLP"' in config
    assert stat.S_IMODE(os.stat(root / "comunidad.db").st_mode) == 0o600
    with sqlite3.connect(root / "comunidad.db") as db:
        rows = db.execute("select command, action from audit_event").fetchall()
    assert rows == [("init", "upgrade")]
    os.chdir(root / "bylaws")  # found by walking up
    assert run("bylaws", "check", "--strict")[0] == 0
    assert run("db", "check")[0] == 0


def test_init_defaults_follow_the_locale(in_tmp: Path) -> None:
    assert run("--locale", "ca", "init", "xarxa", "--template", "xarxa")[0] == 0
    config = (in_tmp / "xarxa" / "comunidad.toml").read_text()
    assert 'locale = "ca"' in config and 'currency = "EUR"' in config


def test_init_refuses_an_existing_workspace_and_changes_nothing(in_tmp: Path) -> None:
    assert run("init", "w")[0] == 0
    before = {p: p.stat().st_mtime_ns for p in (in_tmp / "w").rglob("*")}
    code, _, err = run("init", "w", "--template", "xarxa")
    assert code == 1
    assert "already exists" in err
    assert {p: p.stat().st_mtime_ns for p in (in_tmp / "w").rglob("*")} == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--currency", "euros"], 2, "not an ISO 4217 currency code"),
        (["--template", "cooperative"], 2, 'unknown template "cooperative"'),
        (["--locale", "???"], 2, "is not a locale"),
    ],
)
def test_init_refuses_bad_options_before_writing(
    in_tmp: Path, args: list[str], code: int, message: str
) -> None:
    status, _, err = run("init", "w", *args)
    assert status == code
    assert message in err
    assert not (in_tmp / "w").exists()


def test_init_rolls_back_its_files_when_the_database_fails(in_tmp: Path) -> None:
    status, _, err = run("--db", f"sqlite:///{in_tmp}/missing/folder/x.db", "init", "w")
    assert status == 1
    assert "Traceback" not in err
    assert not (in_tmp / "w").exists()


def test_workspace_option_and_environment(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("init", "w")[0] == 0
    elsewhere = in_tmp / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run("db", "check")[0] == 1
    assert run("--workspace", str(in_tmp / "w"), "db", "check")[0] == 0
    monkeypatch.setenv("COMUNIDAD_WORKSPACE", str(in_tmp / "w"))
    assert run("db", "check")[0] == 0
    status, _, err = run("--workspace", str(elsewhere), "db", "check")
    assert status == 2 and "is not a comunidad workspace" in err


def test_outside_a_workspace_commands_say_what_to_do(in_tmp: Path) -> None:
    status, _, err = run("db", "check")
    assert status == 1
    assert 'run "comunidad init"' in err


def test_db_option_overrides_the_workspace_database(in_tmp: Path) -> None:
    assert run("init", "w")[0] == 0
    other = in_tmp / "other.db"
    assert run("--workspace", "w", "--db", f"sqlite:///{other}", "db", "upgrade")[0] == 0
    assert other.exists()
    code, out, _ = run("--db", f"sqlite:///{other}", "db", "check", "--json")
    assert code == 0 and '"ok": true' in out


@pytest.mark.sqlite_only  # PostgreSQL's backup (pg_dump): tests/test_postgres_roles.py
def test_db_backup(in_tmp: Path) -> None:
    assert run("init", "w")[0] == 0
    os.chdir(in_tmp / "w")
    target = in_tmp / "copy.db"
    assert run("db", "backup", str(target))[0] == 0
    with sqlite3.connect(target) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        assert db.execute("select count(*) from audit_event").fetchone() == (1,)
    status, _, err = run("db", "backup", str(target))
    assert status == 1 and "--overwrite" in err
    assert run("db", "backup", str(target), "--overwrite")[0] == 0


def test_db_check_reports_a_schema_behind(in_tmp: Path) -> None:
    assert run("init", "w")[0] == 0
    with connect(in_tmp / "w") as db:
        db.execute("delete from alembic_version")
    os.chdir(in_tmp / "w")
    code, _, err = run("db", "check")
    assert code == 1
    assert "comunidad db upgrade" in err
    # The tables are there without a version: upgrading refuses clearly instead of guessing.
    code, _, err = run("db", "upgrade")
    assert code == 1
    assert "audit_event" in err and "already exists" in err and "Traceback" not in err


@freeze_time("2030-02-28 10:00:00")
def test_demo_runs_end_to_end_and_cleans_up(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(in_tmp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(in_tmp))
    code, out, err = run("demo")
    assert code == 0, err
    for step in (
        "1. A new workspace",
        "2. Checking the by-laws",
        "3. The partnership's by-laws",
        "4. An amendment",
        "5. Seats on the Neighborhood Leadership Group",
        "6. A meeting",
        "7. The minutes",
        "8. A grant passed on to a partner",
        "9. A competitive fund, from the call to the award",
        "10. The entity's work in networks and territorial spaces",
        "11. The regional view",
        "12. The database",
    ):
        assert step in out
    # The network chapter, typed in Catalan, and the overdue commitment it leaves.
    assert "Xarxa d'Infància de Sants: represented by Núria Puig since" in out
    assert "$ comunidad network overdue: 1 commitment past its due day" in out
    assert "jornada (xarxa-infancia-sants), due February 18, 2030, nuria-puig:" in out
    assert "Referrals through taula-salut-mental in 2029-Q4: 3 made, 5 received." in out
    # The regional view: three by-laws, the grant's money not attributed to any of them.
    assert "Regional view, March 1, 2029 to February 28, 2030: 3 partnerships." in out
    assert "Not attributed  $160,000.00  $57,500.00" in " ".join(out.split("\n"))
    assert "a class without a vote" in out  # the funder liaison's vote is refused
    assert "ADOPTED" in out and "NOT DECIDED: no quorum" in out
    assert "Minutes of Neighborhood Leadership Group, February 28, 2030" in out
    assert "familias-2026 (Familias Unidas): reports more than 14 days late" in out
    assert "$57,500.00" in out  # five paid invoices of 11,500.00, in the summary
    # The fund's award in mode skip: the third does not fit, the fourth does; the fifth is
    # under the round's minimum score (means of the reviewers' weighted totals, by hand).
    words = " ".join(out.split())  # Babel puts a no-break space between code and amount
    for line in (
        "Five neighbourhood organisations applied for CLP 12,000,000 against a budget of"
        " CLP 8,000,000",
        "1. jv-villa-esperanza (Plaza Los Aromos: juegos y bancas): funded, CLP 3,500,000 of"
        " CLP 3,500,000",
        "did not fit: CLP 4,000,000 asked, CLP 2,500,000 left (rank 3, score 2.33)",
        "4. comite-el-roble (Huerta comunitaria del pasaje): funded, CLP 1,500,000 of CLP 1,500,000",
        "- renacer (Paseo de lectura en la sede): below the minimum score below the minimum score:"
        " 1.33, the round asks 2.00",
        "Budget CLP 8,000,000: CLP 7,000,000 awarded, CLP 1,000,000 left (mode skip).",
        "$ comunidad fund show 2026-barrio-activo ready to rank and award: 5 admissible"
        " applications comunidad fund award 2026-barrio-activo --propose --meeting MEETING",
    ):
        assert line in words
    assert "No problems in 3 files" in out
    assert "date of last amendment: none -> February 28, 2030" in out
    from comunidad_cli.storage.schema import HEAD_REVISION

    assert f"Schema {HEAD_REVISION}: ok." in out
    assert list(in_tmp.iterdir()) == []


def test_grant_settings_in_the_workspace(in_tmp: Path) -> None:
    from decimal import Decimal
    from fractions import Fraction

    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.services.workspace import load

    config = in_tmp / "comunidad.toml"
    config.write_text('name = "w"\n')
    assert load(in_tmp).revision_threshold == Fraction(1, 10)
    assert load(in_tmp).volunteer_hour_rate is None
    config.write_text('name = "w"\nvolunteer_hour_rate = "33.49"\nrevision_threshold = "1/5"\n')
    assert load(in_tmp).volunteer_hour_rate == Decimal("33.49")
    assert load(in_tmp).revision_threshold == Fraction(1, 5)
    for bad in (
        'volunteer_hour_rate = "lots"',
        'volunteer_hour_rate = "-1"',
        'revision_threshold = "0.1"',
        'revision_threshold = "2"',
    ):
        config.write_text(f'name = "w"\n{bad}\n')
        with pytest.raises(ServiceError):
            load(in_tmp)
