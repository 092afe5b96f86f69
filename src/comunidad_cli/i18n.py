"""Language and locale: which catalog translates, which locale Babel formats with.

Resolution order (first that is set): `--locale`, COMUNIDAD_LOCALE, the workspace's
comunidad.toml, LC_ALL, LC_MESSAGES, LANG. `es_CL.UTF-8` keeps its territory for formats
(Chilean pesos, Spanish dates); `C`/`POSIX` and unsupported languages fall back to English.

Cheap by design: gettext loads a compiled catalog in a few ms; Babel is imported only by
the formatting helpers, inside the commands that print numbers, money or dates.
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from comunidad_cli.core.messages import Msg

DOMAIN = "comunidad"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("es", "en", "ca")
FALLBACK = "en"
ENV_ORDER = ("COMUNIDAD_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG")

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[_-]([A-Za-z]{2}|\d{3}))?(?:[.@].*)?$")


def normalize(tag: str | None) -> str | None:
    """ "es_CL.UTF-8" -> "es_CL", "ca-es" -> "ca_ES", "C"/"POSIX" -> "en"; junk -> None."""
    if tag is None:
        return None
    tag = tag.strip()
    if not tag:
        return None
    if tag.split(".")[0] in ("C", "POSIX"):
        return FALLBACK
    match = _TAG.match(tag)
    if match is None:
        return None
    language, territory = match.group(1).lower(), match.group(2)
    if language not in LANGUAGES:
        return FALLBACK
    return f"{language}_{territory.upper()}" if territory else language


def spoken(tag: str) -> bool:
    """Whether `tag` names a language comunidad speaks (es, en, ca, with any territory): an
    environment's other language falls back to English, a `--locale` asked for is refused."""
    if tag.strip().split(".")[0] in ("C", "POSIX"):
        return True
    match = _TAG.match(tag.strip())
    return match is not None and match.group(1).lower() in LANGUAGES


def resolve(cli: str | None, env: Mapping[str, str], workspace_locale: str | None = None) -> str:
    """The locale to use, from the first source that names a usable one."""
    candidates = [cli, env.get("COMUNIDAD_LOCALE"), workspace_locale]
    candidates += [env.get(name) for name in ENV_ORDER[1:]]
    for candidate in candidates:
        locale = normalize(candidate)
        if locale is not None:
            return locale
    return FALLBACK


def language_of(locale: str) -> str:
    return locale.split("_")[0]


class _State:
    locale: str = FALLBACK
    translations: _gettext.NullTranslations = _gettext.NullTranslations()


_state = _State()


def activate(locale: str) -> None:
    """Make `locale` the one messages are translated to and values formatted in."""
    language = language_of(locale)
    _state.locale = locale
    _state.translations = _gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )


def current_locale() -> str:
    return _state.locale


def current_language() -> str:
    return language_of(_state.locale)


def _(message: str) -> str:
    """Translate now, into the active language (in Catalan, a text whose `.format` elides:
    see `CatalanText`)."""
    text = _state.translations.gettext(message)
    return CatalanText(text) if _state.locale.startswith("ca") else text


def translated(message_id: str) -> str:
    """Translate a message id held in a variable (marked with `N_` where it is written).

    Not `_`: the extractor would take any string literal inside a `_(...)` call, such as a
    dictionary key, for a message.
    """
    return _state.translations.gettext(message_id)


def ngettext(singular: str, plural: str, n: int) -> str:
    text = _state.translations.ngettext(singular, plural, n)
    return CatalanText(text) if _state.locale.startswith("ca") else text


# --- Catalan articles before dates --------------------------------------------------------


class DateText(str):
    """A date (or a date and time) as Babel wrote it for a message.

    Marked so that `fill` knows which parameters are dates: Catalan elides the article or
    preposition of the template before a date read with a vowel, and before nothing else.
    """

    __slots__ = ()


class NumberText(str):
    """A number or fraction as written for a message ("1/2", "11"), marked so that `fill`
    elides Catalan's "de" before one read with a vowel ("més d'1/2", "d'11")."""

    __slots__ = ()


