"""Every round-file code (FD...), its default severity and a one-line title (SARIF, docs).

FD0xx the file itself, FD1xx shape, FD2xx dates in order, FD3xx money, FD4xx the rubric,
FD5xx tie-break and award mode. Codes are stable: scripts rely on them, never reuse one.
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
    Code("FD001", E, N_("TOML syntax error")),
    Code("FD002", E, N_("File is not valid UTF-8")),
    Code("FD003", E, N_("File is empty")),
    Code("FD004", E, N_("File is too large")),
    Code("FD005", E, N_("Binary file")),
    Code("FD006", E, N_("Nested too deeply")),
    Code("FD007", E, N_("Symbolic link that leads to no file")),
    Code("FD101", E, N_("Missing required key")),
    Code("FD102", E, N_("Unknown key")),
    Code("FD103", E, N_("Value of the wrong type")),
    Code("FD104", E, N_("Unsupported schema version")),
    Code("FD105", E, N_("Invalid id")),
    Code("FD106", E, N_("Value not among the allowed ones")),
    Code("FD107", E, N_("Empty value")),
    Code("FD108", W, N_("Missing translation")),
    Code("FD109", E, N_("Number below its minimum")),
    Code("FD110", E, N_("Exact number written as a float")),
    Code("FD111", E, N_("Id used twice")),
    Code("FD112", E, N_("Own contribution given both as a share and an amount")),
    Code("FD113", E, N_("Body not in the workspace's by-laws")),
    Code("FD114", E, N_("Reviewers' body not in the workspace's by-laws")),
    Code("FD201", E, N_("Date before the step it follows")),
    Code("FD202", E, N_("Applications close before they open")),
    Code("FD203", E, N_("Funded projects that start before the award")),
    Code("FD204", E, N_("Funded projects that end before they start")),
    Code("FD205", E, N_("Accountability report due before the projects start")),
    Code("FD301", E, N_("Unknown currency")),
    Code("FD302", E, N_("Currency with more than 2 decimals")),
    Code("FD303", E, N_("Amount with more decimals than its currency")),
    Code("FD304", E, N_("Amount that must be positive")),
    Code("FD305", E, N_("Minimum amount above the maximum")),
    Code("FD306", E, N_("Amount above the budget")),
    Code("FD307", E, N_("Own share outside [0, 1)")),
    Code("FD401", E, N_("Weights that do not sum to 1")),
    Code("FD402", E, N_("Weight that is not a positive fraction")),
    Code("FD403", E, N_("Scale whose minimum is not below its maximum")),
    Code("FD404", E, N_("Scale points without a descriptor, or descriptors off the scale")),
    Code("FD405", W, N_("Descriptor without every language")),
    Code("FD406", E, N_("Minimum score outside the scale")),
    Code("FD407", E, N_("Round without criteria")),
    Code("FD408", W, N_("Spread that can never be exceeded")),
    Code("FD501", E, N_("Unknown tie-break")),
    Code("FD502", E, N_("Lottery not last in the tie-break")),
    Code("FD503", E, N_("Tie-break on an unknown criterion")),
    Code("FD504", E, N_("Unknown award mode")),
    Code("FD505", W, N_("Tie-break given twice")),
)

CODES: Mapping[str, Code] = MappingProxyType({c.code: c for c in _ALL})


def finding(
    code: str, path: KeyPath, text: str, *, at_value: bool = False, **params: Any
) -> Finding:
    """A finding with the code's default severity."""
    return Finding(code, CODES[code].severity, Msg.of(text, **params), path, at_value=at_value)
