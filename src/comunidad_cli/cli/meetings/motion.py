"""`comunidad motion ...`: put a motion, record votes and recusals, close it; the by-laws decide."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    command_group,
    database_url,
    fail,
    info,
    render,
    stdout_console,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.completion import complete_meeting, complete_motion
from comunidad_cli.cli.meetings.common import (
    AtOption,
    JsonOption,
    MotionArgument,
    _print_json,
    person_option,
)
from comunidad_cli.i18n import _, ngettext
from comunidad_cli.render.tally import explain_tally, outcome_label, outcome_name
from comunidad_cli.render.text import markup

motion_app = command_group(
    _("Motions: put them, record votes and recusals, close them; the by-laws decide the outcome.")
)


@motion_app.command(
    "new",
    cls=ComunidadCommand,
    help=_("Put a motion; its body and vote rule come from the by-laws' decision kind."),
)
def motion_new(
    meeting: Annotated[
        str,
        typer.Option(
            "--meeting",
            metavar="MEETING",
            help=_("The meeting's id."),
            autocompletion=complete_meeting,
        ),
    ],
    decision: Annotated[
        str,
        typer.Option(
            "--decision", metavar="KIND", help=_("The decision kind in the by-laws, e.g. ordinary.")
        ),
    ],
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help=_("What is being decided."))
    ],
    at: AtOption = None,
    key: Annotated[
        str | None, value_option("--id", "KEY", _("The motion's id (default: from the title)."))
    ] = None,
) -> None:
    from comunidad_cli.services.motions import new_motion

    created = new_motion(database_url(), meeting, decision=decision, title=title, at=at, key=key)
    for warning in created.warnings:
        info(_("warning: {message}").format(message=render(warning)))
    write_stdout(created.key + "\n")


@motion_app.command(
    "vote",
    cls=ComunidadCommand,
    help=_("Record a vote; refused with the reason when the by-laws do not allow it."),
)
def motion_vote(
    motion: MotionArgument,
    person: Annotated[str, person_option(_("Whose vote it is."))],
    choice: Annotated[str, typer.Option("--choice", help=_("yes, no or abstain."))],
    at: AtOption = None,
    by: Annotated[
        str | None,
        value_option("--by", "HOLDER", _("The proxy holder who casts it for an absent member.")),
    ] = None,
) -> None:
    from comunidad_cli.i18n import choice_word, format_time
    from comunidad_cli.services.motions import cast_vote

    vote = cast_vote(database_url(), motion, person, choice, at=at, by=by)
    params = {
        "person": vote.person,
        "choice": choice_word(vote.choice.value),
        "motion": motion,
        "at": format_time(vote.at),
    }
    if vote.cast_by is not None and vote.cast_by != vote.person:
        info(
            _(
                "Recorded the vote of {person} on motion {motion}: {choice} (cast by {holder} at {at})."
            ).format(holder=vote.cast_by, **params)
        )
    else:
        info(
            _("Recorded the vote of {person} on motion {motion}: {choice} (at {at}).").format(
                **params
            )
        )


@motion_app.command(
    "recuse",
    cls=ComunidadCommand,
    help=_("A member steps aside from a motion for a conflict of interest."),
)
def motion_recuse(
    motion: MotionArgument,
    person: Annotated[str, person_option(_("Who recuses."))],
    reason: Annotated[str, typer.Option("--reason", help=_("The declared conflict."))],
    at: AtOption = None,
) -> None:
    from comunidad_cli.services.motions import recuse

    recuse(database_url(), motion, person, reason, at)


def _print_result(result: dict[str, Any]) -> None:
    console = stdout_console()
    label = outcome_label(result.get("outcome") or result.get("provisional_outcome") or "")
    if not result.get("closed", True):
        label = _("open; as things stand: {outcome}").format(outcome=label)
    console.print(
        f"[bold]{markup(result.get('title', result['motion']))}[/bold] ({result['motion']})",
        highlight=False,
    )
    explained = explain_tally(result, "terminal")
    console.print(explained.votes)
    if explained.dual is not None:
        console.print(explained.dual, markup=False, highlight=False)
    console.print(explained.quorum)
    if explained.chair is not None:
        console.print(explained.chair)
    for recusal in explained.recusals:
        console.print(recusal, markup=False)
    console.print(label, style="bold", markup=False, highlight=False)


@motion_app.command(
    "close",
    cls=ComunidadCommand,
    help=_("Close the vote: the by-laws decide adopted, rejected or no quorum."),
)
def motion_close(
    motion: Annotated[
        str | None,
        typer.Argument(
            metavar="MOTION",
            help=_("The motion's id (or --all)."),
            show_default=False,
            autocompletion=complete_motion,
        ),
    ] = None,
    at: AtOption = None,
    chair_vote: Annotated[
        str | None,
        typer.Option(
            "--chair-vote",
            help=_("The chair's casting vote on a tie, where the by-laws give one: yes or no."),
            show_default=False,
        ),
    ] = None,
    close_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help=_(
                "Close every open motion, each at --at or else at its last vote"
                " (a meeting recorded afterwards)."
            ),
        ),
    ] = False,
    meeting: Annotated[
        str | None,
        value_option("--meeting", "MEETING", _("With --all: only this meeting's motions.")),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    if close_all or motion is None:
        _close_all(motion, close_all, meeting, at, chair_vote, as_json)
        return
    if meeting is not None:
        fail(_("--meeting goes with --all: a motion's id already names its meeting"), 2)
    from comunidad_cli.services.motions import close_motion

    result = close_motion(database_url(), motion, at=at, chair_vote=chair_vote)
    if as_json:
        _print_json(result)
    else:
        _print_result(result)


def _close_all(
    motion: str | None,
    close_all: bool,
    meeting: str | None,
    at: str | None,
    chair_vote: str | None,
    as_json: bool,
) -> None:
    """`motion close --all [--meeting M]`: every open motion, with a summary of the outcomes."""
    if motion is not None:
        fail(_("give a motion's id or --all, not both"), 2)
    if not close_all:
        fail(_("give the motion's id, or --all to close every open motion"), 2)
    if chair_vote is not None:
        fail(_("--chair-vote is for one motion: give its id instead of --all"), 2)
    from comunidad_cli.services.motions import close_all as close_every

    summary = close_every(database_url(), meeting, at)
    if as_json:
        _print_json(summary)
        return
    if not summary["closed"]:
        info(_("No open motions to close."))
        return
    lines = [
        _("{motion}: {outcome} (yes {yes}, no {no}, abstain {abstain})").format(
            motion=item["motion"],
            outcome=outcome_name(item["outcome"]),
            yes=item["yes"],
            no=item["no"],
            abstain=item["abstain"],
        )
        for item in summary["motions"]
    ]
    lines.append(
        ngettext(
            "{closed} motion closed: {adopted} adopted, {rejected} rejected, {no_quorum} without quorum.",
            "{closed} motions closed: {adopted} adopted, {rejected} rejected, {no_quorum} without quorum.",
            summary["closed"],
        ).format(
            closed=summary["closed"],
            adopted=summary["adopted"],
            rejected=summary["rejected"],
            no_quorum=summary["no_quorum"],
        )
    )
    write_stdout("\n".join(lines) + "\n")


@motion_app.command(
    "show", cls=ComunidadCommand, help=_("A motion's tally, quorum, voters and outcome.")
)
def motion_show(
    motion: MotionArgument,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.motions import show_motion

    result = show_motion(database_url(), motion)
    if as_json:
        _print_json(result)
    else:
        _print_result(result)


@motion_app.command(
    "list", cls=ComunidadCommand, help=_("List motions in the order they were put, with outcomes.")
)
def motion_list(
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            metavar="MEETING",
            help=_("Only this meeting's motions."),
            show_default=False,
            autocompletion=complete_meeting,
        ),
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help=_("Only the motions not closed yet."))
    ] = False,
    as_json: JsonOption = False,
) -> None:
    from datetime import datetime

    from comunidad_cli.i18n import format_datetime
    from comunidad_cli.services.motions import list_motions

    rows = list_motions(database_url(), meeting, open_only=open_only)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        info(_('No motions: put one with "comunidad motion new".'))
        return
    from comunidad_cli.cli.directory import format_table

    # Plain columns, as `meeting list` draws them: the ids are copied from here, never cut.
    write_stdout(
        format_table(
            [_("Motion"), _("Meeting"), _("Decision"), _("Title"), _("Put at"), _("Outcome")],
            [
                [
                    row["key"],
                    row["meeting"],
                    row["decision"],
                    row["title"],
                    format_datetime(datetime.fromisoformat(row["opened_at"]), "short"),
                    outcome_name(row["outcome"]),
                ]
                for row in rows
            ],
            whole=(0, 1),
        )
    )
