"""Indicator files on disk (`outcomes/*.toml` in the workspace): read, checked with
positions as `bylaws check` does, and the shipped Family to Family set written as a
starting file; the I/O around `core/indicators/model.py`.

Everything a file can be instead of good TOML (a broken link, binary, not UTF-8, empty,
huge, nested too deep) is a finding (OC0xx) here, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from comunidad_cli.core.findings import Finding, Severity
from comunidad_cli.core.indicators.codes import CODES
from comunidad_cli.core.indicators.model import Indicator, read_indicators
from comunidad_cli.core.messages import N_
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.toml_files import (
    FileGuard,
    check_document,
    file_finding,
    read_bytes,
    write_starting_file,
)

MAX_BYTES = 1024 * 1024
#: Where indicators live: `outcomes/` in the workspace, beside `bylaws/`.
FOLDER = "outcomes"
#: The shipped set (es/en/ca), what `outcome new` writes.
TEMPLATE = "familia-a-familia"


@dataclass(frozen=True, slots=True)
class IndicatorFile:
    """One indicators file checked: its findings, and its indicators when it has no errors."""

    path: str
    findings: tuple[Finding, ...]
    indicators: tuple[Indicator, ...]
    sha256: str


_file_finding = file_finding(lambda code: CODES[code].severity)


_GUARD = FileGuard(
    make=_file_finding,
    too_large="OC004",
    too_large_text=N_("file is too large ({size} bytes): indicator files are limited to {limit}"),
    binary="OC005",
    binary_text=N_("binary file (it contains NUL bytes), not a TOML indicators file"),
    not_utf8="OC002",
    empty="OC003",
    empty_text=N_('file is empty: write the indicators with "comunidad outcome new"'),
    too_deep="OC006",
    syntax="OC001",
    max_bytes=MAX_BYTES,
)


def check_bytes(data: bytes, display: str) -> IndicatorFile:
    """Every finding of one indicators file's content, located at `file:line:col`."""
    findings, indicators, digest = check_document(_GUARD, data, display, read_indicators)
    return IndicatorFile(display, findings, tuple(indicators or ()), digest)


def check_file(path: Path, display: str | None = None) -> IndicatorFile:
    shown = display if display is not None else str(path)
    data = read_bytes(_GUARD, "OC007", path, shown)
    if isinstance(data, Finding):
        return IndicatorFile(shown, (data,), (), "")
    return check_bytes(data, shown)


def _twice(results: list[IndicatorFile]) -> list[IndicatorFile]:
    """An indicator id defined in two files (OC110): data names indicators by id, so each
    file after the first that defines it gets the finding, at its table."""
    first: dict[str, str] = {}
    out: list[IndicatorFile] = []
    for result in results:
        extra: list[Finding] = []
        kept: list[Indicator] = []
        for indicator in result.indicators:
            if indicator.id in first:
                extra.append(
                    _file_finding(
                        "OC110",
                        result.path,
                        N_("indicator {id} is also defined in {other}: ids name one indicator"),
                        id=indicator.id,
                        other=first[indicator.id],
                    )
                )
            else:
                first[indicator.id] = result.path
                kept.append(indicator)
        if extra:
            findings = tuple(sorted((*result.findings, *extra), key=lambda f: f.sort_key))
            result = replace(result, findings=findings, indicators=())
        out.append(result)
    return out


def check_paths(paths: Sequence[Path]) -> list[IndicatorFile]:
    """Every indicators file named or under a folder named (the by-laws' way of collecting),
    an id defined in two of them said once."""
    from comunidad_cli.services.bylaws import collect_files

    return _twice([check_file(path) for path in collect_files(paths)])


def workspace_indicators(root: Path | None) -> Mapping[str, Indicator]:
    """The indicators of a workspace's `outcomes/` (id -> indicator), refusing when a file
    has errors: data is only read or imported against indicators that are checked."""
    folder = (root if root is not None else Path.cwd()) / FOLDER
    if not folder.is_dir():
        raise ServiceError.of(
            N_(
                'no {folder}/ folder in the workspace: write the indicators with "comunidad'
                ' outcome new" first'
            ),
            folder=FOLDER,
        )
    results = check_paths([folder])
    for result in results:
        bad = [f for f in result.findings if f.severity is Severity.ERROR]
        if bad:
            raise ServiceError.of(
                N_(
                    '{file}: {code}: the indicators have errors: run "comunidad outcome check"'
                    " and fix them first"
                ),
                file=f"{result.path}:{bad[0].line}:{bad[0].col}",
                code=bad[0].code,
            )
    return {i.id: i for r in results for i in r.indicators}


def starting_text() -> str:
    """The shipped Family to Family indicators, in es, en and ca: they pass `outcome check
    --strict`."""
    from importlib import resources

    return (
        resources.files("comunidad_cli.templates")
        .joinpath("outcomes", f"{TEMPLATE}.toml")
        .read_text("utf-8")
    )


def write_new(output: Path) -> Path:
    """Write the starting file at `output`, refusing to overwrite (nothing half-written)."""
    return write_starting_file(output, starting_text())
