"""`comunidad capacity ...` and `comunidad import assessments`: instruments from the workspace
first, assessments by several raters, show / compare / network, refusals that write nothing,
`capacity check` findings at file:line:col, imports that re-run unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, subprocess_env
from tests.helpers import connect, dump, ok, run
from tests.test_directory import db_url

EXAMPLES = ROOT / "examples"

MINI = """\
schema = 1
id = "mini"
name = { es = "Mini", en = "Mini", ca = "Mini" }
na = true

[scale.1]
label = { es = "Inicial", en = "Emerging", ca = "Inicial" }
description = { es = "a", en = "a", ca = "a" }
[scale.2]
label = { es = "En desarrollo", en = "Developing", ca = "En desenvolupament" }
description = { es = "b", en = "b", ca = "b" }
[scale.3]
label = { es = "Establecido", en = "Established", ca = "Consolidat" }
description = { es = "c", en = "c", ca = "c" }
[scale.4]
label = { es = "Avanzado", en = "Advanced", ca = "Avançat" }
description = { es = "d", en = "d", ca = "d" }

[domains.gov]
name = { es = "Gobierno", en = "Governance", ca = "Govern" }
[domains.gov.items.g1]
text = { es = "uno", en = "one", ca = "un" }
[domains.gov.items.g2]
text = { es = "dos", en = "two", ca = "dos" }
[domains.gov.items.g3]
text = { es = "tres", en = "three", ca = "tres" }
[domains.gov.items.g4]
text = { es = "cuatro", en = "four", ca = "quatre" }

[domains.fin]
name = { es = "Finanzas", en = "Finance", ca = "Finances" }
[domains.fin.items.f1]
na = false
text = { es = "presupuesto", en = "budget", ca = "pressupost" }
[domains.fin.items.f2]
text = { es = "auditoría", en = "audit", ca = "auditoria" }
"""


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


def refused(root: Path, *args: str, code: int = 1) -> str:
    """The command exits `code`, writes nothing, and says why on stderr (no traceback)."""
    before = dump(root)
    status, out, err = run(*args)
    assert status == code, (out, err)
    assert "Traceback" not in err
    assert dump(root) == before
    return err


def answers(**scores: int | str) -> list[str]:
    return [arg for item, score in scores.items() for arg in ("--answer", f"{item}={score}")]


def assess(org: str, rater: str, day: str, **scores: int | str) -> str:
    return ok(
        "capacity", "assess", org, "--instrument", "mini", "--rater", rater, "--on", day,
        *answers(**scores),
    )  # fmt: skip


def make_workspace(
    folder: Path, monkeypatch: pytest.MonkeyPatch, *, rate: str | None = None
) -> Path:
    assert run("init", str(folder), "--locale", "en_US", "--currency", "USD")[0] == 0
    monkeypatch.chdir(folder)
    if rate is not None:
        with (folder / "comunidad.toml").open("a", encoding="utf-8") as config:
            config.write(f'volunteer_hour_rate = "{rate}"\n')
    (folder / "instruments").mkdir()
    (folder / "instruments" / "mini.toml").write_text(MINI, encoding="utf-8")
    return folder


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_workspace(in_tmp / "w", monkeypatch)
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    ok("org", "add", "Eastside Family Center", "--kind", "agency", "--id", "eastside")
    ok("org", "add", "First 5 LA", "--kind", "funder", "--id", "first5la")
    return root


def add_grant(
    root: Path,
    key: str,
    *,
    funder: str,
    amount: str,
    match: str = "0",
    currency: str = "USD",
    partners: Sequence[str] = (),
) -> None:
    """A grant (and subcontracts with `partners`), written directly: grants are another module."""
    from sqlalchemy import insert, select

    from comunidad_cli.services.directory import table_of
    from comunidad_cli.services.session import writing

    now = datetime(2025, 1, 1, tzinfo=UTC)
    with writing(db_url(root)) as session:
        conn = session.connection()
        orgs = table_of("organisation")
        ids = {k: i for k, i in conn.execute(select(orgs.c.key, orgs.c.id)).all()}
        result = conn.execute(
            insert(table_of("grant_award")).values(
                key=key,
                funder_id=ids[funder],
                title=f"Grant {key}",
                amount=Decimal(amount),
                currency=currency,
                start=date(2025, 1, 1),
                end=date(2025, 12, 31),
                match_required=Decimal(match),
                created_at=now,
            )
        )
        assert result.inserted_primary_key is not None
        for partner in partners:
            conn.execute(
                insert(table_of("subcontract")).values(
                    key=f"{key}-{partner}",
                    grant_id=result.inserted_primary_key[0],
                    partner_id=ids[partner],
                    kind="subaward",
                    start=date(2025, 1, 1),
                    end=date(2025, 12, 31),
                    status="active",
                    created_at=now,
                )
            )


def audit(root: Path, entity: str) -> list[tuple[str, str, str]]:
    with connect(root) as db:
        return db.execute(
            "select command, action, entity_id from audit_event where entity = ? order by id",
            (entity,),
        ).fetchall()


# --- instruments ---------------------------------------------------------------------------------


def test_the_capacity_group_builds_only_its_own_modules() -> None:
    """`comunidad capacity ...` builds the capacity group (cli/app.py's LAZY registry names
    `cli/capacity/group.py`): no other group's module, no SQLAlchemy, no Rich before it runs."""
    code = (
        "import sys, typer, typer.main\n"
        "from comunidad_cli.cli.app import app\n"
        "root = typer.main.get_command(app)\n"
        "assert root.get_command(typer.Context(root), 'capacity') is not None\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('comunidad_cli.cli.',"
        " 'sqlalchemy', 'rich')))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "comunidad_cli.cli._common",
        "comunidad_cli.cli.app",
        "comunidad_cli.cli.capacity",
        "comunidad_cli.cli.capacity.assess",
        "comunidad_cli.cli.capacity.common",
        "comunidad_cli.cli.capacity.group",
        "comunidad_cli.cli.capacity.instruments",
        "comunidad_cli.cli.capacity.scores",
    ]


