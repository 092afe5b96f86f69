"""The ranking of a round's fundable applications, with the round's tie-break chain.

Fundable: admissible, scored, and at least the round's `min_score`. Ranked by score, higher
first; applications with the same score are ordered by the round's `tie_break` chain, each
rule tried in turn until one separates them:

- "priority": the plan priority served, the higher-ranked need (rank 1) first; serving no
  ranked priority comes last;
- "criterion:<id>": the higher mean points on that criterion;
- "smaller_amount": the smaller amount asked;
- "earlier_submission": submitted earlier (no recorded time comes last);
- "lottery": sha256 of the recorded seed, ":" and the application id, the smaller digest
  first: the same seed always draws the same order, and anyone can redo the draw.

When the chain leaves two applications tied, they stay in id order, and the ranking says so:
it is a total order, and every tie it resolved is recorded (`Ranked.tie`) to be explained.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from math import lcm
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.funds.scoring import shown_score
from comunidad_cli.core.messages import N_, Msg

TIE_BREAKS = ("priority", "smaller_amount", "earlier_submission", "lottery")
CRITERION_PREFIX = "criterion:"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An application as ranking and award see it (the round's facts as plain values)."""

    id: str
    score: Fraction | None
    amount: Decimal
    admissible: bool = True
    priority: int | None = None
    criteria: Mapping[str, Fraction] = field(default_factory=lambda: MappingProxyType({}))
    submitted: datetime | None = None
    #: The project's title as typed, said beside the id where a person reads it ("" unknown).
    title: str = ""


@dataclass(frozen=True, slots=True)
class Ranked:
    """A place in the ranking; `tie` says how it was put behind the one before it, when
    both had the same score."""

    rank: int
    candidate: Candidate
    tie: Msg | None = None


@dataclass(frozen=True, slots=True)
class Ranking:
    """The fundable applications in rank order, and the others with why they are not."""

    ranked: tuple[Ranked, ...]
    unranked: tuple[tuple[Candidate, Msg], ...]


#: How a tie the lottery settled is said (`Ranked.tie`); `lottery_decided` looks for it.
LOTTERY_TIE = N_('tied at {score} with {ahead}, which came first in the lottery of seed "{seed}"')
#: An application named in a sentence: its id, and its project's title beside it.
NAMED = N_("{application} ({title})")
#: How ties were said before they named the project too: proposals recorded then keep
#: these ids in their snapshots, and are still read in the reader's language.
RECORDED_BEFORE = (
    N_('tied with "{ahead}" at {score}: "{ahead}" came first in the lottery of seed "{seed}"'),
    N_('tied with "{ahead}" at {score}: "{ahead}" serves a higher-ranked priority'),
    N_('tied with "{ahead}" at {score}: "{ahead}" asks a smaller amount'),
    N_('tied with "{ahead}" at {score}: "{ahead}" was submitted earlier'),
    N_('tied with "{ahead}" at {score}: "{ahead}" scores higher on "{criterion}"'),
    N_('tied with "{ahead}" at {score}: the tie-breaks leave them tied; placed in id order'),
)


def named(candidate: Candidate) -> Msg | str:
    """The application as a sentence names it: "id (title)" in the reader's words, the id
    alone when its title is not known."""
    if not candidate.title:
        return candidate.id
    return Msg.of(NAMED, application=candidate.id, title=candidate.title)


def lottery_decided(ranking: Ranking) -> bool:
    """Whether the lottery settled any tie of the ranking: only then does its seed matter
    to anyone reading it (it is still recorded with a proposal)."""
    return any(r.tie is not None and r.tie.text == LOTTERY_TIE for r in ranking.ranked)


def tie_break_problem(rule: str, criteria: Iterable[str], position: int, count: int) -> Msg | None:
    """Why `rule` cannot be the tie-break at `position` (0-based) of a chain of `count`."""
    if rule.startswith(CRITERION_PREFIX):
        if rule[len(CRITERION_PREFIX) :] not in set(criteria):
            return Msg.of(N_('tie-break "{rule}" names no criterion of the rubric'), rule=rule)
        return None
    if rule not in TIE_BREAKS:
        return Msg.of(N_('"{rule}" is not a tie-break'), rule=rule)
    if rule == "lottery" and position != count - 1:
        return Msg.of(N_('the tie-break "lottery" can only come last'))
    return None


def lottery_key(seed: str, application: str) -> str:
    """The recorded-seed draw: sha256 of seed, ":" and the application id, in hex."""
    return hashlib.sha256(f"{seed}:{application}".encode()).hexdigest()


