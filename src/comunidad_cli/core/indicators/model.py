"""An outcome indicator: the typed model of its TOML table, the reading of a file's data
into indicators with every finding (OC1xx-OC3xx) at its key path, and the periods data is
counted in.

An indicators file holds one or more `[indicators.ID]` tables. Baselines and targets are
exact (an integer or a decimal string, never a float), in the indicator's measure: a
percentage in percent, a rate per 1,000, a count, or a median in days.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.findings import Finding, KeyPath, Severity
from comunidad_cli.core.indicators.codes import finding
from comunidad_cli.core.messages import N_
from comunidad_cli.core.toml_shape import ID_PATTERN, ShapeCodes, ValueReader, dotted

SCHEMA_VERSION = 1
LANGUAGES = ("es", "en", "ca")
DIRECTIONS = ("lower", "higher")
MEASURES = ("percentage", "per_1000", "count", "median_days")
#: Measures whose groups' counts add up to the total's (a median does not).
ADDITIVE = ("percentage", "per_1000", "count")
#: The dimension and group of a period's total row.
TOTAL = "total"
#: Dimensions comunidad names in every language; any other id is shown as written.
KNOWN_DIMENSIONS: Mapping[str, str] = MappingProxyType(
    {
        "race_ethnicity": N_("race/ethnicity"),
        "gender": N_("gender"),
        "age_group": N_("age group"),
        "neighbourhood": N_("neighbourhood"),
    }
)
LINK_KINDS = ("priorities", "grants", "conditions")

Texts = Mapping[str, str]

_INDICATOR = (
    "name",
    "direction",
    "measure",
    "numerator",
    "denominator",
    "dimensions",
    "partial",
    "baseline",
    "target",
    "links",
)
_REQUIRED = ("name", "direction", "measure", "numerator", "dimensions")
_POINT = ("period", "value")
_EXACT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")

SHAPE = ShapeCodes(
    finding, missing="OC101", unknown="OC102", wrong_type="OC103", bad_id="OC105", version="OC104"
)


def period_key(text: str) -> tuple[int, int, int] | None:
    """A period ("2025", "2025-Q3", "2025-07") as a sortable (year, months from, months to),
    or None when it is none of those: periods of one kind sort in time."""
    match = _PERIOD.match(text)
    if match is None:
        return None
    year = int(match.group(1))
    if match.group(2) is not None:
        quarter = int(match.group(2))
        return (year, 3 * quarter - 2, 3 * quarter)
    if match.group(3) is not None:
        month = int(match.group(3))
        return (year, month, month)
    return (year, 1, 12)


@dataclass(frozen=True, slots=True)
class Point:
    """A baseline or a target: the indicator's value in a period."""

    period: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator as its file states it (checked: no errors)."""

    id: str
    name: Texts
    direction: str
    measure: str
    numerator: Texts
    denominator: Texts
    dimensions: tuple[str, ...]
    partial: tuple[str, ...] = ()
    baseline: Point | None = None
    target: Point | None = None
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def additive(self) -> bool:
        """Whether the groups of a (non-partial) dimension must add up to the total."""
        return self.measure in ADDITIVE

    def must_add_up(self, dimension: str) -> bool:
        return self.additive and dimension not in self.partial


class _Reader(ValueReader):
    """Reads one file's values, appending a finding for each bad one (and returning None)."""

    def __init__(self) -> None:
        super().__init__(SHAPE, empty="OC107", language="OC106")

    def choice(self, path: KeyPath, value: Any, allowed: tuple[str, ...]) -> str | None:
        text = self.text(path, value)
        if text is None:
            return None
        if text not in allowed:
            self.findings.append(
                finding(
                    "OC106",
                    path,
                    N_('"{value}" is not allowed for {key}: choose from {allowed}'),
                    at_value=True,
                    value=text,
                    key=dotted(path),
                    allowed=", ".join(allowed),
                )
            )
            return None
        return text

    def ids(self, path: KeyPath, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.wrong(path, N_("a list"), value)
            return None
        out: list[str] = []
        for i, item in enumerate(value):
            text = self.text((*path, i), item)
            if text is None:
                continue
            found = list(SHAPE.id_findings((*path, i), text))
            self.findings.extend(found)
            if not found:
                out.append(text)
        return tuple(out)

    def texts(self, path: KeyPath, value: Any) -> Texts:
        """A translated text: es, en and ca; each missing one a warning."""
        texts = self.translations(path, value, LANGUAGES)
        if texts is None:
            return MappingProxyType({})
        missing = [language for language in LANGUAGES if language not in value]
        if missing:
            self.findings.append(SHAPE.untranslated("OC108", path, missing))
        return MappingProxyType(texts)

    def exact(self, path: KeyPath, value: Any) -> Decimal | None:
        if isinstance(value, float):
            self.inexact("OC109", path, value, f'"{value}"')
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if isinstance(value, str) and _EXACT.match(value):
            return Decimal(value.strip())
        self.wrong(path, N_('a number: an integer, or a string such as "3.5"'), value)
        return None

    def period(self, path: KeyPath, value: Any) -> str | None:
        text = self.text(path, value)
        if text is None:
            return None
        if period_key(text) is None:
            self.findings.append(
                finding(
                    "OC201",
                    path,
                    N_(
                        '"{value}" is not a period: write a year (2025), a quarter (2025-Q3)'
                        " or a month (2025-07)"
                    ),
                    at_value=True,
                    value=text,
                )
            )
            return None
        return text

    def point(self, path: KeyPath, value: Any, measure: str | None) -> Point | None:
        if not isinstance(value, dict):
            self.wrong(path, N_("a table"), value)
            return None
        self.findings.extend(SHAPE.unknown_keys(path, value, _POINT))
        self.findings.extend(SHAPE.missing_keys(path, value, _POINT))
        period = self.period((*path, "period"), value["period"]) if "period" in value else None
        amount = self.exact((*path, "value"), value["value"]) if "value" in value else None
        if amount is not None and measure is not None and not _fits(amount, measure):
            self.findings.append(
                finding(
                    "OC202",
                    (*path, "value"),
                    N_("{value} is not a possible value of a {measure} indicator{limit}"),
                    at_value=True,
                    value=str(amount),
                    measure=measure,
                    limit=" (0-100)" if measure == "percentage" else " (>= 0)",
                )
            )
            amount = None
        if period is None or amount is None:
            return None
        return Point(period, amount)


def _fits(value: Decimal, measure: str) -> bool:
    if value < 0:
        return False
    return value <= 100 if measure == "percentage" else True


@dataclass(slots=True)
class _Draft:
    id: str
    name: Texts = field(default_factory=dict)
    direction: str | None = None
    measure: str | None = None
    numerator: Texts = field(default_factory=dict)
    denominator: Texts = field(default_factory=dict)
    dimensions: tuple[str, ...] | None = None
    partial: tuple[str, ...] = ()
    baseline: Point | None = None
    target: Point | None = None
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _read_indicator(reader: _Reader, key: str, value: Any) -> _Draft | None:
    path: KeyPath = ("indicators", key)
    if not ID_PATTERN.match(key):
        reader.findings.extend(SHAPE.id_findings(path, key))
        return None
    if not isinstance(value, dict):
        reader.wrong(path, N_("a table"), value)
        return None
    reader.findings.extend(SHAPE.unknown_keys(path, value, _INDICATOR))
    reader.findings.extend(SHAPE.missing_keys(path, value, _REQUIRED))
    draft = _Draft(key)
    if "name" in value:
        draft.name = reader.texts((*path, "name"), value["name"])
    if "direction" in value:
        draft.direction = reader.choice((*path, "direction"), value["direction"], DIRECTIONS)
    if "measure" in value:
        draft.measure = reader.choice((*path, "measure"), value["measure"], MEASURES)
    if "numerator" in value:
        draft.numerator = reader.texts((*path, "numerator"), value["numerator"])
    if "denominator" in value:
        draft.denominator = reader.texts((*path, "denominator"), value["denominator"])
    elif draft.measure in ("percentage", "per_1000"):
        reader.findings.append(
            finding(
                "OC101",
                path,
                N_('missing required key "{key}" in {table}'),
                key="denominator",
                table=dotted(path),
            )
        )
    if "dimensions" in value:
        draft.dimensions = reader.ids((*path, "dimensions"), value["dimensions"])
    if "partial" in value:
        draft.partial = reader.ids((*path, "partial"), value["partial"]) or ()
    if "baseline" in value:
        draft.baseline = reader.point((*path, "baseline"), value["baseline"], draft.measure)
    if "target" in value:
        draft.target = reader.point((*path, "target"), value["target"], draft.measure)
    if "links" in value:
        links = value["links"]
        if not isinstance(links, dict):
            reader.wrong((*path, "links"), N_("a table"), links)
        else:
            reader.findings.extend(SHAPE.unknown_keys((*path, "links"), links, LINK_KINDS))
            for kind in LINK_KINDS:
                if kind in links:
                    ids = reader.ids((*path, "links", kind), links[kind])
                    if ids:
                        draft.links[kind] = ids
    return draft


def _check(draft: _Draft) -> Iterator[Finding]:
    """What the values mean together: dimensions once each and not "total", partial ones
    among them, the target after the baseline and better than it, a link."""
    path: KeyPath = ("indicators", draft.id)
    seen: set[str] = set()
    for i, dimension in enumerate(draft.dimensions or ()):
        if dimension == TOTAL:
            yield finding(
                "OC302",
                (*path, "dimensions", i),
                N_('"total" is not a dimension: the total is the row of every period'),
                at_value=True,
            )
        elif dimension in seen:
            yield finding(
                "OC301",
                (*path, "dimensions", i),
                N_('dimension "{dimension}" is listed twice'),
                at_value=True,
                dimension=dimension,
            )
        seen.add(dimension)
    if draft.dimensions is not None:
        for i, dimension in enumerate(draft.partial):
            if dimension not in draft.dimensions:
                yield finding(
                    "OC303",
                    (*path, "partial", i),
                    N_('"{dimension}" is not one of the dimensions ({dimensions})'),
                    at_value=True,
                    dimension=dimension,
                    dimensions=", ".join(draft.dimensions) or "-",
                )
    base, target = draft.baseline, draft.target
    if base is not None and target is not None:
        base_key, target_key = period_key(base.period), period_key(target.period)
        if base_key is not None and target_key is not None and target_key[:2] <= base_key[:2]:
            yield finding(
                "OC203",
                (*path, "target", "period"),
                N_("the target's period {target} is not after the baseline's {baseline}"),
                at_value=True,
                target=target.period,
                baseline=base.period,
            )
        elif draft.direction is not None:
            better = (
                target.value < base.value
                if draft.direction == "lower"
                else target.value > base.value
            )
            if not better:
                yield finding(
                    "OC204",
                    (*path, "target", "value"),
                    N_(
                        "the target {target} is no better than the baseline {baseline} for an"
                        " indicator where {direction} is better"
                    ),
                    at_value=True,
                    target=str(target.value),
                    baseline=str(base.value),
                    direction=draft.direction,
                )
    if not any(draft.links.values()):
        yield finding(
            "OC304",
            path,
            N_(
                "indicator {id} is linked to nothing: name the plan priorities, grants or"
                " conditions it measures in links"
            ),
            id=draft.id,
        )


def read_indicators(data: Mapping[str, Any]) -> tuple[list[Indicator], list[Finding]]:
    """Every indicator of a file's data and every finding; indicators only when the file
    has no error."""
    unsupported = SHAPE.version_finding(data, SCHEMA_VERSION)
    if unsupported is not None:
        return [], [unsupported]
    reader = _Reader()
    reader.findings.extend(SHAPE.unknown_keys((), data, ("schema", "indicators")))
    reader.findings.extend(SHAPE.missing_keys((), data, ("schema",)))
    drafts: list[_Draft] = []
    tables = data.get("indicators")
    if tables is None or (isinstance(tables, dict) and not tables):
        reader.findings.append(
            finding(
                "OC111",
                (),
                N_("the file has no indicators: add an [indicators.ID] table for each"),
            )
        )
    elif not isinstance(tables, dict):
        reader.wrong(("indicators",), N_("a table"), tables)
    else:
        for key, value in tables.items():
            draft = _read_indicator(reader, key, value)
            if draft is not None:
                drafts.append(draft)
    findings = reader.findings
    for draft in drafts:
        findings.extend(_check(draft))
    if any(f.severity is Severity.ERROR for f in findings):
        return [], findings
    indicators = [
        Indicator(
            id=d.id,
            name=d.name,
            direction=d.direction or "lower",
            measure=d.measure or "count",
            numerator=d.numerator,
            denominator=d.denominator,
            dimensions=d.dimensions or (),
            partial=d.partial,
            baseline=d.baseline,
            target=d.target,
            links=MappingProxyType(dict(d.links)),
        )
        for d in drafts
    ]
    return indicators, findings
