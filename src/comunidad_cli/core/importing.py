"""Import files, the pure part: columns, value parsers, header and row checks, duplicates.

No I/O: the service reads the file (CSV, JSON, NDJSON) into a header and numbered records of
text cells; this module turns them into typed rows and collects *every* problem, located at
`row` and `column`, as `Msg` data translated at the edge.

Parsers are plain functions from a non-empty, stripped text to a value that raise `Invalid`
with the message: about a microsecond a value, no model objects per row (see docs/architecture.md).
Keys (the natural keys rows are matched on) and the slugs generated from names live here
too, so `org add` and `import orgs` agree on them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Container, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from comunidad_cli.core.messages import N_, NP_, Msg

Parser = Callable[[str], Any]


class Invalid(ValueError):
    """A value refused by a parser; `msg` says why, in terms of the value."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.text)
        self.msg = msg

    @classmethod
    def of(cls, text: str, /, **params: Any) -> Invalid:
        return cls(Msg.of(text, **params))


# --- keys and slugs -----------------------------------------------------------------------

KEY_MAX = 64
# Generated ids: short enough to read aloud, type and copy from an 80-column list.
ID_MAX = 32
_KEY = re.compile(r"[a-z][a-z0-9_-]*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def key_problem(value: str) -> Msg | None:
    """Why `value` is not a valid key, or None when it is."""
    if not value:
        return Msg.of(N_("a key cannot be empty"))
    if len(value) > KEY_MAX:
        return Msg.of(
            N_('key "{key}" is too long ({length} characters; at most {max})'),
            key=value,
            length=len(value),
            max=KEY_MAX,
        )
    if _KEY.fullmatch(value) is None:
        return Msg.of(
            N_(
                'key "{key}" is not valid: use lower-case letters, digits, "-" and "_",'
                " starting with a letter (e.g. maria-jose)"
            ),
            key=value,
        )
    return None


def parse_key(value: str) -> str:
    problem = key_problem(value)
    if problem is not None:
        raise Invalid(problem)
    return value


def slugify(name: str, *, prefix: str, limit: int = ID_MAX) -> str:
    """A key from a name, ASCII-folded: "María José Núñez" -> "maria-jose-nunez".

    A slug that would not start with a letter gets `prefix` ("org", "person") in front; a
    name with no usable letters at all becomes `prefix` alone. Cut at a word boundary to at
    most `limit` characters, so an id stays short enough to read, type and copy.
    """
    return make_id(name, prefix=prefix, limit=limit)


def _words(part: str) -> list[str]:
    """The words of one part of an id: a key as it is (split at "-"), a name ASCII-folded."""
    if key_problem(part) is None:
        return part.split("-")
    return [w for w in _ascii_slug(part).split("-") if w]


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_SLUG.sub("-", ascii_only.lower()).strip("-")


# Little words an id cut short should not end on ("junta-de" reads better as "junta").
_DANGLING = frozenset(
    {"a", "al", "and", "d", "de", "del", "el", "els", "en", "for", "i", "l", "la", "las"}
    | {"les", "lo", "los", "of", "per", "the", "to", "y"}
)


def _cut(words: list[str], budget: int) -> str:
    """As many whole words as fit in `budget` characters; a first word too long is cut."""
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > budget:
            break
        kept.append(word)
    if not kept and words:
        return words[0][: max(budget, 1)]
    if len(kept) < len(words):
        while len(kept) > 1 and kept[-1] in _DANGLING:
            kept.pop()
    return "-".join(kept)


def _fit(parts: Sequence[list[str]], limit: int) -> str:
    """The parts joined by "-" in at most `limit` characters, each with a fair share: a part
    that fits its share (a date, a meeting) stays whole and leaves the rest to the others;
    the longer ones are cut in order, so the last (what tells ids apart: the partner, the
    title) gets what the parts before it leave."""
    joined = "-".join("-".join(w) for w in parts if w)
    if len(joined) <= limit:
        return joined
    present = ["-".join(w) for w in parts if w]
    budget = limit - (len(present) - 1)
    shares: dict[int, str] = {}
    while len(shares) < len(present):
        waiting = [i for i in range(len(present)) if i not in shares]
        share = budget // len(waiting)
        fitting = [i for i in waiting if len(present[i]) <= share]
        index = min(fitting, key=lambda i: len(present[i])) if fitting else waiting[0]
        shares[index] = _cut(present[index].split("-"), share)
        budget -= len(shares[index])
    return "-".join(shares[i] for i in range(len(present)) if shares[i])[:limit].rstrip("-")


def earlier_id(text: str, *, prefix: str) -> str:
    """The id versions before `make_id` generated from `text` (one slug cut at 60 characters,
    not at a word): an import without ids looks it up too, so re-importing a file that an
    earlier version wrote finds its rows instead of adding them twice."""
    slug = _ascii_slug(text)
    slug = slug if slug[:1].isalpha() else f"{prefix}-{slug}".rstrip("-")
    return slug[: KEY_MAX - 4].rstrip("-")


def _suffixes(base: str) -> Iterator[str]:
    """-2, -3, ...; after a base whose last word is a number (a date, "Fondo 2"), -b, -c, ...
    so an id never reads like "-2-2"."""
    if base.rsplit("-", 1)[-1].isdigit():
        yield from (f"-{letter}" for letter in "bcdefghijklmnopqrstuvwxyz")
        start = 27
    else:
        start = 2
    yield from (f"-{number}" for number in itertools.count(start))


def make_id(
    *parts: str, prefix: str, taken: Container[str] = (), limit: int = ID_MAX, whole: int = 0
) -> str:
    """THE maker of generated ids (people, organisations, grants, subcontracts, payments,
    meetings, motions, deliverables, resources): a readable slug of `parts` (names are
    ASCII-folded, keys kept as they are) joined by "-", at most `limit` characters cut at word
    boundaries, made unique against `taken` with the shortest suffix needed ("-2", or "-b"
    after a number). The first `whole` parts are never cut: a motion's id starts with its
    meeting's whole id, so it always says which meeting (and day) it belongs to, and the
    title gets what is left (at least a word). Pure: `taken` may be any container, e.g. one
    that asks the database.
    """
    words = [_words(part) for part in parts]
    if not words or not words[0] or not words[0][0][:1].isalpha():
        words[0:0] = [[prefix]]
        whole = whole + 1 if whole else 0
    base = _fit_keeping(words, whole, limit, prefix)
    if base not in taken:
        return base
    for suffix in _suffixes(base):
        candidate = _fit_keeping(words, whole, limit - len(suffix), prefix) + suffix
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: the suffixes never run out")


_WORD_MAX = 16  # a first word up to this long is kept whole after the whole parts


def _fit_keeping(parts: Sequence[list[str]], whole: int, limit: int, prefix: str) -> str:
    """`_fit`, with the first `whole` parts kept as they are. What follows them gets what is
    left, but at least its first word whole ("adjudicacion", not "adjudica"); when nothing
    usable follows (a title of punctuation), `prefix`, so that a motion's id is never its
    meeting's id."""
    if not whole:
        return _fit(parts, limit)
    head = "-".join("-".join(w) for w in parts[:whole] if w)
    rest = [w for w in parts[whole:] if w] or [[prefix]]
    first = min(len(rest[0][0]), _WORD_MAX)
    return f"{head}-{_fit(rest, max(limit - len(head) - 1, first))}"


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


# Refused in anything people type that is printed back (names, titles, reasons, labels):
# C0 and C1 control characters but tab, line feed and carriage return (whitespace, collapsed
# or kept as typed), NUL included; the bidi embeddings, overrides and isolates, which make a
# name display as other text ("Trojan Source"); lone surrogates (undecodable bytes from a
# command line). Other invisible format characters are part of writing and are kept: ZWJ in
# emoji, ZWNJ in Persian, LRM/RLM in Arabic and Hebrew, soft hyphens.
_REFUSED_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def text_problem(value: str) -> Msg | None:
    """Why `value` can't be recorded as typed text (a control character), or None: the one
    check behind every name, title and label, by command and by import."""
    found = _REFUSED_CHARACTER.search(value)
    if found is None:
        return None
    return Msg.of(
        N_(
            "character {position} is an invisible control character ({code}): remove it,"
            " the text is recorded and printed exactly as typed"
        ),
        position=found.start() + 1,
        code=f"U+{ord(found.group()):04X}",
    )


def check_text(value: str) -> str:
    """`value` as it is, or `Invalid` when it holds a control character."""
    problem = text_problem(value)
    if problem is not None:
        raise Invalid(problem)
    return value


def parse_text(value: str) -> str:
    return check_text(value)


_LINE_BREAK = re.compile("[\t\n\r]")


def one_line(value: str) -> str:
    """A name, title or label: `check_text`, and on one line. A tab or a line break in a name
    is refused, not turned into a space (a spreadsheet cell with a stray line break is a
    question for the person who typed it); runs of spaces count as one."""
    check_text(value)
    found = _LINE_BREAK.search(value)
    if found is not None:
        raise Invalid.of(
            N_(
                "character {position} is a tab or a line break ({code}): a name or title is"
                " written on one line"
            ),
            position=found.start() + 1,
            code=f"U+{ord(found.group()):04X}",
        )
    return " ".join(value.split())


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
    """A parser accepting exactly one of `allowed` (compared case-insensitively)."""
    lowered = {a.casefold(): a for a in allowed}

    def parse_choice(value: str) -> str:
        found = lowered.get(value.casefold())
        if found is None:
            raise Invalid.of(
                N_('"{value}" is not one of: {choices}'),
                value=value,
                choices=", ".join(allowed),
            )
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
            '"{value}" is written with the other decimal separator: amounts in this'
            " file are expected as {example}"
        )
        if in_file
        else N_(
            '"{value}" is written with the other decimal separator: in this workspace'
            " amounts are typed as {example}"
        )
    )
    other_suggested = (
        N_(
            '"{value}" is written with the other decimal separator: amounts in this'
            " file are expected as {example}; did you mean {suggestion}?"
        )
        if in_file
        else N_(
            '"{value}" is written with the other decimal separator: in this workspace'
            " amounts are typed as {example}; did you mean {suggestion}?"
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


# --- columns, rows, problems --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import kind: its header name, its parser, whether it must be filled."""

    name: str
    parse: Parser
    required: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """One refusal: `row` None is about the whole file; `column` None is about the whole row."""

    row: int | None
    column: str | None
    msg: Msg

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.row if self.row is not None else 0, self.column or "")


@dataclass(frozen=True, slots=True)
class Row:
    """A parsed record: its number in the file and a value (None when empty) per known column."""

    number: int
    values: dict[str, Any]

    def get(self, column: str) -> Any:
        return self.values.get(column)

    def __getitem__(self, column: str) -> Any:
        return self.values[column]


@dataclass(frozen=True, slots=True)
class Parsed:
    """Every row that parsed cleanly, the columns the file has, and every problem found.

    `header_ok`: no column is unknown, repeated or missing (rows can be checked further).
    """

    rows: list[Row]
    present: frozenset[str]
    problems: list[Problem]
    header_ok: bool


def normalize_header(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().casefold()


def check_header(columns: Sequence[Column], header: Sequence[str]) -> list[Problem]:
    """Unknown, repeated and missing columns, each reported once for the file."""
    problems: list[Problem] = []
    known = {c.name for c in columns}
    expected = ", ".join(c.name for c in columns)
    seen: set[str] = set()
    for raw in header:
        name = normalize_header(raw)
        if not name:
            continue
        if name not in known:
            problems.append(
                Problem(
                    None,
                    None,
                    Msg.of(
                        N_('unknown column "{column}": the columns are {expected}'),
                        column=raw.strip(),
                        expected=expected,
                    ),
                )
            )
        elif name in seen:
            problems.append(
                Problem(None, None, Msg.of(N_('column "{column}" appears twice'), column=name))
            )
        seen.add(name)
    for column in columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem(None, None, Msg.of(N_('missing column "{column}"'), column=column.name))
            )
    return problems


_MEMO_LIMIT = 65536  # distinct values remembered per column


class RowParser:
    """Parses the records of one file, given its header (positions looked up once)."""

    def __init__(self, columns: Sequence[Column], header: Sequence[str]) -> None:
        by_name = {c.name: c for c in columns}
        self.fields: list[tuple[int, Column]] = []
        self.unnamed: list[int] = []
        taken: set[str] = set()
        for position, raw in enumerate(header):
            name = normalize_header(raw)
            if not name:
                self.unnamed.append(position)
            elif name in by_name and name not in taken:
                self.fields.append((position, by_name[name]))
                taken.add(name)
        self.width = len(header)
        self.present = frozenset(taken)
        # Parsed values by cell text, per column: import files repeat the same keys, dates and
        # choices row after row (every vote of a motion names it), and parsers are pure.
        self._memo: list[dict[str, Any]] = [{} for _ in self.fields]
        #: For `_fast`: each field's parsed value by raw cell (the fast lane's `CellMemo`).
        self._cells = [
            (position, column.name, CellMemo(column)) for position, column in self.fields
        ]

    def _fast(self, cells: Sequence[str | Invalid]) -> dict[str, Any] | None:
        """The values of a well-formed row of text cells, or None: take the careful path.

        Most rows of a large file are fine; this does only what they need (a `CellMemo`
        lookup a cell) and leaves every problem to `parse`.
        """
        try:
            return {name: memo[cells[position]] for position, name, memo in self._cells}
        except Irregular:
            return None

    def parse(
        self, number: int, cells: Sequence[str | Invalid]
    ) -> tuple[Row | None, list[Problem]]:
        """The row, or None and its problems. A cell may be an `Invalid` the reader already
        refused (a list where a JSON value should be): it is reported under its column."""
        if len(cells) == self.width and not self.unnamed:
            fast = self._fast(cells)
            if fast is not None:
                return Row(number, fast), []
        problems: list[Problem] = []
        if len(cells) > self.width and any(
            isinstance(c, Invalid) or c.strip() for c in cells[self.width :]
        ):
            problems.append(
                Problem(
                    number,
                    None,
                    Msg.of(
                        N_("{count} values, but the header names {width} columns"),
                        count=len(cells),
                        width=self.width,
                    ),
                )
            )
        for position in self.unnamed:
            cell = cells[position] if position < len(cells) else ""
            if isinstance(cell, Invalid) or cell.strip():
                problems.append(
                    Problem(
                        number,
                        None,
                        Msg.of(
                            N_("a value in column {position}, which has no name in the header"),
                            position=position + 1,
                        ),
                    )
                )
        values: dict[str, Any] = {}
        for (position, column), memo in zip(self.fields, self._memo, strict=True):
            cell = cells[position] if position < len(cells) else ""
            if isinstance(cell, Invalid):
                problems.append(Problem(number, column.name, cell.msg))
                continue
            text = cell.strip()
            if not text:
                if column.required:
                    problems.append(Problem(number, column.name, Msg.of(N_("a value is required"))))
                values[column.name] = None
                continue
            if text in memo:
                values[column.name] = memo[text]
                continue
            try:
                value = column.parse(text)
            except Invalid as invalid:
                problems.append(Problem(number, column.name, invalid.msg))
                continue
            if len(memo) < _MEMO_LIMIT:
                memo[text] = value
            values[column.name] = value
        return (None if problems else Row(number, values)), problems


def parse_records(
    columns: Sequence[Column],
    header: Sequence[str],
    records: Iterable[tuple[int, Sequence[str | Invalid]]],
) -> Parsed:
    """Typed rows and every problem of the header and of each record."""
    header_problems = check_header(columns, header)
    problems = list(header_problems)
    parser = RowParser(columns, header)
    rows: list[Row] = []
    for number, cells in records:
        row, row_problems = parser.parse(number, cells)
        if row is not None:
            rows.append(row)
        else:
            problems.extend(row_problems)
    return Parsed(rows, parser.present, problems, header_ok=not header_problems)


def find_duplicates(
    rows: Sequence[Row],
    key_of: Callable[[Row], Hashable | None],
    key_columns: str,
) -> tuple[list[Row], list[Problem]]:
    """Rows whose natural key already appeared in the file, reported with both row numbers.

    Returns the rows without the repeats, and a problem at each repeat naming the first row.
    """
    first: dict[Hashable, int] = {}
    kept: list[Row] = []
    problems: list[Problem] = []
    for row in rows:
        key = key_of(row)
        if key is None:
            kept.append(row)
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = row.number
            kept.append(row)
            continue
        parts = [p for p in (key if isinstance(key, tuple) else (key,)) if p not in ("", None)]
        # The key's parts as parameters, so the edge formats each (a time in the locale).
        shown = Msg.of(
            "/".join(f"{{k{n}}}" for n in range(len(parts))),
            **{f"k{n}": part for n, part in enumerate(parts)},
        )
        problems.append(
            Problem(
                row.number,
                None,
                Msg.of(
                    N_("duplicate of row {first}: the same {columns} ({key})"),
                    first=earlier,
                    columns=key_columns,
                    key=shown,
                ),
            )
        )
    return kept, problems


# --- the fast lane: whole columns of clean rows ------------------------------------------------


class Irregular(Exception):
    """Raised by the fast lane at the first thing it does not handle (an empty required cell,
    a value a parser refuses, a short row, a duplicate, a refusal): the import then runs the
    careful path, which finds and reports *every* problem with its row and column."""


class CellMemo(dict[Any, Any]):
    """A column's parsed value by raw cell text; a miss parses it, or raises `Irregular`.

    A hit is one dictionary lookup in C. Cells are keyed unstripped, so a hit costs no
    `strip`; "  x" and "x" are parsed (identically) once each.
    """

    def __init__(self, column: Column) -> None:
        super().__init__()
        self.parse = column.parse
        self.required = column.required

    def __missing__(self, cell: Any) -> Any:
        if cell.__class__ is not str:  # an `Invalid` cell from a JSON reader
            raise Irregular
        text = cell.strip()
        if not text:
            if self.required:
                raise Irregular
            value = None
        else:
            try:
                value = self.parse(text)
            except Invalid:
                raise Irregular from None
        if len(self) < _MEMO_LIMIT:
            self[cell] = value
        return value


class Columnar:
    """Parses clean records into columns of values, at C speed a cell.

    The large files (a million votes) are nearly always clean; their rows need no dict, no
    `Row`, no problem list, not even a tuple: each batch of records is transposed (`zip`)
    and each column mapped through its `CellMemo`, all in C. `columns` raises `Irregular`
    at the first record that is not plain: its result is then discarded and
    `parse_records` does the careful job. Only for a header that `check_header` accepts and
    that has no unnamed column (see `of`).
    """

    def __init__(self, columns: Sequence[Column], header: Sequence[str]) -> None:
        where = {normalize_header(raw): n for n, raw in enumerate(header)}
        self.width = len(header)
        self.present = frozenset(c.name for c in columns if c.name in where)
        #: Per column of the kind, where it is in a record (None: absent) and its memo.
        self.layout = [(where.get(c.name), CellMemo(c)) for c in columns]

    @classmethod
    def of(cls, columns: Sequence[Column], header: Sequence[str]) -> Columnar | None:
        """A parser for this header, or None when it needs the careful path's messages."""
        if check_header(columns, header) or not all(normalize_header(h) for h in header):
            return None
        return cls(columns, header)

    def columns(self, batches: Iterable[Sequence[Sequence[Any]]]) -> list[list[Any]]:
        """Every column's values (in the kind's column order; None where a column is absent),
        row by row; `Irregular` at the first record that is not clean."""
        out: list[list[Any]] = [[] for _ in self.layout]
        plan = [
            (position, memo.__getitem__, values)
            for (position, memo), values in zip(self.layout, out, strict=True)
        ]
        width = {self.width}
        rows = 0
        for batch in batches:
            if set(map(len, batch)) != width:  # a short, long or blank record
                raise Irregular
            cells = list(zip(*batch, strict=True))
            for position, parse, values in plan:
                if position is not None:
                    values.extend(map(parse, cells[position]))
            rows += len(batch)
        for (position, _), values in zip(self.layout, out, strict=True):
            if position is None:
                values.extend([None] * rows)
        return out
