"""`comunidad demo` and the README's tour, in Spanish and in Catalan, print no English word.

The list of English words is built from the catalog: every word of an English message id
whose Spanish and Catalan translations differ from it, less the words those translations
use too (`no`, `total`), and less the words people typed into the demo (the by-laws
template, the demo's names and titles): those are printed exactly as typed.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from tests.helpers import ok

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "comunidad_cli"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
FIELD = re.compile(r"\{[^}]*\}|`[^`]*`|--[\w-]+|\"[^\"]*\"")


#: Commands, paths, and the demo's throwaway workspace, whose random name (mkdtemp:
#: "comunidad-demo-1if_q8bx") once held "too".
COMMAND = re.compile(r"comunidad-demo-\S+|comunidad(?: [a-z][a-z-]*)+|\S*/\S*")


def _words(text: str, *, fields: bool = False) -> set[str]:
    """The words of `text`; of a message id, without its fields, options and quotes."""
    return {w.casefold() for w in WORD.findall(text if fields else FIELD.sub(" ", text))}


def _typed_text() -> set[str]:
    """Words of text people typed into the demo: its by-laws and data, not its messages."""
    words: set[str] = set()
    for template in (SRC / "templates").glob("*.toml"):
        words |= _words(template.read_text(encoding="utf-8"), fields=True)
    tree = ast.parse((SRC / "cli" / "demo.py").read_text(encoding="utf-8"))
    marked: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "N_", "ngettext"):
            marked |= {id(arg) for arg in node.args}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in marked
        ):
            words |= _words(node.value, fields=True)
    return words


@cache
def english_words() -> frozenset[str]:
    from babel.messages.pofile import read_po

    def catalog(language: str) -> dict[str, str]:
        path = SRC / "locale" / language / "LC_MESSAGES" / "comunidad.po"
        with path.open("rb") as fh:
            po = read_po(fh, locale=language)
        found: dict[str, str] = {}
        for message in po:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found[" ".join(ids)] = " ".join(s for s in strings if s)
        return found

    es, ca = catalog("es"), catalog("ca")
    english: set[str] = set()
    translated: set[str] = set()
    for msgid, spanish in es.items():
        catalan = ca.get(msgid, "")
        translated |= _words(spanish) | _words(catalan)
        if spanish != msgid and catalan != msgid:
            english |= _words(msgid)
    typed = _typed_text()
    keep = translated | typed
    # The stored values of choices (`low`, `active`, `subaward`) are shown in the reader's
    # words: none may reach the text, even where the demo passes them to a service (unless
    # the by-laws use the word too: a class id `business`, a "Community Partnership").
    from comunidad_cli.core.choices import WORDS, label

    values = {v for v in WORDS if WORD.fullmatch(v) and v not in (label(v, "es"), label(v, "ca"))}
    templates = set()
    for template in (SRC / "templates").glob("*.toml"):
        templates |= _words(template.read_text(encoding="utf-8"), fields=True)
    return frozenset(w for w in english - keep if len(w) > 2) | (values - templates)


def _english_in(text: str) -> list[str]:
    """The English words in `text`, outside the commands (`comunidad db check`) and paths
    it names."""
    words = english_words()
    return sorted({w for w in WORD.findall(COMMAND.sub(" ", text)) if w.casefold() in words})


def test_the_word_list_catches_english() -> None:
    assert _english_in("Quorum: 3 present, 2 needed: met; no motions.") == [
        "met",
        "motions",
        "needed",
    ]
    assert _english_in("Quòrum: 3 presents, en calen 2: assolit.") == []


@pytest.mark.parametrize("locale", ["es_CL", "ca_ES"])
def test_the_demo_speaks_the_users_language(locale: str, in_tmp: Path) -> None:
    out = ok("--locale", locale, "demo")
    assert _english_in(out) == []


@pytest.mark.parametrize(("locale", "template"), [("es_CL", "directorio"), ("ca_ES", "xarxa")])
def test_the_tour_speaks_the_users_language(
    locale: str, template: str, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's tour, in the workspace as it says (`cd mi-barrio`)."""
    ok("init", "barrio", "--template", template, "--locale", locale)
    monkeypatch.chdir(in_tmp / "barrio")
    out = ok("bylaws", "check")
    out += ok("bylaws", "show", template)
    out += ok("bylaws", "show", template, "--format", "markdown")
    out += ok("db", "check")
    assert _english_in(out) == []
