"""`comunidad fund acta|results|letters`: a round's outputs in the reader's language, the
award record (acta de adjudicación), the public results and a letter per applicant. Thin:
read through `services/funds/outputs.py`, draw with `render/funds.py` (the acta) and
`render/fund_results.py` (results and letters)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    database_url,
    fail,
    info,
    print_json,
    write_stdout,
)
from comunidad_cli.cli.funds.evaluation import _bylaws_folder
from comunidad_cli.cli.funds.round import fund_app
from comunidad_cli.cli.meetings.common import JsonOption
from comunidad_cli.i18n import _, ngettext

RoundArgument = Annotated[
    str, typer.Argument(metavar="ROUND", help=_("The round's id."), show_default=False)
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=_("Write it to FILE (atomically; an existing file only with --force)."),
        show_default=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help=_("Replace existing files."))]


def _emit(text: str, output: Path | None, force: bool) -> None:
    """Print `text`, or write it to `output` (refused when it exists, unless --force)."""
    if output is None:
        write_stdout(text)
        return
    from comunidad_cli.services.funds.outputs import write_files

    write_files([(output, text)], force=force)
    info(_("Wrote {path}.").format(path=output))


@fund_app.command(
    "acta",
    cls=ComunidadCommand,
    help=_(
        "The award record (acta de adjudicación) of a round's proposal: the round, the meeting"
        " and motion, the ranking with scores and tie-breaks, what each application got and"
        " why, the applications not admissible, the reviewers and their recusals. Default: the"
        " proposal that stands, else the latest (marked as not yet adopted)."
    ),
)
def acta(
    round_key: RoundArgument,
    award: Annotated[
        str | None,
        typer.Option(
            "--award",
            metavar="KEY",
            help=_("The proposal (see fund awards)."),
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help=_("md (Markdown) or html."))
    ] = "md",
    output: OutputOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
    place: Annotated[
        str | None,
        typer.Option(
            "--place",
            metavar="PLACE",
            help=_("Where the letters are written (the commune, the town), before the date."),
            show_default=False,
        ),
    ] = None,
) -> None:
    if output_format not in ("md", "html"):
        fail(_("--format is md or html"), 2)
    from comunidad_cli.services.errors import typed_text

    place = None if place is None else typed_text(place, "--place")
    from comunidad_cli.i18n import current_language
    from comunidad_cli.render import funds as doc
    from comunidad_cli.render.minutes import to_html, to_markdown
    from comunidad_cli.services.funds.outputs import round_outputs
    from comunidad_cli.services.minutes import minutes_data

    url = database_url()
    found = round_outputs(url, round_key, award, bylaws_folder=_bylaws_folder())
    minutes = None if found.meeting is None else minutes_data(url, found.meeting)
    if as_json:
        print_json(doc.acta_json(found, minutes))
        return
    blocks = doc.acta_blocks(found, minutes)
    text = to_html(blocks, current_language()) if output_format == "html" else to_markdown(blocks)
    _emit(text, output, force)


@fund_app.command(
    "results",
    cls=ComunidadCommand,
    help=_(
        "The public results of a round's award that stands: every application's organisation,"
        " project, priority, admissibility, place, score, amount asked and awarded, outcome;"
        " no reviewer's name or score."
    ),
)
def results(
    round_key: RoundArgument,
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help=_("md (Markdown), csv or json."))
    ] = "md",
    output: OutputOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    if output_format not in ("md", "csv", "json"):
        fail(_("--format is md, csv or json"), 2)
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.render import fund_results as doc
    from comunidad_cli.render.minutes import to_markdown
    from comunidad_cli.services.exports import dumps_json
    from comunidad_cli.services.funds.outputs import round_outputs
    from comunidad_cli.services.imports.engine import decimal_mark_for

    found = round_outputs(
        database_url(), round_key, standing_only=True, bylaws_folder=_bylaws_folder()
    )
    if as_json or output_format == "json":
        text = dumps_json(doc.results_json(found)) + "\n"
    elif output_format == "csv":
        # a byte order mark in a file, as `export` writes one, so spreadsheets read UTF-8
        mark = decimal_mark_for(current_locale())
        text = ("\ufeff" if output is not None else "") + doc.results_csv(found, mark)
    else:
        text = to_markdown(doc.results_blocks(found))
    _emit(text, output, force)


@fund_app.command(
    "letters",
    cls=ComunidadCommand,
    help=_(
        "Write a letter to each applicant of a round's award that stands, one file per"
        " application (named by its id): its result, its score per criterion (the reviewers'"
        " mean), the appeal window or the reports it owes. Never overwrites without --force."
    ),
)
def letters(
    round_key: RoundArgument,
    folder: Annotated[
        Path,
        typer.Option("--dir", metavar="DIR", help=_("The folder to write the letters in.")),
    ],
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help=_("md (Markdown) or html."))
    ] = "md",
    force: ForceOption = False,
    as_json: JsonOption = False,
    place: Annotated[
        str | None,
        typer.Option(
            "--place",
            metavar="PLACE",
            help=_("Where the letters are written (the commune, the town), before the date."),
            show_default=False,
        ),
    ] = None,
) -> None:
    if output_format not in ("md", "html"):
        fail(_("--format is md or html"), 2)
    from comunidad_cli import clock
    from comunidad_cli.i18n import current_language
    from comunidad_cli.render import fund_results as doc
    from comunidad_cli.render.minutes import to_html, to_markdown
    from comunidad_cli.services.funds.outputs import round_outputs, write_files

    found = round_outputs(
        database_url(), round_key, standing_only=True, bylaws_folder=_bylaws_folder()
    )
    files = []
    for line in found.lines:
        blocks = doc.letter_blocks(found, line, written_on=clock.today(), place=place)
        text = (
            to_html(blocks, current_language()) if output_format == "html" else to_markdown(blocks)
        )
        files.append((folder / f"{line.application}.{output_format}", text))
    write_files(files, force=force)
    if as_json:
        print_json(
            [
                {"application": line.application, "outcome": line.outcome, "file": str(path)}
                for line, (path, _text) in zip(found.lines, files, strict=True)
            ]
        )
        return
    info(
        ngettext(
            "Wrote {count} letter in {folder}.", "Wrote {count} letters in {folder}.", len(files)
        ).format(count=len(files), folder=folder)
    )
