"""Learning: activities with exact hours (an ambiguous number refused, never guessed), people
from the directory (an unknown id refused with the closest one), each person's and each
organisation's learning record added up by hand, lessons printed as typed, the imports all
or nothing with row numbers, --json, and the messages in es/ca/en, on either backend."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.learning import (
    Participation,
    attended,
    hours_problem,
    parse_hours,
    record,
    stored_hours,
)
from tests.helpers import ok, query, refused, run, write


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = in_tmp / "aprendizaje"
    assert run("init", str(folder), "--locale", "en_US")[0] == 0
    monkeypatch.chdir(folder)
    ok("org", "add", "Junta de Vecinos Los Aromos", "--kind", "community", "--id", "junta")
    ok("org", "add", "Municipalidad", "--kind", "public", "--id", "muni")
    ok("person", "add", "Rosa Tapia", "--org", "junta")
    ok("person", "add", "Luis Muñoz", "--org", "junta")
    ok("person", "add", "Ana Rojas", "--org", "muni")
    ok("person", "add", "Sin Organización")
    return folder


def said(*args: str) -> str:
    """The command succeeds; what it told the user (on stderr)."""
    code, _, err = run(*args)
    assert code == 0, err
    return err


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


def add(key: str, day: str, hours: str, *extra: str, topic: str = "liderazgo") -> None:
    ok(
        "learning",
        "add",
        f"Taller {key}",
        "--topic",
        topic,
        "--facilitator",
        "Carolina Fuentes",
        "--on",
        day,
        "--hours",
        hours,
        "--id",
        key,
        *extra,
    )


# --- hours: exact, and refused when they could mean two things --------------------------------


def test_hours_are_exact_and_an_ambiguous_number_is_a_question() -> None:
    assert parse_hours("1.5", ".") == Decimal("1.5")
    assert parse_hours("1,5", ",") == Decimal("1.5")
    assert parse_hours("1,250.25", ".") == Decimal("1250.25")
    assert parse_hours("2.75", None) == Decimal("2.75")
    problem = hours_problem(Decimal("1.250"), ".")
    assert problem is not None and problem.params["suggestion"] == "1,250"
    problem = hours_problem(Decimal("3.480"), ",")
    assert problem is not None and problem.params["suggestion"] == "3.480"
    assert hours_problem(Decimal("0.125"), ".") is not None  # no thousands group to suggest
    assert hours_problem(Decimal("0"), ".") is not None
    assert hours_problem(Decimal("-2"), ".") is not None
    assert hours_problem(Decimal("1.50"), ".") is None
    with pytest.raises(Invalid):
        parse_hours("1,5", ".")  # the other convention: refused, not read as 15
    assert stored_hours(Decimal("3.5"), Decimal("3.50")) is None  # the whole activity
    assert stored_hours(Decimal("2"), Decimal("3.5")) == Decimal("2")
    assert attended(None, Decimal("3.5")) == Decimal("3.5")


@freeze_time("2026-07-01 10:00:00")
def test_hours_typed_the_locales_way_are_stored_exactly(ws: Path) -> None:
    add("liderazgo-1", "2026-04-18", "3.25")
    ok(
        "learning",
        "add",
        "Redes de apoyo",
        "--topic",
        "redes",
        "--facilitator",
        "Jorge",
        "--on",
        "2026-05-09",
        "--hours",
        "2,5",
        "--id",
        "redes-1",
        "--locale",
        "es",
    )
    stored = {k: Decimal(str(h)) for k, h in query(ws, "select key, hours from learning_activity")}
    assert stored == {"liderazgo-1": Decimal("3.25"), "redes-1": Decimal("2.5")}
    assert [a["hours"] for a in json.loads(ok("learning", "list", "--json"))] == [3.25, 2.50]
    assert '"hours": 2.50' in ok("learning", "list", "--json")


@freeze_time("2026-07-01 10:00:00")
@pytest.mark.parametrize(
    ("locale", "hours", "expected"),
    [
        ("en", "1.250", "1.250: hours have at most two decimals; did you mean 1,250?"),
        ("en", "1,5", "did you mean 1.5?"),
        (
            "es",
            "1,250",
            "1,250: las horas tienen como máximo dos decimales; ¿quisiste decir 1.250?",
        ),
        ("ca", "3,480", "3,480: les hores tenen com a màxim dos decimals; volíeu dir 3.480?"),
        ("en", "0", "0: hours must be more than zero"),
        ("en", "three", "--hours"),
    ],
)
def test_ambiguous_or_wrong_hours_are_refused(
    ws: Path, locale: str, hours: str, expected: str
) -> None:
    err = refused(
        ws,
        "learning",
        "add",
        "Taller",
        "--topic",
        "t",
        "--facilitator",
        "F",
        "--on",
        "2026-04-18",
        "--hours",
        hours,
        "--locale",
        locale,
    )
    assert expected in err


@freeze_time("2026-07-01 10:00:00")
def test_an_activity_as_typed_its_bylaws_checked(ws: Path) -> None:
    out = said(
        "learning",
        "add",
        "Liderazgo <b>*comunitario*",
        "--topic",
        "Liderazgo  [1]",
        "--cycle",
        "Ciclo 1",
        "--facilitator",
        "Carolina Fuentes",
        "--on",
        "2026-04-18",
        "--hours",
        "3",
        "--bylaws",
        "my-partnership",
    )
    assert "liderazgo-b-comunitario" in out
    shown = as_json("learning", "show", "liderazgo-b-comunitario")
    assert shown["title"] == "Liderazgo <b>*comunitario*"
    assert shown["topic"] == "Liderazgo [1]"  # runs of spaces count as one
    assert shown["bylaws"] == "my-partnership" and shown["cycle"] == "Ciclo 1"
    assert "Liderazgo <b>*comunitario*" in ok("learning", "show", "liderazgo-b-comunitario")
    err = refused(
        ws, "learning", "add", "T", "--topic", "t", "--facilitator", "F", "--hours", "1",
        "--on", "2026-04-18", "--bylaws", "nope",
    )  # fmt: skip
    assert 'no by-laws with id "nope"' in err
    refused(
        ws, "learning", "add", "T", "--topic", "t", "--facilitator", "F", "--hours", "1",
        "--on", "2026-07-02",
    )  # fmt: skip
    refused(
        ws, "learning", "add", "T\x1b[31m", "--topic", "t", "--facilitator", "F", "--hours",
        "1", "--on", "2026-04-18",
    )  # fmt: skip
    refused(
        ws, "learning", "add", "T", "--topic", "t", "--facilitator", "F", "--hours", "1",
        "--on", "2026-04-18", "--id", "liderazgo-b-comunitario",
    )  # fmt: skip
    refused(
        ws, "learning", "add", "T", "--topic", "t", "--facilitator", "F", "--hours", "1",
        "--on", "2026-04-31",
        code=2,
    )  # fmt: skip


# --- participants ------------------------------------------------------------------------------


@freeze_time("2026-07-01 10:00:00")
def test_join_takes_people_from_the_directory_all_or_none(ws: Path) -> None:
    add("liderazgo-1", "2026-04-18", "3.5")
    err = refused(ws, "learning", "join", "liderazgo-1", "rosa-tapia", "luis-munos")
    assert 'no person with id "luis-munos"; did you mean "luis-munoz"?' in err
    err = refused(ws, "learning", "join", "liderazgo-1", "nadie-conocido")
    assert 'no person with id "nadie-conocido": see "comunidad person list"' in err
    said("learning", "join", "liderazgo-1", "rosa-tapia", "luis-munoz", "sin-organizacion")
    ok("learning", "join", "liderazgo-1", "ana-rojas", "--org", "junta", "--hours", "2")
    people = {p["person"]: p for p in as_json("learning", "show", "liderazgo-1")["people"]}
    assert people["rosa-tapia"]["org"] == "junta"  # her own organisation
    assert people["sin-organizacion"]["org"] is None
    assert people["ana-rojas"]["org"] == "junta"  # --org wins over her own (muni)
    assert people["ana-rojas"]["hours"] == 2 and people["rosa-tapia"]["hours"] == 3.5
    err = refused(ws, "learning", "join", "liderazgo-1", "rosa-tapia", "ana-rojas")
    assert "already recorded in liderazgo-1: rosa-tapia, ana-rojas" in err
    err = refused(ws, "learning", "join", "liderazgo-1", "ana-rojas", "--hours", "4")
    assert "4 hours is more than the activity's 3.5" in err
    add("redes-1", "2026-05-09", "2")
    err = refused(ws, "learning", "join", "redes-1", "ana-rojas", "--hours", "2.5")
    assert "2.5 hours is more than the activity's 2" in err
    refused(ws, "learning", "join", "redes-1", "ana-rojas", "--org", "nowhere")
    refused(ws, "learning", "join", "nowhere", "ana-rojas")
    ok("learning", "join", "redes-1", "ana-rojas", "--hours", "2")  # the whole: stored as such
    assert query(
        ws,
        "select p.hours from learning_participant p join learning_activity a"
        " on p.activity_id = a.id where a.key = 'redes-1'",
    ) == [(None,)]


@freeze_time("2026-07-01 10:00:00")
def test_the_learning_record_adds_up_as_by_hand(ws: Path) -> None:
    add("liderazgo-1", "2026-04-18", "3.5", "--cycle", "Ciclo 1")
    add("redes-1", "2026-05-09", "3", "--cycle", "Ciclo 1", topic="redes de apoyo")
    add("proyectos-1", "2026-06-06", "4.5", "--cycle", "Ciclo 2", topic="proyectos")
    ok("learning", "join", "liderazgo-1", "rosa-tapia", "luis-munoz")
    ok("learning", "join", "redes-1", "rosa-tapia", "--hours", "1.25")
    ok("learning", "join", "proyectos-1", "rosa-tapia", "ana-rojas")
    ok("learning", "join", "proyectos-1", "luis-munoz", "--org", "muni", "--hours", "4")
    # Rosa: 3.5 + 1.25 + 4.5 = 9.25 hours in 3 activities; Ciclo 1: 4.75, Ciclo 2: 4.5.
    rosa = as_json("learning", "record", "--person", "rosa-tapia")
    assert rosa["name"] == "Rosa Tapia"
    assert rosa["totals"] == {"activities": 3, "people": 1, "hours": 9.25}
    assert [(a["id"], a["hours"]) for a in rosa["activities"]] == [
        ("liderazgo-1", 3.50),
        ("redes-1", 1.25),
        ("proyectos-1", 4.50),
    ]
    assert rosa["by_cycle"] == [
        {"cycle": "Ciclo 1", "activities": 2, "people": 1, "hours": 4.75},
        {"cycle": "Ciclo 2", "activities": 1, "people": 1, "hours": 4.50},
    ]
    assert [(t["topic"], t["hours"]) for t in rosa["by_topic"]] == [
        ("liderazgo", 3.50),
        ("redes de apoyo", 1.25),
        ("proyectos", 4.50),
    ]
    # Luis: 3.5 for the junta, 4 for the municipality: his record has both.
    luis = as_json("learning", "record", "--person", "luis-munoz")
    assert luis["totals"]["hours"] == 7.50
    assert [a["org"] for a in luis["activities"]] == ["junta", "muni"]
    # The junta: liderazgo-1 (Rosa 3.5, Luis 3.5), redes-1 (Rosa 1.25), proyectos-1 (Rosa
    # 4.5): 4 activities' worth of participations in 3 activities, 2 people, 12.75 hours.
    junta = as_json("learning", "record", "--org", "junta")
    assert junta["totals"] == {"activities": 3, "people": 2, "hours": 12.75}
    assert junta["by_cycle"][0] == {"cycle": "Ciclo 1", "activities": 2, "people": 2, "hours": 8.25}
    # The municipality: Ana 4.5 and Luis 4, both in proyectos-1.
    muni = as_json("learning", "record", "--org", "muni")
    assert muni["totals"] == {"activities": 1, "people": 2, "hours": 8.50}
    # A period: from May on, Rosa has 1.25 + 4.5.
    may = as_json("learning", "record", "--person", "rosa-tapia", "--from", "2026-05-01")
    assert may["totals"]["hours"] == 5.75 and may["from"] == "2026-05-01"
    text = ok("learning", "record", "--org", "junta", "--locale", "es")
    assert "Total: 3 actividades, 2 personas, 12,75 horas" in text
    assert "Ciclo 1" in text and "Por tema" in text
    text = ok("learning", "record", "--person", "rosa-tapia", "--locale", "ca")
    assert "Total: 3 activitats, 9,25 hores" in text
    assert "Total: 3 activities, 9.25 hours" in ok("learning", "record", "--person", "rosa-tapia")
    err = refused(ws, "learning", "record", "--person", "rosa-tapya")
    assert 'did you mean "rosa-tapia"?' in err
    refused(ws, "learning", "record", "--org", "nowhere")
    refused(ws, "learning", "record", code=2)
    refused(ws, "learning", "record", "--person", "rosa-tapia", "--org", "junta", code=2)
    assert ok("learning", "record", "--person", "sin-organizacion", "--json")


@freeze_time("2026-07-01 10:00:00")
def test_list_filters_by_period_topic_and_cycle(ws: Path) -> None:
    add("liderazgo-1", "2026-04-18", "3.5", "--cycle", "Ciclo 1", topic="Participación")
    add("redes-1", "2026-05-09", "3", "--cycle", "Ciclo 1", topic="redes")
    add("proyectos-1", "2026-06-06", "4.5", "--cycle", "Ciclo 2", topic="proyectos")
    ok("learning", "join", "liderazgo-1", "rosa-tapia", "luis-munoz")

    def keys(*args: str) -> list[str]:
        return [a["id"] for a in as_json("learning", "list", *args)]

    assert keys() == ["liderazgo-1", "redes-1", "proyectos-1"]
    assert keys("--from", "2026-05-01", "--to", "2026-05-31") == ["redes-1"]
    assert keys("--cycle", "ciclo 1") == ["liderazgo-1", "redes-1"]
    assert keys("--topic", "participacion") == ["liderazgo-1"]  # case and accents aside
    listed = as_json("learning", "list", "--topic", "Participación")[0]
    assert listed["participants"] == 2 and listed["person_hours"] == 7.00
    refused(ws, "learning", "list", "--from", "2026-06-01", "--to", "2026-05-01", code=2)
    assert "No learning activities" in said("learning", "list", "--topic", "nada")


# --- lessons -------------------------------------------------------------------------------------


@freeze_time("2026-07-01 10:00:00")
def test_lessons_are_printed_exactly_as_typed_and_found_by_tag(ws: Path) -> None:
    add("liderazgo-1", "2026-04-18", "3.5", "--bylaws", "my-partnership")
    text = "Convocar con *dos semanas* de anticipación\n  duplicó la <asistencia>."
    out = said(
        "learning",
        "lesson",
        text,
        "--activity",
        "liderazgo-1",
        "--tag",
        "convocatoria",
        "--tag",
        "Participación",
        "--by",
        "Rosa Tapia",
        "--on",
        "2026-04-20",
    )
    assert "convocar-con-dos-semanas" in out
    ok("learning", "lesson", "Sin actividad", "--tag", "financiamiento", "--by", "Luis")
    assert text in ok("learning", "lessons")
    assert text in ok("learning", "show", "liderazgo-1")
    found = as_json("learning", "lessons", "--tag", "participacion")
    assert [(x["text"], x["tags"], x["activity"]) for x in found] == [
        (text, ["convocatoria", "Participación"], "liderazgo-1")
    ]
    assert found[0]["bylaws"] == "my-partnership"  # the activity's partnership
    assert found[0]["date"] == "2026-04-20" and found[0]["by"] == "Rosa Tapia"
    assert [x["text"] for x in as_json("learning", "lessons", "--tag", "financiamiento")] == [
        "Sin actividad"
    ]
    assert as_json("learning", "lessons", "--activity", "liderazgo-1")[0]["text"] == text
    assert as_json("learning", "show", "liderazgo-1")["lessons"][0]["text"] == text
    refused(
        ws, "learning", "lesson", "x", "--tag", "t", "--by", "R", "--activity", "liderazgo-1",
        "--on", "2026-04-17",
    )  # fmt: skip
    refused(ws, "learning", "lesson", "x", "--by", "R", code=2)  # no tag
    refused(ws, "learning", "lesson", "x", "--tag", "a\nb", "--by", "R")
    refused(ws, "learning", "lesson", "x\x07", "--tag", "t", "--by", "R")
    refused(ws, "learning", "lesson", "  ", "--tag", "t", "--by", "R")
    refused(ws, "learning", "lesson", "x", "--tag", "t", "--by", "R", "--activity", "nowhere")
    assert "No lessons" in said("learning", "lessons", "--tag", "nada")


# --- translations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("es", 'no hay ninguna actividad de aprendizaje con el id "nowhere"'),
        ("ca", "no hi ha cap activitat d'aprenentatge amb l'id \"nowhere\""),
        ("en", 'no learning activity with id "nowhere"'),
    ],
)
def test_refusals_are_translated(ws: Path, locale: str, expected: str) -> None:
    err = refused(ws, "learning", "show", "nowhere", "--locale", locale)
    assert expected in err


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("es", '¿quisiste decir "rosa-tapia"?'),
        ("ca", 'volíeu dir "rosa-tapia"?'),
    ],
)
def test_did_you_mean_is_translated(ws: Path, locale: str, expected: str) -> None:
    add("liderazgo-1", "2020-04-18", "3.5")
    err = refused(ws, "learning", "join", "liderazgo-1", "rosa-tapla", "--locale", locale)
    assert expected in err


def test_catalan_output(ws: Path) -> None:
    add("liderazgo-1", "2020-04-18", "3.5", "--cycle", "Cicle 1")
    ok("learning", "join", "liderazgo-1", "rosa-tapia")
    out = ok("learning", "show", "liderazgo-1", "--locale", "ca")
    assert "Tema: liderazgo" in out and "Cicle: Cicle 1" in out and "Hores: 3,5" in out
    assert "1 participant, 3,5 hores en total" in out
    assert "TEMA" in ok("learning", "list", "--locale", "ca")
    assert "Cap aprenentatge registrat." in said("learning", "lessons", "--locale", "ca")
    ok("learning", "lesson", "Fer-ho en català", "--tag", "llengua", "--by", "Rosa")
    ok(
        "learning",
        "lesson",
        "Amb l'activitat",
        "--tag",
        "t",
        "--by",
        "R",
        "--activity",
        "liderazgo-1",
    )
    out = ok("learning", "show", "liderazgo-1", "--locale", "ca")
    assert "\nParticipants\n" in out and "\nAprenentatges\n" in out and "Etiquetes: t" in out
    out = ok("learning", "show", "liderazgo-1", "--locale", "es")
    assert "\nParticipantes\n" in out and "\nAprendizajes\n" in out


# --- imports -------------------------------------------------------------------------------------


@freeze_time("2026-07-01 10:00:00")
def test_activities_and_participants_import_all_or_nothing(ws: Path) -> None:
    activities = write(
        ws,
        "actividades.csv",
        "id;título;tema;ciclo;facilitadora;fecha;horas;estatutos\n"
        "redes-1;Gestión de redes;redes;Ciclo 1;Carolina;2026-05-09;3;my-partnership\n"
        "proyectos-1;Formular proyectos;proyectos;Ciclo 2;Jorge;2026-06-06;4,5;\n",
    )
    ok("import", "learning-activities", str(activities), "--locale", "es")
    shown = as_json("learning", "show", "proyectos-1")
    assert shown["hours"] == 4.50 and shown["bylaws"] is None and shown["facilitator"] == "Jorge"
    assert as_json("learning", "show", "redes-1")["bylaws"] == "my-partnership"
    participants = write(
        ws,
        "participantes.csv",
        "actividad;persona;entidad;horas\n"
        "redes-1;rosa-tapia;;\n"
        "redes-1;ana-rojas;junta;2\n"
        "proyectos-1;sin-organizacion;;4,5\n",
    )
    ok("import", "learning-participants", str(participants), "--locale", "es")
    people = {p["person"]: p for p in as_json("learning", "show", "redes-1")["people"]}
    assert people["rosa-tapia"] == {
        "person": "rosa-tapia",
        "name": "Rosa Tapia",
        "org": "junta",
        "hours": 3.00,
    }
    assert people["ana-rojas"]["org"] == "junta" and people["ana-rojas"]["hours"] == 2
    before = query(ws, "select count(*) from audit_event")
    ok("import", "learning-activities", str(activities), "--locale", "es")
    ok("import", "learning-participants", str(participants), "--locale", "es")
    assert query(ws, "select count(*) from audit_event") == before  # nothing changed

    bad = write(
        ws,
        "bad.csv",
        "id,title,topic,facilitator,date,hours,bylaws\n"
        "nuevo-1,Nuevo,t,F,2026-06-01,2,\n"
        "redes-1,Gestión de redes,redes,Carolina,2026-05-09,1.5,\n"
        "mal-1,Mal,t,F,2026-06-01,1.250,\n"
        "mal-2,Mal,t,F,2026-07-02,1,\n"
        "mal-3,Mal,t,F,2026-06-01,1,nope\n"
        "mal-4,Mal,t,F,2026-06-01,0,\n",
    )
    err = refused(ws, "import", "learning-activities", str(bad))
    assert "bad.csv:3: hours: 1.5 hours is less than a participant is recorded to have" in err
    assert "bad.csv:4: hours: 1.250: hours have at most two decimals; did you mean 1,250?" in err
    assert "bad.csv:5: date: July 2, 2026 is in the future" in err
    assert 'bad.csv:6: bylaws: no by-laws with id "nope"' in err
    assert "bad.csv:7: hours: 0: hours must be more than zero" in err
    assert "bad.csv:2" not in err

    wrong = write(
        ws,
        "wrong.ndjson",
        '{"activity": "redes-1", "person": "luis-munoz"}\n'
        '{"activity": "nowhere", "person": "luis-munoz"}\n'
        '{"activity": "redes-1", "person": "rosa-tapya"}\n'
        '{"activity": "redes-1", "person": "luis-munoz", "hours": 3.5}\n'
        '{"activity": "redes-1", "person": "ana-rojas", "org": "nowhere"}\n',
    )
    err = refused(ws, "import", "learning-participants", str(wrong))
    assert 'wrong.ndjson:2: activity: no learning activity with id "nowhere"' in err
    assert 'wrong.ndjson:3: person: no person with id "rosa-tapya"; did you mean' in err
    assert 'did you mean "rosa-tapia"?' in err
    assert "wrong.ndjson:4" in err  # luis-munoz twice in the file
    assert 'wrong.ndjson:5: org: no organisation with id "nowhere"' in err

    fix = write(ws, "fix.json", '[{"activity": "redes-1", "person": "ana-rojas", "hours": 2.5}]')
    ok("import", "learning-participants", str(fix))  # a correction: an update, audited
    people = {p["person"]: p for p in as_json("learning", "show", "redes-1")["people"]}
    assert people["ana-rojas"]["hours"] == 2.50 and people["ana-rojas"]["org"] == "junta"
    assert query(
        ws,
        "select count(*) from audit_event where entity = 'learning_participant'"
        " and action = 'update'",
    ) == [(1,)]


# --- start-up ------------------------------------------------------------------------------------


def test_learning_commands_do_not_import_sqlalchemy(ws: Path) -> None:
    """Everyday commands run on the DB-API path: `learning list|show|record|lessons` load
    no SQLAlchemy (nor Rich), checked in a fresh process."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    add("liderazgo-1", "2020-04-18", "3.5")
    ok("learning", "join", "liderazgo-1", "rosa-tapia")
    code = (
        "import sys\n"
        "from comunidad_cli.cli import main\n"
        "for args in (['learning', 'list'], ['learning', 'show', 'liderazgo-1'],\n"
        "             ['learning', 'record', '--person', 'rosa-tapia'],\n"
        "             ['learning', 'lessons'],\n"
        "             ['learning', 'join', 'liderazgo-1', 'luis-munoz']):\n"
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


def test_the_readmes_learning_tour_runs_as_written(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's tour (examples/learning/) works typed as written, in Spanish; Rosa's
    record adds up: 3.5 + 3 + 4.5 + 2.5 = 13.5 hours in four activities."""
    import shutil

    from tests.conftest import ROOT
    from tests.test_docs import _run_tour, _tour

    shutil.copytree(ROOT / "examples" / "learning", in_tmp / "examples" / "learning")
    with freeze_time("2026-07-01 10:00"):
        _run_tour(_tour("Learning (formación y comunidad de aprendizaje)"), monkeypatch)
        rosa = as_json("learning", "record", "--person", "rosa-tapia")
        text = ok("learning", "record", "--person", "rosa-tapia")
    assert rosa["totals"] == {"activities": 4, "people": 1, "hours": 13.50}
    assert "Total: 4 actividades, 13,5 horas" in text


def test_a_participation_counts_once_per_person_and_activity() -> None:
    """The core's record: distinct activities and people, hours summed exactly."""
    day = date(2026, 4, 18)
    entries = [
        Participation("a", "A", day, "t", None, "p1", "o", Decimal("1.10")),
        Participation("a", "A", day, "t", None, "p2", "o", Decimal("2.20")),
        Participation("b", "B", day, "u", "C1", "p1", "o", Decimal("0.70")),
    ]
    result = record(entries)
    assert result.total.activities == 2 and result.total.people == 2
    assert result.total.hours == Decimal("4.00")  # not 4.000000000000001
    assert [(t, v.activities, v.hours) for t, v in result.by_topic] == [
        ("t", 1, Decimal("3.30")),
        ("u", 1, Decimal("0.70")),
    ]
    assert [c for c, _ in result.by_cycle] == [None, "C1"]


def test_an_activity_and_a_record_give_days_the_readers_way(ws: Path) -> None:
    """A Catalan tester read "Data: 2026-11-21" in learning show and ISO days in the lists,
    where the rest of the tool writes "21 de novembre del 2026"; --json keeps ISO."""
    ok("learning", "add", "Taller de facilitació", "--topic", "Facilitació",
       "--facilitator", "Núria", "--hours", "2", "--on", "2026-04-11", "--id", "taller")  # fmt: skip
    ok("learning", "join", "taller", "rosa-tapia")
    shown = ok("--locale", "ca", "learning", "show", "taller")
    assert "Data: 11 d'abril del 2026" in shown and "2026-04-11" not in shown
    listed = ok("--locale", "es", "learning", "list")
    assert "11 abr 2026" in listed and "2026-04-11" not in listed
    assert as_json("learning", "show", "taller")["date"] == "2026-04-11"
