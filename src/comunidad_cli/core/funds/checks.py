"""The checks of a round file, in the by-laws' style: each a plain function
`(draft, context) -> findings` over what could be read (`core/funds/reading.py`), listed in
`CHECKS`; `check_round` runs the shape reading and then every check, collecting all
findings instead of stopping at the first.

A check skips the values that could not be read (their shape finding is already there),
so one mistake is said once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from comunidad_cli.core.choices import Choices, parse
from comunidad_cli.core.findings import Finding, Severity
from comunidad_cli.core.fractions import format_fraction
from comunidad_cli.core.funds.codes import finding
from comunidad_cli.core.funds.reading import SHAPE, read
from comunidad_cli.core.funds.round import (
    AWARD_MODES,
    CRITERION_PREFIX,
    DATE_KEYS,
    SCHEMA_VERSION,
    TIE_BREAKS,
    Draft,
    Round,
)
from comunidad_cli.core.messages import N_


@dataclass(frozen=True, slots=True)
class Context:
    """What checks may know beyond the file, given by the service: the decimals of a
    currency (None when the code is no currency), the organisation kinds there are, and the
    bodies of the workspace's by-laws (None outside a workspace: `body` is not checked), and
    the reader's decimal mark ("," in es_CL) to say what "6.000" might have meant."""

    currency_digits: Callable[[str], int | None]
    org_kinds: tuple[str, ...]
    bodies: tuple[str, ...] | None = None
    decimal_mark: str | None = None


Check = Callable[[Draft, Context], Iterable[Finding]]


def _number(value: Fraction) -> str:
    """A score or weight as people write it: 3, 3.5, 1/3."""
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(decimal) == value:
        return str(decimal)
    return format_fraction(value)


# --- FD1xx: values among the allowed ones ----------------------------------------------------


