"""Organisations and projects named as typed wherever a person reads a round's award: the
recusal reasons on the award's motion (and so in its minutes), the acta in Markdown and
HTML, the letters' sender, and the refusals that list applications; ids stay beside the
names, and in the JSON. A Catalan tester read 'pertany a "associacio-de-veins-l-esquerra",
que sol·licita amb "associacio-horts-urbans"' and letters "De: Plenari"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.funds_fixtures import (
    ROUND,
    apply,
    frozen_fund,
    meeting,
    score,
    sheet,
    uniform,
    works_for,
)
from tests.helpers import dump, ok, query, run
from tests.test_funds_outputs import _parsed, _ws

#: The organisation a board member belongs to (so recused on the award's motion), with
#: what Markdown and HTML must escape: markup, an ampersand, a table pipe, emphasis.
TIED = "Associació de Veïns l'Esquerra <b>&</b> | *1*"
#: The project it applies with, as `_ws` types it.
PROJECT = "Proyecto «b-sede» | *1*"
#: Each language's words for the tie and the letters' sender.
WORDS = {
    "es_CL": {
        "tie": f"Hugo se inhibió: pertenece a {TIED} (junta-2), que postula con «{PROJECT}» (b-sede)",
        "declared": f"Beto se inhibió: inhibición en «{PROJECT}» (b-sede): Socio de la junta 2",
        "from": "De: Directorio local, Directorio Local de Población Los Aromos",
        "legal": "Organización huerto-6 no tiene personalidad jurídica registrada: regístrala"
        ' con "comunidad org legal huerto-6 --number N',
    },
    "ca": {
        "tie": f"Hugo s'ha inhibit: pertany a {TIED} (junta-2), que sol·licita amb «{PROJECT}» (b-sede)",
        "declared": f"Beto s'ha inhibit: inhibició en «{PROJECT}» (b-sede): Socio de la junta 2",
        "from": "De: Directorio local, Directorio Local de Población Los Aromos",
        "legal": "Organización huerto-6 no té personalitat jurídica registrada: registreu-la"
        ' amb "comunidad org legal huerto-6 --number N',
    },
}


def _md(text: str) -> str:
    """`text` as the Markdown outputs escape people's text (read as typed once rendered)."""
    from comunidad_cli.render.text import markdown

    return markdown(text, line_start=False)


@pytest.fixture
def fund(in_tmp: Path) -> Iterator[Path]:
    yield from frozen_fund(in_tmp)


@pytest.mark.parametrize("locale", ["es_CL", "ca"])
def test_recusals_acta_and_minutes_name_the_organisation_and_project(
    in_tmp: Path, locale: str
) -> None:
    root = _ws(in_tmp / "w", locale, renamed={"junta-2": TIED})
    words = WORDS[locale]
    # stored on the motion as said: the name and title as typed, the ids beside them
    reasons = dict(
        query(root, "select p.key, r.reason from recusal r join person p on p.id = r.person_id")
    )
    assert reasons["hugo"] == words["tie"].split(": ", 1)[1]
    assert reasons["beto"] == words["declared"].split(": ", 1)[1]
    # the minutes of the award's motion, in Markdown and HTML
    minutes = ok("meeting", "minutes", "directorio-2026-06-12", "--format", "markdown")
    assert _md(words["tie"]) in minutes and 'junta-2"' not in minutes
    page = ok("meeting", "minutes", "directorio-2026-06-12", "--format", "html")
    assert "".join(_parsed(page).text).count(words["tie"]) == 1
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page and "<b>&" not in page
    # the acta: the motion's recusals, the reviewers' column and why each got what it got
    acta = ok("fund", "acta", ROUND)
    assert _md(words["tie"]) in acta and _md(words["declared"]) in acta
    assert f"b-sede ({_md(PROJECT)}): Socio de la junta 2" in acta
    assert f"- b-sede ({_md(PROJECT)}): " in acta
    assert "| b-sede | " + _md(TIED) + " | " in acta
    # an admissibility reason names the organisation, the command to type keeps its id
    assert f"- f-sede ({_md('Proyecto «f-sede» | *1*')}), d" in acta and words["legal"] in acta
    html = ok("fund", "acta", ROUND, "--format", "html")
    shown = "".join(_parsed(html).text)
    assert words["tie"] in shown and f"b-sede ({PROJECT}): Socio de la junta 2" in shown
    assert "<b>&" not in html
    # the JSON keeps ids, with the names beside them
    data = json.loads(ok("fund", "acta", ROUND, "--json"))
    line = next(x for x in data["lines"] if x["application"] == "b-sede")
    assert (line["organisation_id"], line["organisation"], line["project"]) == (
        "junta-2",
        TIED,
        PROJECT,
    )
    assert [(r["reviewer"], r["reason"]) for r in line["recused"]] == [
        ("beto", "Socio de la junta 2")
    ]


@pytest.mark.parametrize("locale", ["es_CL", "ca"])
def test_letters_say_whose_body_writes(in_tmp: Path, tmp_path: Path, locale: str) -> None:
    """Every board has a "Plenari": the letter names the by-laws it is the body of."""
    _ws(in_tmp / "w", locale)
    ok("fund", "letters", ROUND, "--dir", str(tmp_path / "md"))
    letter = (tmp_path / "md" / "a-plaza.md").read_text(encoding="utf-8")
    assert WORDS[locale]["from"] in letter
    assert WORDS[locale]["legal"] in (tmp_path / "md" / "f-sede.md").read_text(encoding="utf-8")
    assert "**Directorio local**\n\nDirectorio Local de Población Los Aromos\n\n" in letter
    ok("fund", "letters", ROUND, "--dir", str(tmp_path / "html"), "--format", "html")
    page = (tmp_path / "html" / "b-sede.html").read_text(encoding="utf-8")
    assert WORDS[locale]["from"] in "".join(_parsed(page).text)


def test_the_proposal_refused_names_the_applications_it_waits_for(fund: Path) -> None:
    """The refusals that list applications not judged or flagged say their projects."""
    apply(fund, "plaza", "junta-1", "3000000")
    apply(fund, "sede", "junta-2", "1000000", admissible=None)
    works_for(fund, "hugo", "junta-2")
    uniform(fund, "plaza", 4)
    with freeze_time("2026-06-12 18:30"):
        key = meeting(fund)
        before = dump(fund)
        for locale, said in (
            (
                "es_CL",
                "1 postulación aún no tiene juicio de admisibilidad: sede (Proyecto «sede»);",
            ),
            ("ca", "1 sol·licitud encara no té judici d'admissibilitat: sede (Proyecto «sede»);"),
        ):
            code, _, err = run(
                "--locale", locale, "fund", "award", ROUND, "--propose", "--meeting", key,
                "--at", "18:15",
            )  # fmt: skip
            assert code == 1 and said in err, err
        assert dump(fund) == before


def test_a_flagged_application_is_named_in_catalan(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    score(fund, "plaza", {"ana": sheet(5, 5, 5), "beto": sheet(2, 2, 2), "carla": sheet(4, 4, 4)})
    with freeze_time("2026-06-12 18:30"):
        key = meeting(fund)
        code, _, err = run(
            "--locale", "ca", "fund", "award", ROUND, "--propose", "--meeting", key, "--at",
            "18:15",
        )  # fmt: skip
        assert code == 1 and "1 sol·licitud té avisos: plaza (Proyecto «plaza»); la comissió" in err
