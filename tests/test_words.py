"""The words people read: counted messages agree with their number in every language, and
Catalan elides the article and `de` before a date ("l'1 de gener", "d'abril")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comunidad_cli import i18n
from tests.helpers import ok, refused, run

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


D = i18n.DateText


@pytest.mark.parametrize(
    ("template", "params", "expected"),
    [
        (
            "aprovats el {date}",
            {"date": D("1 de gener del 2025")},
            "aprovats l'1 de gener del 2025",
        ),
        ("El {date}", {"date": D("11 d\u2019abril")}, "L'11 d\u2019abril"),
        (
            "del {start} al {end}",
            {"start": D("1 de gen. 2025"), "end": D("11/4/25")},
            "de l'1 de gen. 2025 a l'11/4/25",
        ),
        ("cada mes fins al {until}", {"until": D("1 de juny")}, "cada mes fins a l'1 de juny"),
        ("pel {date}", {"date": D("1/3/25")}, "per l'1/3/25"),
        ("informes de {month}", {"month": D("abril de 2025")}, "informes d'abril de 2025"),
        ("informes de {month}", {"month": D("d\u2019abril de 2025")}, "informes d'abril de 2025"),
        (
            "el {a}, el {b}",
            {"a": D("10 de gener"), "b": D("21 de maig")},
            "el 10 de gener, el 21 de maig",
        ),
        ("el {share} %", {"share": "1"}, "el 1 %"),  # not a date: as it is
        ("del {leverage}", {"leverage": "11/4"}, "del 11/4"),
        # a typed value is never elided, even with a date in it; the template's words are
        (
            "Signada per {name} el {date}",
            {"name": "Pere del 1 de maig, el 1 de gener de abril", "date": D("1/4/25 19:05")},
            "Signada per Pere del 1 de maig, el 1 de gener de abril l'1/4/25 19:05",
        ),
        ("{name}el {date}", {"name": "Pere ", "date": D("1 de gener")}, "Pere el 1 de gener"),
        ("{count:>3} el {date}", {"count": 7, "date": D("1 de gener")}, "  7 l'1 de gener"),
    ],
)
def test_catalan_elides_the_article_before_a_date_parameter(
    template: str, params: dict[str, object], expected: str
) -> None:
    i18n.activate("ca")
    assert i18n.fill(template, **params) == expected


def test_a_text_that_starts_with_a_date_is_a_date_for_the_template_it_goes_into() -> None:
    """`{start} a {end}` inside `del {period}`: "de l'1 de gener a ..."."""
    i18n.activate("ca")
    period = i18n.fill("{start} a {end}", start=D("1 de gener"), end=D("11 de maig"))
    assert isinstance(period, i18n.DateText)
    assert i18n.fill("durant el període del {period}", period=period) == (
        "durant el període de l'1 de gener a 11 de maig"
    )
    assert not isinstance(i18n.fill("des del {start}", start=D("1 de gener")), i18n.DateText)


def test_babel_dates_are_marked_as_dates() -> None:
    from datetime import date, datetime

    i18n.activate("ca")
    assert isinstance(i18n.format_date(date(2025, 1, 1)), i18n.DateText)
    assert isinstance(i18n.format_datetime(datetime(2025, 1, 1, 19, 5), "short"), i18n.DateText)
    assert isinstance(i18n.format_value(datetime(2025, 1, 1, 19, 5)), i18n.DateText)


@pytest.mark.parametrize("language", ["es", "en"])
def test_other_languages_keep_the_template_as_it_is(language: str) -> None:
    i18n.activate(language)
    assert i18n.fill("el {date} de {month}", date=D("1 de enero"), month=D("abril")) == (
        "el 1 de enero de abril"
    )


def said(*args: str) -> str:
    """What a successful command said to the person (its notices go to stderr)."""
    code, _out, err = run(*args)
    assert code == 0, err
    return err


def _grant_workspace() -> None:
    """An English workspace with a grant and an active subcontract `casa-1`, in euros."""
    import os

    assert run("init", "w", "--locale", "en", "--currency", "EUR")[0] == 0
    os.chdir("w")
    ok("org", "add", "Fundació", "--kind", "funder", "--id", "funder")
    ok("org", "add", "Casa", "--kind", "community", "--id", "casa")
    ok(
        "grant", "new", "--funder", "funder", "--title", "Barri", "--amount", "100,000.00",
        "--from", "2025-01-01", "--to", "2025-12-31", "--id", "bs",
    )  # fmt: skip
    ok(
        "subcontract", "new", "--grant", "bs", "--partner", "casa", "--kind", "subaward",
        "--from", "2025-01-01", "--to", "2025-11-30", "--id", "casa-1",
        "--line", "personnel=1,000.00",
    )  # fmt: skip


TYPED = "Informe el 1 de gener, del 1 de maig i de 11 d'abril"


def test_a_typed_title_keeps_its_dates_while_the_message_elides_its_own(in_tmp: Path) -> None:
    """Catalan elides the template's `el` before a date it prints, never inside a title a
    person typed (the record is printed exactly as typed), and Spanish keeps `el 1`."""
    _grant_workspace()
    ok(
        "deliverable", "add", "--subcontract", "casa-1", "--title", TYPED,
        "--due", "2025-04-01", "--id", "informe",
    )  # fmt: skip
    out = said(
        "--locale", "ca", "deliverable", "submit", "informe", "--due", "2025-04-01",
        "--on", "2025-04-11",
    )  # fmt: skip
    assert (
        f"\"{TYPED}\", amb venciment l'1 d'abr. 2025, s'ha presentat l'11 d'abr. 2025,"
        " amb 10 dies de retard."
    ) in out
    risk = said(
        "--locale", "ca", "subcontract", "risk", "casa-1", "--level", "low",
        "--by", "Pere el 1 de gener", "--on", "2025-01-11",
    )  # fmt: skip
    assert "avaluat per Pere el 1 de gener l'11 de gen. 2025." in risk
    again = said(
        "--locale", "es", "subcontract", "risk", "casa-1", "--level", "low",
        "--by", "Pere el 1 de gener", "--on", "2025-01-11",
    )  # fmt: skip
    assert "por Pere el 1 de gener el 11 ene 2025" in again


def test_a_core_refusal_elides_its_date_in_catalan(in_tmp: Path) -> None:
    """A refusal from the core (rendered by `cli/_common.render`) joins its date to the
    article too: `que va començar l'1 de des.`, not `el 1 de des.`; Spanish keeps `el 1`."""
    assert run("init", "w", "--template", "partnership", "--locale", "en")[0] == 0
    import os

    os.chdir("w")
    ok("org", "add", "Casa", "--kind", "community", "--id", "casa")
    ok("person", "add", "Ana el 1 de gener", "--org", "casa", "--id", "ana")
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
        "2025-01-01",
    )
    ok(
        "meeting",
        "new",
        "--body",
        "nlg",
        "--at",
        "2026-12-01 18:00",
        "--notice-sent",
        "2026-11-20",
        "--id",
        "m2",
    )
    attend = ("meeting", "attend", "m2", "--person", "ana", "--at", "2026-12-11 10:00")
    ca = refused(Path.cwd(), "--locale", "ca", *attend)
    assert "que va començar l'1 de des. 2026, 18:00" in ca
    assert "el 1 de des" not in ca
    es = refused(Path.cwd(), "--locale", "es", *attend)
    assert "que empezó el 1 dic 2026, 18:00" in es


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


@pytest.mark.parametrize(
    ("code", "changes", "language", "expected"),
    [
        (
            "BL409",
            {"decisions.ordinary.notice_days": 1},
            "en",
            'decision "ordinary" gives 1 day\'s notice, less than the 7 days body "assembly"'
            " requires",
        ),
        (
            "BL409",
            {"decisions.ordinary.notice_days": 1},
            "es",
            'la decisión "ordinary" se convoca con 1 día de antelación, menos de lo que exige el'
            ' órgano "assembly" (7 días)',
        ),
        (
            "BL402",
            {"decisions.amend_bylaws.notice_days": 1, "bodies.assembly.notice_days": 1},
            "ca",
            "reformar els estatuts requereix convocar amb 1 dia d'antelació, menys del que"
            " requereixen les decisions ordinàries (7 dies)",
        ),
        (
            "BL304",
            {
                "bodies.board.seats": {"resident": 1, "agency": 3, "funder": 1},
                "bodies.board.quorum": {"count": 2, "min": {"resident": 2}},
            },
            "en",
            'quorum of body "board" requires 2 members of class "resident", but it has only'
            " 1 seat for it",
        ),
        (
            "BL303",
            {
                "bodies.board.seats": {"resident": 1, "funder": 1},
                "bodies.board.quorum": {"count": 2},
            },
            "es",
            'un quórum de 2 supera 1 puesto con voto del órgano "board"',
        ),
    ],
)
def test_a_finding_counts_each_number_it_names(
    code: str, changes: dict[str, object], language: str, expected: str
) -> None:
    """`gives 1 days' notice, less than the 7 days`: each number agrees with its noun."""
    from tests.test_lint_rules import findings_of, mutate

    if code == "BL402":  # the ordinary decisions' notice comes from their own decision
        changes = {**changes, "decisions.ordinary.notice_days": 7}
    i18n.activate(language)
    texts = [i18n.message_text(f.message) for f in findings_of(mutate(changes)) if f.code == code]
    assert texts == [expected]


@pytest.mark.parametrize(
    ("threshold", "ca", "es"),
    [
        ((1, 2), "més d'1/2 dels vots emesos", "más de 1/2 de los votos emitidos"),
        ((11, 20), "més d'11/20 dels vots emesos", "más de 11/20 de los votos emitidos"),
        ((2, 3), "més de 2/3 dels vots emesos", "más de 2/3 de los votos emitidos"),
        ((12, 20), "més de 3/5 dels vots emesos", "más de 3/5 de los votos emitidos"),
    ],
)
def test_catalan_elides_de_before_a_fraction_read_with_a_vowel(
    threshold: tuple[int, int], ca: str, es: str
) -> None:
    """'més de 1/2' is read 'més de un mig': Catalan writes 'més d'1/2' (and 'd'11/20');
    only the template's 'de' changes, and only in Catalan."""
    from fractions import Fraction

    from comunidad_cli.core.bylaws.describe import describe_rule
    from comunidad_cli.core.bylaws.model import Rule

    rule = Rule("r", Fraction(*threshold), True, "cast", "fails")
    i18n.activate("ca")
    assert i18n.message_text(describe_rule(rule)) == ca
    i18n.activate("es")
    assert i18n.message_text(describe_rule(rule)) == es


