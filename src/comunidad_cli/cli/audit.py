"""`comunidad audit list`: the audit log, with who made each change."""

from __future__ import annotations

from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    command_group,
    database_url,
    info,
    value_option,
    write_stdout,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _

#: The actions the log records, translated in the text (the JSON keeps these stable words).
_ACTIONS = {
    "create": N_("create"),
    "update": N_("update"),
    "delete": N_("delete"),
    "upgrade": N_("upgrade"),
    "import": N_("import"),
    "grant": N_("grant of rights"),
    "copy": N_("copy"),
}

audit_app = command_group(_("The audit log: every change, when, by whom."))


@audit_app.callback()
def _group() -> None:
    """Keeps `audit` a group with `list` under it (Typer flattens one-command apps)."""


@audit_app.command(
    "list",
    cls=ComunidadCommand,
    help=_(
        "List the audit log, oldest first: when, who (--by, COMUNIDAD_ACTOR or the OS user),"
        " the command, what it did and to which record."
    ),
)
def audit_list(
    entity: Annotated[
        str | None,
        value_option(
            "--entity",
            "KIND",
            _("Only changes to this kind of record, e.g. person, payment, minutes."),
        ),
    ] = None,
    entity_id: Annotated[
        str | None, value_option("--id", "ID", _("Only changes to the record with this id."))
    ] = None,
    last: Annotated[
        int | None,
        typer.Option(
            "--last", metavar="N", min=1, help=_("Only the N latest changes."), show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.cli.directory import print_json
    from comunidad_cli.i18n import format_datetime, translated
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services.audit_log import list_events

    events = list_events(database_url(), entity=entity, entity_id=entity_id, last=last)
    if as_json:
        print_json([e.as_json() for e in events])
        return
    if not events:
        info(_("No changes recorded."))
        return
    unknown = _("unknown")
    write_stdout(
        plain_table(
            [_("WHEN"), _("WHO"), _("COMMAND"), _("ACTION"), _("RECORD"), _("ID")],
            [
                [
                    format_datetime(e.at, "short"),
                    e.actor if e.actor is not None else unknown,
                    e.command,
                    translated(_ACTIONS[e.action]) if e.action in _ACTIONS else e.action,
                    e.entity,
                    e.entity_id or "",
                ]
                for e in events
            ],
            whole=(0, 5),  # the time, and the id a person copies to look the record up
            width=terminal_width(),
        )
    )
