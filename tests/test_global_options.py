"""`--locale`, `--workspace` and `--db` work after the command too (`comunidad org list
--locale es`), without taking an option's value or anything after `--` for one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from comunidad_cli.cli._common import ComunidadContext
from comunidad_cli.cli.app import app, hoist_global_options
from tests.helpers import database_of, ok, run
from tests.test_directory import make_workspace


def _hoist(*args: str) -> list[str]:
    import typer

    root = typer.main.get_command(app)
    return hoist_global_options(root, ComunidadContext(root), list(args))


def test_global_options_after_the_command_move_before_it() -> None:
    assert _hoist("org", "list", "--locale", "es", "--json") == [
        "--locale",
        "es",
        "org",
        "list",
        "--json",
    ]
    assert _hoist("person", "add", "Ana", "--db=sqlite:///x.db", "--workspace", "w") == [
        "--db=sqlite:///x.db",
        "--workspace",
        "w",
        "person",
        "add",
        "Ana",
    ]


def test_an_options_value_and_words_after_double_dash_stay_where_they_are() -> None:
    # "--locale" here is the e-mail address typed (odd, but the person's), not a global option.
    assert _hoist("person", "add", "Ana", "--email", "--locale") == [
        "person",
        "add",
        "Ana",
        "--email",
        "--locale",
    ]
    assert _hoist("person", "add", "--", "--locale", "es") == [
        "person",
        "add",
        "--",
        "--locale",
        "es",
    ]
    assert _hoist("--locale", "ca", "org", "list") == ["--locale", "ca", "org", "list"]


def test_a_commands_own_option_of_the_same_name_stays_its_own() -> None:
    """`init --locale` is the new workspace's locale; `meeting minutes --locale` the minutes'."""
    assert _hoist("init", "w", "--locale", "es_CL") == ["init", "w", "--locale", "es_CL"]
    assert _hoist("meeting", "minutes", "m1", "--locale", "ca") == [
        "meeting",
        "minutes",
        "m1",
        "--locale",
        "ca",
    ]


def test_locale_after_the_command_translates_its_errors(in_tmp: Path) -> None:
    code, out, err = run("org", "list", "--locale", "es", "--jsn")
    assert (code, out) == (2, "")
    assert "error: No existe la opción: --jsn (¿querías decir --json?)" in err
    code, out, err = run("org", "lst", "--locale=ca")
    assert (code, out) == (2, "")
    assert "No existeix l'ordre 'lst'" in err


def test_workspace_and_db_after_the_command(in_tmp: Path) -> None:
    folder = make_workspace(in_tmp / "w")
    ok("org", "add", "Vecinos Unidos", "--kind", "community", "--id", "vu")
    os.chdir(in_tmp)
    assert run("org", "list", "--json")[0] == 1  # no workspace here
    listed = json.loads(ok("org", "list", "--json", "--workspace", str(folder)))
    assert [org["id"] for org in listed] == ["vu"]
    db = database_of(folder)
    listed = json.loads(ok("org", "list", "--workspace", str(folder), "--db", db, "--json"))
    assert [org["id"] for org in listed] == ["vu"]


def test_global_options_after_an_unknown_command_move_too() -> None:
    assert _hoist("metting", "--locale", "es", "--x") == ["--locale", "es", "metting", "--x"]
    assert _hoist("metting", "--workspace=w") == ["--workspace=w", "metting"]


def test_locale_after_an_unknown_command_in_process_as_in_a_real_process(in_tmp: Path) -> None:
    """`comunidad metting --locale es` was refused in English through `run` (CliRunner),
    in Spanish in a real process: both now read the language from the command line."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    code, out, err = run("metting", "--locale", "es")
    assert (code, out) == (2, "")
    assert "Uso: comunidad [OPCIONES] COMANDO" in err
    assert "error: No existe el comando 'metting'. ¿Querías decir 'meeting'" in err
    real = subprocess.run(
        [
            sys.executable,
            "-c",
            "from comunidad_cli.cli import main; main()",
            "metting",
            "--locale",
            "es",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
    )
    assert (real.returncode, real.stderr) == (2, err)
    assert "No existeix l'ordre 'metting'" in run("metting", "--locale=ca")[2]
    # no --locale: the environment's language, not the one the run before asked for
    assert "error: No such command 'metting'" in run("metting")[2]


def test_init_answers_in_the_new_workspaces_language(in_tmp: Path) -> None:
    """`init DIR --locale es_CL` in an English terminal: Spanish, as every later command in
    DIR (the workspace's locale comes before LANG); a global --locale still decides."""
    code, _out, err = run("init", "x", "--locale", "es_CL")
    assert code == 0
    assert "Se creó el espacio de trabajo" in err
    assert "  zona horaria:  " in err  # aligned with the other labels
    assert "Created workspace" not in err
    code, _out, err = run("--locale", "ca", "init", "y", "--locale", "es_CL")
    assert "S'ha creat l'espai de treball" in err
    assert "Created workspace" in run("init", "z")[2]  # no --locale: the terminal's


@pytest.mark.parametrize("asked", ["català", "fr", "castellano"])
def test_a_locale_comunidad_does_not_speak_is_refused_not_replaced_by_english(
    asked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Catalan tester typed `--locale català` and got English without a word: an asked-for
    language it does not speak is a usage error, said in the environment's language. An
    environment's other language (LANG=fr_FR) still falls back to English silently."""
    from tests.helpers import run

    monkeypatch.setenv("LANG", "ca_ES.UTF-8")
    code, out, err = run("--locale", asked, "bylaws", "new", "--template", "xarxa", "-o", "-")
    assert (code, out) == (2, "")
    assert (
        err == f'error: --locale "{asked}": comunidad parla es, en i ca (es_CL, ca_ES, en_US ...)\n'
    )
    for fine in ("ca", "es_CL", "en_US.UTF-8", "C"):
        assert run("--locale", fine, "bylaws", "new", "--template", "xarxa", "-o", "-")[0] == 0