def test_instruments_lists_the_workspace_first_then_the_shipped(ws: Path) -> None:
    listed = as_json("capacity", "instruments")
    assert [(i["id"], i["source"], i["domains"], i["items"]) for i in listed] == [
        ("mini", "workspace", 2, 6),
        ("calidad-alianza", "shipped", 6, 18),
        ("capacidad-organizacional", "shipped", 6, 28),
    ]
    shown = as_json("capacity", "instruments", "mini")
    assert shown["domains"][1]["items"][0] == {"id": "f1", "text": "budget", "na": False}
    assert "Gobierno" in ok("--locale", "es", "capacity", "instruments", "mini")


def test_a_workspace_instrument_replaces_the_shipped_one_with_its_id(ws: Path) -> None:
    (ws / "instruments" / "own.toml").write_text(
        MINI.replace('"mini"', '"capacidad-organizacional"')
    )
    listed = as_json("capacity", "instruments")
    ids = [(i["id"], i["source"]) for i in listed]
    assert ids == [
        ("mini", "workspace"),
        ("capacidad-organizacional", "workspace"),
        ("calidad-alianza", "shipped"),
    ]


def test_an_instrument_with_errors_cannot_be_used(ws: Path) -> None:
    (ws / "instruments" / "broken.toml").write_text(
        MINI.replace('"mini"', '"broken"').replace("[scale.4]", "[scale.5]")
    )
    code, out, err = run("capacity", "instruments", "--json")
    assert code == 0 and "broken" not in out and "broken.toml has errors" in err
    err = refused(
        ws,
        "capacity",
        "assess",
        "casa",
        "--instrument",
        "broken",
        "--rater",
        "Ana",
        "--answer",
        "g1=1",
    )
    assert "has errors" in err and "comunidad capacity check" in err


def test_check_reports_findings_at_file_line_col(ws: Path) -> None:
    bad = ws / "bad.toml"
    bad.write_text(
        MINI.replace("[domains.fin.items.f2]", "[domains.fin.items.g1]"), encoding="utf-8"
    )
    code, out, _err = run("capacity", "check", str(bad))
    assert code == 1
    assert out.splitlines() == [
        f'{bad}:35:20: CI110 [error] item id "g1" is used in domain "gov" already: answers name'
        " items by id alone, so an id may appear once in the instrument"
    ]
    report = json.loads(run("capacity", "check", str(bad), "--json")[1])
    assert report["findings"][0]["code"] == "CI110" and report["summary"]["error"] == 1
    assert run("capacity", "check")[:2] == (0, "")  # the workspace's instruments/: clean
    shipped = ROOT / "src" / "comunidad_cli" / "instruments" / "capacidad-organizacional.toml"
    assert run("capacity", "check", str(shipped))[:2] == (0, "")
    warn = ws / "warn.toml"
    warn.write_text(MINI.replace(', ca = "Finances" }', " }"), encoding="utf-8")
    code, out, _err = run("capacity", "check", str(warn))
    assert code == 0 and ":31:1: CI107 [warning] domains.fin.name has no translation in ca" in out
    assert run("capacity", "check", "--strict", str(warn))[0] == 1
    assert run("capacity", "check", "nowhere.toml")[0] == 2


