"""The shape checks of a TOML file, shared by every format the tool reads (by-laws, capacity
instruments): unknown keys with a suggestion, missing keys, values of the wrong type, ids.

One mechanism, each format's own codes: a `ShapeCodes` names the codes a format reports these
findings under and how it makes a finding (its severity), so `comunidad bylaws lint` (BL1xx)
and `comunidad capacity check` (CI1xx) word, place and locate them the same way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from comunidad_cli.core.findings import Finding, KeyPath
from comunidad_cli.core.messages import N_, Msg

#: An id: a key people type and other entries refer to (bodies, classes, domains, items).
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
ID_REGEX = ID_PATTERN.pattern

#: `make(code, path, text, *, at_value=False, **params)`: a format's finding, its severity set.
MakeFinding = Callable[..., Finding]


def dotted(path: KeyPath) -> str:
    """Spell a key path the way it is written in TOML: bodies.nlg.quorum."""
    return ".".join(str(p) for p in path) if path else "(top level)"


_TYPE_NAMES = {
    "boolean": N_("a boolean"),
    "integer": N_("an integer"),
    "float": N_("a decimal number"),
    "string": N_("a string"),
    "datetime": N_("a date and time"),
    "date": N_("a date such as 2024-05-31"),
    "array": N_("a list"),
    "table": N_("a table"),
}


#: Python's types of parsed TOML values and their TOML names, a subclass before its class
#: (a bool is an int, a datetime a date).
_TOML_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "float"),
    (str, "string"),
    (datetime, "datetime"),
    (date, "date"),
    (list, "array"),
    (dict, "table"),
)


def type_name(value: Any) -> str:
    """The TOML name of a parsed value's type, for messages."""
    return next(
        (name for kind, name in _TOML_TYPES if isinstance(value, kind)), type(value).__name__
    )


def found_type(value: Any) -> Msg:
    """ "an integer", "a list": the found type, translatable."""
    name = type_name(value)
    return Msg.of(_TYPE_NAMES.get(name, "{name}"), name=name)


@dataclass(frozen=True, slots=True)
class ShapeCodes:
    """A format's codes for the shape findings, and how it makes a finding.

    `found` words the type of a value found where another was expected; `id_at_value`:
    whether a bad id is located at its value (by-laws) or at its key (instruments).
    """

    make: MakeFinding
    missing: str
    unknown: str
    wrong_type: str
    bad_id: str
    version: str
    found: Callable[[Any], Msg] = found_type
    id_at_value: bool = True

    def version_finding(self, data: Mapping[str, Any], supported: int) -> Finding | None:
        """A `schema` version this comunidad does not read (checking stops there), or None."""
        version = data.get("schema")
        if not isinstance(version, int) or isinstance(version, bool) or version == supported:
            return None
        return self.make(
            self.version,
            ("schema",),
            N_("unsupported schema version {found}: this comunidad reads schema {supported}"),
            at_value=True,
            found=version,
            supported=supported,
        )

    def unknown_key(self, path: KeyPath, key: str, allowed: Sequence[str]) -> Finding:
        """`key` is not allowed in the table at `path`: the closest allowed key, or all."""
        close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
        if close:
            return self.make(
                self.unknown,
                (*path, key),
                N_('unknown key "{key}" in {table}; did you mean "{suggestion}"?'),
                key=key,
                table=dotted(path),
                suggestion=close[0],
            )
        return self.make(
            self.unknown,
            (*path, key),
            N_('unknown key "{key}" in {table}; allowed keys: {allowed}'),
            key=key,
            table=dotted(path),
            allowed=", ".join(allowed),
        )

    def unknown_keys(
        self, path: KeyPath, data: Mapping[str, Any], allowed: Sequence[str]
    ) -> Iterator[Finding]:
        """Every key of `data` that is not in `allowed`, in the file's order."""
        for key in data:
            if key not in allowed:
                yield self.unknown_key(path, key, allowed)

    def missing_keys(
        self, path: KeyPath, data: Mapping[str, Any], required: Iterable[str]
    ) -> Iterator[Finding]:
        """Each `required` key absent from the table at `path`, in `required`'s order."""
        for key in required:
            if key not in data:
                yield self.make(
                    self.missing,
                    path,
                    N_('missing required key "{key}" in {table}'),
                    key=key,
                    table=dotted(path),
                )

    def wrong_type_finding(self, path: KeyPath, expected: str, value: Any) -> Finding:
        """`value` at `path` is not what `expected` (a message id: "an integer") says."""
        return self.make(
            self.wrong_type,
            path,
            N_('"{key}" must be {expected}, found {found}'),
            at_value=True,
            key=dotted(path),
            expected=Msg.of(expected),
            found=self.found(value),
        )

    def untranslated(self, code: str, path: KeyPath, missing: Sequence[str]) -> Finding:
        """The translated text at `path` lacks the languages `missing` (under `code`)."""
        return self.make(
            code,
            path,
            N_("{key} has no translation in {languages}"),
            key=dotted(path),
            languages=", ".join(missing),
        )

    def id_findings(self, path: KeyPath, value: str) -> Iterator[Finding]:
        """`value` is not an id (lower-case letters, digits, "_" and "-", a letter first)."""
        if not ID_PATTERN.match(value):
            yield self.make(
                self.bad_id,
                path,
                N_(
                    '"{value}" is not a valid id: use lower-case letters, digits, "_" and'
                    ' "-", starting with a letter'
                ),
                at_value=self.id_at_value,
                value=value,
            )


