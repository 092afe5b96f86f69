"""Round files on disk (`fondos/*.toml` beside the by-laws): read, checked with positions,
and a commented starting file written; the I/O around `core/funds/checks.py`.

Everything a file can be instead of good TOML (a broken link, binary, not UTF-8, empty,
huge, nested too deep) is a finding (FD0xx) here, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from comunidad_cli.core.findings import Finding
from comunidad_cli.core.funds.codes import CODES
from comunidad_cli.core.funds.round import Round
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
SUFFIX = ".toml"
FOLDER = "fondos"


@dataclass(frozen=True, slots=True)
class RoundFile:
    """One round file checked: its findings, and the round when it has no errors."""

    path: str
    findings: tuple[Finding, ...]
    round: Round | None
    sha256: str


_file_finding = file_finding(lambda code: CODES[code].severity)


def _currency_digits(code: str) -> int | None:
    """Babel's decimals for an ISO 4217 code (CLP 0, EUR 2), None for no currency."""
    from babel.numbers import get_currency_precision, is_currency

    if not is_currency(code):
        return None
    return int(get_currency_precision(code))


def context(bodies: tuple[str, ...] | None = None, decimal_mark: str | None = None) -> Any:
    """What the checks need beyond the file: currencies' decimals, the organisation kinds,
    the by-laws' bodies when known, the reader's decimal mark when known."""
    from comunidad_cli.core.funds.checks import Context
    from comunidad_cli.services.directory import ORG_KINDS

    return Context(
        currency_digits=_currency_digits,
        org_kinds=ORG_KINDS,
        bodies=bodies,
        decimal_mark=decimal_mark,
    )


def bylaws_bodies(folder: Path, today: date) -> tuple[str, ...] | None:
    """The bodies of the valid by-laws in `folder` (a workspace's bylaws/), or None when
    there are none to judge by: `bylaws check` reports by-laws with errors, not this."""
    from comunidad_cli.services.bylaws import check_paths as check_bylaws

    if not folder.is_dir():
        return None
    models = [
        r.model
        for r in check_bylaws([folder], today).files
        if r.model is not None and not any(f.severity == "error" for f in r.findings)
    ]
    if not models:
        return None
    return tuple(dict.fromkeys(body for model in models for body in model.bodies))


_GUARD = FileGuard(
    make=_file_finding,
    too_large="FD004",
    too_large_text=N_("file is too large ({size} bytes): round files are limited to {limit}"),
    binary="FD005",
    binary_text=N_("binary file (it contains NUL bytes), not a TOML round file"),
    not_utf8="FD002",
    empty="FD003",
    empty_text=N_('file is empty: write a round with "comunidad fund new ID"'),
    too_deep="FD006",
    syntax="FD001",
    max_bytes=MAX_BYTES,
)


def check_bytes(
    data: bytes,
    display: str,
    bodies: tuple[str, ...] | None = None,
    decimal_mark: str | None = None,
) -> RoundFile:
    """Every finding of one round file's content, located at `file:line:col`."""
    from comunidad_cli.core.funds.checks import check_round

    findings, model, digest = check_document(
        _GUARD, data, display, lambda document: check_round(document, context(bodies, decimal_mark))
    )
    return RoundFile(display, findings, model, digest)


def check_file(
    path: Path,
    display: str | None = None,
    bodies: tuple[str, ...] | None = None,
    decimal_mark: str | None = None,
) -> RoundFile:
    shown = display if display is not None else str(path)
    data = read_bytes(_GUARD, "FD007", path, shown)
    if isinstance(data, Finding):
        return RoundFile(shown, (data,), None, "")
    return check_bytes(data, shown, bodies, decimal_mark)


def check_paths(
    paths: Sequence[Path],
    bodies: tuple[str, ...] | None = None,
    decimal_mark: str | None = None,
) -> list[RoundFile]:
    """Every round file named or under a folder named (the by-laws' way of collecting);
    `bodies`, when known, those a round's `body` must be one of."""
    from comunidad_cli.services.bylaws import collect_files

    return [
        check_file(path, bodies=bodies, decimal_mark=decimal_mark) for path in collect_files(paths)
    ]


def starting_text(
    round_id: str, name: str | None, body: str | None = None, currency: str | None = None
) -> str:
    """A commented round file that passes `fund check`: the shipped starting round with
    this id (and name, in every language, when given), run by `body` and in `currency`
    when given (a workspace's own: the shipped file names a directorio's and pesos)."""
    from importlib import resources

    text = (
        resources.files("comunidad_cli.templates")
        .joinpath("fondos", "fondo.toml")
        .read_text("utf-8")
    )
    text = text.replace('id = "fondo"', f'id = "{round_id}"', 1)
    if body is not None:
        text = text.replace('body = "directorio"  ', f"body = {_basic_string(body)}", 1)
    if currency is not None:
        text = text.replace('currency = "CLP"', f"currency = {_basic_string(currency)}", 1)
    if name is not None:
        quoted = _basic_string(name)
        text = text.replace(
            '[name]\nes = "Fondo concursable"\nen = "Competitive fund"\nca = "Fons concursable"',
            f"[name]\nes = {quoted}\nen = {quoted}\nca = {quoted}",
            1,
        )
    return text


def _basic_string(text: str) -> str:
    """`text` as a TOML basic string, exactly as typed."""
    import json

    return json.dumps(text, ensure_ascii=False)


def new_text(
    round_id: str, name: str | None, body: str | None = None, currency: str | None = None
) -> str:
    """The starting file for `fund new`: the id a round id, the name text that can be kept
    as typed; else a refusal naming what to change."""
    from comunidad_cli.core.funds.round import ROUND_ID

    if not ROUND_ID.match(round_id):
        raise ServiceError.of(
            N_(
                '"{value}" is not a valid round id: use lower-case letters, digits, "_" and'
                ' "-", starting with a letter or a digit (2026-barrio-activo)'
            ),
            exit_code=2,
            value=round_id,
        )
    if name is not None:
        from comunidad_cli.services.errors import typed_text

        name = typed_text(name, "--name")
    return starting_text(round_id, name, body, currency)


def write_new(
    round_id: str,
    name: str | None,
    output: Path,
    body: str | None = None,
    currency: str | None = None,
) -> Path:
    """Write the starting file at `output`, refusing to overwrite (nothing half-written)."""
    return write_starting_file(output, new_text(round_id, name, body, currency))


def starting_body(bodies: tuple[str, ...] | None) -> str | None:
    """The body a workspace's starting round names: its by-laws' `directorio` where they have
    one (the body the shipped file is written for), else their first body; None outside a
    workspace (the shipped file's own)."""
    if not bodies or "directorio" in bodies:
        return None
    return bodies[0]


def round_of_text(content: str, key: str) -> Round:
    """The round a stored text of its file states: every stored text passed `fund check`
    when it was loaded, so a text that no longer does (a newer comunidad's stricter check)
    is a refusal naming the round, never a guess."""
    found = check_bytes(content.encode("utf-8"), f"{key}.toml").round
    if found is None:
        raise ServiceError.of(
            N_('round "{round}" has no valid file text stored: open it again'), round=key
        )
    return found
