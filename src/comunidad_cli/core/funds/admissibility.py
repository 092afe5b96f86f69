"""Admissibility of applications to a round: every reason an application is refused, not
just the first, as data (`Msg`); and the submission window `fund apply` and the import
judge a new application by.

The rules, in the order their reasons are given: submitted inside the window; the
organisation's kind among `eligibility.kinds`; its legal personality in force on the
closing day (when required); no overdue reports on its earlier subcontracts (when
required; which reports are overdue is the deliverables' rule, `core/grants/deliverables.py`,
applied by the service); applications per organisation (the earliest stand); the amount
within `min_amount`/`max_amount`; the own contribution at least `own_share` of the project's
total (amount + own) and at least `own_amount`, compared exactly; the priority among the
round's `serves`; budget lines, when given, summing to the amount asked.

Reasons are stored as JSON (`reasons_json`, `reasons_of`): a message id and its parameters,
dates, amounts, fractions and choices tagged so the edge shows them the reader's way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.choices import Choices
from comunidad_cli.core.fractions import format_fraction, parse_fraction
from comunidad_cli.core.funds.round import Round
from comunidad_cli.core.messages import N_, NP_, Msg


@dataclass(frozen=True, slots=True)
class Applicant:
    """An application as the rules see it; `submitted_on` is its day on the workspace's
    clocks."""

    key: str
    organisation: str
    organisation_kind: str
    amount: Decimal
    own: Decimal
    priority: str | None
    submitted_on: date
    lines: Mapping[str, Decimal] = field(default_factory=dict)
    #: The instant it was submitted, on the workspace's clocks (None: not known).
    submitted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Personality:
    """One record of an organisation's legal personality."""

    number: str | None
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True, slots=True)
class OverdueReport:
    """A report overdue on an earlier subcontract of the organisation (the deliverables'
    rule decides which)."""

    subcontract: str
    title: str
    due: date


def window_problem(round_: Round, day: date) -> Msg | None:
    """Why an application submitted on `day` is outside the round's window, or None."""
    dates = round_.dates
    if day < dates.applications_open:
        return Msg.of(
            N_("applications to {round} open on {open}: {day} is before the window"),
            round=round_.id,
            open=dates.applications_open,
            day=day,
        )
    if day > dates.applications_close:
        return Msg.of(
            N_("applications to {round} closed on {close}: {day} is after the window"),
            round=round_.id,
            close=dates.applications_close,
            day=day,
        )
    return None


def priority_problem(round_: Round, priority: str) -> Msg | None:
    """Why `priority` is not one the round serves, with the closest one it might have
    meant (a typo is refused when typed, not weeks later at admissibility); None when it is
    one, or when the round serves no priority."""
    import difflib

    if not round_.serves or priority in round_.serves:
        return None
    close = difflib.get_close_matches(priority, list(round_.serves), n=1, cutoff=0.6)
    if close:
        return Msg.of(
            N_(
                'the priority "{priority}" is not one the round serves ({serves}): did you'
                ' mean "{suggestion}"?'
            ),
            priority=priority,
            serves=", ".join(round_.serves),
            suggestion=close[0],
        )
    return Msg.of(
        N_('the priority "{priority}" is not one the round serves ({serves})'),
        priority=priority,
        serves=", ".join(round_.serves),
    )


def lines_problem(amount: Decimal, lines: Mapping[str, Decimal]) -> Msg | None:
    """Why budget lines, when given, do not make up the amount asked (both figures)."""
    if lines and _total(lines) != amount:
        return Msg.of(
            N_("the budget lines add up to {sum}, not to the {amount} asked"),
            sum=_total(lines),
            amount=amount,
        )
    return None


#: The reason a withdrawal is recorded with: a withdrawal is kept beside the application as
#: a decision row (never a delete) whose first reason has this id.
WITHDRAWN = N_('withdrawn on {day} by {by}: "{reason}"')


def withdrawal(day: date, by: str, reason: str) -> Msg:
    """The record of an application withdrawn by its organisation (see `WITHDRAWN`)."""
    return Msg.of(WITHDRAWN, day=day, by=by, reason=reason)


def is_withdrawal(reasons: Sequence[Mapping[str, Any]]) -> bool:
    """The stored reasons (JSON) are those of a withdrawal."""
    return bool(reasons) and reasons[0].get("id") == WITHDRAWN


def in_force(record: Personality, day: date) -> bool:
    return (record.valid_from is None or record.valid_from <= day) and (
        record.valid_until is None or day <= record.valid_until
    )


