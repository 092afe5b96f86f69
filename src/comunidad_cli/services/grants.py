"""Grant administration: grants, subcontracts, amendments, risk, payments, deliverables.

Each writing function is one transaction (`writing`) with its audit rows; a refusal raises
`Refused` (a `ServiceError` carrying every problem found and the currency to show amounts
in) before anything is written. The rules themselves are in `comunidad_cli.core.grants`.

For reports (spend-down, `comunidad summary`), two query functions read positions in a
handful of queries whatever the number of payments (sums are done by the database, in
integer cents): `subcontract_positions(source, grant_key=None, today=None)` and
`grant_positions(source, today=None)`, where `source` is a database URL, an open Session
or a Connection. With `as_of=True`, `today` is the day a report is written for (`--as-of`):
payments dated and reports submitted after it are left out, as they were not yet on record.

SQLAlchemy is imported inside the functions: the CLI imports this module to start up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core import grants as core
from comunidad_cli.core.importing import Invalid, make_id, one_line, parse_key
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table
    from sqlalchemy.orm import Session

GRANT_ENTITY = "grant"
SUBCONTRACT_ENTITY = "subcontract"
AMENDMENT_ENTITY = "amendment"
RISK_ENTITY = "risk_assessment"
PAYMENT_ENTITY = "payment"
DELIVERABLE_ENTITY = "deliverable"
SUBMISSION_ENTITY = "submission"
TEXT_MAX = 300
_CURRENCY = re.compile(r"[A-Z]{3}")
ZERO = core.ZERO


class Refused(ServiceError):
    """Every problem found with a request (the first is `msg`), and the currency in which
    the amounts in them are to be shown (None: unknown)."""

    def __init__(
        self, problems: Sequence[Msg], *, currency: str | None = None, exit_code: int = 1
    ) -> None:
        super().__init__(problems[0], exit_code=exit_code)
        self.problems = tuple(problems)
        self.currency = currency


def _refused(text: str, *, currency: str | None = None, **params: Any) -> Refused:
    return Refused([Msg.of(text, **params)], currency=currency)


def _check(problems: Sequence[Msg | None], currency: str | None = None) -> None:
    found = [p for p in problems if p is not None]
    if found:
        raise Refused(found, currency=currency)


def _option(option: str, problem: Msg | None) -> Msg | None:
    return (
        None
        if problem is None
        else Msg.of(N_("{option}: {problem}"), option=option, problem=problem)
    )


# --- validation of plain values -----------------------------------------------------------


def parse_text(value: str) -> str:
    """A title, name or reason: no control characters, spaces collapsed, not empty, not too
    long."""
    text = one_line(value)
    if not text:
        raise Invalid.of(N_("this cannot be empty"))
    if len(text) > TEXT_MAX:
        raise Invalid.of(
            N_("the text is too long ({length} characters; at most {max})"),
            length=len(text),
            max=TEXT_MAX,
        )
    return text


def parse_currency(value: str) -> str:
    code = value.strip().upper()
    if _CURRENCY.fullmatch(code) is None:
        raise Invalid.of(
            N_('"{currency}" is not an ISO 4217 currency code such as EUR, CLP or USD'),
            currency=value,
        )
    return code


def _text(value: str, option: str) -> str:
    try:
        return parse_text(value)
    except Invalid as invalid:
        raise Refused(
            [Msg.of(N_("{option}: {problem}"), option=option, problem=invalid.msg)]
        ) from None


def _choice(value: str, allowed: Sequence[str], option: str) -> str:
    lowered = value.strip().casefold()
    for choice in allowed:
        if choice == lowered:
            return choice
    raise _refused(
        N_('{option}: "{value}" is not one of: {choices}'),
        option=option,
        value=value,
        choices=", ".join(allowed),
    )


@functools.cache
def currency_digits(currency: str) -> int:
    """Decimals amounts in `currency` have (CLP 0, EUR 2), at most 2; Babel's data."""
    from babel.numbers import get_currency_precision

    try:
        return min(int(get_currency_precision(currency)), 2)
    except Exception:  # an unknown code: Babel's errors vary by version
        return 2


def in_currency(data: Any, currency: str) -> Any:
    """`data` (JSON-ready) with every Decimal written with `currency`'s digits, half-up:
    1500 pesos, not 1500.00; 1500.00 euros. For JSON and CSV, where an amount is a number
    printed the way its currency counts (every Decimal in `data` must be money)."""
    from decimal import ROUND_HALF_UP

    unit = Decimal(1).scaleb(-currency_digits(currency))

    def walk(value: Any) -> Any:
        if isinstance(value, Decimal):
            return value.quantize(unit, ROUND_HALF_UP) if value.is_finite() else value
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return walk(data)


def in_currency_msg(msg: Msg, currency: str) -> Msg:
    """`msg` with its amounts (nested messages' too) given `currency`'s digits, for the
    edges that show an amount as a number in the locale (import problems: 900.000 pesos)."""
    params = {
        k: in_currency_msg(v, currency) if isinstance(v, Msg) else in_currency(v, currency)
        for k, v in msg.params.items()
    }
    return Msg(msg.text, MappingProxyType(params), msg.plural, msg.count)


def _precision(
    currency: str, amounts: Sequence[tuple[str, Decimal]], decimal_mark: str | None
) -> None:
    """Refuse amounts (labelled) typed with more decimals than `currency` uses, before any
    other check: until the person says what they meant, the amount is a question."""
    digits = currency_digits(currency)
    found: list[Msg] = []
    for label, amount in amounts:
        problem = core.precision_problem(amount, digits, currency, decimal_mark)
        if problem is not None:
            found.append(Msg.of(N_("{option}: {problem}"), option=label, problem=problem))
    _check(found, currency)


def _not_future(day: date, today: date, option: str) -> None:
    if day > today:
        raise _refused(
            N_("{option}: {day} is in the future (today is {today})"),
            option=option,
            day=day,
            today=today,
        )


# --- tables and lookups -------------------------------------------------------------------


def _t(name: str) -> Table:
    from comunidad_cli.services.directory import table_of

    return table_of(name)


@contextmanager
def _connected(source: str | Session | Connection) -> Iterator[Connection]:
    """A connection from a URL (a read transaction of its own), a Session or a Connection."""
    if isinstance(source, str):
        from comunidad_cli.services.session import reading

        with reading(source) as session:
            yield session.connection()
        return
    from sqlalchemy import Connection

    yield source if isinstance(source, Connection) else source.connection()


