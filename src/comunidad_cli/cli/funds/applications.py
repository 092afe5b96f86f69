"""`comunidad fund open|list|show|apply|applications`: a round opened in the database, where
it stands, and the applications to it (their admissibility and appeals are
`cli/funds/admissibility.py`). Thin: parse, call `services/funds/applications.py`, render."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    current_workspace,
    database_url,
    fail,
    info,
    print_json,
    render,
    write_stdout,
)
from comunidad_cli.cli.funds.round import fund_app
from comunidad_cli.cli.grants.common import JsonOption, _amount, _decimal_mark, _lines, _refusals
from comunidad_cli.i18n import _, fill

if TYPE_CHECKING:
    from collections.abc import Mapping

    from comunidad_cli.core.messages import Msg
    from comunidad_cli.services.funds.views import ApplicationView, RoundView

RoundArgument = Annotated[
    str, typer.Argument(metavar="ROUND", help=_("The round's id."), show_default=False)
]
ApplicationArgument = Annotated[
    str, typer.Argument(metavar="APPLICATION", help=_("The application's id."), show_default=False)
]


def _state_text(state: str) -> str:
    return {
        "pending": _("not yet judged"),
        "admitted": _("admitted"),
        "refused": _("refused"),
        "withdrawn": _("withdrawn"),
    }[state]


def _reason_text(msg: Msg, currency: str, titles: Mapping[str, str] | None = None) -> str:
    """A reason in words; the applications it names (`earlier`, the ones that came first)
    with their projects' titles beside their ids when `titles` has them."""
    from comunidad_cli.cli.grants.render import render_money

    earlier = msg.params.get("earlier")
    if titles and isinstance(earlier, str) and earlier:
        from dataclasses import replace
        from types import MappingProxyType

        from comunidad_cli.cli.funds.evaluation import named

        shown = ", ".join(named(key, titles.get(key)) for key in earlier.split(", "))
        msg = replace(msg, params=MappingProxyType({**msg.params, "earlier": shown}))
    return render_money(msg, currency)


def _with_texts(
    data: dict[str, Any],
    reasons: tuple[Msg, ...],
    currency: str,
    titles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A JSON object whose stored reasons each gain `text`, in the reader's language."""
    data["reasons"] = [
        {**stored, "text": _reason_text(msg, currency, titles)}
        for stored, msg in zip(data["reasons"], reasons, strict=True)
    ]
    return data


@fund_app.command(
    "open",
    cls=ComunidadCommand,
    help=_(
        "Open a round from its file (it must pass fund check, its body one of the by-laws');"
        " again with a changed file while applications are open: the new text is in force."
    ),
)
def fund_open(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help=_("The round file."), show_default=False)
    ],
    grant: Annotated[
        str | None,
        typer.Option(
            "--grant",
            metavar="GRANT",
            help=_("The grant its awards are paid from (in the round's currency)."),
            show_default=False,
        ),
    ] = None,
    bylaws: Annotated[
        str | None,
        typer.Option(
            "--bylaws",
            metavar="FILE",
            help=_("Which by-laws, a file or an id (when the workspace has several)."),
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help=_("Who opens it."), show_default=False),
    ] = None,
) -> None:
    from comunidad_cli.cli.bylaws import CheckFormat, emit_findings
    from comunidad_cli.core.funds.codes import CODES
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.funds.applications import open_round
    from comunidad_cli.services.funds.round_files import check_file
    from comunidad_cli.services.imports.engine import decimal_mark_for

    checked = check_file(file, decimal_mark=decimal_mark_for(current_locale()))
    if checked.findings:
        emit_findings(
            list(checked.findings), [checked.path], 1, CheckFormat.text, False, False, CODES
        )
    workspace = current_workspace()
    assert workspace is not None
    with _refusals():
        opened = open_round(
            database_url(), file, workspace.bylaws_dir, bylaws=bylaws, grant=grant, by=by
        )
    if opened.outcome == "opened":
        info(_("Opened the round {round}.").format(round=opened.key))
    elif opened.outcome == "updated":
        info(_("Round {round}: the new text is in force.").format(round=opened.key))
    else:
        info(
            _("Round {round}: the same file is open already; nothing changed.").format(
                round=opened.key
            )
        )
    if opened.plan is not None:
        info(_("The priorities it serves are needs of the plan {plan}.").format(plan=opened.plan))
    else:
        info(
            _(
                "No improvement plan of its body was in force on the day of the call: the"
                " priorities it serves are not checked against one."
            )
        )


def _date(value: date | None) -> str:
    from comunidad_cli.cli.directory import show_date

    return show_date(value)


