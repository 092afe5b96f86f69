"""Every indicator-file code (OC...), its default severity and a one-line title (SARIF, docs).

OC0xx the file itself, OC1xx shape, OC2xx baseline, target and periods, OC3xx dimensions and
links. Codes are stable: scripts rely on them, never reuse one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.bylaws.codes import Code
from comunidad_cli.core.findings import Finding, KeyPath, Severity
from comunidad_cli.core.messages import N_, Msg

E, W = Severity.ERROR, Severity.WARNING

_ALL = (
    Code("OC001", E, N_("TOML syntax error")),
    Code("OC002", E, N_("File is not valid UTF-8")),
    Code("OC003", E, N_("File is empty")),
    Code("OC004", E, N_("File is too large")),
    Code("OC005", E, N_("Binary file")),
    Code("OC006", E, N_("Nested too deeply")),
    Code("OC007", E, N_("Symbolic link that leads to no file")),
    Code("OC101", E, N_("Missing required key")),
    Code("OC102", E, N_("Unknown key")),
    Code("OC103", E, N_("Value of the wrong type")),
    Code("OC104", E, N_("Unsupported schema version")),
    Code("OC105", E, N_("Invalid id")),
    Code("OC106", E, N_("Value not among the allowed ones")),
    Code("OC107", E, N_("Empty value")),
    Code("OC108", W, N_("Missing translation")),
    Code("OC109", E, N_("Exact number written as a float")),
    Code("OC110", E, N_("Indicator id used in two files")),
    Code("OC111", E, N_("File without indicators")),
    Code("OC201", E, N_("Period not written as a year, quarter or month")),
    Code("OC202", E, N_("Value outside what its measure allows")),
    Code("OC203", E, N_("Target period not after the baseline's")),
    Code("OC204", W, N_("Target no better than the baseline")),
    Code("OC301", E, N_("Dimension listed twice")),
    Code("OC302", E, N_("Reserved dimension id")),
    Code("OC303", E, N_("Partial dimension not among the dimensions")),
    Code("OC304", W, N_("Indicator linked to nothing")),
)

CODES: Mapping[str, Code] = MappingProxyType({c.code: c for c in _ALL})


def finding(
    code: str, path: KeyPath, text: str, *, at_value: bool = False, **params: Any
) -> Finding:
    """A finding with the code's default severity."""
    return Finding(code, CODES[code].severity, Msg.of(text, **params), path, at_value=at_value)
