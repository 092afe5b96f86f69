"""Lint findings: what a check found, where, how bad; data only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from comunidad_cli.core.messages import Msg

KeyPath = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    `path` is the TOML key path of the offending key (positions are attached later, and only
    for files that have findings, because finding them costs a second scan). `at_value`
    says whether the position should be that of the value rather than the key.
    """

    code: str
    severity: Severity
    message: Msg
    path: KeyPath = ()
    at_value: bool = False
    file: str = ""
    line: int = 0
    col: int = 0

    def located(self, file: str, line: int, col: int) -> Finding:
        return replace(self, file=file, line=line, col=col)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)
