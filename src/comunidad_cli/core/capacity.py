"""Capacity instruments and the scoring of capacity assessments: pure, no I/O.

An *instrument* is a TOML file (schema 1) listing domains of organisational capacity, each
with items a rater scores on a 1-4 scale, every text in Spanish, English and Catalan:

```toml
schema = 1
id = "capacidad-organizacional"
name = { es = "...", en = "...", ca = "..." }
na = true                       # N/A allowed on every item (default false)

[scale.1]                       # exactly the levels 1, 2, 3 and 4
label = { es = "Inicial", en = "Emerging", ca = "Inicial" }
description = { es = "...", en = "...", ca = "..." }
# [scale.2] ... [scale.4]

[domains.governance]            # domains, in the order they are shown
name = { es = "Gobernanza", en = "Governance", ca = "Governança" }
[domains.governance.items.board-roles]      # item ids are unique in the whole instrument
text = { es = "...", en = "...", ca = "..." }
na = false                      # this item must be scored (overrides the instrument's na)
```

`check_instrument` returns the model and every finding as data (codes CI1xx, located at
`file:line:col` by the service); the model is None when there is any error. A missing
translation is a warning (the text falls back to another language when shown).

Scoring rules (exact: `Fraction`s, rounded only when shown, by the edge, with `rounded`):

- **Domain score** of one assessment: the mean of the domain's answered items. N/A and
  unanswered items are not answers: they are left out of the mean, and the domain gets a
  score only when at least half of *all* its items are answered (2 of 4 scores, 1 of 4 does
  not; 3 of 5 scores, 2 of 5 does not). Otherwise the domain has no score (None).
- **Rounds**: an organisation's assessments with one instrument, sorted by date, fall into
  rounds: a round starts with the earliest assessment not yet in a round and takes every
  assessment dated within `ROUND_DAYS` (30) days after it. Raters of one round assess
  within a month of each other; the next assessment after that opens the next round.
- **Several raters**: within a round, each rater's latest assessment counts (raters are
  told apart ignoring case and repeated spaces). A domain's round score is the mean of the
  raters' domain scores (raters without a score for it left out, each rater weighing the
  same); the *spread* is the highest minus the lowest rater score, when at least two raters
  scored it (None otherwise).
- **Latest** (`capacity show`): the latest round. **Compare**: the latest round against
  the round before it, domain by domain (change = latest - previous; None when either has
  no score).
- **Weakest domains**: the lowest scores first, ties broken by the instrument's domain
  order; domains without a score are left out.
- **Network**: each organisation's latest round; a domain's network score is the mean of
  the organisations' scores for it (organisations without one left out, each weighing the
  same), with the spread between organisations; weakest domains across the network by it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.findings import Finding, KeyPath, Severity
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg

SCHEMA_VERSION = 1
LANGUAGES = ("es", "en", "ca")
SCALE = (1, 2, 3, 4)
ROUND_DAYS = 30
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")

Texts = Mapping[str, str]
Answers = Mapping[str, int | None]

E, W = Severity.ERROR, Severity.WARNING

#: code -> (severity, title). Codes are stable: never reuse one.
CODES: Mapping[str, tuple[Severity, str]] = MappingProxyType(
    {
        "CI001": (E, N_("TOML syntax error")),
        "CI002": (E, N_("File is not valid UTF-8")),
        "CI003": (E, N_("File is empty")),
        "CI004": (E, N_("File is too large")),
        "CI005": (E, N_("Nested too deeply")),
        "CI006": (E, N_("Symbolic link that leads to no file")),
        "CI101": (E, N_("Missing required key")),
        "CI102": (E, N_("Unknown key")),
        "CI103": (E, N_("Value of the wrong type")),
        "CI104": (E, N_("Unsupported schema version")),
        "CI105": (E, N_("Invalid id")),
        "CI106": (E, N_("Empty value")),
        "CI107": (W, N_("Missing translation")),
        "CI108": (E, N_("Unknown language")),
        "CI109": (E, N_("Scale that is not 1-4")),
        "CI110": (E, N_("Item id used twice")),
        "CI111": (E, N_("Domain without items")),
        "CI112": (E, N_("Instrument without domains")),
    }
)


# --- the model --------------------------------------------------------------------------------


def localized(texts: Texts, language: str) -> str:
    """The text in `language`, else in English, Spanish, Catalan, else any there is."""
    for candidate in (language, "en", "es", "ca"):
        text = texts.get(candidate)
        if text:
            return text
    return next((t for t in texts.values() if t), "")


@dataclass(frozen=True, slots=True)
class Level:
    score: int
    label: Texts
    description: Texts


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: Texts
    na: bool


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    name: Texts
    items: tuple[Item, ...]
    description: Texts = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: Texts
    levels: tuple[Level, ...]
    domains: tuple[Domain, ...]
    na: bool = False
    description: Texts = field(default_factory=lambda: MappingProxyType({}))

    def item(self, item_id: str) -> Item | None:
        for domain in self.domains:
            for item in domain.items:
                if item.id == item_id:
                    return item
        return None

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for d in self.domains for i in d.items)

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)


# --- validation ------------------------------------------------------------------------------


def _finding(
    code: str, path: KeyPath, text: str, *, at_value: bool = False, **params: Any
) -> Finding:
    return Finding(code, CODES[code][0], Msg.of(text, **params), path, at_value=at_value)


def dotted(path: KeyPath) -> str:
    return ".".join(str(p) for p in path) if path else "(top level)"


_TYPE_WORDS = {
    bool: N_("true or false"),
    int: N_("an integer"),
    float: N_("a decimal number"),
    str: N_("a string"),
    list: N_("a list"),
    dict: N_("a table"),
}


def _found(value: Any) -> Msg:
    for kind, word in _TYPE_WORDS.items():
        if type(value) is kind:
            return Msg.of(word)
    return Msg.of(
        N_("a date and time") if hasattr(value, "hour") else N_("a date such as 2024-05-31")
    )


def _wrong_type(path: KeyPath, expected: str, value: Any) -> Finding:
    return _finding(
        "CI103",
        path,
        N_('"{key}" must be {expected}, found {found}'),
        at_value=True,
        key=dotted(path),
        expected=Msg.of(expected),
        found=_found(value),
    )


def _unknown_keys(
    path: KeyPath, data: Mapping[str, Any], allowed: Sequence[str]
) -> Iterator[Finding]:
    for key in data:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
        if close:
            yield _finding(
                "CI102",
                (*path, key),
                N_('unknown key "{key}" in {table}; did you mean "{suggestion}"?'),
                key=key,
                table=dotted(path),
                suggestion=close[0],
            )
        else:
            yield _finding(
                "CI102",
                (*path, key),
                N_('unknown key "{key}" in {table}; allowed keys: {allowed}'),
                key=key,
                table=dotted(path),
                allowed=", ".join(allowed),
            )


def _missing(path: KeyPath, data: Mapping[str, Any], required: Sequence[str]) -> Iterator[Finding]:
    for key in required:
        if key not in data:
            yield _finding(
                "CI101",
                path,
                N_('missing required key "{key}" in {table}'),
                key=key,
                table=dotted(path),
            )


def _check_id(path: KeyPath, value: str) -> Iterator[Finding]:
    if not ID_PATTERN.match(value):
        yield _finding(
            "CI105",
            path,
            N_(
                '"{value}" is not a valid id: use lower-case letters, digits, "_" and'
                ' "-", starting with a letter'
            ),
            value=value,
        )


_TEXTS_EXPECTED = N_('a table of translations such as {{ es = "...", en = "...", ca = "..." }}')


def _texts(path: KeyPath, value: Any, findings: list[Finding]) -> Texts:
    """A translated text: a table language -> non-empty string, every language present."""
    if not isinstance(value, dict):
        findings.append(_wrong_type(path, _TEXTS_EXPECTED, value))
        return {}
    texts: dict[str, str] = {}
    for language, text in value.items():
        if language not in LANGUAGES:
            findings.append(
                _finding(
                    "CI108",
                    (*path, language),
                    N_('unknown language "{language}" in {key}: write es, en and ca'),
                    language=language,
                    key=dotted(path),
                )
            )
        elif not isinstance(text, str):
            findings.append(_wrong_type((*path, language), N_("a string"), text))
        elif not text.strip():
            findings.append(
                _finding(
                    "CI106",
                    (*path, language),
                    N_('"{key}" must not be empty'),
                    key=dotted((*path, language)),
                )
            )
        else:
            texts[language] = " ".join(text.split())
    missing = [language for language in LANGUAGES if language not in value]
    if missing:
        findings.append(
            _finding(
                "CI107",
                path,
                N_("{key} has no translation in {languages}"),
                key=dotted(path),
                languages=", ".join(missing),
            )
        )
    return MappingProxyType(texts)


def _bool(path: KeyPath, value: Any, findings: list[Finding]) -> bool:
    if not isinstance(value, bool):
        findings.append(_wrong_type(path, N_("true or false"), value))
        return False
    return value


def _table(path: KeyPath, value: Any, findings: list[Finding]) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        findings.append(_wrong_type(path, N_("a table"), value))
        return None
    return value


_TOP = ("schema", "id", "name", "description", "na", "scale", "domains")
_LEVEL = ("label", "description")
_DOMAIN = ("name", "description", "items")
_ITEM = ("text", "na")


def _levels(data: dict[str, Any], findings: list[Finding]) -> tuple[Level, ...]:
    path: KeyPath = ("scale",)
    levels: list[Level] = []
    wanted = [str(score) for score in SCALE]
    extra = [key for key in data if key not in wanted]
    missing = [key for key in wanted if key not in data]
    for key in extra:
        findings.append(
            _finding(
                "CI109",
                (*path, key),
                N_('the scale has a level "{level}": the levels are exactly 1, 2, 3 and 4'),
                level=key,
            )
        )
    if missing:
        findings.append(
            _finding(
                "CI109",
                path,
                N_("the scale lacks level {levels}: the levels are exactly 1, 2, 3 and 4"),
                levels=", ".join(missing),
            )
        )
    for key in wanted:
        if key not in data:
            continue
        level = _table((*path, key), data[key], findings)
        if level is None:
            continue
        findings.extend(_unknown_keys((*path, key), level, _LEVEL))
        findings.extend(_missing((*path, key), level, _LEVEL))
        label = _texts((*path, key, "label"), level["label"], findings) if "label" in level else {}
        description = (
            _texts((*path, key, "description"), level["description"], findings)
            if "description" in level
            else {}
        )
        levels.append(Level(int(key), label, description))
    return tuple(levels)


def _domains(data: dict[str, Any], default_na: bool, findings: list[Finding]) -> tuple[Domain, ...]:
    domains: list[Domain] = []
    first_seen: dict[str, str] = {}
    if not data:
        findings.append(
            _finding(
                "CI112",
                ("domains",),
                N_("the instrument has no domains: add [domains.<id>] tables"),
            )
        )
    for domain_id, value in data.items():
        path: KeyPath = ("domains", domain_id)
        findings.extend(_check_id(path, domain_id))
        table = _table(path, value, findings)
        if table is None:
            continue
        findings.extend(_unknown_keys(path, table, _DOMAIN))
        findings.extend(_missing(path, table, ("name", "items")))
        name = _texts((*path, "name"), table["name"], findings) if "name" in table else {}
        description = (
            _texts((*path, "description"), table["description"], findings)
            if "description" in table
            else MappingProxyType({})
        )
        items: list[Item] = []
        raw_items = _table((*path, "items"), table.get("items", {}), findings) or {}
        if "items" in table and isinstance(table["items"], dict) and not raw_items:
            findings.append(
                _finding(
                    "CI111",
                    (*path, "items"),
                    N_('domain "{domain}" has no items: give it at least one'),
                    domain=domain_id,
                )
            )
        for item_id, item_value in raw_items.items():
            item_path: KeyPath = (*path, "items", item_id)
            findings.extend(_check_id(item_path, item_id))
            earlier = first_seen.get(item_id)
            if earlier is not None:
                findings.append(
                    _finding(
                        "CI110",
                        item_path,
                        N_(
                            'item id "{item}" is used in domain "{first}" already: answers name'
                            " items by id alone, so an id may appear once in the instrument"
                        ),
                        item=item_id,
                        first=earlier,
                    )
                )
            else:
                first_seen[item_id] = domain_id
            item = _table(item_path, item_value, findings)
            if item is None:
                continue
            findings.extend(_unknown_keys(item_path, item, _ITEM))
            findings.extend(_missing(item_path, item, ("text",)))
            text = _texts((*item_path, "text"), item["text"], findings) if "text" in item else {}
            na = _bool((*item_path, "na"), item["na"], findings) if "na" in item else default_na
            items.append(Item(item_id, text, na))
        domains.append(Domain(domain_id, name, tuple(items), description))
    return tuple(domains)


def check_instrument(data: Mapping[str, Any]) -> tuple[Instrument | None, list[Finding]]:
    """The instrument in a parsed TOML document, and every finding (None on any error)."""
    findings: list[Finding] = []
    version = data.get("schema")
    if isinstance(version, int) and not isinstance(version, bool) and version != SCHEMA_VERSION:
        return None, [
            _finding(
                "CI104",
                ("schema",),
                N_("unsupported schema version {found}: this comunidad reads schema {supported}"),
                at_value=True,
                found=version,
                supported=SCHEMA_VERSION,
            )
        ]
    findings.extend(_unknown_keys((), data, _TOP))
    findings.extend(_missing((), data, ("schema", "id", "name", "scale", "domains")))
    if "schema" in data and not (isinstance(version, int) and not isinstance(version, bool)):
        findings.append(_wrong_type(("schema",), N_("an integer"), version))
    instrument_id = data.get("id", "")
    if "id" in data:
        if not isinstance(instrument_id, str):
            findings.append(_wrong_type(("id",), N_("an id (a string)"), instrument_id))
            instrument_id = ""
        else:
            for finding in _check_id(("id",), instrument_id):
                findings.append(finding)
    name = _texts(("name",), data["name"], findings) if "name" in data else {}
    description = (
        _texts(("description",), data["description"], findings)
        if "description" in data
        else MappingProxyType({})
    )
    na = _bool(("na",), data["na"], findings) if "na" in data else False
    scale = _table(("scale",), data["scale"], findings) if "scale" in data else None
    levels = _levels(scale, findings) if scale is not None else ()
    raw_domains = _table(("domains",), data["domains"], findings) if "domains" in data else None
    domains = _domains(raw_domains, na, findings) if raw_domains is not None else ()
    if any(f.severity is Severity.ERROR for f in findings):
        return None, findings
    return (
        Instrument(
            id=instrument_id,
            name=name,
            levels=levels,
            domains=domains,
            na=na,
            description=description,
        ),
        findings,
    )


# --- answers ---------------------------------------------------------------------------------

NA_WORDS = frozenset({"na", "n/a", "n.a."})


def parse_score(value: str) -> int | None:
    """A score as written in an answer: 1, 2, 3 or 4, or na (n/a) for not applicable."""
    if value.casefold() in NA_WORDS:
        return None
    if value in ("1", "2", "3", "4"):
        return int(value)
    raise Invalid.of(N_('"{value}" is not a score: write 1, 2, 3 or 4, or na'), value=value)


def answer_problem(instrument: Instrument, item_id: str, score: int | None) -> Msg | None:
    """Why `score` is not an answer to `item_id`, or None when it is."""
    item = instrument.item(item_id)
    if item is None:
        return Msg.of(
            N_('instrument "{instrument}" has no item "{item}"'),
            instrument=instrument.id,
            item=item_id,
        )
    if score is None:
        if not item.na:
            return Msg.of(
                N_('item "{item}" must be scored 1 to 4: N/A is not allowed for it'), item=item_id
            )
        return None
    if score not in SCALE:
        return Msg.of(
            N_('the score of "{item}" must be 1, 2, 3 or 4 (or na), found {score}'),
            item=item_id,
            score=score,
        )
    return None


def unanswered(instrument: Instrument, answers: Answers) -> list[str]:
    """The items of the instrument without an answer (a score or N/A), in instrument order."""
    return [i for i in instrument.item_ids if i not in answers]


# --- scoring ---------------------------------------------------------------------------------


def domain_score(domain: Domain, answers: Answers) -> Fraction | None:
    """The mean of the domain's answered items, when at least half of its items are answered."""
    scores = [s for s in (answers.get(i.id) for i in domain.items) if s is not None]
    if not domain.items or 2 * len(scores) < len(domain.items):
        return None
    return Fraction(sum(scores), len(scores))