_CA_VOWEL_NUMBER = re.compile(r"(?:1|11)(?![\d.,])")
# A name, id or word read with a vowel: a, e, o (accented or not), h before one; i and u
# (and hi, hu) only before a consonant, for before a vowel they are read as consonants
# ("de iogurt", "de Huelva"). Catalan writes "d'Anna", "d'arnau-sole", "d'Esplai".
_CA_VOWEL_WORD = re.compile(
    r"h?(?:[aeoàèéòóAEOÀÈÉÒÓ]|[iuíúïüIUÍÚÏÜ](?![aeiouàèéíòóúAEIOUÀÈÉÍÒÓÚ]))", re.IGNORECASE
)


class CatalanText(str):
    """A Catalan template from the catalogs: its `.format` is `fill`, so the template's own
    "de" elides before a name, an id or a number read with a vowel ("el vot d'arnau-sole",
    "de Pere"), as it does before a date. The names themselves are printed as typed."""

    __slots__ = ()

    def format(self, /, *args: Any, **kwargs: Any) -> str:
        if args:
            return str.format(self, *args, **kwargs)
        return fill(str(self), **kwargs)


# A date that is read with a vowel: its day 1 ("u") or 11 ("onze") followed by its month
# or a short date's slash; or a month with a vowel (abril, agost, octubre), maybe elided.
_CA_VOWEL_DAY = re.compile(r"(?:1|11)(?:\s(?:de\s|d[’'])|/)")
_CA_VOWEL_MONTH = re.compile(r"(?:d[’'])?(?=(?:abril|abr\.|agost|ag\.|octubre|oct\.))")
# The end of a template's text before a date: "el ", "del ", "al ", "pel ", "de ".
_CA_BEFORE_DAY = (
    (re.compile(r"(?:(?<=\W)|^)([Dd])el\s$"), r"\1e l'"),  # del 1 de gener -> de l'1 de gener
    (re.compile(r"(?:(?<=\W)|^)([Aa])l\s$"), r"\1 l'"),  # al 1 -> a l'1
    (re.compile(r"(?:(?<=\W)|^)([Pp])el\s$"), r"\1er l'"),  # pel 1 -> per l'1
    (re.compile(r"(?:(?<=\W)|^)el\s$"), "l'"),  # el 1 de gener -> l'1 de gener
    (re.compile(r"(?:(?<=\W)|^)El\s$"), "L'"),
)
_CA_BEFORE_MONTH = re.compile(r"(?:(?<=\W)|^)([Dd])e\s$")  # de abril -> d'abril


def _ca_junction(before: str, date_text: str, glued: bool) -> tuple[str, str]:
    """The template's `before` and the date that follows it, elided where Catalan elides.

    `glued`: another parameter's value ends right before `before`, so an article at its very
    start is not the template's own word (a name typed "Pere el" is left as typed).
    """
    if _CA_VOWEL_DAY.match(date_text):
        for pattern, replacement in _CA_BEFORE_DAY:
            found = pattern.search(before)
            if found is not None and not (glued and found.start() == 0):
                return before[: found.start()] + found.expand(replacement), date_text
        return before, date_text
    month = _CA_VOWEL_MONTH.match(date_text)
    found = _CA_BEFORE_MONTH.search(before)
    if month is not None and found is not None and not (glued and found.start() == 0):
        return before[: found.start()] + found.group(1) + "'", date_text[month.end() :]
    return before, date_text


