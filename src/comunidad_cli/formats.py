"""Output formats for lint findings: text, JSON, GitHub Actions annotations and SARIF.

This is the edge: the core hands over located, sorted `Finding`s whose messages are still
English msgids (`Msg`), and these functions translate them with the `translate` callable
they are given (gettext's `gettext`, or `str` in tests; `plural`, gettext's `ngettext`, picks
the form of a counted message). Nothing here prints, imports Rich
or Typer, or reads the environment, so every format is a pure function of its arguments.

The machine-readable fields (codes, severities as `"error"`/`"warning"`, paths, numbers)
are never translated; only human text (messages, code titles, the severity word in the
text format and the summary line) is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from comunidad_cli.core.bylaws.codes import CODES, Code
from comunidad_cli.core.findings import Finding, KeyPath, Severity
from comunidad_cli.core.messages import N_, TranslateN

__all__ = [
    "JSON_FORMAT_VERSION",
    "SARIF_SCHEMA_URI",
    "SARIF_SRCROOT",
    "Ngettext",
    "Translate",
    "format_github",
    "format_json",
    "format_sarif",
    "format_text",
    "summary_line",
]

Translate = Callable[[str], str]
"""Translate one msgid (`gettext.gettext`-like)."""

Ngettext = Callable[[str, str, int], str]
"""Choose and translate the plural form for a count (`gettext.ngettext`-like)."""

JSON_FORMAT_VERSION = 1
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_SRCROOT = "%SRCROOT%"
TOOL_NAME = "comunidad"

# The severity word shown in the text format; marked so `pybabel extract` finds it.
SEVERITY_WORDS: dict[Severity, str] = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
}

# SARIF `level` for each severity (the SARIF names happen to match ours).
_SARIF_LEVEL: dict[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning"}

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


# --- Text --------------------------------------------------------------------------------


def _where(finding: Finding) -> str:
    """`file:line:col`, or just `file` for a finding without a position."""
    if finding.line <= 0:
        return finding.file
    if finding.col <= 0:
        return f"{finding.file}:{finding.line}"
    return f"{finding.file}:{finding.line}:{finding.col}"


def format_text(
    findings: Iterable[Finding], translate: Translate, plural: TranslateN | None = None
) -> str:
    """One line per finding, `path:line:col: CODE [severity] message`, newline-terminated.

    Returns "" when there are no findings.
    """
    lines = [
        f"{_where(f)}: {f.code} [{translate(SEVERITY_WORDS[f.severity])}] "
        f"{f.message.render(translate, None, plural)}"
        for f in findings
    ]
    return "".join(line + "\n" for line in lines)


# --- JSON --------------------------------------------------------------------------------


def key_path(path: KeyPath) -> str:
    """Spell a TOML key path unambiguously: `bodies.board.quorum`, `a."b.c"`, `steps[2]`.

    Bare keys stay bare, other keys are quoted as TOML basic strings, and array indices
    are written in brackets. The top level is "".
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        key = part if _BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)
        out += f".{key}" if out else key
    return out


def _counts(findings: Sequence[Finding]) -> dict[str, int]:
    counted = Counter(f.severity for f in findings)
    return {severity.value: counted.get(severity, 0) for severity in Severity}


def _title(code: str, translate: Translate, codes: Mapping[str, Code] = CODES) -> str:
    known = codes.get(code)
    return translate(known.title) if known is not None else ""


def format_json(
    findings: Iterable[Finding],
    translate: Translate,
    files_checked: int,
    plural: TranslateN | None = None,
    codes: Mapping[str, Code] = CODES,
) -> str:
    """A JSON document (format version 1) with a summary and every finding, indented 2.

    `codes` are the format's codes, for the titles (by-laws' by default; rounds': FD...)."""
    found = list(findings)
    document = {
        "version": JSON_FORMAT_VERSION,
        "files_checked": files_checked,
        "summary": _counts(found),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message.render(translate, None, plural),
                "file": f.file,
                "line": f.line,
                "column": f.col,
                "path": key_path(f.path),
                "title": _title(f.code, translate, codes),
            }
            for f in found
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- GitHub Actions ----------------------------------------------------------------------
# Escaping follows actions/toolkit packages/core/src/command.ts (escapeData/escapeProperty).


