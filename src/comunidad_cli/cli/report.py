"""`comunidad report --html`: the board report of a period, one printable HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    PeriodFromOption,
    PeriodToOption,
    cannot_write,
    current_workspace,
    database_url,
    fail,
    info,
    period_of,
    write_stdout,
)
from comunidad_cli.i18n import _


def report(
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help=_("An HTML page: self-contained, printable, with charts and their text."),
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=_("Write to FILE instead of standard output."),
            show_default=False,
        ),
    ] = None,
    start: PeriodFromOption = None,
    end: PeriodToOption = None,
) -> None:
    from comunidad_cli import clock
    from comunidad_cli.i18n import current_language
    from comunidad_cli.render.report import board_html
    from comunidad_cli.services.report import board_report

    if not html:
        fail(_("say the report's format: --html (the only one for now)"), 2)
    today = clock.today()
    first, last = period_of(start, end)
    workspace = current_workspace()
    assert workspace is not None
    data = board_report(database_url(), first, last, workspace.root)
    page = board_html(data, workspace.name, today, current_language())
    if output is None:
        write_stdout(page)
        return
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as problem:
        cannot_write(output, problem)
    info(_("Wrote the report to {path}.").format(path=output))
