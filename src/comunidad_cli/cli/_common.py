"""What every command shares: global state, error output, lazy Rich console."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from comunidad_cli import clock
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.i18n import _, choice_word, translated
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


def cannot_write(path: Path | str, problem: OSError) -> NoReturn:
    """Refuse (exit 1) a file the system would not write, its reason in the reader's words
    (`core/os_errors.py` `os_reason`), not the system's English."""
    from comunidad_cli.core.os_errors import os_reason
    from comunidad_cli.i18n import message_text

    reason = os_reason(problem)
    fail(message_text(Msg.of(N_("cannot write {path}: {reason}"), path=str(path), reason=reason)))


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


# The placeholders of option values and arguments (`--at TIME`, `{meeting}`), and Click's own
# type names (`<str>`), in the reader's words: `--at MOMENTO`, `SESIÓN`, `TEXTO`.
_METAVARS = {
    "ACTIVITY": N_("ACTIVITY"),
    "AGREEMENT": N_("AGREEMENT"),
    "AMOUNT": N_("AMOUNT"),
    "APP": N_("APPLICATION"),
    "APPLICATION": N_("APPLICATION"),
    "BODY": N_("BODY"),
    "BYLAWS": N_("BYLAWS"),
    "CATEGORY": N_("CATEGORY"),
    "CHANGE": N_("CHANGE"),
    "CLASS": N_("CLASS"),
    "CODE": N_("CODE"),
    "COMMITMENT": N_("COMMITMENT"),
    "CONDITION": N_("CONDITION"),
    "CRITERION": N_("CRITERION"),
    "DATE": N_("DATE"),
    "DAYS": N_("DAYS"),
    "DIR": N_("DIR"),
    "EMAIL": N_("EMAIL"),
    "FILE": N_("FILE"),
    "FORMAT": N_("FORMAT"),
    "GOAL": N_("GOAL"),
    "GRANT": N_("GRANT"),
    "HOLDER": N_("HOLDER"),
    "HOURS": N_("HOURS"),
    "INDICATOR": N_("INDICATOR"),
    "ITEM": N_("ITEM"),
    "KEY": N_("KEY"),
    "KIND": N_("KIND"),
    "LANG": N_("LANG"),
    "LEVEL": N_("LEVEL"),
    "LOCALE": N_("LOCALE"),
    "MEETING": N_("MEETING"),
    "MONEY": N_("MONEY"),
    "MOTION": N_("MOTION"),
    "NAME": N_("NAME"),
    "NEED": N_("NEED"),
    "NEW": N_("NEW"),
    "NUMBER": N_("NUMBER"),
    "OLD": N_("OLD"),
    "PATH": N_("PATH"),
    "PERIOD": N_("PERIOD"),
    "PERSON": N_("PERSON"),
    "PHONE": N_("PHONE"),
    "PLACE": N_("PLACE"),
    "PLAN": N_("PLAN"),
    "QUALITY": N_("QUALITY"),
    "ROLE": N_("ROLE"),
    "ROUND": N_("ROUND"),
    "SCORE": N_("SCORE"),
    "SEED": N_("SEED"),
    "SELECTION": N_("SELECTION"),
    "SIDE": N_("SIDE"),
    "SPACE": N_("SPACE"),
    "STATUS": N_("STATUS"),
    "TAG": N_("TAG"),
    "TEXT": N_("TEXT"),
    "TIME": N_("TIME"),
    "TITLE": N_("TITLE"),
    "UNIT": N_("UNIT"),
    "VALUE": N_("VALUE"),
    "WAY": N_("WAY"),
    "ZONE": N_("ZONE"),
}
_CLICK_TYPES = {"<str>": "TEXT", "<text>": "TEXT", "<path>": "PATH", "<file>": "FILE"}
_PLACEHOLDER = re.compile(r"<[a-z ]+>|\{([A-Za-z_]+)(\.\.\.)?\}|\b[A-Z][A-Z_]*\b")


def translate_metavars(text: str) -> str:
    """`--at TIME`, `{meeting}` and `<str>` in the reader's words (`--at MOMENTO`, `SESIÓN`,
    `TEXTO`); a word without a translation stays as it is."""

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.startswith("<"):  # Click's type name: a number or a text
            word = (
                "NUMBER" if word.startswith(("<int", "<float")) else _CLICK_TYPES.get(word, "TEXT")
            )
        elif word.startswith("{"):  # Typer's required argument (`{PERSON...}`: one or more)
            word = match.group(1).upper()
            shown = translated(_METAVARS[word]) if word in _METAVARS else word
            return shown + (match.group(2) or "")
        return translated(_METAVARS[word]) if word in _METAVARS else word

    return _PLACEHOLDER.sub(one, text)


_ARGUMENT_NAME = re.compile(r"\[?[a-z][a-z_]*(\.\.\.)?\]?")
#: An optional argument declared without a metavar, in a usage line: `[grant]`.
_OPTIONAL_ARGUMENT = re.compile(r"\[[a-z][a-z_]*\]")


