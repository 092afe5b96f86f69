"""The root `comunidad` command: global options and one sub-app per domain.

Sub-apps load lazily: `comunidad bylaws check` builds only the bylaws commands, and
`comunidad --help` lists every group from the registry below without importing them.
Typer inspects every parameter of every command it builds, so building only what runs
keeps start-up flat as the command surface grows.
"""

from __future__ import annotations

import os
from datetime import tzinfo
from pathlib import Path
from typing import Annotated, Any

import typer

from comunidad_cli import __version__, i18n
from comunidad_cli.cli._common import STATE, ComunidadCommand, ComunidadGroup
from comunidad_cli.i18n import _

# name -> (module, attribute: a Typer sub-app or a command function, one-line help)
LAZY: dict[str, tuple[str, str, str]] = {
    "init": (
        "comunidad_cli.cli.workspace",
        "init",
        _("Create a workspace: settings, by-laws, database."),
    ),
    "demo": ("comunidad_cli.cli.demo", "demo", _("Run the demo in a throwaway workspace.")),
    "bylaws": ("comunidad_cli.cli.bylaws", "app", _("Check, show and compare by-laws.")),
    "org": ("comunidad_cli.cli.directory", "org_app", _("Organisations of the partnership.")),
    "person": (
        "comunidad_cli.cli.directory",
        "person_app",
        _("People: residents and representatives."),
    ),
    "member": ("comunidad_cli.cli.members", "member_app", _("Seats on bodies, dated.")),
    "meeting": (
        "comunidad_cli.cli.meetings.minutes",
        "meeting_app",
        _("Meetings, attendance, quorum, minutes."),
    ),
    "motion": (
        "comunidad_cli.cli.meetings.motion",
        "motion_app",
        _("Motions, votes, recusals, outcomes."),
    ),
    "grant": ("comunidad_cli.cli.grants.grant", "grant_app", _("Grants received from funders.")),
    "subcontract": (
        "comunidad_cli.cli.grants.subcontract",
        "subcontract_app",
        _("Subcontracts: budgets, amendments, risk, status."),
    ),
    "payment": (
        "comunidad_cli.cli.grants.payment",
        "payment_app",
        _("Payments to subcontractors."),
    ),
    "deliverable": (
        "comunidad_cli.cli.grants.deliverable",
        "deliverable_app",
        _("Deliverables and reports, overdue flags."),
    ),
    "capacity": (
        "comunidad_cli.cli.capacity.group",
        "capacity_app",
        _("Capacity assessments: instruments, scores, network view."),
    ),
    "fund": (
        "comunidad_cli.cli.funds.app",
        "fund_app",
        _("Competitive funds (fondos concursables): round files."),
    ),
    "territory": (
        "comunidad_cli.cli.plans.territory",
        "territory_app",
        _("Territory selection: candidates, criteria, exact scores."),
    ),
    "plan": (
        "comunidad_cli.cli.plans.plan",
        "plan_app",
        _("The local improvement plan: needs by priority, adopted by motion."),
    ),
    "outcome": (
        "comunidad_cli.cli.outcomes.app",
        "outcome_app",
        _("Outcomes for children and families: indicators, data, disparities."),
    ),
    "network": (
        "comunidad_cli.cli.networks.network",
        "network_app",
        _("Networks and territorial spaces: representation, commitments, referrals."),
    ),
    "learning": (
        "comunidad_cli.cli.learning.learning",
        "learning_app",
        _("Learning: activities, participants, records, lessons learned."),
    ),
    "agreement": (
        "comunidad_cli.cli.agreements.app",
        "agreement_app",
        _("Partner agreements: goals, data shared, reviews, renewals, quality."),
    ),
    "resource": (
        "comunidad_cli.cli.resources",
        "resource_app",
        _("Resources mobilised: funding, in-kind, volunteer hours."),
    ),
    "power": (
        "comunidad_cli.cli.power.report",
        "power_app",
        _("Power sharing: seats, presence and votes by class."),
    ),
    "change": (
        "comunidad_cli.cli.changes.change",
        "change_app",
        _("Systems change: conditions and qualities, the report by condition."),
    ),
    "region": (
        "comunidad_cli.cli.region.summary",
        "region_app",
        _("The regional view: every partnership of the workspace side by side."),
    ),
    "import": (
        "comunidad_cli.cli.importing",
        "import_command",
        _("Import a CSV, JSON or NDJSON file."),
    ),
    "export": (
        "comunidad_cli.cli.exports",
        "export_app",
        _("Export payments or subcontracts, spreadsheet-safe."),
    ),
    "db": (
        "comunidad_cli.cli.db",
        "app",
        _("Upgrade, check, back up and copy the database; grant read-only roles."),
    ),
    "audit": ("comunidad_cli.cli.audit", "audit_app", _("The audit log: every change, by whom.")),
    "summary": (
        "comunidad_cli.cli.summary",
        "summary",
        _("The dashboard: grants, attention, capacity, resources."),
    ),
    "spend-down": (
        "comunidad_cli.cli.summary",
        "spend_down",
        _("Spent against time elapsed, burn rate, projection."),
    ),
    "report": (
        "comunidad_cli.cli.report",
        "report",
        _("The board report of a period, as one printable HTML file."),
    ),
}