def test_a_catalan_line_has_one_apostrophe() -> None:
    """CLDR elides with ’ ("d’abril"), the catalogs with ' ("l'1"): a line mixed both."""
    from datetime import date

    i18n.activate("ca")
    line = i18n.fill("amb venciment el {due}", due=i18n.format_date(date(2025, 4, 1), "medium"))
    assert line == "amb venciment l'1 d'abr. 2025"
    assert "’" not in i18n.format_date(date(2025, 10, 11))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("arnau-sole", "el vot d'arnau-sole"),
        ("Esplai l'Espurna", "el vot d'Esplai l'Espurna"),
        ("Helena", "el vot d'Helena"),
        ("Òmnium", "el vot d'Òmnium"),
        ("Ivan", "el vot d'Ivan"),
        ("Pere", "el vot de Pere"),
        ("iogurt", "el vot de iogurt"),  # i before a vowel: a consonant
        ("Huelva", "el vot de Huelva"),  # hu before a vowel: a consonant
        ("12 de maig", "el vot de 12 de maig"),
    ],
)
def test_catalan_elides_de_before_a_name_or_id_read_with_a_vowel(value: str, expected: str) -> None:
    """A Catalan coordinator read "el vot de arnau-sole", "la personalitat jurídica de
    Esplai l'Espurna": the template's "de" elides before a vowel sound, through `fill` and
    through a catalog text's own `.format`; the name is printed as typed."""
    i18n.activate("ca")
    assert i18n.fill("el vot de {who}", who=value) == expected
    assert i18n.CatalanText("el vot de {who}").format(who=value) == expected
    i18n.activate("es")
    assert i18n.fill("el vot de {who}", who=value) == f"el vot de {value}"
    assert type(i18n._("Acta de {body}, {date}")) is str  # no wrapper outside Catalan


def test_a_catalan_confirmation_elides_before_an_organisation_typed_with_a_vowel(
    in_tmp: Path,
) -> None:
    assert run("init", "w", "--template", "xarxa")[0] == 0
    ok("--workspace", "w", "org", "add", "Esplai l'Espurna", "--kind", "community")
    out = ok(
        "--locale", "ca", "--workspace", "w", "learning", "record", "--org", "esplai-l-espurna"
    )
    assert "Registre d'aprenentatge d'Esplai l'Espurna (esplai-l-espurna)" in out
    out = ok(
        "--locale", "es", "--workspace", "w", "learning", "record", "--org", "esplai-l-espurna"
    )
    assert "de Esplai l'Espurna" in out
