"""A round's outputs, through the commands end to end: a hand-worked round opened, applied
to, judged, scored, ranked, proposed and adopted by the board, then its acta (Markdown and
HTML: the ranking, reasons, recusals; a hostile organisation name printed as typed), its
public results without any reviewer's name (csv, json, md), and a letter per applicant in
Spanish and Catalan, never overwriting one without --force."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.render.fund_results import letter_blocks
from comunidad_cli.render.minutes import to_markdown
from comunidad_cli.services.funds.outputs import Line, Outputs
from tests.funds_fixtures import (
    BOARD,
    EXAMPLE,
    REVIEWERS,
    ROUND,
    meeting,
    round_text,
    sheet,
    works_for,
    workspace,
)
from tests.helpers import dump, execute, ok, run, write

#: The hostile name of one applying organisation: markup, a table pipe, emphasis.
HOSTILE = "<script>alert(1)</script> | Junta *Los* Pinos"
#: Budget 5,000,000 pesos, mode skip. Weights 2/5, 7/20, 1/4; every counted reviewer gives
#: the same sheet: a-plaza 4.5 asks 3,000,000 (funded); b-sede 4 asks 2,500,000 (does not
#: fit: not funded; beto recused, hugo on the board works for junta-2); d-taller and c-huerto
#: tie at 3.4 with the same participation, d-taller asks less (1,000,000: funded) and comes
#: first, c-huerto's 1,500,000 no longer fits; e-mural 2 (below the minimum 3); f-sede of
#: huerto-6 has no legal personality (not admissible).
APPS = {
    "a-plaza": ("pinos", "3.000.000", "600.000", (5, 5, 3)),
    "b-sede": ("junta-2", "2.500.000", "500.000", (4, 4, 4)),
    "c-huerto": ("club-3", "1.500.000", "300.000", (4, 3, 3)),
    "d-taller": ("centro-4", "1.000.000", "200.000", (4, 3, 3)),
    "e-mural": ("taller-5", "800.000", "200.000", (2, 2, 2)),
    "f-sede": ("huerto-6", "900.000", "200.000", None),
}


def _ws(
    root: Path, locale: str = "es_CL", note: bool = False, renamed: dict[str, str] | None = None
) -> Path:
    """The whole round through the commands, up to the adopted award (time moves on);
    `note`: a consensus note on a-plaza before the proposal; `renamed`: organisations given
    these names (id -> name) before anything is applied."""
    workspace(root, locale)
    os.chdir(root)
    for org, name in (renamed or {}).items():
        ok("org", "edit", org, "--name", name)
    (root / "fondos").mkdir()
    (root / "fondos" / f"{ROUND}.toml").write_text(
        round_text(budget="5000000", reviewers_per_application="2"), encoding="utf-8"
    )
    works_for(root, "hugo", "junta-2")
    with freeze_time("2026-03-10 12:00"):
        ok("fund", "open", f"fondos/{ROUND}.toml", "--by", "Ana")
        ok("org", "add", HOSTILE, "--kind", "community", "--id", "pinos")
        for org in ("pinos", "junta-2", "club-3", "centro-4", "taller-5"):
            ok("org", "legal", org, "--number", f"PJ-{org}", "--valid-until", "2027-12-31")
        for key, (org, amount, own, _) in APPS.items():
            ok(
                "fund", "apply", ROUND, "--org", org, "--project", f"Proyecto «{key}» | *1*",
                "--amount", amount, "--own", own, "--priority", "espacios-publicos",
                "--line", f"materiales={amount}", "--at", "2026-04-10 10:00", "--id", key,
            )  # fmt: skip
    with freeze_time("2026-04-30 12:00"):
        ok("fund", "admissibility", ROUND, "--on", "2026-04-30", "--by", "Comisión")
    with freeze_time("2026-05-20 15:00"):
        ok("fund", "recuse", "b-sede", "--reviewer", "beto", "--reason", "Socio de la junta 2")
        for key, (*_, points) in APPS.items():
            if points is None:
                continue
            for reviewer in REVIEWERS:
                if key == "b-sede" and reviewer == "beto":
                    continue
                ok(
                    "fund", "score", key, "--reviewer", reviewer,
                    *(a for c, n in sheet(*points).items() for a in ("--criterion", f"{c}={n}")),
                )  # fmt: skip
        ok("fund", "rank", ROUND)
    if note:
        with freeze_time("2026-05-21 12:00"):
            ok("fund", "note", "a-plaza", "--text", "Acordamos *mantener* los puntajes", "--by",
               "Comisión", "--criterion", "viabilidad")  # fmt: skip
    with freeze_time("2026-06-12 18:30"):
        key = meeting(root)
        data = json.loads(
            ok("fund", "award", ROUND, "--propose", "--meeting", key, "--at", "18:15", "--json")
        )
        motion = data["motion"]
        for person in ("ana", "dora", "eli", "fede", "gabi"):
            ok("motion", "vote", motion, "--person", person, "--choice", "yes", "--at", "18:20")
        ok("motion", "close", motion, "--at", "18:25")
    return root


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    """A round through to its adopted award (each test builds its own: the backend and the
    clean environment are per test)."""
    return _ws(in_tmp / "w")


class _Checker(HTMLParser):
    """Well-formed enough: every element closed in order (void elements aside)."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.open == [] and checker.scripts == 0
    return checker


