"""Budgets: original lines, amendments in force, the budget position, what a grant's
subcontracts obligate, and budget revisions that need the funder's approval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from comunidad_cli.core.grants.values import (
    ZERO,
    amount_problem,
    cents_problem,
    repeated_problem,
    to_cents,
)
from comunidad_cli.core.messages import N_, Msg


@dataclass(frozen=True, slots=True)
class AmendmentRecord:
    """An amendment as history: its number, its deltas by category, its approval state."""

    number: int
    deltas: Mapping[str, Decimal]
    needs_approval: bool = False
    approved_on: date | None = None

    @property
    def in_force(self) -> bool:
        return not self.needs_approval or self.approved_on is not None

    @property
    def pending(self) -> bool:
        return not self.in_force


@dataclass(frozen=True, slots=True)
class LinePosition:
    category: str
    original: Decimal
    amended: Decimal
    spent: Decimal

    @property
    def budget(self) -> Decimal:
        return self.original + self.amended

    @property
    def balance(self) -> Decimal:
        return self.budget - self.spent


@dataclass(frozen=True, slots=True)
class BudgetPosition:
    """Budget, spent and balance per line and in total (amendments in force only)."""

    lines: tuple[LinePosition, ...]

    @property
    def original(self) -> Decimal:
        return sum((line.original for line in self.lines), ZERO)

    @property
    def obligated(self) -> Decimal:
        return sum((line.budget for line in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.obligated - self.spent

    def budgets(self) -> dict[str, Decimal]:
        return {line.category: line.budget for line in self.lines}

    def spending(self) -> dict[str, Decimal]:
        return {line.category: line.spent for line in self.lines}

    def line(self, category: str) -> LinePosition | None:
        return next((line for line in self.lines if line.category == category), None)


def budget_of(
    original: Mapping[str, Decimal],
    amendments: Iterable[AmendmentRecord],
    *,
    include_pending: bool = False,
) -> dict[str, Decimal]:
    """Budget per category: original lines plus the deltas of the amendments in force
    (and of pending ones too with `include_pending`), in the order categories appeared."""
    budget = dict(original)
    for amendment in sorted(amendments, key=lambda a: a.number):
        if amendment.in_force or include_pending:
            for category, delta in amendment.deltas.items():
                budget[category] = budget.get(category, ZERO) + delta
    return budget


def position(
    original: Mapping[str, Decimal],
    amendments: Iterable[AmendmentRecord],
    spent: Mapping[str, Decimal],
) -> BudgetPosition:
    """The budget position of a subcontract. Spending on a category with no budget line (it
    cannot happen through comunidad) shows as a line with a zero budget, never hidden."""
    amended = budget_of(dict.fromkeys(original, ZERO), amendments)
    for category in spent:
        amended.setdefault(category, ZERO)
    return BudgetPosition(
        tuple(
            LinePosition(
                category,
                original.get(category, ZERO),
                amended[category],
                spent.get(category, ZERO),
            )
            for category in amended
        )
    )


def committed(
    budgets: Iterable[tuple[Mapping[str, Decimal], Iterable[AmendmentRecord]]],
) -> Decimal:
    """What a grant's subcontracts obligate, amendments awaiting approval counted too: the
    total that `obligation_problem` holds against the grant. One (original lines, amendments)
    pair per subcontract."""
    return sum(
        (
            sum(budget_of(original, history, include_pending=True).values(), ZERO)
            for original, history in budgets
        ),
        ZERO,
    )


def obligation_problem(
    grant_amount: Decimal, obligated_elsewhere: Decimal, obligated: Decimal
) -> Msg | None:
    """The sum obligated in all subcontracts of a grant may not exceed the grant."""
    total = obligated_elsewhere + obligated
    if total > grant_amount:
        return Msg.of(
            N_(
                "the subcontracts of this grant would obligate {total}, more than the grant's"
                " {grant} ({over} over; {available} still available)"
            ),
            total=total,
            grant=grant_amount,
            over=total - grant_amount,
            available=max(grant_amount - obligated_elsewhere, ZERO),
        )
    return None


def moved_between_lines(deltas: Mapping[str, Decimal]) -> Decimal:
    """Money that left one line and arrived in another: min(sum of +, -sum of -)."""
    added = sum((d for d in deltas.values() if d > 0), ZERO)
    taken = -sum((d for d in deltas.values() if d < 0), ZERO)
    return min(added, taken)


@dataclass(frozen=True, slots=True)
class RevisionCheck:
    """`moved` by this amendment; `cumulative` since the last approved revision, against
    `base` (the obligated amount as of that approval); `limit` = threshold x base."""

    moved: Decimal
    cumulative: Decimal
    base: Decimal
    limit: Fraction
    threshold: Fraction

    @property
    def needs_approval(self) -> bool:
        return Fraction(self.cumulative) > self.limit


def check_revision(
    original: Mapping[str, Decimal],
    history: Sequence[AmendmentRecord],
    deltas: Mapping[str, Decimal],
    threshold: Fraction,
) -> RevisionCheck:
    """Whether an amendment with `deltas`, after `history`, needs the funder's approval."""
    ordered = sorted(history, key=lambda a: a.number)
    last_approved = max(
        (i for i, a in enumerate(ordered) if a.needs_approval and a.approved_on is not None),
        default=-1,
    )
    base_budget = budget_of(original, ordered[: last_approved + 1])
    base = sum(base_budget.values(), ZERO)
    moved = moved_between_lines(deltas)
    cumulative = moved + sum(
        (moved_between_lines(a.deltas) for a in ordered[last_approved + 1 :]), ZERO
    )
    return RevisionCheck(moved, cumulative, base, threshold * Fraction(base), threshold)


