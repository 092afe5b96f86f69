"""What the meeting, motion and minutes commands share: the meeting and motion arguments,
`--person`, the `--at` and `--json` options,
JSON output and the values shown translated."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import JsonOption as JsonOption
from comunidad_cli.cli._common import value_option, write_stdout
from comunidad_cli.cli.completion import complete_meeting, complete_motion, complete_person
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _

# Values shown translated; marked here so that the catalogs carry them.
_VALUES = (
    N_("regular"),
    N_("special"),
    N_("cast"),
    N_("present"),
    N_("members"),
    N_("adopted"),
    N_("rejected"),
)

AtOption = Annotated[
    str | None,
    value_option(
        "--at", "TIME", _("When: YYYY-MM-DD HH:MM, or HH:MM on the meeting's day (default: now).")
    ),
]

MeetingArgument = Annotated[
    str,
    typer.Argument(
        metavar="MEETING",
        help=_("The meeting's id."),
        show_default=False,
        autocompletion=complete_meeting,
    ),
]
MotionArgument = Annotated[
    str,
    typer.Argument(
        metavar="MOTION",
        help=_("The motion's id."),
        show_default=False,
        autocompletion=complete_motion,
    ),
]


def person_option(help_text: str) -> Any:
    """`--person PERSON` (completed from the workspace's people), in a command's own words."""
    return typer.Option(
        "--person", metavar="PERSON", help=help_text, autocompletion=complete_person
    )


def _print_json(data: Any) -> None:
    write_stdout(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
