"""The by-laws file format, schema 1, declared once as data.

Both the shape validation (BL1xx findings) and the published JSON Schema are derived from
these declarations, so the checker and editors can never disagree about what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from comunidad_cli.core.findings import Finding, KeyPath, Severity
from comunidad_cli.core.fractions import parse_fraction
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.toml_shape import ID_REGEX, ShapeCodes, dotted

SCHEMA_VERSION = 2
"""The newest by-laws schema. Schema 1 files are still read, unchanged (no `dual` key)."""
SCHEMA_VERSIONS = (1, 2)


class Kind(StrEnum):
    STR = "str"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    FRACTION = "fraction"
    ID = "id"  # a reference to another entry by id
    IDS = "ids"  # a list of references
    STRS = "strs"  # a list of free text
    COUNTS = "counts"  # a table id -> positive integer (seats, class minimums)
    TABLE = "table"  # a nested table
    TABLES = "tables"  # a table of tables keyed by id


@dataclass(frozen=True)
class Field:
    kind: Kind
    doc: str
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    table: Table | None = None
    refers_to: str | None = None
    non_empty: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    doc: str
    fields: Mapping[str, Field]
    exactly_one_of: tuple[str, ...] = ()
    at_least_one_of: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


CLASS_KINDS = (
    "resident",
    "community",
    "agency",
    "business",
    "public",
    "funder",
    "contractor",
    "other",
)
BASES = ("cast", "present", "members")
TIES = ("fails", "chair")
QUORUM_OF = ("voting_members", "seats")

QUORUM = Table(
    "quorum",
    "How many must be present for the body to decide anything.",
    {
        "fraction": Field(Kind.FRACTION, 'Share of the base, as a string: "1/2", "2/3".'),
        "count": Field(Kind.INT, "A fixed number of members.", minimum=1),
        "strict": Field(Kind.BOOL, "true: more than the fraction; false (default): at least."),
        "of": Field(
            Kind.STR,
            "What the fraction is of: seated voting members (vacancies don't count) or seats.",
            enum=QUORUM_OF,
        ),
        "min": Field(
            Kind.COUNTS,
            "Per-class minimums that must also be present.",
            minimum=1,
            refers_to="classes",
        ),
    },
    exactly_one_of=("fraction", "count"),
)

CLASS = Table(
    "class",
    "A membership class or sector.",
    {
        "name": Field(Kind.STR, "Display name.", required=True, non_empty=True),
        "votes": Field(Kind.BOOL, "Whether members of this class vote.", required=True),
        "kind": Field(
            Kind.STR,
            "What the class is; funder and contractor classes have interests in awards.",
            enum=CLASS_KINDS,
        ),
        "description": Field(Kind.STR, "Free text."),
    },
)

BODY = Table(
    "body",
    "An assembly, board or committee.",
    {
        "name": Field(Kind.STR, "Display name.", required=True, non_empty=True),
        "parent": Field(Kind.ID, "The body this one is a committee of.", refers_to="bodies"),
        "classes": Field(
            Kind.IDS, "Classes that sit on the body.", refers_to="classes", non_empty=True
        ),
        "seats": Field(Kind.COUNTS, "Seats per class.", minimum=1, refers_to="classes"),
        "notice_days": Field(Kind.INT, "Days of notice a meeting needs.", minimum=1),
        "quorum": Field(Kind.TABLE, "Quorum.", table=QUORUM),
        "chair": Field(Kind.ID, "The role that presides the body.", refers_to="roles"),
        "description": Field(Kind.STR, "Free text."),
    },
    at_least_one_of=("classes", "seats"),
)

DUAL_BASES = ("cast", "present")

DUAL = Table(
    "dual",
    "A second majority the motion also needs among one class (schema 2): power sharing.",
    {
        "class": Field(
            Kind.ID, "The class whose own majority is needed.", required=True, refers_to="classes"
        ),
        "threshold": Field(
            Kind.FRACTION, "Share of the class's base needed, as a string.", required=True
        ),
        "strict": Field(Kind.BOOL, "true: more than the threshold; false (default): at least."),
        "base": Field(
            Kind.STR,
            "cast: the class's yes/(yes+no); present: the class's yes/its voting members present"
            " (default cast).",
            enum=DUAL_BASES,
        ),
    },
)

RULE = Table(
    "rule",
    "A reusable vote rule.",
    {
        "threshold": Field(Kind.FRACTION, "Share of the base needed.", required=True),
        "strict": Field(Kind.BOOL, "true: more than the threshold; false (default): at least."),
        "base": Field(
            Kind.STR,
            "cast: yes/(yes+no); present: yes/voting members present; members: yes/all voting"
            " members (default cast).",
            enum=BASES,
        ),
        "tie": Field(
            Kind.STR, "What a tie does: fails (default) or the chair breaks it.", enum=TIES
        ),
        "dual": Field(Kind.TABLE, "A dual majority among a named class (schema 2).", table=DUAL),
        "description": Field(Kind.STR, "Free text."),
    },
)

DECISION = Table(
    "decision",
    "A kind of decision: which body decides it, under which rule, with what notice.",
    {
        "name": Field(Kind.STR, "Display name."),
        "body": Field(Kind.ID, "The deciding body.", required=True, refers_to="bodies"),
        "rule": Field(Kind.ID, "The vote rule.", required=True, refers_to="rules"),
        "notice_days": Field(Kind.INT, "Days of notice this decision needs.", minimum=1),
        "recusal": Field(Kind.BOOL, "Members with a declared conflict may not vote."),
        "procedural": Field(
            Kind.BOOL,
            "Adjourn, recess or measures to obtain a quorum: may be decided without quorum.",
        ),
        "awards": Field(
            Kind.BOOL,
            "The decision awards money (default: true for ids starting with award, adjudic, otorg or atorg).",
        ),
        "plan": Field(
            Kind.BOOL,
            "The decision adopts and amends its body's local improvement plan (one per body).",
        ),
        "description": Field(Kind.STR, "Free text."),
    },
)

ROLE = Table(
    "role",
    "A leadership role.",
    {
        "name": Field(Kind.STR, "Display name.", required=True, non_empty=True),
        "body": Field(Kind.ID, "The body the role belongs to.", required=True, refers_to="bodies"),
        "elected_by": Field(Kind.ID, "The body that elects it.", refers_to="bodies"),
        "holders": Field(Kind.INT, "How many people hold it at once (default 1).", minimum=1),
        "term_months": Field(Kind.INT, "Length of a term in months.", minimum=1),
        "max_terms": Field(Kind.INT, "Consecutive terms one person may serve.", minimum=1),
        "duties": Field(Kind.STRS, "What the role does."),
    },
)

PROXIES = Table(
    "proxies",
    "Whether a member may vote through another present member.",
    {
        "allowed": Field(Kind.BOOL, "Proxies allowed.", required=True),
        "max_per_holder": Field(Kind.INT, "Proxies one member may hold.", minimum=1),
    },
)

CONFLICT_OF_INTEREST = Table(
    "conflict_of_interest",
    "Conflicts of interest.",
    {
        "counts_for_quorum": Field(
            Kind.BOOL, "A recused member still counts towards quorum (default true)."
        ),
    },
)

CONFLICT_RESOLUTION = Table(
    "conflict_resolution",
    "How disputes are resolved, step by step.",
    {"steps": Field(Kind.STRS, "The steps, in order.", required=True)},
)

BYLAWS = Table(
    "bylaws",
    "The by-laws of one partnership, board or network (comunidad schema 2; 1 is still read).",
    {
        "schema": Field(
            Kind.INT, "Format version: 2 (or 1, without dual majorities).", required=True
        ),
        "id": Field(Kind.ID, "Short id of these by-laws.", required=True),
        "name": Field(Kind.STR, "Full name.", required=True, non_empty=True),
        "adopted": Field(Kind.DATE, "Date adopted."),
        "amended": Field(Kind.DATE, "Date last amended."),
        "description": Field(Kind.STR, "Free text."),
        "ordinary_decision": Field(
            Kind.ID,
            'The decision kind used for ordinary business (default "ordinary").',
            refers_to="decisions",
        ),
        "amendment_decision": Field(
            Kind.ID,
            'The decision kind that amends the by-laws (default "amend_bylaws").',
            refers_to="decisions",
        ),
        "classes": Field(Kind.TABLES, "Membership classes.", required=True, table=CLASS),
        "bodies": Field(Kind.TABLES, "Bodies.", required=True, table=BODY),
        "rules": Field(Kind.TABLES, "Vote rules.", required=True, table=RULE),
        "decisions": Field(Kind.TABLES, "Decision kinds.", required=True, table=DECISION),
        "roles": Field(Kind.TABLES, "Roles.", table=ROLE),
        "proxies": Field(Kind.TABLE, "Proxies.", table=PROXIES),
        "conflict_of_interest": Field(Kind.TABLE, "Conflicts.", table=CONFLICT_OF_INTEREST),
        "conflict_resolution": Field(Kind.TABLE, "Disputes.", table=CONFLICT_RESOLUTION),
    },
)

# Human names of the value kinds, for "must be {expected}" messages.
KIND_NAMES: Mapping[Kind, str] = {
    Kind.STR: N_("a string"),
    Kind.INT: N_("an integer"),
    Kind.BOOL: N_("true or false"),
    Kind.DATE: N_("a date such as 2024-05-31"),
    Kind.FRACTION: N_('a fraction written as a string, such as "1/2"'),
    Kind.ID: N_("an id (a string)"),
    Kind.IDS: N_("a list of ids"),
    Kind.STRS: N_("a list of strings"),
    Kind.COUNTS: N_("a table of whole numbers, such as {{ resident = 3 }}"),
    Kind.TABLE: N_("a table"),
    Kind.TABLES: N_("a table of tables keyed by id"),
}


def _err(code: str, path: KeyPath, text: str, *, at_value: bool = False, **params: Any) -> Finding:
    return Finding(code, Severity.ERROR, Msg.of(text, **params), path, at_value=at_value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


_SHAPE = ShapeCodes(
    _err, missing="BL101", unknown="BL102", wrong_type="BL103", bad_id="BL107", version="BL104"
)


def _wrong_type(path: KeyPath, kind: Kind, value: Any) -> Finding:
    return _SHAPE.wrong_type_finding(path, KIND_NAMES[kind], value)


def _check_minimum(path: KeyPath, f: Field, value: int) -> Iterator[Finding]:
    if f.minimum is not None and value < f.minimum:
        yield _err(
            "BL108",
            path,
            N_('"{key}" must be at least {minimum}, found {found}'),
            at_value=True,
            key=dotted(path),
            minimum=f.minimum,
            found=value,
        )


def _check_field(path: KeyPath, f: Field, value: Any) -> Iterator[Finding]:
    kind = f.kind
    if kind in (Kind.STR, Kind.ID):
        if not isinstance(value, str):
            yield _wrong_type(path, kind, value)
            return
        if f.non_empty and not value.strip():
            yield _err("BL111", path, N_('"{key}" must not be empty'), key=dotted(path))
        if kind is Kind.ID:
            yield from _SHAPE.id_findings(path, value)
        if f.enum and value not in f.enum:
            yield _err(
                "BL106",
                path,
                N_('"{key}" must be one of {allowed}, found "{found}"'),
                at_value=True,
                key=dotted(path),
                allowed=", ".join(f.enum),
                found=value,
            )
    elif kind is Kind.INT:
        if not _is_int(value):
            yield _wrong_type(path, kind, value)
            return
        yield from _check_minimum(path, f, value)
    elif kind is Kind.BOOL:
        if not isinstance(value, bool):
            yield _wrong_type(path, kind, value)
    elif kind is Kind.DATE:
        if not _is_date(value):
            yield _wrong_type(path, kind, value)
    elif kind is Kind.FRACTION:
        if not isinstance(value, str) or parse_fraction(value) is None:
            yield _err(
                "BL105",
                path,
                N_(
                    '"{key}" must be a fraction written as a string, such as "1/2" or'
                    ' "2/3" (never a decimal), found {found}'
                ),
                at_value=True,
                key=dotted(path),
                found=repr(value) if isinstance(value, str) else str(value),
            )
    elif kind in (Kind.IDS, Kind.STRS):
        if not isinstance(value, list):
            yield _wrong_type(path, kind, value)
            return
        if f.non_empty and not value:
            yield _err("BL111", path, N_('"{key}" must not be empty'), key=dotted(path))
        for index, item in enumerate(value):
            if not isinstance(item, str):
                yield _wrong_type((*path, index), Kind.STR, item)
            elif kind is Kind.IDS:
                yield from _SHAPE.id_findings((*path, index), item)
    elif kind is Kind.COUNTS:
        if not isinstance(value, dict):
            yield _wrong_type(path, kind, value)
            return
        for key, count in value.items():
            yield from _SHAPE.id_findings((*path, key), key)
            if not _is_int(count):
                yield _wrong_type((*path, key), Kind.INT, count)
            else:
                yield from _check_minimum((*path, key), f, count)
    elif kind is Kind.TABLE:
        if not isinstance(value, dict):
            yield _wrong_type(path, kind, value)
            return
        assert f.table is not None
        yield from check_table(path, f.table, value)
    elif kind is Kind.TABLES:
        if not isinstance(value, dict):
            yield _wrong_type(path, kind, value)
            return
        assert f.table is not None
        for key, entry in value.items():
            entry_path = (*path, key)
            yield from _SHAPE.id_findings(entry_path, key)
            if not isinstance(entry, dict):
                yield _wrong_type(entry_path, Kind.TABLE, entry)
            else:
                yield from check_table(entry_path, f.table, entry)


def check_table(path: KeyPath, table: Table, data: Mapping[str, Any]) -> Iterator[Finding]:
    """Every shape problem in `data` against `table`: unknown, missing, mistyped keys."""
    for key, value in data.items():
        spec = table.fields.get(key)
        if spec is None:
            yield _SHAPE.unknown_key(path, key, list(table.fields))
            continue
        yield from _check_field((*path, key), spec, value)
    yield from _SHAPE.missing_keys(
        path, data, [key for key, spec in table.fields.items() if spec.required]
    )
    if table.exactly_one_of:
        present = [k for k in table.exactly_one_of if k in data]
        if len(present) != 1:
            yield _err(
                "BL109",
                path,
                N_("{table} needs exactly one of {keys}"),
                table=dotted(path),
                keys=" / ".join(table.exactly_one_of),
            )
    if table.at_least_one_of and not any(k in data for k in table.at_least_one_of):
        yield _err(
            "BL110",
            path,
            N_("{table} needs at least one of {keys}"),
            table=dotted(path),
            keys=" / ".join(table.at_least_one_of),
        )


def check_shape(data: Mapping[str, Any]) -> list[Finding]:
    """Shape findings for a whole parsed file; a wrong schema version stops here."""
    version = None if data.get("schema") in SCHEMA_VERSIONS else _SHAPE.version_finding(data, 2)
    if version is not None:
        return [version]
    findings = list(check_table((), BYLAWS, data))
    if data.get("schema") == 1:
        findings.extend(_newer_keys(data))
    return findings


def _newer_keys(data: Mapping[str, Any]) -> Iterator[Finding]:
    """Schema-2 keys in a schema-1 file: say which schema they need and how to get it."""
    rules = data.get("rules")
    if not isinstance(rules, dict):
        return
    for rule_id, rule in rules.items():
        if isinstance(rule, dict) and "dual" in rule:
            yield Finding(
                "BL112",
                Severity.ERROR,
                Msg.of(
                    N_(
                        '"{key}" needs by-laws schema 2; run "comunidad bylaws upgrade FILE"'
                        " and then add it"
                    ),
                    key=dotted(("rules", rule_id, "dual")),
                ),
                ("rules", rule_id, "dual"),
            )


# --- JSON Schema ---------------------------------------------------------------------------


def _field_schema(f: Field) -> dict[str, Any]:
    kind = f.kind
    out: dict[str, Any]
    if kind in (Kind.STR, Kind.ID):
        out = {"type": "string"}
        if kind is Kind.ID:
            out["pattern"] = ID_REGEX
        if f.enum:
            out["enum"] = list(f.enum)
        if f.non_empty:
            out["pattern"] = r"\S"
    elif kind is Kind.INT:
        out = {"type": "integer"}
        if f.minimum is not None:
            out["minimum"] = f.minimum
    elif kind is Kind.BOOL:
        out = {"type": "boolean"}
    elif kind is Kind.DATE:
        out = {"type": "string", "format": "date"}
    elif kind is Kind.FRACTION:
        out = {"type": "string", "pattern": r"^\s*\d+\s*(/\s*0*[1-9]\d*\s*)?$"}
    elif kind is Kind.IDS:
        out = {"type": "array", "items": {"type": "string", "pattern": ID_REGEX}}
        if f.non_empty:
            out["minItems"] = 1
    elif kind is Kind.STRS:
        out = {"type": "array", "items": {"type": "string"}}
    elif kind is Kind.COUNTS:
        value: dict[str, Any] = {"type": "integer"}
        if f.minimum is not None:
            value["minimum"] = f.minimum
        out = {
            "type": "object",
            "propertyNames": {"pattern": ID_REGEX},
            "additionalProperties": value,
        }
    elif kind is Kind.TABLE:
        assert f.table is not None
        out = table_schema(f.table)
    else:
        assert f.table is not None
        out = {
            "type": "object",
            "propertyNames": {"pattern": ID_REGEX},
            "additionalProperties": table_schema(f.table),
        }
    out["description"] = f.doc
    return out


def table_schema(table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "title": table.title,
        "description": table.doc,
        "properties": {key: _field_schema(f) for key, f in table.fields.items()},
        "additionalProperties": False,
    }
    required = [key for key, f in table.fields.items() if f.required]
    if required:
        out["required"] = required
    if table.exactly_one_of:
        out["oneOf"] = [{"required": [k]} for k in table.exactly_one_of]
    if table.at_least_one_of:
        out["anyOf"] = [{"required": [k]} for k in table.at_least_one_of]
    return out


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft-07, what taplo and Even Better TOML read) for by-laws files."""
    schema = table_schema(BYLAWS)
    schema["properties"]["schema"]["enum"] = list(SCHEMA_VERSIONS)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "urn:comunidad:bylaws:schema-1",
        **schema,
    }
