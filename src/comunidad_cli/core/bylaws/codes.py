"""Every lint code, its default severity and a one-line title (for SARIF and the docs).

Codes are stable: scripts and `# noqa`-style tooling rely on them, so never reuse one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.findings import Finding, KeyPath, Severity
from comunidad_cli.core.messages import N_, Msg

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str


_ALL = (
    # The file itself
    Code("BL001", E, N_("TOML syntax error")),
    Code("BL002", E, N_("File is not valid UTF-8")),
    Code("BL003", E, N_("File is empty")),
    Code("BL004", E, N_("File is too large")),
    Code("BL005", E, N_("Binary file")),
    Code("BL006", E, N_("Nested too deeply")),
    Code("BL007", E, N_("Symbolic link that leads to no file")),
    # Shape (schema 1)
    Code("BL101", E, N_("Missing required key")),
    Code("BL102", E, N_("Unknown key")),
    Code("BL103", E, N_("Value of the wrong type")),
    Code("BL104", E, N_("Unsupported schema version")),
    Code("BL105", E, N_("Fraction not written as a string")),
    Code("BL106", E, N_("Value not among the allowed ones")),
    Code("BL107", E, N_("Invalid id")),
    Code("BL108", E, N_("Number below its minimum")),
    Code("BL109", E, N_("Quorum needs exactly one of fraction or count")),
    Code("BL110", E, N_("Body needs classes or seats")),
    Code("BL111", E, N_("Empty value")),
    Code("BL112", E, N_("Key that needs a newer schema version")),
    # References
    Code("BL201", E, N_("Unknown body")),
    Code("BL202", E, N_("Unknown class")),
    Code("BL203", E, N_("Unknown rule")),
    Code("BL204", E, N_("Unknown role")),
    Code("BL205", E, N_("Unknown decision")),
    Code("BL206", W, N_("Same id in two namespaces")),
    Code("BL207", E, N_("Parent cycle")),
    Code("BL208", E, N_("Seats for a class that does not sit on the body")),
    Code("BL209", E, N_("Quorum minimum for a class that does not sit on the body")),
    # Quorum and thresholds
    Code("BL301", E, N_("Threshold outside (0, 1]")),
    Code("BL302", E, N_("Threshold that can never be reached")),
    Code("BL303", E, N_("Quorum larger than the seats")),
    Code("BL304", E, N_("Class minimum that cannot be satisfied")),
    Code("BL305", E, N_("Quorum fraction outside (0, 1] or unreachable")),
    Code("BL306", E, N_("Quorum minimum for a class that does not vote")),
    Code("BL307", W, N_("Body without a quorum")),
    Code("BL308", E, N_("Body where no class votes")),
    Code("BL309", E, N_("Quorum of seats on a body without seats")),
    Code("BL310", E, N_("Dual majority among a class that does not sit on the body")),
    Code("BL311", E, N_("Dual majority among a class that does not vote")),
    # Decisions, amendment and conflicts
    Code("BL401", E, N_("Amendment rule that passes where ordinary decisions fail")),
    Code("BL402", E, N_("Amendment notice shorter than ordinary notice")),
    Code("BL403", W, N_("No amendment procedure")),
    Code("BL404", W, N_("No ordinary decision kind")),
    Code("BL405", W, N_("Money awarded without recusal")),
    Code("BL406", E, N_("Funder or contractor votes on awards")),
    Code("BL407", W, N_("No conflict resolution steps")),
    Code("BL408", W, N_("Chair breaks ties but the body has no chair")),
    Code("BL409", W, N_("Decision notice shorter than its body's notice")),
    Code("BL410", W, N_("By-laws amended by a committee")),
    Code("BL411", E, N_("Two decisions adopt one body's plan")),
    Code("BL412", E, N_("Plan adopted by a procedural decision")),
    # Roles, dates, proxies
    Code("BL501", W, N_("Term limit without term length")),
    Code("BL502", W, N_("Adoption or amendment date in the future")),
    Code("BL503", W, N_("Proxies without a limit per holder")),
    Code("BL504", E, N_("Amended before adopted")),
)

CODES: Mapping[str, Code] = MappingProxyType({c.code: c for c in _ALL})


def finding(
    code: str,
    path: KeyPath,
    text: str | tuple[str, str],
    *,
    at_value: bool = False,
    count: str | None = None,
    **params: Any,
) -> Finding:
    """A finding with the code's default severity. A `text` marked with `NP_` is counted
    by the parameter `count` names (`Msg.counted`): "1 day", "3 days" in every language."""
    if isinstance(text, tuple):
        if count is None:
            raise ValueError("a counted finding needs the parameter to count by")
        msg = Msg.counted(text, count, **params)
    else:
        msg = Msg.of(text, **params)
    return Finding(code, CODES[code].severity, msg, path, at_value=at_value)