def fill(template: str, /, **params: Any) -> str:
    """`template.format(**params)`, with Catalan's article elided before a date parameter.

    A template says `aprovats el {date}` or `del {start} al {end}`; in Catalan the article
    and `de` elide before a vowel sound, so "el 1 de gener" reads "l'1 de gener", "del
    11/4/25" "de l'11/4/25". Only the template's own words right before a `DateText`
    parameter change: every other parameter (a name, a title, a reason) is printed exactly
    as typed, even when it says "el 1 de gener". A text that starts with a date is a date
    too, for the template it goes into (`{start} a {end}` inside `del {period}`).
    """
    catalan = current_language() == "ca"
    if not catalan and not any(isinstance(v, DateText | NumberText) for v in params.values()):
        return str.format(template, **params)
    from string import Formatter

    formatter = Formatter()
    pieces: list[str] = []
    starts_with_date = False
    glued = False
    for literal, field, spec, conversion in formatter.parse(template):
        if field is None:
            pieces.append(literal)
            break
        value, _key = formatter.get_field(field, (), params)
        if conversion:
            value = formatter.convert_field(value, conversion)
        shown = formatter.format_field(value, formatter.vformat(spec or "", (), params))
        if isinstance(value, DateText):
            if not pieces and not literal:
                starts_with_date = True
            if catalan:
                literal, shown = _ca_junction(literal, shown, glued)
        elif catalan and (
            _CA_VOWEL_NUMBER.match(shown)
            if isinstance(value, NumberText)
            else isinstance(value, str) and _CA_VOWEL_WORD.match(shown)
        ):
            found = _CA_BEFORE_MONTH.search(literal)  # "de " -> "d'", as before "abril"
            if found is not None and not (glued and found.start() == 0):
                literal = literal[: found.start()] + found.group(1) + "'"
        pieces += [literal, shown]
        glued = True
    text = "".join(pieces)
    return DateText(text) if starts_with_date else text


def message_text(msg: Msg, fmt: Callable[[object], object] | None = None) -> str:
    """A core or service message in the reader's language: translated, counted with
    `ngettext`, its parameters formatted by `fmt` (default `format_value`: dates, amounts and
    choices the locale's way) and its dates joined to the template by `fill`."""
    return msg.render(_, fmt or format_value, ngettext, fill)


# --- Babel formatting (imports Babel lazily) ----------------------------------------------


def _babel_locale() -> str:
    locale = _state.locale
    if "_" in locale:
        return locale
    from babel.core import get_global

    likely: Mapping[str, str] = get_global("likely_subtags")
    full = likely.get(locale, locale)
    parts = full.split("_")
    territory = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
    return f"{locale}_{territory}" if territory else locale


@lru_cache(maxsize=8)
def _parsed(locale: str) -> Any:
    """Babel's Locale for `locale`, parsed once: a list formats a date a row (3x faster)."""
    from babel.core import Locale

    return Locale.parse(locale)


def _apostrophes(text: str) -> str:
    """CLDR writes Catalan's elided dates with a curly apostrophe ("d’abril"), the catalogs
    with a straight one ("l'1 de gener"): one line, one apostrophe, the catalogs' own."""
    return text.replace("’", "'")


def format_date(value: date, fmt: str = "long") -> DateText:
    return _format_date(value, fmt, _babel_locale())


@lru_cache(maxsize=4096)
def _format_date(value: date, fmt: str, locale: str) -> DateText:
    """Lists repeat dates (a term's start on every seat): each is formatted once."""
    from babel.dates import format_date as babel_format_date

    return DateText(_apostrophes(babel_format_date(value, format=fmt, locale=_parsed(locale))))


def format_datetime(value: datetime, fmt: str = "medium") -> DateText:
    """A date and time; in the hour the clocks repeat, with its offset (`repeated_offset`)."""
    from babel.dates import format_datetime as babel_format_datetime

    shown = str(babel_format_datetime(value, format=fmt, locale=_parsed(_babel_locale())))
    return DateText(_with_offset(_apostrophes(shown), repeated_offset(value)))


def format_moment(value: datetime) -> DateText:
    """A date and time in a message: the medium date with the short time (`7:05 PM`, no
    seconds: people record minutes); in the hour the clocks repeat, with its offset."""
    from babel.dates import format_date as babel_format_date
    from babel.dates import format_time as babel_format_time
    from babel.dates import get_datetime_format

    locale = _parsed(_babel_locale())
    pattern = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    shown = pattern.replace("{0}", str(babel_format_time(value, "short", locale=locale)))
    shown = shown.replace("{1}", str(babel_format_date(value, "medium", locale=locale)))
    return DateText(_with_offset(_apostrophes(shown), repeated_offset(value)))


