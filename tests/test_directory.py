"""`comunidad org ...` and `comunidad person ...`: keys, refusals, edits and their audit rows.

The apps are registered here on a test-only root (cli/app.py registers them for users), so
these tests do not depend on, nor change, the real command tree.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from freezegun import freeze_time
from typer.testing import CliRunner

from comunidad_cli.cli import workspace
from comunidad_cli.cli._common import ComunidadCommand, ComunidadGroup
from comunidad_cli.cli.app import root
from comunidad_cli.cli.directory import org_app, person_app
from comunidad_cli.cli.importing import import_command
from comunidad_cli.cli.members import member_app
from comunidad_cli.core.importing.ids import ID_MAX, make_id, slugify
from comunidad_cli.storage.dbapi import read_instant
from tests.conftest import ROOT
from tests.helpers import connect, database_of, dump

BYLAWS = ROOT / "bylaws" / "best-start-partnership.toml"
runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer(
        cls=ComunidadGroup,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(root)
    app.command("init", cls=ComunidadCommand)(workspace.init)
    app.add_typer(org_app, name="org")
    app.add_typer(person_app, name="person")
    app.add_typer(member_app, name="member")
    app.command("import", cls=ComunidadCommand)(import_command)
    return app


APP = make_app()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(APP, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, err
    return out


def make_workspace(folder: Path) -> Path:
    """A workspace whose only by-laws are the Best Start example (id "bsmla"); cwd moves in."""
    assert run("init", str(folder))[0] == 0
    for path in (folder / "bylaws").glob("*.toml"):
        path.unlink()
    shutil.copy(BYLAWS, folder / "bylaws" / BYLAWS.name)
    os.chdir(folder)
    return folder


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    return make_workspace(in_tmp / "w")


def db_url(folder: Path) -> str:
    return database_of(folder)


def audit_rows(folder: Path) -> list[tuple[Any, ...]]:
    with connect(folder) as db:
        return db.execute(
            "select command, action, entity, entity_id, detail from audit_event"
            " where command != 'init' order by id"
        ).fetchall()


# --- keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("María José Núñez", "maria-jose-nunez"),
        ("Associació Veïnal de Sants-Montjuïc", "associacio-veinal-de-sants"),
        ("  Çà et là  ", "ca-et-la"),
        ("Straße & Søn", "strasse-son"),
        ("Œuvre L'Été", "oeuvre-l-ete"),
        ("123 Servicios", "org-123-servicios"),
        ("¡¡!!", "org"),
    ],
)
def test_slugs_are_ascii_folded(name: str, key: str) -> None:
    assert slugify(name, prefix="org") == key


def test_long_names_are_cut_at_a_word_and_leave_room_for_a_suffix() -> None:
    key = slugify("Junta " * 30, prefix="org")
    assert len(key) <= ID_MAX and not key.endswith("-")
    taken = {key, *(f"{key}-{n}" for n in range(2, 12))}
    made = make_id("Junta " * 30, prefix="org", taken=taken)
    assert made == "junta-junta-junta-junta-junta-12" and len(made) <= ID_MAX


def test_make_id_counts_up_only_when_needed() -> None:
    assert make_id("Ana", prefix="person") == "ana"
    assert make_id("Ana", prefix="person", taken={"ana"}) == "ana-2"
    assert make_id("Ana", prefix="person", taken={"ana", "ana-2", "ana-3"}) == "ana-4"


def test_an_id_ending_in_a_number_is_told_apart_by_a_letter_never_2_2() -> None:
    assert make_id("Fondo 2", prefix="grant", taken={"fondo-2"}) == "fondo-2-b"
    assert make_id("nlg", "2026-11-18", prefix="meeting", taken={"nlg-2026-11-18"}) == (
        "nlg-2026-11-18-b"
    )


def test_composite_ids_are_short_readable_and_keep_the_short_part_whole() -> None:
    sub = make_id(
        "fondo-barrio-activo-2026", "junta-de-vecinos-villa-los-aromos", prefix="subcontract"
    )
    assert sub == "fondo-barrio-junta-de-vecinos"
    payment = make_id(sub, "2026-03-01", prefix="payment")
    assert payment == "fondo-barrio-junta-2026-03-01"
    assert make_id(sub, "2026-03-01", prefix="payment", taken={payment}) == (
        "fondo-barrio-junta-2026-03-01-b"
    )
    assert make_id("nlg-2026-11-18", "Subcontract to Familias Unidas", prefix="motion") == (
        "nlg-2026-11-18-subcontract"
    )


def test_a_motion_id_keeps_its_meetings_whole_id() -> None:
    """Cut fairly, "plenari-2026-03-15" lost its day ("plenari-2026-03-aprovar"), and a
    second motion of that title lost the month too: the meeting's id is kept whole."""
    meeting = "plenari-2026-03-15"
    made = make_id(meeting, "Aprovar pressupost", prefix="motion", whole=1)
    assert made == "plenari-2026-03-15-aprovar"
    again = make_id(meeting, "Aprovar pressupost", prefix="motion", taken={made}, whole=1)
    assert again == "plenari-2026-03-15-aprovar-2"
    # A title of punctuation alone never gives the meeting's own id; a long first word is
    # kept whole rather than cut in half ("adjudica").
    meeting = "directorio-2026-04-04-b"
    assert make_id(meeting, "¡¡!!", prefix="motion", whole=1) == f"{meeting}-motion"
    title = "Adjudicación de los fondos concursables del barrio"
    assert make_id(meeting, title, prefix="motion", whole=1) == f"{meeting}-adjudicacion"
    long_meeting = "comissio-de-comunicacio-2026-03-15"  # longer than the cap alone
    made = make_id(long_meeting, "Aprovar el pla de comunicació", prefix="motion", whole=1)
    assert made.startswith(long_meeting + "-aprovar")