@dataclass(frozen=True, slots=True)
class Assessment:
    """One rater's answers on one day (scores 1-4, None for N/A)."""

    rater: str
    assessed_on: date
    answers: Answers


def rater_key(rater: str) -> str:
    return " ".join(rater.split()).casefold()


def mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def spread(values: Sequence[Fraction]) -> Fraction | None:
    return max(values) - min(values) if len(values) >= 2 else None


@dataclass(frozen=True, slots=True)
class DomainResult:
    domain: Domain
    score: Fraction | None
    by_rater: tuple[tuple[str, Fraction | None], ...]
    spread: Fraction | None


@dataclass(frozen=True, slots=True)
class RoundResult:
    """A round's scores: the assessments that count (the latest per rater) and each domain's."""

    start: date
    end: date
    assessments: tuple[Assessment, ...]
    domains: tuple[DomainResult, ...]

    def weakest(self, limit: int = 3) -> list[DomainResult]:
        return weakest(self.domains, limit, key=lambda d: d.score)


def weakest(
    results: Sequence[Any], limit: int, *, key: Callable[[Any], Fraction | None]
) -> list[Any]:
    """The `limit` results with the lowest scores, ties in their given (domain) order."""
    scored = [(key(r), index, r) for index, r in enumerate(results) if key(r) is not None]
    scored.sort(key=lambda t: (t[0], t[1]))
    return [r for _score, _index, r in scored[: max(limit, 0)]]


