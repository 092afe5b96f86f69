"""The award of a round's budget over its ranking, by the round's `award_mode`, and why.

- "skip": in rank order, funding each application that fits in what is left, skipping
  those that do not;
- "stop": in rank order, stopping at the first that does not fit (the rest are not reached);
- "partial": in rank order; the first that does not fit is funded with what is left (when
  anything is), and the award ends there;
- "best": the set of fundable applications with the highest total score whose amounts fit
  in the budget, found exactly (`best_set`: branch and bound on integer minor units and
  scores scaled to integers, bounded by the fractional knapsack; never a greedy guess).
  Among sets with the same total score, the one found first wins: applications are tried
  by score per unit of money, then rank.

Money is `Decimal` outside and integer minor units inside (at the most decimals the budget
and amounts carry), so no mode can give a cent more than the budget. `explain` says, for
each application, why it was or was not funded, as `Msg` data for the edge to translate.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import gcd, lcm
from typing import Any

from comunidad_cli.core.funds.ranking import Candidate, Ranked, Ranking, named
from comunidad_cli.core.funds.scoring import shown_score
from comunidad_cli.core.messages import N_, Msg

AWARD_MODES = ("skip", "stop", "partial", "best")
#: How "not reached" was said before it named the project too (proposals recorded then
#: keep it in their snapshots, still read in the reader's language).
RECORDED_BEFORE = (
    N_(
        "not reached: rank {rank}, score {score}; the award stopped at"
        ' rank {stopped} ("{at}"), which did not fit'
    ),
)
#: the items chosen on the way down a branch: (index, the ones chosen before), or None
Chain = tuple[int, Any] | None


@dataclass(frozen=True, slots=True)
class Decision:
    """What one application got (`given`, zero when nothing) and why."""

    candidate: Candidate
    rank: int | None
    funded: bool
    given: Decimal
    reason: Msg
    #: how a tie with the application ranked before it was resolved
    tie: Msg | None = None

    @property
    def partial(self) -> bool:
        return self.funded and self.given < self.candidate.amount


@dataclass(frozen=True, slots=True)
class Award:
    """The proposal: every application's decision, ranked ones in rank order first."""

    mode: str
    budget: Decimal
    decisions: tuple[Decision, ...]

    @property
    def given(self) -> Decimal:
        return sum((d.given for d in self.decisions), Decimal(0))

    @property
    def left(self) -> Decimal:
        return self.budget - self.given

    @property
    def funded(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.funded)

    @property
    def total_score(self) -> Fraction:
        """The scores of the applications funded in full (a partial grant does not buy a
        project's whole score)."""
        return sum(
            (d.candidate.score or Fraction(0) for d in self.funded if not d.partial), Fraction(0)
        )


def _scale(budget: Decimal, amounts: Sequence[Decimal]) -> int:
    """The decimals to count money in: the most any amount or the budget carries."""
    scale = 0
    for value in (budget, *amounts):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > scale:
            scale = -exponent
    return scale


def _minor(value: Decimal, scale: int) -> int:
    return int(value.scaleb(scale))


def _money(units: int, scale: int) -> Decimal:
    return Decimal(units).scaleb(-scale)


