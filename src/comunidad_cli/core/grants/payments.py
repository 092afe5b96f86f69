"""Payments: which statuses count, how a status may change, and whether a payment split
across budget lines fits their balances to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from comunidad_cli.core.choices import Choices
from comunidad_cli.core.grants.values import ZERO, cents_problem, repeated_problem, to_cents
from comunidad_cli.core.messages import N_, Msg

PAYMENT_STATUSES = ("submitted", "approved", "paid", "declined")
COUNTED_STATUSES = frozenset({"submitted", "approved", "paid"})
HELD_STATUSES = frozenset({"approved", "paid"})


#: Payment status changes allowed: paid and declined are final (a repayment is a new payment).
PAYMENT_TRANSITIONS: Mapping[str, frozenset[str]] = {
    "submitted": frozenset({"approved", "paid", "declined"}),
    "approved": frozenset({"paid", "declined"}),
    "paid": frozenset(),
    "declined": frozenset(),
}


def check_payment(
    budget: Mapping[str, Decimal],
    spent: Mapping[str, Decimal],
    lines: Sequence[tuple[str, Decimal]],
    *,
    counted: bool = True,
) -> list[Msg]:
    """Problems with a payment split into `lines`, against the `budget` and what is `spent`
    per category (counted payments only). Empty: the payment fits, to the cent.

    A payment that does not count (`counted=False`: declined) is only checked for its
    categories and amounts, not against the balances."""
    if not lines:
        return [Msg.of(N_("a payment needs at least one line: --line CATEGORY=AMOUNT"))]
    problems: list[Msg] = []
    seen: set[str] = set()
    total = ZERO
    for category, amount in lines:
        repeated = repeated_problem(category, seen)
        if repeated is not None:
            problems.append(repeated)
            continue
        problem = cents_problem(amount)
        if problem is not None:
            problems.append(
                Msg.of(N_('line "{category}": {problem}'), category=category, problem=problem)
            )
            continue
        if amount == 0:
            problems.append(
                Msg.of(N_('line "{category}": the amount is zero: leave it out'), category=category)
            )
            continue
        amount = to_cents(amount)
        line_budget = budget.get(category)
        if line_budget is None:
            problems.append(
                Msg.of(
                    N_('there is no budget line "{category}"; the lines are {lines}'),
                    category=category,
                    lines=", ".join(budget) or "-",
                )
            )
            continue
        total += amount
        if not counted:
            continue
        used = spent.get(category, ZERO)
        balance = line_budget - used
        if amount > balance:
            problems.append(
                Msg.of(
                    N_(
                        'the payment would overdraw line "{category}": {amount} asked, {balance}'
                        " left ({over} over)"
                    ),
                    category=category,
                    amount=amount,
                    balance=balance,
                    over=amount - balance,
                )
            )
        elif used + amount < 0:
            problems.append(
                Msg.of(
                    N_(
                        'the repayment of {repaid} to line "{category}" is more than the {spent}'
                        " spent on it"
                    ),
                    category=category,
                    repaid=-amount,
                    spent=used,
                )
            )
    if not problems and counted:
        obligated = sum(budget.values(), ZERO)
        used_total = sum(spent.values(), ZERO)
        if used_total + total > obligated:
            problems.append(
                Msg.of(
                    N_(
                        "the payment would overdraw the subcontract: {amount} asked, {balance}"
                        " left ({over} over)"
                    ),
                    amount=total,
                    balance=obligated - used_total,
                    over=used_total + total - obligated,
                )
            )
        elif used_total + total < 0:
            problems.append(
                Msg.of(
                    N_("the repayment of {repaid} is more than the {spent} spent"),
                    repaid=-total,
                    spent=used_total,
                )
            )
    return problems


def apply_payment(spent: dict[str, Decimal], lines: Iterable[tuple[str, Decimal]]) -> None:
    """Add a counted payment's lines to the running `spent` per category."""
    for category, amount in lines:
        spent[category] = spent.get(category, ZERO) + amount


def payment_transition_problem(current: str, new: str) -> Msg | None:
    if new == current:
        return Msg.of(N_("the payment is {status} already"), status=Choices((current,)))
    if new not in PAYMENT_TRANSITIONS.get(current, frozenset()):
        return Msg.of(
            N_("a {current} payment cannot become {new}: {rule}"),
            current=Choices((current,)),
            new=Choices((new,)),
            rule=Msg.of(
                N_(
                    "submitted -> approved -> paid, or declined before it is paid; paid and"
                    " declined are final (record a repayment as a negative payment)"
                )
            ),
        )
    return None