def _round_fields(view: RoundView) -> str:
    from comunidad_cli.cli.grants.render import _fields, money_text
    from comunidad_cli.i18n import current_language

    name = view.name.get(current_language()) or next(iter(view.name.values()), view.key)
    d = view.dates
    counts = _("{admitted} admitted, {refused} refused, {pending} not yet judged").format(
        admitted=view.counts["admitted"],
        refused=view.counts["refused"],
        pending=view.counts["pending"],
    )
    pairs: list[tuple[str, str | None]] = [
        (_("id"), view.key),
        (_("name"), name),
        (_("body"), view.body),
        (_("by-laws"), view.bylaws),
        (_("budget"), money_text(view.budget, view.currency)),
        (_("grant"), view.grant),
        (_("call"), _date(d.call)),
        (
            _("applications"),
            fill(
                _("{start} to {end}"),
                start=_date(d.applications_open),
                end=_date(d.applications_close),
            ),
        ),
        (_("admissibility"), _date(d.admissibility)),
        (_("appeals until"), _date(d.appeals_until)),
        (_("evaluation"), _date(d.evaluation)),
        (_("award"), _date(d.award)),
        (_("applications received"), str(sum(view.counts.values()))),
        (_("admissibility so far"), counts),
    ]
    if view.on_appeal or view.appeals_pending:
        pairs.append(
            (
                _("appeals"),
                _("{decided} decided, {pending} to decide").format(
                    decided=view.on_appeal, pending=view.appeals_pending
                ),
            )
        )
    if view.min_score is not None and view.award_mode is not None:
        from comunidad_cli.core.funds.scoring import shown_score
        from comunidad_cli.i18n import format_number
        from comunidad_cli.render.funds import mode_name

        pairs.append((_("minimum score"), format_number(shown_score(view.min_score), 2)))
        pairs.append((_("award mode"), mode_name(view.award_mode)))
    if view.stage is not None:
        pairs.append((_("stage"), render(view.stage.text)))
        if view.stage.next is not None:
            pairs.append((_("next"), render(view.stage.next)))
    return _fields(pairs)


def _file_note(view: RoundView, file: Path) -> str | None:
    """What `fund show` says when the round's file no longer says what the text in force
    says: the edit changes nothing until `fund open` loads it, and only while applications
    are open (a Catalan tester lowered min_score in the file and ranked under the old one)."""
    if view.file_state != "differs" or view.loaded_at is None:
        return None
    from comunidad_cli import clock
    from comunidad_cli.i18n import format_moment

    close = view.dates.applications_close
    template = (
        _(
            "{file} differs from the text in force (loaded {at}): applications closed on"
            " {close}, so the round keeps the text in force; its rules no longer change."
        )
        if clock.today() > close
        else _(
            "{file} differs from the text in force (loaded {at}): nothing changes until"
            ' "comunidad fund open {file}" loads it, which it may until applications close'
            " on {close}."
        )
    )
    return fill(template, file=str(file), at=format_moment(view.loaded_at), close=_date(close))


@fund_app.command("list", cls=ComunidadCommand, help=_("List the rounds opened, the latest first."))
def fund_list(as_json: JsonOption = False) -> None:
    from comunidad_cli.cli.grants.render import _table, money_text
    from comunidad_cli.services.funds.views import list_rounds

    with _refusals():
        found = list_rounds(database_url())
    if as_json:
        print_json([v.as_json() for v in found])
        return
    if not found:
        info(_('No rounds yet: open one with "comunidad fund open FILE".'))
        return
    write_stdout(
        _table(
            [_("ID"), _("BODY"), _("CLOSES"), _("BUDGET"), _("APPLICATIONS")],
            [
                [
                    v.key,
                    v.body,
                    _date(v.dates.applications_close),
                    money_text(v.budget, v.currency),
                    str(sum(v.counts.values())),
                ]
                for v in found
            ],
            right=(3, 4),
        )
    )


@fund_app.command(
    "show",
    cls=ComunidadCommand,
    help=_(
        "Show a round: its dates, budget, grant, applications by admissibility, where it"
        " stands and the next command to type. --json's stage.code is one of not_open, open,"
        " no_applications, not_judged, appeals, none_admissible, scoring, flagged, ready,"
        " proposed, adopted, contracted, with the counts behind it."
    ),
)
def fund_show(round_key: RoundArgument, as_json: JsonOption = False) -> None:
    from comunidad_cli.cli.funds.evaluation import _bylaws_folder
    from comunidad_cli.cli.funds.round import _folder
    from comunidad_cli.services.funds.views import show_round

    file = _folder() / f"{round_key.strip()}.toml"
    with _refusals():
        view = show_round(database_url(), round_key, _bylaws_folder(), file)
    if as_json:
        data = view.as_json()
        if view.stage is not None:
            data["stage"]["text"] = render(view.stage.text)
            data["stage"]["next"] = None if view.stage.next is None else render(view.stage.next)
        print_json(data)
        return
    write_stdout(_round_fields(view))
    note = _file_note(view, file)
    if note is not None:
        info(note)


