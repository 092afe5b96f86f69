"""Click's own usage errors (unknown command or option, missing argument, bad value) are
shown in the user's language, with the same facts (option, suggestions, command path), exit 2
and nothing on stdout."""

from __future__ import annotations

import pytest

from tests.helpers import run

# (arguments, then the error line and the hint expected in en, es, ca)
CASES: list[tuple[list[str], dict[str, tuple[str, str]]]] = [
    (
        ["metting"],
        {
            "en": (
                "error: No such command 'metting'. Did you mean 'meeting'",
                "Try 'comunidad -h' for help.",
            ),
            "es": (
                "error: No existe el comando 'metting'. ¿Querías decir 'meeting'",
                "Prueba 'comunidad -h' para ver la ayuda.",
            ),
            "ca": (
                "error: No existeix l'ordre 'metting'. Volies dir 'meeting'",
                "Prova 'comunidad -h' per veure l'ajuda.",
            ),
        },
    ),
    (
        ["org", "lst"],
        {
            "en": ("error: No such command 'lst'. Did you mean 'list'?", "comunidad org -h"),
            "es": ("error: No existe el comando 'lst'. ¿Querías decir 'list'?", "comunidad org -h"),
            "ca": ("error: No existeix l'ordre 'lst'. Volies dir 'list'?", "comunidad org -h"),
        },
    ),
    (
        ["org", "list", "--jsn"],
        {
            "en": ("error: No such option: --jsn (did you mean --json?)", "comunidad org list -h"),
            "es": (
                "error: No existe la opción: --jsn (¿querías decir --json?)",
                "Prueba 'comunidad org list -h'",
            ),
            "ca": (
                "error: No existeix l'opció: --jsn (volies dir --json?)",
                "Prova 'comunidad org list -h'",
            ),
        },
    ),
    (
        ["person", "add"],
        {
            "en": ("error: Missing argument 'NAME'.", "comunidad person add -h"),
            "es": ("error: Falta el argumento 'NAME'.", "comunidad person add -h"),
            "ca": ("error: Falta l'argument 'NAME'.", "comunidad person add -h"),
        },
    ),
    (
        ["member", "add"],
        {
            "en": ("error: Missing option '--body'.", "comunidad member add -h"),
            "es": ("error: Falta la opción '--body'.", "comunidad member add -h"),
            "ca": ("error: Falta l'opció '--body'.", "comunidad member add -h"),
        },
    ),
    (
        ["audit", "list", "--last", "x"],
        {
            "en": ("error: Invalid value for '--last': 'x' is not a whole number.", "audit list"),
            "es": (
                "error: Valor no válido para '--last': 'x' no es un número entero.",
                "audit list",
            ),
            "ca": (
                "error: Valor no vàlid per a '--last': 'x' no és un nombre enter.",
                "audit list",
            ),
        },
    ),
    (
        ["org", "list", "a", "b"],
        {
            "en": ("error: Got 2 unexpected extra arguments: a b", "comunidad org list -h"),
            "es": ("error: Sobran 2 argumentos inesperados: a b", "comunidad org list -h"),
            "ca": ("error: Sobren 2 arguments inesperats: a b", "comunidad org list -h"),
        },
    ),
    (
        ["org", "list", "a"],
        {
            "en": ("error: Got an unexpected extra argument: a", "comunidad org list -h"),
            "es": ("error: Sobra un argumento inesperado: a", "comunidad org list -h"),
            "ca": ("error: Sobra un argument inesperat: a", "comunidad org list -h"),
        },
    ),
]


@pytest.mark.parametrize("language", ["en", "es", "ca"])
@pytest.mark.parametrize(
    ("args", "expected"), CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_usage_errors_in_the_users_language(
    in_tmp: object, language: str, args: list[str], expected: dict[str, tuple[str, str]]
) -> None:
    code, out, err = run("--locale", language, *args)
    line, hint = expected[language]
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert line in err
    assert hint in err
    assert "Error:" not in err  # Click's English prefix
    if language != "en":
        for english in ("Try '", "No such", "Missing ", "Invalid value", "Got "):
            assert english not in err


@pytest.mark.parametrize(
    ("language", "usage"),
    [
        ("en", "Usage: comunidad org list [OPTIONS]"),
        ("es", "Uso: comunidad org list [OPCIONES]"),
        ("ca", "Ús: comunidad org list [OPCIONS]"),
    ],
)
def test_the_usage_line_comes_first(in_tmp: object, language: str, usage: str) -> None:
    code, _out, err = run("--locale", language, "org", "list", "--jsn")
    assert code == 2
    assert err.splitlines()[0] == usage


def test_a_groups_usage_line_is_translated_too(in_tmp: object) -> None:
    code, _out, err = run("--locale", "es", "org", "lst")
    assert code == 2
    assert err.splitlines()[0] == "Uso: comunidad org [OPCIONES] COMANDO [ARGUMENTOS]..."


def test_an_option_without_its_value_in_spanish(in_tmp: object) -> None:
    code, out, err = run("--locale", "es", "audit", "list", "--last")
    assert (code, out) == (2, "")
    assert "error: La opción '--last' necesita un valor." in err


def test_an_unknown_click_message_is_passed_on_not_lost() -> None:
    from typer._click.exceptions import UsageError

    from comunidad_cli.cli.usage_errors import message_of

    assert message_of(UsageError("Something new from Click.")) == "Something new from Click."


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("'x' is not a valid integer.", "'x' no es un número entero."),
        ("'x' is not a valid float range.", "'x' no es un número."),
        ("'quizá' is not a valid boolean. Recognized values: 0, 1", "'quizá' no es sí o no"),
        (
            "'rojo' is not one of 'low', 'high'.",
            "'rojo' no es uno de estos valores: 'low', 'high'.",
        ),
        ("File 'a.csv' does not exist.", "'a.csv' no existe."),
        ("Directory 'w' is a file.", "'w' es un archivo, no una carpeta."),
    ],
)
def test_clicks_reasons_for_a_bad_value_are_translated(english: str, spanish: str) -> None:
    from typer._click.exceptions import BadParameter

    from comunidad_cli import i18n
    from comunidad_cli.cli.usage_errors import message_of

    i18n.activate("es")
    shown = message_of(BadParameter(english, param_hint="'--x'"))
    assert shown.startswith(f"Valor no válido para '--x': {spanish}")
