"""Grants and subcontracts: recording them, their risk assessments and status, and showing one.

Each writing function is one transaction (`writing_db`: a DB-API connection, no SQLAlchemy)
over the queries of `storage.grants`, with its audit rows; a refusal raises `Refused` before
anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.grants.budget import budget_line_problems, obligation_problem
from comunidad_cli.core.grants.subcontracts import (
    RISK_LEVELS,
    SUBCONTRACT_KINDS,
    SUBCONTRACT_STATUSES,
    status_problem,
)
from comunidad_cli.core.grants.values import (
    ZERO,
    amount_problem,
    period_problem,
    to_cents,
    within_problem,
)
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.budget import _committed
from comunidad_cli.services.grants.common import (
    GRANT_ENTITY,
    RISK_ENTITY,
    SUBCONTRACT_ENTITY,
    Refused,
    _check,
    _choice,
    _grant_row,
    _new_key,
    _not_future,
    _option,
    _org_id,
    _precision,
    _reading,
    _refused,
    _subcontract_row,
    _text,
    in_currency,
    parse_currency,
)
from comunidad_cli.services.grants.positions import (
    GrantPosition,
    SubcontractPosition,
    _positions,
    grant_positions,
)
from comunidad_cli.services.grants.records import (
    AmendmentView,
    DeliverableView,
    RiskView,
    _amendments,
    _deliverables,
    _risks,
)


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
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.grants import add_grant as insert_grant

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
            _option("--amount", amount_problem(amount)),
            _option("--match", amount_problem(matched, allow_zero=True)),
            period_problem(start, end),
        ],
        code,
    )
    cents, match_cents = to_cents(amount), to_cents(matched)
    values = {
        "title": clean_title,
        "award_number": number,
        "amount": cents,
        "currency": code,
        "start": start,
        "end": end,
        "match_required": match_cents,
    }
    now = clock.now()
    with writing_db(url) as db:
        funder_id = _org_id(db, funder)
        chosen = _new_key(db, "grant_award", key, (clean_title,), "grant")
        if key is None:  # the same command run twice records one grant, not two
            from comunidad_cli.core.importing.text import same_name
            from comunidad_cli.storage.grants import grants_from

            typed = same_name(clean_title)
            there = next(
                (k for k, t in grants_from(db, funder_id, start) if same_name(t) == typed), None
            )
            if there is not None:
                raise _refused(
                    N_(
                        '{funder} already gave a grant "{title}" starting on {start} ({key}): to'
                        " record another one, give it its own id with --id (for example {suggested})"
                    ),
                    funder=funder.strip(),
                    title=clean_title,
                    start=start,
                    key=there,
                    suggested=chosen,
                )
        insert_grant(
            db,
            key=chosen,
            funder_id=funder_id,
            title=clean_title,
            award_number=number,
            amount=cents,
            currency=code,
            start=start,
            end=end,
            match_required=match_cents,
            created_at=now,
        )
        record(
            db,
            command=command,
            action="create",
            entity=GRANT_ENTITY,
            entity_id=chosen,
            detail={**values, "funder": funder.strip()},
            at=now,
        )
        return grant_positions(db, chosen, today=clock.today())[0]


def get_grant(url: str, key: str, today: date, as_of: bool = False) -> GrantPosition:
    return grant_positions(url, key, today=today, as_of=as_of)[0]


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
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.grants import add_subcontract as insert_subcontract
    from comunidad_cli.storage.grants import subcontract_by_id

    chosen_kind = _choice(kind, SUBCONTRACT_KINDS, "--kind")
    now = clock.now()
    with writing_db(url) as db:
        grant_row = _grant_row(db, grant)
        currency = grant_row["currency"]
        partner_id = _org_id(db, partner)
        _precision(currency, [(f"--line {c}", a) for c, a in lines], decimal_mark)
        _check(
            [
                period_problem(start, end)
                or within_problem(
                    start, end, grant_row["start"], grant_row["end"], Msg.of(N_("grant"))
                ),
                *budget_line_problems(lines),
            ],
            currency,
        )
        obligated = sum((amount for _, amount in lines), ZERO)
        _check(
            [obligation_problem(grant_row["amount"], _committed(db, grant_row["id"]), obligated)],
            currency,
        )
        chosen = _new_key(
            db, "subcontract", key, (grant_row["key"], partner.strip()), "subcontract"
        )
        sub_id = insert_subcontract(
            db,
            key=chosen,
            grant_id=grant_row["id"],
            partner_id=partner_id,
            kind=chosen_kind,
            start=start,
            end=end,
            status="draft",
            created_at=now,
            lines=[(c, to_cents(a)) for c, a in lines],
        )
        record(
            db,
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
                "lines": {c: to_cents(a) for c, a in lines},
            },
            at=now,
        )
        row = subcontract_by_id(db, sub_id)
        return _positions(db, [row], today if today is not None else clock.today())[0]


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
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.grants import add_risk

    chosen = _choice(level, RISK_LEVELS, "--level")
    assessor = _text(by, "--by")
    text = " ".join(notes.split()) if notes and notes.strip() else None
    _not_future(on, today, "--on")
    now = clock.now()
    with writing_db(url) as db:
        sub = _subcontract_row(db, key)
        values = {"assessed_on": on, "level": chosen, "assessed_by": assessor, "notes": text}
        add_risk(
            db,
            subcontract_id=sub["id"],
            assessed_on=on,
            level=chosen,
            assessed_by=assessor,
            notes=text,
        )
        record(
            db,
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
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import grants as stored
    from comunidad_cli.storage.audit import record

    new = _choice(status, SUBCONTRACT_STATUSES, "STATUS")
    now = clock.now()
    with writing_db(url) as db:
        sub = _subcontract_row(db, key)
        has_risk = stored.has_risk(db, sub["id"])
        _check([status_problem(sub["status"], new, has_risk=has_risk)])
        stored.set_subcontract_status(db, sub["id"], new)
        record(
            db,
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
    from comunidad_cli.storage.grants import payment_count

    with _reading(url) as db:
        sub = _subcontract_row(db, key)
        position = _positions(db, [sub], today, as_of)[0]
        ids = [sub["id"]]
        return SubcontractDetail(
            position,
            tuple(_amendments(db, ids, today if as_of else None).get(sub["id"], [])),
            tuple(_risks(db, ids).get(sub["id"], [])),
            tuple(_deliverables(db, ids, today, as_of).get(sub["id"], [])),
            payment_count(db, sub["id"]),
        )
