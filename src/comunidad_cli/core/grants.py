"""Grant administration, the pure part: budgets, amendments, payments, deliverables.

No I/O, no database: services load rows, call these functions and persist. Money is
`Decimal` to the cent; amounts with more decimals are refused, never rounded. Problems are
returned as `Msg` data (English source text marked with `N_`), translated at the edge.

The rules, where the issue leaves a choice:

- **Budget position.** A subcontract's budget per category is its original line plus the
  deltas of every amendment *in force*: an amendment that does not need the funder's
  approval is in force when recorded; one that needs it, only once approved. The obligated
  amount is the sum of the lines. Spent is the sum of the payments that count; balance is
  budget minus spent, per line and in total.
- **Payments that count**: `submitted`, `approved` and `paid` (an invoice submitted is
  money claimed against the line, so it is reserved); `declined` does not count.
- **Money moved by an amendment** between lines is the smaller of the sum of its positive
  deltas and the sum of its negative deltas (in absolute value): what left one line and
  arrived in another. The rest is new (or returned) money, which changes the obligated
  amount and is checked against the grant instead.
- **Budget revision needing the funder's approval** (2 CFR 200.308 style, cumulative so a
  large move cannot be split into small ones): the money moved by this amendment plus every
  amendment since the last one the funder approved, compared with `threshold` x the
  obligated amount as of that approval (or the original budget). More than that is
  flagged; exactly at the threshold is not.
- **Decimals as typed**: an amount typed with more decimals than its currency has (CLP 0,
  EUR and USD 2) is refused (`precision_problem`, with the currency's digits from the edge),
  even when the extra ones are zeros: "650,000" pesos may mean 650.000, and "3,480" euros
  3.480, so the message asks instead of guessing.
- **Payment checks**: each line names an existing category, once; amounts are in cents and
  not zero; a negative amount is a repayment. A line is refused if it would overdraw its
  balance (allowed at exactly the balance, refused one cent over) or if a repayment would
  make its spent negative; the same for the subcontract's total.
- **Status**: draft -> active -> closing -> closed, forward only. Leaving draft requires a
  risk assessment on file. Payments only on active or closing subcontracts.
- **Deliverables**: once, or every N weeks or months from the first due date until `until`
  (default: the subcontract's end). The k-th date is computed from the first one, not from
  the previous one, with month-end clamping: Jan 31 + 1 month = Feb 28 (29 in leap years),
  + 2 months = Mar 31. An occurrence is *overdue* when its due date is before `today` and
  it was not submitted; *very late* when overdue by more than 14 days.
- **Payment holds**: a deliverable with `holds_payments` blocks approving or paying while
  one of its occurrences is overdue on the day considered (submitted after that day counts
  as not submitted then).
- **Overdraw risk**: a line (or the total) whose spent share of its budget exceeds the
  share of the subcontract's period elapsed by more than one tenth.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from comunidad_cli.core.importing import KEY_MAX, Invalid, decimals_problem, key_problem
from comunidad_cli.core.messages import N_, Msg

CENT = Decimal("0.01")
#: The largest amount a NUMERIC(14, 2) column holds.
MAX_AMOUNT = Decimal("999999999999.99")
ZERO = Decimal(0)
SUBCONTRACT_KINDS = ("subaward", "contract")
SUBCONTRACT_STATUSES = ("draft", "active", "closing", "closed")
PAYABLE_STATUSES = frozenset({"active", "closing"})
PAYMENT_STATUSES = ("submitted", "approved", "paid", "declined")
COUNTED_STATUSES = frozenset({"submitted", "approved", "paid"})
HELD_STATUSES = frozenset({"approved", "paid"})
RISK_LEVELS = ("low", "medium", "high")
UNITS = ("weeks", "months")
VERY_LATE_DAYS = 14
OVERDRAW_MARGIN = Fraction(1, 10)
MAX_OCCURRENCES = 10_000
#: Payment status changes allowed: paid and declined are final (a repayment is a new payment).
PAYMENT_TRANSITIONS: Mapping[str, frozenset[str]] = {
    "submitted": frozenset({"approved", "paid", "declined"}),
    "approved": frozenset({"paid", "declined"}),
    "paid": frozenset(),
    "declined": frozenset(),
}


# --- amounts and periods ------------------------------------------------------------------


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


# --- budget position ----------------------------------------------------------------------


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
    amended: dict[str, Decimal] = {category: ZERO for category in original}
    for amendment in sorted(amendments, key=lambda a: a.number):
        if amendment.in_force:
            for category, delta in amendment.deltas.items():
                amended[category] = amended.get(category, ZERO) + delta
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


# --- amendments and budget revisions ------------------------------------------------------


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
        if category in seen:
            problems.append(Msg.of(N_('category "{category}" is given twice'), category=category))
            continue
        seen.add(category)
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


# --- payments -----------------------------------------------------------------------------


def budget_line_problems(lines: Sequence[tuple[str, Decimal]]) -> list[Msg]:
    """Original budget lines: at least one, each category once, amounts more than zero."""
    if not lines:
        return [Msg.of(N_("a subcontract needs at least one budget line: --line CATEGORY=AMOUNT"))]
    problems: list[Msg] = []
    seen: set[str] = set()
    for category, amount in lines:
        if category in seen:
            problems.append(Msg.of(N_('category "{category}" is given twice'), category=category))
            continue
        seen.add(category)
        problem = amount_problem(amount)
        if problem is not None:
            problems.append(
                Msg.of(N_('line "{category}": {problem}'), category=category, problem=problem)
            )
    return problems


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
        if category in seen:
            problems.append(Msg.of(N_('category "{category}" is given twice'), category=category))
            continue
        seen.add(category)
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
        return Msg.of(N_("the payment is {status} already"), status=current)
    if new not in PAYMENT_TRANSITIONS.get(current, frozenset()):
        return Msg.of(
            N_("a {current} payment cannot become {new}: {rule}"),
            current=current,
            new=new,
            rule=Msg.of(
                N_(
                    "submitted -> approved -> paid, or declined before it is paid; paid and"
                    " declined are final (record a repayment as a negative payment)"
                )
            ),
        )
    return None


# --- subcontract status -------------------------------------------------------------------


def status_problem(current: str, new: str, *, has_risk: bool, one_step: bool = True) -> Msg | None:
    """Why `current` cannot become `new`: forward only (one step at a time with
    `one_step`), and leaving draft needs a risk assessment on file."""
    order = SUBCONTRACT_STATUSES
    if new == current:
        return Msg.of(N_("the subcontract is {status} already"), status=current)
    if new not in order or current not in order:
        return Msg.of(
            N_('"{status}" is not one of: {choices}'), status=new, choices=", ".join(order)
        )
    step = order.index(new) - order.index(current)
    if step < 0 or (one_step and step > 1):
        return Msg.of(
            N_("a {current} subcontract cannot become {new}: the order is {order}"),
            current=current,
            new=new,
            order=" -> ".join(order),
        )
    if current == "draft" and not has_risk:
        return Msg.of(
            N_(
                "a subcontract cannot leave draft without a risk assessment on file: record one"
                ' with "comunidad subcontract risk"'
            )
        )
    return None


def payable_problem(status: str) -> Msg | None:
    if status not in PAYABLE_STATUSES:
        return Msg.of(
            N_(
                "payments are only recorded on active or closing subcontracts; this one is {status}"
            ),
            status=status,
        )
    return None


# --- deliverables -------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (Jan 31 + 1 = Feb 28/29)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_problem(
    first_due: date,
    every: int | None,
    unit: str | None,
    until: date | None,
    start: date,
) -> Msg | None:
    """A deliverable's schedule: a unit goes with `every`; dates in order."""
    if first_due < start:
        return Msg.of(
            N_("the first due date {due} is before the subcontract starts ({start})"),
            due=first_due,
            start=start,
        )
    if (every is None) != (unit is None):
        return Msg.of(N_("a recurring deliverable needs both --every N and --unit weeks|months"))
    if every is not None and every < 1:
        return Msg.of(N_("--every must be 1 or more, not {every}"), every=every)
    if until is not None and every is None:
        return Msg.of(N_("--until is for recurring deliverables (with --every)"))
    if until is not None and until < first_due:
        return Msg.of(
            N_("--until ({until}) is before the first due date ({due})"), until=until, due=first_due
        )
    return None