def test_generated_keys_and_collisions(ws: Path) -> None:
    ok("person", "add", "María José Núñez")
    ok("person", "add", "Maria Jose Nunez")  # accents tell names apart (Peña is not Pena)
    # The same name again, in capitals or typed on a Mac (decomposed accents), is the same
    # command run twice until the coordinator says it is someone else with an id of their own.
    for again in ("MARÍA JOSÉ NÚÑEZ", "Mari\u0301a Jose\u0301 Nu\u0301n\u0303ez"):
        code, _, err = run("person", "add", again, "--email", "mj@example.org")
        assert code == 1 and err == (
            f'error: a person named "{again}" is already in the directory (maria-jose-nunez):'
            " if this is another person, give them their own id with --id (for example"
            " maria-jose-nunez-3)\n"
        )
    assert len(json.loads(ok("person", "list", "--json"))) == 2
    code, _, err = run(
        "person",
        "add",
        "MARÍA JOSÉ NÚÑEZ",
        "--email",
        "mj@example.org",
        "--id",
        "maria-jose-nunez-3",
    )
    assert code == 0
    assert "with id maria-jose-nunez-3" in err
    people = json.loads(ok("person", "list", "--json"))
    assert [p["id"] for p in people] == [
        "maria-jose-nunez",
        "maria-jose-nunez-2",
        "maria-jose-nunez-3",
    ]
    assert people[0]["name"] == "María José Núñez"
    # Organisations have their own keys: the same name is free there.
    ok("org", "add", "María José Núñez", "--kind", "business")
    assert json.loads(ok("org", "list", "--json"))[0]["id"] == "maria-jose-nunez"


def test_chosen_key(ws: Path) -> None:
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    org = json.loads(ok("org", "show", "casa", "--json"))
    assert org == {
        "id": "casa",
        "name": "Casa de la Comunidad",
        "kind": "community",
        "email": None,
        "phone": None,
        "people": [],
        "legal_personality": [],
    }


# --- refusals: exit 1, a clear message, nothing written ---------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["org", "add", "X", "--kind", "charity"],
            '--kind: "charity" is not one of: agency, community',
        ),
        (
            ["org", "add", "X", "--kind", "agency", "--id", "Casa Grande"],
            'key "Casa Grande" is not valid',
        ),
        (["org", "add", "X", "--kind", "agency", "--id", "9casa"], 'key "9casa" is not valid'),
        (["org", "add", "X", "--kind", "agency", "--id", "casa"], 'the id "casa" is already taken'),
        (["org", "add", "   ", "--kind", "agency"], "NAME: a name cannot be empty"),
        (
            ["org", "add", "X", "--kind", "agency", "--email", "not-an-email"],
            '--email: "not-an-email" is not an email address',
        ),
        (
            ["org", "add", "X", "--kind", "agency", "--phone", "call me"],
            '--phone: "call me" is not a phone number',
        ),
        (["org", "edit", "nope", "--name", "Y"], 'no organisation with id "nope"'),
        (["org", "edit", "casa", "--kind", "club"], '"club" is not one of'),
        (["org", "show", "nope"], 'no organisation with id "nope"'),
        (["person", "add", "Ana", "--org", "nope"], 'no organisation with id "nope"'),
        (["person", "add", "Ana", "--id", "ana"], 'the id "ana" is already taken'),
        (["person", "edit", "ana", "--org", "nope"], 'no organisation with id "nope"'),
        (["person", "edit", "nadie", "--name", "Y"], 'no person with id "nadie"'),
        (["person", "show", "nadie"], 'no person with id "nadie"'),
        (["person", "list", "--org", "nope"], 'no organisation with id "nope"'),
    ],
)
def test_refusals_write_nothing(ws: Path, args: list[str], message: str) -> None:
    ok("org", "add", "Casa", "--kind", "community", "--id", "casa")
    ok("person", "add", "Ana", "--id", "ana", "--org", "casa")
    before = dump(ws)
    code, out, err = run(*args)
    assert code == 1, err
    assert message in err
    assert "Traceback" not in err and out == ""
    assert dump(ws) == before


def test_an_edit_with_nothing_to_change_is_a_usage_error(ws: Path) -> None:
    ok("org", "add", "Casa", "--kind", "community")
    code, _, err = run("org", "edit", "casa")
    assert code == 2 and "nothing to change" in err
    code, _, err = run("person", "edit", "casa")
    assert code == 2 and "nothing to change" in err