#: No legal personality recorded, as the reason is stored: `{org}` is the organisation's id.
NO_PERSONALITY = N_(
    "{org} has no legal personality recorded: record it with"
    ' "comunidad org legal {org} --number N --valid-until DATE"'
)
#: The same said with the organisation's name as typed (`{name}`), its id kept in the
#: command to type (`fund acta`, the letters).
NO_PERSONALITY_NAMED = N_(
    "{name} has no legal personality recorded: record it with"
    ' "comunidad org legal {org} --number N --valid-until DATE"'
)


def personality_problem(
    organisation: str, records: Sequence[Personality], close: date
) -> Msg | None:
    """Why `organisation` had no legal personality in force on the closing day `close`:
    none recorded, expired (the latest record's end) or not yet begun (its start)."""
    if any(in_force(r, close) for r in records):
        return None
    if not records:
        return Msg.of(NO_PERSONALITY, org=organisation)
    latest = records[-1]
    if latest.valid_until is not None and latest.valid_until < close:
        return Msg.of(
            N_(
                "the legal personality of {org} expired on {until}, before applications"
                " closed on {close}"
            ),
            org=organisation,
            until=latest.valid_until,
            close=close,
        )
    assert latest.valid_from is not None
    return Msg.of(
        N_(
            "the legal personality of {org} is in force from {start}, after applications"
            " closed on {close}"
        ),
        org=organisation,
        start=latest.valid_from,
        close=close,
    )


def earlier_applications(
    applicants: Sequence[Applicant], per_org: int
) -> dict[str, tuple[str, ...]]:
    """The applications beyond the first `per_org` of their organisation (in the order
    given: submission, then id), each with the earlier ones that stand before it."""
    seen: dict[str, list[str]] = {}
    beyond: dict[str, tuple[str, ...]] = {}
    for a in applicants:
        earlier = seen.setdefault(a.organisation, [])
        if len(earlier) >= per_org:
            beyond[a.key] = tuple(earlier[:per_org])
        earlier.append(a.key)
    return beyond


def same_instant(
    applicants: Sequence[Applicant], per_org: int
) -> list[tuple[tuple[str, ...], Msg]]:
    """Organisations over their limit whose last application that stands and first one
    beyond it were submitted at the same instant: which came first cannot be told, and
    the record never claims one did. Each is a refusal to judge, asking which one the
    organisation withdraws (`applicants` in submission order, withdrawn ones left out),
    with the applications tied."""
    by_org: dict[str, list[Applicant]] = {}
    for a in applicants:
        by_org.setdefault(a.organisation, []).append(a)
    found: list[tuple[tuple[str, ...], Msg]] = []
    for org, mine in by_org.items():
        if len(mine) <= per_org:
            continue
        last, first_beyond = mine[per_org - 1], mine[per_org]
        if last.submitted_at is None or last.submitted_at != first_beyond.submitted_at:
            continue
        tied = tuple(a.key for a in mine if a.submitted_at == last.submitted_at)
        found.append(
            (
                tied,
                Msg.counted(
                    NP_(
                        "{org} may make {count} application to this round, and {applications}"
                        " were submitted at the same instant ({at}): which came first cannot be"
                        ' told; record the one the organisation withdraws ("comunidad fund'
                        ' withdraw APPLICATION") and judge again',
                        "{org} may make {count} applications to this round, and {applications}"
                        " were submitted at the same instant ({at}): which came first cannot be"
                        ' told; record the one the organisation withdraws ("comunidad fund'
                        ' withdraw APPLICATION") and judge again',
                    ),
                    "count",
                    org=org,
                    count=per_org,
                    applications=", ".join(tied),
                    at=last.submitted_at,
                ),
            )
        )
    return found


def _total(amounts: Mapping[str, Decimal]) -> Decimal:
    return sum(amounts.values(), Decimal(0))


