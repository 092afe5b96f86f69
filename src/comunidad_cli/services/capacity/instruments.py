"""Instruments on disk: a TOML file checked (syntax, shape, meaning) with positions, the
workspace's `instruments/` folder and the shipped ones, looked up by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from comunidad_cli.core.capacity.instrument import CODES, Instrument
from comunidad_cli.core.findings import Finding, Severity
from comunidad_cli.core.messages import N_
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.toml_files import (
    FileGuard,
    check_document,
    file_finding,
    read_bytes,
)

if TYPE_CHECKING:
    from comunidad_cli.services.workspace import Workspace

MAX_BYTES = 1024 * 1024
SUFFIX = ".toml"
FOLDER = "instruments"
SHIPPED = "shipped"


# --- instruments on disk ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstrumentFile:
    """One instrument file checked: its findings, and the model when it has no errors."""

    path: str
    findings: tuple[Finding, ...]
    instrument: Instrument | None
    sha256: str
    source: str = "file"  # "workspace", "shipped" or "file"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


_file_finding = file_finding(lambda code: CODES[code][0])


#: No check for NUL bytes of its own: a binary file is not TOML (CI001).
_GUARD = FileGuard(
    make=_file_finding,
    too_large="CI004",
    too_large_text=N_("file is too large ({size} bytes): instrument files are limited to {limit}"),
    binary=None,
    binary_text="",
    not_utf8="CI002",
    empty="CI003",
    empty_text=N_("file is empty: an instrument needs schema, id, name, scale and domains"),
    too_deep="CI005",
    syntax="CI001",
    max_bytes=MAX_BYTES,
)


def check_bytes(data: bytes, display: str, source: str = "file") -> InstrumentFile:
    """Every finding of one instrument file's content, located at `file:line:col`."""
    from comunidad_cli.core.capacity.instrument import check_instrument

    findings, instrument, digest = check_document(_GUARD, data, display, check_instrument)
    return InstrumentFile(display, findings, instrument, digest, source)


def check_file(path: Path, display: str | None = None, source: str = "file") -> InstrumentFile:
    shown = display if display is not None else str(path)
    data = read_bytes(_GUARD, "CI006", path, shown)
    if isinstance(data, Finding):
        return InstrumentFile(shown, (data,), None, "", source)
    return check_bytes(data, shown, source)


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """Files named, and *.toml files in folders named (not below them), as `bylaws check`
    collects its files; a path that does not exist: exit 2."""
    from comunidad_cli.services.bylaws import collect_files as collect

    return collect(paths, recursive=False)


def check_paths(paths: Sequence[Path]) -> list[InstrumentFile]:
    return [check_file(path) for path in collect_files(paths)]


def instruments_dir(workspace: Workspace | None) -> Path | None:
    """The workspace's own instruments: `instruments/` beside `bylaws/`."""
    return workspace.root / FOLDER if workspace is not None else None


def _shipped() -> list[InstrumentFile]:
    from importlib import resources

    folder = resources.files("comunidad_cli.instruments")
    found = sorted((e for e in folder.iterdir() if e.name.endswith(SUFFIX)), key=lambda e: e.name)
    return [check_bytes(e.read_bytes(), f"{SHIPPED}:{e.name}", SHIPPED) for e in found]


def available(folder: Path | None) -> list[InstrumentFile]:
    """The workspace's instruments (valid or not), then the shipped ones it does not replace."""
    own = (
        [check_file(p, source="workspace") for p in sorted(folder.glob(f"*{SUFFIX}"))]
        if folder is not None and folder.is_dir()
        else []
    )
    ids = {f.instrument.id for f in own if f.instrument is not None}
    stems = {Path(f.path).stem for f in own}
    shipped = [
        f
        for f in _shipped()
        if f.instrument is not None and f.instrument.id not in ids and f.instrument.id not in stems
    ]
    return [*own, *shipped]


def find_instrument(instrument_id: str, folder: Path | None) -> InstrumentFile:
    """The valid instrument with this id (or file name), the workspace's first."""
    for candidate in available(folder):
        names = {Path(candidate.path).stem.removeprefix(f"{SHIPPED}:")}
        if candidate.instrument is not None:
            names.add(candidate.instrument.id)
        if instrument_id not in names:
            continue
        if candidate.instrument is None or candidate.errors:
            errors = candidate.errors
            raise ServiceError.of(
                N_(
                    '{path} has errors ({count}), the first at line {line}: run "comunidad'
                    ' capacity check {path}"'
                ),
                path=candidate.path,
                count=len(errors),
                line=errors[0].line if errors else 1,
            )
        return candidate
    raise ServiceError.of(
        N_('no capacity instrument with id "{id}": see "comunidad capacity instruments"'),
        id=instrument_id,
    )
