"""Shell completion: the ids of people, meetings and motions, completed from the workspace.

The functions below are given to Typer as `autocompletion=` on the arguments and options
that take those ids. They run only when the shell asks (`_COMUNIDAD_COMPLETE` set), read
`--workspace` and `--db` from what is typed so far, and never fail loudly: a TAB that
cannot be answered completes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def _ids(ctx: typer.Context, incomplete: str, kind: Any) -> list[tuple[str, str]]:
    """The ids of `kind` that start with what is typed (in any case), with what they are."""
    from comunidad_cli.cli._common import STATE, database_url
    from comunidad_cli.services.completion import ids
    from comunidad_cli.services.errors import ServiceError

    root = ctx.find_root().params
    if root.get("workspace_dir"):
        STATE.workspace = Path(root["workspace_dir"])
    if root.get("db_url"):
        STATE.db = str(root["db_url"])
    try:
        url = database_url()
    except ServiceError:  # no workspace here, a bad comunidad.toml: nothing to offer
        return []
    typed = incomplete.casefold()
    return [(key, about) for key, about in ids(url, kind) if key.casefold().startswith(typed)]


def complete_person(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """People's ids, with their names."""
    return _ids(ctx, incomplete, "person")


def complete_meeting(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Meetings' ids, with their bodies."""
    return _ids(ctx, incomplete, "meeting")


def complete_motion(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Motions' ids, with their titles."""
    return _ids(ctx, incomplete, "motion")
