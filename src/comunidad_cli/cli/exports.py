"""`comunidad export payments|subcontracts`: CSV or JSON, safe to open in a spreadsheet.

The Typer app `export_app`, registered by cli/app.py as `export`. The rules (which cells
are neutralised, how numbers are written) are in services/exports.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    cannot_write,
    command_group,
    database_url,
    fail,
    info,
    value_option,
    write_stdout,
)
from comunidad_cli.i18n import _, ngettext

export_app = command_group(
    _(
        "Export payments or subcontracts as CSV or JSON. CSV follows your locale's number"
        " format, and text cells that a spreadsheet would run as a formula are neutralised."
    )
)

FormatOption = Annotated[
    str,
    typer.Option("--format", metavar="FORMAT", help=_("csv or json.")),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=_("Write to FILE (CSV with a BOM, as Excel expects) instead of standard output."),
        show_default=False,
    ),
]

HeadersOption = Annotated[
    str | None,
    value_option(
        "--headers",
        "LANG",
        _(
            "The CSV's column names: en for the stable English names (for scripts), es or ca;"
            " by default, your language's."
        ),
    ),
]


def _export(kind: str, file_format: str, output: Path | None, headers: str | None) -> None:
    from comunidad_cli.i18n import LANGUAGES, current_language, current_locale
    from comunidad_cli.services.exports import export
    from comunidad_cli.services.imports.engine import decimal_mark_for

    language = current_language() if headers is None else headers.strip().lower()
    if language not in LANGUAGES:
        fail(
            _('--headers: "{value}" is not one of: {choices}').format(
                value=headers, choices=", ".join(LANGUAGES)
            ),
            code=2,
        )
    text, count = export(
        database_url(),
        kind,
        file_format,
        decimal_mark=decimal_mark_for(current_locale()),
        headers=language,
    )
    if output is None:
        write_stdout(text)
        return
    bom = "\ufeff" if file_format.lower() == "csv" else ""
    try:
        output.write_text(bom + text, encoding="utf-8", newline="")
    except OSError as problem:
        cannot_write(output, problem)
    info(
        ngettext("Wrote {count} row to {path}.", "Wrote {count} rows to {path}.", count).format(
            count=count, path=output
        )
    )


@export_app.command(
    "payments",
    cls=ComunidadCommand,
    help=_(
        "Every payment line: payment, subcontract, period, date, status, category, amount (the"
        " columns of import payments)."
    ),
)
def export_payments(
    file_format: FormatOption = "csv",
    output: OutputOption = None,
    headers: HeadersOption = None,
) -> None:
    _export("payments", file_format, output, headers)


@export_app.command(
    "subcontracts",
    cls=ComunidadCommand,
    help=_("Every subcontract: grant, partner, status, period, obligated, spent, paid, balance."),
)
def export_subcontracts(
    file_format: FormatOption = "csv",
    output: OutputOption = None,
    headers: HeadersOption = None,
) -> None:
    _export("subcontracts", file_format, output, headers)
