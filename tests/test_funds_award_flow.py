"""From scores to an adopted award, through the commands: every award mode on a
hand-worked round, `--explain` and `--json`, the proposal put to the board as a motion with
the conflicted recused, refusals that write nothing, `fund awards`; and the property that
`best` never scores below the other modes and no mode gives a cent more than the budget."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from comunidad_cli.core.funds.award import AWARD_MODES, award
from comunidad_cli.core.funds.ranking import Candidate, rank
from tests.funds_fixtures import (
    ROUND,
    apply,
    frozen_fund,
    meeting,
    open_round,
    round_text,
    score,
    sheet,
    uniform,
    works_for,
    workspace,
)
from tests.helpers import dump, ok, query, run


@pytest.fixture
def fund(in_tmp: Path) -> Iterator[Path]:
    yield from frozen_fund(in_tmp)


#: Budget 5,000,000 pesos. Weights 2/5, 7/20, 1/4; every reviewer gives the same sheet:
#: A (5, 5, 3) = 4.5 asks 3,000,000; B (4, 4, 4) = 4 asks 2,500,000; C (4, 3, 3) = 3.4
#: asks 1,500,000; D (3, 3, 3) = 3 asks 1,000,000; E (2, 2, 2) = 2, below min_score 3.
HAND_WORKED = {
    "a-plaza": ("junta-1", "3000000", (5, 5, 3)),
    "b-sede": ("junta-2", "2500000", (4, 4, 4)),
    "c-huerto": ("club-3", "1500000", (4, 3, 3)),
    "d-taller": ("centro-4", "1000000", (3, 3, 3)),
    "e-mural": ("taller-5", "800000", (2, 2, 2)),
}
#: mode -> (application, outcome, given), in the award's order.
EXPECTED = {
    # A fits (2,000,000 left); B does not and is skipped; C fits (500,000 left); D does not
    "skip": [("funded", "3000000"), ("not_funded", "0"), ("funded", "1500000"), ("not_funded", "0")],
    # A fits; B does not: the award stops there
    "stop": [("funded", "3000000"), ("not_funded", "0"), ("not_funded", "0"), ("not_funded", "0")],
    # A fits; B gets what is left, 2,000,000 of 2,500,000, and the award ends
    "partial": [("funded", "3000000"), ("partial", "2000000"), ("not_funded", "0"), ("not_funded", "0")],
    # B + C + D = 5,000,000 for 4 + 3.4 + 3 = 10.4, above A + C (7.9) or A + D (7.5)
    "best": [("not_funded", "0"), ("funded", "2500000"), ("funded", "1500000"), ("funded", "1000000")],
}  # fmt: skip


def _hand_worked(root: Path, mode: str, **changes: str) -> None:
    open_round(root, round_text(budget="5000000", award_mode=f'"{mode}"', **changes))
    for key, (org, amount, points) in HAND_WORKED.items():
        apply(root, key, org, amount)
        uniform(root, key, points)


@pytest.mark.parametrize("mode", AWARD_MODES)
def test_every_award_mode_on_a_hand_worked_round(in_tmp: Path, mode: str) -> None:
    with freeze_time("2026-05-20 15:00"):
        root = workspace(in_tmp / "w", "en_US")
        _hand_worked(root, mode)
        data = json.loads(ok("--workspace", str(root), "fund", "award", ROUND, "--json"))
    lines = data["lines"]
    assert [line["application"] for line in lines] == list(HAND_WORKED)
    assert [(line["outcome"], line["given"]) for line in lines[:4]] == EXPECTED[mode]
    assert (lines[4]["outcome"], lines[4]["rank"], lines[4]["given"]) == (
        "below_minimum",
        None,
        "0",
    )
    assert sum(Decimal(line["given"]) for line in lines) == Decimal(data["given"]) <= 5000000
    assert [line["score"] for line in lines] == ["9/2", "4", "17/5", "3", "2"]


def test_award_explain_in_spanish_and_catalan(in_tmp: Path) -> None:
    with freeze_time("2026-05-20 15:00"):
        root = workspace(in_tmp / "w")
        _hand_worked(root, "partial")
        out = ok("--workspace", str(root), "fund", "award", ROUND, "--explain")
        ca = ok("--workspace", str(root), "--locale", "ca", "fund", "award", ROUND)
    assert out.splitlines()[:4] == [
        "1. a-plaza (Proyecto «a-plaza»): financiada, $3.000.000 de $3.000.000",
        "   financiada: lugar 1, puntaje 4,50, $3.000.000",
        "2. b-sede (Proyecto «b-sede»): financiada en parte, $2.000.000 de $2.500.000",
        "   financiada en parte: $2.000.000 de $2.500.000, lo que quedaba del presupuesto"
        " (lugar 2, puntaje 4,00)",
    ]
    assert "Presupuesto $5.000.000: $5.000.000 adjudicado, quedan $0 (modo parcial)." in out
    assert (
        "- e-mural (Proyecto «e-mural»): bajo el puntaje mínimo\n   bajo el puntaje mínimo: 2,00"
        in out
    )
    assert "(modo partial)" not in out and "(modo skip)" not in out
    assert "2. b-sede (Proyecto «b-sede»): finançada en part" in ca


def _adopt_flow(root: Path) -> str:
    """Scores on 20 May; on 12 June the board meets and the proposal is put to it."""
    workspace(root)
    os.chdir(root)
    open_round(root, round_text(budget="5000000", reviewers_per_application="2"))
    works_for(root, "hugo", "junta-2")  # on the board, his organisation applies
    for key, (org, amount, _) in list(HAND_WORKED.items())[:3]:
        apply(root, key, org, amount)
    ok("fund", "recuse", "b-sede", "--reviewer", "beto", "--reason", "Socio de la junta 2")
    uniform(root, "a-plaza", (5, 5, 3))
    score(root, "b-sede", {r: sheet(4, 4, 4) for r in ("ana", "carla")})
    uniform(root, "c-huerto", (4, 3, 3))
    with freeze_time("2026-06-12 18:30"):
        return meeting(root)


def test_the_proposal_is_a_motion_with_the_conflicted_recused(in_tmp: Path) -> None:
    fund = in_tmp / "w"
    with freeze_time("2026-05-20 15:00"):
        key = _adopt_flow(fund)
    with freeze_time("2026-06-12 18:30"):
        code, out, err = run(
            "fund", "award", ROUND, "--propose", "--meeting", key, "--at", "18:15", "--json"
        )
        assert code == 0, err
        data = json.loads(out)
        assert data["award"] == f"{ROUND}-1" and data["recused"] == ["beto", "hugo"]
        motion = data["motion"]
        recusals = query(
            fund,
            "select p.key, r.reason from recusal r join person p on p.id = r.person_id"
            " order by p.key",
        )
        assert recusals == [
            ("beto", "inhibición en «Proyecto «b-sede»» (b-sede): Socio de la junta 2"),
            (
                "hugo",
                "pertenece a Organización junta-2 (junta-2), que postula con «Proyecto «b-sede»»"
                " (b-sede)",
            ),
        ]
        [(decision, title)] = query(fund, "select decision, title from motion")
        assert (decision, title) == ("adjudicar_fondos", f"Adjudicación del concurso {ROUND}")
        [(mode, snapshot)] = query(fund, "select mode, snapshot from fund_award")
        kept = json.loads(snapshot)
        assert mode == "skip" and kept["motion"] == motion and kept["seed"] is not None
        assert [line["outcome"] for line in kept["lines"]] == ["funded", "not_funded", "funded"]
        # Reviewers' totals are kept as JSON objects, not as Python text.
        assert all(
            isinstance(total, dict) and set(total) == {"reviewer", "total", "shown"}
            for line in kept["lines"]
            for total in line["totals"]
        ) and any(line["totals"] for line in kept["lines"])
        assert query(fund, "select outcome, amount from fund_award_line order by id")[0][0] == (
            "funded"
        )
        listed = json.loads(ok("fund", "awards", ROUND, "--json"))
        assert [(a["award"], a["outcome"], a["stands"]) for a in listed] == [
            (f"{ROUND}-1", None, False)
        ]
        code, _, err = run(
            "motion", "vote", motion, "--person", "beto", "--choice", "yes", "--at", "18:20"
        )
        assert code == 1 and "beto" in err
        for person in ("ana", "dora", "eli", "fede"):
            ok("motion", "vote", motion, "--person", person, "--choice", "yes", "--at", "18:20")
        ok("motion", "close", motion, "--at", "18:25")
        listed = json.loads(ok("fund", "awards", ROUND, "--json"))
        assert [(a["outcome"], a["stands"], a["funded"]) for a in listed] == [("adopted", True, 2)]
        out = ok("fund", "awards", ROUND)
        assert out.startswith(f"{ROUND}-1 (") and "moción" in out and "rige" in out


def test_a_proposal_is_refused_while_flagged_or_not_judged(fund: Path) -> None:
    open_round(fund, round_text(budget="5000000"), key="otra")
    apply(fund, "plaza", "junta-1", "3000000", round_key="otra")
    apply(fund, "nunca", "junta-2", "1000000", admissible=None, round_key="otra")
    score(fund, "plaza", {"ana": sheet(5, 5, 5), "beto": sheet(2, 2, 2), "carla": sheet(4, 4, 4)})
    with freeze_time("2026-06-12 18:30"):
        key = meeting(fund)
        before = dump(fund)
        code, _, err = run("fund", "award", "otra", "--propose", "--meeting", key, "--at", "18:15")
        assert code == 1 and "nunca" in err and "fund admissibility" in err
    assert dump(fund) == before


def test_a_spread_without_a_note_blocks_the_proposal(fund: Path) -> None:
    open_round(fund, round_text(budget="5000000"), key="otra")
    apply(fund, "plaza", "junta-1", "3000000", round_key="otra")
    score(fund, "plaza", {"ana": sheet(5, 5, 5), "beto": sheet(2, 2, 2), "carla": sheet(4, 4, 4)})
    with freeze_time("2026-06-12 18:30"):
        key = meeting(fund)
        before = dump(fund)
        code, _, err = run("fund", "award", "otra", "--propose", "--meeting", key, "--at", "18:15")
        assert (
            code == 1
            and 'tiene alertas: plaza (Proyecto «plaza»); la comisión la resuelve (mira "comunidad fund rank")'
            in err
        )
        assert dump(fund) == before
        ok("fund", "note", "plaza", "--text", "Beto leyó otra versión", "--by", "Comisión")
        ok("fund", "award", "otra", "--propose", "--meeting", key, "--at", "18:15")
        assert len(query(fund, "select id from fund_award")) == 1
    assert run("fund", "award", "otra", "--propose")[0] == 2
    assert run("fund", "award", "otra", "--meeting", key)[0] == 2


# --- the property: best is best, and nobody gets a cent more than the budget ----------------

_AMOUNTS = st.integers(min_value=1, max_value=400).map(lambda n: Decimal(n) * 2500 / 100)
_SCORES = st.fractions(min_value=Fraction(3), max_value=Fraction(5), max_denominator=20)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_SCORES, _AMOUNTS), min_size=0, max_size=12),
    st.integers(min_value=0, max_value=500_000).map(lambda n: Decimal(n) / 100),
)
def test_best_never_scores_below_the_others_and_no_mode_overspends(
    asks: list[tuple[Fraction, Decimal]], budget: Decimal
) -> None:
    candidates = [Candidate(f"app-{i:02d}", s, amount) for i, (s, amount) in enumerate(asks)]
    ranking = rank(candidates, min_score=Fraction(3), tie_break=("smaller_amount",))
    results = {mode: award(ranking, budget, mode) for mode in AWARD_MODES}
    for mode, result in results.items():
        assert result.given <= budget, mode
        assert all(d.given <= d.candidate.amount for d in result.decisions), mode
    best = results["best"].total_score
    assert all(best >= r.total_score for r in results.values())


def test_a_proposal_closes_the_evaluation_until_its_motion_is_rejected(fund: Path) -> None:
    """Proposing freezes what the award is made from; a motion that rejects the proposal
    frees scores, recusals and notes for a new one."""
    apply(fund, "plaza", "junta-1", "3000000")
    uniform(fund, "plaza", 4)
    with freeze_time("2026-06-12 18:30"):
        key = meeting(fund)
        motion = json.loads(
            ok("fund", "award", ROUND, "--propose", "--meeting", key, "--at", "18:15", "--json")
        )["motion"]
        args = ("score", "plaza", "--reviewer", "ana", "--criterion", "viabilidad=5",
                "--on", "2026-05-20")  # fmt: skip
        code, _, err = run("fund", *args)
        assert code == 1 and "está propuesta" in err and "no votada aún" in err, err
        for person in ("ana", "dora", "eli", "fede", "gabi"):
            ok("motion", "vote", motion, "--person", person, "--choice", "no", "--at", "18:20")
        ok("motion", "close", motion, "--at", "18:25")
        ok("fund", *args)  # the proposal fell: the evaluation is open again
        assert len(query(fund, "select id from fund_score")) == 10


def test_no_proposal_before_evaluation_ends_while_a_sheet_is_owed(fund: Path) -> None:
    """The tester proposed on a day evaluation still ran: a reviewer still entitled to
    score would have been shut out."""
    open_round(fund, round_text(budget="5000000", reviewers_per_application="2"), key="otra")
    apply(fund, "plaza", "junta-1", "3000000", round_key="otra")
    apply(fund, "huerto", "huerto-6", "2000000", round_key="otra")
    uniform(fund, "plaza", 4)
    score(fund, "huerto", {r: sheet(3, 3, 3) for r in ("ana", "beto")})  # not flagged: 2 will do
    with freeze_time("2026-05-29 18:30"):
        key = meeting(fund, "2026-05-29", notice="2026-05-15")
        before = dump(fund)
        code, _, err = run("fund", "award", "otra", "--propose", "--meeting", key, "--at", "18:15")
        assert code == 1 and "1 hoja pendiente (carla: huerto (Proyecto «huerto»))" in err, err
        assert "29 de mayo de 2026" in err and dump(fund) == before
        code, _, err = run("--locale", "ca", "fund", "award", "otra", "--propose", "--meeting",
                           key, "--at", "18:15")  # fmt: skip
        assert code == 1 and "1 full pendent (carla: huerto (Proyecto «huerto»))" in err, err
        score(fund, "huerto", {"carla": sheet(3, 3, 3)})
        ok("fund", "award", "otra", "--propose", "--meeting", key, "--at", "18:15")


def test_a_recusal_names_the_funded_application_and_a_refused_vote_says_why(fund: Path) -> None:
    """The motion said dora "trabaja para" her junta "que postula con" its refused project,
    and her vote was refused as "(conflicto declarado)" though nobody declared anything."""
    apply(fund, "huerto", "junta-1", "1000000", admissible=False)
    apply(fund, "plaza", "junta-1", "3000000")
    uniform(fund, "plaza", 4)
    works_for(fund, "dora", "junta-1")  # a neighbour, member of the junta
    with freeze_time("2026-06-12 18:30"):
        key = meeting(fund)
        motion = json.loads(
            ok("fund", "award", ROUND, "--propose", "--meeting", key, "--at", "18:15", "--json")
        )["motion"]
        [(reason,)] = query(
            fund,
            "select r.reason from recusal r join person p on p.id = r.person_id"
            " where p.key = 'dora'",
        )
        assert reason == (
            "pertenece a Organización junta-1 (junta-1), que postula con «Proyecto «plaza»» (plaza)"
        )
        code, _, err = run(
            "motion", "vote", motion, "--person", "dora", "--choice", "yes", "--at", "18:20"
        )
        assert (
            code == 1 and f"moción {motion} (pertenece a Organización junta-1 (junta-1)" in err
        ), err
        assert "conflicto declarado" not in err
