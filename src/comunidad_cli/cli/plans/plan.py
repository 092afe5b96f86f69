"""`comunidad plan ...`: the local improvement plan ("plan de mejoramiento comunitario") of
a body for a period: its needs by priority, adoption through a motion under the by-laws'
plan decision, amendments as new versions.

`plan_app` is registered by cli/app.py as `plan`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    command_group,
    current_workspace,
    database_url,
    day_option,
    info,
    render,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.completion import complete_meeting
from comunidad_cli.cli.plans.common import JsonOption, print_json, reporting
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, fill, format_date, translated

plan_app = command_group(
    _(
        "The local improvement plan of a body: needs ranked by priority with their evidence,"
        " adopted by a motion under the by-laws' plan decision; amendments are new versions."
    )
)

PlanArgument = Annotated[str, typer.Argument(metavar="PLAN", help=_("The plan's id."))]
_STATUS = {
    "draft": N_("draft"),
    "proposed": N_("being voted on"),
    "in_force": N_("in force"),
    "superseded": N_("superseded"),
}


def _status(value: str) -> str:
    return translated(_STATUS.get(value, value))


@plan_app.command(
    "new", cls=ComunidadCommand, help=_("Start a body's plan for a period (a draft).")
)
def plan_new(
    body: Annotated[
        str, typer.Option("--body", metavar="BODY", help=_("The body whose plan it is."))
    ],
    start: Annotated[str, typer.Option("--from", metavar="DATE", help=_("First day, YYYY-MM-DD."))],
    end: Annotated[str, typer.Option("--to", metavar="DATE", help=_("Last day, YYYY-MM-DD."))],
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help=_("The plan's title, as it is written."))
    ],
    bylaws_id: Annotated[
        str | None,
        value_option(
            "--bylaws", "ID", _("The by-laws the body belongs to (when the workspace has several).")
        ),
    ] = None,
    key: Annotated[
        str | None, value_option("--id", "KEY", _("The plan's id (default: plan-BODY-YEAR)."))
    ] = None,
) -> None:
    from comunidad_cli.services.plans.plan import new_plan

    first, last = day_option(start, "--from"), day_option(end, "--to")
    workspace = current_workspace()
    assert workspace is not None
    created = new_plan(
        database_url(),
        workspace.bylaws_dir,
        body=body,
        start=first,
        end=last,
        title=title,
        bylaws_id=bylaws_id,
        key=key,
    )
    info(
        fill(
            _('Recorded the draft plan "{title}" of {body} with id {key}, from {start} to {end}.'),
            title=title,
            body=body,
            key=created,
            start=format_date(first),
            end=format_date(last),
        )
    )
    write_stdout(created + "\n")  # the id alone on stdout, for scripts


@plan_app.command(
    "need",
    cls=ComunidadCommand,
    help=_("Add a need to a draft plan, at a priority rank (default: last)."),
)
def plan_need(
    plan: PlanArgument,
    key: Annotated[str, typer.Option("--id", metavar="KEY", help=_("The need's id."))],
    name: Annotated[
        str, typer.Option("--name", metavar="NAME", help=_("The need, as it is written."))
    ],
    evidence: Annotated[
        str,
        typer.Option("--evidence", help=_("What shows the need: a survey, a count, a meeting.")),
    ],
    rank: Annotated[
        int | None,
        typer.Option(
            "--rank",
            min=1,
            help=_("Its priority, 1 first; the needs from there on move down one."),
            show_default=False,
        ),
    ] = None,
    territory: Annotated[
        str | None, value_option("--territory", "ID", _("The territory it is about."))
    ] = None,
) -> None:
    from comunidad_cli.services.plans.plan import add_need

    placed = add_need(
        database_url(),
        plan,
        key=key,
        name=name,
        evidence=evidence,
        rank=rank,
        territory=territory,
    )
    write_stdout(_("{key}: rank {rank}").format(key=key, rank=placed) + "\n")


@plan_app.command(
    "propose",
    cls=ComunidadCommand,
    help=_(
        "Put the plan to a meeting of its body: a motion under the by-laws' plan decision;"
        " once adopted (motion close), the plan is in force."
    ),
)
def plan_propose(
    plan: PlanArgument,
    meeting: Annotated[
        str,
        typer.Option(
            "--meeting",
            metavar="MEETING",
            help=_("The meeting's id."),
            autocompletion=complete_meeting,
        ),
    ],
    at: Annotated[
        str | None,
        value_option(
            "--at",
            "TIME",
            _("When: YYYY-MM-DD HH:MM, or HH:MM on the meeting's day (default: now)."),
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TITLE",
            help=_("The motion's title (default: the plan's)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.plans.plan import propose

    proposed = reporting(lambda: propose(database_url(), plan, meeting=meeting, at=at, title=title))
    for warning in proposed.warnings:
        info(_("warning: {message}").format(message=render(warning)))
    write_stdout(proposed.motion + "\n")


@plan_app.command(
    "amend",
    cls=ComunidadCommand,
    help=_(
        "Start an amendment of the plan in force: a new version with its needs, adopted the"
        " same way; the version in force stays as history."
    ),
)
def plan_amend(
    plan: PlanArgument,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TITLE",
            help=_("A new title (default: the same)."),
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        str | None, value_option("--id", "KEY", _("The new version's id (default: PLAN-vN)."))
    ] = None,
) -> None:
    from comunidad_cli.services.plans.plan import amend

    write_stdout(amend(database_url(), plan, title=title, key=key) + "\n")


def _adopted_text(view: Any) -> str | None:
    from comunidad_cli.i18n import format_datetime

    if view.adopted is None:
        return None
    return _("motion {motion} at meeting {meeting}, {when}").format(
        motion=view.adopted.motion,
        meeting=view.adopted.meeting,
        when=format_datetime(view.adopted.closed_at),
    )


@plan_app.command(
    "show",
    cls=ComunidadCommand,
    help=_(
        "A plan version: its needs by rank, its status, the meeting and motion that adopted it."
    ),
)
def plan_show(plan: PlanArgument, json_output: JsonOption = False) -> None:
    from comunidad_cli.i18n import format_date
    from comunidad_cli.render.table import plain_fields, plain_table, terminal_width
    from comunidad_cli.render.tally import outcome_name
    from comunidad_cli.services.plans.views import show

    view = show(database_url(), plan)
    if json_output:
        print_json(view.as_json())
        return
    width = terminal_width()
    fields = [
        (_("Plan"), view.key),
        (_("Title"), view.title),
        (_("Body"), view.body),
        (
            _("Period"),
            _("{start} to {end}").format(
                start=format_date(view.start, "medium"), end=format_date(view.end, "medium")
            ),
        ),
        (_("Version"), str(view.version)),
        (_("Status"), _status(view.status)),
        (_("Amends"), view.amends),
        (_("Amended by"), ", ".join(view.amended_by) or None),
        (_("Adopted by"), _adopted_text(view)),
    ]
    text = plain_fields(fields, width)
    if view.needs:
        text += "\n" + plain_table(
            [_("RANK"), _("ID"), _("NEED"), _("EVIDENCE"), _("TERRITORY")],
            [[str(n.rank), n.key, n.name, n.evidence, n.territory or ""] for n in view.needs],
            right=(0,),
            whole=(0, 1),
            width=width,
        )
    else:
        text += "\n" + _("No needs yet: plan need or import needs.") + "\n"
    others = [p for p in view.proposals if p.outcome != "adopted"]
    if others:
        text += "\n" + _("Proposed:") + "\n"
        for p in others:
            text += (
                "  "
                + _("motion {motion} at meeting {meeting}: {outcome}").format(
                    motion=p.motion, meeting=p.meeting, outcome=outcome_name(p.outcome)
                )
                + "\n"
            )
    write_stdout(text)


@plan_app.command("list", cls=ComunidadCommand, help=_("Every plan version, with its status."))
def plan_list(
    body: Annotated[
        str | None,
        typer.Option(
            "--body", metavar="BODY", help=_("Only this body's plans."), show_default=False
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services.plans.views import list_plans

    found = list_plans(database_url(), body=body)
    if json_output:
        print_json([v.as_json() for v in found])
        return
    if not found:
        write_stdout(_("No plans yet: plan new.") + "\n")
        return
    write_stdout(
        plain_table(
            [_("ID"), _("BODY"), _("FROM"), _("TO"), _("VERSION"), _("STATUS"), _("TITLE")],
            [
                [
                    v.key,
                    v.body,
                    v.start.isoformat(),
                    v.end.isoformat(),
                    str(v.version),
                    _status(v.status),
                    v.title,
                ]
                for v in found
            ],
            right=(4,),
            whole=(0, 2, 3),
            width=terminal_width(),
        )
    )
