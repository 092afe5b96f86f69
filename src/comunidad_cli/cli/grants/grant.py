"""`comunidad grant new|list|show`: grants received from funders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AsOfOption,
    ComunidadCommand,
    as_of_day,
    current_workspace,
    database_url,
    day_option,
    fail,
    info,
    print_json,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.grants.common import (
    JsonOption,
    KeyOption,
    _amount,
    _app,
    _decimal_mark,
    _refusals,
)
from comunidad_cli.cli.grants.render import (
    _fields,
    _period,
    _subcontract_rows,
    _table,
    money_text,
)
from comunidad_cli.i18n import _, fill

if TYPE_CHECKING:
    from comunidad_cli.services.grants.positions import GrantPosition


grant_app = _app(_("Grants received: funder, award, amount, period, required match."))


@grant_app.command(
    "new",
    cls=ComunidadCommand,
    help=_("Record a grant received from a funder (an organisation's id)."),
)
def grant_new(
    funder: Annotated[str, value_option("--funder", "ORG", _("The funder's organisation id."))],
    title: Annotated[str, value_option("--title", "TITLE", _("The grant's title."))],
    amount: Annotated[
        str,
        value_option(
            "--amount", "AMOUNT", _("The amount awarded, written the way of your locale.")
        ),
    ],
    start: Annotated[
        str, value_option("--from", "DATE", _("First day of the grant (YYYY-MM-DD)."))
    ],
    end: Annotated[str, value_option("--to", "DATE", _("Last day of the grant (YYYY-MM-DD)."))],
    currency: Annotated[
        str | None,
        value_option(
            "--currency",
            "CODE",
            _("ISO 4217 code, e.g. CLP, EUR (default: the workspace's currency)."),
        ),
    ] = None,
    award_number: Annotated[
        str | None, value_option("--award-number", "NUMBER", _("The funder's award number."))
    ] = None,
    match: Annotated[
        str | None,
        value_option("--match", "AMOUNT", _("The match (co-funding) the grant requires.")),
    ] = None,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants.grants import add_grant

    first, last = day_option(start, "--from"), day_option(end, "--to")
    if currency is None:
        workspace = current_workspace(required=False)
        currency = workspace.currency if workspace is not None else None
        if currency is None:
            fail(_("--currency: give the grant's currency, e.g. --currency EUR"), 2)
    awarded = _amount(amount, "--amount", currency)
    matched = _amount(match, "--match", currency) if match is not None else None
    with _refusals():
        grant = add_grant(
            database_url(),
            funder=funder,
            title=title,
            amount=awarded,
            currency=currency,
            start=first,
            end=last,
            award_number=award_number,
            match=matched,
            key=key,
            decimal_mark=_decimal_mark(),
        )
    info(
        fill(
            _('Recorded grant "{title}" with id {key}: {amount}, {period}.'),
            title=grant.title,
            key=grant.key,
            amount=money_text(grant.amount, grant.currency),
            period=_period(grant.start, grant.end),
        )
    )


@grant_app.command(
    "list", cls=ComunidadCommand, help=_("List the grants with what is obligated and spent.")
)
def grant_list(as_json: JsonOption = False, as_of: AsOfOption = None) -> None:
    from comunidad_cli.services.grants.positions import grant_positions

    day = as_of_day(as_of)
    grants = grant_positions(database_url(), today=day or clock.today(), as_of=day is not None)
    if as_json:
        print_json([g.as_json() for g in grants])
        return
    if not grants:
        info(_('No grants yet: record one with "comunidad grant new".'))
        return
    write_stdout(
        _table(
            [
                _("ID"),
                _("TITLE"),
                _("FUNDER"),
                _("AMOUNT"),
                _("OBLIGATED"),
                _("SPENT"),
                _("PERIOD"),
            ],
            [
                [
                    g.key,
                    g.title,
                    g.funder,
                    money_text(g.amount, g.currency),
                    money_text(g.obligated, g.currency),
                    money_text(g.spent, g.currency),
                    _period(g.start, g.end),
                ]
                for g in grants
            ],
            right=(3, 4, 5),
            whole=(0, 2),
        )
    )


@grant_app.command(
    "show", cls=ComunidadCommand, help=_("Show a grant: amounts, period and its subcontracts.")
)
def grant_show(
    key: Annotated[
        str, typer.Argument(metavar="ID", help=_("The grant's id."), show_default=False)
    ],
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.grants.grants import get_grant

    day = as_of_day(as_of)
    with _refusals():
        grant = get_grant(database_url(), key, day or clock.today(), day is not None)
    if as_json:
        print_json(grant.as_json(with_subcontracts=True))
        return
    write_stdout(_grant_text(grant))


def _grant_text(grant: GrantPosition) -> str:
    c = grant.currency
    text = _fields(
        [
            (_("id"), grant.key),
            (_("title"), grant.title),
            (_("funder"), f"{grant.funder_name} ({grant.funder})"),
            (_("award number"), grant.award_number),
            (_("period"), _period(grant.start, grant.end)),
            (_("amount"), money_text(grant.amount, c)),
            (_("match required"), money_text(grant.match_required, c)),
            (_("obligated"), money_text(grant.obligated, c)),
            (_("not obligated"), money_text(grant.unobligated, c)),
            (_("spent"), money_text(grant.spent, c)),
            (_("paid"), money_text(grant.paid, c)),
            (_("balance"), money_text(grant.balance, c)),
        ]
    )
    if grant.subcontracts:
        text += "\n" + _("Subcontracts:") + "\n" + _subcontract_rows(grant.subcontracts)
    return text