# Full help of the commands that are plain functions (groups carry their own).
_COMMAND_HELP = {
    "init": _(
        "Create a workspace: comunidad.toml, a by-laws file from a template, and the database."
    ),
    "demo": _(
        "Run the demo in a throwaway workspace: by-laws checked, shown and amended, a meeting"
        " and its minutes, a grant, the entity's network work and the regional view."
    ),
    "import": _(
        "Import a CSV, JSON or NDJSON file (people, orgs, members, ...): all or nothing, every bad"
        " row listed, safe to run again."
    ),
    "summary": _(
        "The dashboard, in your language: grant position, subcontracts needing attention, weakest"
        " capacity domains, resources mobilised, recent meetings."
    ),
    "spend-down": _(
        "Per grant and subcontract: spent against time elapsed, balance, burn rate and a projection"
        " to the end date."
    ),
    "report": _(
        "The board report of a period (a year by default), as one self-contained, printable HTML"
        " file: grant position, meetings and decisions, funded projects, capacity change and"
        " outcomes, with charts and their text."
    ),
}


GLOBAL_OPTIONS = ("--locale", "--workspace", "--db")
COMMAND_LINE = "comunidad.command_line"


def _value_options(command: Any, ctx: Any) -> set[str]:
    """The option names of `command` that take a value (the next word is theirs)."""
    names: set[str] = set()
    for param in command.get_params(ctx):
        if isinstance(param, typer.core.TyperOption) and not (param.is_flag or param.count):
            names.update(param.opts)
    return names


def hoist_global_options(root: Any, ctx: Any, args: list[str]) -> list[str]:
    """`comunidad org list --locale es` as `comunidad --locale es org list`.

    Walks the words as the commands will read them: a value of an option is never taken for
    a global option, a command's own option of the same name stays its own, and nothing
    after `--` moves. After an unknown command name (`comunidad metting --locale es`) the
    global options move too, so its refusal is in the language asked for, in-process as in
    a real process (where `main` reads `--locale` from the whole command line).
    """
    moved: list[str] = []
    rest: list[str] = []
    command = root
    takes_value = _value_options(root, ctx)
    unknown = False  # an unknown command was typed: no option after it is anyone's own
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--":
            rest.extend(args[index:])
            break
        name, equals, _value = word.partition("=")
        if (command is not root or unknown) and name in GLOBAL_OPTIONS and name not in takes_value:
            if equals:
                moved.append(word)
            elif index + 1 < len(args):
                moved.extend(args[index : index + 2])
                index += 1
            else:
                rest.append(word)  # left for the parser to say it needs a value
            index += 1
            continue
        rest.append(word)
        if word in takes_value and index + 1 < len(args):
            rest.append(args[index + 1])
            index += 1
        elif (
            not unknown and not word.startswith("-") and isinstance(command, typer.core.TyperGroup)
        ):
            sub = command.get_command(ctx, word)
            if sub is not None:
                command = sub
                takes_value = _value_options(command, ctx)
            else:  # refused below, as typed, in the language of a --locale after it
                unknown, takes_value = True, set()
        index += 1
    return moved + rest


