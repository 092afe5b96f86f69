"""`comunidad outcome` itself and its indicator files: `outcome new` writes the shipped set,
`outcome check` checks files the way `bylaws check` does (the same formats, flags and exit
codes; silent when clean). The data commands add themselves in `cli/outcomes/data.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    StrictOption,
    command_group,
    current_workspace,
    info,
    paths_argument,
    write_stdout,
)
from comunidad_cli.cli.bylaws import (
    CheckJsonOption,
    FormatOption,
    VerboseOption,
    check_files,
    check_format,
    given_or_folder,
)
from comunidad_cli.i18n import _

outcome_app = command_group(
    _(
        "Outcomes for children and families: indicator files, the aggregated counts imported"
        " for them, rates, disparities between groups."
    )
)


def _folder() -> Path:
    from comunidad_cli.services.outcomes.files import FOLDER

    workspace = current_workspace(required=False)
    return workspace.root / FOLDER if workspace is not None else Path(FOLDER)


@outcome_app.command(
    "new",
    cls=ComunidadCommand,
    help=_(
        "Write the Family to Family indicators (es, en, ca), commented, as a starting file"
        " that passes outcome check (default: outcomes/familia-a-familia.toml); never overwrites."
    ),
)
def new(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Where to write it; - for standard output (default:"
                " outcomes/familia-a-familia.toml)."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.outcomes.files import TEMPLATE, starting_text, write_new

    if output is not None and str(output) == "-":
        write_stdout(starting_text())
        return
    path = write_new(output or _folder() / f"{TEMPLATE}.toml")
    info(_('Wrote {path}: edit it, then run "comunidad outcome check {path}".').format(path=path))


@outcome_app.command(
    "check",
    cls=ComunidadCommand,
    help=_(
        "Check indicator files and folders: every finding in every file, as path:line:col."
        " Exit 0 clean (warnings allowed), 1 findings, 2 usage error."
    ),
)
def check(
    paths: Annotated[
        list[Path] | None,
        paths_argument(_("Files or folders (default: the workspace's outcomes/).")),
    ] = None,
    output_format: FormatOption = None,
    strict: StrictOption = False,
    verbose: VerboseOption = False,
    as_json: CheckJsonOption = False,
) -> None:
    from comunidad_cli.core.indicators.codes import CODES
    from comunidad_cli.services.outcomes.files import check_paths

    chosen = check_format(output_format, as_json)
    missing = _("no paths given and no outcomes/ folder here: name the files or folders to check")
    given = given_or_folder(paths, _folder, missing)
    check_files(given, check_paths, chosen, strict, verbose, CODES)