def escape_data(text: str) -> str:
    """Escape a workflow command's message (the part after the second `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (`file=`, `title=`...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(
    findings: Iterable[Finding], translate: Translate, plural: TranslateN | None = None
) -> str:
    """GitHub Actions workflow commands, one `::error ...::message` line per finding.

    Empty properties (no file, no position) are left out, as the toolkit does.
    """
    lines = []
    for f in findings:
        properties: list[tuple[str, str]] = []
        if f.file:
            properties.append(("file", f.file))
        if f.line > 0:
            properties.append(("line", str(f.line)))
            if f.col > 0:
                properties.append(("col", str(f.col)))
        properties.append(("title", f.code))
        props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
        message = escape_data(f.message.render(translate, None, plural))
        lines.append(f"::{_SARIF_LEVEL[f.severity]} {props}::{message}\n")
    return "".join(lines)


# --- SARIF 2.1.0 -------------------------------------------------------------------------


def rule_name(title: str) -> str:
    """A rule's SARIF `name`: its English title in PascalCase ("Unknown key" -> "UnknownKey")."""
    return "".join(word[0].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))


def artifact_uri(file: str) -> tuple[str, str | None]:
    """The SARIF `uri` of a checked file and its `uriBaseId`.

    A relative path becomes a relative URI reference (forward slashes, percent-encoded
    UTF-8, `:` encoded so the first segment can never read as a scheme) resolved against
    `%SRCROOT%`; an absolute path becomes a `file://` URI with no base.
    """
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri(), None
    return quote(path.as_posix(), safe="/"), SARIF_SRCROOT


def _location(uri: str, base: str | None, index: int | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {"uri": uri}
    if base is not None:
        location["uriBaseId"] = base
    if index is not None:
        location["index"] = index
    return location


def format_sarif(
    findings: Iterable[Finding],
    translate: Translate,
    *,
    tool_version: str,
    files: Sequence[str],
    plural: TranslateN | None = None,
    codes: Mapping[str, Code] = CODES,
) -> str:
    """A SARIF 2.1.0 log with one run: every code as a rule, the files as artifacts.

    `files` are the checked files as they are shown to the user (relative to the project
    root, which is `%SRCROOT%`); a finding in a file not listed is added as an artifact.
    `codes` are the rules (by-laws' by default; a round file's FD... codes for `fund check`).
    """
    found = list(findings)
    rule_index = {code: i for i, code in enumerate(codes)}
    rules = [
        {
            "id": code.code,
            "name": rule_name(code.title),
            "shortDescription": {"text": translate(code.title)},
            "defaultConfiguration": {"level": _SARIF_LEVEL[code.severity]},
        }
        for code in codes.values()
    ]

    artifact_index: dict[str, int] = {}
    for file in [*files, *(f.file for f in found if f.file)]:
        artifact_index.setdefault(file, len(artifact_index))
    artifacts = [
        {"location": _location(*artifact_uri(file)), "roles": ["analysisTarget"]}
        for file in artifact_index
    ]

    results = []
    for f in found:
        result: dict[str, Any] = {"ruleId": f.code}
        if f.code in rule_index:
            result["ruleIndex"] = rule_index[f.code]
        result["level"] = _SARIF_LEVEL[f.severity]
        result["message"] = {"text": f.message.render(translate, None, plural)}
        if f.file:
            physical: dict[str, Any] = {
                "artifactLocation": _location(*artifact_uri(f.file), artifact_index[f.file])
            }
            if f.line > 0:
                region = {"startLine": f.line}
                if f.col > 0:
                    region["startColumn"] = f.col
                physical["region"] = region
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)

    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": tool_version,
                        "rules": rules,
                    }
                },
                "artifacts": artifacts,
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# --- Summary -----------------------------------------------------------------------------


def summary_line(
    findings: Iterable[Finding],
    files_checked: int,
    translate: Translate,
    ngettext: Ngettext,
    *,
    number: Callable[[int], str] = str,
) -> str:
    """E.g. "3 errors and 1 warning in 2 of 5 files", or "No problems in 5 files".

    Plurals come from `ngettext` (one msgid pair per counted noun) and whole templates
    from `translate`, so translators can reorder them; `number` formats counts for the
    locale (`i18n.format_number`).
    """
    found = list(findings)
    counts = _counts(found)
    errors, warnings = counts[Severity.ERROR.value], counts[Severity.WARNING.value]
    total = number(files_checked)
    if not found:
        return ngettext(
            "No problems in {total} file", "No problems in {total} files", files_checked
        ).format(total=total)

    files_with = number(len({f.file for f in found}))
    where = ngettext(
        "in {files} of {total} file", "in {files} of {total} files", files_checked
    ).format(files=files_with, total=total)
    error_text = ngettext("{count} error", "{count} errors", errors).format(count=number(errors))
    warning_text = ngettext("{count} warning", "{count} warnings", warnings).format(
        count=number(warnings)
    )
    if errors and warnings:
        template = translate(N_("{errors} and {warnings} {where}"))
    elif errors:
        template = translate(N_("{errors} {where}"))
    else:
        template = translate(N_("{warnings} {where}"))
    return template.format(errors=error_text, warnings=warning_text, where=where)
