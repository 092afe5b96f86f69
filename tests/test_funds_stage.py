"""Where a round stands and the next command (`fund show`): every stage of the pure
`core/funds/stage.py` as data, then a round walked through its stages by the commands, on
whichever backend the suite runs on (its stage read from the data each time)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.core.funds.round import Dates
from comunidad_cli.core.funds.stage import STAGES, Proposal, RoundFacts, stage
from comunidad_cli.storage import dbapi
from tests.funds_fixtures import ROUND, apply, judge, meeting, open_round, sheet, workspace
from tests.helpers import database_of, ok, query, run

DATES = Dates(
    call=date(2026, 3, 2),
    applications_open=date(2026, 3, 16),
    applications_close=date(2026, 4, 17),
    admissibility=date(2026, 4, 30),
    appeals_until=date(2026, 5, 8),
    evaluation=date(2026, 5, 29),
    award=date(2026, 6, 12),
)
OPEN = Proposal("r-1", "m-1", None, "adjudicar_fondos")
ADOPTED = Proposal("r-1", "m-1", "adopted", "adjudicar_fondos")
AFTER = date(2026, 5, 20)

#: facts -> (code, the stage in words, the next command or None), in English
CASES = [
    (
        RoundFacts("r", date(2026, 3, 1), DATES),
        "not_open",
        "applications not open yet: from 2026-03-16 to 2026-04-17",
        "comunidad fund apply r --org ORG --project TITLE --amount MONEY",
    ),
    (
        RoundFacts("r", date(2026, 4, 17), DATES, applications=2, not_judged=2),
        "open",
        "applications open until 2026-04-17: 2 received",
        "comunidad fund apply r --org ORG --project TITLE --amount MONEY",
    ),
    (
        RoundFacts("r", date(2026, 4, 18), DATES),
        "no_applications",
        "applications closed on 2026-04-17 with none received",
        None,
    ),
    (
        RoundFacts("r", date(2026, 4, 18), DATES, applications=3, not_judged=1, admissible=2),
        "not_judged",
        "applications closed on 2026-04-17; 1 application not judged yet",
        "comunidad fund admissibility r --by NAME",
    ),
    (
        RoundFacts("r", AFTER, DATES, applications=3, appeals_pending=2, admissible=1),
        "appeals",
        "2 appeals to decide",
        "comunidad fund decide-appeal APPLICATION --admit --reason TEXT --by NAME (or --refuse)",
    ),
    (
        RoundFacts("r", AFTER, DATES, applications=3),
        "none_admissible",
        "no application is admissible: nothing to score or award",
        None,
    ),
    (
        RoundFacts(
            "r", AFTER, DATES, applications=3, admissible=2,
            missing=(("b", "beto"), ("a", "carla"), ("a", "beto")),
        ),
        "scoring",
        "2 admissible applications lack scores from 2 reviewers (evaluation until 2026-05-29)",
        "comunidad fund score a --reviewer beto --criterion C=N",
    ),
    (
        # after the evaluation date, what was scored is what counts: the flag is the step
        RoundFacts(
            "r", date(2026, 5, 30), DATES, applications=3, admissible=2,
            missing=(("a", "carla"),), flagged=1,
        ),
        "flagged",
        "1 application is flagged: too few reviewers, or totals too far apart without a"
        " consensus note",
        "comunidad fund rank r --explain",
    ),
    (
        RoundFacts("r", AFTER, DATES, applications=3, admissible=2),
        "ready",
        "ready to rank and award: 2 admissible applications",
        "comunidad fund award r --propose --meeting MEETING",
    ),
    (
        RoundFacts("r", AFTER, DATES, applications=3, admissible=2, proposal=OPEN),
        "proposed",
        "award r-1 proposed, awaiting the motion m-1 under the decision adjudicar_fondos",
        "comunidad motion vote m-1 --person PERSON --choice CHOICE, then comunidad motion close m-1",
    ),
    (
        RoundFacts("r", AFTER, DATES, admissible=2, proposal=ADOPTED, grant="g", funded=2),
        "adopted",
        "award r-1 adopted by motion m-1: 2 funded projects not contracted yet",
        "comunidad fund contract r",
    ),
    (
        RoundFacts("r", AFTER, DATES, admissible=2, proposal=ADOPTED, funded=1),
        "adopted",
        "award r-1 adopted by motion m-1: 1 funded project not contracted yet",
        "comunidad fund open FILE --grant GRANT",
    ),
    (
        RoundFacts(
            "r", AFTER, DATES, admissible=2, proposal=ADOPTED, grant="g", funded=2, contracted=2
        ),
        "contracted",
        "award r-1 adopted by motion m-1: its 2 funded projects are contracted",
        "comunidad fund report r",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "code", "text", "next_step"), CASES)
def test_every_stage_from_the_facts(
    facts: RoundFacts, code: str, text: str, next_step: str | None
) -> None:
    found = stage(facts)
    assert (
        found.code,
        found.text.render(),
        None if found.next is None else found.next.render(),
    ) == (
        code,
        text,
        next_step,
    )


def test_the_cases_cover_every_stage() -> None:
    assert {code for _, code, _, _ in CASES} == set(STAGES)


def _show(root: Path, at: str, locale: str = "en") -> dict[str, object]:
    with freeze_time(at):
        data = json.loads(
            ok("--workspace", str(root), "--locale", locale, "fund", "show", ROUND, "--json")
        )
    stage_data = data["stage"]
    assert isinstance(stage_data, dict)
    return stage_data


def _w(root: Path, at: str, *args: str) -> str:
    with freeze_time(at):
        return ok("--workspace", str(root), *args)


def test_a_round_walked_through_its_stages(in_tmp: Path) -> None:
    with freeze_time("2026-03-01 12:00"):
        root = workspace(in_tmp / "w")
        open_round(root)
    found = _show(root, "2026-03-01 12:00")
    assert found["code"] == "not_open" and found["applications"] == 0
    assert found["next"] == f"comunidad fund apply {ROUND} --org ORG --project TITLE --amount MONEY"

    apply(root, "a-plaza", "junta-1", "1000000", admissible=None)
    apply(root, "b-sede", "junta-2", "1000000", admissible=False)
    found = _show(root, "2026-04-02 12:00")
    assert (found["code"], found["applications"]) == ("open", 2)
    assert found["text"] == "applications open until April 17, 2026: 2 received"

    found = _show(root, "2026-04-20 12:00")
    assert (found["code"], found["not_judged"]) == ("not_judged", 1)
    assert found["next"] == f"comunidad fund admissibility {ROUND} --by NAME"
    with dbapi.transaction(database_of(root), write=True, check=lambda _: None, limit=5) as db:
        judge(db, int(db.value("SELECT id FROM fund_application WHERE key = 'a-plaza'")), True)

    _w(
        root,
        "2026-05-06 12:00",
        "fund",
        "appeal",
        "b-sede",
        "--text",
        "Reconsideren",
        "--by",
        "Sec",
    )
    found = _show(root, "2026-05-06 12:00")
    assert (found["code"], found["appeals_pending"]) == ("appeals", 1)
    _w(
        root, "2026-05-07 12:00", "fund", "decide-appeal", "b-sede", "--refuse",
        "--reason", "Sigue fuera de plazo", "--by", "Comisión",
    )  # fmt: skip

    found = _show(root, "2026-05-20 12:00")
    assert (found["code"], found["lacking_scores"], found["reviewers_owing"]) == ("scoring", 1, 3)
    assert found["next"] == "comunidad fund score a-plaza --reviewer ana --criterion C=N"
    for reviewer in ("ana", "beto"):
        _w(
            root, "2026-05-20 12:00", "fund", "score", "a-plaza", "--reviewer", reviewer,
            *(arg for c, n in sheet(4, 4, 4).items() for arg in ("--criterion", f"{c}={n}")),
        )  # fmt: skip
    found = _show(root, "2026-05-20 12:00", "es")
    assert (found["code"], found["reviewers_owing"]) == ("scoring", 1)
    assert found["text"] == (
        "1 postulación admisible sin puntajes de 1 evaluador"
        " (evaluación hasta el 29 de mayo de 2026)"
    )

    # the evaluation is over and carla's sheet never came: too few reviewers
    found = _show(root, "2026-06-01 12:00")
    assert (found["code"], found["flagged"]) == ("flagged", 1)
    assert found["next"] == f"comunidad fund rank {ROUND} --explain"
    _w(
        root, "2026-06-01 12:00", "fund", "score", "a-plaza", "--reviewer", "carla",
        "--on", "2026-05-25",
        *(arg for c, n in sheet(4, 4, 4).items() for arg in ("--criterion", f"{c}={n}")),
    )  # fmt: skip
    found = _show(root, "2026-06-01 12:00")
    assert (found["code"], found["admissible"]) == ("ready", 1)
    assert found["next"] == f"comunidad fund award {ROUND} --propose --meeting MEETING"

    with freeze_time("2026-06-12 18:05"):
        key = meeting(root)
        ok("--workspace", str(root), "fund", "award", ROUND, "--propose", "--meeting", key)
    found = _show(root, "2026-06-12 18:06")
    [(motion,)] = query(root, "SELECT key FROM motion")
    assert found["code"] == "proposed"
    assert found["text"] == (
        f"award {ROUND}-1 proposed, awaiting the motion {motion} under the decision"
        " adjudicar_fondos"
    )
    with freeze_time("2026-06-12 18:10"):
        for person in ("ana", "beto", "dora", "eli", "fede", "gabi", "hugo"):
            ok("--workspace", str(root), "motion", "vote", motion, "--person", person,
               "--choice", "yes")  # fmt: skip
        ok("--workspace", str(root), "motion", "close", motion)
    found = _show(root, "2026-06-12 18:20")
    assert (found["code"], found["funded"], found["contracted"]) == ("adopted", 1, 0)
    assert found["next"] == "comunidad fund open FILE --grant GRANT"  # no grant to pay from


def test_contracted_once_every_funded_project_is_a_subcontract(tmp_path: Path) -> None:
    from tests.test_funds_contracts import PLAZA, TALLER, _adopted_round

    folder = tmp_path / "ws"
    _adopted_round(folder, awards=(PLAZA, TALLER))
    w = ("--workspace", str(folder))
    with freeze_time("2026-06-13 12:00"):
        before = json.loads(ok(*w, "fund", "show", ROUND, "--json"))["stage"]
        ok(*w, "fund", "contract", ROUND)
        after = json.loads(ok(*w, "fund", "show", ROUND, "--json"))["stage"]
        text = ok(*w, "--locale", "ca", "fund", "show", ROUND)
    assert (before["code"], before["funded"], before["contracted"]) == ("adopted", 1, 0)
    assert before["next"] == f"comunidad fund contract {ROUND}"
    assert (after["code"], after["contracted"]) == ("contracted", 1)
    assert after["next"] == f"comunidad fund report {ROUND}"
    assert f"comunidad fund report {ROUND}" in text


def test_an_unknown_round_is_refused_naming_it(in_tmp: Path) -> None:
    with freeze_time("2026-03-01 12:00"):
        root = workspace(in_tmp / "w")
        open_round(root)
        code, _, err = run("--workspace", str(root), "fund", "show", "2026-barrio-activ")
    assert code == 1 and "2026-barrio-activo" in err and "Traceback" not in err


def test_closed_with_none_received_then_none_admissible(in_tmp: Path) -> None:
    with freeze_time("2026-03-01 12:00"):
        root = workspace(in_tmp / "w")
        open_round(root)
    found = _show(root, "2026-04-20 12:00")
    assert (found["code"], found["applications"], found["next"]) == ("no_applications", 0, None)
    with freeze_time("2026-04-20 12:00"):
        assert "next" not in ok("--workspace", str(root), "--locale", "en", "fund", "show", ROUND)
    apply(root, "b-sede", "junta-2", "1000000", admissible=False)
    found = _show(root, "2026-05-20 12:00")
    assert (found["code"], found["admissible"], found["next"]) == ("none_admissible", 0, None)


def test_fund_show_says_the_rules_in_force_and_when_the_file_says_otherwise(
    in_tmp: Path,
) -> None:
    """A Catalan tester lowered min_score in fondos/r.toml after opening the round; fund
    check was silent, fund show did not show the minimum, and fund rank judged under the
    text in force. fund show now gives the minimum score and the award mode in force, and a
    file in fondos/ that differs from that text is named, with what it takes to load it."""
    from tests.funds_fixtures import EXAMPLE

    with freeze_time("2026-03-01 12:00"):
        root = workspace(in_tmp / "w")
        open_round(root)
    folder = root / "fondos"
    folder.mkdir(exist_ok=True)
    (folder / f"{ROUND}.toml").write_text(EXAMPLE, encoding="utf-8")
    with freeze_time("2026-04-02 12:00"):
        code, out, err = run("--workspace", str(root), "--locale", "en", "fund", "show", ROUND)
    assert code == 0 and err == ""
    assert "minimum score" in out and "3.00" in out and "award mode" in out and "skip" in out
    changed = EXAMPLE.replace('min_score = "3"', 'min_score = "2"')
    (folder / f"{ROUND}.toml").write_text(changed, encoding="utf-8")
    with freeze_time("2026-04-02 12:00"):
        code, out, err = run("--workspace", str(root), "--locale", "en", "fund", "show", ROUND)
        data = json.loads(ok("--workspace", str(root), "fund", "show", ROUND, "--json"))
    assert code == 0 and "3.00" in out
    words = " ".join(err.split())
    assert "differs from the text in force (loaded " in words
    assert f'nothing changes until "comunidad fund open {folder / ROUND}.toml" loads it' in words
    assert "until applications close on Apr 17, 2026" in words
    assert data["in_force"]["file"] == "differs" and data["in_force"]["min_score"] == "3"
    with freeze_time("2026-04-20 12:00"):
        code, _out, err = run("--workspace", str(root), "--locale", "ca", "fund", "show", ROUND)
    words = " ".join(err.split())
    assert "les sol·licituds es van tancar el 17 d'abr. 2026" in words
    assert "les seves regles ja no canvien" in words
