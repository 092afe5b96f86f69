"""Value parsers for import cells and typed options: numbers, dates, times, yes/no, e-mail,
phone, choices and money (with its decimals as typed).

Parsers are plain functions from a non-empty, stripped text to a value that raise `Invalid`
(`invalid.py`) with the message: about a microsecond a value, no model objects per row (see docs/architecture.md).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation

from comunidad_cli.core.choices import parse as parse_word
from comunidad_cli.core.importing.invalid import Invalid, Parser
from comunidad_cli.core.importing.text import check_text
from comunidad_cli.core.messages import N_, NP_, Msg

# --- value parsers ------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
TRUE_WORDS = frozenset({"true", "yes", "sí", "si", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})


def parse_int(value: str) -> int:
    if _INT.fullmatch(value) is None:
        raise Invalid.of(N_('"{value}" is not a whole number'), value=value)
    return int(value)


def parse_date(value: str) -> date:
    """A calendar date written YYYY-MM-DD (ISO 8601), nothing else: 03/04 is ambiguous."""
    if _DATE.fullmatch(value) is None:
        raise Invalid.of(
            N_('"{value}" is not a date: write it as YYYY-MM-DD, e.g. 2024-03-14'), value=value
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid.of(N_('there is no such date as "{value}"'), value=value) from None


def parse_datetime(value: str, zone: tzinfo | None = None) -> datetime:
    """An instant in ISO 8601 with an offset or Z, returned in UTC. A time without one is the
    wall-clock time in `zone` (the workspace's), refused when the clocks skip or repeat it;
    without a zone it is refused."""
    if _DATETIME.fullmatch(value) is None and zone is not None:
        # a zone given: a time without an offset is accepted, so the message says so
        raise Invalid.of(
            N_(
                '"{value}" is not a date and time: write YYYY-MM-DD HH:MM on the workspace\'s'
                " clocks (2024-03-14 18:30), or with an offset (2024-03-14T18:30-03:00)"
            ),
            value=value,
        )
    if _DATETIME.fullmatch(value) is None:
        raise Invalid.of(
            N_(
                '"{value}" is not a date and time: write it as YYYY-MM-DDTHH:MM with an offset,'
                " e.g. 2024-03-14T18:30-03:00 or 2024-03-14T21:30Z"
            ),
            value=value,
        )
    try:
        parsed = datetime.fromisoformat(value.replace(",", ".").replace("z", "Z"))
    except ValueError:
        raise Invalid.of(N_('there is no such date and time as "{value}"'), value=value) from None
    if (parsed.tzinfo is None or parsed.utcoffset() is None) and zone is not None:
        from comunidad_cli.core.when import wall_clock

        placed = wall_clock(parsed.replace(tzinfo=None), zone, value)
        if isinstance(placed, Msg):
            raise Invalid(placed)
        parsed = placed
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise Invalid.of(
            N_(
                '"{value}" has no time zone: add the offset (e.g. {value}-03:00, {value}+01:00)'
                " or Z for UTC"
            ),
            value=value,
        )
    return parsed.astimezone(UTC)


def parse_bool(value: str) -> bool:
    word = value.casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Invalid.of(
        N_('"{value}" is not yes or no: write true/false, yes/no, sí/no or 1/0'), value=value
    )


def parse_email(value: str) -> str:
    check_text(value)
    if _EMAIL.fullmatch(value) is None:
        raise Invalid.of(N_('"{value}" is not an email address'), value=value)
    return value


def parse_phone(value: str) -> str:
    if _PHONE.fullmatch(value) is None or sum(c.isdigit() for c in value) < 3:
        raise Invalid.of(
            N_('"{value}" is not a phone number: digits, spaces, +, -, ( and ) only'), value=value
        )
    return value


def choice(*allowed: str) -> Parser:
    """A parser accepting one of `allowed` in any language's words (`core.choices`): `sí`,
    `bajo`, `actiu` as well as `yes`, `low`, `active`; case and accents do not matter."""

    def parse_choice(value: str) -> str:
        found = parse_word(value, allowed)
        if isinstance(found, Msg):
            raise Invalid(found)
        return found

    return parse_choice


_POINT_MONEY = re.compile(r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")
_COMMA_MONEY = re.compile(r"-?(?:\d+|\d{1,3}(?:\.\d{3})+)(?:,\d+)?")
_PLAIN_MONEY = re.compile(r"-?\d+(?:\.\d+)?")


def money(decimal_mark: str | None, *, origin: str = "file", digits: int | None = None) -> Parser:
    """A parser of amounts written the way of a locale, as exact Decimals.

    `decimal_mark` ".": 1234.56 and 1,234.56 (en); ",": 1234,56 and 1.234,56 (es, ca);
    None: machine data (JSON), 1234.56 only. An amount that fits the other convention
    but not this one is refused, saying which format is expected: "1.234,56" in an English
    file could be a thousand or one, and guessing moves money. The refusal suggests the
    amount written this locale's way ("30,000,000" -> "did you mean 30.000.000?") when that
    reading fits the currency. `origin` "option": the value was typed on the command line,
    and the message says so instead of "in this file". `digits` are the currency's decimals
    where known (CLP 0): the example follows them ("1234 / 1.234" for pesos).

    The Decimal keeps the decimals as typed ("650,000" -> Decimal("650.000")): whether they
    are too many is for `decimals_problem`, once the currency of the amount is known.
    """
    whole = digits == 0
    if decimal_mark is None:
        pattern, other, example = _PLAIN_MONEY, None, "1234" if whole else "1234.56"
    elif decimal_mark == ",":
        pattern, other = _COMMA_MONEY, _POINT_MONEY
        example = "1234 / 1.234" if whole else "1234,56 / 1.234,56"
    else:
        pattern, other = _POINT_MONEY, _COMMA_MONEY
        example = "1234 / 1,234" if whole else "1234.56 / 1,234.56"
    in_file = origin == "file"
    other_separator = (
        N_(
            '"{value}" is written with the other decimal separator: numbers in this'
            " file are expected as {example}"
        )
        if in_file
        else N_(
            '"{value}" is written with the other decimal separator: in this workspace'
            " numbers are typed as {example}"
        )
    )
    other_suggested = (
        N_(
            '"{value}" is written with the other decimal separator: numbers in this'
            " file are expected as {example}; did you mean {suggestion}?"
        )
        if in_file
        else N_(
            '"{value}" is written with the other decimal separator: in this workspace'
            " numbers are typed as {example}; did you mean {suggestion}?"
        )
    )

    def suggest(value: str) -> str | None:
        """`value` read the other way, written this way; None when the currency's digits
        could not hold it (1.25 pesos): then there is nothing sensible to suggest."""
        assert decimal_mark is not None
        if decimal_mark == ",":  # the other way is 1,234.56
            reading = Decimal(value.replace(",", ""))
        else:  # the other way is 1.234,56
            reading = Decimal(value.replace(".", "").replace(",", "."))
        if digits is not None and typed_decimals(reading) > digits:
            if reading != reading.quantize(Decimal(1).scaleb(-digits)):
                return None
            reading = reading.quantize(Decimal(1).scaleb(-digits))  # 1,234.00 pesos: 1.234
        return written(reading, decimal_mark)

    def parse_money(value: str) -> Decimal:
        if pattern.fullmatch(value) is None:
            if other is not None and other.fullmatch(value) is not None:
                suggestion = suggest(value)
                if suggestion is not None:
                    raise Invalid.of(
                        other_suggested, value=value, example=example, suggestion=suggestion
                    )
                raise Invalid.of(other_separator, value=value, example=example)
            raise Invalid.of(
                N_('"{value}" is not an amount: write it as {example}, without a currency sign'),
                value=value,
                example=example,
            )
        if decimal_mark == ",":
            digits_text = value.replace(".", "").replace(",", ".")
        else:
            digits_text = value.replace(",", "")
        try:
            return Decimal(digits_text)
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            raise Invalid.of(N_('"{value}" is not an amount'), value=value) from None

    return parse_money


def written(amount: Decimal, decimal_mark: str | None) -> str:
    """`amount` the way a person types it in a convention, with its decimals as they are.

    ",": 1.250.000,5; ".": 1,250,000.5; None (machine data): 1250000.5. For messages that
    quote an amount back, so it reads as it was typed.
    """
    text = format(amount, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _point, fraction = text.lstrip("-").partition(".")
    if decimal_mark is None:
        return text
    group = "." if decimal_mark == "," else ","
    grouped = f"{int(whole):,}".replace(",", group)
    return f"{sign}{grouped}{decimal_mark}{fraction}" if fraction else f"{sign}{grouped}"


def typed_decimals(amount: Decimal) -> int:
    """How many decimals `amount` was written with ("3,480" -> 3, "650" -> 0)."""
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def decimals_problem(
    amount: Decimal, digits: int, currency: str, decimal_mark: str | None
) -> Msg | None:
    """Why `amount`, as typed, has more decimals than `currency` uses (`digits`), or None.

    Judged on the decimals written, not the value: "650,000" pesos is refused although it
    equals 650, because the person may have meant 650.000 (six hundred and fifty thousand)
    written the other way. Three decimals after a whole part of one to three digits read
    like a thousands group ("650,000", "3,480"), so the message asks whether that was meant;
    after a larger whole part ("3480,255", "15.000,505") they can't be one, and nothing is
    suggested (in the convention of `decimal_mark`;
    not for machine data, which has only one); extra decimals that are all zeros ("650,00"
    pesos) suggest the amount without them.
    """
    places = typed_decimals(amount)
    if places <= digits:
        return None
    value = written(amount, decimal_mark)
    suggestion = None
    if decimal_mark is not None and places == 3 and 1 <= abs(amount) < 1000:
        suggestion = written(amount.scaleb(3), decimal_mark)
    elif amount == (whole := amount.quantize(Decimal(1).scaleb(-digits))):
        suggestion = written(whole, decimal_mark)  # "650,00" pesos: only zeros too many
    if digits == 0:
        if suggestion is not None:
            return Msg.of(
                N_("{value}: amounts in {currency} have no decimals; did you mean {suggestion}?"),
                value=value,
                currency=currency,
                suggestion=suggestion,
            )
        return Msg.of(
            N_("{value}: amounts in {currency} have no decimals"), value=value, currency=currency
        )
    if suggestion is not None:
        return Msg.counted(
            NP_(
                "{value}: amounts in {currency} have at most {digits} decimal;"
                " did you mean {suggestion}?",
                "{value}: amounts in {currency} have at most {digits} decimals;"
                " did you mean {suggestion}?",
            ),
            "digits",
            value=value,
            currency=currency,
            digits=digits,
            suggestion=suggestion,
        )
    return Msg.counted(
        NP_(
            "{value}: amounts in {currency} have at most {digits} decimal",
            "{value}: amounts in {currency} have at most {digits} decimals",
        ),
        "digits",
        value=value,
        currency=currency,
        digits=digits,
    )