def due_dates(first_due: date, every: int | None, unit: str | None, until: date) -> list[date]:
    """Every due date: `first_due`, then every `every` weeks or months (each computed from
    `first_due`, so month-end clamping does not drift) up to `until` included."""
    if every is None or unit is None:
        return [first_due]
    dates: list[date] = []
    for k in range(MAX_OCCURRENCES):
        due = (
            first_due + timedelta(weeks=every * k)
            if unit == "weeks"
            else add_months(first_due, every * k)
        )
        if due > until:
            break
        dates.append(due)
    return dates


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due date of a deliverable, its submission (if any) and its flags on `today`."""

    due: date
    submitted_on: date | None
    overdue: bool
    very_late: bool
    days_late: int

    @property
    def late_submission(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due


def occurrence(due: date, submitted_on: date | None, today: date) -> Occurrence:
    if submitted_on is not None:
        late = max((submitted_on - due).days, 0)
        return Occurrence(due, submitted_on, False, False, late)
    late = max((today - due).days, 0)
    return Occurrence(due, None, late > 0, late > VERY_LATE_DAYS, late)


def occurrences(
    dues: Iterable[date], submissions: Mapping[date, date], today: date
) -> list[Occurrence]:
    return [occurrence(due, submissions.get(due), today) for due in dues]


@dataclass(frozen=True, slots=True)
class HoldingReport:
    """A report that holds payments: its title and due dates with their submissions."""

    title: str
    dues: tuple[date, ...]
    submissions: Mapping[date, date] = field(default_factory=dict)

    def overdue_on(self, day: date) -> date | None:
        """The first due date overdue on `day` (due before it, not submitted by then)."""
        for due in self.dues:
            if due >= day:
                return None
            submitted = self.submissions.get(due)
            if submitted is None or submitted > day:
                return due
        return None


def hold_problem(reports: Iterable[HoldingReport], day: date) -> Msg | None:
    """Why a payment must wait on `day`: a report that holds payments is overdue."""
    for report in reports:
        due = report.overdue_on(day)
        if due is not None:
            return Msg.of(
                N_(
                    'payments wait for the report "{title}" due {due}, overdue on {day}: record'
                    ' it with "comunidad deliverable submit" first'
                ),
                title=report.title,
                due=due,
                day=day,
            )
    return None


# --- attention flags ----------------------------------------------------------------------


def elapsed_share(start: date, end: date, today: date) -> Fraction:
    """The share of [start, end] (both days included) elapsed by the end of `today`, 0..1."""
    days = (end - start).days + 1
    done = (today - start).days + 1
    return Fraction(min(max(done, 0), days), days) if days > 0 else Fraction(1)


def overdraw_risk(budget_position: BudgetPosition, start: date, end: date, today: date) -> bool:
    """Spending running ahead of time: a line (or the total) with a larger share of its
    budget spent than the share of the period elapsed plus one tenth."""
    elapsed = elapsed_share(start, end, today)
    pairs = [(line.budget, line.spent) for line in budget_position.lines]
    pairs.append((budget_position.obligated, budget_position.spent))
    return any(
        budget > 0 and Fraction(spent) / Fraction(budget) > elapsed + OVERDRAW_MARGIN
        for budget, spent in pairs
    )


#: Why a subcontract needs attention, in the order they are shown (machine names: the edge
#: words them). One list for `subcontract list|show`, `grant show` and `summary`.
ATTENTION_REASONS = (
    "missing_risk_assessment",
    "very_late_reports",
    "overdue_reports",
    "overdraw_risk",
    "revision_awaiting_approval",
)


def attention_reasons(
    *,
    status: str,
    risk_on_file: bool,
    overdue: int,
    very_late: int,
    overdraw: bool,
    pending_revisions: int,
) -> tuple[str, ...]:
    """Every reason a subcontract needs attention (none once it is closed): a missing risk
    assessment, reports very late (or else overdue), overdraw risk, a budget revision
    awaiting the funder's approval. The one place these are decided, so no report omits one."""
    if status == "closed":
        return ()
    found: list[str] = []
    if not risk_on_file:
        found.append("missing_risk_assessment")
    if very_late:
        found.append("very_late_reports")
    elif overdue:
        found.append("overdue_reports")
    if overdraw:
        found.append("overdraw_risk")
    if pending_revisions:
        found.append("revision_awaiting_approval")
    return tuple(found)


# --- parsing what users type --------------------------------------------------------------


def parse_category(value: str) -> str:
    """A budget category: a key such as `personnel` or `gastos-generales`."""
    category = value.strip()
    if key_problem(category) is not None or len(category) > KEY_MAX:
        raise Invalid.of(
            N_(
                'category "{value}" is not valid: use lower-case letters, digits, "-" and "_",'
                " starting with a letter (e.g. personnel)"
            ),
            value=value,
        )
    return category


def parse_line_spec(text: str, parse_money: Callable[[str], Decimal]) -> tuple[str, Decimal]:
    """`CATEGORY=AMOUNT` (amount in the locale's convention) -> (category, amount).

    Raises `Invalid` for a bad category or amount; `ValueError` when there is no `=`."""
    category, sign, amount = text.partition("=")
    if not sign:
        raise ValueError(text)
    return parse_category(category), parse_money(amount.strip())
