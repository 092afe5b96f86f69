"""`comunidad init` (the demo is in `cli/demo.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli import i18n
from comunidad_cli.cli._common import info, value_option
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _


def init(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help=_("Folder for the workspace (created if missing).")),
    ] = Path("."),
    template: Annotated[
        str,
        typer.Option(
            "--template", "-t", help=_("By-laws to start from: partnership, directorio or xarxa.")
        ),
    ] = "partnership",
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            help=_("The workspace's language and formats (default: the current one)."),
            show_default=False,
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help=_("ISO currency code, e.g. EUR, CLP, USD (default: the locale's)."),
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help=_("Name of the workspace (default: the folder's)."), show_default=False
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        value_option(
            "--timezone",
            "ZONE",
            _(
                "Time zone of the workspace's times, an IANA name such as America/Santiago"
                " (default: the system's)."
            ),
        ),
    ] = None,
) -> None:
    from comunidad_cli.cli._common import STATE
    from comunidad_cli.services.database import display
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.services.workspace import init as init_workspace

    chosen_locale = i18n.current_locale()
    if locale is not None:
        normalized = i18n.normalize(locale)
        if normalized is None or i18n.language_of(normalized) != locale.strip()[:2].lower():
            raise ServiceError.of(
                N_(
                    '"{locale}" is not a locale comunidad speaks: use es, en or ca, e.g. es_CL, ca_ES, en_US'
                ),
                exit_code=2,
                locale=locale,
            )
        chosen_locale = normalized
    report = init_workspace(
        directory,
        template=template,
        locale=chosen_locale,
        currency=(currency or i18n.default_currency(chosen_locale)).upper(),
        name=name,
        db_url=STATE.db,
        timezone=timezone.strip() if timezone is not None else None,
    )
    if locale is not None:
        _speak_the_new_workspaces_language(chosen_locale)
    info(_("Created workspace {root}").format(root=report.root))
    info(_("  settings:  {path}").format(path=report.config))
    info(_("  by-laws:   {path}").format(path=report.bylaws_file))
    info(
        _("  database:  {url} (schema {revision})").format(
            url=display(report.database), revision=report.revision
        )
    )
    info(_("  time zone: {zone}").format(zone=report.timezone))
    if report.timezone_guessed:
        info(
            _(
                "note: the system does not name its time zone, so the workspace uses UTC; set"
                ' "timezone" in comunidad.toml (e.g. America/Santiago) if its times are elsewhere'
            )
        )
    info(_('Next: edit the by-laws, then run "comunidad bylaws check".'))


def _speak_the_new_workspaces_language(locale: str) -> None:
    """`init DIR --locale es_CL` answers in Spanish, as every command in DIR will (the
    workspace's locale comes before LANG), unless a global --locale or COMUNIDAD_LOCALE
    says otherwise."""
    import os

    from typer._click.globals import get_current_context

    if get_current_context().find_root().params.get("locale") is None and not os.environ.get(
        "COMUNIDAD_LOCALE"
    ):
        i18n.activate(locale)
