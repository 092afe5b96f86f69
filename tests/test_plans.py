"""The local improvement plan: needs ranked 1..n, adoption through a real motion under the
by-laws' plan decision, not in force when rejected, amendments as history, imports."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from comunidad_cli.core.plans import needs as core
from tests.conftest import ROOT
from tests.helpers import database_of, execute, ok, query, refused, run, write

MEMBERS = ["c1", "c2", "c3", "c4", "c5", "p1", "p2"]
PLAN = "plan-directorio-2026"


# --- the core ---------------------------------------------------------------------------------


def _ranked(*ranks: int) -> list[core.RankedNeed]:
    return [core.RankedNeed(f"n{i}", r, i + 2) for i, r in enumerate(ranks)]


def test_ranks_one_to_n() -> None:
    assert core.rank_problems(_ranked(2, 1, 3)) == []
    duplicate = core.rank_problems(_ranked(1, 1, 2))
    assert [(p.row, p.msg.render()) for p in duplicate] == [
        (3, "rank 1 is given to more than one need (n0, n1)"),
        (None, "3 needs must be ranked 1 to 3, each once; missing: 3"),
    ]
    gap = core.rank_problems(_ranked(1, 2, 4))
    assert [(p.row, p.msg.render()) for p in gap] == [
        (None, "3 needs must be ranked 1 to 3, each once; missing: 3 (given instead: 4)")
    ]


def test_in_force_is_the_latest_adopted_version_on_the_day() -> None:
    v1 = core.Version("p", "p", date(2026, 1, 1), date(2027, 12, 31), date(2025, 12, 10), (1,))
    v2 = core.Version("p-v2", "p", date(2026, 1, 1), date(2027, 12, 31), date(2026, 6, 1), (2,))
    draft = core.Version("p-v3", "p", date(2026, 1, 1), date(2027, 12, 31), None)
    assert [v.key for v in core.in_force([v1, v2, draft])] == ["p-v2"]
    assert [v.key for v in core.in_force([v1, v2, draft], date(2026, 3, 1))] == ["p"]
    assert core.in_force([v1, v2], date(2028, 1, 1)) == []


# --- the commands -----------------------------------------------------------------------------


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    """The directorio-local by-laws (aprobar_plan: plan = true, an absolute majority of the
    members) and seven seated members."""
    assert run("init", "w", "--template", "directorio", "--locale", "en_US")[0] == 0
    root = in_tmp / "w"
    (root / "bylaws" / "directorio.toml").unlink()
    shutil.copy(ROOT / "bylaws" / "directorio-local.toml", root / "bylaws")
    execute(
        root,
        "insert into person (id, key, name, created_at) values (?, ?, ?, '2024-01-01 00:00:00')",
        *[(n, key, f"Person {key}") for n, key in enumerate(MEMBERS, start=1)],
    )
    execute(
        root,
        "insert into seat (bylaws_id, body, person_id, member_class, start)"
        " values ('directorio-local', 'directorio', ?, ?, '2024-01-01')",
        *[(n, "comunitaria" if k.startswith("c") else "publico") for n, k in enumerate(MEMBERS, 1)],
    )
    os.chdir(root)
    return root


def _plan(ws: Path) -> str:
    key = ok(
        "plan",
        "new",
        "--body",
        "directorio",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        "--title",
        "Plan de mejoramiento <Los Aromos>",
    ).strip()
    assert key == PLAN
    ok(
        "plan",
        "need",
        key,
        "--id",
        "plazas",
        "--name",
        "Recuperar *plazas*",
        "--evidence",
        "Diagnóstico",
    )
    ok(
        "plan",
        "need",
        key,
        "--id",
        "seguridad",
        "--name",
        "Seguridad",
        "--evidence",
        "Encuesta",
        "--rank",
        "1",
    )
    return key


def _meeting(day: str) -> str:
    key = ok(
        "meeting",
        "new",
        "--body",
        "directorio",
        "--at",
        f"{day} 18:00",
        "--notice-sent",
        "2026-10-01",
    ).strip()
    for person in ["c1", "c2", "c3", "c4", "p1"]:
        ok("meeting", "attend", key, "--person", person, "--at", "18:00")
    return key


def _vote(motion: str, yes: int) -> str:
    voters = ["c1", "c2", "c3", "c4", "p1"]
    for n, person in enumerate(voters):
        ok(
            "motion",
            "vote",
            motion,
            "--person",
            person,
            "--choice",
            "yes" if n < yes else "no",
            "--at",
            "18:20",
        )
    return ok("motion", "close", motion, "--at", "18:30")


def test_adopted_through_a_real_motion(ws: Path) -> None:
    plan = _plan(ws)
    assert json.loads(ok("plan", "show", plan, "--json"))["status"] == "draft"
    meeting = _meeting("2026-11-18")
    motion = ok("plan", "propose", plan, "--meeting", meeting, "--at", "18:10").strip()
    assert query(ws, "select decision, title from motion where key = ?", (motion,)) == [
        ("aprobar_plan", "Plan de mejoramiento <Los Aromos>")
    ]
    shown = json.loads(ok("plan", "show", plan, "--json"))
    assert shown["status"] == "proposed" and shown["adopted"] is None
    # Frozen while voted on.
    err = refused(ws, "plan", "need", plan, "--id", "x", "--name", "X", "--evidence", "e")
    assert "being voted on" in err
    _vote(motion, yes=4)  # 4 of 7 members: more than half of the members
    shown = json.loads(ok("plan", "show", plan, "--json"))
    assert shown["status"] == "in_force"
    assert shown["adopted"]["motion"] == motion and shown["adopted"]["meeting"] == meeting
    assert [(n["rank"], n["id"], n["name"]) for n in shown["needs"]] == [
        (1, "seguridad", "Seguridad"),
        (2, "plazas", "Recuperar *plazas*"),
    ]
    text = ok("plan", "show", plan)
    assert f"motion {motion} at meeting {meeting}" in text and "Recuperar *plazas*" in text
    err = refused(ws, "plan", "need", plan, "--id", "x", "--name", "X", "--evidence", "e")
    assert "adopted and is frozen" in err
    from comunidad_cli.services.plans.versions import needs_in_force, ranks

    url = database_of(ws)
    assert ranks(needs_in_force(url, "directorio", date(2026, 12, 1))) == {
        "seguridad": 1,
        "plazas": 2,
    }
    assert needs_in_force(url, "directorio", date(2026, 11, 17)) == []  # before its adoption
    assert needs_in_force(url, "directorio", date(2028, 1, 1)) == []  # after its period


def test_not_in_force_when_rejected(ws: Path) -> None:
    plan = _plan(ws)
    meeting = _meeting("2026-11-18")
    motion = ok("plan", "propose", plan, "--meeting", meeting, "--at", "18:10").strip()
    _vote(motion, yes=3)  # 3 of 7: not more than half of the members
    shown = json.loads(ok("plan", "show", plan, "--json"))
    assert shown["status"] == "draft" and shown["adopted"] is None
    assert shown["proposals"][0]["outcome"] == "rejected"
    from comunidad_cli.services.plans.versions import needs_in_force

    assert needs_in_force(database_of(ws), "directorio", date(2026, 12, 1)) == []
    # A draft again: it may change and be put again.
    ok("plan", "need", plan, "--id", "empleo", "--name", "Empleo", "--evidence", "Mesa")
    other = ok("plan", "propose", plan, "--meeting", meeting, "--at", "18:40").strip()
    assert other != motion


def test_amendments_are_history(ws: Path) -> None:
    plan = _plan(ws)
    meeting = _meeting("2026-11-18")
    _vote(ok("plan", "propose", plan, "--meeting", meeting, "--at", "18:10").strip(), yes=5)
    refused(ws, "plan", "amend", "nope", code=1)
    amended = ok("plan", "amend", plan).strip()
    assert amended == f"{PLAN}-v2"
    ok(
        "plan",
        "need",
        amended,
        "--id",
        "empleo",
        "--name",
        "Empleo juvenil",
        "--evidence",
        "Mesa",
        "--rank",
        "2",
    )
    # Until adopted, the first version is the one in force.
    assert json.loads(ok("plan", "show", plan, "--json"))["status"] == "in_force"
    second = _meeting("2026-11-25")
    _vote(ok("plan", "propose", amended, "--meeting", second, "--at", "18:10").strip(), yes=4)
    old = json.loads(ok("plan", "show", plan, "--json"))
    new = json.loads(ok("plan", "show", amended, "--json"))
    assert old["status"] == "superseded" and old["amended_by"] == [amended]
    assert [n["id"] for n in old["needs"]] == ["seguridad", "plazas"]  # as adopted
    assert new["status"] == "in_force" and new["amends"] == plan and new["version"] == 2
    assert [n["id"] for n in new["needs"]] == ["seguridad", "empleo", "plazas"]
    assert new["adopted"]["meeting"] == second
    listed = json.loads(ok("plan", "list", "--json"))
    assert [(p["plan"], p["status"]) for p in listed] == [
        (plan, "superseded"),
        (amended, "in_force"),
    ]
    err = refused(ws, "plan", "amend", plan)
    assert f'amend "{amended}"' in err


def test_one_version_voted_on_at_a_time(ws: Path) -> None:
    plan = _plan(ws)
    meeting = _meeting("2026-11-18")
    _vote(ok("plan", "propose", plan, "--meeting", meeting, "--at", "18:10").strip(), yes=5)
    second, third = ok("plan", "amend", plan).strip(), ok("plan", "amend", plan).strip()
    assert (second, third) == (f"{PLAN}-v2", f"{PLAN}-v3")
    later = _meeting("2026-11-25")
    motion = ok("plan", "propose", second, "--meeting", later, "--at", "18:10").strip()
    err = refused(ws, "plan", "propose", third, "--meeting", later, "--at", "18:11")
    assert f'version "{second}" of this plan is being voted on (motion "{motion}")' in err


def test_one_plan_in_force_per_body_and_period(ws: Path) -> None:
    plan = _plan(ws)
    meeting = _meeting("2026-11-18")
    _vote(ok("plan", "propose", plan, "--meeting", meeting, "--at", "18:10").strip(), yes=5)
    err = refused(
        ws,
        "plan",
        "new",
        "--body",
        "directorio",
        "--from",
        "2027-06-01",
        "--to",
        "2028-12-31",
        "--title",
        "Otro",
    )
    assert "amend it" in err
    ok(
        "plan",
        "new",
        "--body",
        "directorio",
        "--from",
        "2028-01-01",
        "--to",
        "2029-12-31",
        "--title",
        "Siguiente",
    )


def test_propose_refusals(ws: Path) -> None:
    plan = ok(
        "plan",
        "new",
        "--body",
        "directorio",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        "--title",
        "P",
    ).strip()
    meeting = _meeting("2026-11-18")
    assert "no needs yet" in refused(
        ws, "plan", "propose", plan, "--meeting", meeting, "--at", "18:10"
    )
    ok("plan", "need", plan, "--id", "a", "--name", "A", "--evidence", "e")
    committee = ok(
        "meeting",
        "new",
        "--body",
        "comision_evaluadora",
        "--at",
        "2026-11-19 18:00",
        "--notice-sent",
        "2026-10-01",
    ).strip()
    err = refused(ws, "plan", "propose", plan, "--meeting", committee, "--at", "18:10")
    assert 'is of body "comision_evaluadora"' in err
    err = refused(
        ws, "plan", "need", plan, "--id", "b", "--name", "B", "--evidence", "e", "--rank", "3"
    )
    assert "ranks 1 to 2" in err
    assert "before it starts" in refused(
        ws,
        "plan",
        "new",
        "--body",
        "directorio",
        "--from",
        "2026-01-01",
        "--to",
        "2025-12-31",
        "--title",
        "P",
    )


def test_bylaws_without_a_plan_decision(ws: Path) -> None:
    path = ws / "bylaws" / "directorio-local.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("plan = true", ""), encoding="utf-8")
    plan = ok(
        "plan",
        "new",
        "--body",
        "directorio",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        "--title",
        "P",
    ).strip()
    ok("plan", "need", plan, "--id", "a", "--name", "A", "--evidence", "e")
    meeting = _meeting("2026-11-18")
    err = refused(ws, "plan", "propose", plan, "--meeting", meeting, "--at", "18:10")
    assert "set plan = true on one" in err


def test_import_needs(ws: Path) -> None:
    ok(
        "import",
        "territories",
        str(ROOT / "examples" / "plans" / "territories.csv"),
        "--locale",
        "es",
    )
    ok(
        "plan",
        "new",
        "--body",
        "directorio",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        "--title",
        "Plan",
    )
    bad = write(
        ws,
        "bad.csv",
        "plan;id;nombre;rango;evidencia;territorio\n"
        f"{PLAN};a;A;1;e;villa-norte\n"
        f"{PLAN};b;B;1;e;\n"
        f"{PLAN};c;C;4;;\n",
    )
    err = refused(ws, "import", "needs", str(bad))
    assert 'bad.csv:2: territorio: no territory "villa-norte"' in err  # the file's header
    assert "bad.csv:3: rango: rank 1 is given to more than one need (a, b)" in err
    assert "bad.csv:4: evidencia:" in err
    code, _, err = run("import", "needs", str(ROOT / "examples" / "plans" / "needs.csv"))
    assert code == 0, err
    shown = json.loads(ok("plan", "show", PLAN, "--json"))
    assert [(n["rank"], n["id"], n["territory"]) for n in shown["needs"]] == [
        (1, "seguridad", "villa-sur"),
        (2, "plazas", "los-aromos"),
        (3, "jovenes", None),
    ]
    before = query(ws, "select * from plan_need order by id")
    ok("import", "needs", str(ROOT / "examples" / "plans" / "needs.csv"))
    assert query(ws, "select * from plan_need order by id") == before
    # "prioridad"/"prioritat", as the CLI says it, is the rank of a need
    for header in ("plan;id;nombre;prioridad;evidencia", "pla;id;nom;prioritat;evidència"):
        spanish = write(ws, "prioridad.csv", f"{header}\n{PLAN};jovenes;Jóvenes;2;e\n")
        code, _, err = run("import", "needs", str(spanish))
        assert code == 1 and "rank 2 is given to more than one need" in err, err
    gap = write(ws, "gap.csv", f"plan,id,name,rank,evidence\n{PLAN},d,D,5,e\n")
    err = refused(ws, "import", "needs", str(gap))
    assert (
        f'plan "{PLAN}": 4 needs must be ranked 1 to 4, each once; missing: 4 (given instead: 5)'
        in err
    )


def test_spanish_and_catalan(ws: Path) -> None:
    plan = _plan(ws)
    out = ok("plan", "show", plan, "--locale", "es")
    assert "Estado" in out and "borrador" in out and "Plan de mejoramiento <Los Aromos>" in out
    out = ok("plan", "show", plan, "--locale", "ca")
    assert "Estat" in out and "esborrany" in out
    err = refused(ws, "plan", "amend", plan, "--locale", "es")
    assert "no está vigente" in err
