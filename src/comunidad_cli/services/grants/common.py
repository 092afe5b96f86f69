"""What every grant service shares: the refusal (`Refused`), checks of plain values (text,
currency, decimals as typed), amounts in a currency's digits for output, and the lookups of
grants, subcontracts and organisations by id.

The lookups read through `storage.grants` over a `storage.dbapi.Db` (or a SQLAlchemy Session
or Connection, which `as_db` reaches): the CLI imports these modules to start up, and the
everyday commands never import SQLAlchemy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.choices import parse as parse_word
from comunidad_cli.core.grants.values import precision_problem
from comunidad_cli.core.importing.ids import make_id, parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.storage.dbapi import Db


GRANT_ENTITY = "grant"
SUBCONTRACT_ENTITY = "subcontract"
AMENDMENT_ENTITY = "amendment"
RISK_ENTITY = "risk_assessment"
PAYMENT_ENTITY = "payment"
DELIVERABLE_ENTITY = "deliverable"
SUBMISSION_ENTITY = "submission"
TEXT_MAX = 300
_CURRENCY = re.compile(r"[A-Z]{3}")


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
    problem = currency_problem(code)
    if problem is not None:
        raise Invalid(problem)
    return code


def currency_problem(code: str) -> Msg | None:
    """Why amounts in `code` can't be kept exactly, or None: money is stored to the cent
    (two decimals), so a currency that counts three or four (KWD, the Chilean UF: CLF) is
    refused plainly rather than rounded."""
    from babel.numbers import get_currency_precision

    try:
        digits = int(get_currency_precision(code))
    except Exception:  # an unknown code: Babel's errors vary by version
        return None
    if digits <= 2:
        return None
    return Msg.of(
        N_(
            "amounts in {currency} have {digits} decimals, and comunidad keeps money to the"
            " cent (2 decimals): it cannot record them exactly"
        ),
        currency=code,
        digits=digits,
    )


def _text(value: str, option: str) -> str:
    try:
        return parse_text(value)
    except Invalid as invalid:
        raise Refused(
            [Msg.of(N_("{option}: {problem}"), option=option, problem=invalid.msg)]
        ) from None


def _choice(value: str, allowed: Sequence[str], option: str) -> str:
    """One of `allowed`, typed in English or in the words of es/ca (`core.choices`)."""
    found = parse_word(value, allowed)
    if isinstance(found, Msg):
        raise Refused([Msg.of(N_("{option}: {problem}"), option=option, problem=found)])
    return found


@functools.cache
def currency_digits(currency: str) -> int:
    """Decimals amounts in `currency` have (CLP 0, EUR 2); Babel's data. At most 2: a
    currency with more is refused where it is chosen (`currency_problem`)."""
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
        problem = precision_problem(amount, digits, currency, decimal_mark)
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


@contextmanager
def _reading(source: str | Db | Session | Connection) -> Iterator[Db]:
    """A `Db` from a URL (a read transaction of its own, `reading_db`), or on the
    transaction of a Db, Session or Connection."""
    if isinstance(source, str):
        from comunidad_cli.services.session import reading_db

        with reading_db(source) as db:
            yield db
        return
    from comunidad_cli.storage.dbapi import as_db

    yield as_db(source)


def _new_key(
    source: Db | Session | Connection,
    table: str,
    key: str | None,
    parts: tuple[str, ...],
    prefix: str,
) -> str:
    """The id chosen with --id (refused when taken), else one made from `parts`, free in
    `table`."""
    from comunidad_cli.storage.dbapi import as_db
    from comunidad_cli.storage.directory import Taken

    taken = Taken(as_db(source), table)
    if key is not None:
        try:
            chosen = parse_key(key.strip())
        except Invalid as invalid:
            raise Refused(
                [Msg.of(N_("{option}: {problem}"), option="--id", problem=invalid.msg)]
            ) from None
        if chosen in taken:
            raise _refused(
                N_('the id "{key}" is already taken: choose another --id, or leave it out'),
                key=chosen,
            )
        return chosen
    return make_id(*parts, prefix=prefix, taken=taken)


def _org_id(source: Db | Session | Connection, key: str) -> int:
    from comunidad_cli.services.directory import _org_row
    from comunidad_cli.storage.dbapi import as_db

    return int(_org_row(as_db(source), key.strip())["id"])


def _grant_row(source: Db | Session | Connection, key: str) -> dict[str, Any]:
    """The grant `key` (`storage.grants.grant`), or the refusal that names `grant list`."""
    from comunidad_cli.services.suggest import no_such
    from comunidad_cli.storage.dbapi import as_db
    from comunidad_cli.storage.grants import grant

    db = as_db(source)
    row = grant(db, key.strip())
    if row is None:
        fallback = Msg.of(N_('no grant with id "{key}": see "comunidad grant list"'), key=key)
        raise Refused([no_such(db, "grant", key, fallback)])
    return row


def _subcontract_row(source: Db | Session | Connection, key: str) -> dict[str, Any]:
    """The subcontract `key` with its grant's and partner's fields
    (`storage.grants.subcontract`), or the refusal that names `subcontract list`."""
    from comunidad_cli.services.suggest import no_such
    from comunidad_cli.storage.dbapi import as_db
    from comunidad_cli.storage.grants import subcontract

    db = as_db(source)
    row = subcontract(db, key.strip())
    if row is None:
        fallback = Msg.of(
            N_('no subcontract with id "{key}": see "comunidad subcontract list"'), key=key
        )
        raise Refused([no_such(db, "subcontract", key, fallback)])
    return row
