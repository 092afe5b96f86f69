"""Reading by-laws files from disk and checking them: the I/O around the pure linter.

Everything a file can be instead of good TOML (missing, a directory, binary, not UTF-8,
empty, huge) becomes a finding or a usage error here, never a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from comunidad_cli.core import tomlpos
from comunidad_cli.core.bylaws.codes import CODES
from comunidad_cli.core.bylaws.lint import Context, check_document
from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.findings import Finding
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.os_errors import os_reason
from comunidad_cli.services.errors import ServiceError, unreadable
from comunidad_cli.services.toml_files import (
    file_finding,
    located,
    not_utf8,
    position_of_offset,
    syntax_error,
    too_deep,
)

MAX_BYTES = 1024 * 1024
SUFFIX = ".toml"


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    findings: tuple[Finding, ...]
    model: Bylaws | None = None
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class CheckReport:
    files: tuple[FileResult, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def files_checked(self) -> int:
        return len(self.files)


_file_finding = file_finding(lambda code: CODES[code].severity)


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB" if size >= 1024 * 1024 else f"{size} B"


def read_document(
    path: Path, display: str
) -> tuple[str | None, dict[str, Any] | None, list[Finding], str]:
    """Text, parsed document and file-level findings (BL001-BL007) of one file."""
    link = link_problem(path)
    if link is not None:
        finding = Finding("BL007", CODES["BL007"].severity, link).located(display, 1, 1)
        return None, None, [finding], ""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return (
                None,
                None,
                [
                    _file_finding(
                        "BL004",
                        display,
                        N_("file is too large ({size}): by-laws files are limited to {limit}"),
                        size=_human_size(size),
                        limit=_human_size(MAX_BYTES),
                    )
                ],
                "",
            )
        data = path.read_bytes()
    except OSError as error:
        raise unreadable(display, error) from error
    digest = hashlib.sha256(data).hexdigest()
    if b"\x00" in data:
        line, col = position_of_offset(data, data.index(b"\x00"))
        return (
            None,
            None,
            [
                _file_finding(
                    "BL005",
                    display,
                    N_("binary file (it contains NUL bytes), not a TOML by-laws file"),
                    line,
                    col,
                )
            ],
            digest,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, None, [not_utf8(_file_finding, "BL002", display, data, error)], digest
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return (
            text,
            None,
            [
                _file_finding(
                    "BL003",
                    display,
                    N_("file is empty: a by-laws file needs at least schema, id and name"),
                )
            ],
            digest,
        )
    try:
        document = tomlpos.loads(text)
    except tomllib.TOMLDecodeError as error:
        return text, None, [syntax_error(_file_finding, "BL001", display, error)], digest
    except tomlpos.TooDeep as error:
        return text, None, [too_deep(_file_finding, "BL006", display, error)], digest
    return text, document, [], digest


def check_file(path: Path, today: date, display: str | None = None) -> FileResult:
    """All findings of one file, located at `file:line:col`."""
    shown = display if display is not None else str(path)
    text, document, findings, digest = read_document(path, shown)
    if document is None or text is None:
        return FileResult(shown, tuple(findings), None, digest)
    model, semantic = check_document(document, Context(today=today))
    findings.extend(located(text, semantic, shown))
    findings.sort(key=lambda f: f.sort_key)
    return FileResult(shown, tuple(findings), model, digest)


def link_problem(path: Path) -> Msg | None:
    """Why a symbolic link leads to no file (a loop, or a missing target); None otherwise.

    `Path.exists()` and `is_file()` answer False for both, which made a looping link look
    like a missing file, or vanish from a folder's listing without a word.
    """
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Msg.of(
                N_("symbolic link loop: {path} leads back to itself; fix or remove the link"),
                path=str(path),
            )
        if path.is_symlink():
            return Msg.of(
                N_("broken symbolic link: {path} points to {target}, which does not exist"),
                path=str(path),
                target=str(os.readlink(path)),
            )
    return None


def collect_files(paths: Sequence[Path], *, recursive: bool = True) -> list[Path]:
    """Files named, and *.toml files under directories named (hidden folders skipped), or
    only in them (not `recursive`: capacity instruments).

    A path that does not exist is a usage error (exit 2), as in ruff; so is a named link
    that loops or leads nowhere, said as such. Under a folder such a link is kept, so that
    `check_file` reports it (BL007, CI006) while every other file is still checked.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            under = path.rglob(f"*{SUFFIX}") if recursive else path.glob(f"*{SUFFIX}")
            for found in sorted(under):
                relative = found.relative_to(path).parts
                if recursive and any(part.startswith(".") for part in relative):
                    continue
                if found.is_file() or link_problem(found) is not None:
                    files.append(found)
        elif path.exists():
            files.append(path)
        else:
            link = link_problem(path)
            if link is not None:
                raise ServiceError(link, exit_code=2)
            raise ServiceError.of(
                N_("no such file or directory: {path}"), exit_code=2, path=str(path)
            )
    return files


