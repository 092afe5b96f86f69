"""`comunidad meeting ...` and `comunidad motion ...`: running a meeting from the terminal."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    ComunidadGroup,
    current_workspace,
    database_url,
    day_option,
    fail,
    info,
    render,
    stdout_console,
    write_stdout,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, format_datetime, format_time, ngettext, translated
from comunidad_cli.render.text import markup

meeting_app = typer.Typer(
    cls=ComunidadGroup,
    help=_("Meetings: call them, record who arrives and leaves, see quorum, write the minutes."),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)
motion_app = typer.Typer(
    cls=ComunidadGroup,
    help=_(
        "Motions: put them, record votes and recusals, close them; the by-laws decide the outcome."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

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
    typer.Option(
        "--at",
        metavar="TIME",
        help=_("When: YYYY-MM-DD HH:MM, or HH:MM on the meeting's day (default: now)."),
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON only."))]


_OUTCOMES = {"adopted": N_("adopted"), "rejected": N_("rejected"), "no_quorum": N_("no quorum")}


def _print_json(data: Any) -> None:
    write_stdout(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@meeting_app.command(
    "new",
    cls=ComunidadCommand,
    help=_("Call a meeting of a body; warns when the notice is shorter than the by-laws require."),
)
def meeting_new(
    body: Annotated[
        str, typer.Option("--body", help=_("The body that meets (its id in the by-laws)."))
    ],
    at: Annotated[str, typer.Option("--at", metavar="TIME", help=_("Start: YYYY-MM-DD HH:MM."))],
    kind: Annotated[str, typer.Option("--kind", help=_("regular or special."))] = "regular",
    notice_sent: Annotated[
        str | None,
        typer.Option(
            "--notice-sent",
            metavar="DATE",
            help=_("The day the notice went out."),
            show_default=False,
        ),
    ] = None,
    bylaws_id: Annotated[
        str | None,
        typer.Option(
            "--bylaws",
            metavar="ID",
            help=_("Which by-laws (when the workspace has several)."),
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="KEY",
            help=_("The meeting's id (default: body and date)."),
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help=_("A title for the minutes."), show_default=False)
    ] = None,
) -> None:
    from comunidad_cli.core.messages import Msg
    from comunidad_cli.core.when import clock_change, parse_when
    from comunidad_cli.services.facts import local_zone
    from comunidad_cli.services.meetings import new_meeting

    when = parse_when(at, local_zone())
    if isinstance(when, Msg):
        fail(render(when), 1 if clock_change(when) else 2)
    sent = day_option(notice_sent, "--notice-sent") if notice_sent is not None else None
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
    write_stdout(created.key + "\n")


@meeting_app.command("list", cls=ComunidadCommand, help=_("List meetings, oldest first."))
def meeting_list(
    body: Annotated[
        str | None, typer.Option("--body", help=_("Only this body's meetings."), show_default=False)
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
    meeting: Annotated[str, typer.Argument(help=_("The meeting's id."), show_default=False)],
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
    console.print(
        _("At {time}: {present} present, {voting} of them voting members.").format(
            time=format_datetime(view.at, "short"),
            present=len(view.present),
            voting=sum(1 for _k, _n, voting in view.present if voting),
        )
    )
    quorum = view.quorum
    state = _("quorum holds") if quorum.met else _("NO QUORUM")
    console.print(
        _("Quorum: {present} present, {required} needed ({basis}): {state}.").format(
            present=quorum.present,
            required=quorum.required,
            basis=render(quorum.basis),
            state=state,
        )
    )
    for minimum in quorum.minimums:
        console.print(
            _("  {cls}: {present} present, {required} needed").format(
                cls=minimum.member_class, present=minimum.present, required=minimum.required
            )
        )
    for key, name, voting in view.present:
        suffix = "" if voting else " — " + _("no vote")
        console.print(f"  • {name} ({key}){suffix}", markup=False)
    for motion in view.motions:
        outcome = _OUTCOMES.get(motion["outcome"] or "", N_("open"))
        outcome = translated(outcome)
        console.print(f"  ▸ {motion['key']}: {motion['title']} [{outcome}]", markup=False)
    if view.ended_at is not None:
        console.print(
            _("Closed at {time}: changed only by a recorded correction.").format(
                time=format_datetime(view.ended_at, "short")
            ),
            markup=False,
        )
    for when, by, text in view.corrections:
        console.print(
            "  ✎ "
            + _("{date}, {name}: {text}").format(
                date=format_datetime(when, "short"), name=by, text=text
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
    meeting: Annotated[str, typer.Argument(help=_("The meeting's id."), show_default=False)],
    person: Annotated[str, typer.Option("--person", help=_("The person's id."))],
    at: AtOption = None,
) -> None:
    _presence(meeting, person, at, True)


@meeting_app.command(
    "leave", cls=ComunidadCommand, help=_("Record that a person left (now or at --at).")
)
def meeting_leave(
    meeting: Annotated[str, typer.Argument(help=_("The meeting's id."), show_default=False)],
    person: Annotated[str, typer.Option("--person", help=_("The person's id."))],
    at: AtOption = None,
) -> None:
    _presence(meeting, person, at, False)


@meeting_app.command(
    "proxy",
    cls=ComunidadCommand,
    help=_("Register a proxy: GIVER lets HOLDER vote for them (where the by-laws allow)."),
)
def meeting_proxy(
    meeting: Annotated[str, typer.Argument(help=_("The meeting's id."), show_default=False)],
    holder: Annotated[
        str, typer.Option("--holder", help=_("Who holds the proxy (must be present to vote)."))
    ],
    giver: Annotated[str, typer.Option("--giver", help=_("Who gives it."))],
) -> None:
    from comunidad_cli.services.meetings import add_proxy

    add_proxy(database_url(), meeting, holder=holder, giver=giver)
    info(_("{holder} holds {giver}'s proxy.").format(holder=holder, giver=giver))


@meeting_app.command(
    "close", cls=ComunidadCommand, help=_("End the meeting (every motion must be closed first).")
)
def meeting_close(
    meeting: Annotated[str, typer.Argument(help=_("The meeting's id."), show_default=False)],
    at: AtOption = None,
) -> None:
    from comunidad_cli.services.meetings import close_meeting

    when = close_meeting(database_url(), meeting, at)
    info(
        _("Meeting {meeting} closed at {time}.").format(
            meeting=meeting, time=format_datetime(when, "short")
        )
    )


# --- motions -------------------------------------------------------------------------------


@motion_app.command(
    "new",
    cls=ComunidadCommand,
    help=_("Put a motion; its body and vote rule come from the by-laws' decision kind."),
)
def motion_new(
    meeting: Annotated[str, typer.Option("--meeting", help=_("The meeting's id."))],
    decision: Annotated[
        str, typer.Option("--decision", help=_("The decision kind in the by-laws, e.g. ordinary."))
    ],
    title: Annotated[str, typer.Option("--title", help=_("What is being decided."))],
    at: AtOption = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="KEY",
            help=_("The motion's id (default: from the title)."),
            show_default=False,
        ),
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
    motion: Annotated[str, typer.Argument(help=_("The motion's id."), show_default=False)],
    person: Annotated[str, typer.Option("--person", help=_("Whose vote it is."))],
    choice: Annotated[str, typer.Option("--choice", help=_("yes, no or abstain."))],
    at: AtOption = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="HOLDER",
            help=_("The proxy holder who casts it for an absent member."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.motions import cast_vote

    cast_vote(database_url(), motion, person, choice, at=at, by=by)


@motion_app.command(
    "recuse",
    cls=ComunidadCommand,
    help=_("A member steps aside from a motion for a conflict of interest."),
)
def motion_recuse(
    motion: Annotated[str, typer.Argument(help=_("The motion's id."), show_default=False)],
    person: Annotated[str, typer.Option("--person", help=_("Who recuses."))],
    reason: Annotated[str, typer.Option("--reason", help=_("The declared conflict."))],
    at: AtOption = None,
) -> None:
    from comunidad_cli.services.motions import recuse

    recuse(database_url(), motion, person, reason, at)


def _print_result(result: dict[str, Any]) -> None:
    from comunidad_cli.render.tally import explain_tally, outcome_label

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
    console.print(explained.quorum)
    if explained.chair is not None:
        console.print(explained.chair)
    for recusal in explained.recusals:
        console.print(recusal, markup=False)
    console.print(f"[bold]{label}[/bold]")


@motion_app.command(
    "close",
    cls=ComunidadCommand,
    help=_("Close the vote: the by-laws decide adopted, rejected or no quorum."),
)
def motion_close(
    motion: Annotated[
        str | None,
        typer.Argument(help=_("The motion's id (or --all)."), show_default=False),
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
        typer.Option(
            "--meeting",
            metavar="MEETING",
            help=_("With --all: only this meeting's motions."),
            show_default=False,
        ),
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
            outcome=translated(_OUTCOMES[item["outcome"]]),
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
    motion: Annotated[str, typer.Argument(help=_("The motion's id."), show_default=False)],
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.motions import show_motion

    result = show_motion(database_url(), motion)
    if as_json:
        _print_json(result)
    else:
        _print_result(result)


@meeting_app.command(
    "minutes",
    cls=ComunidadCommand,
    help=_(
        "The minutes: attendance, quorum, each motion with its rule, tally and outcome; sign them off to freeze them."
    ),
)
def meeting_minutes(
    meeting: Annotated[str, typer.Argument(help=_("The meeting's id."), show_default=False)],
    output_format: Annotated[
        str, typer.Option("--format", help=_("text (drawn in a terminal), markdown or html."))
    ] = "text",
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            metavar="LOCALE",
            help=_("Language of the minutes (default: yours)."),
            show_default=False,
        ),
    ] = None,
    sign: Annotated[
        bool, typer.Option("--sign", help=_("Sign off this version: it is frozen from now on."))
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="NAME", help=_("Who signs (with --sign)."), show_default=False
        ),
    ] = None,
    draft: Annotated[
        bool,
        typer.Option("--draft", help=_("Show a fresh draft even when a signed version exists.")),
    ] = False,
) -> None:
    from comunidad_cli import i18n
    from comunidad_cli.render import minutes as doc
    from comunidad_cli.services import minutes

    if output_format not in ("text", "markdown", "html"):
        fail(_("--format is text, markdown or html"), 2)
    if locale is not None:
        chosen = i18n.normalize(locale)
        if chosen is None:
            fail(
                _('"{locale}" is not a locale such as es, es_CL, ca_ES or en').format(
                    locale=locale
                ),
                2,
            )
        i18n.activate(chosen)
    url = database_url()
    if sign:
        if not by:
            fail(_("say who signs the minutes (--by NAME)"), 2)
        document = doc.blocks(minutes.minutes_data(url, meeting))
        signed = minutes.sign(
            url, meeting, content=doc.blocks_to_json(document), locale=i18n.current_locale(), by=by
        )
        info(
            _("Minutes of {meeting} signed off: version {version}.").format(
                meeting=meeting, version=signed.version
            )
        )
        document = doc.signed_document(signed)
    else:
        signed_version = None if draft else minutes.latest_signed(url, meeting)
        if signed_version is not None:
            document = doc.signed_document(signed_version)
        else:
            document = doc.blocks(minutes.minutes_data(url, meeting))
    if output_format == "html":
        write_stdout(doc.to_html(document, i18n.current_language()))
    elif output_format == "markdown":
        write_stdout(doc.to_markdown(document))
    else:
        from rich.markdown import Markdown

        stdout_console().print(Markdown(doc.to_markdown(document)))


@meeting_app.command(
    "correct",
    cls=ComunidadCommand,
    help=_(
        "Record a correction to a closed meeting, beside its record; once the minutes are"
        " signed, as a new signed version that names the one it corrects."
    ),
)
def meeting_correct(
    meeting: Annotated[str, typer.Argument(help=_("The meeting's id."), show_default=False)],
    text: Annotated[str, typer.Option("--text", help=_("The correction: what and why."))],
    by: Annotated[str, typer.Option("--by", metavar="NAME", help=_("Who makes it."))],
) -> None:
    from datetime import datetime

    from comunidad_cli import i18n
    from comunidad_cli.render import minutes as doc
    from comunidad_cli.services import minutes

    def amend(previous: minutes.SignedMinutes, at: datetime) -> str:
        """The new version's text, in the language the corrected version was signed in."""
        mine = i18n.current_locale()
        i18n.activate(previous.locale)
        try:
            return doc.blocks_to_json(doc.corrected(previous, at, by.strip(), text.strip()))
        finally:
            i18n.activate(mine)

    done = minutes.correct(database_url(), meeting, text=text, by=by, amend=amend)
    if done.version is None:
        info(_("Correction recorded to meeting {meeting}.").format(meeting=meeting))
    else:
        info(
            _(
                "Minutes of {meeting} corrected: version {version} corrects version {corrects}."
            ).format(meeting=meeting, version=done.version, corrects=done.corrects)
        )