def format_time(value: datetime, fmt: str = "short") -> str:
    """A time of day; in the hour the clocks repeat, with its offset (`repeated_offset`)."""
    from babel.dates import format_time as babel_format_time

    shown = str(babel_format_time(value, format=fmt, locale=_parsed(_babel_locale())))
    return _with_offset(shown, repeated_offset(value))


def repeated_offset(value: datetime) -> str | None:
    """`value`'s UTC offset ("-03:00") when it is on the workspace's clocks
    and they show that wall-clock time twice (the hour repeated when they go back), else
    None: 23:10 the first time and 23:10 the second are two instants and must read so.

    Services hand times over already on the workspace's clocks (`facts.on_clocks`); a time
    on other clocks is shown as it is, without the mark.
    """
    from comunidad_cli import clock

    offset = value.utcoffset()
    if offset is None:
        return None
    zone = clock.zone()
    naive = value.replace(tzinfo=None)
    first = naive.replace(tzinfo=zone, fold=0).utcoffset()
    second = naive.replace(tzinfo=zone, fold=1).utcoffset()
    if first == second or offset not in (first, second):
        return None
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _with_offset(shown: str, offset: str | None) -> str:
    return shown if offset is None else _("{time} ({offset})").format(time=shown, offset=offset)


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """A number the locale's way; `decimals` fixes how many digits follow the separator."""
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return str(format_decimal(value, format=pattern, locale=_babel_locale()))


def format_money(amount: Decimal, currency: str) -> str:
    """An amount in the locale's currency format, the one way every command shows money.

    Rounded half-up to the currency's digits (pesos none, euros two), the locale's digits
    and the currency's symbol, or its code where the locale has no symbol for it: a code
    is kept apart from the digits by a no-break space (CLDR's currency spacing, which Babel
    leaves out), so euros in Chile read `EUR 15.000,50`, not `EUR15.000,50`.
    """
    from decimal import ROUND_HALF_UP, InvalidOperation

    from babel.numbers import format_currency, get_currency_precision, get_currency_symbol

    locale = _parsed(_babel_locale())  # parsed once: a list shows hundreds of amounts
    try:
        digits = int(get_currency_precision(currency))
        amount = amount.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        pass
    text = str(format_currency(amount, currency, locale=locale))
    symbol = str(get_currency_symbol(currency, locale=locale))
    at = text.find(symbol)
    if at >= 0 and symbol.isalpha():
        before, after = text[:at], text[at + len(symbol) :]
        if after[:1].isdigit() or after[:1] in ("-", "\u2212"):
            after = "\xa0" + after
        if before[-1:].isdigit():
            before += "\xa0"
        text = before + symbol + after
    return text


def format_value(value: object) -> object:
    """How a message parameter is shown: dates and amounts (with the decimals they carry)
    in the locale's way, the rest as is."""
    if isinstance(value, datetime):
        return format_moment(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Fraction):
        from comunidad_cli.core.fractions import format_fraction

        return NumberText(format_fraction(value))
    if isinstance(value, Decimal) and value.is_finite():
        exponent = value.as_tuple().exponent  # the digits it carries: 900000 pesos, 12.50 euros
        return format_number(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    from comunidad_cli.core.choices import Choices

    if isinstance(value, Choices):
        return value.shown(current_language())
    return value


def choice_word(value: str) -> str:
    """A stored choice (`low`, `active`, `yes`) in the reader's words (`bajo`, `actiu`);
    JSON and the database keep the English value."""
    from comunidad_cli.core.choices import label

    return label(value, current_language())


def default_currency(locale: str) -> str:
    """The currency of the locale's territory (es_CL -> CLP, ca -> EUR, en -> USD)."""
    from babel.numbers import get_territory_currencies

    previous = _state.locale
    _state.locale = locale
    try:
        territory = _babel_locale().split("_")[-1]
    finally:
        _state.locale = previous
    currencies = get_territory_currencies(territory) if len(territory) == 2 else []
    return currencies[0] if currencies else "EUR"
