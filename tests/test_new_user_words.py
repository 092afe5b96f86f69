"""Words a new Spanish-speaking user met: one voice (tú in Spanish, vosaltres in Catalan),
one date placeholder per language, and successes that say what was recorded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import run

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