def _new_key(
    conn: Connection, table: Table, key: str | None, parts: tuple[str, ...], prefix: str
) -> str:
    from sqlalchemy import select

    from comunidad_cli.services.directory import TakenKeys

    if key is not None:
        try:
            chosen = parse_key(key.strip())
        except Invalid as invalid:
            raise Refused(
                [Msg.of(N_("{option}: {problem}"), option="--id", problem=invalid.msg)]
            ) from None
        if conn.execute(select(table.c.id).where(table.c.key == chosen)).first() is not None:
            raise _refused(
                N_('the id "{key}" is already taken: choose another --id, or leave it out'),
                key=chosen,
            )
        return chosen
    return make_id(*parts, prefix=prefix, taken=TakenKeys(conn, table))


def _org_id(conn: Connection, key: str) -> int:
    from comunidad_cli.services.directory import _org_row

    return int(_org_row(conn, key.strip())["id"])


def _grant_row(conn: Connection, key: str) -> Any:
    from sqlalchemy import select

    table = _t("grant_award")
    row = conn.execute(select(table).where(table.c.key == key.strip())).mappings().first()
    if row is None:
        raise _refused(N_('no grant with id "{key}": see "comunidad grant list"'), key=key)
    return row


def _subcontract_query() -> Any:
    from sqlalchemy import select

    sub, grant, org = _t("subcontract"), _t("grant_award"), _t("organisation")
    return select(
        sub,
        grant.c.key.label("grant_key"),
        grant.c.title.label("grant_title"),
        grant.c.amount.label("grant_amount"),
        grant.c.currency,
        grant.c.start.label("grant_start"),
        grant.c.end.label("grant_end"),
        org.c.key.label("partner_key"),
        org.c.name.label("partner_name"),
    ).select_from(
        sub.join(grant, sub.c.grant_id == grant.c.id).join(org, sub.c.partner_id == org.c.id)
    )


def _subcontract_row(conn: Connection, key: str) -> Any:
    sub = _t("subcontract")
    row = conn.execute(_subcontract_query().where(sub.c.key == key.strip())).mappings().first()
    if row is None:
        raise _refused(
            N_('no subcontract with id "{key}": see "comunidad subcontract list"'), key=key
        )
    return row


def _where_in(query: Any, column: Any, ids: Collection[int] | None) -> Any:
    return query if ids is None else query.where(column.in_(list(ids)))


def _originals(conn: Connection, ids: Collection[int] | None) -> dict[int, dict[str, Decimal]]:
    from sqlalchemy import select

    lines = _t("budget_line")
    query = _where_in(
        select(lines.c.subcontract_id, lines.c.category, lines.c.amount).order_by(lines.c.id),
        lines.c.subcontract_id,
        ids,
    )
    found: dict[int, dict[str, Decimal]] = {}
    for sub_id, category, amount in conn.execute(query).all():
        found.setdefault(sub_id, {})[category] = core.to_cents(amount)
    return found


@dataclass(frozen=True, slots=True)
class AmendmentView:
    number: int
    effective: date
    reason: str
    deltas: tuple[tuple[str, Decimal], ...]
    needs_approval: bool
    approved_on: date | None

    @property
    def record(self) -> core.AmendmentRecord:
        return core.AmendmentRecord(
            self.number, dict(self.deltas), self.needs_approval, self.approved_on
        )

    @property
    def moved(self) -> Decimal:
        return core.moved_between_lines(dict(self.deltas))

    @property
    def change(self) -> Decimal:
        return sum((d for _, d in self.deltas), ZERO)

    @property
    def status(self) -> str:
        if not self.needs_approval:
            return "in_force"
        return "approved" if self.approved_on is not None else "pending"

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "effective": self.effective.isoformat(),
            "reason": self.reason,
            "lines": [{"category": c, "delta": d} for c, d in self.deltas],
            "change": self.change,
            "moved": self.moved,
            "needs_funder_approval": self.needs_approval,
            "funder_approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "status": self.status,
        }


