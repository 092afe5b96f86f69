"""A round serves the local improvement plan: `fund open` checks that every priority the
round serves is a need of the plan in force on the day of the call, and the "priority"
tie-break ranks by the needs' ranks in that plan (else by the order of `serves`)."""

from __future__ import annotations

import os
from pathlib import Path

from comunidad_cli.core.funds.evaluation import priority_rank
from comunidad_cli.services.funds.round_files import check_bytes
from tests.funds_fixtures import BOARD, EXAMPLE, workspace
from tests.helpers import ok, refused, run, write


def _round() -> object:
    found = check_bytes(EXAMPLE.encode("utf-8"), "round.toml").round
    assert found is not None
    return found


def test_priority_ranks_by_the_plan_in_force_else_by_serves() -> None:
    round_ = _round()
    # serves = espacios-publicos, seguridad-comunitaria, personas-mayores
    assert priority_rank(round_, "seguridad-comunitaria") == 2  # type: ignore[arg-type]
    plan = {"seguridad-comunitaria": 1, "personas-mayores": 2, "espacios-publicos": 3}
    assert priority_rank(round_, "seguridad-comunitaria", plan) == 1  # type: ignore[arg-type]
    assert priority_rank(round_, "espacios-publicos", plan) == 3  # type: ignore[arg-type]
    assert priority_rank(round_, "huertos", plan) is None  # type: ignore[arg-type]
    assert priority_rank(round_, None, plan) is None  # type: ignore[arg-type]


def _adopt_plan(root: Path, needs: list[tuple[str, int]]) -> str:
    """A plan of the board adopted on 2026-02-10 (before the round's call on 2026-03-02)."""
    key = ok(
        "plan", "new", "--body", "directorio", "--from", "2026-01-01", "--to", "2027-12-31",
        "--title", "Plan de mejoramiento",
    ).strip()  # fmt: skip
    for need, rank in needs:
        ok("plan", "need", key, "--id", need, "--name", need, "--evidence", "Diagnóstico",
           "--rank", str(rank))  # fmt: skip
    meeting = ok(
        "meeting", "new", "--body", "directorio", "--at", "2026-02-10 18:00",
        "--notice-sent", "2026-01-20",
    ).strip()  # fmt: skip
    for person in BOARD[:5]:
        ok("meeting", "attend", meeting, "--person", person, "--at", "18:00")
    out = ok("plan", "propose", key, "--meeting", meeting, "--at", "18:10")
    motion = next(w for w in out.split() if w.startswith(meeting))
    for person in BOARD[:5]:
        ok("motion", "vote", motion, "--person", person, "--choice", "yes", "--at", "18:20")
    ok("motion", "close", motion, "--at", "18:30")
    return key


def test_fund_open_checks_serves_against_the_plan_in_force(in_tmp: Path) -> None:
    root = workspace(in_tmp / "w", locale="en_US")
    os.chdir(root)
    path = write(root, "round.toml", EXAMPLE)
    # No plan in force on the call's day: opened, and said that serves was not checked.
    code, _, err = run("fund", "open", str(path))
    assert code == 0 and "No improvement plan of its body was in force" in err


def test_a_round_serving_a_need_the_plan_does_not_name_is_refused(in_tmp: Path) -> None:
    root = workspace(in_tmp / "w", locale="en_US")
    os.chdir(root)
    plan = _adopt_plan(root, [("seguridad-comunitaria", 1), ("espacios-publicos", 2)])
    path = write(root, "round.toml", EXAMPLE)
    err = refused(root, "fund", "open", str(path))
    assert (
        f"the round serves personas-mayores, which the plan {plan} in force on"
    ) in err and "its needs are seguridad-comunitaria, espacios-publicos" in err
    ok("plan", "amend", plan)
    code, _, err = run("fund", "open", str(path))
    assert code == 1  # the amendment is not in force until adopted


def test_a_round_serving_the_plans_needs_names_the_plan(in_tmp: Path) -> None:
    root = workspace(in_tmp / "w", locale="en_US")
    os.chdir(root)
    plan = _adopt_plan(
        root,
        [("seguridad-comunitaria", 1), ("personas-mayores", 2), ("espacios-publicos", 3)],
    )
    code, _, err = run("fund", "open", str(write(root, "round.toml", EXAMPLE)))
    assert code == 0, err
    assert f"The priorities it serves are needs of the plan {plan}." in err
