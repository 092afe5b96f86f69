"""Tally: the outcome of one motion from the votes, the room and the by-laws in force.

Robert's Rules unless the by-laws say otherwise. Every comparison is between integer
counts and an exact fraction (`fractions.minimum_count`), never a float and never a
rounded threshold, so "a majority" of 17 votes cast is 9 and two-thirds is yes >= 2 x no.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from comunidad_cli.core.bylaws.describe import describe_rule
from comunidad_cli.core.bylaws.model import Bylaws, Decision, Rule
from comunidad_cli.core.fractions import minimum_count
from comunidad_cli.core.governance.model import Choice, Outcome, Seat, Vote
from comunidad_cli.core.governance.quorum import (
    MAJORITY,
    QuorumResult,
    judge_quorum,
    voting_members,
)
from comunidad_cli.core.messages import N_, Msg

ROBERTS_MAJORITY = Rule(id="majority", threshold=MAJORITY, strict=True, base="cast", tie="fails")
"""The rule when a decision names none: more than half of the votes cast."""


@dataclass(frozen=True, slots=True)
class DualTally:
    """The class's own count under a dual majority: `met` when its yes reach `required`.

    Only the votes of the class's voting members count (by their voting seat on the day);
    the chair's casting vote breaks the body's tie, never the class's.
    """

    member_class: str
    yes: int
    no: int
    abstain: int
    base: str
    base_total: int
    required: int
    threshold: Fraction
    strict: bool
    met: bool


@dataclass(frozen=True, slots=True)
class Tally:
    """The outcome, every count and the rule applied: all it takes to explain and re-derive it.

    `rule` is the decision's rule as the by-laws state it (its base and tie rule);
    `threshold` and `strict` are what was applied (Robert's majority when the rule states no
    threshold). Renderers explain a tally from these, never by re-reading the by-laws.
    """

    outcome: Outcome
    yes: int
    no: int
    abstain: int
    base_total: int
    required: int
    quorum: QuorumResult
    tie: bool
    decided_by_chair: bool
    decision: str
    rule: Rule
    threshold: Fraction
    strict: bool
    #: The class's own count when the rule needs a dual majority (schema 2), else None.
    dual: DualTally | None = None

    @property
    def base(self) -> str:
        """What the threshold is a share of: "cast", "present" or "members"."""
        return self.rule.base

    @property
    def rule_text(self) -> Msg:
        """The rule applied, in the one wording rules have (`describe_rule`), with its name
        and the size of its base: 'rule "majority": more than 1/2 of votes cast (6)'."""
        applied = replace(self.rule, threshold=self.threshold, strict=self.strict)
        return Msg.of(
            N_('rule "{rule}": {text} ({total})'),
            rule=self.rule.id,
            text=describe_rule(applied),
            total=self.base_total,
        )


def is_procedural(decision: Decision) -> bool:
    """Adjourn, recess, measures to obtain a quorum: decided even without quorum."""
    return bool(getattr(decision, "procedural", False))


def decision_of(bylaws: Bylaws, decision_id: str) -> tuple[Decision, str, Rule]:
    """The decision, its body and its rule; ValueError when the by-laws lack them."""
    decision = bylaws.decisions.get(decision_id)
    if decision is None:
        raise ValueError(f"by-laws {bylaws.id!r} define no decision {decision_id!r}")
    if decision.body is None:
        raise ValueError(f"decision {decision_id!r} names no body")
    if decision.rule is None:
        return decision, decision.body, ROBERTS_MAJORITY
    rule = bylaws.rules.get(decision.rule)
    if rule is None:
        raise ValueError(f"by-laws {bylaws.id!r} define no rule {decision.rule!r}")
    if rule.base not in ("cast", "present", "members"):
        raise ValueError(f"rule {rule.id!r} has unknown base {rule.base!r}")
    return decision, decision.body, rule


def counted_votes(
    votes: Iterable[Vote], entitled: Collection[str], recused: Collection[str]
) -> dict[str, Choice]:
    """One vote per entitled, non-recused member: their first (as `check_vote` enforces).

    Votes from anyone else are not counted (they should have been refused); ties in time
    are broken by content, so the result never depends on the order of `votes`.
    """
    chosen: dict[str, Vote] = {}
    for vote in sorted(votes, key=lambda v: (v.at, v.person, v.choice.value, v.cast_by or "")):
        if vote.person in entitled and vote.person not in recused:
            chosen.setdefault(vote.person, vote)
    return {person: vote.choice for person, vote in chosen.items()}


def judge_dual(
    rule: Rule,
    members: Mapping[str, str],
    choices: Mapping[str, Choice],
    present: Collection[str],
    recused: Collection[str],
) -> DualTally | None:
    """The dual majority of `rule` among its class, or None when the rule needs none.

    `cast`: the class's yes / (yes + no). `present`: the class's yes / its voting members
    present and not recused, plus those of the class whose vote a proxy cast. Never met
    with no yes vote; a threshold the by-laws leave out is Robert's majority.
    """
    dual = rule.dual
    if dual is None:
        return None
    ours = {p for p, c in members.items() if c == dual.member_class}
    mine = {p: c for p, c in choices.items() if p in ours}
    yes = sum(1 for c in mine.values() if c is Choice.YES)
    no = sum(1 for c in mine.values() if c is Choice.NO)
    abstain = sum(1 for c in mine.values() if c is Choice.ABSTAIN)
    if dual.base == "present":
        in_room = {p for p in present if p in ours and p not in recused}
        base_total = len(in_room | set(mine))
    else:
        base_total = yes + no
    threshold = dual.threshold if dual.threshold is not None else MAJORITY
    strict = dual.strict if dual.threshold is not None else True
    required = max(1, minimum_count(base_total, threshold, strict=strict))
    return DualTally(
        member_class=dual.member_class,
        yes=yes,
        no=no,
        abstain=abstain,
        base=dual.base,
        base_total=base_total,
        required=required,
        threshold=threshold,
        strict=strict,
        met=yes >= required,
    )


def tally(
    bylaws: Bylaws,
    decision_id: str,
    seats: Iterable[Seat],
    present: Collection[str],
    recused: Collection[str],
    votes: Iterable[Vote],
    day: date,
    chair_casting_vote: Choice | None = None,
    members: Mapping[str, str] | None = None,
) -> Tally:
    """Decide a motion of kind `decision_id` held on `day`.

    `present` is who is in the room when the vote is taken (`present_at(events, time)`),
    which decides quorum and the base "present". Bases:

    - cast: yes / (yes + no); abstentions and blanks don't count;
    - present: yes / voting members present and not recused, plus any absent member whose
      vote a proxy cast (an abstention or a silence acts as a no);
    - members: yes / every voting member of the body on `day`, recused ones included.

    A motion never passes with no yes vote. A tie means the base splits evenly (yes = no
    under "cast"); when the counts alone fail it and the rule says `tie = "chair"`, the
    chair's casting vote is one more vote for its side: yes adopts whenever that extra
    vote meets the rule (always, under a majority), no rejects.

    `members`: `voting_members` of these seats on `day`, when the caller has it already
    (closing a meeting's motions one after another).
    """
    decision, body_id, rule = decision_of(bylaws, decision_id)
    seats = tuple(seats)
    recused = frozenset(recused)
    if members is None:
        members = voting_members(bylaws, body_id, seats, day)
    quorum = judge_quorum(bylaws, body_id, seats, present, recused, day, members)
    choices = counted_votes(votes, members, recused)
    yes = sum(1 for c in choices.values() if c is Choice.YES)
    no = sum(1 for c in choices.values() if c is Choice.NO)
    abstain = sum(1 for c in choices.values() if c is Choice.ABSTAIN)
    if rule.base == "cast":
        base_total = yes + no
    elif rule.base == "present":
        in_room = {p for p in present if p in members and p not in recused}
        base_total = len(in_room | set(choices))
    else:
        base_total = len(members)
    # A rule without a threshold (lint reports it) falls back to Robert's majority.
    threshold = rule.threshold if rule.threshold is not None else MAJORITY
    strict = rule.strict if rule.threshold is not None else True
    required = max(1, minimum_count(base_total, threshold, strict=strict))
    tie = yes >= 1 and 2 * yes == base_total
    decided_by_chair = False
    if not quorum.met and not is_procedural(decision):
        outcome = Outcome.NO_QUORUM
    elif yes >= required:
        outcome = Outcome.ADOPTED
    elif tie and rule.tie == "chair" and chair_casting_vote in (Choice.YES, Choice.NO):
        decided_by_chair = True
        casting_base = base_total + 1 if rule.base == "cast" else base_total
        passes = yes + 1 >= max(1, minimum_count(casting_base, threshold, strict=strict))
        outcome = (
            Outcome.ADOPTED if chair_casting_vote is Choice.YES and passes else Outcome.REJECTED
        )
    else:
        outcome = Outcome.REJECTED
    dual = judge_dual(rule, members, choices, present, recused)
    if outcome is Outcome.ADOPTED and dual is not None and not dual.met:
        outcome = Outcome.REJECTED
    return Tally(
        outcome=outcome,
        yes=yes,
        no=no,
        abstain=abstain,
        base_total=base_total,
        required=required,
        quorum=quorum,
        tie=tie,
        decided_by_chair=decided_by_chair,
        decision=decision_id,
        rule=rule,
        threshold=threshold,
        strict=strict,
        dual=dual,
    )