def _key(rule: str, candidate: Candidate, seed: str | None) -> tuple[Any, ...]:
    """The sort key of one tie-break rule: smaller sorts first."""
    if rule == "priority":
        return (0, candidate.priority) if candidate.priority is not None else (1, 0)
    if rule == "smaller_amount":
        return (candidate.amount,)
    if rule == "earlier_submission":
        if candidate.submitted is None:
            return (1, 0)
        return (0, candidate.submitted)
    if rule == "lottery":
        return (lottery_key(seed or "", candidate.id),)  # rank() insists on a seed
    criterion = rule[len(CRITERION_PREFIX) :]
    return (-candidate.criteria.get(criterion, Fraction(0)),)


def _resolution(rule: str, ahead: Candidate, behind: Candidate, seed: str | None) -> Msg:
    """How `ahead` came before `behind` with the same score, as a message."""
    common = {
        "application": behind.id,
        "ahead": named(ahead),
        "score": shown_score(behind.score or Fraction(0)),
    }
    if rule == "priority":
        return Msg.of(
            N_("tied at {score} with {ahead}, which serves a higher-ranked priority"), **common
        )
    if rule == "smaller_amount":
        return Msg.of(N_("tied at {score} with {ahead}, which asks a smaller amount"), **common)
    if rule == "earlier_submission":
        return Msg.of(N_("tied at {score} with {ahead}, which was submitted earlier"), **common)
    if rule == "lottery":
        return Msg.of(
            LOTTERY_TIE,
            seed=seed or "",
            **common,
        )
    if rule.startswith(CRITERION_PREFIX):
        return Msg.of(
            N_('tied at {score} with {ahead}, which scores higher on "{criterion}"'),
            criterion=rule[len(CRITERION_PREFIX) :],
            **common,
        )
    return Msg.of(
        N_("tied at {score} with {ahead}: the tie-breaks leave them tied; placed in id order"),
        **common,
    )


def rank(
    candidates: Iterable[Candidate],
    *,
    min_score: Fraction,
    tie_break: Sequence[str],
    seed: str | None = None,
) -> Ranking:
    """The ranking of the fundable candidates; the rest with the reason they are not ranked.

    A chain with "lottery" needs the round's recorded seed: a draw nobody can redo is no
    draw (the caller must pass it; None is a programming error, not a user's mistake).
    """
    if "lottery" in tie_break and seed is None:
        raise ValueError("the lottery tie-break needs the round's recorded seed")
    fundable: list[Candidate] = []
    unranked: list[tuple[Candidate, Msg]] = []
    for c in candidates:
        if not c.admissible:
            unranked.append((c, Msg.of(N_("not admissible"))))
        elif c.score is None:
            unranked.append((c, Msg.of(N_("not scored: no reviewer's scores count"))))
        elif c.score < min_score:
            unranked.append(
                (
                    c,
                    Msg.of(
                        N_("below the minimum score: {score}, the round asks {minimum}"),
                        score=shown_score(c.score),
                        minimum=shown_score(min_score),
                    ),
                )
            )
        else:
            fundable.append(c)
    rules = list(tie_break)
    # exact fractions compared as integers over their common denominator: one key per
    # candidate, worked out once, sorts and compares as the fractions do
    scale = _common([c.score for c in fundable])
    criteria = {
        r: _common([c.criteria.get(r[len(CRITERION_PREFIX) :], 0) for c in fundable])
        for r in rules
        if r.startswith(CRITERION_PREFIX)
    }

    def key(c: Candidate) -> tuple[Any, ...]:
        assert c.score is not None
        return (
            -_scaled(c.score, scale),
            *(
                (-_scaled(c.criteria.get(r[len(CRITERION_PREFIX) :], 0), criteria[r]),)
                if r in criteria
                else _key(r, c, seed)
                for r in rules
            ),
            c.id,
        )

    keys = [key(c) for c in fundable]
    order = sorted(range(len(fundable)), key=keys.__getitem__)
    ranked: list[Ranked] = []
    for position, index in enumerate(order):
        candidate = fundable[index]
        tie = None
        if position and keys[order[position - 1]][0] == keys[index][0]:
            before = keys[order[position - 1]]
            ahead = fundable[order[position - 1]]
            rule = next((r for k, r in enumerate(rules, 1) if before[k] != keys[index][k]), "id")
            tie = _resolution(rule, ahead, candidate, seed)
        ranked.append(Ranked(position + 1, candidate, tie))
    return Ranking(tuple(ranked), tuple(unranked))


def _common(values: Iterable[Fraction | int | None]) -> int:
    """The least common denominator of exact values (1 for none)."""
    return lcm(*{v.denominator for v in values if v is not None})


def _scaled(value: Fraction | int, common: int) -> int:
    """`value` as an integer over `common` (a multiple of its denominator)."""
    return value.numerator * (common // value.denominator)
