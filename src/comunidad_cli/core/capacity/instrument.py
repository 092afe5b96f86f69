"""The capacity instrument: its model (levels, domains, items in three languages), its codes
(CI...) and the checks of its TOML file, shape and meaning (see the package docstring)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.findings import Finding, KeyPath, Severity
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.toml_shape import ShapeCodes, dotted, found_type

SCHEMA_VERSION = 1
LANGUAGES = ("es", "en", "ca")
SCALE = (1, 2, 3, 4)
ROUND_DAYS = 30

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


def _found(value: Any) -> Msg:
    """The found type as instruments word it: a boolean is "true or false"."""
    return Msg.of(N_("true or false")) if isinstance(value, bool) else found_type(value)


_SHAPE = ShapeCodes(
    _finding,
    missing="CI101",
    unknown="CI102",
    wrong_type="CI103",
    bad_id="CI105",
    version="CI104",
    found=_found,
    id_at_value=False,
)


_TEXTS_EXPECTED = N_('a table of translations such as {{ es = "...", en = "...", ca = "..." }}')


def _texts(path: KeyPath, value: Any, findings: list[Finding]) -> Texts:
    """A translated text: a table language -> non-empty string, every language present."""
    if not isinstance(value, dict):
        findings.append(_SHAPE.wrong_type_finding(path, _TEXTS_EXPECTED, value))
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
            findings.append(_SHAPE.wrong_type_finding((*path, language), N_("a string"), text))
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
        findings.append(_SHAPE.untranslated("CI107", path, missing))
    return MappingProxyType(texts)


def _bool(path: KeyPath, value: Any, findings: list[Finding]) -> bool:
    if not isinstance(value, bool):
        findings.append(_SHAPE.wrong_type_finding(path, N_("true or false"), value))
        return False
    return value


def _table(path: KeyPath, value: Any, findings: list[Finding]) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        findings.append(_SHAPE.wrong_type_finding(path, N_("a table"), value))
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
        findings.extend(_SHAPE.unknown_keys((*path, key), level, _LEVEL))
        findings.extend(_SHAPE.missing_keys((*path, key), level, _LEVEL))
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
        findings.extend(_SHAPE.id_findings(path, domain_id))
        table = _table(path, value, findings)
        if table is None:
            continue
        findings.extend(_SHAPE.unknown_keys(path, table, _DOMAIN))
        findings.extend(_SHAPE.missing_keys(path, table, ("name", "items")))
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
            findings.extend(_SHAPE.id_findings(item_path, item_id))
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
            findings.extend(_SHAPE.unknown_keys(item_path, item, _ITEM))
            findings.extend(_SHAPE.missing_keys(item_path, item, ("text",)))
            text = _texts((*item_path, "text"), item["text"], findings) if "text" in item else {}
            na = _bool((*item_path, "na"), item["na"], findings) if "na" in item else default_na
            items.append(Item(item_id, text, na))
        domains.append(Domain(domain_id, name, tuple(items), description))
    return tuple(domains)


def check_instrument(data: Mapping[str, Any]) -> tuple[Instrument | None, list[Finding]]:
    """The instrument in a parsed TOML document, and every finding (None on any error)."""
    findings: list[Finding] = []
    version = data.get("schema")
    unsupported = _SHAPE.version_finding(data, SCHEMA_VERSION)
    if unsupported is not None:
        return None, [unsupported]
    findings.extend(_SHAPE.unknown_keys((), data, _TOP))
    findings.extend(_SHAPE.missing_keys((), data, ("schema", "id", "name", "scale", "domains")))
    if "schema" in data and not (isinstance(version, int) and not isinstance(version, bool)):
        findings.append(_SHAPE.wrong_type_finding(("schema",), N_("an integer"), version))
    instrument_id = data.get("id", "")
    if "id" in data:
        if not isinstance(instrument_id, str):
            findings.append(
                _SHAPE.wrong_type_finding(("id",), N_("an id (a string)"), instrument_id)
            )
            instrument_id = ""
        else:
            for finding in _SHAPE.id_findings(("id",), instrument_id):
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