def check_amendment(
    original: Mapping[str, Decimal],
    history: Sequence[AmendmentRecord],
    spent: Mapping[str, Decimal],
    deltas: Sequence[tuple[str, Decimal]],
) -> list[Msg]:
    """Problems with an amendment's deltas: cents, not zero, each category once; a new
    category only with money added; no line may end below zero or below what it has spent
    (counting amendments still awaiting approval, so approving them later stays possible)."""
    problems: list[Msg] = []
    if not deltas:
        return [Msg.of(N_("an amendment needs at least one line: --line CATEGORY=CHANGE"))]
    seen: set[str] = set()
    budget = budget_of(original, history, include_pending=True)
    for category, delta in deltas:
        repeated = repeated_problem(category, seen)
        if repeated is not None:
            problems.append(repeated)
            continue
        problem = cents_problem(delta)
        if problem is not None:
            problems.append(problem)
            continue
        if delta == 0:
            problems.append(
                Msg.of(N_('the change to "{category}" is zero: leave it out'), category=category)
            )
            continue
        delta = to_cents(delta)
        before = budget.get(category)
        if before is None and delta < 0:
            problems.append(
                Msg.of(
                    N_(
                        'there is no budget line "{category}" to take {amount} from; the lines are {lines}'
                    ),
                    category=category,
                    amount=-delta,
                    lines=", ".join(budget) or "-",
                )
            )
            continue
        after = (before or ZERO) + delta
        used = spent.get(category, ZERO)
        if after < 0:
            problems.append(
                Msg.of(
                    N_(
                        'line "{category}" would go below zero: it has {budget}, the change is {delta}'
                    ),
                    category=category,
                    budget=before or ZERO,
                    delta=delta,
                )
            )
        elif after < used:
            problems.append(
                Msg.of(
                    N_(
                        'line "{category}" would be left with {after}, less than the {spent} already'
                        " spent on it"
                    ),
                    category=category,
                    after=after,
                    spent=used,
                )
            )
    return problems


def approval_problems(
    original: Mapping[str, Decimal],
    history: Sequence[AmendmentRecord],
    number: int,
    spent: Mapping[str, Decimal],
) -> list[Msg]:
    """Problems with approving amendment `number`: it must exist, need approval, not be
    approved already, and leave no line below what it has spent."""
    amendment = next((a for a in history if a.number == number), None)
    if amendment is None:
        return [
            Msg.of(
                N_("there is no amendment {number}; the amendments are {numbers}"),
                number=number,
                numbers=", ".join(str(a.number) for a in history) or "-",
            )
        ]
    if not amendment.needs_approval:
        return [Msg.of(N_("amendment {number} did not need the funder's approval"), number=number)]
    if amendment.approved_on is not None:
        return [
            Msg.of(
                N_("amendment {number} was already approved on {day}"),
                number=number,
                day=amendment.approved_on,
            )
        ]
    approved = AmendmentRecord(amendment.number, amendment.deltas, True, date.min)
    budget = budget_of(original, [approved if a.number == number else a for a in history])
    return [
        Msg.of(
            N_(
                'approving amendment {number} would leave line "{category}" with {after}, less'
                " than the {spent} already spent on it"
            ),
            number=number,
            category=category,
            after=budget.get(category, ZERO),
            spent=used,
        )
        for category, used in spent.items()
        if budget.get(category, ZERO) < used
    ]


def budget_line_problems(lines: Sequence[tuple[str, Decimal]]) -> list[Msg]:
    """Original budget lines: at least one, each category once, amounts more than zero."""
    if not lines:
        return [Msg.of(N_("a subcontract needs at least one budget line: --line CATEGORY=AMOUNT"))]
    problems: list[Msg] = []
    seen: set[str] = set()
    for category, amount in lines:
        repeated = repeated_problem(category, seen)
        if repeated is not None:
            problems.append(repeated)
            continue
        problem = amount_problem(amount)
        if problem is not None:
            problems.append(
                Msg.of(N_('line "{category}": {problem}'), category=category, problem=problem)
            )
    return problems
