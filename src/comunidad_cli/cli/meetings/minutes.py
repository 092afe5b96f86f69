"""`comunidad meeting minutes|correct`: the minutes as a document, signed and corrected.

They belong to the meeting group: this module adds them to `meeting_app`
(`cli/meetings/meeting.py`) after its own commands, and is the module `cli/app.py` (`LAZY`)
names for `meeting`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    database_url,
    fail,
    info,
    stdout_console,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.meetings.common import MeetingArgument
from comunidad_cli.cli.meetings.meeting import meeting_app
from comunidad_cli.i18n import _


@meeting_app.command(
    "minutes",
    cls=ComunidadCommand,
    help=_(
        "The minutes: attendance, quorum, each motion with its rule, tally and outcome; sign them off to freeze them."
    ),
)
def meeting_minutes(
    meeting: MeetingArgument,
    output_format: Annotated[
        str, typer.Option("--format", help=_("text (drawn in a terminal), markdown, html or json."))
    ] = "text",
    locale: Annotated[
        str | None,
        value_option("--locale", "LOCALE", _("Language of the minutes (default: yours).")),
    ] = None,
    sign: Annotated[
        bool, typer.Option("--sign", help=_("Sign off this version: it is frozen from now on."))
    ] = False,
    by: Annotated[str | None, value_option("--by", "NAME", _("Who signs (with --sign)."))] = None,
    draft: Annotated[
        bool,
        typer.Option("--draft", help=_("Show a fresh draft even when a signed version exists.")),
    ] = False,
) -> None:
    from comunidad_cli import i18n
    from comunidad_cli.render import minutes as doc
    from comunidad_cli.services import minutes

    if output_format not in ("text", "markdown", "html", "json"):
        fail(_("--format is text, markdown, html or json"), 2)
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
        signed_version: minutes.SignedMinutes | None = signed
    else:
        signed_version = None if draft else minutes.latest_signed(url, meeting)
        if signed_version is not None:
            document = doc.signed_document(signed_version)
        else:
            document = doc.blocks(minutes.minutes_data(url, meeting))
    if output_format == "json":
        write_stdout(
            doc.to_json(
                minutes.minutes_data(url, meeting),
                document,
                signed_version,
                i18n.current_language(),
            )
        )
    elif output_format == "html":
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
    meeting: MeetingArgument,
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