def _amendments(
    conn: Connection, ids: Collection[int] | None, as_of: date | None = None
) -> dict[int, list[AmendmentView]]:
    """Each subcontract's amendments, in order. `as_of`: the view of that day, so only those
    in effect by then and recorded by then (their `created_at` on the workspace's clocks),
    and an approval the funder gave later is still awaited."""
    from sqlalchemy import select

    from comunidad_cli.services.facts import aware, local_zone

    amendments, lines = _t("amendment"), _t("amendment_line")
    rows = (
        conn.execute(
            _where_in(
                select(amendments).order_by(amendments.c.subcontract_id, amendments.c.number),
                amendments.c.subcontract_id,
                ids,
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        return {}
    deltas: dict[int, list[tuple[str, Decimal]]] = {}
    for amendment_id, category, delta in conn.execute(
        select(lines.c.amendment_id, lines.c.category, lines.c.delta)
        .where(lines.c.amendment_id.in_([r["id"] for r in rows]))
        .order_by(lines.c.id)
    ).all():
        deltas.setdefault(amendment_id, []).append((category, core.to_cents(delta)))
    found: dict[int, list[AmendmentView]] = {}
    zone = local_zone() if as_of is not None else None
    for r in rows:
        approved = r["funder_approved_on"]
        if as_of is not None:
            if r["effective"] > as_of or aware(r["created_at"]).astimezone(zone).date() > as_of:
                continue
            approved = approved if approved is not None and approved <= as_of else None
        found.setdefault(r["subcontract_id"], []).append(
            AmendmentView(
                r["number"],
                r["effective"],
                r["reason"],
                tuple(deltas.get(r["id"], [])),
                bool(r["needs_funder_approval"]),
                approved,
            )
        )
    return found


def _cents_sum(column: Any) -> Any:
    """SUM in integer cents: exact on SQLite (which stores NUMERIC as REAL) and elsewhere."""
    from sqlalchemy import BigInteger, cast, func

    return func.sum(cast(func.round(column * 100), BigInteger))


def _from_cents(value: Any) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)


def _spending(
    conn: Connection, ids: Collection[int] | None, until: date | None = None
) -> tuple[dict[int, dict[str, Decimal]], dict[int, Decimal]]:
    """Spent per subcontract and category (counted payments), and paid per subcontract;
    with `until`, only the payments dated on or before it (a report as of that day)."""
    from sqlalchemy import select

    payments, lines = _t("payment"), _t("payment_line")
    joined = lines.join(payments, lines.c.payment_id == payments.c.id)
    spent: dict[int, dict[str, Decimal]] = {}
    query = (
        select(payments.c.subcontract_id, lines.c.category, _cents_sum(lines.c.amount))
        .select_from(joined)
        .where(payments.c.status.in_(sorted(core.COUNTED_STATUSES)))
        .group_by(payments.c.subcontract_id, lines.c.category)
    )
    if until is not None:
        query = query.where(payments.c.invoice_date <= until)
    for sub_id, category, cents in conn.execute(_where_in(query, payments.c.subcontract_id, ids)):
        spent.setdefault(sub_id, {})[category] = _from_cents(cents)
    paid_query = (
        select(payments.c.subcontract_id, _cents_sum(payments.c.total))
        .where(payments.c.status == "paid")
        .group_by(payments.c.subcontract_id)
    )
    if until is not None:
        paid_query = paid_query.where(payments.c.invoice_date <= until)
    paid = {
        sub_id: _from_cents(cents)
        for sub_id, cents in conn.execute(_where_in(paid_query, payments.c.subcontract_id, ids))
    }
    return spent, paid


@dataclass(frozen=True, slots=True)
class RiskView:
    assessed_on: date
    level: str
    assessed_by: str
    notes: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "assessed_on": self.assessed_on.isoformat(),
            "level": self.level,
            "assessed_by": self.assessed_by,
            "notes": self.notes,
        }


def _risks(conn: Connection, ids: Collection[int] | None) -> dict[int, list[RiskView]]:
    from sqlalchemy import select

    risks = _t("risk_assessment")
    query = _where_in(
        select(risks).order_by(risks.c.assessed_on, risks.c.id), risks.c.subcontract_id, ids
    )
    found: dict[int, list[RiskView]] = {}
    for r in conn.execute(query).mappings():
        found.setdefault(r["subcontract_id"], []).append(
            RiskView(r["assessed_on"], r["level"], r["assessed_by"], r["notes"])
        )
    return found


@dataclass(frozen=True, slots=True)
class DeliverableView:
    """A deliverable, its schedule and every occurrence with its flags on `today`."""

    key: str
    subcontract: str
    title: str
    first_due: date
    every: int | None
    unit: str | None
    until: date
    holds_payments: bool
    occurrences: tuple[core.Occurrence, ...]

    @property
    def overdue(self) -> tuple[core.Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.overdue)

    @property
    def very_late(self) -> tuple[core.Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.very_late)

    @property
    def next_due(self) -> date | None:
        return next((o.due for o in self.occurrences if o.submitted_on is None), None)

    def holding(self) -> core.HoldingReport:
        return core.HoldingReport(
            self.title,
            tuple(o.due for o in self.occurrences),
            {o.due: o.submitted_on for o in self.occurrences if o.submitted_on is not None},
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "subcontract": self.subcontract,
            "title": self.title,
            "first_due": self.first_due.isoformat(),
            "every": self.every,
            "unit": self.unit,
            "until": self.until.isoformat(),
            "holds_payments": self.holds_payments,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "overdue": len(self.overdue),
            "very_late": len(self.very_late),
            "occurrences": [
                {
                    "due": o.due.isoformat(),
                    "submitted_on": o.submitted_on.isoformat() if o.submitted_on else None,
                    "overdue": o.overdue,
                    "very_late": o.very_late,
                    "days_late": o.days_late,
                }
                for o in self.occurrences
            ],
        }


def _deliverables(
    conn: Connection, ids: Collection[int] | None, today: date, as_of: bool = False
) -> dict[int, list[DeliverableView]]:
    """Deliverables with their flags on `today`; `as_of`: a report submitted after `today`
    had not been submitted then (so it was overdue on that day if due before it)."""
    from sqlalchemy import select

    deliverables, submissions, sub = _t("deliverable"), _t("submission"), _t("subcontract")
    rows = (
        conn.execute(
            _where_in(
                select(deliverables, sub.c.key.label("sub_key"), sub.c.end.label("sub_end"))
                .select_from(deliverables.join(sub, deliverables.c.subcontract_id == sub.c.id))
                .order_by(deliverables.c.first_due, deliverables.c.key),
                deliverables.c.subcontract_id,
                ids,
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        return {}
    handed: dict[int, dict[date, date]] = {}
    for deliverable_id, due, submitted_on in conn.execute(
        _where_in(
            select(submissions.c.deliverable_id, submissions.c.due, submissions.c.submitted_on),
            submissions.c.deliverable_id,
            [r["id"] for r in rows] if ids is not None else None,
        )
    ):
        if not as_of or submitted_on <= today:
            handed.setdefault(deliverable_id, {})[due] = submitted_on
    found: dict[int, list[DeliverableView]] = {}
    for r in rows:
        until = r["until"] or r["sub_end"]
        dues = core.due_dates(r["first_due"], r["every"], r["unit"], until)
        found.setdefault(r["subcontract_id"], []).append(
            DeliverableView(
                r["key"],
                r["sub_key"],
                r["title"],
                r["first_due"],
                r["every"],
                r["unit"],
                until,
                bool(r["holds_payments"]),
                tuple(core.occurrences(dues, handed.get(r["id"], {}), today)),
            )
        )
    return found


# --- positions: the query functions for reports -------------------------------------------


@dataclass(frozen=True, slots=True)
class OverdueReport:
    deliverable: str
    title: str
    due: date
    days_late: int
    very_late: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "deliverable": self.deliverable,
            "title": self.title,
            "due": self.due.isoformat(),
            "days_late": self.days_late,
            "very_late": self.very_late,
        }


@dataclass(frozen=True, slots=True)
class SubcontractPosition:
    """Where a subcontract stands on `today`: money per line and in total, and flags.

    `budget.lines` hold original, amended (deltas in force), budget, spent and balance per
    category; `obligated`, `spent`, `balance` are the totals; `paid` counts paid payments
    only. `elapsed` is the share of the period gone (0..1, exact)."""

    key: str
    grant: str
    grant_title: str
    partner: str
    partner_name: str
    kind: str
    status: str
    start: date
    end: date
    currency: str
    budget: core.BudgetPosition
    paid: Decimal
    risk: RiskView | None
    pending_amendments: int
    overdue_reports: tuple[OverdueReport, ...]
    overdraw_risk: bool
    elapsed: Fraction
    today: date

    @property
    def obligated(self) -> Decimal:
        return self.budget.obligated

    @property
    def spent(self) -> Decimal:
        return self.budget.spent

    @property
    def balance(self) -> Decimal:
        return self.budget.balance

    @property
    def missing_risk_assessment(self) -> bool:
        return self.risk is None

    @property
    def overdue(self) -> int:
        return len(self.overdue_reports)

    @property
    def very_late(self) -> int:
        return sum(1 for r in self.overdue_reports if r.very_late)

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags())

    def flags(self) -> list[str]:
        """Machine names of what needs attention (`core.attention_reasons`), the same for
        `subcontract list|show`, `grant show` and the summary, text and JSON."""
        return list(
            core.attention_reasons(
                status=self.status,
                risk_on_file=not self.missing_risk_assessment,
                overdue=self.overdue,
                very_late=self.very_late,
                overdraw=self.overdraw_risk,
                pending_revisions=self.pending_amendments,
            )
        )

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = in_currency(self._money_json(), self.currency)
        data["elapsed"] = float(round(self.elapsed, 4))
        return data

    def _money_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "grant": self.grant,
            "grant_title": self.grant_title,
            "partner": self.partner,
            "partner_name": self.partner_name,
            "kind": self.kind,
            "status": self.status,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "currency": self.currency,
            "lines": [
                {
                    "category": line.category,
                    "original": line.original,
                    "amendments": line.amended,
                    "budget": line.budget,
                    "spent": line.spent,
                    "balance": line.balance,
                }
                for line in self.budget.lines
            ],
            "obligated": self.obligated,
            "spent": self.spent,
            "paid": self.paid,
            "balance": self.balance,
            "risk": self.risk.as_json() if self.risk else None,
            "pending_amendments": self.pending_amendments,
            "overdue_reports": [r.as_json() for r in self.overdue_reports],
            "flags": self.flags(),
        }


def _positions(
    conn: Connection, rows: Sequence[Any], today: date, as_of: bool = False
) -> list[SubcontractPosition]:
    ids = [r["id"] for r in rows] if len(rows) < 500 else None
    originals = _originals(conn, ids)
    amendments = _amendments(conn, ids, today if as_of else None)
    spent, paid = _spending(conn, ids, today if as_of else None)
    risks = _risks(conn, ids)
    deliverables = _deliverables(conn, ids, today, as_of)
    found: list[SubcontractPosition] = []
    for r in rows:
        history = [a.record for a in amendments.get(r["id"], [])]
        budget = core.position(originals.get(r["id"], {}), history, spent.get(r["id"], {}))
        overdue = tuple(
            OverdueReport(d.key, d.title, o.due, o.days_late, o.very_late)
            for d in deliverables.get(r["id"], [])
            for o in d.overdue
        )
        found.append(
            SubcontractPosition(
                key=r["key"],
                grant=r["grant_key"],
                grant_title=r["grant_title"],
                partner=r["partner_key"],
                partner_name=r["partner_name"],
                kind=r["kind"],
                status=r["status"],
                start=r["start"],
                end=r["end"],
                currency=r["currency"],
                budget=budget,
                paid=paid.get(r["id"], ZERO),
                risk=risks[r["id"]][-1] if r["id"] in risks else None,
                pending_amendments=sum(1 for a in history if a.pending),
                overdue_reports=tuple(sorted(overdue, key=lambda o: o.due)),
                overdraw_risk=r["status"] in core.PAYABLE_STATUSES
                and core.overdraw_risk(budget, r["start"], r["end"], today),
                elapsed=core.elapsed_share(r["start"], r["end"], today),
                today=today,
            )
        )
    return found


def subcontract_positions(
    source: str | Session | Connection,
    grant_key: str | None = None,
    *,
    today: date | None = None,
    as_of: bool = False,
) -> list[SubcontractPosition]:
    """Every subcontract (of one grant), by grant then id, with money and flags on `today`
    (default: the clock's today; `as_of`: only what was on record then). An unknown grant is
    refused."""
    day = today if today is not None else clock.today()
    sub = _t("subcontract")
    with _connected(source) as conn:
        query = _subcontract_query().order_by(sub.c.grant_id, sub.c.key)
        if grant_key is not None:
            query = query.where(sub.c.grant_id == _grant_row(conn, grant_key)["id"])
        rows = conn.execute(query).mappings().all()
        return _positions(conn, rows, day, as_of)


@dataclass(frozen=True, slots=True)
class GrantPosition:
    """A grant: what was awarded, obligated in subcontracts (amendments in force), spent and
    paid by them, with each subcontract's position."""

    key: str
    title: str
    funder: str
    funder_name: str
    award_number: str | None
    amount: Decimal
    currency: str
    start: date
    end: date
    match_required: Decimal
    subcontracts: tuple[SubcontractPosition, ...]
    elapsed: Fraction
    today: date

    @property
    def obligated(self) -> Decimal:
        return sum((s.obligated for s in self.subcontracts), ZERO)

    @property
    def unobligated(self) -> Decimal:
        return self.amount - self.obligated

    @property
    def spent(self) -> Decimal:
        return sum((s.spent for s in self.subcontracts), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((s.paid for s in self.subcontracts), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.amount - self.spent

    @property
    def needing_attention(self) -> tuple[SubcontractPosition, ...]:
        return tuple(s for s in self.subcontracts if s.needs_attention)

    def as_json(self, *, with_subcontracts: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.key,
            "title": self.title,
            "funder": self.funder,
            "funder_name": self.funder_name,
            "award_number": self.award_number,
            "amount": self.amount,
            "currency": self.currency,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "match_required": self.match_required,
            "obligated": self.obligated,
            "unobligated": self.unobligated,
            "spent": self.spent,
            "paid": self.paid,
            "balance": self.balance,
            "subcontracts": len(self.subcontracts),
            "needing_attention": [s.key for s in self.needing_attention],
        }
        data = in_currency(data, self.currency)
        data["elapsed"] = float(round(self.elapsed, 4))
        if with_subcontracts:
            data["subcontracts"] = [s.as_json() for s in self.subcontracts]
        return data


def _grant_query() -> Any:
    from sqlalchemy import select

    grant, org = _t("grant_award"), _t("organisation")
    return select(
        grant, org.c.key.label("funder_key"), org.c.name.label("funder_name")
    ).select_from(grant.join(org, grant.c.funder_id == org.c.id))


def grant_positions(
    source: str | Session | Connection,
    grant_key: str | None = None,
    *,
    today: date | None = None,
    as_of: bool = False,
) -> list[GrantPosition]:
    """Every grant (or one), by id, with its subcontracts' positions on `today` (`as_of`:
    only the payments and submissions on record then)."""
    day = today if today is not None else clock.today()
    grant = _t("grant_award")
    with _connected(source) as conn:
        query = _grant_query().order_by(grant.c.key)
        if grant_key is not None:
            query = query.where(grant.c.id == _grant_row(conn, grant_key)["id"])
        grants = conn.execute(query).mappings().all()
        by_grant: dict[str, list[SubcontractPosition]] = {}
        if grants:
            sub = _t("subcontract")
            sub_query = _subcontract_query().order_by(sub.c.key)
            if grant_key is not None:
                sub_query = sub_query.where(sub.c.grant_id == grants[0]["id"])
            rows = conn.execute(sub_query).mappings().all()
            for position in _positions(conn, rows, day, as_of):
                by_grant.setdefault(position.grant, []).append(position)
        return [
            GrantPosition(
                key=g["key"],
                title=g["title"],
                funder=g["funder_key"],
                funder_name=g["funder_name"],
                award_number=g["award_number"],
                amount=core.to_cents(g["amount"]),
                currency=g["currency"],
                start=g["start"],
                end=g["end"],
                match_required=core.to_cents(g["match_required"]),
                subcontracts=tuple(by_grant.get(g["key"], [])),
                elapsed=core.elapsed_share(g["start"], g["end"], day),
                today=day,
            )
            for g in grants
        ]


# --- grants -------------------------------------------------------------------------------


def add_grant(
    url: str,
    *,
    funder: str,
    title: str,
    amount: Decimal,
    currency: str,
    start: date,
    end: date,
    award_number: str | None = None,
    match: Decimal | None = None,
    key: str | None = None,
    decimal_mark: str | None = None,
    command: str = "grant new",
) -> GrantPosition:
    """Record a grant received from `funder` (an organisation's id)."""
    from sqlalchemy import insert

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    clean_title = _text(title, "--title")
    number = _text(award_number, "--award-number") if award_number else None
    try:
        code = parse_currency(currency)
    except Invalid as invalid:
        raise Refused(
            [Msg.of(N_("{option}: {problem}"), option="--currency", problem=invalid.msg)]
        ) from None
    matched = match if match is not None else ZERO
    _precision(code, [("--amount", amount), ("--match", matched)], decimal_mark)
    _check(
        [
            _option("--amount", core.amount_problem(amount)),
            _option("--match", core.amount_problem(matched, allow_zero=True)),
            core.period_problem(start, end),
        ],
        code,
    )
    values = {
        "title": clean_title,
        "award_number": number,
        "amount": core.to_cents(amount),
        "currency": code,
        "start": start,
        "end": end,
        "match_required": core.to_cents(matched),
    }
    now = clock.now()
    table = _t("grant_award")
    with writing(url) as session:
        conn = session.connection()
        funder_id = _org_id(conn, funder)
        chosen = _new_key(conn, table, key, (clean_title,), "grant")
        conn.execute(
            insert(table).values(key=chosen, funder_id=funder_id, created_at=now, **values)
        )
        record(
            conn,
            command=command,
            action="create",
            entity=GRANT_ENTITY,
            entity_id=chosen,
            detail={**values, "funder": funder.strip()},
            at=now,
        )
        return grant_positions(conn, chosen, today=clock.today())[0]


def get_grant(url: str, key: str, today: date, as_of: bool = False) -> GrantPosition:
    return grant_positions(url, key, today=today, as_of=as_of)[0]


# --- subcontracts -------------------------------------------------------------------------


def _committed(conn: Connection, grant_id: int, but: int | None = None) -> Decimal:
    """Obligated in the grant's subcontracts, counting amendments awaiting approval too."""
    from sqlalchemy import select

    sub = _t("subcontract")
    ids = [
        i
        for i in conn.execute(select(sub.c.id).where(sub.c.grant_id == grant_id)).scalars()
        if i != but
    ]
    if not ids:
        return ZERO
    originals = _originals(conn, ids)
    amendments = _amendments(conn, ids)
    return sum(
        (
            sum(
                core.budget_of(
                    originals.get(i, {}),
                    [a.record for a in amendments.get(i, [])],
                    include_pending=True,
                ).values(),
                ZERO,
            )
            for i in ids
        ),
        ZERO,
    )


def add_subcontract(
    url: str,
    *,
    grant: str,
    partner: str,
    kind: str,
    start: date,
    end: date,
    lines: Sequence[tuple[str, Decimal]],
    key: str | None = None,
    today: date | None = None,
    decimal_mark: str | None = None,
    command: str = "subcontract new",
) -> SubcontractPosition:
    """A draft subcontract under `grant` to `partner` with its original budget lines."""
    from sqlalchemy import insert

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    chosen_kind = _choice(kind, core.SUBCONTRACT_KINDS, "--kind")
    now = clock.now()
    table, budget_lines = _t("subcontract"), _t("budget_line")
    with writing(url) as session:
        conn = session.connection()
        grant_row = _grant_row(conn, grant)
        currency = grant_row["currency"]
        partner_id = _org_id(conn, partner)
        _precision(currency, [(f"--line {c}", a) for c, a in lines], decimal_mark)
        _check(
            [
                core.period_problem(start, end)
                or core.within_problem(
                    start, end, grant_row["start"], grant_row["end"], Msg.of(N_("grant"))
                ),
                *core.budget_line_problems(lines),
            ],
            currency,
        )
        obligated = sum((amount for _, amount in lines), ZERO)
        _check(
            [
                core.obligation_problem(
                    grant_row["amount"], _committed(conn, grant_row["id"]), obligated
                )
            ],
            currency,
        )
        chosen = _new_key(conn, table, key, (grant_row["key"], partner.strip()), "subcontract")
        result = conn.execute(
            insert(table).values(
                key=chosen,
                grant_id=grant_row["id"],
                partner_id=partner_id,
                kind=chosen_kind,
                start=start,
                end=end,
                status="draft",
                created_at=now,
            )
        )
        assert result.inserted_primary_key is not None
        sub_id = int(result.inserted_primary_key[0])
        conn.execute(
            insert(budget_lines),
            [
                {"subcontract_id": sub_id, "category": c, "amount": core.to_cents(a)}
                for c, a in lines
            ],
        )
        record(
            conn,
            command=command,
            action="create",
            entity=SUBCONTRACT_ENTITY,
            entity_id=chosen,
            detail={
                "grant": grant_row["key"],
                "partner": partner.strip(),
                "kind": chosen_kind,
                "start": start,
                "end": end,
                "lines": {c: core.to_cents(a) for c, a in lines},
            },
            at=now,
        )
        row = conn.execute(_subcontract_query().where(table.c.id == sub_id)).mappings().one()
        return _positions(conn, [row], today if today is not None else clock.today())[0]


@dataclass(frozen=True, slots=True)
class AmendmentResult:
    subcontract: str
    number: int
    currency: str
    revision: core.RevisionCheck
    change: Decimal
    obligated_before: Decimal
    obligated_after: Decimal

    @property
    def needs_approval(self) -> bool:
        return self.revision.needs_approval


def _state(
    conn: Connection, sub_id: int
) -> tuple[dict[str, Decimal], list[AmendmentView], dict[str, Decimal]]:
    originals = _originals(conn, [sub_id]).get(sub_id, {})
    amendments = _amendments(conn, [sub_id]).get(sub_id, [])
    spent, _ = _spending(conn, [sub_id])
    return originals, amendments, spent.get(sub_id, {})


def amend_subcontract(
    url: str,
    key: str,
    *,
    effective: date,
    reason: str,
    lines: Sequence[tuple[str, Decimal]],
    threshold: Fraction,
    decimal_mark: str | None = None,
    command: str = "subcontract amend",
) -> AmendmentResult:
    """Record amendment N+1 (history is never overwritten). Flagged as needing the funder's
    approval when the money moved between lines exceeds `threshold`; such an amendment is
    in force only once approved (`approve_revision`)."""
    from sqlalchemy import insert

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    why = _text(reason, "--reason")
    now = clock.now()
    amendments, amendment_lines = _t("amendment"), _t("amendment_line")
    with writing(url) as session:
        conn = session.connection()
        sub = _subcontract_row(conn, key)
        currency = sub["currency"]
        if sub["status"] == "closed":
            raise _refused(N_("the subcontract is closed: it cannot be amended"))
        originals, history_views, spent = _state(conn, sub["id"])
        history = [a.record for a in history_views]
        _precision(currency, [(f"--line {c}", a) for c, a in lines], decimal_mark)
        _check(core.check_amendment(originals, history, spent, lines), currency)
        deltas = {c: core.to_cents(d) for c, d in lines}
        change = sum(deltas.values(), ZERO)
        if change > 0:
            mine = sum(core.budget_of(originals, history, include_pending=True).values(), ZERO)
            _check(
                [
                    core.obligation_problem(
                        sub["grant_amount"],
                        _committed(conn, sub["grant_id"], but=sub["id"]),
                        mine + change,
                    )
                ],
                currency,
            )
        revision = core.check_revision(originals, history, deltas, threshold)
        before = sum(core.budget_of(originals, history).values(), ZERO)
        number = max((a.number for a in history), default=0) + 1
        result = conn.execute(
            insert(amendments).values(
                subcontract_id=sub["id"],
                number=number,
                effective=effective,
                reason=why,
                needs_funder_approval=revision.needs_approval,
                funder_approved_on=None,
                created_at=now,
            )
        )
        assert result.inserted_primary_key is not None
        amendment_id = int(result.inserted_primary_key[0])
        conn.execute(
            insert(amendment_lines),
            [{"amendment_id": amendment_id, "category": c, "delta": d} for c, d in deltas.items()],
        )
        record(
            conn,
            command=command,
            action="create",
            entity=AMENDMENT_ENTITY,
            entity_id=f"{sub['key']}#{number}",
            detail={
                "effective": effective,
                "reason": why,
                "lines": deltas,
                "moved": revision.moved,
                "cumulative_moved": revision.cumulative,
                "needs_funder_approval": revision.needs_approval,
            },
            at=now,
        )
    after = before if revision.needs_approval else before + change
    return AmendmentResult(sub["key"], number, currency, revision, change, before, after)


def approve_revision(
    url: str,
    key: str,
    *,
    number: int,
    on: date,
    today: date,
    command: str = "subcontract approve-revision",
) -> AmendmentView:
    """Record the funder's approval of amendment `number`: from then on it is in force."""
    from sqlalchemy import update

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    _not_future(on, today, "--on")
    now = clock.now()
    amendments = _t("amendment")
    with writing(url) as session:
        conn = session.connection()
        sub = _subcontract_row(conn, key)
        originals, history_views, spent = _state(conn, sub["id"])
        _check(
            core.approval_problems(originals, [a.record for a in history_views], number, spent),
            sub["currency"],
        )
        conn.execute(
            update(amendments)
            .where(amendments.c.subcontract_id == sub["id"], amendments.c.number == number)
            .values(funder_approved_on=on)
        )
        record(
            conn,
            command=command,
            action="update",
            entity=AMENDMENT_ENTITY,
            entity_id=f"{sub['key']}#{number}",
            detail={"funder_approved_on": on},
            at=now,
        )
        view = next(a for a in history_views if a.number == number)
    return AmendmentView(
        view.number, view.effective, view.reason, view.deltas, view.needs_approval, on
    )


def assess_risk(
    url: str,
    key: str,
    *,
    level: str,
    by: str,
    on: date,
    today: date,
    notes: str | None = None,
    command: str = "subcontract risk",
) -> RiskView:
    from sqlalchemy import insert

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    chosen = _choice(level, core.RISK_LEVELS, "--level")
    assessor = _text(by, "--by")
    text = " ".join(notes.split()) if notes and notes.strip() else None
    _not_future(on, today, "--on")
    now = clock.now()
    with writing(url) as session:
        conn = session.connection()
        sub = _subcontract_row(conn, key)
        values = {"assessed_on": on, "level": chosen, "assessed_by": assessor, "notes": text}
        conn.execute(insert(_t("risk_assessment")).values(subcontract_id=sub["id"], **values))
        record(
            conn,
            command=command,
            action="create",
            entity=RISK_ENTITY,
            entity_id=sub["key"],
            detail=values,
            at=now,
            actor=assessor,
        )
    return RiskView(on, chosen, assessor, text)


def set_subcontract_status(
    url: str, key: str, status: str, *, command: str = "subcontract status"
) -> tuple[str, str]:
    """Move a subcontract one step forward; returns (old, new)."""
    from sqlalchemy import select, update

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    new = _choice(status, core.SUBCONTRACT_STATUSES, "STATUS")
    now = clock.now()
    table, risks = _t("subcontract"), _t("risk_assessment")
    with writing(url) as session:
        conn = session.connection()
        sub = _subcontract_row(conn, key)
        has_risk = (
            conn.execute(select(risks.c.id).where(risks.c.subcontract_id == sub["id"])).first()
            is not None
        )
        _check([core.status_problem(sub["status"], new, has_risk=has_risk)])
        conn.execute(update(table).where(table.c.id == sub["id"]).values(status=new))
        record(
            conn,
            command=command,
            action="update",
            entity=SUBCONTRACT_ENTITY,
            entity_id=sub["key"],
            detail={"status": [sub["status"], new]},
            at=now,
        )
    return sub["status"], new


@dataclass(frozen=True, slots=True)
class SubcontractDetail:
    position: SubcontractPosition
    amendments: tuple[AmendmentView, ...]
    risks: tuple[RiskView, ...]
    deliverables: tuple[DeliverableView, ...]
    payments: int

    def as_json(self) -> dict[str, Any]:
        data = self.position.as_json()
        data["amendments"] = in_currency(
            [a.as_json() for a in self.amendments], self.position.currency
        )
        data["risk_assessments"] = [r.as_json() for r in self.risks]
        data["deliverables"] = [d.as_json() for d in self.deliverables]
        data["payments"] = self.payments
        return data


def get_subcontract(url: str, key: str, today: date, as_of: bool = False) -> SubcontractDetail:
    from sqlalchemy import func, select

    payments = _t("payment")
    with _connected(url) as conn:
        sub = _subcontract_row(conn, key)
        position = _positions(conn, [sub], today, as_of)[0]
        ids = [sub["id"]]
        count = conn.execute(
            select(func.count()).select_from(payments).where(payments.c.subcontract_id == sub["id"])
        ).scalar_one()
        return SubcontractDetail(
            position,
            tuple(_amendments(conn, ids, today if as_of else None).get(sub["id"], [])),
            tuple(_risks(conn, ids).get(sub["id"], [])),
            tuple(_deliverables(conn, ids, today, as_of).get(sub["id"], [])),
            int(count),
        )


# --- payments -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentView:
    key: str
    subcontract: str
    period_start: date
    period_end: date
    invoice_date: date
    status: str
    total: Decimal
    currency: str
    lines: tuple[tuple[str, Decimal], ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = in_currency(
            {
                "id": self.key,
                "subcontract": self.subcontract,
                "period_from": self.period_start.isoformat(),
                "period_to": self.period_end.isoformat(),
                "date": self.invoice_date.isoformat(),
                "status": self.status,
                "total": self.total,
                "currency": self.currency,
                "lines": [{"category": c, "amount": a} for c, a in self.lines],
            },
            self.currency,
        )
        return data


def holding_reports(conn: Connection, sub_id: int) -> list[core.HoldingReport]:
    """The subcontract's deliverables that hold payments, with their submissions."""
    today = clock.today()
    return [
        d.holding()
        for d in _deliverables(conn, [sub_id], today).get(sub_id, [])
        if d.holds_payments
    ]


def add_payment(
    url: str,
    *,
    subcontract: str,
    period_start: date,
    period_end: date,
    invoice_date: date,
    status: str,
    lines: Sequence[tuple[str, Decimal]],
    key: str | None = None,
    decimal_mark: str | None = None,
    command: str = "payment add",
) -> PaymentView:
    """Record an invoice (negative lines: a repayment), refused if it would overdraw a line
    or the subcontract. An approved or paid payment waits while a report that holds
    payments is overdue on the invoice date."""
    from sqlalchemy import insert

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    chosen_status = _choice(status, core.PAYMENT_STATUSES, "--status")
    now = clock.now()
    payments, payment_lines = _t("payment"), _t("payment_line")
    with writing(url) as session:
        conn = session.connection()
        sub = _subcontract_row(conn, subcontract)
        currency = sub["currency"]
        _check(
            [
                core.period_problem(period_start, period_end)
                or core.within_problem(
                    period_start, period_end, sub["start"], sub["end"], Msg.of(N_("subcontract"))
                ),
                core.payable_problem(sub["status"]),
            ],
            currency,
        )
        originals, history, spent = _state(conn, sub["id"])
        budget = core.budget_of(originals, [a.record for a in history])
        counted = chosen_status in core.COUNTED_STATUSES
        _precision(currency, [(f"--line {c}", a) for c, a in lines], decimal_mark)
        _check(core.check_payment(budget, spent, lines, counted=counted), currency)
        if chosen_status in core.HELD_STATUSES:
            _check([core.hold_problem(holding_reports(conn, sub["id"]), invoice_date)], currency)
        chosen = _new_key(conn, payments, key, (sub["key"], invoice_date.isoformat()), "payment")
        cents = [(c, core.to_cents(a)) for c, a in lines]
        total = sum((a for _, a in cents), ZERO)
        result = conn.execute(
            insert(payments).values(
                key=chosen,
                subcontract_id=sub["id"],
                period_start=period_start,
                period_end=period_end,
                invoice_date=invoice_date,
                status=chosen_status,
                total=total,
                created_at=now,
            )
        )
        assert result.inserted_primary_key is not None
        payment_id = int(result.inserted_primary_key[0])
        conn.execute(
            insert(payment_lines),
            [{"payment_id": payment_id, "category": c, "amount": a} for c, a in cents],
        )
        record(
            conn,
            command=command,
            action="create",
            entity=PAYMENT_ENTITY,
            entity_id=chosen,
            detail={
                "subcontract": sub["key"],
                "period_from": period_start,
                "period_to": period_end,
                "date": invoice_date,
                "status": chosen_status,
                "lines": dict(cents),
            },
            at=now,
        )
    return PaymentView(
        chosen,
        sub["key"],
        period_start,
        period_end,
        invoice_date,
        chosen_status,
        total,
        currency,
        tuple(cents),
    )


def set_payment_status(
    url: str, key: str, status: str, *, today: date, command: str = "payment status"
) -> tuple[str, str]:
    """submitted -> approved -> paid, or declined; approving or paying waits while a report
    that holds payments is overdue today. Returns (old, new)."""
    from sqlalchemy import select, update

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    new = _choice(status, ("approved", "paid", "declined"), "STATUS")
    now = clock.now()
    payments, sub = _t("payment"), _t("subcontract")
    with writing(url) as session:
        conn = session.connection()
        row = conn.execute(
            select(payments.c.id, payments.c.status, payments.c.subcontract_id).where(
                payments.c.key == key.strip()
            )
        ).first()
        if row is None:
            raise _refused(N_('no payment with id "{key}": see "comunidad payment list"'), key=key)
        payment_id, old, sub_id = row
        _check([core.payment_transition_problem(old, new)])
        if new in core.HELD_STATUSES:
            _check([core.hold_problem(holding_reports(conn, sub_id), today)])
        conn.execute(update(payments).where(payments.c.id == payment_id).values(status=new))
        sub_key = conn.execute(select(sub.c.key).where(sub.c.id == sub_id)).scalar_one()
        record(
            conn,
            command=command,
            action="update",
            entity=PAYMENT_ENTITY,
            entity_id=key.strip(),
            detail={"status": [old, new], "subcontract": sub_key},
            at=now,
        )
    return old, new


def list_payments(
    source: str | Session | Connection, subcontract: str | None = None
) -> list[PaymentView]:
    """Payments (of one subcontract) by date then id, each with its lines."""
    from sqlalchemy import select

    payments, lines, sub, grant = (
        _t("payment"),
        _t("payment_line"),
        _t("subcontract"),
        _t("grant_award"),
    )
    with _connected(source) as conn:
        query = (
            select(
                payments.c.id,
                payments.c.key,
                sub.c.key,
                payments.c.period_start,
                payments.c.period_end,
                payments.c.invoice_date,
                payments.c.status,
                payments.c.total,
                grant.c.currency,
            )
            .select_from(
                payments.join(sub, payments.c.subcontract_id == sub.c.id).join(
                    grant, sub.c.grant_id == grant.c.id
                )
            )
            .order_by(payments.c.invoice_date, payments.c.key)
        )
        line_query = select(lines.c.payment_id, lines.c.category, lines.c.amount).order_by(
            lines.c.id
        )
        if subcontract is not None:
            sub_id = _subcontract_row(conn, subcontract)["id"]
            query = query.where(payments.c.subcontract_id == sub_id)
            line_query = line_query.select_from(
                lines.join(payments, lines.c.payment_id == payments.c.id)
            ).where(payments.c.subcontract_id == sub_id)
        by_payment: dict[int, list[tuple[str, Decimal]]] = {}
        for payment_id, category, amount in conn.execute(line_query):
            by_payment.setdefault(payment_id, []).append((category, core.to_cents(amount)))
        return [
            PaymentView(
                key,
                sub_key,
                p_start,
                p_end,
                day,
                status,
                core.to_cents(total),
                currency,
                tuple(by_payment.get(payment_id, [])),
            )
            for payment_id, key, sub_key, p_start, p_end, day, status, total, currency in conn.execute(
                query
            )
        ]


# --- deliverables -------------------------------------------------------------------------


def add_deliverable(
    url: str,
    *,
    subcontract: str,
    title: str,
    first_due: date,
    every: int | None = None,
    unit: str | None = None,
    until: date | None = None,
    holds_payments: bool = False,
    key: str | None = None,
    today: date | None = None,
    command: str = "deliverable add",
) -> DeliverableView:
    from sqlalchemy import insert

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    clean_title = _text(title, "--title")
    chosen_unit = _choice(unit, core.UNITS, "--unit") if unit is not None else None
    now = clock.now()
    table = _t("deliverable")
    with writing(url) as session:
        conn = session.connection()
        sub = _subcontract_row(conn, subcontract)
        _check([core.schedule_problem(first_due, every, chosen_unit, until, sub["start"])])
        chosen = _new_key(conn, table, key, (sub["key"], clean_title), "deliverable")
        values = {
            "title": clean_title,
            "first_due": first_due,
            "every": every,
            "unit": chosen_unit,
            "until": until,
            "holds_payments": holds_payments,
        }
        conn.execute(insert(table).values(key=chosen, subcontract_id=sub["id"], **values))
        record(
            conn,
            command=command,
            action="create",
            entity=DELIVERABLE_ENTITY,
            entity_id=chosen,
            detail={"subcontract": sub["key"], **values},
            at=now,
        )
        day = today if today is not None else clock.today()
        return next(d for d in _deliverables(conn, [sub["id"]], day)[sub["id"]] if d.key == chosen)


def submit_deliverable(
    url: str,
    key: str,
    *,
    due: date,
    on: date,
    today: date,
    command: str = "deliverable submit",
) -> DeliverableView:
    """Record the occurrence due on `due` as submitted on `on`."""
    from sqlalchemy import insert, select

    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    _not_future(on, today, "--on")
    now = clock.now()
    deliverables, submissions = _t("deliverable"), _t("submission")
    with writing(url) as session:
        conn = session.connection()
        row = conn.execute(
            select(deliverables.c.id, deliverables.c.subcontract_id).where(
                deliverables.c.key == key.strip()
            )
        ).first()
        if row is None:
            raise _refused(
                N_('no deliverable with id "{key}": see "comunidad deliverable list"'), key=key
            )
        deliverable_id, sub_id = row
        view = next(d for d in _deliverables(conn, [sub_id], today)[sub_id] if d.key == key.strip())
        found = next((o for o in view.occurrences if o.due == due), None)
        if found is None:
            upcoming = [o.due.isoformat() for o in view.occurrences[:6]]
            raise _refused(
                N_('"{title}" is not due on {due}; its due dates are {dues}'),
                title=view.title,
                due=due,
                dues=", ".join(upcoming) + (" ..." if len(view.occurrences) > 6 else ""),
            )
        if found.submitted_on is not None:
            raise _refused(
                N_('"{title}" due {due} was already submitted on {on}'),
                title=view.title,
                due=due,
                on=found.submitted_on,
            )
        conn.execute(
            insert(submissions).values(deliverable_id=deliverable_id, due=due, submitted_on=on)
        )
        record(
            conn,
            command=command,
            action="create",
            entity=SUBMISSION_ENTITY,
            entity_id=key.strip(),
            detail={"due": due, "submitted_on": on},
            at=now,
        )
        return next(d for d in _deliverables(conn, [sub_id], today)[sub_id] if d.key == key.strip())


def list_deliverables(
    url: str,
    subcontract: str | None = None,
    *,
    overdue_only: bool = False,
    today: date,
    as_of: bool = False,
) -> list[DeliverableView]:
    with _connected(url) as conn:
        ids = [_subcontract_row(conn, subcontract)["id"]] if subcontract is not None else None
        found = [d for views in _deliverables(conn, ids, today, as_of).values() for d in views]
    if overdue_only:
        found = [d for d in found if d.overdue]
    return sorted(found, key=lambda d: (d.subcontract, d.first_due, d.key))
