"""`comunidad meeting ...`: call a meeting, record who arrives and leaves, see quorum, close it.

The `minutes` and `correct` commands of this group are in `cli/meetings/minutes.py`, the
module `cli/app.py` (`LAZY`) names for the group, which adds them to `meeting_app`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    command_group,
    current_workspace,
    database_url,
    fail,
    info,
    maybe_day,
    render,
    stdout_console,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.completion import complete_person
from comunidad_cli.cli.meetings.common import (
    AtOption,
    JsonOption,
    MeetingArgument,
    _print_json,
    person_option,
)
from comunidad_cli.i18n import (
    _,
    fill,
    format_datetime,
    format_time,
    ngettext,
    translated,
)
from comunidad_cli.render.tally import outcome_name
from comunidad_cli.render.text import markup

meeting_app = command_group(
    _("Meetings: call them, record who arrives and leaves, see quorum, write the minutes.")
)


@meeting_app.command(
    "new",
    cls=ComunidadCommand,
    help=_("Call a meeting of a body; warns when the notice is shorter than the by-laws require."),
)
def meeting_new(
    body: Annotated[
        str,
        typer.Option(
            "--body", metavar="BODY", help=_("The body that meets (its id in the by-laws).")
        ),
    ],
    at: Annotated[str, typer.Option("--at", metavar="TIME", help=_("Start: YYYY-MM-DD HH:MM."))],
    kind: Annotated[
        str, typer.Option("--kind", metavar="KIND", help=_("regular or special."))
    ] = "regular",
    notice_sent: Annotated[
        str | None, value_option("--notice-sent", "DATE", _("The day the notice went out."))
    ] = None,
    bylaws_id: Annotated[
        str | None,
        value_option("--bylaws", "ID", _("Which by-laws (when the workspace has several).")),
    ] = None,
    key: Annotated[
        str | None, value_option("--id", "KEY", _("The meeting's id (default: body and date)."))
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", metavar="TITLE", help=_("A title for the minutes."), show_default=False
        ),
    ] = None,
) -> None:
    from comunidad_cli.core.messages import Msg
    from comunidad_cli.core.when import clock_change, parse_when
    from comunidad_cli.services.facts import local_zone
    from comunidad_cli.services.meetings import new_meeting

    when = parse_when(at, local_zone())
    if isinstance(when, Msg):
        fail(render(when), 1 if clock_change(when) else 2)
    sent = maybe_day(notice_sent, "--notice-sent")
    workspace = current_workspace()
    assert workspace is not None
    created = new_meeting(
        database_url(),
        workspace.bylaws_dir,
        body=body,
        at=when,
        kind=kind,
        notice_sent=sent,
        bylaws_id=bylaws_id,
        key=key,
        title=title,
    )
    for warning in created.warnings:
        info(_("warning: {message}").format(message=render(warning)))
    info(
        fill(
            _("Recorded the meeting of {body} with id {key}, on {at}."),
            body=body,
            key=created.key,
            at=format_datetime(when, "short"),
        )
    )
    write_stdout(created.key + "\n")  # the id alone on stdout, for scripts


@meeting_app.command("list", cls=ComunidadCommand, help=_("List meetings, oldest first."))
def meeting_list(
    body: Annotated[
        str | None,
        typer.Option(
            "--body", metavar="BODY", help=_("Only this body's meetings."), show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from datetime import datetime

    from comunidad_cli.services.meetings import list_meetings

    rows = list_meetings(database_url(), body)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        info(_('No meetings yet: call one with "comunidad meeting new".'))
        return
    from comunidad_cli.cli.directory import format_table

    # Plain columns, as `person list` and `member list` draw them (Rich took a second for
    # a thousand meetings); the id is copied from here: never wrapped nor cut.
    write_stdout(
        format_table(
            [_("Meeting"), _("Body"), _("When"), _("Kind"), _("Closed")],
            [
                [
                    row["key"],
                    row["body"],
                    format_datetime(datetime.fromisoformat(row["scheduled_at"]), "short"),
                    translated(row["kind"]),
                    _("yes") if row["ended_at"] else _("no"),
                ]
                for row in rows
            ],
        )
    )


@meeting_app.command(
    "show", cls=ComunidadCommand, help=_("Who is present and whether quorum holds, now or at --at.")
)
def meeting_show(
    meeting: MeetingArgument,
    at: AtOption = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.meetings import show_meeting

    view = show_meeting(database_url(), meeting, at)
    if as_json:
        _print_json(view.as_json())
        return
    console = stdout_console()
    console.print(
        f"[bold]{markup(view.body_name)}[/bold] · {view.key}"
        f" · {format_datetime(view.scheduled_at, 'short')}"
    )
    voting = sum(1 for _k, _n, is_voting in view.present if is_voting)
    console.print(
        fill(
            ngettext(
                "At {time}: {present} present,", "At {time}: {present} present,", len(view.present)
            ),
            time=format_datetime(view.at, "short"),
            present=len(view.present),
        )
        + " "
        + ngettext(
            "{voting} of them a voting member.", "{voting} of them voting members.", voting
        ).format(voting=voting)
    )
    quorum = view.quorum
    state = _("quorum holds") if quorum.met else _("NO QUORUM")
    console.print(
        ngettext(
            "Quorum: {present} present, {required} needed ({basis}): {state}.",
            "Quorum: {present} present, {required} needed ({basis}): {state}.",
            quorum.present,
        ).format(
            present=quorum.present,
            required=quorum.required,
            basis=render(quorum.basis),
            state=state,
        )
    )
    for minimum in quorum.minimums:
        console.print(
            ngettext(
                "  {cls}: {present} present, {required} needed",
                "  {cls}: {present} present, {required} needed",
                minimum.present,
            ).format(cls=minimum.member_class, present=minimum.present, required=minimum.required)
        )
    for key, name, voting in view.present:
        suffix = "" if voting else " — " + _("no vote")
        console.print(f"  • {name} ({key}){suffix}", markup=False)
    for motion in view.motions:
        outcome = outcome_name(motion["outcome"])
        console.print(f"  ▸ {motion['key']}: {motion['title']} [{outcome}]", markup=False)
    if view.ended_at is not None:
        console.print(
            fill(
                _("Closed at {time}: changed only by a recorded correction."),
                time=format_datetime(view.ended_at, "short"),
            ),
            markup=False,
        )
    for when, by, text in view.corrections:
        console.print(
            "  ✎ "
            + fill(
                _("{date}, {name}: {text}"), date=format_datetime(when, "short"), name=by, text=text
            ),
            markup=False,
            highlight=False,
        )


def _presence(meeting: str, person: str, at: str | None, arrived: bool) -> None:
    from comunidad_cli.services.meetings import record_presence

    when = record_presence(database_url(), meeting, person, arrived=arrived, at=at)
    template = _("{person} arrived at {time}") if arrived else _("{person} left at {time}")
    info(template.format(person=person, time=format_time(when)))


@meeting_app.command(
    "attend", cls=ComunidadCommand, help=_("Record that a person arrived (now or at --at).")
)
def meeting_attend(
    meeting: MeetingArgument,
    person: Annotated[str, person_option(_("The person's id."))],
    at: AtOption = None,
) -> None:
    _presence(meeting, person, at, True)


@meeting_app.command(
    "leave", cls=ComunidadCommand, help=_("Record that a person left (now or at --at).")
)
def meeting_leave(
    meeting: MeetingArgument,
    person: Annotated[str, person_option(_("The person's id."))],
    at: AtOption = None,
) -> None:
    _presence(meeting, person, at, False)


@meeting_app.command(
    "proxy",
    cls=ComunidadCommand,
    help=_("Register a proxy: GIVER lets HOLDER vote for them (where the by-laws allow)."),
)
def meeting_proxy(
    meeting: MeetingArgument,
    holder: Annotated[
        str,
        typer.Option(
            "--holder",
            metavar="HOLDER",
            help=_("Who holds the proxy (must be present to vote)."),
            autocompletion=complete_person,
        ),
    ],
    giver: Annotated[
        str,
        typer.Option(
            "--giver", metavar="PERSON", help=_("Who gives it."), autocompletion=complete_person
        ),
    ],
) -> None:
    from comunidad_cli.services.meetings import add_proxy

    add_proxy(database_url(), meeting, holder=holder, giver=giver)
    info(_("{holder} holds {giver}'s proxy.").format(holder=holder, giver=giver))


@meeting_app.command(
    "close", cls=ComunidadCommand, help=_("End the meeting (every motion must be closed first).")
)
def meeting_close(
    meeting: MeetingArgument,
    at: AtOption = None,
) -> None:
    from comunidad_cli.services.meetings import close_meeting

    when = close_meeting(database_url(), meeting, at)
    info(
        fill(
            _("Meeting {meeting} closed at {time}."),
            meeting=meeting,
            time=format_datetime(when, "short"),
        )
    )