def _argument_name(name: str) -> str:
    """An argument declared without a metavar is listed by its name in code (`grant`); as
    the usage line shows it, in capitals, so that it is said in the reader's words too."""
    return name.upper() if _ARGUMENT_NAME.fullmatch(name) else name


def _translate_help(text: str) -> str:
    if text in _BUILT_IN:
        return _(text)
    for opening, word in _BRACKETS:
        if opening in text:
            closing = "]" if opening.endswith("]") else ": "
            if opening == "[default: ":  # a choice's default in the reader's words
                text = _DEFAULT.sub(lambda m: "[default: " + choice_word(m.group(1)) + "]", text)
            text = text.replace(opening, f"[{_(word)}{closing}")
    return text


_DEFAULT = re.compile(r"\[default: ([^\]]*)\]")


_HelpFormatter: Any = typer.Context.formatter_class


class TranslatedHelpFormatter(_HelpFormatter):  # type: ignore[misc]
    """Help in the user's language, including the words Click and Typer supply."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, message_id in _USAGE_WORDS:
            args = args.replace(english, translated(message_id))
        args = translate_metavars(_OPTIONAL_ARGUMENT.sub(lambda m: m.group(0).upper(), args))
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    heading = ""  # the section being written: its rows are read by what it lists

    def write_heading(self, heading: str) -> None:
        self.heading = heading
        super().write_heading(_translate_help(heading))

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        arguments = self.heading == "Arguments"
        super().write_dl(
            [
                (
                    translate_metavars(_argument_name(first) if arguments else first),
                    _translate_help(second),
                )
                for first, second in rows
            ],
            *args,
            **kwargs,
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


def command_group(help_text: str) -> typer.Typer:
    """A group of commands (`comunidad meeting ...`): its help when called alone, refusals
    translated, no Rich markup in help, no completion options of its own."""
    return typer.Typer(
        cls=ComunidadGroup,
        help=help_text,
        no_args_is_help=True,
        rich_markup_mode=None,
        add_completion=False,
    )


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


def value_option(name: str, metavar: str, help_text: str) -> Any:
    """An option that takes a value: its placeholder (translated when help is shown) and
    its help, no default shown (the default, if any, is said in the help)."""
    return typer.Option(name, metavar=metavar, help=help_text, show_default=False)


#: The options many recording commands share, in the same words everywhere.
OnOption = Annotated[
    str | None, value_option("--on", "DATE", _("The day, YYYY-MM-DD (default: today)."))
]
ByOption = Annotated[str, value_option("--by", "NAME", _("Who records it."))]
NotesOption = Annotated[str, value_option("--notes", "TEXT", _("Notes."))]
AssessedOnOption = Annotated[
    str | None,
    value_option("--on", "DATE", _("The day of the assessment, YYYY-MM-DD (default: today).")),
]


#: A report's period: `--from` (default: a year before --to) and `--to` (default: today).
PeriodFromOption = Annotated[
    str | None,
    value_option(
        "--from", "DATE", _("First day of the period, YYYY-MM-DD (default: a year before --to).")
    ),
]
PeriodToOption = Annotated[
    str | None,
    value_option("--to", "DATE", _("Last day of the period, YYYY-MM-DD (default: today).")),
]


def period_of(start: str | None, end: str | None) -> tuple[date, date]:
    """The first and last day of a report's period from --from and --to (`PeriodFromOption`,
    `PeriodToOption`); a bad date is a usage error naming its option."""
    from comunidad_cli.services.report import default_period

    last = day_or_today(end, "--to")
    return maybe_day(start, "--from") or default_period(last), last


def day_or_today(value: str | None, option: str = "--on") -> date:
    """An optional day option (default: today); a bad date is a usage error naming it."""
    return clock.today() if value is None else day_option(value, option)


def maybe_day(value: str | None, option: str) -> date | None:
    """An optional day option with no default; a bad date is a usage error naming it."""
    return None if value is None else day_option(value, option)


#: `--strict` on every `... check` command (bylaws, fund, outcome, capacity).
StrictOption = Annotated[bool, typer.Option("--strict", help=_("Warnings fail too (exit 1)."))]


def paths_argument(help_text: str) -> Any:
    """A check's `PATH...` argument (files or folders, optional); `help_text` names the
    workspace folder used when none is given."""
    return typer.Argument(metavar="PATH...", help=help_text, show_default=False)


#: `--json` on a read command: the same words everywhere.
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON only."))]


def table_text(headers: list[str], rows: list[list[str]], whole: tuple[int, ...] = (0,)) -> str:
    """A plain table as wide as the terminal; the `whole` columns (ids) are never wrapped."""
    from comunidad_cli.render.table import plain_table, terminal_width

    return plain_table(headers, rows, whole=whole, width=terminal_width())


def print_json(data: Any) -> None:
    """`--json`: amounts and hours as exact JSON numbers, text as typed, one document."""
    from comunidad_cli.services.exports import dumps_json

    write_stdout(dumps_json(data) + "\n")
