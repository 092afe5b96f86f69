"""`comunidad fund new` and `comunidad fund check`: the round file, written and checked the
way `bylaws new` and `bylaws check` write and check by-laws (the same formats, flags and
exit codes; silent when clean)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    ComunidadGroup,
    StrictOption,
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

fund_app = typer.Typer(
    cls=ComunidadGroup,
    help=_("Competitive funds (fondos concursables): round files, written and checked."),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

#: Where rounds live: `fondos/` in the workspace, beside `bylaws/`.
FOLDER = "fondos"


def _folder() -> Path:
    workspace = current_workspace(required=False)
    return workspace.root / FOLDER if workspace is not None else Path(FOLDER)


@fund_app.command(
    "new",
    cls=ComunidadCommand,
    help=_(
        "Write a commented starting round file that passes fund check (default:"
        " fondos/ID.toml); never overwrites."
    ),
)
def new(
    round_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help=_("The round's id, e.g. 2026-barrio-activo."), show_default=False
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help=_("The round's name, as typed (in every language)."), show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_("Where to write it; - for standard output (default: fondos/ID.toml)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli import clock
    from comunidad_cli.services.funds.round_files import (
        bylaws_bodies,
        new_text,
        starting_body,
        write_new,
    )

    # In a workspace, the file names one of its by-laws' bodies and its currency, so that it
    # passes `fund check` there as it is (the shipped file is a directorio's, in pesos).
    workspace = current_workspace(required=False)
    body = currency = None
    if workspace is not None:
        body = starting_body(bylaws_bodies(workspace.bylaws_dir, clock.today()))
        currency = workspace.currency or None
    if output is not None and str(output) == "-":
        write_stdout(new_text(round_id, name, body, currency))
        return
    path = write_new(round_id, name, output or _folder() / f"{round_id}.toml", body, currency)
    info(_('Wrote {path}: edit it, then run "comunidad fund check {path}".').format(path=path))


@fund_app.command(
    "check",
    cls=ComunidadCommand,
    help=_(
        "Check round files and folders: every finding in every file, as path:line:col. Exit 0"
        " clean (warnings allowed), 1 findings, 2 usage error."
    ),
)
def check(
    paths: Annotated[
        list[Path] | None, paths_argument(_("Files or folders (default: the workspace's fondos/)."))
    ] = None,
    output_format: FormatOption = None,
    strict: StrictOption = False,
    verbose: VerboseOption = False,
    as_json: CheckJsonOption = False,
) -> None:
    from comunidad_cli import clock
    from comunidad_cli.core.funds.codes import CODES
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.funds.round_files import bylaws_bodies, check_paths
    from comunidad_cli.services.imports.engine import decimal_mark_for

    chosen = check_format(output_format, as_json)
    given = given_or_folder(
        paths,
        _folder,
        _("no paths given and no fondos/ folder here: name the files or folders to check"),
    )
    workspace = current_workspace(required=False)
    bodies = bylaws_bodies(workspace.bylaws_dir, clock.today()) if workspace is not None else None
    mark = decimal_mark_for(current_locale())
    check_files(given, lambda ps: check_paths(ps, bodies, mark), chosen, strict, verbose, CODES)
