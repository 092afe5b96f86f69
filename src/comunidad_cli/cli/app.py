"""The root `comunidad` command: global options and one sub-app per domain."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli import __version__, i18n
from comunidad_cli.cli import bylaws, db, meetings, workspace
from comunidad_cli.cli._common import STATE, ComunidadCommand, ComunidadGroup
from comunidad_cli.i18n import _

app = typer.Typer(
    name="comunidad",
    cls=ComunidadGroup,
    help=_(
        "Governance and grant administration for community partnerships: by-laws, meetings,"
        " votes, grants and competitive funds."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"comunidad {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            metavar="LOCALE",
            help=_(
                "Language and formats, e.g. es, es_CL, ca_ES, en (default: COMUNIDAD_LOCALE, comunidad.toml, LANG)."
            ),
            show_default=False,
        ),
    ] = None,
    workspace_dir: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            metavar="DIR",
            help=_("Workspace folder (default: the nearest comunidad.toml above this folder)."),
            envvar="COMUNIDAD_WORKSPACE",
            show_default=False,
        ),
    ] = None,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help=_(
                "Database URL (SQLAlchemy), e.g. sqlite:///other.db (default: comunidad.db in the workspace)."
            ),
            envvar="COMUNIDAD_DB",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help=_("Show the version and exit."), callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    STATE.workspace = workspace_dir
    STATE.db = db_url
    # Messages follow --locale even when the process was started with another one.
    from comunidad_cli.cli import select_locale

    if locale is not None:
        i18n.activate(i18n.resolve(locale, os.environ))
    else:
        i18n.activate(select_locale(["--workspace", str(workspace_dir)] if workspace_dir else []))


app.add_typer(bylaws.app, name="bylaws")
app.add_typer(db.app, name="db")
app.add_typer(meetings.meeting_app, name="meeting")
app.add_typer(meetings.motion_app, name="motion")
app.command(
    "init",
    cls=ComunidadCommand,
    help=_("Create a workspace: comunidad.toml, a by-laws file from a template, and the database."),
)(workspace.init)
app.command(
    "demo",
    cls=ComunidadCommand,
    help=_("Run the demo in a throwaway workspace: by-laws checked, shown and amended."),
)(workspace.demo)