# --- assess, show, compare ------------------------------------------------------------------------


def test_two_raters_show_mean_spread_and_weakest(ws: Path) -> None:
    assess("casa", "Ana", "2025-03-01", g1=3, g2=4, g3="na", g4="na", f1=2, f2="na")
    assess("casa", "Luis", "2025-03-05", g1=2, g2=2, g3=2, g4=1, f1=1, f2=1)
    shown = as_json("capacity", "show", "casa")
    latest = shown["latest"]
    assert latest["from"] == "2025-03-01" and latest["to"] == "2025-03-05"
    gov, fin = latest["domains"]
    # Ana: gov 7/2 (2 of 4 answered: exactly half scores), fin 2; Luis: gov 7/4, fin 1.
    assert gov["raters"] == {"Ana": "3.50", "Luis": "1.75"}
    assert (gov["score"], gov["score_exact"], gov["spread"]) == ("2.63", "21/8", "1.75")
    assert (fin["score"], fin["score_exact"], fin["spread"]) == ("1.50", "3/2", "1.00")
    assert latest["weakest"] == ["fin", "gov"]
    text = ok("capacity", "show", "casa")
    assert (
        "Casa de la Comunidad" in text
        and "2.63" in text
        and "Weakest domains: Finance (1.50), Governance (2.63)." in text
    )
    assert "Finanzas" in ok("--locale", "es", "capacity", "show", "casa")
    assert "Finances" in ok("--locale", "ca", "capacity", "show", "casa")
    assert audit(ws, "capacity_assessment") == [
        ("capacity assess", "create", "casa/mini/Ana/2025-03-01"),
        ("capacity assess", "create", "casa/mini/Luis/2025-03-05"),
    ]


def test_a_domain_below_half_answered_has_no_score(ws: Path) -> None:
    assess("casa", "Ana", "2025-03-01", g1=3, g2="na", g3="na", g4="na", f1=2, f2=4)
    gov = as_json("capacity", "show", "casa")["latest"]["domains"][0]
    assert (gov["score"], gov["raters"]) == (None, {"Ana": None})
    _code, out, err = run("capacity", "show", "casa")
    assert "–" in out and "fewer than half" in err


def test_compare_with_the_previous_round(ws: Path) -> None:
    assess("casa", "Ana", "2025-03-01", g1=3, g2=4, g3="na", g4="na", f1=2, f2="na")
    _code, _out, err = run("capacity", "compare", "casa")
    assert "nothing to compare yet" in err
    assess("casa", "Luis", "2025-03-05", g1=2, g2=2, g3=2, g4=1, f1=1, f2=1)
    assess("casa", "Ana", "2025-05-01", g1=4, g2=4, g3=4, g4=4, f1=3, f2=3)
    compared = as_json("capacity", "compare", "casa")
    assert compared["previous"]["to"] == "2025-03-05"
    assert [r["rater"] for r in compared["latest"]["raters"]] == ["Ana"]
    assert [
        (c["id"], c["previous"], c["latest"], c["change"], c["change_exact"])
        for c in compared["changes"]
    ] == [
        ("gov", "2.63", "4.00", "1.38", "11/8"),
        ("fin", "1.50", "3.00", "1.50", "3/2"),
    ]
    assert "+1.38" in ok("capacity", "compare", "casa")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (answers(g1=3, g2=3, g3=3, g4=3, f1=3), "no answer for 1 item: f2"),
        (answers(g1=3, g2=3, g3=3, g4=3, f1=3, f2=3, g9=1), 'has no item "g9"'),
        (answers(g1=3, g2=3, g3=3, g4=3, f1="na", f2=3), "N/A is not allowed"),
        (answers(g1=5, g2=3, g3=3, g4=3, f1=3, f2=3), '"5" is not a score'),
        (["--answer", "g1"], "write ITEM=SCORE"),
        ([*answers(g1=3, g2=3, g3=3, g4=3, f1=3, f2=3), "--answer", "g1=2"], "answered twice"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    ws: Path, args: list[str], expected: str
) -> None:
    err = refused(ws, "capacity", "assess", "casa", "--instrument", "mini", "--rater", "Ana", *args)
    assert expected in err and "Nothing was recorded." in err