def rounds(assessments: Sequence[Assessment], days: int = ROUND_DAYS) -> list[list[Assessment]]:
    """Assessments grouped into rounds, oldest first (see the module docstring)."""
    ordered = sorted(assessments, key=lambda a: (a.assessed_on, rater_key(a.rater)))
    grouped: list[list[Assessment]] = []
    start: date | None = None
    for assessment in ordered:
        if start is None or assessment.assessed_on > start + timedelta(days=days):
            grouped.append([])
            start = assessment.assessed_on
        grouped[-1].append(assessment)
    return grouped


def latest_per_rater(assessments: Sequence[Assessment]) -> list[Assessment]:
    """Each rater's latest assessment, sorted by rater."""
    latest: dict[str, Assessment] = {}
    for assessment in assessments:
        key = rater_key(assessment.rater)
        if key not in latest or assessment.assessed_on > latest[key].assessed_on:
            latest[key] = assessment
    return [latest[k] for k in sorted(latest)]


def score_round(instrument: Instrument, assessments: Sequence[Assessment]) -> RoundResult:
    """The scores of one round (assessments of one organisation, one instrument)."""
    counted = latest_per_rater(assessments)
    results: list[DomainResult] = []
    for domain in instrument.domains:
        by_rater = tuple((a.rater, domain_score(domain, a.answers)) for a in counted)
        scores = [s for _rater, s in by_rater if s is not None]
        results.append(DomainResult(domain, mean(scores), by_rater, spread(scores)))
    dates = [a.assessed_on for a in assessments]
    return RoundResult(min(dates), max(dates), tuple(counted), tuple(results))


