"""The file side of checking a TOML file, shared by by-laws, capacity instruments, round
files and indicator files: where a bad byte is, what a syntax error says and where, a file
nested too deep, the guard every user's file passes before it is parsed (`FileGuard`,
`guarded`, `file_bytes`), and the core's findings located at `file:line:col`. Each format
makes its findings with its own codes."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from comunidad_cli.core import tomlpos
from comunidad_cli.core.findings import Finding, Severity
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError, unreadable

#: `make(code, file, text, line=1, col=1, **params)`: a format's file-level finding.
FileFinding = Callable[..., Finding]

#: A format's model of a file: a round, an instrument, indicators.
M = TypeVar("M")


def file_finding(severity: Callable[[str], Severity]) -> FileFinding:
    """The `make` of a format whose codes have the severities `severity` gives: a finding
    at `file:line:col` (1:1 for the file as a whole)."""

    def make(
        code: str, file: str, text: str | Msg, line: int = 1, col: int = 1, **params: Any
    ) -> Finding:
        msg = text if isinstance(text, Msg) else Msg.of(text, **params)
        return Finding(code, severity(code), msg).located(file, line, col)

    return make


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


#: The TOML reader's common complaints (Python's tomllib speaks English), in the reader's
#: words; a complaint not here is shown as the reader says it.
_TOML_COMPLAINTS = {
    "Expected newline or end of document after a statement": N_(
        "expected the end of the line after a value"
    ),
    "Invalid value": N_("invalid value"),
    "Invalid statement": N_("invalid line: expected key = value or a [table]"),
    "Unterminated string": N_("a string without its closing quote"),
    "Cannot overwrite a value": N_("a key given twice"),
    "Expected '=' after a key in a key/value pair": N_('expected "=" after the key'),
    "Invalid initial character for a key part": N_("invalid character at the start of a key"),
    "Expected ']' at the end of a table declaration": N_('expected "]" to close the table name'),
    "Expected ']]' at the end of an array declaration": N_('expected "]]" to close the table name'),
    "Unclosed array": N_('a list without its closing "]"'),
    "Unclosed inline table": N_('a table without its closing "}"'),
    "Invalid date or datetime": N_("invalid date: write YYYY-MM-DD"),
}
#: A number written as people write it ("1.500.000", "1,5", "1 500"), which TOML refuses.
_WRITTEN_NUMBER = re.compile(r"=\s*-?\d[\d]*(?:[.,\s]\d+)+\s*(?:#.*)?$")


def syntax_error(
    make: FileFinding,
    code: str,
    display: str,
    error: tomllib.TOMLDecodeError,
    text: str | None = None,
) -> Finding:
    """The TOML reader's complaint at its line and column, its "(at ...)" taken off, in the
    reader's words when it is a common one. Given the file's `text`, a line whose value is a
    number with separators ("1.500.000") says how a number is written in the file."""
    message = str(error)
    match = _TOML_POSITION.search(message)
    line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    detail = _TOML_DETAIL.sub("", message)
    lines = text.splitlines() if text is not None else []
    if match and line <= len(lines) and _WRITTEN_NUMBER.search(lines[line - 1]):
        return make(
            code,
            display,
            N_(
                "TOML syntax error: {detail}; numbers in the file have no thousands"
                ' separators: write 1500000, or an amount as a string ("1500.50")'
            ),
            line,
            col,
            detail=Msg.of(_TOML_COMPLAINTS[detail]) if detail in _TOML_COMPLAINTS else detail,
        )
    return make(
        code,
        display,
        N_("TOML syntax error: {detail}"),
        line,
        col,
        detail=Msg.of(_TOML_COMPLAINTS[detail]) if detail in _TOML_COMPLAINTS else detail,
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


@dataclass(frozen=True, slots=True)
class FileGuard:
    """A format's codes and words for what a file can be instead of TOML to read: too large
    (`max_bytes`), binary (NUL bytes; None: left to the syntax check), not UTF-8, empty,
    nested too deep, or not TOML. `make` builds a finding of the format's codes."""

    make: FileFinding
    too_large: str
    too_large_text: str
    binary: str | None
    binary_text: str
    not_utf8: str
    empty: str
    empty_text: str
    too_deep: str
    syntax: str
    max_bytes: int = 1024 * 1024


def guarded(guard: FileGuard, data: bytes, display: str) -> tuple[str, dict[str, Any]] | Finding:
    """A user's file's text (a BOM taken off) and parsed document, or the one finding that
    stops it from being read, checked in this order: too large, binary, not UTF-8, empty,
    too deep, not TOML. Never a traceback."""
    make = guard.make
    if len(data) > guard.max_bytes:
        return make(
            guard.too_large, display, guard.too_large_text, size=len(data), limit=guard.max_bytes
        )
    if guard.binary is not None and b"\x00" in data:
        line, col = position_of_offset(data, data.index(b"\x00"))
        return make(guard.binary, display, guard.binary_text, line, col)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return not_utf8(make, guard.not_utf8, display, data, error)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return make(guard.empty, display, guard.empty_text)
    try:
        document = tomlpos.loads(text)
    except tomlpos.TooDeep as error:
        return too_deep(make, guard.too_deep, display, error)
    except tomllib.TOMLDecodeError as error:
        return syntax_error(make, guard.syntax, display, error, text)
    return text, document


def check_document(
    guard: FileGuard,
    data: bytes,
    display: str,
    check: Callable[[dict[str, Any]], tuple[M, Iterable[Finding]]],
) -> tuple[tuple[Finding, ...], M | None, str]:
    """One file's content read through `guard` and judged by its format's `check`: the
    findings located at `file:line:col` and sorted, the model (None when the file could not
    be read), and the content's sha256."""
    digest = hashlib.sha256(data).hexdigest()
    read = guarded(guard, data, display)
    if isinstance(read, Finding):
        return (read,), None, digest
    text, document = read
    model, semantic = check(document)
    findings = located(text, semantic, display)
    findings.sort(key=lambda f: f.sort_key)
    return tuple(findings), model, digest


def read_bytes(guard: FileGuard, code: str, path: Path, display: str) -> bytes | Finding:
    """A user's file's bytes (`file_bytes`), or why its link leads nowhere as the format's
    finding `code` at 1:1."""
    data = file_bytes(path, display)
    return guard.make(code, display, data) if isinstance(data, Msg) else data


def write_starting_file(output: Path, text: str) -> Path:
    """Write a starting file (`outcome new`, `fund new`) at `output`: never over a file or a
    link that is there (refused, naming it), and whole or not at all (a temporary file beside
    it, renamed)."""
    if output.exists() or output.is_symlink():
        raise ServiceError.of(
            N_("{path} already exists: not overwriting it (use --output)"), path=str(output)
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output)
    return output


def file_bytes(path: Path, display: str) -> bytes | Msg:
    """A user's file's bytes, or why its link leads nowhere (the caller's finding, at 1:1);
    a file that cannot be read is a usage error (exit 2) naming it as `display`."""
    from comunidad_cli.services.bylaws import link_problem

    link = link_problem(path)
    if link is not None:
        return link
    try:
        return path.read_bytes()
    except OSError as error:
        raise unreadable(display, error) from error
