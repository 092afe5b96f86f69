"""Words a new Spanish-speaking user met: one voice (tú in Spanish, vosaltres in Catalan),
one date placeholder per language, and successes that say what was recorded."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import subprocess_env
from tests.helpers import ok, run

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "comunidad_cli" / "locale"


def translations(language: str) -> list[str]:
    """Every msgstr of a catalog, joined across its lines."""
    text = (LOCALE_DIR / language / "LC_MESSAGES" / "comunidad.po").read_text(encoding="utf-8")
    found = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', text, re.M)
    return ["".join(re.findall(r'"(.*)"', block)) for block in found]


# Imperatives of usted/ustedes the Spanish catalog once had next to its tú ("propónganla"
# beside "propón"); subjunctives in a clause ("que diga", "a que termine") are not here.
USTED = re.compile(
    r"\b(propónganla|revisen|ábranla|ingrese|escríbalo|agregue|añada|añádalo|repítala|"
    r"Repítala|fírmelo|fírmela|compruébelo|edítelo|corríjalos|cámbielo|cámbiela|deles)\b"
    r"|(?:[:;(]\s?|\by |\bo )(vea|escriba|elija|indique|ejecute|registre|Registre|diga|"
    r"termine|deje|dé|use|importe)\b"
)


def test_the_spanish_catalog_speaks_tu_everywhere() -> None:
    offending = [text for text in translations("es") if USTED.search(text)]
    assert offending == []


def test_the_spanish_starting_files_speak_tu_too() -> None:
    """The commented files `init --template directorio` and `fund new` write once said
    "Edite ... y luego revise con" beside a catalog that says "edita"."""
    templates = Path(__file__).resolve().parent.parent / "src" / "comunidad_cli" / "templates"
    spanish = [templates / "directorio.toml", templates / "fondos" / "fondo.toml"]
    comments = [
        line
        for path in spanish
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("#") or " # " in line
    ]
    assert comments, "the templates' comments were not read"
    usted = re.compile(r"\b(Edite|edite|revise|Revise|cambie|Cambie|indique|Indique|use|Use)\b")
    assert [line for line in comments if usted.search(line)] == []


# Catalan speaks to vosaltres (afegiu, escriviu, indiqueu): the odd tu imperatives once mixed in.
TU_CA = re.compile(
    r"(?:[:;(]\s|\bo\s)(escriu|escriu-la|escriu-lo|digues|mira|afegeix|afegeix-ne|afegeix-los|"
    r"indica|executa|consulta|obre|obre-la|obre-në|tanca|tanca'n|registra|registra-në|repeteix|"
    r"repeteix-la|proposa|proposa'n|canvia'n|elimina-la|tria|desa|torna|treu)(?![\w'·-])"
)


def test_the_catalan_catalog_speaks_to_vosaltres() -> None:
    texts = translations("ca")
    assert [text for text in texts if TU_CA.search(text) or "la teva" in text] == []


@pytest.mark.parametrize(
    ("language", "placeholder", "other"),
    [
        ("es", "AAAA-MM-DD", "YYYY-MM-DD"),
        ("ca", "AAAA-MM-DD", "YYYY-MM-DD"),
        ("en", "YYYY-MM-DD", "AAAA-MM-DD"),
    ],
)
def test_one_date_placeholder_per_language(language: str, placeholder: str, other: str) -> None:
    texts = translations(language)
    assert any(placeholder in text for text in texts)
    assert [text for text in texts if other in text] == []


def test_a_bad_date_is_explained_with_the_spanish_placeholder(in_tmp: Path) -> None:
    assert run("init", "ws", "--template", "directorio")[0] == 0
    code, _, err = run(
        "--locale", "es", "--workspace", "ws", "member", "list", "--body", "x", "--on", "1/7/2024"
    )
    assert code == 2 and "AAAA-MM-DD" in err and "YYYY" not in err


@pytest.mark.parametrize(
    "words",
    [
        ("init", "-h", "--locale", "es"),
        ("init", "--locale", "es", "-h"),
        ("--locale", "es", "init", "-h"),
    ],
)
def test_init_help_follows_its_locale_after_h(in_tmp: Path, words: tuple[str, ...]) -> None:
    """`init -h --locale es` printed click's Usage/Options in English around Spanish help."""
    code, out, _ = run(*words)
    assert code == 0
    assert "Uso:" in out and "Opciones:" in out and "Muestra este mensaje y sale." in out
    assert "Usage:" not in out and "Show this message" not in out


