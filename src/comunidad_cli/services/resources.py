"""Resources mobilised beyond the grant: log them, list them, total them against a grant.

The rules (pledged and received, volunteer hours valued at the workspace's rate, what counts
as match, leverage) are in `comunidad_cli.core.resources`. Amounts are in the currency of
the grant they are linked to (of the workspace when they are linked to none).

For the summary: `resources_summary(source, grant_key=None)` (a URL, or a Db, Session or
Connection). Every read and write goes through the storage API (`storage.resources`,
`storage.grants`, `writing_db`): no SQLAlchemy is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.ids import make_id, parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.resources import (
    GrantPosition,
    Line,
    Totals,
    grant_position,
    resolve,
    totals,
)
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.storage.dbapi import Db

RESOURCE_ENTITY = "resource"
DESCRIPTION_MAX = 300


@dataclass(frozen=True, slots=True)
class ResourceView:
    key: str
    kind: str
    description: str
    grant: str | None
    source: str | None
    pledged: Decimal
    received: Decimal
    hours: Decimal | None
    dated: date
    currency: str | None = None  # the grant's; None: not linked to a grant

    def as_json(self, currency: str | None = None) -> dict[str, Any]:
        """Amounts and hours as Decimals (exact JSON numbers through `dumps_json`); amounts
        with the digits of `currency` (default: the grant's), e.g. pesos without cents."""
        from comunidad_cli.services.grants.common import in_currency

        shown = currency or self.currency
        pledged, received = (
            in_currency([self.pledged, self.received], shown)
            if shown
            else [self.pledged, self.received]
        )
        return {
            "id": self.key,
            "kind": self.kind,
            "description": self.description,
            "grant": self.grant,
            "source": self.source,
            "pledged": pledged,
            "received": received,
            "hours": self.hours,
            "date": self.dated.isoformat(),
            "currency": self.currency,
        }


def parse_description(value: str) -> str:
    text = one_line(value)
    if not text:
        raise Invalid.of(N_("a description cannot be empty"))
    if len(text) > DESCRIPTION_MAX:
        raise Invalid.of(
            N_("the description is too long ({length} characters; at most {max})"),
            length=len(text),
            max=DESCRIPTION_MAX,
        )
    return text


def _refused(option: str, invalid: Invalid) -> ServiceError:
    return ServiceError(Msg.of(N_("{option}: {problem}"), option=option, problem=invalid.msg))


def amount_decimals_problem(amount: Decimal, currency: str, decimal_mark: str | None) -> Msg | None:
    """Why an amount in `currency` was typed with more decimals than it has, or None."""
    from comunidad_cli.core.importing.values import decimals_problem
    from comunidad_cli.services.grants.common import currency_digits

    return decimals_problem(amount, currency_digits(currency), currency, decimal_mark)


def _check_decimals(
    currency: str, amounts: tuple[tuple[str, Decimal | None], ...], decimal_mark: str | None
) -> None:
    for option, amount in amounts:
        problem = (
            None if amount is None else amount_decimals_problem(amount, currency, decimal_mark)
        )
        if problem is not None:
            raise ServiceError(Msg.of(N_("{option}: {problem}"), option=option, problem=problem))


def log_resource(
    url: str,
    *,
    kind: str,
    description: str,
    grant: str | None = None,
    source: str | None = None,
    pledged: Decimal | None = None,
    received: Decimal | None = None,
    hours: Decimal | None = None,
    on: date,
    key: str | None = None,
    rate: Decimal | None,
    config: str = "comunidad.toml",
    today: date,
    at: datetime,
    currency: str | None = None,
    decimal_mark: str | None = None,
    command: str = "resource log",
) -> ResourceView:
    """Record one resource mobilised; refused (nothing written) with the reason.

    Amounts typed with more decimals than their currency has are refused first (the
    grant's currency, or `currency`, the workspace's, when linked to no grant), written
    back in `decimal_mark`'s convention."""
    from comunidad_cli.core.importing.values import choice
    from comunidad_cli.core.resources import KINDS, VOLUNTEER, rate_missing
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.directory import Taken, org_id
    from comunidad_cli.storage.resources import add_resource

    try:
        kind = choice(*KINDS)(kind)  # `donación`, `donació` as well as `donation`
    except Invalid as invalid:
        raise _refused("--kind", invalid) from None
    try:
        text = parse_description(description)
    except Invalid as invalid:
        raise _refused("--description", invalid) from None
    if kind == VOLUNTEER and hours is not None and rate is None:
        raise ServiceError(rate_missing(config))
    with writing_db(url) as db:
        linked = _grant(db, grant or None)
        grant_id = None if linked is None else int(linked["id"])
        if linked is not None:
            currency = linked["currency"]
        if currency is not None:
            _check_decimals(
                currency, (("--pledged", pledged), ("--received", received)), decimal_mark
            )
        try:
            values = resolve(kind, pledged=pledged, received=received, hours=hours, rate=rate)
        except Invalid as invalid:
            raise _refused("--kind " + kind, invalid) from None
        if on > today:
            raise ServiceError.of(
                N_("--on {date} is in the future: log a resource once it is pledged or received"),
                date=on,
            )
        source_id = org_id(db, source) if source else None
        if source and source_id is None:
            from comunidad_cli.services.entries import unknown_org

            raise ServiceError(unknown_org(db, source))
        taken = Taken(db, "resource")
        if key is not None:
            try:
                chosen = parse_key(key.strip())
            except Invalid as invalid:
                raise _refused("--id", invalid) from None
            if chosen in taken:
                raise ServiceError.of(
                    N_('the id "{key}" is already taken by another resource: choose another --id'),
                    key=chosen,
                )
        else:
            chosen = make_id(text, prefix="resource", taken=taken)
        add_resource(
            db,
            key=chosen,
            grant_id=grant_id,
            source_id=source_id,
            kind=kind,
            description=text,
            pledged=values.pledged,
            received=values.received,
            hours=values.hours,
            dated=on,
        )
        if grant_id is None:
            currency = None  # the view says: not linked to a grant
        detail: dict[str, Any] = {
            "kind": kind,
            "description": text,
            "grant": grant,
            "source": source,
            "pledged": values.pledged,
            "received": values.received,
            "hours": values.hours,
            "date": on,
        }
        if kind == VOLUNTEER:
            detail["rate"] = rate
        record(
            db,
            command=command,
            action="create",
            entity=RESOURCE_ENTITY,
            entity_id=chosen,
            detail=detail,
            at=at,
        )
    return ResourceView(
        chosen,
        kind,
        text,
        grant,
        source,
        values.pledged,
        values.received,
        values.hours,
        on,
        currency,
    )


def _grant(db: Db, key: str | None) -> dict[str, Any] | None:
    """The grant `key` (`storage.grants.grant`; None: no grant asked for); refused when
    there is none."""
    from comunidad_cli.storage.grants import grant as stored_grant

    if key is None:
        return None
    found = stored_grant(db, key)
    if found is None:
        from comunidad_cli.services.suggest import no_such

        fallback = Msg.of(N_('no grant with id "{key}": see "comunidad grant list"'), key=key)
        raise ServiceError(no_such(db, "grant", key, fallback))
    return found


def list_resources(
    source: str | Db | Session | Connection, grant: str | None = None
) -> list[ResourceView]:
    from comunidad_cli.services.grants.common import _reading
    from comunidad_cli.storage.resources import resources

    with _reading(source) as db:
        linked = _grant(db, grant or None)
        rows = resources(db, None if linked is None else linked["id"])
    return [
        ResourceView(
            r.key,
            r.kind,
            r.description,
            r.grant,
            r.source,
            r.pledged,
            r.received,
            r.hours,
            r.dated,
            r.currency,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class GrantInfo:
    key: str
    title: str
    currency: str
    funder: str


@dataclass(frozen=True, slots=True)
class ResourcesSummary:
    """Totals of the resources (of one grant, or all), and the grant's match and leverage."""

    totals: Totals
    grant: GrantInfo | None = None
    position: GrantPosition | None = None


def resources_summary(
    source: str | Db | Session | Connection, grant_key: str | None = None
) -> ResourcesSummary:
    """Totals by kind of every resource, or of one grant's with its match and leverage."""
    from comunidad_cli.services.grants.common import _reading
    from comunidad_cli.storage.resources import resources

    with _reading(source) as db:
        grant = _grant(db, grant_key)
        if grant is None:
            rows = resources(db)
            return ResourcesSummary(
                totals([Line(r.kind, r.pledged, r.received, r.hours) for r in rows])
            )
        rows = resources(db, grant["id"])
    lines = [
        Line(
            r.kind,
            r.pledged,
            r.received,
            r.hours,
            from_funder=r.source_id is not None and r.source_id == grant["funder_id"],
        )
        for r in rows
    ]
    return ResourcesSummary(
        totals(lines),
        GrantInfo(grant["key"], grant["title"], grant["currency"], grant["funder_key"]),
        grant_position(lines, grant["amount"], grant["match_required"]),
    )