def test_other_refusals(ws: Path) -> None:
    full = answers(g1=3, g2=3, g3=3, g4=3, f1=3, f2=3)
    base = ("capacity", "assess", "casa", "--instrument", "mini", "--rater")
    assert 'no organisation with id "nadie"' in refused(
        ws, "capacity", "assess", "nadie", "--instrument", "mini", "--rater", "Ana", *full
    )
    assert 'no capacity instrument with id "otro"' in refused(
        ws, "capacity", "assess", "casa", "--instrument", "otro", "--rater", "Ana", *full
    )
    assert "in the future" in refused(ws, *base, "Ana", "--on", "2999-01-01", *full)
    # a malformed option value is a usage error, as for every other --on/--from/--to
    assert "no such date" in refused(ws, *base, "Ana", "--on", "2025-02-30", *full, code=2)
    assert "cannot be empty" in refused(ws, *base, "  ", *full)
    assess("casa", "Ana", "2025-03-01", g1=3, g2=3, g3=3, g4=3, f1=3, f2=3)
    assert "already assessed" in refused(ws, *base, "ANA", "--on", "2025-03-01", *full)
    refused(ws, *base, "Ana", code=2)  # no answers at all: a usage error
    assert "no capacity assessments of" in refused(ws, "capacity", "show", "eastside")
    assert 'no organisation with id "nadie"' in refused(ws, "capacity", "compare", "nadie")


def test_answers_from_a_file(ws: Path) -> None:
    good = ws / "answers.csv"
    good.write_text("item,score\ng1,3\ng2,4\ng3,na\ng4,N/A\nf1,2\nf2,1\n", encoding="utf-8")
    ok(
        "capacity",
        "assess",
        "casa",
        "--instrument",
        "mini",
        "--rater",
        "Ana",
        "--on",
        "2025-03-01",
        "--file",
        str(good),
    )
    fin = as_json("capacity", "show", "casa")["latest"]["domains"][1]
    assert fin["score_exact"] == "3/2"
    bad = ws / "bad.csv"
    bad.write_text("item,score\ng1,3\ng2,7\ng3,\n", encoding="utf-8")
    err = refused(
        ws,
        "capacity",
        "assess",
        "casa",
        "--instrument",
        "mini",
        "--rater",
        "Luis",
        "--file",
        str(bad),
    )
    assert f'{bad}:3: score: "7" is not a score' in err
    assert f"{bad}:4: score: a value is required" in err


# --- network --------------------------------------------------------------------------------------


def test_network_across_organisations_and_for_a_grant(ws: Path) -> None:
    assess("casa", "Ana", "2025-03-01", g1=3, g2=4, g3="na", g4="na", f1=2, f2="na")
    assess("eastside", "Luis", "2025-03-05", g1=2, g2=2, g3=2, g4=1, f1=1, f2=1)
    view = as_json("capacity", "network")
    assert [o["id"] for o in view["organisations"]] == ["casa", "eastside"]
    gov, fin = view["domains"]
    assert gov["scores"] == {"casa": "3.50", "eastside": "1.75"}
    assert (gov["mean"], gov["mean_exact"], gov["spread"]) == ("2.63", "21/8", "1.75")
    assert (fin["mean"], fin["spread"]) == ("1.50", "1.00")
    assert view["weakest"] == ["fin", "gov"]
    add_grant(ws, "g2025", funder="first5la", amount="100000", partners=["casa", "first5la"])
    by_grant = as_json("capacity", "network", "--grant", "g2025")
    assert [(o["id"], o["assessed"]) for o in by_grant["organisations"]] == [
        ("casa", True),
        ("first5la", False),
    ]
    assert by_grant["domains"][0]["scores"] == {"casa": "3.50", "first5la": None}
    _code, out, err = run("capacity", "network", "--grant", "g2025")
    assert "casa" in out and "Not assessed yet with mini: first5la." in err
    assert 'no grant with id "nope"' in refused(ws, "capacity", "network", "--grant", "nope")

    from comunidad_cli.services.capacity.assessments import weakest_domains

    weakest = weakest_domains(db_url(ws), limit=1, folder=ws / "instruments")
    assert [(w.domain, w.score, w.organisations, w.name_in("es")) for w in weakest] == [
        ("fin", Decimal(3) / 2, 2, "Finanzas")
    ]
    from comunidad_cli.services.session import reading

    with reading(db_url(ws)) as session:  # a caller's session, or its connection, work too
        assert weakest_domains(session, limit=1, folder=ws / "instruments") == weakest
        assert weakest_domains(session.connection(), folder=ws / "instruments")[0] == weakest[0]