def check_kinds(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """Eligible organisation kinds are those `comunidad org add --kind` knows, in the words
    it accepts (`comunitaria`, `comunitària`): the draft keeps the stored value."""
    kinds: list[str] = []
    for i, kind in enumerate(draft.kinds or ()):
        value = parse(kind, ctx.org_kinds)
        if isinstance(value, str):
            kinds.append(value)
            continue
        yield finding(
            "FD106",
            ("eligibility", "kinds", i),
            N_('unknown organisation kind "{kind}": the kinds are {allowed}'),
            kind=kind,
            allowed=Choices(ctx.org_kinds),
        )
    if draft.kinds is not None:
        draft.kinds = tuple(dict.fromkeys(kinds))


def check_body(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """The body that runs the round is one of the by-laws' bodies, where they are known."""
    if draft.body is None or ctx.bodies is None or draft.body in ctx.bodies:
        return
    yield finding(
        "FD113",
        ("body",),
        N_('no body "{body}" in the workspace\'s by-laws: the bodies are {bodies}'),
        at_value=True,
        body=draft.body,
        bodies=", ".join(ctx.bodies) or "-",
    )


def check_reviewers_body(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """The body whose seat-holders score is one of the by-laws' bodies, where they are
    known: scores by people of a body the by-laws lack could never be taken."""
    chosen = draft.reviewers_body
    if chosen is None or ctx.bodies is None or chosen in ctx.bodies:
        return
    yield finding(
        "FD114",
        ("reviewers_body",),
        N_(
            'no body "{body}" in the workspace\'s by-laws for the reviewers: the bodies are {bodies}'
        ),
        at_value=True,
        body=chosen,
        bodies=", ".join(ctx.bodies) or "-",
    )


def check_criterion_ids(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """A criterion id names one criterion (tie-breaks and scores refer to it)."""
    seen: set[str] = set()
    for c in draft.criteria:
        if c.id is None:
            continue
        if c.id in seen:
            yield finding(
                "FD111",
                ("criteria", c.index, "id"),
                N_('criterion id "{id}" is used twice: scores name criteria by id'),
                at_value=True,
                id=c.id,
            )
        seen.add(c.id)


# --- FD2xx: dates in order -------------------------------------------------------------------


def check_dates(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """Each step on or after the one before it; applications open before they close."""
    previous: str | None = None
    for key in DATE_KEYS:
        if key not in draft.dates:
            continue
        if previous is not None and draft.dates[key] < draft.dates[previous]:
            if (previous, key) == ("applications_open", "applications_close"):
                yield finding(
                    "FD202",
                    ("dates", key),
                    N_("applications close on {close}, before they open on {open}"),
                    at_value=True,
                    close=draft.dates[key],
                    open=draft.dates[previous],
                )
            else:
                yield finding(
                    "FD201",
                    ("dates", key),
                    N_("{key} ({value}) comes before {previous} ({before}): the steps go {order}"),
                    at_value=True,
                    key=key,
                    value=draft.dates[key],
                    previous=previous,
                    before=draft.dates[previous],
                    order=" <= ".join(DATE_KEYS),
                )
        previous = key
    opening, closing = draft.dates.get("applications_open"), draft.dates.get("applications_close")
    if opening is not None and closing is not None and opening == closing:
        yield finding(
            "FD202",
            ("dates", "applications_close"),
            N_("applications close on the day they open ({close}): give them at least a day"),
            at_value=True,
            close=closing,
        )


def check_accountability(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """Funded projects run from the award (or a later start) to an end after it, and owe
    their reports once they have started."""
    plan = draft.accountability
    if plan is None:
        return
    award = draft.dates.get("award")
    start = plan.start if plan.start is not None else award
    if plan.start is not None and award is not None and plan.start < award:
        yield finding(
            "FD203",
            ("accountability", "start"),
            N_("the funded projects start on {start}, before the award on {award}"),
            at_value=True,
            start=plan.start,
            award=award,
        )
    if plan.end is not None and start is not None and plan.end < start:
        yield finding(
            "FD204",
            ("accountability", "end"),
            N_("the funded projects end on {end}, before they start on {start}"),
            at_value=True,
            end=plan.end,
            start=start,
        )
    for report in plan.reports:
        if report.due is not None and start is not None and report.due < start:
            yield finding(
                "FD205",
                ("accountability", "reports", report.index, "due"),
                N_("this report is due on {due}, before the funded projects start on {start}"),
                at_value=True,
                due=report.due,
                start=start,
            )


# --- FD3xx: money ----------------------------------------------------------------------------


def _decimals(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def check_money(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """The currency known and kept to the cent; amounts in its digits, positive, in order."""
    digits: int | None = None
    if draft.currency is not None:
        digits = ctx.currency_digits(draft.currency)
        if digits is None:
            yield finding(
                "FD301",
                ("currency",),
                N_(
                    '"{currency}" is not a currency code known to comunidad (ISO 4217, such as CLP or EUR)'
                ),
                at_value=True,
                currency=draft.currency,
            )
        elif digits > 2:
            yield finding(
                "FD302",
                ("currency",),
                N_(
                    "amounts in {currency} have {digits} decimals, and comunidad keeps money"
                    " to the cent (2 decimals): choose the currency the budget is paid in"
                ),
                at_value=True,
                currency=draft.currency,
                digits=digits,
            )
            digits = None
    amounts = {
        key: getattr(draft, key) for key in ("budget", "min_amount", "max_amount", "own_amount")
    }
    for key, amount in amounts.items():
        if amount is None:
            continue
        grouped = ctx.decimal_mark == "," and _decimals(amount) == 3
        if digits is not None and _decimals(amount) > digits and grouped:
            # "6.000" where the reader writes 6.000 for six thousand: say it, never guess
            yield finding(
                "FD303",
                (key,),
                N_(
                    "{key} = {value}: amounts in {currency} have {digits} decimals; if the"
                    ' "." separates thousands, write {meant}'
                ),
                at_value=True,
                key=key,
                value=str(amount),
                currency=draft.currency,
                digits=digits,
                meant=str(amount.scaleb(3).quantize(Decimal(1))),
            )
        elif digits is not None and _decimals(amount) > digits:
            yield finding(
                "FD303",
                (key,),
                N_("{key} = {value}: amounts in {currency} have {digits} decimals"),
                at_value=True,
                key=key,
                value=str(amount),
                currency=draft.currency,
                digits=digits,
            )
        if key != "own_amount" and amount <= 0:
            yield finding(
                "FD304",
                (key,),
                N_("{key} must be more than zero, found {value}"),
                at_value=True,
                key=key,
                value=str(amount),
            )
    low, high, budget = draft.min_amount, draft.max_amount, draft.budget
    if low is not None and high is not None and low > high:
        yield finding(
            "FD305",
            ("min_amount",),
            N_("min_amount ({low}) is above max_amount ({high}): no amount could be asked"),
            at_value=True,
            low=str(low),
            high=str(high),
        )
    if budget is not None and budget > 0:
        for key in ("min_amount", "max_amount"):
            amount = amounts[key]
            if amount is not None and amount > budget:
                yield finding(
                    "FD306",
                    (key,),
                    N_("{key} ({value}) is above the budget ({budget})"),
                    at_value=True,
                    key=key,
                    value=str(amount),
                    budget=str(budget),
                )
    share = draft.own_share
    if share is not None and not 0 <= share < 1:
        yield finding(
            "FD307",
            ("own_share",),
            N_(
                "own_share {share} is not a share of the project: write a fraction from 0 up"
                ' to, not including, 1 (such as "1/10")'
            ),
            at_value=True,
            share=_number(share),
        )


# --- FD4xx: the rubric -----------------------------------------------------------------------


def check_weights(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """Every weight more than zero, and together exactly 1 (exact fractions, never floats)."""
    if draft.criteria_given and not draft.criteria:
        yield finding(
            "FD407", ("criteria",), N_("the round has no criteria: add [[criteria]] tables")
        )
        return
    weights = [c.weight for c in draft.criteria]
    wrong = False
    for c in draft.criteria:
        if c.weight is not None and not 0 < c.weight <= 1:
            wrong = True
            yield finding(
                "FD402",
                ("criteria", c.index, "weight"),
                N_("weight {weight} of criterion {id} must be more than 0 and at most 1"),
                at_value=True,
                weight=_number(c.weight),
                id=c.id or c.index + 1,
            )
    if draft.criteria and not wrong and all(w is not None for w in weights):
        total = sum((w for w in weights if w is not None), Fraction(0))
        if total != 1:
            yield finding(
                "FD401",
                ("criteria",),
                N_("the criteria's weights sum to {total}, not 1: they are {weights}"),
                total=_number(total),
                weights=" + ".join(_number(w) for w in weights if w is not None),
            )


def check_scales(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """A scale from a lower to a higher point, with a descriptor for each point, no more."""
    for c in draft.criteria:
        path = ("criteria", c.index)
        scale = c.scale
        if scale is not None and scale.min >= scale.max:
            yield finding(
                "FD403",
                (*path, "scale"),
                N_("the scale of criterion {id} goes from {min} to {max}: min must be below max"),
                id=c.id or c.index + 1,
                min=scale.min,
                max=scale.max,
            )
            continue
        if scale is None or c.levels is None:
            continue
        missing = [str(p) for p in scale.points if p not in c.levels]
        if missing:
            yield finding(
                "FD404",
                (*path, "levels"),
                N_("criterion {id} has no descriptor for point {points} of its scale {min}-{max}"),
                id=c.id or c.index + 1,
                points=", ".join(missing),
                min=scale.min,
                max=scale.max,
            )
        for point in c.levels:
            if point not in scale.points:
                yield finding(
                    "FD404",
                    (*path, "levels", str(point)),
                    N_("level {point} of criterion {id} is off its scale {min}-{max}"),
                    point=point,
                    id=c.id or c.index + 1,
                    min=scale.min,
                    max=scale.max,
                )


def _common_scale(draft: Draft) -> tuple[Fraction, Fraction] | None:
    """The lowest and highest weighted total the rubric can give, when it can be known."""
    if not draft.criteria:
        return None
    low, high = Fraction(0), Fraction(0)
    for c in draft.criteria:
        if c.scale is None or c.weight is None or c.scale.min >= c.scale.max:
            return None
        low += c.weight * c.scale.min
        high += c.weight * c.scale.max
    return low, high


def check_scores(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """min_score a weighted total the rubric can give; a spread that can be exceeded."""
    bounds = _common_scale(draft)
    if bounds is None:
        return
    low, high = bounds
    if draft.min_score is not None and not low <= draft.min_score <= high:
        yield finding(
            "FD406",
            ("min_score",),
            N_(
                "min_score {score} is outside the weighted totals the rubric gives, {low} to {high}"
            ),
            at_value=True,
            score=_number(draft.min_score),
            low=_number(low),
            high=_number(high),
        )
    if draft.max_spread is not None and draft.max_spread >= high - low:
        yield finding(
            "FD408",
            ("max_spread",),
            N_(
                "max_spread {spread} is never exceeded: weighted totals differ by at most"
                " {range}, so no reviewers would ever be flagged"
            ),
            at_value=True,
            spread=_number(draft.max_spread),
            range=_number(high - low),
        )


# --- FD5xx: tie-break and award mode ---------------------------------------------------------


def check_tie_break(draft: Draft, ctx: Context) -> Iterator[Finding]:
    """Known words; criterion:<id> names a criterion; the lottery last; nothing twice."""
    chain = draft.tie_break or ()
    known = {c.id for c in draft.criteria if c.id is not None}
    seen: set[str] = set()
    allowed = ", ".join((*TIE_BREAKS[:1], f"{CRITERION_PREFIX}<id>", *TIE_BREAKS[1:]))
    for i, word in enumerate(chain):
        path = ("tie_break", i)
        if word in seen:
            yield finding(
                "FD505",
                path,
                N_('"{word}" is in the tie-break twice: the second can never decide'),
                at_value=True,
                word=word,
            )
        seen.add(word)
        if word.startswith(CRITERION_PREFIX):
            criterion = word.removeprefix(CRITERION_PREFIX)
            if criterion not in known and all(c.id is not None for c in draft.criteria):
                yield finding(
                    "FD503",
                    path,
                    N_('"{word}" names no criterion of this round: the criteria are {criteria}'),
                    at_value=True,
                    word=word,
                    criteria=", ".join(sorted(known)) or "-",
                )
        elif word not in TIE_BREAKS:
            yield finding(
                "FD501",
                path,
                N_('unknown tie-break "{word}": choose from {allowed}'),
                at_value=True,
                word=word,
                allowed=allowed,
            )
        elif word == "lottery" and i != len(chain) - 1:
            yield finding(
                "FD502",
                path,
                N_("the lottery must be the last tie-break: nothing after it could ever decide"),
                at_value=True,
            )


def check_award_mode(draft: Draft, ctx: Context) -> Iterator[Finding]:
    if draft.award_mode is not None and draft.award_mode not in AWARD_MODES:
        yield finding(
            "FD504",
            ("award_mode",),
            N_('unknown award mode "{mode}": choose from {allowed}'),
            at_value=True,
            mode=draft.award_mode,
            allowed=", ".join(AWARD_MODES),
        )


CHECKS: tuple[Check, ...] = (
    check_body,
    check_reviewers_body,
    check_kinds,
    check_criterion_ids,
    check_dates,
    check_accountability,
    check_money,
    check_weights,
    check_scales,
    check_scores,
    check_tie_break,
    check_award_mode,
)


def check_round(data: Mapping[str, Any], ctx: Context) -> tuple[Round | None, list[Finding]]:
    """Every finding of a round file's data, and the round when none is an error."""
    unsupported = SHAPE.version_finding(data, SCHEMA_VERSION)
    if unsupported is not None:
        return None, [unsupported]
    draft, findings = read(data, ctx.decimal_mark)
    for check in CHECKS:
        findings.extend(check(draft, ctx))
    if any(f.severity is Severity.ERROR for f in findings):
        return None, findings
    return draft.complete(), findings
