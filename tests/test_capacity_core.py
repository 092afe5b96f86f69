"""Capacity instruments and scoring, the pure part: validation findings at line:col, the shipped
instrument in every language, domain scores (N/A, the half-answered threshold at its edge),
several raters and their spread, rounds, compare, weakest domains and the network view."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import pytest

from comunidad_cli.core.capacity.comparison import compare, network
from comunidad_cli.core.capacity.instrument import (
    LANGUAGES,
    Domain,
    Instrument,
    Item,
    Level,
    check_instrument,
    localized,
)
from comunidad_cli.core.capacity.scoring import (
    Assessment,
    answer_problem,
    domain_score,
    latest_round,
    parse_score,
    rounded,
    rounds,
    score_round,
    unanswered,
)
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.services.capacity.instruments import check_bytes

SHIPPED = "capacidad-organizacional.toml"
T = {"es": "x", "en": "x", "ca": "x"}


def shipped_text() -> str:
    return resources.files("comunidad_cli.instruments").joinpath(SHIPPED).read_text("utf-8")


def make_instrument(sizes: dict[str, int], na: bool = True) -> Instrument:
    """Domains named by `sizes` with that many items each: a1, a2 ... b1, b2 ..."""
    domains = tuple(
        Domain(name, T, tuple(Item(f"{name}{n}", T, na) for n in range(1, size + 1)))
        for name, size in sizes.items()
    )
    levels = tuple(Level(score, T, T) for score in (1, 2, 3, 4))
    return Instrument("mini", T, levels, domains, na)


# --- the shipped instrument ---------------------------------------------------------------------


def test_the_shipped_instrument_is_clean_and_complete() -> None:
    found = check_bytes(shipped_text().encode(), SHIPPED)
    assert found.findings == ()
    instrument = found.instrument
    assert instrument is not None and instrument.id == "capacidad-organizacional"
    assert [d.id for d in instrument.domains] == [
        "governance",
        "finance",
        "programs",
        "community",
        "people",
        "partnerships",
    ]
    assert all(4 <= len(d.items) <= 6 for d in instrument.domains)
    assert [level.score for level in instrument.levels] == [1, 2, 3, 4]
    assert len(set(instrument.item_ids)) == len(instrument.item_ids)


def test_every_text_of_the_shipped_instrument_is_in_every_language() -> None:
    instrument = check_instrument(tomllib.loads(shipped_text()))[0]
    assert instrument is not None
    texts = [instrument.name, instrument.description]
    texts += [t for level in instrument.levels for t in (level.label, level.description)]
    texts += [d.name for d in instrument.domains]
    texts += [i.text for d in instrument.domains for i in d.items]
    for text in texts:
        assert set(text) == set(LANGUAGES), text
        assert all(value.strip() for value in text.values())
    # and they are really translated, not copied
    governance = instrument.domains[0].name
    assert (governance["es"], governance["en"], governance["ca"]) == (
        "Gobernanza",
        "Governance",
        "Governança",
    )


def test_localized_falls_back() -> None:
    assert localized({"es": "Hola", "ca": "Hola!"}, "ca") == "Hola!"
    assert localized({"es": "Hola", "en": "Hello"}, "ca") == "Hello"
    assert localized({"es": "Hola"}, "en") == "Hola"


# --- validation, with positions -------------------------------------------------------------------

BAD = """\
schema = 1
id = "mini"
name = { es = "Mini", en = "Mini" }
colour = "red"
[scale.1]
label = { es = "a", en = "a", ca = "a" }
description = { es = "a", en = "a", ca = "a" }
[scale.2]
label = { es = "b", en = "b", ca = "b" }
description = { es = "b", en = "b", ca = "b" }
[scale.3]
label = { es = "c", en = "c", ca = "c" }
description = { es = "c", en = "c", fr = "c" }
[scale.5]
label = { es = "e", en = "e", ca = "e" }
description = { es = "e", en = "e", ca = "e" }
[domains.one]
name = { es = "Uno", en = "One", ca = "U" }
[domains.one.items.same]
text = { es = "t", en = "t", ca = "t" }
[domains.two]
name = { es = "Dos", en = "Two", ca = "Dos" }
[domains.two.items.same]
txt = { es = "t", en = "t", ca = "t" }
[domains.three]
name = "Three"
items = {}
"""


def located(text: str) -> list[tuple[str, int, int, str]]:
    found = check_bytes(text.encode(), "mini.toml")
    return [(f.code, f.line, f.col, f.message.render()) for f in found.findings]


def test_findings_are_located_at_line_and_column() -> None:
    findings = located(BAD)
    codes = {(code, line, col) for code, line, col, _m in findings}
    assert ("CI107", 3, 1) in codes  # name has no ca
    assert ("CI102", 4, 1) in codes  # colour
    assert ("CI108", 13, 37) in codes  # fr
    assert ("CI107", 13, 1) in codes  # ... so level 3 has no ca
    assert ("CI109", 14, 8) in codes  # level 5
    assert ("CI109", 5, 2) in codes  # level 4 missing: reported at the scale
    assert ("CI110", 23, 20) in codes  # "same" again, in domain two
    assert ("CI102", 24, 1) in codes  # txt
    assert ("CI101", 23, 20) in codes  # ... so text is missing
    assert ("CI103", 26, 8) in codes  # name = "Three": not a table of translations
    assert ("CI111", 27, 1) in codes  # items = {}
    messages = {(line, code): message for code, line, _c, message in findings}
    assert messages[(4, "CI102")].startswith('unknown key "colour" in (top level); allowed keys:')
    assert messages[(24, "CI102")].endswith('did you mean "text"?')
    assert messages[(3, "CI107")] == "name has no translation in ca"
    assert 'used in domain "one" already' in messages[(23, "CI110")]
    assert messages[(5, "CI109")].startswith("the scale lacks level 4")
    assert len(findings) == 11


def test_an_instrument_with_errors_has_no_model_and_warnings_alone_do() -> None:
    assert check_bytes(BAD.encode(), "mini.toml").instrument is None
    only_warning = shipped_text().replace(', ca = "Governança" }', " }", 1)
    found = check_bytes(only_warning.encode(), "w.toml")
    assert [f.code for f in found.findings] == ["CI107"]
    assert found.findings[0].severity == "warning"
    assert found.instrument is not None


def test_a_suggestion_for_a_misspelt_key() -> None:
    text = shipped_text().replace(
        "[domains.governance.items.gov-board]\n", "[domains.governance.items.gov-board]\ntetx = 1\n"
    )
    messages = [m for code, _l, _c, m in located(text) if code == "CI102"]
    assert messages == [
        'unknown key "tetx" in domains.governance.items.gov-board; did you mean "text"?'
    ]


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("schema = 2\n", "CI104", 1, 10),
        ("schema = 1\nid = \n", "CI001", 2, 6),
        ("", "CI003", 1, 1),
        ("schema = 1\nid = 'Mini Instrument'\n", "CI105", 2, 1),
    ],
)
def test_file_level_and_top_level_findings(text: str, code: str, line: int, col: int) -> None:
    assert (code, line, col) in {(c, li, co) for c, li, co, _m in located(text)}


def test_not_utf8_is_reported_with_its_position() -> None:
    found = check_bytes(b'schema = 1\nid = "caf\xe9"\n', "latin1.toml")
    assert [(f.code, f.line, f.col) for f in found.findings] == [("CI002", 2, 10)]


# --- answers ------------------------------------------------------------------------------------


def test_parse_score() -> None:
    assert [parse_score(v) for v in ("1", "4", "na", "N/A", "NA")] == [1, 4, None, None, None]
    for bad in ("0", "5", "2.5", "three", ""):
        with pytest.raises(Invalid):
            parse_score(bad)


def test_answer_problems() -> None:
    instrument = make_instrument({"a": 2})
    strict = Instrument("s", T, instrument.levels, (Domain("a", T, (Item("a1", T, False),)),))
    assert answer_problem(instrument, "a1", None) is None
    assert answer_problem(instrument, "a1", 4) is None
    unknown = answer_problem(instrument, "zz", 3)
    assert unknown is not None and "no item" in unknown.render()
    not_allowed = answer_problem(strict, "a1", None)
    assert not_allowed is not None and "N/A is not allowed" in not_allowed.render()
    assert unanswered(instrument, {"a2": None}) == ["a1"]


# --- scoring ------------------------------------------------------------------------------------


def test_domain_score_is_the_exact_mean_of_answered_items_without_na() -> None:
    domain = make_instrument({"a": 4}).domains[0]
    assert domain_score(domain, {"a1": 3, "a2": 4, "a3": 4, "a4": None}) == Fraction(11, 3)
    assert domain_score(domain, {"a1": 1, "a2": 2, "a3": 3, "a4": 4}) == Fraction(5, 2)


def test_half_answered_scores_and_one_less_does_not() -> None:
    four = make_instrument({"a": 4}).domains[0]
    assert domain_score(four, {"a1": 2, "a2": 3, "a3": None, "a4": None}) == Fraction(5, 2)
    assert domain_score(four, {"a1": 2, "a2": None, "a3": None, "a4": None}) is None
    five = make_instrument({"a": 5}).domains[0]
    assert domain_score(five, {"a1": 1, "a2": 2, "a3": 4}) == Fraction(7, 3)  # 3 of 5
    assert domain_score(five, {"a1": 1, "a2": 2, "a3": None, "a4": None, "a5": None}) is None
    assert domain_score(four, {"a1": None, "a2": None, "a3": None, "a4": None}) is None
    assert domain_score(four, {}) is None  # unanswered counts as not answered


def test_rounded_half_up_only_for_display() -> None:
    assert rounded(Fraction(11, 3)) == Decimal("3.67")
    assert rounded(Fraction(8, 3)) == Decimal("2.67")
    assert rounded(Fraction(2345, 1000)) == Decimal("2.35")  # half up, not to even
    assert rounded(Fraction(2, 1)) == Decimal("2.00")
    assert rounded(Fraction(-1, 8)) == Decimal("-0.13")
    assert rounded(Fraction(1, 1000)) == Decimal("0.00")


def a(rater: str, day: str, **answers: int | None) -> Assessment:
    return Assessment(rater, date.fromisoformat(day), answers)


def test_several_raters_mean_and_spread_with_the_latest_per_rater() -> None:
    instrument = make_instrument({"a": 2, "b": 2})
    result = score_round(
        instrument,
        [
            a("Ana", "2025-03-01", a1=1, a2=1, b1=4, b2=4),  # replaced by her later one
            a("ana ", "2025-03-10", a1=2, a2=3, b1=4, b2=None),
            a("Luis", "2025-03-05", a1=4, a2=4, b1=None, b2=None),
        ],
    )
    assert [x.rater for x in result.assessments] == ["ana ", "Luis"]
    governance, other = result.domains
    assert governance.by_rater == (("ana ", Fraction(5, 2)), ("Luis", Fraction(4)))
    assert governance.score == Fraction(13, 4)  # (2.5 + 4) / 2
    assert governance.spread == Fraction(3, 2)
    assert other.by_rater == (("ana ", Fraction(4)), ("Luis", None))  # Luis: none answered
    assert other.score == Fraction(4)
    assert other.spread is None  # one rater: no spread


def test_rounds_group_assessments_within_30_days_of_the_first() -> None:
    grouped = rounds(
        [
            a("A", "2024-03-31", a1=1),
            a("B", "2024-03-01", a1=1),
            a("C", "2024-04-01", a1=1),
            a("D", "2024-04-20", a1=1),
        ]
    )
    assert [[x.rater for x in g] for g in grouped] == [["B", "A"], ["C", "D"]]


def test_compare_the_latest_round_with_the_previous_one() -> None:
    instrument = make_instrument({"a": 2, "b": 2})
    comparison = compare(
        instrument,
        [
            a("Ana", "2024-03-01", a1=1, a2=2, b1=None, b2=None),
            a("Luis", "2024-03-10", a1=2, a2=2, b1=None, b2=3),
            a("Ana", "2025-03-02", a1=3, a2=3, b1=2, b2=2),
            a("Luis", "2025-03-09", a1=3, a2=4, b1=None, b2=None),
        ],
    )
    assert comparison.previous is not None and comparison.latest is not None
    assert comparison.previous.start == date(2024, 3, 1)
    first, second = comparison.changes
    assert (first.previous, first.latest, first.change) == (
        Fraction(7, 4),
        Fraction(13, 4),
        Fraction(3, 2),
    )
    assert (second.previous, second.latest, second.change) == (Fraction(3), Fraction(2), -1)
    only_one = compare(instrument, [a("Ana", "2025-03-02", a1=3, a2=3, b1=2, b2=2)])
    assert only_one.previous is None
    assert [c.change for c in only_one.changes] == [None, None]


def test_weakest_domains_lowest_first_ties_in_domain_order() -> None:
    instrument = make_instrument({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1})
    result = score_round(instrument, [a("Ana", "2025-01-01", a1=3, b1=2, c1=None, d1=2, e1=1)])
    assert [d.domain.id for d in result.weakest(3)] == ["e", "b", "d"]
    assert [d.domain.id for d in result.weakest(10)] == ["e", "b", "d", "a"]  # c has no score


def test_network_mean_across_organisations() -> None:
    instrument = make_instrument({"a": 2, "b": 2})
    view = network(
        instrument,
        [
            ("casa", [a("Ana", "2025-03-01", a1=1, a2=2, b1=4, b2=4)]),
            (
                "eastside",
                [
                    a("Luis", "2024-03-01", a1=1, a2=1, b1=1, b2=1),  # an older round: ignored
                    a("Luis", "2025-03-01", a1=3, a2=4, b1=None, b2=None),
                ],
            ),
            ("nuevo", []),
        ],
    )
    assert view.organisations == ("casa", "eastside", "nuevo")
    assert view.rounds[2] is None
    first, second = view.domains
    assert first.scores == (Fraction(3, 2), Fraction(7, 2), None)
    assert first.mean == Fraction(5, 2) and first.spread == 2 and first.organisations == 2
    assert second.scores == (Fraction(4), None, None)
    assert second.mean == 4 and second.spread is None
    assert [d.domain.id for d in view.weakest()] == ["a", "b"]
    assert latest_round(instrument, []) is None