def latest_round(instrument: Instrument, assessments: Sequence[Assessment]) -> RoundResult | None:
    grouped = rounds(assessments)
    return score_round(instrument, grouped[-1]) if grouped else None


@dataclass(frozen=True, slots=True)
class DomainChange:
    domain: Domain
    previous: Fraction | None
    latest: Fraction | None

    @property
    def change(self) -> Fraction | None:
        if self.previous is None or self.latest is None:
            return None
        return self.latest - self.previous


@dataclass(frozen=True, slots=True)
class Comparison:
    latest: RoundResult | None
    previous: RoundResult | None
    changes: tuple[DomainChange, ...]


def compare(instrument: Instrument, assessments: Sequence[Assessment]) -> Comparison:
    """The latest round against the one before it, domain by domain."""
    grouped = rounds(assessments)
    latest = score_round(instrument, grouped[-1]) if grouped else None
    previous = score_round(instrument, grouped[-2]) if len(grouped) >= 2 else None
    changes = tuple(
        DomainChange(
            domain,
            previous.domains[index].score if previous else None,
            latest.domains[index].score if latest else None,
        )
        for index, domain in enumerate(instrument.domains)
    )
    return Comparison(latest, previous, changes)


@dataclass(frozen=True, slots=True)
class NetworkDomain:
    domain: Domain
    scores: tuple[Fraction | None, ...]  # one per organisation, in NetworkView.organisations order
    mean: Fraction | None
    spread: Fraction | None
    organisations: int  # how many organisations have a score for it


