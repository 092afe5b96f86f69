"""The reading of a round file's data (`core/funds/round.py`'s `Draft`): every value as far
as it can be read, and every shape finding (FD1xx: unknown, missing or mistyped keys, bad
ids, money, exact values, dates, translations) at its key path. `core/funds/checks.py`
runs `read` first, then its checks over the draft."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.findings import Finding, KeyPath
from comunidad_cli.core.fractions import format_fraction, parse_fraction
from comunidad_cli.core.funds.codes import finding
from comunidad_cli.core.funds.round import (
    DATE_KEYS,
    LANGUAGES,
    PROJECT_KINDS,
    ROUND_ID,
    AccountabilityDraft,
    CriterionDraft,
    Draft,
    ReportDraft,
    Scale,
    Texts,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.core.toml_shape import ShapeCodes, ValueReader, dotted

_TOP = (
    "schema",
    "id",
    "name",
    "body",
    "currency",
    "budget",
    "dates",
    "serves",
    "eligibility",
    "min_amount",
    "max_amount",
    "own_share",
    "own_amount",
    "reviewers_per_application",
    "reviewers_body",
    "max_spread",
    "criteria",
    "min_score",
    "tie_break",
    "award_mode",
    "accountability",
)
_REQUIRED = (
    "schema",
    "id",
    "name",
    "body",
    "currency",
    "budget",
    "dates",
    "serves",
    "eligibility",
    "reviewers_per_application",
    "criteria",
    "min_score",
    "tie_break",
    "award_mode",
)
_ELIGIBILITY = ("kinds", "legal_personality_required", "no_overdue_reports", "applications_per_org")
_CRITERION = ("id", "name", "weight", "scale", "levels")
_SCALE = ("min", "max")
_ACCOUNTABILITY = ("kind", "start", "end", "reports")
_REPORT = ("title", "due", "holds_payments")

_MONEY = re.compile(r"^\d+(?:\.\d+)?$")
#: An amount with thousands separators or a decimal comma: "6.000.000", "1.500,50", "4,5".
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?$|^\d+,\d+$")


def money_readings(typed: str, decimal_mark: str | None = None) -> tuple[str, ...]:
    """What an amount written with separators could mean, as the file must write it.

    "6.000.000" and "1.500,50" say it themselves (a mark used twice, or both marks: the last
    is the decimal one); "6.000" is 6000 where "." groups thousands and 6.000 where it is
    the decimal point: with the workspace's `decimal_mark` one reading, else both."""
    marks = [c for c in typed if c in ".,"]
    last = marks[-1]
    if len(set(marks)) == 2 or marks.count(last) > 1:
        decimal = last if len(set(marks)) == 2 else None
    elif len(typed) - typed.rindex(last) - 1 != 3:
        decimal = last
    elif decimal_mark is not None:
        decimal = last if decimal_mark == last else None
    else:
        return (_reading(typed, None), _reading(typed, last))
    return (_reading(typed, decimal),)


def _reading(typed: str, decimal: str | None) -> str:
    """`typed` read with `decimal` as its decimal mark (None: none), as a file writes it."""
    if decimal is None:
        return typed.replace(".", "").replace(",", "")
    whole, _, cents = typed.rpartition(decimal)
    return f'"{whole.replace(".", "").replace(",", "")}.{cents}"'


_EXACT = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


# --- reading ----------------------------------------------------------------------------------

SHAPE = ShapeCodes(
    finding, missing="FD101", unknown="FD102", wrong_type="FD103", bad_id="FD105", version="FD104"
)