def test_the_acta_shows_ranking_reasons_motion_and_recusals(ws: Path) -> None:
    out = ok("fund", "acta", ROUND)
    assert out.startswith("# Acta de adjudicación: Fondo Barrio Activo 2026\n")
    assert "rige" in out and "moción" in out
    # the ranking, scores rounded the locale's way, amounts in pesos
    assert "| 1 | a-plaza |" in out and "| 4,50 | $3.000.000 | $3.000.000 | financiada |" in out
    assert "| 2 | b-sede |" in out and "| 4,00 | $2.500.000 | $0 | no financiada |" in out
    assert "| 3 | d-taller |" in out and "| 4 | c-huerto |" in out
    assert (
        "- c-huerto (Proyecto «c-huerto» \\| \\*1\\*): empatada en 3,40 con d-taller (Proyecto «d-taller» \\| \\*1\\*), que pide un monto menor"
        in out
    )
    # why: the award's explanation and the hostile name escaped (pipes, emphasis, markup)
    assert "- a-plaza (Proyecto «a-plaza» \\| \\*1\\*): financiada: lugar 1, puntaje 4,50" in out
    assert "\\<script\\>alert(1)\\</script\\> \\| Junta \\*Los\\* Pinos" in out
    assert "<script>" not in out and "Proyecto «a-plaza» \\| \\*1\\*" in out
    assert (
        "e-mural (Proyecto «e-mural» \\| \\*1\\*): bajo el puntaje mínimo: 2,00, el concurso pide 3,00"
        in out
    )
    assert "Semilla del sorteo: " in out and "Modo de adjudicación: omitir: una postulación" in out
    assert (
        "Desempate, en orden: la prioridad del plan mejor ubicada, más puntos en Participación e involucramiento de vecinos"
        in out
    )
    assert "skip" not in out and "smaller_amount" not in out and "criterion:" not in out
    # the applications not admissible, with their reason
    assert (
        "## Postulaciones no admisibles" in out
        and "f-sede (Proyecto «f-sede» \\| \\*1\\*), de Organización huerto-6 (huerto-6):" in out
    )
    # the motion: votes and the recusals as the minutes show them
    assert "Votos: sí 5" in out and "**Resultado: APROBADA**" in out
    assert (
        "Beto se inhibió: inhibición en «Proyecto «b-sede» \\| \\*1\\*» (b-sede): Socio de la junta 2"
        in out
    )
    assert "Hugo se inhibió: pertenece a Organización junta-2 (junta-2), que postula con" in out
    # the reviewers, their recusals and each one's totals
    assert (
        "| Beto | a-plaza, d-taller, c-huerto, e-mural"
        " | b-sede (Proyecto «b-sede» \\| \\*1\\*): Socio de la junta 2 |" in out
    )
    assert "| b-sede | Carla | 4,00 |" in out and "| b-sede | Beto |" not in out