def best_set(values: Sequence[int], weights: Sequence[int], capacity: int) -> frozenset[int]:
    """The indices of the items with the highest total value whose weights fit in
    `capacity` (0/1 knapsack), exactly: depth-first branch and bound, items by value per
    weight, the include branch first, bounded by Martello and Toth's refinement of the
    fractional knapsack over prefix sums, weights counted in their greatest common divisor.

    Among sets of the same value the first found is kept (strictly better ones replace it).
    Values and weights are non-negative integers.
    """
    free = [i for i, w in enumerate(weights) if w == 0]
    items = [i for i, w in enumerate(weights) if 0 < w <= capacity and values[i] > 0]
    # amounts are often round (every one a multiple of 500,000 pesos): counted in their
    # greatest common divisor, a budget between two multiples cannot inflate the bound
    unit = gcd(*(weights[i] for i in items)) if items else 1
    capacity //= unit
    items.sort(key=lambda i: (-Fraction(values[i], weights[i]), i))
    v = [values[i] for i in items]
    w = [weights[i] // unit for i in items]
    n = len(items)
    pw = [0] * (n + 1)
    pv = [0] * (n + 1)
    for k in range(n):
        pw[k + 1] = pw[k] + w[k]
        pv[k + 1] = pv[k] + v[k]
    # identical items (same score, same amount) are taken as a prefix of their run: leaving
    # one out leaves out the rest, so no set is searched once per order of its copies
    after_run = list(range(1, n + 1))
    for k in range(n - 2, -1, -1):
        if v[k] == v[k + 1] and w[k] == w[k + 1]:
            after_run[k] = after_run[k + 1]

    # a chosen set is a cons list (index, rest) plus "and every item from `tail` on"
    best = -1
    best_chosen: Chain = None
    best_tail = n
    stack: list[tuple[int, int, int, Chain]] = [(0, capacity, 0, None)]
    while stack:
        i, cap, val, chosen = stack.pop()
        if val > best:
            best, best_chosen, best_tail = val, chosen, n
        if i == n:
            continue
        j = bisect_right(pw, pw[i] + cap, i) - 1  # items i..j-1 fit whole, item j does not
        fill = pv[j] - pv[i]
        if j == n:  # everything left fits: that is this branch's best
            if val + fill > best:
                best, best_chosen, best_tail = val + fill, chosen, i
            continue
        # Martello and Toth's bound: the critical item j left out (the next one fills
        # the rest fractionally) or taken (the one before it gives way fractionally)
        rest = cap - (pw[j] - pw[i])
        bound = fill + (rest * v[j + 1] // w[j + 1] if j + 1 < n else 0)
        if j > i:
            bound = max(bound, fill + v[j] + (rest - w[j]) * v[j - 1] // w[j - 1])
        if val + bound <= best:
            continue
        stack.append((after_run[i], cap, val, chosen))
        if w[i] <= cap:
            stack.append((i + 1, cap - w[i], val + v[i], (i, chosen)))
    picked = set(range(best_tail, n))
    node = best_chosen
    while node is not None:
        picked.add(node[0])
        node = node[1]
    return frozenset(free) | frozenset(items[k] for k in picked)


def _shown(ranked: Ranked) -> dict[str, object]:
    c = ranked.candidate
    return {"application": c.id, "rank": ranked.rank, "score": shown_score(c.score or Fraction(0))}


def award(ranking: Ranking, budget: Decimal, mode: str) -> Award:
    """The award of `budget` over `ranking` by `mode` (one of `AWARD_MODES`)."""
    if mode not in AWARD_MODES:
        raise ValueError(f"unknown award mode {mode!r}")
    ranked = ranking.ranked
    amounts = [r.candidate.amount for r in ranked]
    if budget < 0 or any(a < 0 for a in amounts):
        raise ValueError("money must not be negative")
    scale = _scale(budget, amounts)
    units = [_minor(a, scale) for a in amounts]
    left = _minor(budget, scale)
    given = [0] * len(ranked)
    funded = [False] * len(ranked)
    reasons: list[Msg] = []
    if mode == "best":
        scores = [r.candidate.score or Fraction(0) for r in ranked]
        common = lcm(*(s.denominator for s in scores)) if scores else 1
        chosen = best_set([int(s * common) for s in scores], units, left)
        total = sum((scores[k] for k in chosen), Fraction(0))
        for k, r in enumerate(ranked):
            asked = _money(units[k], scale)
            if k in chosen:
                given[k] = units[k]
                funded[k] = True
                reasons.append(
                    Msg.of(
                        N_("in the best set: rank {rank}, score {score}, {amount}"),
                        amount=asked,
                        **_shown(r),
                    )
                )
            else:
                reasons.append(
                    Msg.of(
                        N_(
                            "not in the best set: rank {rank}, score {score}, {amount} asked;"
                            " the funded set's total score, {total}, is the highest the budget"
                            " allows"
                        ),
                        amount=asked,
                        total=shown_score(total),
                        **_shown(r),
                    )
                )
    else:
        stopped: Ranked | None = None
        for k, r in enumerate(ranked):
            asked = _money(units[k], scale)
            if stopped is not None:
                reasons.append(
                    Msg.of(
                        N_(
                            "not reached: rank {rank}, score {score}; the award stopped at"
                            " rank {stopped}, {at}, which did not fit"
                        ),
                        stopped=stopped.rank,
                        at=named(stopped.candidate),
                        **_shown(r),
                    )
                )
            elif units[k] <= left:
                given[k] = units[k]
                funded[k] = True
                left -= units[k]
                reasons.append(
                    Msg.of(
                        N_("funded: rank {rank}, score {score}, {amount}"),
                        amount=asked,
                        **_shown(r),
                    )
                )
            elif mode == "partial" and left > 0:
                given[k] = left
                funded[k] = True
                reasons.append(
                    Msg.of(
                        N_(
                            "funded partially: {given} of {asked}, what was left of the budget"
                            " (rank {rank}, score {score})"
                        ),
                        given=_money(left, scale),
                        asked=asked,
                        **_shown(r),
                    )
                )
                left = 0
                stopped = r
            else:
                reasons.append(
                    Msg.of(
                        N_("did not fit: {amount} asked, {left} left (rank {rank}, score {score})"),
                        amount=asked,
                        left=_money(left, scale),
                        **_shown(r),
                    )
                )
                if mode in ("stop", "partial"):
                    stopped = r
    decisions = [
        Decision(r.candidate, r.rank, funded[k], _money(given[k], scale), reasons[k], r.tie)
        for k, r in enumerate(ranked)
    ]
    decisions += [Decision(c, None, False, Decimal(0), why) for c, why in ranking.unranked]
    return Award(mode, _money(_minor(budget, scale), scale), tuple(decisions))


def explain(result: Award) -> tuple[tuple[str, tuple[Msg, ...]], ...]:
    """For each application, in the award's order, why it was or was not funded: its
    decision, and how a tie with the one ranked before it was resolved."""
    return tuple(
        (d.candidate.id, (d.reason,) if d.tie is None else (d.reason, d.tie))
        for d in result.decisions
    )
