"""Resource mobilisation: funding, donations, in-kind gifts and volunteer hours; pure, no I/O.

Rules (money is `Decimal`, ratios are exact `Fraction`s; rounding happens only where said):

- **Pledged and received.** `pledged` is what was committed, `received` what has arrived so
  far. A resource logged as received only was also committed (pledged defaults to received);
  one logged as pledged only has received nothing yet. Received may exceed pledged.
  *Outstanding* is what is pledged and not yet received (never below zero); *mobilised* is,
  per resource, the larger of pledged and received.
- **Volunteer hours** are valued at the workspace's `volunteer_hour_rate`: hours x rate,
  computed exactly, then rounded half-up to the cent once, when the resource is stored (the
  value is kept as both pledged and received, so a later change of the rate does not revalue
  hours already logged). Hours have at most two decimals and must be more than zero.
- **Amounts** are zero or more, with at most two decimals (cents); a resource other than
  volunteer hours needs a pledged or a received amount above zero.
- **Match** (against a grant): the *received* value of the resources linked to the grant,
  of every kind: cash match (`funding`, `donation`) and in-kind match (`in_kind`,
  `volunteer_hours`), as most funders (and 2 CFR 200.306) accept both; pledges do not count
  until received, and resources whose source is the grant's own funder never count (a funder
  cannot match itself). Match ratio = match / grant amount; share of the required match met
  = match / the grant's required match; shortfall = required match - match (not below 0).
- **Leverage** = everything mobilised for the grant (pledged or received, every source and
  kind) / grant amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.values import typed_decimals
from comunidad_cli.core.messages import N_, Msg

KINDS = ("funding", "donation", "in_kind", "volunteer_hours")
VOLUNTEER = "volunteer_hours"
CASH_KINDS = ("funding", "donation")
IN_KIND_KINDS = ("in_kind", "volunteer_hours")
#: The kinds whose received value counts toward a grant's required match.
MATCH_KINDS = (*CASH_KINDS, *IN_KIND_KINDS)
CENT = Decimal("0.01")
ZERO = Decimal(0)


def to_cents(value: Decimal) -> Decimal:
    """`value` rounded half-up to the cent: 0.005 -> 0.01, 12.344 -> 12.34."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def volunteer_value(hours: Decimal, rate: Decimal) -> Decimal:
    """The exact value of volunteer hours at an hourly rate (not rounded)."""
    return hours * rate


def percent(value: Fraction, places: int = 1) -> Decimal:
    """A ratio as a percentage rounded half-up: 1/8 -> 12.5, 2/3 -> 66.7 (for the edge)."""
    scaled = abs(value) * 100 * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    sign = "-" if value < 0 and whole else ""
    return Decimal(f"{sign}{whole}").scaleb(-places)


MAX_AMOUNT = Decimal("1e12")  # the money columns hold 12 digits before the point


def _cents_only(value: Decimal, what: str) -> None:
    """Zero or more, below MAX_AMOUNT, with at most two decimals; else `Invalid`."""
    if not value.is_finite():
        raise Invalid.of(N_("{what} must be a number"), what=what)
    if value < 0:
        raise Invalid.of(N_("{what} cannot be negative ({value})"), what=what, value=str(value))
    if value >= MAX_AMOUNT:
        raise Invalid.of(N_("{what} is too large ({value})"), what=what, value=str(value))
    if value != to_cents(value) or typed_decimals(value) > 2:  # 1.250 hours may mean 1,250
        raise Invalid.of(
            N_("{what} has more than two decimals ({value}): write it to the cent"),
            what=what,
            value=str(value),
        )


@dataclass(frozen=True, slots=True)
class Values:
    """What is stored for one resource: pledged, received (money) and hours."""

    pledged: Decimal
    received: Decimal
    hours: Decimal | None


def resolve(
    kind: str,
    *,
    pledged: Decimal | None,
    received: Decimal | None,
    hours: Decimal | None,
    rate: Decimal | None,
) -> Values:
    """The stored values of a resource, or `Invalid` saying what is wrong (see the rules)."""
    if kind not in KINDS:
        raise Invalid.of(
            N_('"{value}" is not one of: {choices}'), value=kind, choices=", ".join(KINDS)
        )
    if kind == VOLUNTEER:
        if pledged is not None or received is not None:
            raise Invalid.of(
                N_(
                    "volunteer hours are valued from the hours and the workspace's hourly rate:"
                    " give the hours, not pledged or received amounts"
                )
            )
        if hours is None:
            raise Invalid.of(N_("volunteer hours need the number of hours (--hours)"))
        _cents_only(hours, "hours")
        if hours == 0:
            raise Invalid.of(N_("the hours must be more than zero"))
        if rate is None:
            raise Invalid(rate_missing())
        value = to_cents(volunteer_value(hours, rate))
        return Values(value, value, hours)
    if hours is not None:
        raise Invalid.of(
            N_("only volunteer_hours resources have hours; give {kind} an amount"), kind=kind
        )
    for amount, what in ((pledged, "pledged"), (received, "received")):
        if amount is not None:
            _cents_only(amount, what)
    if not (pledged or received):
        raise Invalid.of(N_("give a pledged or a received amount above zero"))
    got = received if received is not None else ZERO
    return Values(pledged if pledged is not None else got, got, None)