def test_the_acta_in_html_is_well_formed_and_escapes_people_text(ws: Path) -> None:
    page = ok("fund", "acta", ROUND, "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and "http" not in page.split("<body>")[0]
    checker = _parsed(page)
    assert HOSTILE in "".join(checker.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | Junta *Los* Pinos" in page


def test_the_acta_json_and_a_proposal_not_adopted(ws: Path) -> None:
    data = json.loads(ok("fund", "acta", ROUND, "--json"))
    assert data["award"] == f"{ROUND}-1" and data["stands"] is True
    assert data["tally"]["outcome"] == "adopted"
    lines = {line["application"]: line for line in data["lines"]}
    assert lines["a-plaza"]["score_exact"] == "9/2" and lines["a-plaza"]["awarded"] == "3000000"
    assert [r["reviewer"] for r in lines["b-sede"]["recused"]] == ["beto"]
    assert lines["f-sede"]["outcome"] == "inadmissible"
    assert lines["f-sede"]["admissibility_reasons"]
    code, _, err = run("fund", "acta", ROUND, "--award", "nope")
    assert code == 1 and f"{ROUND}-1" in err
    with freeze_time("2026-06-12 18:40"):  # a later proposal, its motion still open
        ok("fund", "award", ROUND, "--propose", "--meeting", "directorio-2026-06-12", "--at",
           "18:35")  # fmt: skip
    out = ok("fund", "acta", ROUND)  # the one that stands, the other named
    assert (
        "esta adjudicación rige" in out and f"Otras propuestas de este concurso: {ROUND}-2" in out
    )
    later = ok("fund", "acta", ROUND, "--award", f"{ROUND}-2")
    assert "PROPUESTA AÚN NO ADOPTADA" in later and "abierta" in later
    assert json.loads(ok("fund", "results", ROUND, "--json"))["award"] == f"{ROUND}-1"
    assert run("fund", "acta", ROUND, "--format", "pdf")[0] == 2


def test_results_name_no_reviewer_in_any_format(ws: Path) -> None:
    names = [p.capitalize() for p in set(REVIEWERS) | set(BOARD)]
    outputs = {
        "md": ok("fund", "results", ROUND),
        "csv": ok("fund", "results", ROUND, "--format", "csv"),
        "json": ok("fund", "results", ROUND, "--format", "json"),
    }
    for shown in outputs.values():
        for name in names:
            assert name not in shown
        for key in set(REVIEWERS) | set(BOARD):
            assert f'"{key}"' not in shown and f",{key}," not in shown
    # the CSV as the other exports write one in es_CL: ";", a decimal comma, Spanish words
    assert outputs["csv"].splitlines()[0] == (
        "Postulación;Organización;Proyecto;Prioridad;Admisible;Lugar;"
        "Puntuación;Solicitado;Adjudicado;Resultado"
    )
    rows = list(csv.DictReader(io.StringIO(outputs["csv"]), delimiter=";"))
    assert [(r["Postulación"], r["Lugar"], r["Resultado"], r["Adjudicado"]) for r in rows] == [
        ("a-plaza", "1", "financiada", "3000000"),
        ("b-sede", "2", "no financiada", "0"),
        ("d-taller", "3", "financiada", "1000000"),
        ("c-huerto", "4", "no financiada", "0"),
        ("e-mural", "", "bajo el puntaje mínimo", "0"),
        ("f-sede", "", "no admisible", "0"),
    ]
    assert rows[0]["Organización"] == HOSTILE
    # no cell a spreadsheet would open as a date: the exact 9/2 is in the JSON only
    assert not re.search(r"(^|;)\d+/\d+(;|$)", outputs["csv"], re.M)
    assert json.loads(outputs["json"])["results"][0]["score"] == "9/2"
    assert rows[0]["Puntuación"] == "4,50" and rows[2]["Puntuación"] == "3,40"
    assert rows[5]["Admisible"] == "no" and rows[0]["Admisible"] == "sí"
    assert rows[0]["Prioridad"] == "espacios-publicos"
    english = ok("fund", "results", ROUND, "--format", "csv", "--locale", "en")
    assert english.startswith("Application,Organisation,") and ",4.50," in english
    data = json.loads(outputs["json"])
    assert data["results"][0]["organisation"] == HOSTILE
    assert "\\<script\\>" in outputs["md"] and "| 4,50 |" in outputs["md"]
    assert json.loads(ok("fund", "results", ROUND, "--json")) == data


def test_letters_for_each_outcome_in_spanish_and_catalan(ws: Path, tmp_path: Path) -> None:
    ok("fund", "letters", ROUND, "--dir", str(tmp_path / "es"))
    es = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "es").iterdir()}
    assert sorted(es) == sorted(APPS)
    assert "financiado con $3.000.000" in es["a-plaza"]
    assert "Informe de avance: plazo el 15 de septiembre de 2026" in es["a-plaza"]
    assert "| Pertinencia con el plan de mejoramiento | 40 % | 5,00 / 5 |" in es["a-plaza"]
    assert "no financiada" in es["b-sede"] and "lugar 2" in es["b-sede"]
    assert "bajo el mínimo de 3,00" in es["e-mural"]
    assert "no fue admisible" in es["f-sede"] and "8 de mayo de 2026" in es["f-sede"]
    for letter in es.values():  # who gave what stays out: no reviewer's name
        assert "Ana" not in letter and "Beto" not in letter and "Carla" not in letter
    ok("--locale", "ca", "fund", "letters", ROUND, "--dir", str(tmp_path / "ca"), "--format",
       "html")  # fmt: skip
    ca = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "ca").iterdir()}
    assert 'lang="ca"' in ca["a-plaza"] and "Fons Barri Actiu 2026" in ca["a-plaza"]
    assert "finançat amb" in ca["a-plaza"] and "Informe d&#x27;avanç" in ca["a-plaza"]
    assert "no va ser admissible" in ca["f-sede"]
    for page in ca.values():
        _parsed(page)


