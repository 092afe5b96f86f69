"""A round opened, applications to it, admissibility and appeals (issue 12): the rules
hand-worked in the pure core, then the commands end to end, on either backend."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.core.funds.admissibility import (
    Applicant,
    OverdueReport,
    Personality,
    earlier_applications,
    judge,
    reason_of,
    reasons_json,
)
from comunidad_cli.core.funds.round import Round
from tests.conftest import ROOT
from tests.helpers import dump, ok, query, refused, run, write

EXAMPLE = ROOT / "examples" / "fondos" / "2026-barrio-activo.toml"
ROUND = "2026-barrio-activo"
CLOSE = date(2026, 4, 17)


def _round(text: str | None = None) -> Round:
    from comunidad_cli.services.funds.round_files import check_bytes

    found = check_bytes((text or EXAMPLE.read_text("utf-8")).encode(), "r.toml").round
    assert found is not None
    return found


def _applicant(**changes: object) -> Applicant:
    values: dict[str, object] = {
        "key": "villa-plaza",
        "organisation": "villa",
        "organisation_kind": "community",
        "amount": Decimal(900000),
        "own": Decimal(100000),
        "priority": "espacios-publicos",
        "submitted_on": date(2026, 4, 10),
        "lines": {},
    }
    values.update(changes)
    return Applicant(**values)  # type: ignore[arg-type]


IN_FORCE = (Personality("PJ-1", None, date(2027, 1, 1)),)


def _texts(reasons: tuple[object, ...]) -> list[str]:
    return [r.render() for r in reasons]  # type: ignore[attr-defined]


# --- the rules, hand-worked -------------------------------------------------------------------


def test_an_application_meeting_every_rule_is_admitted() -> None:
    assert judge(_round(), _applicant(), personality=IN_FORCE) == ()


@pytest.mark.parametrize(
    ("own", "admitted"),
    [
        # 100,000 of 900,000 + 100,000 is exactly the tenth the round asks.
        (Decimal(100000), True),
        (Decimal(99999), False),
        (Decimal("99999.99"), False),
    ],
)
def test_own_share_is_compared_exactly_at_the_boundary(own: Decimal, admitted: bool) -> None:
    reasons = judge(_round(), _applicant(own=own), personality=IN_FORCE)
    assert (reasons == ()) is admitted
    if not admitted:
        assert _texts(reasons) == [
            f"the own contribution, {own}, is less than 1/10 of the project's total of"
            f" {Decimal(900000) + own}"
        ]


def test_own_amount_is_a_minimum_of_its_own() -> None:
    text = EXAMPLE.read_text("utf-8").replace('own_share = "1/10"', "own_amount = 150000")
    reasons = judge(_round(text), _applicant(), personality=IN_FORCE)
    assert _texts(reasons) == [
        "the own contribution, 100000, is less than the 150000 the round asks"
    ]


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ((Personality("PJ-1", None, date(2026, 4, 16)),), "expired on 2026-04-16"),
        ((Personality("PJ-1", None, CLOSE),), None),
        ((Personality("PJ-1", None, date(2026, 4, 18)),), None),
        ((Personality("PJ-1", date(2026, 4, 18), date(2028, 1, 1)),), "in force from 2026-04-18"),
        ((), "has no legal personality recorded"),
        # An older record in force on the closing day holds though a renewal starts later.
        (
            (
                Personality("PJ-1", None, date(2026, 4, 30)),
                Personality("PJ-2", date(2026, 5, 1), date(2029, 4, 30)),
            ),
            None,
        ),
    ],
)
def test_legal_personality_must_be_in_force_on_the_closing_day(
    records: tuple[Personality, ...], expected: str | None
) -> None:
    reasons = judge(_round(), _applicant(), personality=records)
    if expected is None:
        assert reasons == ()
    else:
        (only,) = _texts(reasons)
        assert expected in only and ("2026-04-17" in only or "no legal" in only)


def test_legal_personality_not_required_is_not_asked() -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "legal_personality_required = true", "legal_personality_required = false"
    )
    assert judge(_round(text), _applicant(), personality=()) == ()


def test_the_second_application_of_an_organisation_is_refused_naming_the_first() -> None:
    first = _applicant(key="villa-plaza")
    second = _applicant(key="villa-sede", submitted_on=date(2026, 4, 12))
    other = _applicant(key="club-cancha", organisation="club")
    beyond = earlier_applications([first, other, second], 1)
    assert beyond == {"villa-sede": ("villa-plaza",)}
    reasons = judge(_round(), second, personality=IN_FORCE, earlier=beyond["villa-sede"])
    assert _texts(reasons) == [
        "villa may make 1 application to this round, and villa-plaza came first"
    ]
    assert earlier_applications([first, other, second], 2) == {}


def test_every_reason_is_given_not_just_the_first() -> None:
    reasons = judge(
        _round(),
        _applicant(
            organisation_kind="business",
            amount=Decimal(3600000),
            own=Decimal(0),
            priority="deportes",
            submitted_on=date(2026, 4, 18),
            lines={"materiales": Decimal(3000000)},
        ),
        overdue=[OverdueReport("sub-2025", "Rendición final", date(2026, 1, 31))],
    )
    assert _texts(reasons) == [
        "applications to 2026-barrio-activo closed on 2026-04-17: 2026-04-18 is after the window",
        "villa is of kind business: the round is for community",
        "villa has no legal personality recorded: record it with"
        ' "comunidad org legal villa --number N --valid-until DATE"',
        'the report "Rendición final" of sub-2025, due 2026-01-31, is overdue',
        "the amount asked, 3600000, is above the round's maximum of 3500000",
        "the own contribution, 0, is less than 1/10 of the project's total of 3600000",
        'the priority "deportes" is not one the round serves (espacios-publicos,'
        " seguridad-comunitaria, personas-mayores)",
        "the budget lines add up to 3000000, not to the 3600000 asked",
    ]


def test_minimum_amount_and_missing_priority() -> None:
    reasons = judge(
        _round(),
        _applicant(amount=Decimal(799999), own=Decimal(90000), priority=None),
        personality=IN_FORCE,
    )
    assert _texts(reasons) == [
        "the amount asked, 799999, is below the round's minimum of 800000",
        "the application names no priority: the round serves espacios-publicos,"
        " seguridad-comunitaria, personas-mayores",
    ]


def test_reasons_survive_their_json_round_trip() -> None:
    reasons = judge(
        _round(),
        _applicant(organisation_kind="business", own=Decimal(0)),
        personality=(Personality("PJ-1", None, date(2026, 1, 1)),),
        earlier=("villa-a",),
    )
    stored = json.loads(json.dumps(reasons_json(reasons)))
    assert tuple(reason_of(r) for r in stored) == reasons
    assert stored[0]["id"] == "{org} is of kind {kind}: the round is for {kinds}"


# --- the commands ------------------------------------------------------------------------------


def _workspace(root: Path, locale: str = "en_US") -> Path:
    assert run(
        "init", str(root), "-t", "directorio", "--locale", locale, "--currency", "CLP",
        "--timezone", "America/Santiago",
    )[0] == 0  # fmt: skip
    (root / "fondos").mkdir()
    shutil.copy(EXAMPLE, root / "fondos")
    return root


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directorio workspace (CLP, Santiago) with the example round opened, and two
    community organisations, villa with legal personality in force on the closing day."""
    root = _workspace(in_tmp / "w")
    monkeypatch.chdir(root)
    with freeze_time("2026-03-10 12:00:00"):
        ok("fund", "open", f"fondos/{ROUND}.toml", "--by", "Ana")
    ok("org", "add", "Junta de Vecinos Villa Esperanza", "--kind", "community", "--id", "villa")
    ok("org", "add", "Club Deportivo «Los Halcones»", "--kind", "community", "--id", "club")
    ok("org", "legal", "villa", "--number", "PJ-1234", "--valid-until", "2026-04-17")
    return root