# --- edits and the audit log ------------------------------------------------------------------


@freeze_time("2030-02-28 10:00:00")
def test_every_change_is_audited(ws: Path) -> None:
    ok("org", "add", "Casa", "--kind", "community", "--email", "hola@casa.org")
    ok("person", "add", "Inés Ibáñez", "--org", "casa", "--phone", "+34 93 555 01 02")
    ok("org", "edit", "casa", "--name", "Casa Nueva", "--email", "")
    ok("person", "edit", "ines-ibanez", "--org", "", "--email", "ines@example.org")
    before = dump(ws)
    code, _, err = run("org", "edit", "casa", "--name", "Casa Nueva")  # the same: no change
    assert code == 0 and "nothing to change" in err
    assert dump(ws) == before
    rows = audit_rows(ws)
    assert [(c, a, e, i) for c, a, e, i, _ in rows] == [
        ("org add", "create", "organisation", "casa"),
        ("person add", "create", "person", "ines-ibanez"),
        ("org edit", "update", "organisation", "casa"),
        ("person edit", "update", "person", "ines-ibanez"),
    ]
    assert json.loads(rows[0][4]) == {
        "name": "Casa",
        "kind": "community",
        "email": "hola@casa.org",
        "phone": None,
    }
    assert json.loads(rows[2][4]) == {
        "name": ["Casa", "Casa Nueva"],
        "email": ["hola@casa.org", None],
    }
    assert json.loads(rows[3][4]) == {"org": ["casa", None], "email": [None, "ines@example.org"]}
    person = json.loads(ok("person", "show", "ines-ibanez", "--json"))
    assert person["org"] is None and person["email"] == "ines@example.org"
    with connect(ws) as db:
        stored = db.execute("select at from audit_event where command != 'init'").fetchall()
    assert {read_instant(t) for (t,) in stored} == {datetime(2030, 2, 28, 10, tzinfo=UTC)}


def test_the_audit_row_shares_the_transaction(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the audit row cannot be written, the change it records is not written either."""
    from comunidad_cli.services import directory
    from comunidad_cli.storage import audit

    before = dump(ws)

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        directory.add_org(db_url(ws), name="Casa", kind="community")
    assert dump(ws) == before


def test_lists_and_shows(ws: Path) -> None:
    ok("org", "add", "Casa de la Comunidad", "--kind", "community", "--id", "casa")
    ok("org", "add", "Panadería La Esperanza", "--kind", "business")
    ok("person", "add", "Lucía Fernández", "--org", "casa")
    ok("person", "add", "Raúl Muñoz")
    out = ok("org", "list")
    assert out.splitlines()[0].split() == ["ID", "NAME", "KIND", "EMAIL", "PHONE"]
    assert "panaderia-la-esperanza  Panadería La Esperanza  business" in out
    assert [p["id"] for p in json.loads(ok("person", "list", "--org", "casa", "--json"))] == [
        "lucia-fernandez"
    ]
    assert "lucia-fernandez  Lucía Fernández" in ok("org", "show", "casa")
    shown = ok("person", "show", "raul-munoz")
    assert "Raúl Muñoz" in shown and "Seats:" not in shown


def test_empty_lists_say_how_to_start(ws: Path) -> None:
    code, out, err = run("org", "list")
    assert code == 0 and out == "" and "comunidad org add" in err
    assert json.loads(ok("person", "list", "--json")) == []


@freeze_time("2025-01-15 12:00:00")
def test_person_show_lists_their_seats(ws: Path) -> None:
    ok("person", "add", "Ana", "--id", "ana")
    ok(
        "member",
        "add",
        "--body",
        "nlg",
        "--person",
        "ana",
        "--class",
        "resident",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
    )
    ok(
        "member",
        "add",
        "--body",
        "nlg",
        "--person",
        "ana",
        "--class",
        "resident",
        "--from",
        "2024-01-01",
    )
    seats = json.loads(ok("person", "show", "ana", "--json"))["seats"]
    assert [(s["from"], s["to"], s["active"]) for s in seats] == [
        ("2023-01-01", "2023-12-31", False),
        ("2024-01-01", None, True),
    ]
    assert "(current)" in ok("person", "show", "ana")


def test_an_edit_says_what_changed_in_the_readers_words(ws: Path) -> None:
    """A Catalan tester read "name ha canviat de ... a X": the field and a kind's values are
    words of the reader's language; the values typed are printed as typed."""
    ok("org", "add", "Esplai l'Espurna", "--kind", "community", "--id", "espurna")
    code, _, err = run("--locale", "ca", "org", "edit", "espurna", "--name", "Esplai L'Espurna")
    assert code == 0 and err == "espurna: nom ha canviat d'Esplai l'Espurna a Esplai L'Espurna.\n"
    code, _, err = run("--locale", "es", "org", "edit", "espurna", "--kind", "agency")
    assert code == 0 and err == "espurna: tipo cambió de comunitaria a agencia.\n"