def rate_missing(config: str = "comunidad.toml") -> Msg:
    return Msg.of(
        N_(
            "volunteer hours are valued at the workspace's value of an hour of volunteering"
            " (`volunteer_hour_rate`), which is not"
            ' set: add a line such as volunteer_hour_rate = "33.49" (the value of one hour,'
            " in the workspace's currency) to {config}"
        ),
        config=config,
    )


# --- totals --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One stored resource, as the totals see it."""

    kind: str
    pledged: Decimal
    received: Decimal
    hours: Decimal | None = None
    from_funder: bool = False  # its source is the funder of the grant it is reported against

    @property
    def outstanding(self) -> Decimal:
        return max(self.pledged - self.received, ZERO)

    @property
    def mobilised(self) -> Decimal:
        return max(self.pledged, self.received)


@dataclass(frozen=True, slots=True)
class KindTotal:
    kind: str
    count: int
    pledged: Decimal
    received: Decimal
    outstanding: Decimal
    mobilised: Decimal
    hours: Decimal | None  # volunteer_hours only


@dataclass(frozen=True, slots=True)
class Totals:
    by_kind: tuple[KindTotal, ...]  # every kind, in KINDS order
    count: int
    pledged: Decimal
    received: Decimal
    outstanding: Decimal
    mobilised: Decimal


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def totals(lines: Sequence[Line]) -> Totals:
    by_kind = []
    for kind in KINDS:
        mine = [line for line in lines if line.kind == kind]
        by_kind.append(
            KindTotal(
                kind,
                len(mine),
                _sum(line.pledged for line in mine),
                _sum(line.received for line in mine),
                _sum(line.outstanding for line in mine),
                _sum(line.mobilised for line in mine),
                _sum(line.hours or ZERO for line in mine) if kind == VOLUNTEER else None,
            )
        )
    return Totals(
        tuple(by_kind),
        len(lines),
        _sum(line.pledged for line in lines),
        _sum(line.received for line in lines),
        _sum(line.outstanding for line in lines),
        _sum(line.mobilised for line in lines),
    )


@dataclass(frozen=True, slots=True)
class GrantPosition:
    """Match and leverage of the resources of one grant; ratios exact (None: divide by 0)."""

    amount: Decimal
    match_required: Decimal
    match: Decimal
    cash_match: Decimal
    in_kind_match: Decimal
    not_counted: Decimal  # received from the grant's own funder: never match
    mobilised: Decimal
    match_ratio: Fraction | None  # match / grant amount
    required_ratio: Fraction | None  # required match / grant amount
    match_met: Fraction | None  # match / required match
    shortfall: Decimal  # required match not yet met
    leverage: Fraction | None  # mobilised / grant amount


def _ratio(numerator: Decimal, denominator: Decimal) -> Fraction | None:
    return Fraction(numerator) / Fraction(denominator) if denominator else None


def grant_position(
    lines: Sequence[Line], amount: Decimal, match_required: Decimal
) -> GrantPosition:
    counted = [line for line in lines if line.kind in MATCH_KINDS and not line.from_funder]
    cash = _sum(line.received for line in counted if line.kind in CASH_KINDS)
    in_kind = _sum(line.received for line in counted if line.kind in IN_KIND_KINDS)
    match = cash + in_kind
    mobilised = _sum(line.mobilised for line in lines)
    return GrantPosition(
        amount=amount,
        match_required=match_required,
        match=match,
        cash_match=cash,
        in_kind_match=in_kind,
        not_counted=_sum(line.received for line in lines if line.from_funder),
        mobilised=mobilised,
        match_ratio=_ratio(match, amount),
        required_ratio=_ratio(match_required, amount),
        match_met=_ratio(match, match_required),
        shortfall=max(match_required - match, ZERO),
        leverage=_ratio(mobilised, amount),
    )