@fund_app.command(
    "apply",
    cls=ComunidadCommand,
    help=_(
        "Record an organisation's application to a round, inside its applications window"
        " (--at, else now)."
    ),
)
def fund_apply(
    round_key: RoundArgument,
    org: Annotated[
        str,
        typer.Option(
            "--org", metavar="ORG", help=_("The applying organisation's id."), show_default=False
        ),
    ],
    project: Annotated[
        str,
        typer.Option(
            "--project",
            metavar="TEXT",
            help=_("The project's title, as typed."),
            show_default=False,
        ),
    ],
    amount: Annotated[
        str,
        typer.Option(
            "--amount",
            metavar="MONEY",
            help=_("The amount asked, as the locale writes it (1.500.000 in Spanish)."),
            show_default=False,
        ),
    ],
    own: Annotated[
        str | None,
        typer.Option(
            "--own",
            metavar="MONEY",
            help=_("The organisation's own contribution (default 0)."),
            show_default=False,
        ),
    ] = None,
    priority: Annotated[
        str | None,
        typer.Option(
            "--priority",
            metavar="NEED",
            help=_("The plan's need it serves (one of the priorities the round serves, `serves`)."),
            show_default=False,
        ),
    ] = None,
    lines: Annotated[
        list[str] | None,
        typer.Option(
            "--line",
            metavar="CATEGORY=AMOUNT",
            help=_("A budget line of the amount asked, e.g. materiales=1.200.000; repeat."),
            show_default=False,
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="TIME",
            help=_("When it was submitted: YYYY-MM-DD HH:MM (default: now)."),
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help=_("The application's id (default: organisation and project)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.cli.grants.render import money_text
    from comunidad_cli.core.messages import Msg
    from comunidad_cli.core.when import clock_change, parse_when
    from comunidad_cli.services.facts import local_zone
    from comunidad_cli.services.funds.applications import apply

    when = None
    if at is not None:
        found = parse_when(at, local_zone())
        if isinstance(found, Msg):
            fail(render(found), 1 if clock_change(found) else 2)
        when = found
    from decimal import Decimal

    asked = _amount(amount, "--amount")
    given = _amount(own, "--own") if own is not None else Decimal(0)
    parsed = _lines(lines)
    with _refusals():
        view = apply(
            database_url(),
            round_key,
            org=org,
            project=project,
            amount=asked,
            own=given,
            priority=priority,
            lines=parsed,
            at=when,
            key=key,
            decimal_mark=_decimal_mark(),
        )
    info(
        _("Recorded the application {key} of {org} to {round}: {amount}.").format(
            key=view.key,
            org=view.organisation,
            round=view.round,
            amount=money_text(view.amount, view.currency),
        )
    )
    write_stdout(view.key + "\n")


def _state_of(view: ApplicationView) -> str:
    text = _state_text(view.state)
    if view.on_appeal:
        text = _("{state} (on appeal)").format(state=text)
    if view.appeal_pending:
        text = _("{state}, appeal to decide").format(state=text)
    return text


@fund_app.command(
    "applications",
    cls=ComunidadCommand,
    help=_("List a round's applications with their standing admissibility."),
)
def fund_applications(round_key: RoundArgument, as_json: JsonOption = False) -> None:
    from comunidad_cli.cli.grants.render import _table, money_text
    from comunidad_cli.services.funds.views import list_applications

    with _refusals():
        found = list_applications(database_url(), round_key)
    titles = {v.key: v.project for v in found}
    if as_json:
        print_json([_with_texts(v.as_json(), v.reasons, v.currency, titles) for v in found])
        return
    if not found:
        info(_('No applications yet: record one with "comunidad fund apply".'))
        return
    write_stdout(
        _table(
            [_("ID"), _("ORGANISATION"), _("PROJECT"), _("AMOUNT"), _("ADMISSIBILITY")],
            [
                [
                    v.key,
                    v.organisation,
                    v.project,
                    money_text(v.amount, v.currency),
                    "; ".join(
                        [_state_of(v), *(_reason_text(r, v.currency, titles) for r in v.reasons)]
                    ),
                ]
                for v in found
            ],
            right=(3,),
            whole=(0, 1),
        )
    )