def test_weakest_domains_with_nothing_assessed(ws: Path) -> None:
    from comunidad_cli.services.capacity.assessments import weakest_domains

    assert weakest_domains(db_url(ws)) == []
    assert "no capacity assessments yet" in refused(ws, "capacity", "network")


# --- import assessments -----------------------------------------------------------------------------


@pytest.fixture
def examples(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_workspace(in_tmp / "x", monkeypatch)
    ok("import", "orgs", str(EXAMPLES / "orgs.csv"))
    return root


def test_import_the_example_assessments_and_run_it_again(examples: Path) -> None:
    code, _out, err = run("import", "assessments", str(EXAMPLES / "capacity" / "assessments.csv"))
    assert code == 0 and "224 created, 0 unchanged" in err
    before = dump(examples)
    code, _out, err = run("import", "assessments", str(EXAMPLES / "capacity" / "assessments.csv"))
    assert code == 0 and "0 created, 224 unchanged" in err
    assert dump(examples) == before
    assert len(audit(examples, "capacity_assessment")) == 8 + 1  # one per assessment + the import
    shown = as_json("capacity", "show", "casa-comunidad")
    assert shown["instrument"] == "capacidad-organizacional"
    assert [r["rater"] for r in shown["latest"]["raters"]] == ["Lidia Chen", "Marisol Ortega"]
    compared = as_json("capacity", "compare", "casa-comunidad")
    assert compared["previous"]["from"] == "2024-03-12"
    assert all(c["change"] is not None for c in compared["changes"])
    network = as_json("capacity", "network")
    assert [o["id"] for o in network["organisations"]] == [
        "casa-comunidad",
        "eastside-family-center",
    ]
    assert len(network["weakest"]) == 3
    # the finance domain of Casa's 2024 self-assessment is mostly N/A: no score from that rater
    finance = compared["previous"]["domains"][1]
    assert finance["raters"]["Marisol Ortega"] is None and finance["score"] is not None


def test_reimport_updates_changed_answers_only(examples: Path, tmp_path: Path) -> None:
    source = (EXAMPLES / "capacity" / "assessments.csv").read_text(encoding="utf-8")
    ok("import", "assessments", str(EXAMPLES / "capacity" / "assessments.csv"))
    line = "casa-comunidad,capacidad-organizacional,Lidia Chen,2025-03-25,gov-bylaws,"
    start = source.index(line)
    old = source[start : source.index("\n", start)]
    new = line + ("4" if not old.endswith(",4") else "1")
    changed = tmp_path / "changed.csv"
    # a rater's name in other case is the same rater
    changed.write_text(
        source.replace(old, new).replace("Rosa Delgado", "ROSA DELGADO"), encoding="utf-8"
    )
    code, _out, err = run("import", "assessments", str(changed))
    assert code == 0 and "0 created, 1 updated, 223 unchanged" in err
    assert audit(examples, "capacity_assessment")[-2][1:] == (
        "update",
        "casa-comunidad/capacidad-organizacional/Lidia Chen/2025-03-25",
    )


def test_a_bad_assessments_file_is_refused_whole(examples: Path, tmp_path: Path) -> None:
    rows = (EXAMPLES / "capacity" / "assessments.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    # row 3 dropped (an incomplete assessment), an unknown item, an N/A where none is allowed
    broken = [rows[0], *rows[1:2], *rows[3:]]
    broken[5] = broken[5].rsplit(",", 2)[0] + ",gov-nothing,2"
    broken[30] = broken[30].rsplit(",", 2)[0] + ",fin-budget,na"
    bad.write_text("\n".join(broken) + "\n", encoding="utf-8")
    before = dump(examples)
    code, _out, err = run("import", "assessments", str(bad))
    assert code == 1 and dump(examples) == before
    assert (
        f"{bad}:2: the assessment of eastside-family-center by Rosa Delgado on March 12, 2024 has no answer for 2 items"
        in err
    )
    assert f'{bad}:6: item: instrument "capacidad-organizacional" has no item "gov-nothing"' in err
    assert f'{bad}:31: score: item "fin-budget" must be scored 1 to 4' in err
    future = tmp_path / "future.csv"
    future.write_text(
        "org,instrument,rater,date,item,score\ncasa-comunidad,capacidad-organizacional,A,2999-01-01,gov-board,2\n"
    )
    code, _out, err = run("import", "assessments", str(future))
    assert code == 1 and "is in the future" in err