def judge(
    round_: Round,
    applicant: Applicant,
    *,
    personality: Sequence[Personality] = (),
    overdue: Sequence[OverdueReport] = (),
    earlier: Sequence[str] = (),
) -> tuple[Msg, ...]:
    """Every reason `applicant` is not admissible to `round_` (empty: admissible).
    `personality`: the organisation's records, oldest first; `overdue`: its overdue
    reports; `earlier`: its applications that stand before this one (beyond the limit)."""
    reasons: list[Msg] = []
    rules = round_.eligibility
    window = window_problem(round_, applicant.submitted_on)
    if window is not None:
        reasons.append(window)
    if applicant.organisation_kind not in rules.kinds:
        reasons.append(
            Msg.of(
                N_("{org} is of kind {kind}: the round is for {kinds}"),
                org=applicant.organisation,
                kind=Choices((applicant.organisation_kind,)),
                kinds=Choices(rules.kinds),
            )
        )
    if rules.legal_personality_required:
        problem = personality_problem(
            applicant.organisation, personality, round_.dates.applications_close
        )
        if problem is not None:
            reasons.append(problem)
    if rules.no_overdue_reports:
        for report in overdue:
            reasons.append(
                Msg.of(
                    N_('the report "{title}" of {subcontract}, due {due}, is overdue'),
                    title=report.title,
                    subcontract=report.subcontract,
                    due=report.due,
                )
            )
    if earlier:
        reasons.append(
            Msg.counted(
                NP_(
                    "{org} may make {count} application to this round, and {earlier} came first",
                    "{org} may make {count} applications to this round, and {earlier} came first",
                ),
                "count",
                org=applicant.organisation,
                count=rules.applications_per_org,
                earlier=", ".join(earlier),
            )
        )
    if round_.min_amount is not None and applicant.amount < round_.min_amount:
        reasons.append(
            Msg.of(
                N_("the amount asked, {amount}, is below the round's minimum of {minimum}"),
                amount=applicant.amount,
                minimum=round_.min_amount,
            )
        )
    if round_.max_amount is not None and applicant.amount > round_.max_amount:
        reasons.append(
            Msg.of(
                N_("the amount asked, {amount}, is above the round's maximum of {maximum}"),
                amount=applicant.amount,
                maximum=round_.max_amount,
            )
        )
    total = applicant.amount + applicant.own
    if round_.own_share is not None and Fraction(applicant.own) < round_.own_share * Fraction(
        total
    ):
        reasons.append(
            Msg.of(
                N_(
                    "the own contribution, {own}, is less than {share} of the project's total"
                    " of {total}"
                ),
                own=applicant.own,
                share=round_.own_share,
                total=total,
            )
        )
    if round_.own_amount is not None and applicant.own < round_.own_amount:
        reasons.append(
            Msg.of(
                N_("the own contribution, {own}, is less than the {required} the round asks"),
                own=applicant.own,
                required=round_.own_amount,
            )
        )
    if round_.serves:
        if applicant.priority is None:
            reasons.append(
                Msg.of(
                    N_("the application names no priority: the round serves {serves}"),
                    serves=", ".join(round_.serves),
                )
            )
        elif applicant.priority not in round_.serves:
            reasons.append(
                Msg.of(
                    N_('the priority "{priority}" is not one the round serves ({serves})'),
                    priority=applicant.priority,
                    serves=", ".join(round_.serves),
                )
            )
    lines = lines_problem(applicant.amount, applicant.lines)
    if lines is not None:
        reasons.append(lines)
    return tuple(reasons)


# --- reasons as JSON ---------------------------------------------------------------------------


def _value_json(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"msg": reason_json(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"money": str(value)}
    if isinstance(value, Fraction):
        return {"fraction": format_fraction(value)}
    if isinstance(value, Choices):
        return {"choices": list(value.values)}
    return value


def reason_json(msg: Msg) -> dict[str, Any]:
    """One reason as stored: {"id": message id, "params": {...}} (and its plural form)."""
    data: dict[str, Any] = {
        "id": msg.text,
        "params": {k: _value_json(v) for k, v in msg.params.items()},
    }
    if msg.plural is not None:
        data["plural"] = msg.plural
        data["count"] = msg.count
    return data


def _value_of(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "msg":
            return reason_of(inner)
        if tag == "date":
            return date.fromisoformat(inner)
        if tag == "money":
            return Decimal(inner)
        if tag == "fraction":
            return parse_fraction(inner)
        if tag == "choices":
            return Choices(tuple(inner))
    return value


def reason_of(data: Mapping[str, Any]) -> Msg:
    """A stored reason back as the message it was."""
    params = MappingProxyType({k: _value_of(v) for k, v in data.get("params", {}).items()})
    return Msg(str(data["id"]), params, data.get("plural"), data.get("count"))


def reasons_json(reasons: Sequence[Msg]) -> list[dict[str, Any]]:
    return [reason_json(m) for m in reasons]


def reasons_of(data: Sequence[Mapping[str, Any]]) -> tuple[Msg, ...]:
    return tuple(reason_of(d) for d in data)