def _apply(
    *extra: str, org: str = "villa", project: str = "Plaza Los Aromos", at: str = "2026-04-10 10:00"
) -> str:
    return ok(
        "fund", "apply", ROUND, "--org", org, "--project", project, "--amount", "1,500,000",
        "--own", "200,000", "--priority", "espacios-publicos", "--at", at, *extra,
    ).strip()  # fmt: skip


def test_open_records_the_round_and_its_text_once(ws: Path) -> None:
    assert query(ws, "select key, bylaws_id, body, grant_id from fund_round") == [
        (ROUND, "mi-directorio", "directorio", None)
    ]
    before = dump(ws)
    code, _out, err = run("fund", "open", f"fondos/{ROUND}.toml")
    assert code == 0 and "nothing changed" in err
    assert dump(ws) == before


def test_a_changed_file_is_a_new_text_until_applications_close(ws: Path) -> None:
    path = ws / "fondos" / f"{ROUND}.toml"
    path.write_text(path.read_text("utf-8").replace("max_amount = 3500000", "max_amount = 3000000"))
    with freeze_time("2026-04-17 20:00:00"):  # the closing day, in Santiago
        code, _out, err = run("fund", "open", str(path))
    assert code == 0, err
    assert len(query(ws, "select id from fund_round_text")) == 2
    path.write_text(path.read_text("utf-8").replace("max_amount = 3000000", "max_amount = 2000000"))
    with freeze_time("2026-04-18 15:00:00"):
        err = refused(ws, "fund", "open", str(path))
    assert "closed on Apr 17, 2026" in err and "can no longer change" in err


