"""Plain values of grant administration: amounts to the cent, decimals as typed, periods,
budget categories. The checks every other rule builds on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from comunidad_cli.core.importing.ids import KEY_MAX, key_problem
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.values import decimals_problem
from comunidad_cli.core.messages import N_, Msg

CENT = Decimal("0.01")
#: The largest amount a NUMERIC(14, 2) column holds.
MAX_AMOUNT = Decimal("999999999999.99")
ZERO = Decimal(0)


def cents_problem(amount: Decimal) -> Msg | None:
    """Why `amount` is not an amount to the cent that the database holds, or None."""
    if not amount.is_finite():
        return Msg.of(N_('"{amount}" is not an amount'), amount=str(amount))
    if abs(amount) > MAX_AMOUNT:
        return Msg.of(
            N_("{amount} is too large: amounts go up to {max}"),
            amount=str(amount),
            max=str(MAX_AMOUNT),
        )
    if amount.quantize(CENT) != amount:
        return Msg.of(
            N_("{amount} has more than two decimals: amounts are to the cent"),
            amount=str(amount),
        )
    return None


def precision_problem(
    amount: Decimal, digits: int, currency: str, decimal_mark: str | None = None
) -> Msg | None:
    """Why `amount` was typed with more decimals than `currency` uses (CLP: none), or None.

    The decimals as typed count, not the value ("650,000" pesos is refused): see
    `core.importing.decimals_problem`; `decimal_mark` is the convention it was typed in.
    """
    if not amount.is_finite():
        return None
    return decimals_problem(amount, digits, currency, decimal_mark)


def to_cents(amount: Decimal) -> Decimal:
    """An amount already checked by `cents_problem`, with exactly two decimals."""
    return amount.quantize(CENT)


def amount_problem(amount: Decimal, *, allow_zero: bool = False) -> Msg | None:
    """A positive amount to the cent (zero only if `allow_zero`)."""
    problem = cents_problem(amount)
    if problem is not None:
        return problem
    if amount < 0 or (amount == 0 and not allow_zero):
        return Msg.of(
            N_("{amount} is not allowed here: the amount must be more than zero")
            if not allow_zero
            else N_("{amount} is not allowed here: the amount cannot be negative"),
            amount=amount,
        )
    return None


def period_problem(start: date, end: date) -> Msg | None:
    if end < start:
        return Msg.of(
            N_("the period ends ({end}) before it starts ({start})"), start=start, end=end
        )
    return None


def within_problem(
    start: date, end: date, outer_start: date, outer_end: date, outer: Msg
) -> Msg | None:
    """Why [start, end] is not inside [outer_start, outer_end] of `outer`, or None."""
    if start < outer_start or end > outer_end:
        return Msg.of(
            N_(
                "the period {start} to {end} is outside the {outer}'s period, {outer_start} to {outer_end}"
            ),
            start=start,
            end=end,
            outer=outer,
            outer_start=outer_start,
            outer_end=outer_end,
        )
    return None


def repeated_problem(category: str, seen: set[str]) -> Msg | None:
    """A budget, an amendment or a payment names each category once: the problem when
    `category` is in `seen` already; otherwise it is added to `seen`."""
    if category in seen:
        return Msg.of(N_('category "{category}" is given twice'), category=category)
    seen.add(category)
    return None


def parse_category(value: str) -> str:
    """A budget category: a key such as `personnel` or `gastos-generales`."""
    category = value.strip()
    if key_problem(category) is not None or len(category) > KEY_MAX:
        from comunidad_cli.core.importing.ids import slugify

        # "material didàctic" -> "material-didactic": what the typed words make as a key.
        raise Invalid.of(
            N_(
                'category "{value}" is not valid: use lower-case letters, digits, "-" and "_",'
                " starting with a letter (for this one, {suggested})"
            ),
            value=value,
            suggested=slugify(category or "category", prefix="category"),
        )
    return category


def parse_line_spec(text: str, parse_money: Callable[[str], Decimal]) -> tuple[str, Decimal]:
    """`CATEGORY=AMOUNT` (amount in the locale's convention) -> (category, amount).

    Raises `Invalid` for a bad category or amount; `ValueError` when there is no `=`."""
    category, sign, amount = text.partition("=")
    if not sign:
        raise ValueError(text)
    return parse_category(category), parse_money(amount.strip())