def check_paths(paths: Sequence[Path], today: date) -> CheckReport:
    """Check every file under `paths`, collecting every finding before returning."""
    results = [check_file(path, today) for path in collect_files(paths)]
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    return CheckReport(tuple(results), tuple(findings))


def errors_of(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def load_valid(path: Path, today: date) -> FileResult:
    """A file that must be free of errors to be used (show, diff, the database)."""
    result = check_file(path, today)
    errors = errors_of(result.findings)
    if errors or result.model is None:
        first = errors[0] if errors else None
        raise ServiceError.of(
            N_(
                '{path} has errors ({count}), the first at line {line}: run "comunidad bylaws check {path}"'
            ),
            path=result.path,
            count=len(errors),
            line=first.line if first else 1,
        )
    return result


def find_by_id(directory: Path, bylaws_id: str) -> Path | None:
    """The file in `directory` whose `id` (or file stem) is `bylaws_id`."""
    if not directory.is_dir():
        return None
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        if path.stem == bylaws_id:
            return path
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        document = _readable(path)
        if document is not None and document.get("id") == bylaws_id:
            return path
    return None


def _readable(path: Path) -> dict[str, Any] | None:
    """The TOML document in `path`, or None when it cannot be read as one at all (too big,
    not UTF-8, not TOML, nested too deep, a link that loops): `bylaws check` reports those."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return tomlpos.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, tomlpos.TooDeep):
        return None


def in_workspace(folder: Path, bylaws_id: str | None, today: date) -> FileResult:
    """The valid by-laws a command works under: the one named, or the only one there is."""
    if bylaws_id is not None:
        path = find_by_id(folder, bylaws_id)
        if path is None:
            raise ServiceError.of(
                N_('no by-laws with id "{id}" in {folder}'), id=bylaws_id, folder=str(folder)
            )
        return load_valid(path, today)
    # A file that is not even TOML (nested hundreds deep, a looping link, ...) is no one's
    # by-laws: `bylaws check` reports it, and it does not make the choice ambiguous.
    found = sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []
    candidates = [path for path in found if _readable(path) is not None] or found
    if len(candidates) == 1:
        return load_valid(candidates[0], today)
    if not candidates:
        raise ServiceError.of(
            N_('no by-laws in {folder}: write one with "comunidad bylaws new"'), folder=str(folder)
        )
    raise ServiceError.of(
        N_("{count} by-laws files in {folder}: name one with --bylaws ID"),
        count=len(candidates),
        folder=str(folder),
    )


def upgrade_file(path: Path, output: Path | None, in_place: bool) -> tuple[str, bool]:
    """The schema-2 text of the by-laws file `path` (and whether it was schema 2 already),
    written to `output` (never over an existing file) or back to `path` with `in_place`.
    With neither, nothing is written: the caller prints the text."""
    from comunidad_cli.core.bylaws.upgrade import upgrade_text

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        raise ServiceError.of(
            N_("cannot read {path}: {reason}"), exit_code=2, path=str(path), reason=reason
        ) from error
    result = upgrade_text(text)
    if result.already:
        return text, True
    if result.text is None:
        assert result.problem is not None
        raise ServiceError.of(
            N_("{path}: {problem}; nothing was written"), path=str(path), problem=result.problem
        )
    target = path if in_place else output
    if target is None:
        return result.text, False
    if not in_place and target.exists():
        raise ServiceError.of(
            N_("{path} already exists: not overwriting it (choose another --output)"),
            path=str(target),
        )
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(result.text, encoding="utf-8")
    temporary.replace(target)
    return result.text, False