# --- successes say what was recorded (on stderr; stdout keeps the id for scripts) -----------


@pytest.fixture
def directorio(in_tmp: Path) -> Path:
    """A Chilean directorio's workspace, in Spanish."""
    assert run("init", "w", "--template", "directorio", "--locale", "es_CL")[0] == 0
    import os

    os.chdir(in_tmp / "w")
    return in_tmp / "w"


def test_territory_add_says_what_it_recorded(directorio: Path) -> None:
    code, out, err = run(
        "territory", "add", "cerro", "--name", "Cerro Alegre", "--value", "vulnerabilidad=0,2"
    )
    assert code == 0 and out == "cerro\n"
    assert 'Se registró el territorio "Cerro Alegre" con id cerro y 1 valor de criterio.' in err


def test_import_territories_counts_territories_and_values(directorio: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "plans"
    code, _, err = run("import", "territories", str(examples / "territories.csv"))
    assert code == 0, err
    assert "3 territorios creados, 9 valores registrados, 0 valores sin cambios" in err
    assert "actualizados" not in err


def test_plan_and_meeting_new_say_what_they_recorded(directorio: Path) -> None:
    code, out, err = run(
        "plan", "new", "--body", "directorio", "--from", "2026-01-01", "--to", "2027-12-31",
        "--title", "Plan de mejoramiento",
    )  # fmt: skip
    assert code == 0 and out.strip() and "\n" not in out.strip()
    assert (
        f'Se registró el borrador del plan "Plan de mejoramiento" de directorio con id {out.strip()}'
        in err
    )
    assert "1 de enero de 2026" in err
    code, out, err = run(
        "meeting", "new", "--body", "directorio", "--at", "2026-02-10 18:00",
        "--notice-sent", "2026-01-20",
    )  # fmt: skip
    assert code == 0 and out.strip() and "\n" not in out.strip()
    assert f"Se registró la sesión de directorio con id {out.strip()}, el " in err
    assert "18:00" in err


def test_motion_vote_says_who_voted_what_on_which_motion(meeting: str) -> None:
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract", "--title", "Fiesta",
        "--at", "18:15",
    ).strip()  # fmt: skip
    code, out, err = run(
        "--locale", "es", "motion", "vote", motion, "--person", "r1", "--choice", "yes",
        "--at", "18:20",
    )  # fmt: skip
    assert code == 0 and out == ""
    assert f"Se registró el voto de r1 en la moción {motion}: sí (a las 18:20)." in err


# Every command's help, rendered in a fresh process in one language (help texts are read when
# the commands are defined, so a process that built them in English cannot show Spanish).
HELP_PAGES = """
import sys
from comunidad_cli import i18n
i18n.activate(sys.argv[1])
import typer
from comunidad_cli.cli.app import app

def walk(command, ctx, path):
    sys.stdout.write("\\0" + " ".join(path) + "\\n" + command.get_help(ctx) + "\\n")
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            walk(sub, sub.context_class(sub, info_name=name, parent=ctx), [*path, name])

root = typer.main.get_command(app)
walk(root, root.context_class(root, info_name="comunidad"), ["comunidad"])
"""


@cache
def help_pages(language: str) -> dict[str, str]:
    """`comunidad ... -h` of every command in `language`: {"comunidad fund apply": text}."""
    result = subprocess.run(
        [sys.executable, "-c", HELP_PAGES, language],
        env=subprocess_env(COLUMNS="200"),
        capture_output=True,
        text=True,
        check=True,
    )
    pages = {}
    for page in result.stdout.split("\0")[1:]:
        path, _, text = page.partition("\n")
        pages[path] = text
    return pages


