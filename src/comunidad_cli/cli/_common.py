"""What every command shares: global state, error output, lazy Rich console."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.i18n import _, translated
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
    from comunidad_cli.i18n import message_text

    return message_text(msg)


def error(text: str) -> None:
    """One error line on stderr, prefixed in the user's language."""
    typer.echo(_("error: {message}").format(message=text), err=True)


def fail(text: str, code: int = 1) -> NoReturn:
    error(text)
    raise typer.Exit(code)


def info(text: str) -> None:
    typer.echo(text, err=True)


# Click and Typer write these in English; the help formatter below translates them.
_BUILT_IN = {
    "Show this message and exit.": N_("Show this message and exit."),
    "Options": N_("Options"),
    "Commands": N_("Commands"),
    "Arguments": N_("Arguments"),
}
_BRACKETS = (
    ("[default: ", N_("default")),
    ("[env var: ", N_("env var")),
    ("[required]", N_("required")),
)


# The placeholders of a usage line, as Click writes them (longest first).
_USAGE_WORDS = (
    ("COMMAND [ARGS]...", N_("COMMAND [ARGS]...")),
    ("[OPTIONS]", N_("[OPTIONS]")),
)


def _translate_help(text: str) -> str:
    if text in _BUILT_IN:
        return _(text)
    for opening, word in _BRACKETS:
        if opening in text:
            closing = "]" if opening.endswith("]") else ": "
            text = text.replace(opening, f"[{_(word)}{closing}")
    return text


_HelpFormatter: Any = typer.Context.formatter_class


class TranslatedHelpFormatter(_HelpFormatter):  # type: ignore[misc]
    """Help in the user's language, including the words Click and Typer supply."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, message_id in _USAGE_WORDS:
            args = args.replace(english, translated(message_id))
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_translate_help(heading))

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        super().write_dl(
            [(first, _translate_help(second)) for first, second in rows], *args, **kwargs
        )


class ComunidadContext(typer.Context):
    formatter_class = TranslatedHelpFormatter


class ComunidadCommand(TyperCommand):
    context_class = ComunidadContext


class ComunidadGroup(TyperGroup):
    """Turns a service's refusal into a translated message and its exit code, not a traceback."""

    context_class = ComunidadContext

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """An unknown sub-command is refused with the close names of all of them (Typer
        suggests only among the commands already built, and in English)."""
        name = args[0]
        unknown = not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            from comunidad_cli.cli.usage_errors import no_such_command

            raise no_such_command(name, self.list_commands(ctx), ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ServiceError as refusal:
            error(render(refusal.msg))
            raise typer.Exit(refusal.exit_code) from None


def stdout_console() -> Console:
    """A Rich console, imported only by commands that draw. No emoji codes: a name such as
    ":sun:" is printed as typed (markup in people's text is escaped where it is printed)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False)


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


def day_option(value: str, option: str) -> date:
    """A YYYY-MM-DD option value; anything else is a usage error (exit 2) naming the option."""
    from comunidad_cli.core.importing.invalid import Invalid
    from comunidad_cli.core.importing.values import parse_date

    try:
        return parse_date(value.strip())
    except Invalid as invalid:
        fail(f"{option}: {render(invalid.msg)}", 2)


AS_OF_VARIABLE = "COMUNIDAD_AS_OF"
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help=_(
            "Report as of this day, YYYY-MM-DD: overdue reports and pace then, counting what was"
            " recorded by then (default: COMUNIDAD_AS_OF, else today)."
        ),
        show_default=False,
    ),
]


def as_of_day(value: str | None) -> date | None:
    """The day a report or check is for: --as-of, else COMUNIDAD_AS_OF (for scripts), else
    None (today). A bad date is a usage error naming where it came from."""
    if value is not None:
        return day_option(value, "--as-of")
    variable = os.environ.get(AS_OF_VARIABLE, "").strip()
    return day_option(variable, AS_OF_VARIABLE) if variable else None


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def print_json(data: Any) -> None:
    """`--json`: amounts and hours as exact JSON numbers, text as typed, one document."""
    from comunidad_cli.services.exports import dumps_json

    write_stdout(dumps_json(data) + "\n")
