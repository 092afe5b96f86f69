"""The evaluation of a round through the commands: who may score (the reviewers' body),
recusal by tie and by declaration, scores within the rubric and the dates, consensus notes,
totals and the spread flag, `fund rank` with its tie-breaks, and `import fund-scores`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.storage import dbapi
from tests.funds_fixtures import (
    REVIEWERS,
    ROUND,
    apply,
    frozen_fund,
    open_round,
    round_text,
    rows,
    score,
    sheet,
    uniform,
    works_for,
    workspace,
)
from tests.helpers import database_of, dump, ok, query, run, write


@pytest.fixture
def fund(in_tmp: Path) -> Iterator[Path]:
    yield from frozen_fund(in_tmp)


def _rank(*options: str) -> dict[str, object]:
    return json.loads(ok("fund", "rank", ROUND, "--json", *options))


def test_scores_make_totals_and_the_ranking(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    apply(fund, "huerto", "huerto-6", "2000000")
    # weights 2/5, 7/20, 1/4: (5, 4, 3) -> 2 + 1.4 + 0.75 = 4.15; (3, 3, 3) -> 3
    score(fund, "plaza", {"ana": sheet(5, 4, 3), "beto": sheet(5, 4, 3), "carla": sheet(4, 4, 4)})
    uniform(fund, "huerto", 3)
    data = _rank()
    ranked = data["ranked"]
    assert [(r["rank"], r["application"]) for r in ranked] == [(1, "plaza"), (2, "huerto")]
    # carla: 1.6 + 1.4 + 1 = 4; the mean of 4.15, 4.15 and 4 is 4.1 exactly
    assert ranked[0]["score"] == "41/10" and ranked[0]["score_shown"] == "4.10"
    assert [t["total"] for t in ranked[0]["totals"]] == ["83/20", "83/20", "4"]
    assert ranked[0]["flags"] == [] and data["unranked"] == []
    out = ok("fund", "rank", ROUND, "--explain")
    assert out.startswith("1. plaza (Proyecto «plaza»): 4,10\n   ana: puntaje ponderado 4,15\n")


def test_a_later_score_replaces_the_earlier_which_stays_as_history(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    uniform(fund, "plaza", 3)
    ok("fund", "score", "plaza", "--reviewer", "ana", "--criterion", "pertinencia", "--points", "5")
    assert len(rows(fund, "fund_score")) == 10
    [line] = _rank()["ranked"]
    assert [t["total"] for t in line["totals"]] == ["19/5", "3", "3"]  # 3 + 2/5 x 2


def test_the_standing_sheets_are_the_standing_scores_grouped(fund: Path) -> None:
    # `fund rank` reads sheets grouped by ids (storage/funds/evaluation.py standing_sheets);
    # they must hold what `scores` (the import's reading) holds: the latest of each criterion
    from comunidad_cli.storage.funds.evaluation import scores, standing_sheets

    apply(fund, "plaza", "junta-1", "3000000")
    apply(fund, "huerto", "junta-2", "1000000")
    uniform(fund, "plaza", 3)
    uniform(fund, "huerto", (4, 2, 5))
    ok("fund", "score", "plaza", "--reviewer", "ana", "--criterion", "pertinencia", "--points", "5")
    ok("fund", "score", "plaza", "--reviewer", "ana", "--criterion", "pertinencia", "--points", "1")
    with dbapi.transaction(database_of(fund), write=False, check=lambda _: None, limit=5) as db:
        round_id = int(db.value("SELECT id FROM fund_round"))
        grouped: dict[tuple[str, str], dict[str, int]] = {}
        for app, person, criterion, points in scores(db, round_id):
            grouped.setdefault((app, person), {})[criterion] = points
        sheets = standing_sheets(db, round_id)
    assert sheets == grouped and len(sheets) == 6
    assert sheets[("plaza", "ana")]["pertinencia"] == 1


def test_only_the_reviewers_body_scores_and_its_refusals_write_nothing(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    apply(fund, "nunca", "junta-2", "1000000", admissible=None)
    apply(fund, "fuera", "club-3", "1000000", admissible=False)
    before = dump(fund)
    cases = [
        (("plaza", "--reviewer", "dora", "--criterion", "pertinencia=3"), "dora no tiene asiento"),
        (("nunca", "--reviewer", "ana", "--criterion", "pertinencia=3"), "fund admissibility"),
        (("fuera", "--reviewer", "ana", "--criterion", "pertinencia=3"), "no es admisible"),
        (
            ("plaza", "--reviewer", "ana", "--criterion", "belleza=3"),
            'no tiene el criterio "belleza"',
        ),
        (("plaza", "--reviewer", "ana", "--criterion", "pertinencia=6"), "da de 1 a 5"),
        (
            ("plaza", "--reviewer", "nadie", "--criterion", "pertinencia=3"),
            'no hay ninguna persona "nadie"',
        ),
    ]
    for args, said in cases:
        code, _, err = run("fund", "score", *args)
        assert code == 1, args
        assert said in err and "Traceback" not in err, err
    assert run("fund", "score", "plaza", "--reviewer", "ana", "--criterion", "pertinencia")[0] == 2
    assert dump(fund) == before


def test_the_reviewers_body_named_by_the_round(in_tmp: Path) -> None:
    with freeze_time("2026-05-20 15:00"):
        root = workspace(in_tmp / "w", "en_US")
        open_round(root, round_text(reviewers_body='"directorio"'))
        apply(root, "plaza", "junta-1", "3000000")
        code, _, err = run("--workspace", str(root), "fund", "score", "plaza", "--reviewer",
                           "carla", "--criterion", "pertinencia=3")  # fmt: skip
        assert code == 1 and "carla holds no seat on directorio" in err
        ok("--workspace", str(root), "fund", "score", "plaza", "--reviewer", "dora",
           "--criterion", "pertinencia=3")  # fmt: skip


def test_no_score_after_the_evaluation_date(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    with freeze_time("2026-05-30 09:00"):
        code, _, err = run(
            "fund", "score", "plaza", "--reviewer", "ana", "--criterion", "viabilidad=3"
        )
    assert code == 1 and rows(fund, "fund_score") == []
    assert "del 18 de abril de 2026 al 29 de mayo de 2026: 30 de mayo de 2026 queda fuera" in err


def test_a_paper_sheet_scored_inside_the_window_is_typed_in_later(fund: Path) -> None:
    """The tester typed in the commission's paper sheets after evaluation ended: the day
    the sheet was scored decides, and the recording instant stays the real one."""
    apply(fund, "plaza", "junta-1", "3000000")
    with freeze_time("2026-06-02 10:00"):
        ok("fund", "score", "plaza", "--reviewer", "ana", "--criterion", "viabilidad=3",
           "--on", "2026-05-20")  # fmt: skip
        for day, said in [
            ("2026-05-30", "30 de mayo de 2026 queda fuera"),
            ("2026-04-17", "17 de abril de 2026 queda fuera"),
            ("2026-06-03", "3 de junio de 2026 está en el futuro"),
        ]:
            code, _, err = run("fund", "score", "plaza", "--reviewer", "beto", "--criterion",
                               "viabilidad=3", "--on", day)  # fmt: skip
            assert code == 1 and said in err and "Traceback" not in err, (day, err)
    [(_, _, _, criterion, points, at)] = rows(fund, "fund_score")
    assert (criterion, points) == ("viabilidad", 3) and str(at).startswith("2026-06-02")
    [detail] = query(fund, "select detail from audit_event where command = 'fund score'")
    assert json.loads(detail[0])["on"] == "2026-05-20"


def test_recused_by_tie_and_by_declaration(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    works_for(fund, "beto", "junta-1")
    code, _, err = run(
        "fund", "score", "plaza", "--reviewer", "beto", "--criterion", "viabilidad=3"
    )
    assert code == 1 and "pertenece a Organización junta-1 (junta-1)" in err
    ok(
        "fund",
        "recuse",
        "plaza",
        "--reviewer",
        "carla",
        "--reason",
        "Mi hermana <b>preside</b> la junta",
    )
    code, _, err = run(
        "fund", "score", "plaza", "--reviewer", "carla", "--criterion", "viabilidad=3"
    )
    assert code == 1 and "Mi hermana <b>preside</b> la junta" in err
    assert run("fund", "recuse", "plaza", "--reviewer", "carla", "--reason", "otra vez")[0] == 1
    assert query(fund, "select reason from fund_recusal") == [
        ("Mi hermana <b>preside</b> la junta",)
    ]
    # one reviewer left: fewer than the three the round asks, so flagged, and shown so
    score(fund, "plaza", {"ana": sheet(4, 4, 4)})
    [line] = _rank()["ranked"]
    assert line["flags"] == [
        'la postulación "plaza" tiene 1 evaluador que cuenta, menos de los que exige el concurso'
    ]
    assert {r["reviewer"] for r in line["recused"]} == {"beto", "carla"}
    out = ok("fund", "rank", ROUND, "--explain")
    assert "   ! la postulación" in out and "carla se inhibió: Mi hermana <b>preside</b>" in out


def test_spread_flagged_until_a_consensus_note(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    # max_spread 1.5: totals 5 and 3 differ by 2
    score(fund, "plaza", {"ana": sheet(5, 5, 5), "beto": sheet(3, 3, 3), "carla": sheet(4, 4, 4)})
    [line] = _rank()["ranked"]
    assert line["flags"] == [
        'postulación "plaza": los totales de los evaluadores difieren en 2,00: hace falta una'
        " nota de consenso"
    ]
    assert (
        run("fund", "note", "plaza", "--text", "x", "--by", "Ana", "--criterion", "belleza")[0] == 1
    )
    ok("fund", "note", "plaza", "--text", "Acordamos *mantener* los puntajes", "--by", "Comisión")
    assert _rank()["ranked"][0]["flags"] == []
    assert query(fund, 'select text, "by" from fund_consensus_note') == [
        ("Acordamos *mantener* los puntajes", "Comisión")
    ]


def test_below_the_minimum_inadmissible_and_not_judged_are_shown_apart(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    apply(fund, "baja", "junta-2", "1000000")
    apply(fund, "fuera", "club-3", "1000000", admissible=False)
    apply(fund, "nunca", "centro-4", "1000000", admissible=None)
    uniform(fund, "plaza", 4)
    uniform(fund, "baja", 2)
    data = _rank()
    assert [r["application"] for r in data["ranked"]] == ["plaza"]
    assert [(u["application"], u["reason"]) for u in data["unranked"]] == [
        ("baja", "bajo el puntaje mínimo: 2,00, el concurso pide 3,00"),
        ("fuera", "no admisible"),
    ]
    assert data["not_judged"] == ["nunca"]
    out = ok("fund", "rank", ROUND)
    assert "Sin ordenar:\n- baja (Proyecto «baja»): bajo el puntaje mínimo" in out
    assert "Aún sin juicio de admisibilidad: nunca (Proyecto «nunca»)" in out


def test_each_tie_break(in_tmp: Path) -> None:
    cases = [
        ('["priority"]', {"priority": "personas-mayores"}, {"priority": "espacios-publicos"},
         "sirve a una prioridad mejor ubicada"),
        ('["smaller_amount"]', {"amount": "2000000"}, {"amount": "1500000"}, "pide un monto menor"),
        ('["earlier_submission"]', {}, {"submitted": True}, "se presentó antes"),
        ('["criterion:participacion"]', {"points": (4, 3, 4)}, {"points": (5, 4, 1)},
         'tiene más puntaje en "participacion"'),
    ]  # fmt: skip
    from datetime import timedelta

    from tests.funds_fixtures import SUBMITTED

    for n, (chain, first, second, said) in enumerate(cases):
        with freeze_time("2026-05-20 15:00"):
            root = workspace(in_tmp / f"w{n}")
            open_round(root, round_text(tie_break=chain))
            for key, org, given in (("a-uno", "junta-1", first), ("b-dos", "junta-2", second)):
                apply(
                    root,
                    key,
                    org,
                    str(given.get("amount", "2000000")),
                    priority=str(given.get("priority", "espacios-publicos")),
                    submitted=SUBMITTED - timedelta(hours=1)
                    if given.get("submitted")
                    else SUBMITTED,
                )
                points = given.get("points", (4, 4, 4))
                assert isinstance(points, tuple)
                uniform(root, key, points)
            data = json.loads(ok("--workspace", str(root), "fund", "rank", ROUND, "--json"))
        ranked = data["ranked"]
        assert [r["application"] for r in ranked] == ["b-dos", "a-uno"], chain
        assert ranked[0]["score"] == ranked[1]["score"]
        assert said in ranked[1]["tie"], (chain, ranked[1]["tie"])


def test_the_lottery_seed_given_or_drawn_and_shown(fund: Path) -> None:
    for key, org in (("a-uno", "junta-1"), ("b-dos", "junta-2"), ("c-tres", "club-3")):
        apply(fund, key, org, "2000000")
        uniform(fund, key, 4)
    code, out, err = run("fund", "rank", ROUND, "--json")  # the example: priority ... lottery
    assert code == 0
    seed = json.loads(out)["seed"]
    assert f"--seed {seed}" in err and json.loads(out)["seed_drawn"] is True
    again = _rank("--seed", seed)
    assert [r["application"] for r in again["ranked"]] == [
        r["application"] for r in json.loads(out)["ranked"]
    ]
    assert again["seed_drawn"] is False
    assert f'sorteo de semilla "{seed}"' in again["ranked"][1]["tie"]


def test_the_seed_is_shown_only_when_the_lottery_decided_a_tie(fund: Path) -> None:
    """ "Semilla del sorteo: X. Regístrala" was printed on every rank and award, even with
    no application at all."""
    for command in ("rank", "award"):
        code, out, err = run("fund", command, ROUND)
        assert code == 0 and "Semilla" not in err, (command, err)
    apply(fund, "a-uno", "junta-1", "2000000")
    apply(fund, "b-dos", "junta-2", "2000000")
    uniform(fund, "a-uno", 4)
    uniform(fund, "b-dos", 3)  # no tie: the lottery decides nothing
    for command in ("rank", "award"):
        code, out, err = run("fund", command, ROUND, "--json")
        assert code == 0 and "Semilla" not in err, (command, err)
        data = json.loads(out)
        assert data["seed_drawn"] is True and data["lottery_decided"] is False
    uniform(fund, "b-dos", 4)  # now tied on everything before the lottery
    code, out, err = run("fund", "award", ROUND, "--json")
    assert code == 0 and "Semilla del sorteo: " in err and json.loads(out)["lottery_decided"]


def test_import_fund_scores_all_or_nothing_and_again(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    apply(fund, "nunca", "junta-2", "1000000", admissible=None)
    works_for(fund, "carla", "junta-1")
    good = "application,reviewer,criterion,points\n" + "".join(
        f"plaza,{r},{c},4\n"
        for r in ("ana", "beto")
        for c in ("pertinencia", "participacion", "viabilidad")
    )
    bad = (
        good
        + "plaza,carla,viabilidad,4\nplaza,ana,belleza,3\nplaza,beto,viabilidad,9\nnunca,ana,viabilidad,3\n"
    )
    before = dump(fund)
    code, _, err = run("import", "fund-scores", str(write(fund, "bad.csv", bad)), "--round", ROUND)
    assert code == 1
    assert "bad.csv:8:" in err and "pertenece a Organización junta-1 (junta-1)" in err
    assert "bad.csv:9:" in err and "belleza" in err
    assert "bad.csv:10:" in err and "9" in err
    assert "bad.csv:11:" in err and "fund admissibility" in err
    assert dump(fund) == before
    path = write(fund, "good.csv", good)
    ok("import", "fund-scores", str(path), "--round", ROUND)
    assert len(rows(fund, "fund_score")) == 6
    ok("import", "fund-scores", str(path), "--round", ROUND)  # again: nothing new
    assert len(rows(fund, "fund_score")) == 6
    changed = good.replace("plaza,ana,viabilidad,4", "plaza,ana,viabilidad,5")
    ok("import", "fund-scores", str(write(fund, "changed.json", _json(changed))), "--round", ROUND)
    assert len(rows(fund, "fund_score")) == 7  # the change is a new row; the earlier stays


def _json(csv_text: str) -> str:
    head, *lines = csv_text.strip().splitlines()
    names = head.split(",")
    return json.dumps([dict(zip(names, line.split(","), strict=True)) for line in lines])


def test_catalan_and_english(fund: Path) -> None:
    apply(fund, "baja", "junta-2", "1000000")
    uniform(fund, "baja", 2)
    out = ok("--locale", "ca", "fund", "rank", ROUND)
    assert "Sense ordenar:" in out and "per sota de la puntuació mínima" in out
    out = ok("--locale", "en", "fund", "rank", ROUND)
    assert (
        "Not ranked:\n- baja (Proyecto «baja»): below the minimum score: 2.00, the round asks 3.00"
        in out
    )
    assert REVIEWERS[0] == "ana"


def test_recuse_and_note_say_what_they_recorded(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    code, out, err = run(
        "fund", "recuse", "plaza", "--reviewer", "carla", "--reason", "Socia de la *junta*"
    )
    assert (code, out) == (0, "")
    assert err == 'carla se inhibió en plaza: "Socia de la *junta*".\n'
    code, out, err = run("fund", "note", "plaza", "--text", "Acordado", "--by", "Comisión")
    assert (code, out, err) == (0, "", "Nota de consenso registrada en plaza.\n")
    code, out, err = run(
        "fund", "note", "plaza", "--text", "Acordado", "--by", "Ana", "--criterion", "viabilidad"
    )
    assert (code, out) == (0, "")
    assert err == "Nota de consenso registrada en plaza, criterio viabilidad.\n"


def test_points_with_a_decimal_comma_say_points_are_whole(fund: Path) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    code, _, err = run(
        "fund", "score", "plaza", "--reviewer", "ana", "--criterion", "pertinencia=4,5"
    )
    assert code == 2
    assert "N puntos enteros en el criterio C (pertinencia=4)" in err
    assert rows(fund, "fund_score") == []


@pytest.mark.parametrize(
    "header",
    [
        "postulación;evaluador;criterio;puntos",
        "postulación;evaluadora;criterio;puntaje",
        "sol·licitud;avaluador;criteri;punts",
    ],
)
def test_import_fund_scores_reads_spanish_and_catalan_headers(fund: Path, header: str) -> None:
    apply(fund, "plaza", "junta-1", "3000000")
    path = write(fund, "puntajes.csv", f"{header}\nplaza;ana;viabilidad;4\n")
    code, _, err = run("import", "fund-scores", str(path), "--round", ROUND)
    assert code == 0, err
    assert len(rows(fund, "fund_score")) == 1


def test_a_tie_and_the_explanations_name_the_project_beside_the_id(fund: Path) -> None:
    """`fund rank --explain` and `fund award --explain` said "b-dos" alone: the person
    reading them had to look each id up. The title is beside it, as typed, in the reader's
    words; --json keeps the ids and adds `project`."""
    for key, org in (("a-uno", "junta-1"), ("b-dos", "junta-2")):
        apply(fund, key, org, "2000000")
        uniform(fund, key, 4)
    out = ok("fund", "rank", ROUND, "--explain", "--seed", "s")
    data = json.loads(ok("fund", "rank", ROUND, "--json", "--seed", "s"))
    first, second = data["ranked"]
    assert f"1. {first['application']} (Proyecto «{first['application']}»): 4,00" in out
    assert (first["project"], second["project"]) == (
        f"Proyecto «{first['application']}»",
        f"Proyecto «{second['application']}»",
    )
    tie = f"empatada en 4,00 con {first['application']} (Proyecto «{first['application']}»)"
    assert second["tie"].startswith(tie), second["tie"]
    assert f"   {second['tie']}" in out
    award = json.loads(ok("fund", "award", ROUND, "--json", "--seed", "s"))
    assert [line["project"] for line in award["lines"]] == [
        f"Proyecto «{line['application']}»" for line in award["lines"]
    ]
    explained = ok("--locale", "en", "fund", "award", ROUND, "--explain", "--seed", "s")
    assert f"2. {second['application']} (Proyecto «{second['application']}»): funded" in explained
    assert f"tied at 4.00 with {first['application']} (Proyecto «{first['application']}»)" in (
        explained
    )