@pytest.mark.parametrize(
    ("command", "said", "raw"),
    [
        ("comunidad fund appeal", "(`appeals_until`)", "el appeals_until"),
        (
            "comunidad fund apply",
            "una de las prioridades que atiende el concurso, `serves`",
            "las serves",
        ),
        ("comunidad fund note", "(`max_spread`)", "el max_spread"),
        ("comunidad resource log", "`volunteer_hour_rate`", "el volunteer_hour_rate"),
    ],
)
def test_file_keys_are_said_in_words(command: str, said: str, raw: str) -> None:
    """ "hasta el appeals_until del concurso": a file's key in words, the key after them."""
    flat = " ".join(help_pages("es")[command].split())
    assert said in flat and raw not in flat


ENGLISH_METAVARS = re.compile(
    r"\b(TIME|FILE|KEY|NUMBER|PATH|MEETING|MOTION|ROUND|MONEY|LOCALE|DATE|NAME|TITLE|"
    r"AMOUNT|AGREEMENT|PERSON|BODY|CATEGORY|DAYS|HOLDER)\b"
)


@pytest.mark.parametrize("language", ["es", "ca"])
def test_every_help_speaks_the_readers_words(language: str) -> None:
    """`--template <str>`, `{NAME}`, `--count <int range>`, `--at TIME`, `[por defecto:
    regular]`: every placeholder of every command's help in the reader's words."""
    pages = help_pages(language)
    assert len(pages) > 150
    for command, text in pages.items():
        usage_and_options = [
            line for line in text.splitlines() if line.startswith(("  -", "Uso:", "Ús:"))
        ]
        for line in usage_and_options:
            placeholders = line.split("  ")[0] if line.startswith("  -") else line
            assert "<str>" not in placeholders and "<int" not in placeholders, (command, line)
            assert "{" not in placeholders, (command, line)
            assert not ENGLISH_METAVARS.search(placeholders), (command, line)
        flat = " ".join(text.split())
        assert "defecto: regular]" not in flat and "defecte: regular]" not in flat, command
        assert "p. ej. chair" not in flat and "p. ex. chair" not in flat, command


@pytest.mark.parametrize("language", ["es", "ca"])
def test_a_recusal_is_one_word_inhibirse_not_inhabilitar(language: str) -> None:
    """A reviewer who declares a conflict of interest inhibits themselves ("se inhibió", "s'ha
    inhibit"); "inhabilitar" means to disqualify, and the Catalan tester met both."""
    assert [text for text in translations(language) if "nhabilit" in text] == []


def catalog(language: str) -> dict[str, str]:
    """A catalog's one-line messages: {msgid: msgstr}."""
    text = (LOCALE_DIR / language / "LC_MESSAGES" / "comunidad.po").read_text(encoding="utf-8")
    return dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.M))


def arguments_shown(command: str, text: str) -> list[str]:
    """The placeholders a help page names its arguments by: each row of its Arguments
    section, and what follows the options in its usage line."""
    shown = []
    section = ""
    for line in text.splitlines():
        if line.startswith(("Uso:", "Ús:")):
            shown += line.split(command, 1)[1].split()[1:]  # after [OPCIONES]
        elif not line.startswith(" "):
            section = line
        elif section in ("Argumentos:", "Arguments:") and not line.startswith("   "):
            shown.append(line.split()[0])
    return shown


@pytest.mark.parametrize("language", ["es", "ca"])
def test_every_argument_is_named_in_the_readers_words(language: str) -> None:
    """`comunidad motion vote -h` names its argument MOCIÓN (MOCIÓ), neither `motion` (the
    name in code) nor MOTION; `spend-down [grant]` is `[SUBVENCIÓN]`."""
    from comunidad_cli.cli._common import _METAVARS

    words = catalog(language)
    english = {key for key in _METAVARS if words.get(key, key) != key}
    pages = help_pages(language)
    named = [(c, name) for c, text in pages.items() for name in arguments_shown(c, text)]
    assert ("comunidad motion vote", "MOCIÓN" if language == "es" else "MOCIÓ") in named
    for command, name in named:
        assert not re.search(r"[a-z]", name), (command, name)
        assert not english & set(re.findall(r"[A-Z_]+", name)), (command, name)