def test_open_refuses_a_body_the_bylaws_lack_and_a_file_with_errors(ws: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace('id = "2026-barrio-activo"', 'id = "otro"')
    other = write(ws, "otro.toml", text.replace('body = "directorio"', 'body = "asamblea"'))
    err = refused(ws, "fund", "open", str(other))
    assert 'no body "asamblea"' in err and "directorio, comision_evaluadora" in err
    broken = write(ws, "roto.toml", text.replace('award_mode = "skip"', 'award_mode = "todo"'))
    code, out, _err = run("fund", "open", str(broken))
    assert code == 1 and "FD" in out
    assert query(ws, "select key from fund_round") == [(ROUND,)]


def test_a_grant_in_another_currency_is_refused(ws: Path) -> None:
    ok("org", "add", "Fundación", "--kind", "funder", "--id", "fundacion")
    ok(
        "grant", "new", "--funder", "fundacion", "--title", "Euros", "--amount", "1,000.00",
        "--from", "2026-01-01", "--to", "2026-12-31", "--currency", "EUR", "--id", "g-eur",
    )  # fmt: skip
    err = refused(ws, "fund", "open", f"fondos/{ROUND}.toml", "--grant", "g-eur")
    assert "is in EUR and the round in CLP" in err
    ok(
        "grant", "new", "--funder", "fundacion", "--title", "Pesos", "--amount", "30,000,000",
        "--from", "2026-01-01", "--to", "2026-12-31", "--id", "g-clp",
    )  # fmt: skip
    ok("fund", "open", f"fondos/{ROUND}.toml", "--grant", "g-clp")
    shown = json.loads(ok("fund", "show", ROUND, "--json"))
    assert shown["grant"] == "g-clp" and shown["budget"] == 24000000


@pytest.mark.parametrize(
    ("at", "problem"),
    [
        ("2026-03-15 23:59", "open on Mar 16, 2026"),
        ("2026-04-18 00:00", "closed on Apr 17, 2026"),
    ],
)
def test_apply_outside_the_window_is_refused(ws: Path, at: str, problem: str) -> None:
    err = refused(
        ws, "fund", "apply", ROUND, "--org", "villa", "--project", "P", "--amount", "900,000",
        "--at", at,
    )  # fmt: skip
    assert problem in err


def test_apply_on_the_last_minute_and_to_a_round_never_opened(ws: Path) -> None:
    key = _apply("--at", "2026-04-17 23:59")
    assert key == "villa-plaza-los-aromos"
    err = refused(
        ws, "fund", "apply", "2027-otro", "--org", "villa", "--project", "P", "--amount", "1",
    )  # fmt: skip
    assert 'no round "2027-otro" is open' in err
    err = refused(
        ws, "fund", "apply", ROUND, "--org", "villa", "--project", "P", "--amount", "900,000.5",
        "--at", "2026-04-10 10:00",
    )  # fmt: skip
    assert "--amount" in err


def test_admissibility_records_every_reason_and_judges_only_the_undecided(ws: Path) -> None:
    _apply("--line", "materiales=1,200,000", "--line", "honorarios=300,000")
    second = _apply(project="Sede social", at="2026-04-10 10:05")
    club = _apply(org="club", project="Cancha", at="2026-04-10 10:10")
    err = refused(ws, "fund", "admissibility", ROUND, "--on", "2026-04-17")
    assert "after that day" in err
    dry = json.loads(
        ok("fund", "admissibility", ROUND, "--on", "2026-04-30", "--dry-run", "--json")
    )
    assert query(ws, "select count(*) from fund_admissibility") == [(0,)]
    out = json.loads(
        ok("fund", "admissibility", ROUND, "--on", "2026-04-30", "--json", "--by", "Ana")
    )
    assert out == {**dry, "dry_run": False}
    assert [(a["id"], a["admissible"]) for a in out["applications"]] == [
        ("villa-plaza-los-aromos", True),
        (second, False),
        (club, False),
    ]
    by_id = {a["id"]: a for a in out["applications"]}
    assert [r["text"] for r in by_id[second]["reasons"]] == [
        "villa may make 1 application to this round, and villa-plaza-los-aromos came first"
    ]
    assert by_id[club]["reasons"][0]["id"].startswith("{org} has no legal personality")
    assert by_id[club]["reasons"][0]["params"] == {"org": "club"}
    stored = query(ws, 'select admissible, reasons, "by" from fund_admissibility order by id')
    assert [bool(a) for a, _r, _b in stored] == [True, False, False]
    assert json.loads(stored[2][1])[0]["params"] == {"org": "club"} and stored[2][2] == "Ana"
    late = _apply("--at", "2026-04-16 09:00", org="club", project="Otra")
    again = json.loads(ok("fund", "admissibility", ROUND, "--on", "2026-05-02", "--json"))
    assert [a["id"] for a in again["applications"]] == [late] and again["already_judged"] == 3
    listed = json.loads(ok("fund", "applications", ROUND, "--json"))
    assert [a["state"] for a in listed] == ["admitted", "refused", "refused", "refused"]
    assert set(listed[0]) == {
        "id", "round", "organisation", "organisation_name", "project", "amount",
        "own_contribution", "priority", "submitted_at", "lines", "state", "reasons",
        "decided_at", "decided_by", "on_appeal", "appeal_pending",
    }  # fmt: skip
    assert listed[0]["lines"] == {"honorarios": 300000, "materiales": 1200000}
    shown = json.loads(ok("fund", "show", ROUND, "--json"))
    assert shown["applications"] == {
        "pending": 0, "admitted": 1, "refused": 3, "withdrawn": 0, "total": 4,
    }  # fmt: skip


def test_overdue_reports_on_an_earlier_subcontract_refuse(ws: Path) -> None:
    ok("org", "legal", "club", "--number", "PJ-9", "--valid-until", "2030-01-01")
    ok("org", "add", "Municipalidad", "--kind", "public", "--id", "muni")
    ok(
        "grant", "new", "--funder", "muni", "--title", "Fondo 2025", "--amount", "5,000,000",
        "--from", "2025-01-01", "--to", "2026-12-31", "--id", "g2025",
    )  # fmt: skip
    ok(
        "subcontract", "new", "--grant", "g2025", "--partner", "club", "--kind", "subaward",
        "--from", "2025-03-01", "--to", "2026-12-31", "--line", "materiales=1,000,000",
        "--id", "sub-club",
    )  # fmt: skip
    ok(
        "deliverable",
        "add",
        "--subcontract",
        "sub-club",
        "--title",
        "Rendición",
        "--due",
        "2026-03-31",
    )
    club = _apply(org="club", project="Cancha")
    out = json.loads(ok("fund", "admissibility", ROUND, "--on", "2026-04-30", "--json"))
    (judged,) = out["applications"]
    assert judged["id"] == club and not judged["admissible"]
    assert [r["text"] for r in judged["reasons"]] == [
        'the report "Rendición" of sub-club, due Mar 31, 2026, is overdue'
    ]


def test_appeals_within_the_window_and_their_decision(ws: Path) -> None:
    _apply()
    second = _apply(project="Sede social", at="2026-04-10 10:05")
    ok("fund", "admissibility", ROUND, "--on", "2026-04-30")
    err = refused(ws, "fund", "appeal", "villa-plaza-los-aromos", "--text", "?", "--by", "Ana")
    assert "was admitted" in err
    err = refused(
        ws, "fund", "appeal", second, "--text", "Retiramos la otra", "--on", "2026-05-09",
        "--by", "Ana",
    )  # fmt: skip
    assert "until May 8, 2026" in err
    err = refused(ws, "fund", "decide-appeal", second, "--admit", "--reason", "x", "--by", "C")
    assert "no appeal to decide" in err
    ok(
        "fund",
        "appeal",
        second,
        "--text",
        "Retiramos «la otra»",
        "--on",
        "2026-05-08",
        "--by",
        "Ana",
    )
    listed = json.loads(ok("fund", "applications", ROUND, "--json"))
    assert listed[1]["appeal_pending"] and listed[1]["state"] == "refused"
    refused(ws, "fund", "decide-appeal", second, "--reason", "x", "--by", "C", code=2)
    # typed in today, long after: the day it was decided is given, inside its window
    for day, said in [("2026-05-07", "May 7, 2026 is outside"), ("2026-05-30", "May 30, 2026")]:
        err = refused(ws, "fund", "decide-appeal", second, "--admit", "--reason", "x",
                      "--by", "C", "--on", day)  # fmt: skip
        assert "from May 8, 2026 to May 29, 2026" in err and said in err
    ok(
        "fund",
        "decide-appeal",
        second,
        "--admit",
        "--reason",
        "Se retiró la primera",
        "--by",
        "Comisión",
        "--on",
        "2026-05-12",
    )
    [(reasons,)] = query(ws, "select reasons from fund_admissibility where appeal_id is not null")
    assert json.loads(reasons)[0]["params"]["day"] == {"date": "2026-05-12"}
    rows = query(ws, "select admissible, appeal_id from fund_admissibility order by id")
    assert [(bool(a), p is not None) for a, p in rows] == [
        (True, False),
        (False, False),
        (True, True),
    ]
    listed = json.loads(ok("fund", "applications", ROUND, "--json"))
    assert listed[1]["state"] == "admitted" and listed[1]["on_appeal"]
    assert not listed[1]["appeal_pending"] and listed[1]["decided_by"] == "Comisión"
    assert "admitted (on appeal)" in ok("fund", "applications", ROUND)
    assert json.loads(ok("fund", "show", ROUND, "--json"))["on_appeal"] == 1


def test_a_refusal_in_spanish_and_in_catalan(ws: Path) -> None:
    _apply(org="club", project="Cancha")
    ok("fund", "admissibility", ROUND, "--on", "2026-04-30")
    spanish = ok("--locale", "es", "fund", "applications", ROUND)
    assert "rechazada" in spanish and "club no tiene personalidad jurídica registrada" in spanish
    catalan = ok("--locale", "ca", "fund", "applications", ROUND)
    assert "rebutjada" in catalan and "club no té personalitat jurídica registrada" in catalan
    err = refused(
        ws, "--locale", "es", "fund", "apply", ROUND, "--org", "club", "--project", "P",
        "--amount", "900.000", "--at", "2026-04-18 09:00",
    )  # fmt: skip
    assert "se cerraron el 17 abr 2026: el 18 abr 2026 está fuera de plazo" in err


def test_org_legal_is_shown_and_kept_beside_the_earlier_record(ws: Path) -> None:
    ok("org", "legal", "villa", "--number", "PJ-1234", "--valid-from", "2026-04-18",
       "--valid-until", "2029-04-17", "--by", "Secretaría")  # fmt: skip
    shown = json.loads(ok("org", "show", "villa", "--json"))
    assert [(r["number"], r["valid_until"]) for r in shown["legal_personality"]] == [
        ("PJ-1234", "2026-04-17"),
        ("PJ-1234", "2029-04-17"),
    ]
    assert shown["legal_personality"][1]["by"] == "Secretaría"
    assert "Legal personality:" in ok("org", "show", "villa")
    err = refused(ws, "org", "legal", "villa", "--number", "X", "--valid-from", "2027-01-01",
                  "--valid-until", "2026-01-01")  # fmt: skip
    assert "is after --valid-until" in err


# --- the import ---------------------------------------------------------------------------------

HEADER = "org,project,amount,own,priority,lines,submitted_at\n"


def test_import_lists_every_bad_row_and_writes_nothing(ws: Path) -> None:
    bad = write(
        ws,
        "apps.csv",
        HEADER
        + 'villa,Plaza,"1,000,000","100,000",espacios-publicos,"materiales=800,000; honorarios=200,000",2026-04-15 12:00\n'
        + "nadie,X,100.5,,,,2026-04-20 10:00\n"
        + 'club,Y,"900,000",,,materiales,\n',
    )
    err = refused(ws, "import", "fund-applications", str(bad), "--round", ROUND)
    assert "apps.csv:3: org:" in err and 'no organisation with id "nadie"' in err
    assert "apps.csv:3: submitted_at: applications to 2026-barrio-activo closed on" in err
    assert "apps.csv:3: amount: 100.5" in err
    assert 'apps.csv:4: lines: "materiales" is not a budget line' in err
    assert "apps.csv:2" not in err
    err = refused(ws, "import", "fund-applications", str(bad))
    assert "--round ROUND" in err


def test_import_is_safe_to_run_again_and_never_changes_a_judged_application(ws: Path) -> None:
    good = write(
        ws,
        "apps.csv",
        HEADER
        + 'villa,Plaza,"1,000,000","100,000",espacios-publicos,"materiales=800,000; honorarios=200,000",2026-04-15 12:00\n'
        + 'club,Cancha,"900,000","100,000",personas-mayores,,2026-04-16 09:30\n',
    )
    assert "2 created" in run("import", "fund-applications", str(good), "--round", ROUND)[2]
    before = dump(ws)
    assert "2 unchanged" in run("import", "fund-applications", str(good), "--round", ROUND)[2]
    assert dump(ws) == before
    listed = json.loads(ok("fund", "applications", ROUND, "--json"))
    assert [(a["id"], a["lines"]) for a in listed] == [
        ("villa-plaza", {"honorarios": 200000, "materiales": 800000}),
        ("club-cancha", {}),
    ]
    assert listed[0]["submitted_at"] == "2026-04-15T12:00:00-04:00"
    good.write_text(good.read_text().replace('"900,000","100,000"', '"900,000","110,000"'))
    assert "1 updated" in run("import", "fund-applications", str(good), "--round", ROUND)[2]
    ok("fund", "admissibility", ROUND, "--on", "2026-04-30")
    good.write_text(good.read_text().replace('"110,000"', '"120,000"'))
    err = refused(ws, "import", "fund-applications", str(good), "--round", ROUND)
    assert "apps.csv:3: the application club-cancha has been judged already" in err


@pytest.mark.parametrize(
    "header",
    [
        "organización;proyecto;monto;aporte;prioridad;partidas;fecha",
        "entidad;proyecto;importe;aporte propio;prioridad;presupuesto;hora",
        "organització;projecte;import;aportació;prioritat;partides;data",
    ],
)
def test_import_reads_every_column_in_spanish_and_catalan(ws: Path, header: str) -> None:
    path = write(
        ws,
        "postulaciones.csv",
        f"{header}\nvilla;Plaza;1000000;100000;espacios-publicos;"
        '"materiales=800000; honorarios=200000";2026-04-15 12:00\n',
    )
    code, _, err = run("import", "fund-applications", str(path), "--round", ROUND)
    assert code == 0, err
    [app] = json.loads(ok("fund", "applications", ROUND, "--json"))
    assert app["own_contribution"] == 100000 and app["priority"] == "espacios-publicos"
    assert app["lines"] == {"honorarios": 200000, "materiales": 800000}
    assert app["submitted_at"] == "2026-04-15T12:00:00-04:00"


def test_import_reads_json_with_amounts_as_numbers(ws: Path) -> None:
    rows = [
        {
            "org": "villa",
            "project": "Plaza «Los Aromos»",
            "amount": 1500000,
            "own": 150000,
            "priority": "espacios-publicos",
            "lines": "materiales=1200000; honorarios=300000",
            "submitted_at": "2026-04-10T10:00-04:00",
            "id": "villa-plaza",
        }
    ]
    path = write(ws, "apps.json", json.dumps(rows, ensure_ascii=False))
    ok("import", "fund-applications", str(path), "--round", ROUND)
    (stored,) = json.loads(ok("fund", "applications", ROUND, "--json"))
    assert stored["id"] == "villa-plaza" and stored["project"] == "Plaza «Los Aromos»"
    assert stored["lines"] == {"honorarios": 300000, "materiales": 1200000}


def test_the_examples_import_and_are_judged_as_their_readme_says(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _workspace(in_tmp / "barrio", "es_CL")
    monkeypatch.chdir(root)
    fondos = ROOT / "examples" / "fondos"
    with freeze_time("2026-03-10 12:00:00"):
        ok("fund", "open", str(fondos / f"{ROUND}.toml"))
    ok("import", "orgs", str(fondos / "organizaciones.csv"))
    ok("org", "legal", "villa-esperanza", "--number", "1234-PJ", "--valid-until", "2027-05-01")
    ok("org", "legal", "club-los-halcones", "--number", "877", "--valid-until", "2026-04-01")
    ok("import", "fund-applications", str(fondos / "postulaciones.csv"), "--round", ROUND)
    out = json.loads(ok("fund", "admissibility", ROUND, "--on", "2026-04-30", "--json"))
    assert [a["admissible"] for a in out["applications"]].count(True) == 1
    assert len(out["applications"]) == 5
    alarms = next(a for a in out["applications"] if a["organisation"] == "club-los-halcones")
    assert [r["text"] for r in alarms["reasons"]][1] == (
        "el aporte propio, $280.000, es menor que 1/10 del total del proyecto, $3.080.000"
    )


def test_open_picks_the_bylaws_as_meeting_new_does(ws: Path) -> None:
    shutil.copy(ROOT / "bylaws" / "directorio-local.toml", ws / "bylaws")
    text = EXAMPLE.read_text("utf-8").replace(f'id = "{ROUND}"', 'id = "2027-barrio"')
    other = write(ws, "2027.toml", text)
    err = refused(ws, "fund", "open", str(other))
    assert "2 by-laws files" in err and "--bylaws" in err
    with freeze_time("2026-03-11 12:00:00"):
        ok("fund", "open", str(other), "--bylaws", str(ws / "bylaws" / "directorio-local.toml"))
    listed = json.loads(ok("fund", "list", "--json"))
    assert [(r["id"], r["bylaws"]) for r in listed] == [
        ("2027-barrio", "directorio-local"),
        (ROUND, "mi-directorio"),
    ]
    assert listed[0]["applications"] == {
        "pending": 0, "admitted": 0, "refused": 0, "withdrawn": 0, "total": 0,
    }  # fmt: skip


def test_a_mistyped_round_or_application_id_says_which_one_was_meant(ws: Path) -> None:
    ok("fund", "apply", ROUND, "--org", "villa", "--project", "Plaza", "--amount", "1000000",
       "--priority", "espacios-publicos", "--at", "2026-04-15 12:00", "--id", "villa-plaza")  # fmt: skip
    typo = "2026-barrio-activo2"
    for args in (("fund", "show", typo), ("fund", "applications", typo), ("fund", "rank", typo)):
        err = refused(ws, *args, "--locale", "es")
        assert f'no hay concurso "{typo}"; ¿quisiste decir "{ROUND}"?' in err, (args, err)
        assert "fund open" not in err
    for args in (
        ("fund", "decide-appeal", "villa-plaza2", "--admit", "--reason", "x", "--by", "C"),
        ("fund", "note", "vila-plaza", "--text", "x", "--by", "C"),
    ):
        err = refused(ws, *args, "--locale", "es")
        assert 'no hay postulación "' in err and '¿quisiste decir "villa-plaza"?' in err, err
    err = refused(ws, "fund", "show", "otro-fondo-2031")  # nothing close: the usual message
    assert "did you mean" not in err


def test_the_import_says_a_local_time_is_accepted(ws: Path) -> None:
    bad = write(ws, "apps.csv", HEADER + "villa,Plaza,1000000,,,,28-10-2026 11:15\n")
    err = refused(ws, "import", "fund-applications", str(bad), "--round", ROUND, "--locale", "es")
    assert "escribe AAAA-MM-DD HH:MM en la hora del espacio de trabajo (2024-03-14 18:30)" in err


# --- what the tester typed wrong: refused as typed, withdrawn, equal instants -----------------


def test_budget_lines_not_adding_up_and_a_mistyped_priority_are_refused_when_typed(
    ws: Path,
) -> None:
    """`--amount 1.500` with lines of 1.200.000 and 300.000, and `--priority seguridd`, were
    accepted and only refused at admissibility."""
    before = dump(ws)
    err = refused(
        ws, "--locale", "es", "fund", "apply", ROUND, "--org", "villa", "--project", "Huerto",
        "--amount", "1.500", "--line", "materiales=1.200.000", "--line", "honorarios=300.000",
        "--priority", "espacios-publicoss", "--at", "2026-04-10 10:00",
    )  # fmt: skip
    assert "--line: las partidas suman 1.500.000\xa0CLP, no los 1.500\xa0CLP solicitados" in err
    assert (
        '--priority: la prioridad "espacios-publicoss" no es una de las que atiende el concurso'
        in err
    )
    assert '¿quisiste decir "espacios-publicos"?' in err
    bad = write(ws, "postulaciones.csv", "org,project,amount,priority,lines,submitted_at\n"
                'villa,Huerto,1500,espacios-publicoss,"materiales=1200000; honorarios=300000",'
                "2026-04-10 10:00\n")  # fmt: skip
    code, out, err = run("import", "fund-applications", str(bad), "--round", ROUND)
    assert code == 1 and 'did you mean "espacios-publicos"' in out + err
    assert "add up to" in out + err
    assert dump(ws) == before


def test_a_withdrawn_application_is_kept_beside_and_not_judged_nor_counted(ws: Path) -> None:
    """The mistyped application could not be withdrawn and made the real one the
    organisation's second."""
    typo = _apply(project="prueba 1500")
    real = _apply(project="Plaza Los Aromos", at="2026-04-10 10:30")
    with freeze_time("2026-04-12 09:00"):
        ok("--locale", "es", "fund", "withdraw", typo, "--by", "María (secretaria)",
           "--reason", "Monto mal tipeado", "--on", "2026-04-11")  # fmt: skip
        err = refused(ws, "--locale", "es", "fund", "withdraw", typo, "--by", "M",
                      "--reason", "otra vez")  # fmt: skip
        assert "ya está retirada" in err
        err = refused(ws, "fund", "withdraw", real, "--by", "M", "--reason", "x",
                      "--on", "2026-04-13")  # fmt: skip
        assert "in the future" in err
    assert query(ws, "select count(*) from fund_application") == [(2,)]  # never a delete
    listed = json.loads(ok("fund", "applications", ROUND, "--json"))
    assert [a["state"] for a in listed] == ["withdrawn", "pending"]
    assert listed[0]["decided_by"] == "María (secretaria)"
    assert "withdrawn" in ok("fund", "applications", ROUND)
    out = json.loads(ok("fund", "admissibility", ROUND, "--on", "2026-04-30", "--json"))
    assert [(a["id"], a["admissible"]) for a in out["applications"]] == [(real, True)]
    err = refused(ws, "fund", "appeal", typo, "--text", "x", "--by", "M", "--on", "2026-05-02")
    assert "withdrawn" in err
    err = refused(ws, "fund", "withdraw", real, "--by", "M", "--reason", "x")
    assert "already judged" in err
    assert "retirada" in ok("--locale", "es", "fund", "applications", ROUND)


def test_two_applications_at_the_same_instant_are_never_ordered(ws: Path) -> None:
    """ "prueba-1500 came first" although both were submitted at 10:00."""
    typo = _apply(project="prueba 1500")
    real = _apply(project="Plaza Los Aromos Real")
    before = dump(ws)
    err = refused(ws, "--locale", "es", "fund", "admissibility", ROUND, "--on", "2026-04-30")
    assert f"{typo}, {real} se presentaron en el mismo instante" in err
    assert "llegó antes" not in err and "fund withdraw" in err
    assert dump(ws) == before
    ok("fund", "withdraw", typo, "--by", "M", "--reason", "duplicada", "--on", "2026-04-12")
    out = json.loads(ok("fund", "admissibility", ROUND, "--on", "2026-04-30", "--json"))
    assert [(a["id"], a["admissible"]) for a in out["applications"]] == [(real, True)]


def test_a_reason_naming_the_application_that_came_first_gives_its_title(in_tmp: Path) -> None:
    """ "villa-esperanza-plaza-los-aromos came first" named an id the reader had to look
    up in the table above: its project's title is beside it, in the table and in --json."""
    from tests.funds_fixtures import apply, open_round, workspace

    with freeze_time("2026-04-20 12:00"):
        root = workspace(in_tmp / "w")
        open_round(root)
    apply(root, "plaza", "junta-1", "1000000", admissible=None)
    later = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
    apply(root, "sede", "junta-1", "1000000", admissible=None, submitted=later)
    w = ("--workspace", str(root))
    with freeze_time("2026-04-30 12:00"):
        ok(*w, "fund", "admissibility", ROUND, "--by", "Comisión")
        out = ok(*w, "fund", "applications", ROUND)
        data = json.loads(ok(*w, "fund", "applications", ROUND, "--json"))
    assert "y plaza (Proyecto «plaza») llegó antes" in " ".join(out.split())
    [sede] = [a for a in data if a["id"] == "sede"]
    assert sede["project"] == "Proyecto «sede»"
    assert any("plaza (Proyecto «plaza») llegó antes" in r["text"] for r in sede["reasons"])
