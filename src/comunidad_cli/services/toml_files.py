"""The file side of checking a TOML file, shared by by-laws and capacity instruments: where a
bad byte is, what a syntax error says and where, a file nested too deep, and the core's
findings located at `file:line:col`. Each format makes its findings with its own codes."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable

from comunidad_cli.core import tomlpos
from comunidad_cli.core.findings import Finding
from comunidad_cli.core.messages import N_

#: `make(code, file, text, line=1, col=1, **params)`: a format's file-level finding.
FileFinding = Callable[..., Finding]

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_DETAIL = re.compile(r"\s*\(at (?:line \d+, column \d+|end of document)\)\s*$")


def position_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    """The line and column (in characters, from 1) of byte `offset` of `data`."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    return line, len(before[line_start:].decode("utf-8", errors="replace")) + 1


def not_utf8(
    make: FileFinding, code: str, display: str, data: bytes, error: UnicodeDecodeError
) -> Finding:
    """The first byte that is not UTF-8, where it is."""
    line, col = position_of_offset(data, error.start)
    return make(
        code,
        display,
        N_("not valid UTF-8 (byte 0x{byte:02x}): save the file as UTF-8"),
        line,
        col,
        byte=data[error.start],
    )


def syntax_error(
    make: FileFinding, code: str, display: str, error: tomllib.TOMLDecodeError
) -> Finding:
    """The TOML reader's complaint at its line and column, its "(at ...)" taken off."""
    message = str(error)
    match = _TOML_POSITION.search(message)
    line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    return make(
        code,
        display,
        N_("TOML syntax error: {detail}"),
        line,
        col,
        detail=_TOML_DETAIL.sub("", message),
    )


def too_deep(make: FileFinding, code: str, display: str, error: tomlpos.TooDeep) -> Finding:
    """A file nested past what any reader needs: refused where it starts, never parsed."""
    return make(
        code,
        display,
        N_("nested more than {limit} levels deep: tables and arrays this deep are refused"),
        error.pos.line,
        error.pos.col,
        limit=tomlpos.MAX_DEPTH,
    )


def located(text: str, findings: Iterable[Finding], display: str) -> list[Finding]:
    """The core's findings (key paths) placed at their key or value in `text`."""
    found = list(findings)
    if not found:
        return []
    positions = tomlpos.locate(text)
    out: list[Finding] = []
    for f in found:
        pos = positions.nearest(f.path, prefer="value" if f.at_value else "key")
        out.append(f.located(display, pos.line, pos.col))
    return out