@dataclass(frozen=True, slots=True)
class NetworkView:
    organisations: tuple[str, ...]
    rounds: tuple[RoundResult | None, ...]  # each organisation's latest round (None: not assessed)
    domains: tuple[NetworkDomain, ...]

    def weakest(self, limit: int = 3) -> list[NetworkDomain]:
        return weakest(self.domains, limit, key=lambda d: d.mean)


def network(
    instrument: Instrument, per_organisation: Sequence[tuple[str, Sequence[Assessment]]]
) -> NetworkView:
    """Each organisation's latest round side by side, with the network's mean per domain."""
    latest = [latest_round(instrument, assessments) for _org, assessments in per_organisation]
    domains: list[NetworkDomain] = []
    for index, domain in enumerate(instrument.domains):
        scores = tuple(r.domains[index].score if r else None for r in latest)
        present = [s for s in scores if s is not None]
        domains.append(NetworkDomain(domain, scores, mean(present), spread(present), len(present)))
    return NetworkView(tuple(o for o, _a in per_organisation), tuple(latest), tuple(domains))


# --- display helpers (for the edge) ---------------------------------------------------------


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """`value` rounded half away from zero to `places` decimals: 11/4 -> 2.75, 8/3 -> 2.67."""
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    sign = "-" if value < 0 and whole else ""
    return Decimal(f"{sign}{whole}").scaleb(-places)
