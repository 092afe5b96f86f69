"""`comunidad fund admissibility|appeal|withdraw|decide-appeal`: the applications of a
round judged admissible or not, a refused one's appeal ("reconsideración") and its decision,
and an organisation withdrawing its application. Thin: parse, call
`services/funds/admissibility.py`, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    database_url,
    day_option,
    fail,
    info,
    print_json,
    write_stdout,
)
from comunidad_cli.cli.funds.applications import (
    ApplicationArgument,
    RoundArgument,
    _reason_text,
    _state_text,
    _with_texts,
)
from comunidad_cli.cli.funds.round import fund_app
from comunidad_cli.cli.grants.common import JsonOption, _refusals
from comunidad_cli.i18n import _

if TYPE_CHECKING:
    pass


@fund_app.command(
    "admissibility",
    cls=ComunidadCommand,
    help=_(
        "Judge every application of a round not judged yet against its rules, every reason"
        " given; --dry-run shows without recording."
    ),
)
def fund_admissibility(
    round_key: RoundArgument,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_("The day of the judgement, after applications close (default: today)."),
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show the judgement, record nothing."))
    ] = False,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help=_("Who judges."), show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli import clock
    from comunidad_cli.cli.grants.render import _table
    from comunidad_cli.services.funds.admissibility import judge_round

    day = day_option(on, "--on") if on is not None else clock.today()
    with _refusals():
        found = judge_round(database_url(), round_key, on=day, dry_run=dry_run, by=by)
    if as_json:
        print_json(
            {
                "round": found.round,
                "on": found.on.isoformat(),
                "dry_run": found.dry_run,
                "already_judged": found.already,
                "applications": [
                    _with_texts(j.as_json(), j.reasons, found.currency) for j in found.judged
                ],
            }
        )
        return
    if not found.judged:
        info(
            _("Nothing to judge: every application of {round} has a decision.").format(
                round=found.round
            )
        )
        return
    rows: list[list[str]] = []
    for j in found.judged:
        state = _state_text("admitted" if j.admissible else "refused")
        if not j.reasons:
            rows.append([j.key, j.organisation, state, ""])
        for index, reason in enumerate(j.reasons):
            first = index == 0
            rows.append(
                [
                    j.key if first else "",
                    j.organisation if first else "",
                    state if first else "",
                    _reason_text(reason, found.currency),
                ]
            )
    write_stdout(
        _table([_("ID"), _("ORGANISATION"), _("ADMISSIBILITY"), _("REASONS")], rows, whole=(0, 1))
    )
    admitted = sum(1 for j in found.judged if j.admissible)
    summary = _("{admitted} admitted, {refused} refused.").format(
        admitted=admitted, refused=len(found.judged) - admitted
    )
    if found.dry_run:
        summary = _("Dry run: {summary} Nothing was recorded.").format(summary=summary)
    info(summary)


@fund_app.command(
    "appeal",
    cls=ComunidadCommand,
    help=_(
        "Record a refused applicant's appeal (reconsideración), until the round's last day for"
        " appeals (`appeals_until`)."
    ),
)
def fund_appeal(
    application: ApplicationArgument,
    text: Annotated[
        str,
        typer.Option(
            "--text", metavar="TEXT", help=_("The appeal, as written."), show_default=False
        ),
    ],
    by: Annotated[
        str, typer.Option("--by", metavar="NAME", help=_("Who records it."), show_default=False)
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_("The day it was filed (default: today)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli import clock
    from comunidad_cli.services.funds.admissibility import file_appeal

    day = day_option(on, "--on") if on is not None else clock.today()
    with _refusals():
        key, _until = file_appeal(database_url(), application, text=text, on=day, by=by)
    info(_("Recorded the appeal of {key}.").format(key=key))


@fund_app.command(
    "withdraw",
    cls=ComunidadCommand,
    help=_(
        "Record that the applying organisation withdrew an application, until its"
        " admissibility is decided: kept beside it (never deleted), it is not judged, ranked"
        " nor counted against the applications each organisation may make."
    ),
)
def fund_withdraw(
    application: ApplicationArgument,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            metavar="NAME",
            help=_("Who withdraws it, for the organisation."),
            show_default=False,
        ),
    ],
    reason: Annotated[
        str,
        typer.Option("--reason", metavar="TEXT", help=_("Why, as written."), show_default=False),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_("The day it was withdrawn (default: today)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.funds.admissibility import withdraw

    day = day_option(on, "--on") if on is not None else None
    with _refusals():
        key = withdraw(database_url(), application, by=by, reason=reason, on=day)
    info(_("{key} is withdrawn.").format(key=key))


@fund_app.command(
    "decide-appeal",
    cls=ComunidadCommand,
    help=_(
        "Decide an application's appeal: a new admissibility decision naming the appeal (the"
        " earlier one stays as history)."
    ),
)
def fund_decide_appeal(
    application: ApplicationArgument,
    reason: Annotated[
        str,
        typer.Option("--reason", metavar="TEXT", help=_("Why, as written."), show_default=False),
    ],
    by: Annotated[
        str, typer.Option("--by", metavar="NAME", help=_("Who decides."), show_default=False)
    ],
    admit: Annotated[bool, typer.Option("--admit", help=_("The application is admitted."))] = False,
    refuse: Annotated[bool, typer.Option("--refuse", help=_("The refusal stands."))] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_(
                "The day it was decided, from the appeal's filing to the end of evaluation"
                " (default: today)."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.funds.admissibility import decide_appeal

    if admit == refuse:
        fail(_("give one of --admit or --refuse"), 2)
    day = day_option(on, "--on") if on is not None else None
    with _refusals():
        key = decide_appeal(database_url(), application, admit=admit, reason=reason, by=by, on=day)
    if admit:
        info(_("{key} is admitted on appeal.").format(key=key))
    else:
        info(_("{key}: the refusal stands on appeal.").format(key=key))