_TEXTS_EXPECTED = N_('a table of translations such as {{ es = "...", en = "...", ca = "..." }}')


class ValueReader:
    """Reads one file's values, appending a finding for each bad one (and returning None):
    what the formats with translated texts (round files, indicator files) read alike, with
    the format's `shape` codes, its code for an empty text and for an unknown language."""

    def __init__(self, shape: ShapeCodes, empty: str, language: str) -> None:
        self.findings: list[Finding] = []
        self.shape = shape
        self._empty = empty
        self._language = language

    def wrong(self, path: KeyPath, expected: str, value: Any) -> None:
        self.findings.append(self.shape.wrong_type_finding(path, expected, value))

    def text(self, path: KeyPath, value: Any) -> str | None:
        """A string with something in it."""
        if not isinstance(value, str):
            self.wrong(path, N_("a string"), value)
            return None
        if not value.strip():
            self.findings.append(
                self.shape.make(
                    self._empty,
                    path,
                    N_('"{key}" must not be empty'),
                    at_value=True,
                    key=dotted(path),
                )
            )
            return None
        return value

    def inexact(self, code: str, path: KeyPath, value: float, example: str) -> None:
        """A number written as a float, which TOML does not keep exactly: said under `code`,
        with an `example` of the string to write instead."""
        self.findings.append(
            self.shape.make(
                code,
                path,
                N_(
                    '"{key}" is written as a float ({value}), which is not exact: write it as a'
                    " string, e.g. {example}"
                ),
                at_value=True,
                key=dotted(path),
                value=repr(value),
                example=example,
            )
        )

    def translations(
        self, path: KeyPath, value: Any, languages: Sequence[str]
    ) -> dict[str, str] | None:
        """A table language -> text, each language one of `languages` (an unknown one and
        each bad text said); None, said, when `value` is not a table. What is missing is
        the format's to judge."""
        if not isinstance(value, dict):
            self.wrong(path, _TEXTS_EXPECTED, value)
            return None
        texts: dict[str, str] = {}
        for language, text in value.items():
            if language not in languages:
                self.findings.append(
                    self.shape.make(
                        self._language,
                        (*path, language),
                        N_('unknown language "{language}" in {key}: write es, en and ca'),
                        language=language,
                        key=dotted(path),
                    )
                )
                continue
            read = self.text((*path, language), text)
            if read is not None:
                texts[language] = read
        return texts