def test_letters_never_overwrite_without_force(ws: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cartas"
    folder.mkdir()
    (folder / "b-sede.md").write_text("a mano", encoding="utf-8")
    (folder / "e-mural.md").write_text("a mano", encoding="utf-8")
    code, _, err = run("fund", "letters", ROUND, "--dir", str(folder))
    assert code == 1 and "b-sede.md" in err and "e-mural.md" in err and "--force" in err
    assert sorted(p.name for p in folder.iterdir()) == ["b-sede.md", "e-mural.md"]
    assert (folder / "b-sede.md").read_text(encoding="utf-8") == "a mano"
    ok("fund", "letters", ROUND, "--dir", str(folder), "--force")
    assert len(list(folder.iterdir())) == len(APPS)
    assert (folder / "b-sede.md").read_text(encoding="utf-8") != "a mano"
    assert not list(folder.glob(".*.tmp"))
    path = tmp_path / "acta.md"
    ok("fund", "acta", ROUND, "-o", str(path))
    assert run("fund", "acta", ROUND, "-o", str(path))[0] == 1
    ok("fund", "acta", ROUND, "-o", str(path), "--force")


def test_before_adoption_the_acta_says_proposal_and_results_are_refused(in_tmp: Path) -> None:
    root = in_tmp / "w"
    workspace(root)
    os.chdir(root)
    (root / "fondos").mkdir()
    (root / "fondos" / f"{ROUND}.toml").write_text(round_text(budget="5000000"), encoding="utf-8")
    with freeze_time("2026-03-10 12:00"):
        ok("fund", "open", f"fondos/{ROUND}.toml")
        code, _, err = run("fund", "acta", ROUND)
        assert code == 1 and "fund award" in err
        ok("org", "legal", "junta-1", "--number", "PJ-1", "--valid-until", "2027-12-31")
        ok(
            "fund", "apply", ROUND, "--org", "junta-1", "--project", "Plaza", "--amount",
            "1.000.000", "--own", "200.000", "--priority", "espacios-publicos", "--line",
            "materiales=1.000.000", "--at", "2026-04-10 10:00", "--id", "plaza",
        )  # fmt: skip
    with freeze_time("2026-04-30 12:00"):
        ok("fund", "admissibility", ROUND, "--on", "2026-04-30")
    with freeze_time("2026-05-20 15:00"):
        for reviewer in REVIEWERS:
            ok("fund", "score", "plaza", "--reviewer", reviewer, "--criterion", "pertinencia=4",
               "--criterion", "participacion=4", "--criterion", "viabilidad=4")  # fmt: skip
    with freeze_time("2026-06-12 18:30"):
        key = meeting(root)
        ok("fund", "award", ROUND, "--propose", "--meeting", key, "--at", "18:15")
        out = ok("fund", "acta", ROUND)
        assert "PROPUESTA AÚN NO ADOPTADA" in out
        before = dump(root)
        for args in (("results", ROUND), ("letters", ROUND, "--dir", str(in_tmp / "l"))):
            code, _, err = run("fund", *args)
            assert code == 1 and "ninguna adjudicación rige" in err and f"{ROUND}-1" in err
        assert not (in_tmp / "l").exists() and dump(root) == before


@pytest.mark.parametrize(
    "command",
    [
        "check", "list", "show", "applications", "admissibility", "rank", "award", "awards",
        "report", "acta", "results", "letters",
    ],
)  # fmt: skip
def test_every_read_command_of_fund_has_json(command: str) -> None:
    code, out, _ = run("fund", command, "--help")
    assert code == 0 and "--json" in out


def _outputs(line: Line, stands: bool = True) -> Outputs:
    from comunidad_cli.services.funds.round_files import check_bytes

    model = check_bytes(EXAMPLE.encode("utf-8"), f"{ROUND}.toml").round
    assert model is not None
    return Outputs(
        round=model, award=f"{ROUND}-2", proposed_at=datetime(2026, 6, 12, 22, 15, tzinfo=UTC),
        mode="partial", seed=None, budget=Decimal(24000000), given=Decimal(2000000),
        stands=stands, motion="m-1", motion_outcome="adopted" if stands else None,
        meeting="directorio-2026-06-12", lines=(line,), people={"ana": "Ana"},
    )  # fmt: skip


def _line(**changes: object) -> Line:
    fields: dict[str, object] = dict(
        application="b-sede", organisation="junta-2", organisation_name="Junta «Dos»",
        project="Sede", priority="espacios-publicos", admissible=True, admissibility_reasons=(),
        on_appeal=False, rank=2, score=Fraction(4), asked=Decimal(2500000),
        given=Decimal(2000000), outcome="partial", reason=None, tie=None,
        criteria={"pertinencia": Fraction(9, 2), "participacion": Fraction(4)},
        totals=(("ana", Fraction(4)),), recused=(),
    )  # fmt: skip
    fields.update(changes)
    return Line(**fields)  # type: ignore[arg-type]


def test_a_letter_funded_in_part_gives_both_amounts_and_the_reports() -> None:
    from comunidad_cli import i18n

    i18n.activate("es_CL")
    text = to_markdown(letter_blocks(_outputs(_line()), _line()))
    assert "Su proyecto es financiado en parte: $2.000.000 de los $2.500.000 solicitados." in text
    assert "| Pertinencia con el plan de mejoramiento | 40 % | 4,50 / 5 |" in text
    assert "| Viabilidad y presupuesto | 25 % | — |" in text  # no points: never guessed
    assert "Rendición de cuentas final: plazo el 15 de diciembre de 2026." in text
    assert "Ana" not in text
    i18n.activate("ca")
    refused = _line(
        admissible=False, rank=None, score=None, given=Decimal(0), outcome="inadmissible",
        on_appeal=True, criteria={}, totals=(),
        admissibility_reasons=(Msg.of(N_("the amount asked, {amount}, is below the round's"
                                         " minimum of {minimum}"),
                                      amount=Decimal(500000), minimum=Decimal(800000)),),
    )  # fmt: skip
    text = to_markdown(letter_blocks(_outputs(refused), refused))
    assert "no va ser admissible" in text and "es va prendre sobre la vostra" in text
    assert "500.000" in text and "800.000" in text


def test_a_file_that_cannot_be_written_is_a_message(ws: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cartas"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = run("fund", "letters", ROUND, "--dir", str(blocker))
    assert code == 1 and "cartas" in err and "Traceback" not in err
    path = tmp_path / "resultados.csv"
    ok("fund", "results", ROUND, "--format", "csv", "-o", str(path))
    assert path.read_bytes().startswith("\ufeffPostulación;Organización;".encode())


def test_times_are_the_workspace_clocks_across_midnight_utc(ws: Path) -> None:
    # 01:03 UTC on 13 June is 21:03 on 12 June in Santiago (UTC-4 in winter)
    config = ws / "comunidad.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'timezone = ".*"', 'timezone = "America/Santiago"', text))
    assert "America/Santiago" in config.read_text(encoding="utf-8")
    with freeze_time("2026-06-13 01:03"):
        ok("fund", "award", ROUND, "--propose", "--meeting", "directorio-2026-06-12", "--at",
           "21:00")  # fmt: skip
    awards = ok("fund", "awards", ROUND)
    assert f"{ROUND}-2 (12-06-2026, 21:03)" in awards and "13-06" not in awards
    assert f"{ROUND}-1 (12-06-2026, 14:30)" in awards
    assert json.loads(ok("fund", "awards", ROUND, "--json"))[1]["proposed_at"] == (
        "2026-06-12T21:03:00-04:00"
    )
    acta = ok("fund", "acta", ROUND, "--award", f"{ROUND}-2")
    assert "12-06-26, 21:03" in acta and "13-06" not in acta
    html = ok("fund", "acta", ROUND, "--award", f"{ROUND}-2", "--format", "html")
    assert "12-06-26, 21:03" in html


def test_the_acta_has_the_consensus_notes(in_tmp: Path) -> None:
    """The notes the award was made with are in its acta (later ones are refused: the
    evaluation is closed once the award is proposed)."""
    _ws(in_tmp / "w", note=True)
    acta = ok("fund", "acta", ROUND)
    assert "## Notas de consenso" in acta
    assert (
        '- a-plaza (Proyecto «a-plaza» \\| \\*1\\*), criterio viabilidad: "Acordamos \\*mantener\\* los puntajes" (Comisión,'
        in acta
    )


def test_award_explain_gives_the_reasons_of_the_inadmissible(ws: Path) -> None:
    out = ok("fund", "award", ROUND, "--explain")
    assert (
        "- f-sede (Proyecto «f-sede» | *1*): no admisible\n   huerto-6 no tiene personalidad" in out
    )
    assert "(modo omitir)" in out


def test_letters_have_place_date_sender_signature_and_names(ws: Path, tmp_path: Path) -> None:
    with freeze_time("2026-06-15 15:00"):
        ok("fund", "letters", ROUND, "--dir", str(tmp_path / "es"), "--place", "Peñalolén")
    letter = (tmp_path / "es" / "a-plaza.md").read_text(encoding="utf-8")
    assert "Peñalolén, 15 de junio de 2026" in letter
    assert "De: Directorio local, Directorio Local de Población Los Aromos" in letter
    assert letter.rstrip().endswith("Fondo Barrio Activo 2026")
    assert "Atentamente,\n\n" + "—" * 24 + "\n\n**Directorio local**" in letter
    refused = (tmp_path / "es" / "f-sede.md").read_text(encoding="utf-8")
    assert "Organización huerto-6 no tiene personalidad" in refused
    assert "Atentamente," in refused


def test_a_refusal_in_a_letter_names_organisations_and_projects_as_typed() -> None:
    from comunidad_cli import i18n
    from comunidad_cli.core.messages import NP_

    i18n.activate("es_CL")
    earlier = _line(application="jjvv-plaza", project="Plaza «Los Aromos»", outcome="funded")
    reason = Msg.counted(
        NP_(
            "{org} may make {count} application to this round, and {earlier} came first",
            "{org} may make {count} applications to this round, and {earlier} came first",
        ),
        "count",
        org="junta-2",
        count=1,
        earlier="jjvv-plaza",
    )
    refused = _line(
        admissible=False, rank=None, score=None, given=Decimal(0), outcome="inadmissible",
        criteria={}, totals=(), admissibility_reasons=(reason,),
    )  # fmt: skip
    outputs = _outputs(refused)
    outputs = Outputs(**{**{f: getattr(outputs, f) for f in Outputs.__slots__}, "lines": (refused, earlier)})  # type: ignore[arg-type]  # fmt: skip
    text = to_markdown(letter_blocks(outputs, refused, written_on=datetime(2026, 6, 15).date()))
    assert "Junta «Dos» puede hacer 1 postulación" in text and "junta-2" not in text
    assert "Plaza «Los Aromos»" in text and "jjvv-plaza" not in text
    assert "15 de junio de 2026" in text


def test_after_the_award_the_evaluation_is_closed_and_letters_keep_its_figures(
    ws: Path, tmp_path: Path
) -> None:
    """The tester scored after the award was adopted: 3 scores were recorded and the
    ranking moved, and a regenerated letter mixed the old total with new criterion means."""
    before = dump(ws)
    with freeze_time("2026-06-13 10:00"):
        for args in [
            ("score", "a-plaza", "--reviewer", "ana", "--criterion", "viabilidad=5",
             "--on", "2026-05-20"),
            ("recuse", "a-plaza", "--reviewer", "carla", "--reason", "Vecina"),
            ("note", "a-plaza", "--text", "Acordado", "--by", "Comisión"),
        ]:  # fmt: skip
            code, _, err = run("fund", *args)
            assert code == 1 and "Traceback" not in err, (args, err)
            assert "fue adoptada (moción" in err and "quedan como estaban" in err, err
        sheet_file = write(tmp_path, "hojas.csv", "application,reviewer,criterion,points,"
                           "scored_on\na-plaza,ana,viabilidad,5,2026-05-20\n")  # fmt: skip
        code, out, err = run("import", "fund-scores", str(sheet_file), "--round", ROUND)
        assert code == 1 and "fue adoptada" in out + err
    assert dump(ws) == before
    ok("fund", "letters", ROUND, "--dir", str(tmp_path / "antes"))
    # a score written behind the commands' back (as before the lock existed) changes
    # nothing the letters say: the criterion table is the proposal's
    execute(
        ws,
        "insert into fund_score (application_id, person_id, criterion, points, scored_at)"
        " select a.id, p.id, 'pertinencia', 1, '2026-06-13 10:00:00' from fund_application a,"
        " person p where a.key = 'a-plaza' and p.key = 'ana'",
    )
    ok("fund", "letters", ROUND, "--dir", str(tmp_path / "despues"))
    letter = (tmp_path / "despues" / "a-plaza.md").read_text(encoding="utf-8")
    assert "| Pertinencia con el plan de mejoramiento | 40 % | 5,00 / 5 |" in letter
    assert letter == (tmp_path / "antes" / "a-plaza.md").read_text(encoding="utf-8")
