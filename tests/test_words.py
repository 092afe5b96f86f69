"""The words people read: counted messages agree with their number in every language, and
Catalan elides the article and `de` before a date ("l'1 de gener", "d'abril")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comunidad_cli import i18n
from tests.helpers import ok

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "comunidad_cli" / "locale"
FIELD = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


@pytest.mark.parametrize("language", ["es", "en", "ca"])
@pytest.mark.parametrize("n", [0, 1, 2, 21])
def test_every_counted_message_renders_with_its_number(language: str, n: int) -> None:
    """Each plural entry of the catalog, rendered with 0, 1, 2 and 21 in each language:
    the number shows, and the form for 1 is the catalog's singular, the others its plural."""
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / language / "LC_MESSAGES" / "comunidad.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain="comunidad")
    entries = [m for m in catalog if m.id and m.pluralizable]
    assert len(entries) > 20
    i18n.activate(language)
    for message in entries:
        singular, plural = message.id[0], message.id[1]
        template = i18n.ngettext(singular, plural, n)
        forms = message.string
        assert template == (forms[0] if n == 1 else forms[1]), (singular, n)
        params = {name: n for name in FIELD.findall(singular + plural)}
        text = template.format(**params)
        assert text.strip(), singular
        if params:
            assert str(n) in text, (singular, text)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("es", "Quórum: 1 presente, se necesitan", "Quórum: 2 presentes, se necesitan"),
        ("ca", "Quòrum: 1 present, en calen", "Quòrum: 2 presents, en calen"),
        ("en", "Quorum: 1 present,", "Quorum: 2 present,"),
    ],
)
def test_quorum_agrees_with_the_number_present(language: str, one: str, two: str) -> None:
    """`Quórum: 1 presentes` was wrong: the quorum line is counted by those present."""
    from comunidad_cli.render.tally import explain_tally

    def line(present: int) -> str:
        result = {
            "yes": 1,
            "no": 0,
            "abstain": 0,
            "base": "votes cast",
            "base_total": 1,
            "required": 1,
            "quorum": {"met": False, "present": present, "required": 3},
            "recused": [],
        }
        return explain_tally(result, "terminal").quorum

    i18n.activate(language)
    assert line(1).startswith(one)
    assert line(2).startswith(two)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aprovats el 1 de gener del 2025", "aprovats l'1 de gener del 2025"),
        ("El 11 d\u2019abril", "L'11 d\u2019abril"),
        ("del 1 de gen. 2025 al 11/4/25", "de l'1 de gen. 2025 a l'11/4/25"),
        ("cada mes fins al 1 de juny", "cada mes fins a l'1 de juny"),
        ("aprovada pel finançador el 1/3/25", "aprovada pel finançador l'1/3/25"),
        ("informes de abril", "informes d'abril"),
        ("el 10 de gener, el 21 de maig", "el 10 de gener, el 21 de maig"),
        ("el 1 %", "el 1 %"),
    ],
)
def test_catalan_elides_the_article_before_a_date(text: str, expected: str) -> None:
    i18n.activate("ca")
    assert i18n.with_date_articles(text) == expected


def test_other_languages_keep_the_text_as_it_is() -> None:
    i18n.activate("es")
    assert i18n.with_date_articles("el 1 de enero de abril") == "el 1 de enero de abril"


def test_bylaws_adopted_on_the_first_read_in_catalan(in_tmp: Path) -> None:
    """The partnership template was adopted on 1 January: `aprovats l'1 de gener`."""
    ok("init", "ws", "--template", "partnership")
    shown = ok("--locale", "ca", "--workspace", "ws", "bylaws", "show", "partnership")
    assert "aprovats l'1 de gener del 2025" in shown
    assert "el 1 de gener" not in shown


@pytest.mark.parametrize(
    ("language", "one"),
    [("es", "se necesita 1 voto a favor."), ("ca", "cal 1 vot a favor."), ("en", "1 yes needed.")],
)
def test_one_yes_needed_is_singular(language: str, one: str) -> None:
    """`se necesitan 1 votos a favor` was wrong: the votes line agrees with the yes needed."""
    from comunidad_cli.render.tally import explain_tally

    result = {
        "yes": 1,
        "no": 0,
        "abstain": 0,
        "base": "votes cast",
        "base_total": 1,
        "required": 1,
        "quorum": {"met": True, "present": 3, "required": 2},
        "recused": [],
    }
    i18n.activate(language)
    assert explain_tally(result, "terminal").votes.endswith(one)