class _Reader(ValueReader):
    """Reads values of one file, appending a finding for each bad one (and returning None)."""

    def __init__(self, decimal_mark: str | None = None) -> None:
        super().__init__(SHAPE, empty="FD107", language="FD106")
        self.decimal_mark = decimal_mark

    def table(self, path: KeyPath, value: Any, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.wrong(path, N_("a table"), value)
            return None
        self.findings.extend(SHAPE.unknown_keys(path, value, keys))
        return value

    def ident(self, path: KeyPath, value: Any) -> str | None:
        text = self.text(path, value)
        if text is None:
            return None
        found = list(SHAPE.id_findings(path, text))
        self.findings.extend(found)
        return None if found else text

    def ids(self, path: KeyPath, value: Any, words: bool = False) -> tuple[str, ...] | None:
        """A list of ids, at least one: a round serves some priority, someone may apply.
        `words`: names as people type them (`comunitària`), checked against their choices."""
        if not isinstance(value, list):
            self.wrong(path, N_("a list"), value)
            return None
        if not value:
            self.findings.append(
                finding(
                    "FD107",
                    path,
                    N_('"{key}" must name at least one'),
                    at_value=True,
                    key=dotted(path),
                )
            )
            return None
        one = self.text if words else self.ident
        out = [one((*path, i), item) for i, item in enumerate(value)]
        return tuple(item for item in out if item is not None)

    def boolean(self, path: KeyPath, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.wrong(path, N_("a boolean"), value)
            return None
        return value

    def integer(self, path: KeyPath, value: Any, minimum: int | None = None) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool):
            self.wrong(path, N_("an integer"), value)
            return None
        if minimum is not None and value < minimum:
            self.findings.append(
                finding(
                    "FD109",
                    path,
                    N_('"{key}" must be at least {minimum}, found {value}'),
                    at_value=True,
                    key=dotted(path),
                    minimum=minimum,
                    value=value,
                )
            )
            return None
        return value

    def _float(self, path: KeyPath, value: float, example: str) -> None:
        self.inexact("FD110", path, value, example)

    def money(self, path: KeyPath, value: Any) -> Decimal | None:
        """An integer, or a string of digits with a decimal point ("1500.50")."""
        if isinstance(value, float):
            self._float(path, value, f'"{value}"')
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                self.findings.append(
                    finding(
                        "FD304",
                        path,
                        N_('"{key}" must not be negative, found {value}'),
                        at_value=True,
                        key=dotted(path),
                        value=value,
                    )
                )
                return None
            return Decimal(value)
        if isinstance(value, str) and _MONEY.match(value.strip()):
            return Decimal(value.strip())
        if isinstance(value, str) and _GROUPED.match(value.strip()):
            self.findings.append(self._grouped(path, value.strip()))
            return None
        self.wrong(path, N_('an amount: an integer, or a string such as "1500.50"'), value)
        return None

    def _grouped(self, path: KeyPath, typed: str) -> Finding:
        """An amount written with separators, as people write it: "6.000.000", "1.500,50".
        Refused (the file says one thing to everyone), saying what it might have meant."""
        readings = money_readings(typed, self.decimal_mark)
        return finding(
            "FD103",
            path,
            N_(
                '"{key}" is "{value}", written with separators: write amounts without'
                " thousands separators, as an integer (1500000) or a string with a decimal"
                ' point ("1500.50"); "{value}" might mean {readings}'
            ),
            at_value=True,
            key=dotted(path),
            value=typed,
            readings=" / ".join(readings),
        )

    def exact(self, path: KeyPath, value: Any, *, fraction: bool) -> Fraction | None:
        """An integer, a decimal string ("3.5", "0.25") or, where `fraction`, "1/4"."""
        if isinstance(value, float):
            example = format_fraction(Fraction(str(value))) if fraction else str(value)
            self._float(path, value, f'"{example}"')
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return Fraction(value)
        if isinstance(value, str):
            if _EXACT.match(value):
                return Fraction(value.strip())
            if fraction:
                parsed = parse_fraction(value)
                if parsed is not None:
                    return parsed
        expected = (
            N_('a fraction or a decimal written as a string, such as "1/4" or "0.25"')
            if fraction
            else N_('a number: an integer, or a string such as "3.5"')
        )
        self.wrong(path, expected, value)
        return None

    def texts(self, path: KeyPath, value: Any, missing_code: str = "FD108") -> Texts:
        """A translated text: a table language -> non-empty string; each missing one said."""
        texts = self.translations(path, value, LANGUAGES)
        if texts is None:
            return {}
        missing = [language for language in LANGUAGES if language not in value]
        if missing and texts:
            # A board writes in its own language: the others fall back to the first text.
            self.findings.append(
                finding(
                    missing_code,
                    path,
                    N_("{key} has no translation in {languages}: shown in {fallback} there"),
                    key=dotted(path),
                    languages=", ".join(missing),
                    fallback=next(iter(texts)),
                )
            )
        elif not texts and missing_code == "FD405" and not any(lang in value for lang in LANGUAGES):
            self.findings.append(
                finding(
                    "FD404",
                    path,
                    N_("{key} has no text in any language: write it in es, en or ca"),
                    key=dotted(path),
                )
            )
        elif missing:
            self.findings.append(SHAPE.untranslated(missing_code, path, missing))
        return MappingProxyType(texts)


def _criterion(reader: _Reader, index: int, value: Any) -> CriterionDraft:
    path: KeyPath = ("criteria", index)
    draft = CriterionDraft(index)
    data = reader.table(path, value, _CRITERION)
    if data is None:
        return draft
    reader.findings.extend(SHAPE.missing_keys(path, data, _CRITERION))
    if "id" in data:
        draft.id = reader.ident((*path, "id"), data["id"])
    if "name" in data:
        draft.name = reader.texts((*path, "name"), data["name"])
    if "weight" in data:
        draft.weight = reader.exact((*path, "weight"), data["weight"], fraction=True)
    if "scale" in data:
        scale = reader.table((*path, "scale"), data["scale"], _SCALE)
        if scale is not None:
            reader.findings.extend(SHAPE.missing_keys((*path, "scale"), scale, _SCALE))
            low = reader.integer((*path, "scale", "min"), scale["min"]) if "min" in scale else None
            high = reader.integer((*path, "scale", "max"), scale["max"]) if "max" in scale else None
            if low is not None and high is not None:
                draft.scale = Scale(low, high)
    if "levels" in data:
        levels = data["levels"]
        if not isinstance(levels, dict):
            reader.wrong((*path, "levels"), N_("a table"), levels)
        else:
            draft.levels = {}
            for key, texts in levels.items():
                level_path: KeyPath = (*path, "levels", key)
                if not re.fullmatch(r"-?\d+", key):
                    reader.findings.append(
                        finding(
                            "FD404",
                            level_path,
                            N_(
                                'level "{level}" is not a point of the scale: name levels by their points, 1 = ..., 2 = ...'
                            ),
                            level=key,
                        )
                    )
                    continue
                draft.levels[int(key)] = reader.texts(level_path, texts, missing_code="FD405")
    return draft


def _day(reader: _Reader, path: KeyPath, value: Any) -> date | None:
    if isinstance(value, date) and type(value) is date:
        return value
    reader.wrong(path, N_("a date such as 2024-05-31"), value)
    return None


def _accountability(reader: _Reader, value: Any) -> AccountabilityDraft | None:
    path: KeyPath = ("accountability",)
    data = reader.table(path, value, _ACCOUNTABILITY)
    if data is None:
        return None
    reader.findings.extend(SHAPE.missing_keys(path, data, ("end", "reports")))
    draft = AccountabilityDraft()
    if "kind" in data:
        kind = reader.text((*path, "kind"), data["kind"])
        if kind is not None and kind not in PROJECT_KINDS:
            reader.findings.append(
                finding(
                    "FD106",
                    (*path, "kind"),
                    N_('unknown project kind "{kind}": choose from {allowed}'),
                    at_value=True,
                    kind=kind,
                    allowed=", ".join(PROJECT_KINDS),
                )
            )
        elif kind is not None:
            draft.kind = kind
    for key in ("start", "end"):
        if key in data:
            setattr(draft, key, _day(reader, (*path, key), data[key]))
    reports = data.get("reports")
    if "reports" in data and not isinstance(reports, list):
        reader.wrong((*path, "reports"), N_("a list"), reports)
    elif isinstance(reports, list) and not reports:
        reader.findings.append(
            finding(
                "FD107",
                (*path, "reports"),
                N_('"{key}" must name at least one'),
                at_value=True,
                key=dotted((*path, "reports")),
            )
        )
    elif isinstance(reports, list):
        for index, item in enumerate(reports):
            report_path: KeyPath = (*path, "reports", index)
            report = ReportDraft(index)
            table = reader.table(report_path, item, _REPORT)
            if table is not None:
                reader.findings.extend(SHAPE.missing_keys(report_path, table, ("title", "due")))
                if "title" in table:
                    report.title = reader.texts((*report_path, "title"), table["title"])
                if "due" in table:
                    report.due = _day(reader, (*report_path, "due"), table["due"])
                if "holds_payments" in table:
                    flag = reader.boolean((*report_path, "holds_payments"), table["holds_payments"])
                    if flag is not None:
                        report.holds_payments = flag
            draft.reports.append(report)
    return draft


def read(data: Mapping[str, Any], decimal_mark: str | None = None) -> tuple[Draft, list[Finding]]:
    """The round's values as far as they can be read, and every shape finding."""
    reader = _Reader(decimal_mark)
    draft = Draft()
    reader.findings.extend(SHAPE.unknown_keys((), data, _TOP))
    reader.findings.extend(SHAPE.missing_keys((), data, _REQUIRED))
    if "schema" in data:
        reader.integer(("schema",), data["schema"])
    if "id" in data:
        round_id = reader.text(("id",), data["id"])
        if round_id is not None and not ROUND_ID.match(round_id):
            reader.findings.append(
                finding(
                    "FD105",
                    ("id",),
                    N_(
                        '"{value}" is not a valid round id: use lower-case letters, digits, "_"'
                        ' and "-", starting with a letter or a digit (2026-barrio-activo)'
                    ),
                    at_value=True,
                    value=round_id,
                )
            )
            round_id = None
        draft.id = round_id
    if "name" in data:
        draft.name = reader.texts(("name",), data["name"])
    if "body" in data:
        draft.body = reader.ident(("body",), data["body"])
    if "currency" in data:
        currency = reader.text(("currency",), data["currency"])
        if currency is not None and not _CURRENCY.match(currency):
            reader.findings.append(
                finding(
                    "FD301",
                    ("currency",),
                    N_(
                        '"{currency}" is not a currency code: write three capital letters, such as CLP or EUR'
                    ),
                    at_value=True,
                    currency=currency,
                )
            )
            currency = None
        draft.currency = currency
    for key in ("budget", "min_amount", "max_amount", "own_amount"):
        if key in data:
            setattr(draft, key, reader.money((key,), data[key]))
    if "own_share" in data:
        draft.own_share = reader.exact(("own_share",), data["own_share"], fraction=True)
    if "own_share" in data and "own_amount" in data:
        reader.findings.append(
            finding(
                "FD112",
                ("own_amount",),
                N_(
                    "the own contribution is given both as own_share and as own_amount: keep"
                    " the one the call states"
                ),
            )
        )
    if "dates" in data:
        dates = reader.table(("dates",), data["dates"], DATE_KEYS)
        if dates is not None:
            reader.findings.extend(SHAPE.missing_keys(("dates",), dates, DATE_KEYS))
            for key in DATE_KEYS:
                if key not in dates:
                    continue
                day = _day(reader, ("dates", key), dates[key])
                if day is not None:
                    draft.dates[key] = day
    if "serves" in data:
        draft.serves = reader.ids(("serves",), data["serves"]) or ()
    if "eligibility" in data:
        rules = reader.table(("eligibility",), data["eligibility"], _ELIGIBILITY)
        if rules is not None:
            reader.findings.extend(SHAPE.missing_keys(("eligibility",), rules, ("kinds",)))
            if "kinds" in rules:
                draft.kinds = reader.ids(("eligibility", "kinds"), rules["kinds"], words=True)
            for key in ("legal_personality_required", "no_overdue_reports"):
                if key in rules:
                    flag = reader.boolean(("eligibility", key), rules[key])
                    if flag is not None:
                        setattr(draft, key, flag)
            if "applications_per_org" in rules:
                count = reader.integer(
                    ("eligibility", "applications_per_org"), rules["applications_per_org"], 1
                )
                if count is not None:
                    draft.applications_per_org = count
    if "reviewers_per_application" in data:
        draft.reviewers_per_application = reader.integer(
            ("reviewers_per_application",), data["reviewers_per_application"], 1
        )
    if "reviewers_body" in data:
        draft.reviewers_body = reader.ident(("reviewers_body",), data["reviewers_body"])
    if "max_spread" in data:
        draft.max_spread = reader.exact(("max_spread",), data["max_spread"], fraction=False)
    if "min_score" in data:
        draft.min_score = reader.exact(("min_score",), data["min_score"], fraction=False)
    if "criteria" in data:
        draft.criteria_given = True
        criteria = data["criteria"]
        if not isinstance(criteria, list):
            reader.wrong(("criteria",), N_("a list"), criteria)
        else:
            draft.criteria = [_criterion(reader, i, c) for i, c in enumerate(criteria)]
    if "tie_break" in data:
        chain = data["tie_break"]
        if not isinstance(chain, list):
            reader.wrong(("tie_break",), N_("a list"), chain)
        else:
            words = [reader.text(("tie_break", i), w) for i, w in enumerate(chain)]
            draft.tie_break = tuple(w for w in words if w is not None)
    if "award_mode" in data:
        draft.award_mode = reader.text(("award_mode",), data["award_mode"])
    if "accountability" in data:
        draft.accountability = _accountability(reader, data["accountability"])
    return draft, reader.findings
