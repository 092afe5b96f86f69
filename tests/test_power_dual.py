"""Dual majority (by-laws schema 2, power sharing): the class's own count, worked by hand.

The board: residents r0..r4 and agencies a0..a3, all voting. The body's rule is more than
half of the votes cast; the dual majority asks the same (or what a row says) among residents.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pytest

from comunidad_cli.core.bylaws.model import Bylaws, build
from comunidad_cli.core.governance.model import Choice, Outcome, Seat, Vote
from comunidad_cli.core.governance.tally import Tally, tally

DAY = date(2026, 3, 12)
AT = datetime(2026, 3, 12, 18, 45)
Y, N, A = Choice.YES, Choice.NO, Choice.ABSTAIN
RES = [f"r{i}" for i in range(5)]
AGE = [f"a{i}" for i in range(4)]


def bylaws(dual: Mapping[str, Any] | None, **rule: Any) -> Bylaws:
    r: dict[str, Any] = {"threshold": "1/2", "strict": True, "base": "cast", **rule}
    if dual is not None:
        r["dual"] = dict(dual)
    return build(
        {
            "schema": 2 if dual is not None else 1,
            "id": "t",
            "name": "T",
            "classes": {
                "resident": {"name": "Residents", "votes": True},
                "agency": {"name": "Agencies", "votes": True},
            },
            "bodies": {"board": {"name": "Board", "seats": {"resident": 5, "agency": 4}}},
            "rules": {"r": r},
            "decisions": {"d": {"body": "board", "rule": "r"}},
            "roles": {"chair": {"name": "Chair", "body": "board"}},
        }
    )


SEATS = [Seat(p, "board", "resident", date(2025, 1, 1), None) for p in RES] + [
    Seat(p, "board", "agency", date(2025, 1, 1), None) for p in AGE
]
RES_MAJ = {"class": "resident", "threshold": "1/2", "strict": True}


def judge(
    b: Bylaws,
    votes: Mapping[str, Choice],
    *,
    present: set[str] | None = None,
    recused: frozenset[str] = frozenset(),
    proxied: Mapping[str, str] | None = None,
    chair: Choice | None = None,
) -> Tally:
    room = set(RES + AGE) if present is None else present
    cast = [Vote(p, c, AT, (proxied or {}).get(p)) for p, c in votes.items()]
    return tally(b, "d", SEATS, frozenset(room), recused, cast, DAY, chair)


def by(res: list[Choice], age: list[Choice]) -> dict[str, Choice]:
    return {**dict(zip(RES, res, strict=False)), **dict(zip(AGE, age, strict=False))}


@pytest.mark.parametrize(
    ("res", "age", "outcome", "dual"),
    [
        # residents 3-2 for, agencies 4 against: the body says no (3 of 9); residents met.
        ([Y, Y, Y, N, N], [N, N, N, N], Outcome.REJECTED, (3, 2, 5, 3, True)),
        # agencies 4 for carry the body 6-3, but residents 2-3: no majority among them.
        ([Y, Y, N, N, N], [Y, Y, Y, Y], Outcome.REJECTED, (2, 3, 5, 3, False)),
        # residents tie 2-2 (one abstains): "more than half" of 4 is 3, not met.
        ([Y, Y, N, N, A], [Y, Y, Y], Outcome.REJECTED, (2, 2, 4, 3, False)),
        # both majorities: body 7-2, residents 3-2.
        ([Y, Y, Y, N, N], [Y, Y, Y, Y], Outcome.ADOPTED, (3, 2, 5, 3, True)),
        # abstentions don't count under "cast": residents 1-0 with four abstaining.
        ([Y, A, A, A, A], [Y, Y, N], Outcome.ADOPTED, (1, 0, 1, 1, True)),
        # no resident votes at all: never met with no yes.
        ([], [Y, Y, Y, Y], Outcome.REJECTED, (0, 0, 0, 1, False)),
    ],
)
def test_dual_majority_of_votes_cast(
    res: list[Choice], age: list[Choice], outcome: Outcome, dual: tuple[int, int, int, int, bool]
) -> None:
    result = judge(bylaws(RES_MAJ), by(res, age))
    assert result.outcome is outcome
    assert result.dual is not None
    d = result.dual
    assert (d.yes, d.no, d.base_total, d.required, d.met) == dual
    assert d.member_class == "resident"


def test_dual_majority_of_the_class_present() -> None:
    rule = {**RES_MAJ, "base": "present"}
    # 2 yes, 0 no, 3 abstain among 5 residents present: cast base would pass (2 of 2),
    # present base needs more than half of 5 = 3.
    result = judge(bylaws(rule), by([Y, Y, A, A, A], [Y]))
    assert result.dual is not None
    assert (result.dual.base_total, result.dual.required, result.dual.met) == (5, 3, False)
    assert result.outcome is Outcome.REJECTED
    cast = judge(bylaws(RES_MAJ), by([Y, Y, A, A, A], [Y]))
    assert cast.outcome is Outcome.ADOPTED


def test_recused_residents_leave_the_class_count() -> None:
    # r0 recused (a vote recorded for them does not count); 2-2 among the others fails.
    votes = by([Y, Y, Y, N, N], [Y, Y])
    result = judge(bylaws({**RES_MAJ, "base": "present"}), votes, recused=frozenset({"r0"}))
    assert result.dual is not None
    assert (result.dual.yes, result.dual.no, result.dual.base_total) == (2, 2, 4)
    assert result.dual.required == 3 and not result.dual.met
    assert result.outcome is Outcome.REJECTED


def test_an_absent_residents_proxy_vote_counts_in_the_class_base() -> None:
    # r0..r2 in the room, r3 absent votes yes through r0's proxy; r4 absent and silent.
    present = {"r0", "r1", "r2", *AGE}
    votes = {"r0": Y, "r3": Y, "r1": N, "r2": A, "a0": Y}
    strict = judge(
        bylaws({**RES_MAJ, "base": "present"}), votes, present=present, proxied={"r3": "r0"}
    )
    assert strict.dual is not None
    assert (strict.dual.yes, strict.dual.base_total, strict.dual.required) == (2, 4, 3)
    assert strict.outcome is Outcome.REJECTED
    at_least = judge(
        bylaws({"class": "resident", "threshold": "1/2", "base": "present"}),
        votes,
        present=present,
        proxied={"r3": "r0"},
    )
    assert at_least.dual is not None and at_least.dual.required == 2
    assert at_least.outcome is Outcome.ADOPTED


def test_the_chairs_casting_vote_breaks_the_bodys_tie_not_the_classs() -> None:
    # body 4-4 (tie), chair votes yes: adopted by the body, but residents 1-3.
    votes = by([Y, N, N, N], [Y, Y, Y, N])
    result = judge(bylaws(RES_MAJ, tie="chair"), votes, chair=Y)
    assert result.decided_by_chair
    assert result.dual is not None and not result.dual.met
    assert result.outcome is Outcome.REJECTED


def test_a_schema_1_rule_has_no_dual_majority_and_is_judged_as_before() -> None:
    votes = by([Y, Y, N, N, N], [Y, Y, Y, Y])
    result = judge(bylaws(None), votes)
    assert result.dual is None
    assert result.outcome is Outcome.ADOPTED
    assert (result.yes, result.no, result.required) == (6, 3, 5)
