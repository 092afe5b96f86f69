"""What every command shares: global state, error output, lazy Rich console."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

from comunidad_cli.core.messages import Msg
from comunidad_cli.i18n import _
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from rich.console import Console

    from comunidad_cli.services.workspace import Workspace


@dataclass
class State:
    """Global options, set by the root callback for the command that runs."""

    workspace: Path | None = None
    db: str | None = None


STATE = State()


def render(msg: Msg) -> str:
    """Translate a core/service message into the active language."""
    from comunidad_cli.i18n import format_value

    return msg.render(_, format_value)


def error(text: str) -> None:
    """One error line on stderr, prefixed in the user's language."""
    typer.echo(_("error: {message}").format(message=text), err=True)


def fail(text: str, code: int = 1) -> NoReturn:
    error(text)
    raise typer.Exit(code)


def info(text: str) -> None:
    typer.echo(text, err=True)


class ComunidadGroup(TyperGroup):
    """Turns a service's refusal into a translated message and its exit code, not a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ServiceError as refusal:
            error(render(refusal.msg))
            raise typer.Exit(refusal.exit_code) from None


def stdout_console() -> Console:
    """A Rich console, imported only by commands that draw."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def current_workspace(required: bool = True) -> Workspace | None:
    from comunidad_cli.services import workspace as ws

    if required:
        return ws.require(STATE.workspace, os.environ, Path.cwd())
    root = ws.locate(STATE.workspace, os.environ, Path.cwd())
    return ws.load(root) if root is not None else None


def database_url(required_workspace: bool = True) -> str:
    from comunidad_cli.services import workspace as ws

    explicit = STATE.db or os.environ.get("COMUNIDAD_DB")
    workspace = current_workspace(required=required_workspace and explicit is None)
    return ws.database_url(workspace, STATE.db, os.environ)


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