class RootGroup(ComunidadGroup):
    """The root command group, which builds a sub-command only when it is needed."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(name for name in LAZY if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in LAZY:
            import importlib

            module, attribute, _short = LAZY[cmd_name]
            target = getattr(importlib.import_module(module), attribute)
            if not isinstance(target, typer.Typer):
                single = typer.Typer(rich_markup_mode=None, add_completion=False)
                single.command(cmd_name, cls=ComunidadCommand, help=_COMMAND_HELP[cmd_name])(target)
                target = single
            self.commands[cmd_name] = typer.main.get_command(target)
        return self.commands.get(cmd_name)

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> None:
        """Answer the shell's TAB (only when it asks: `--help` pays nothing for it)."""
        variable = complete_var or "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
        if os.environ.get(variable):
            from comunidad_cli.cli.shell import prepare_completion

            prepare_completion()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        args = hoist_global_options(self, ctx, args)
        ctx.meta[COMMAND_LINE] = args  # for the root callback to read a command's own --locale
        return super().parse_args(ctx, args)

    def make_context(self, info_name: str | None, args: list[str], *more: Any, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, *more, **extra)
        except typer._click.exceptions.UsageError as error:
            from comunidad_cli.cli.usage_errors import translate

            raise translate(error) from None

    def invoke(self, ctx: Any) -> Any:
        """Usage errors of every sub-command are shown in the user's language (exit 2)."""
        try:
            return super().invoke(ctx)
        except typer._click.exceptions.UsageError as error:
            # A wrong command name fails before the root callback: pick the language as
            # `main` does from the command line (`--locale`, else the environment and the
            # workspace), so that in-process runs read the same as a real process.
            from comunidad_cli.cli import select_locale
            from comunidad_cli.cli.usage_errors import translate

            given = [
                ("--locale", ctx.params.get("locale")),
                ("--workspace", ctx.params.get("workspace_dir")),
            ]
            i18n.activate(select_locale([f"{name}={value}" for name, value in given if value]))
            raise translate(error) from None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the sub-commands from the registry, without building them."""
        rows = [(name, LAZY[name][2]) for name in self.list_commands(ctx) if name in LAZY]
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


app = typer.Typer(
    name="comunidad",
    cls=RootGroup,
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


def _workspace_zone() -> tzinfo | None:
    """The zone of the workspace the command runs in (read when a time is first needed)."""
    from comunidad_cli.cli._common import current_workspace

    workspace = current_workspace(required=False)
    return workspace.zone if workspace is not None else None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"comunidad {__version__}")
        raise typer.Exit()


def _install_completion(ctx: typer.Context, value: bool) -> None:
    """Install completion for the shell this runs in (bash, zsh, fish, PowerShell)."""
    if not value:
        return
    if ctx.params.get("locale"):  # runs before the root callback (--locale is eager too)
        i18n.activate(i18n.resolve(ctx.params["locale"], os.environ))
    from comunidad_cli.cli.shell import install

    shell, path = install("comunidad")
    typer.echo(_("{shell} completion installed in {path}.").format(shell=shell, path=path))
    typer.echo(_("It takes effect in the next terminal you open."))
    raise typer.Exit()


def _show_completion(value: bool) -> None:
    """Print the completion script of this shell, to copy it or install it by hand."""
    if not value:
        return
    from comunidad_cli.cli.shell import script

    typer.echo(script("comunidad"))
    raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            metavar="LOCALE",
            is_eager=True,
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
                "Database URL: sqlite:///other.db, or postgresql://host/name for a shared server (default: comunidad.db in the workspace)."
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
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            help=_("Install completion of commands and ids for the current shell."),
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            help=_("Show the completion script for the current shell, to copy or adapt it."),
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
        ),
    ] = False,
) -> None:
    STATE.workspace = workspace_dir
    STATE.db = db_url
    from comunidad_cli import clock
    from comunidad_cli.cli._common import error, info, render
    from comunidad_cli.services import session

    session.notify = lambda msg: info(render(msg))
    clock.use_zone(_workspace_zone)
    # Messages follow --locale even when the process was started with another one.
    from comunidad_cli.cli import select_locale

    if locale is not None:
        i18n.activate(i18n.resolve(locale, os.environ))
        if not i18n.spoken(locale):  # "--locale català" once gave English without a word
            i18n.activate(select_locale([]))
            error(
                _(
                    '--locale "{value}": comunidad speaks es, en and ca (es_CL, ca_ES, en_US ...)'
                ).format(value=locale)
            )
            raise typer.Exit(2)
    else:
        # As `main` reads the whole command line: `init -h --locale es` (init's own --locale,
        # after -h) is helped in Spanish, in-process as in a real process.
        words = list(ctx.meta.get(COMMAND_LINE, []))
        if workspace_dir:
            words += ["--workspace", str(workspace_dir)]
        i18n.activate(select_locale(words))
    from comunidad_cli.services.audit_log import actor_problem

    bad_actor = actor_problem()  # checked as --by is, before anything is written
    if bad_actor is not None:
        error(render(bad_actor))
        raise typer.Exit(1)
