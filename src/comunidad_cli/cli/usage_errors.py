"""Usage errors (unknown option or command, missing argument, bad value) in the user's language.

Typer 0.28 carries its own copy of Click whose messages are plain English f-strings that no
catalog reaches. The root group turns each usage error into `TranslatedUsageError`, whose
`show` writes the usage line, the hint and the error from our catalog, with the same facts
(the option, the suggestions, the command path), on stderr; Click still exits 2.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import IO, Any

import typer
from typer._click import exceptions as click_errors

from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, ngettext, translated


class NoSuchCommand(click_errors.UsageError):
    """`comunidad metting`: the name typed and the commands it may have meant."""

    def __init__(self, name: str, suggestions: list[str], ctx: Any) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.suggestions = suggestions


def no_such_command(name: str, commands: list[str], ctx: Any) -> NoSuchCommand:
    """The refusal of an unknown sub-command, with the close names of `commands` to suggest."""
    return NoSuchCommand(name, get_close_matches(name, commands), ctx)


def _quoted(items: list[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)


# Click's English reasons for a bad value, and ours: a pattern over Click's text and the
# message id it becomes (the pattern's groups are the message's parameters).
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(?P<value>.*) is not a valid int(?:eger)?(?: range)?\.$", re.S),
        N_("{value} is not a whole number."),
    ),
    (
        re.compile(r"^(?P<value>.*) is not a valid float(?: range)?\.$", re.S),
        N_("{value} is not a number."),
    ),
    (
        re.compile(r"^(?P<value>.*) is not a valid boolean\..*$", re.S),
        N_("{value} is not yes or no (true, false, 1, 0)."),
    ),
    (
        re.compile(r"^(?P<value>.*) is not one of (?P<choices>.*)\.$", re.S),
        N_("{value} is not one of {choices}."),
    ),
    (
        re.compile(r"^(?P<kind>File|Directory|Path) (?P<value>.*) does not exist\.$", re.S),
        N_("{value} does not exist."),
    ),
    (
        re.compile(r"^(?P<kind>File|Directory|Path) (?P<value>.*) is a directory\.$", re.S),
        N_("{value} is a folder, not a file."),
    ),
    (
        re.compile(r"^(?P<kind>File|Directory|Path) (?P<value>.*) is a file\.$", re.S),
        N_("{value} is a file, not a folder."),
    ),
)


def _reason(message: str) -> str:
    """Click's English reason for a bad value, in the user's language when we know its form."""
    for pattern, message_id in _REASONS:
        match = pattern.match(message)
        if match is not None:
            facts = {k: v for k, v in match.groupdict().items() if k != "kind"}
            return translated(message_id).format(**facts)
    return message


def _hint(error: Any) -> str:
    """'--body' or 'NAME': how Click names the parameter an error is about."""
    if error.param_hint is not None:
        hint = error.param_hint
    elif error.param is not None:
        hint = error.param.get_error_hint(error.ctx)
    else:
        return ""
    if isinstance(hint, str):
        return hint
    return " / ".join(repr(item) for item in hint)


def _choices(param: Any) -> list[str]:
    choices = getattr(getattr(param, "type", None), "choices", None)
    return [str(choice) for choice in choices] if choices else []


def message_of(error: click_errors.UsageError) -> str:
    """The error line's text, from our catalog, for each kind of usage error Click raises."""
    if isinstance(error, NoSuchCommand):
        if error.suggestions:
            return _("No such command '{name}'. Did you mean {suggestions}?").format(
                name=error.name, suggestions=_quoted(error.suggestions)
            )
        return _("No such command '{name}'.").format(name=error.name)
    if isinstance(error, click_errors.NoSuchOption):
        if error.possibilities:
            return _("No such option: {option} (did you mean {possibilities}?)").format(
                option=error.option_name, possibilities=", ".join(sorted(error.possibilities))
            )
        return _("No such option: {option}").format(option=error.option_name)
    if isinstance(error, click_errors.MissingParameter):
        hint = _hint(error)
        param_type = error.param_type or (error.param.param_type_name if error.param else "")
        if param_type == "argument":
            text = _("Missing argument {name}.").format(name=hint)
        elif param_type == "option":
            text = _("Missing option {name}.").format(name=hint)
        else:
            text = _("Missing value {name}.").format(name=hint)
        choices = _choices(error.param)
        if choices:
            text += " " + _("Choose from: {choices}.").format(choices=", ".join(choices))
        return text
    if isinstance(error, click_errors.BadParameter):
        hint = _hint(error)
        reason = _reason(error.message)
        if not hint:
            return _("Invalid value: {reason}").format(reason=reason)
        return _("Invalid value for {option}: {reason}").format(option=hint, reason=reason)
    if isinstance(error, click_errors.BadOptionUsage):
        if error.message.endswith("does not take a value."):
            return _("Option '{option}' does not take a value.").format(option=error.option_name)
        count = re.search(r"requires (\d+) arguments", error.message)
        if count is not None or error.message.endswith("requires an argument."):
            n = int(count.group(1)) if count is not None else 1
            return ngettext(
                "Option '{option}' requires a value.",
                "Option '{option}' requires {count} values.",
                n,
            ).format(option=error.option_name, count=n)
        return error.message
    extra = re.match(
        r"^Got unexpected extra argument(?:\(s\))? \((?P<args>.*)\)$", error.message, re.S
    )
    if extra is not None:
        words = extra.group("args")
        n = len(words.split(" "))
        return ngettext(
            "Got an unexpected extra argument: {arguments}",
            "Got {count} unexpected extra arguments: {arguments}",
            n,
        ).format(arguments=words, count=n)
    if error.message == "Missing command.":
        return _("Missing command.")
    return error.message


def show(error: click_errors.UsageError, file: IO[Any] | None = None) -> None:
    """Usage line, hint and error, as Click lays them out, in the user's language."""
    from comunidad_cli.cli._common import TranslatedHelpFormatter

    ctx = error.ctx
    if ctx is not None:
        formatter = TranslatedHelpFormatter(
            width=ctx.terminal_width, max_width=ctx.max_content_width
        )
        ctx.command.format_usage(ctx, formatter)
        typer.echo(formatter.getvalue().rstrip("\n"), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            typer.echo(
                _("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                ),
                err=True,
            )
        typer.echo("", err=True)
    typer.echo(_("error: {message}").format(message=message_of(error)), err=True)


class TranslatedUsageError(click_errors.UsageError):
    """A usage error that Click shows (and exits 2 for) in the user's language."""

    def __init__(self, original: click_errors.UsageError) -> None:
        super().__init__(original.message, original.ctx)
        self.original = original
        self.exit_code = original.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        show(self.original, file)


def translate(error: click_errors.UsageError) -> click_errors.UsageError:
    """The error to raise in place of `error` (the help shown for no arguments stays as is)."""
    if isinstance(error, click_errors.NoArgsIsHelpError | TranslatedUsageError):
        return error
    return TranslatedUsageError(error)
