"""`comunidad resource ...`: resources mobilised beyond the grant, and match and leverage.

`resource_app` is registered by cli/app.py as `resource`. Amounts are typed the locale's way
(1.234,56 in es and ca, 1,234.56 in en; the other convention is refused); they are shown in the
locale's currency format, rounded half-up to the currency's digits only when shown.
Ratios are exact fractions until here, shown as percentages with one decimal.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    command_group,
    current_workspace,
    database_url,
    fail,
    info,
    print_json,
    render,
    stdout_console,
    value_option,
    write_stdout,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, choice_word, format_money, format_number

if TYPE_CHECKING:
    from comunidad_cli.core.resources import KindTotal

resource_app = command_group(
    _(
        "Resources mobilised beyond the grant: funding, donations, in-kind gifts and volunteer"
        " hours; pledged and received; match and leverage."
    )
)

GrantOption = Annotated[str | None, value_option("--grant", "ID", _("The grant's id."))]
KIND_LABELS = {
    "funding": N_("Funding"),
    "donation": N_("Donations"),
    "in_kind": N_("In-kind"),
    "volunteer_hours": N_("Volunteer hours"),
}
DASH = "–"


# --- helpers ---------------------------------------------------------------------------------


def _decimal_mark() -> str:
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.imports.engine import decimal_mark_for

    return decimal_mark_for(current_locale())


def parse_amount(value: str, option: str, *, hours: bool = False) -> Decimal:
    """An amount typed the locale's way; the other convention is refused, never guessed
    (exit 1), the refusal's example in the currency's digits (`hours`: in decimals). Too
    many decimals for the currency are the service's to refuse."""
    from comunidad_cli.core.importing.invalid import Invalid
    from comunidad_cli.core.importing.values import money
    from comunidad_cli.services.grants.common import currency_digits

    digits = None if hours else currency_digits(_currency(None))
    try:
        amount: Decimal = money(_decimal_mark(), origin="option", digits=digits)(value.strip())
    except Invalid as invalid:
        fail(f"{option}: {render(invalid.msg)}", 1)
    return amount


#: Amounts are shown by the one formatter every command uses (half-up to the currency's digits).
show_money = format_money


def show_percent(value: Fraction | None) -> str:
    """A ratio as a percentage with one decimal (half-up), the locale's way: 12.5%, 12,5 %."""
    if value is None:
        return DASH
    from babel.numbers import format_percent

    from comunidad_cli.core.resources import percent
    from comunidad_cli.i18n import current_locale

    return str(
        format_percent(percent(value) / 100, locale=current_locale(), decimal_quantization=False)
    )


def _ratio_json(value: Fraction | None) -> dict[str, str] | None:
    if value is None:
        return None
    from comunidad_cli.core.resources import percent

    exact = (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )
    return {"exact": exact, "percent": str(percent(value))}


def _currency(grant_currency: str | None) -> str:
    if grant_currency:
        return grant_currency
    workspace = current_workspace(required=False)
    if workspace is not None and workspace.currency:
        return workspace.currency
    from comunidad_cli.i18n import current_locale, default_currency

    return default_currency(current_locale())


def _money_json(data: dict[str, Any], currency: str) -> dict[str, Any]:
    """Every amount in `data` with `currency`'s digits (pesos 1500, euros 1500.00)."""
    from comunidad_cli.services.grants.common import in_currency

    shown: dict[str, Any] = in_currency(data, currency)
    return shown


def _table(*headers: str) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for index, header in enumerate(headers):
        table.add_column(Text(header), justify="left" if index < 1 else "right")
    return table


def _row(table: Any, *cells: str) -> None:
    from rich.text import Text

    table.add_row(*(Text(cell) for cell in cells))


def _hours(value: Decimal | None) -> str:
    return "" if value is None else format_number(value)


# --- log ---------------------------------------------------------------------------------------


@resource_app.command(
    "log",
    cls=ComunidadCommand,
    help=_(
        "Log a resource mobilised: funding, donation or in_kind with --pledged and/or --received,"
        " or volunteer_hours with --hours (valued at the workspace's value of an hour of volunteering,"
        " `volunteer_hour_rate`)."
    ),
)
def log(
    kind: Annotated[
        str, value_option("--kind", "KIND", _("funding, donation, in_kind or volunteer_hours."))
    ],
    description: Annotated[str, value_option("--description", "TEXT", _("What it is."))],
    grant: GrantOption = None,
    source: Annotated[
        str | None, value_option("--source", "ORG", _("The id of the organisation it comes from."))
    ] = None,
    pledged: Annotated[
        str | None,
        value_option("--pledged", "AMOUNT", _("Amount committed (default: the amount received).")),
    ] = None,
    received: Annotated[
        str | None, value_option("--received", "AMOUNT", _("Amount received so far."))
    ] = None,
    hours: Annotated[
        str | None, value_option("--hours", "HOURS", _("Volunteer hours given."))
    ] = None,
    on: Annotated[
        str | None,
        value_option(
            "--on", "DATE", _("The day it was pledged or received, YYYY-MM-DD (default: today).")
        ),
    ] = None,
    key: Annotated[
        str | None,
        value_option(
            "--id", "ID", _("The id to refer to it by (default: made from the description).")
        ),
    ] = None,
) -> None:
    from comunidad_cli.core.importing.invalid import Invalid
    from comunidad_cli.core.importing.values import parse_date
    from comunidad_cli.services.resources import log_resource

    day = clock.today()
    if on is not None:
        try:
            day = parse_date(on.strip())
        except Invalid as invalid:
            fail(f"--on: {render(invalid.msg)}", 1)
    workspace = current_workspace(required=False)
    done = log_resource(
        database_url(),
        kind=kind.strip(),
        description=description,
        grant=grant.strip() if grant else None,
        source=source.strip() if source else None,
        pledged=parse_amount(pledged, "--pledged") if pledged is not None else None,
        received=parse_amount(received, "--received") if received is not None else None,
        hours=parse_amount(hours, "--hours", hours=True) if hours is not None else None,
        on=day,
        key=key,
        rate=workspace.volunteer_hour_rate if workspace is not None else None,
        config=str(workspace.config_path) if workspace is not None else "comunidad.toml",
        today=clock.today(),
        at=clock.now(),
        currency=_currency(None),
        decimal_mark=_decimal_mark(),
    )
    info(
        _(
            'Logged "{description}" ({kind}) with id {key}: {received} received of {pledged} pledged.'
        ).format(
            description=done.description,
            kind=_(KIND_LABELS[done.kind]),
            key=done.key,
            received=show_money(done.received, _currency(done.currency)),
            pledged=show_money(done.pledged, _currency(done.currency)),
        )
    )


# --- list --------------------------------------------------------------------------------------


@resource_app.command(
    "list", cls=ComunidadCommand, help=_("List the resources logged, oldest first.")
)
def list_command(grant: GrantOption = None, as_json: JsonOption = False) -> None:
    from comunidad_cli.services.resources import list_resources

    rows = list_resources(database_url(), grant)
    if as_json:
        workspace_currency = _currency(None) if rows else ""
        print_json([r.as_json(r.currency or workspace_currency) for r in rows])
        return
    if not rows:
        info(_('No resources yet: log one with "comunidad resource log".'))
        return
    currency = _currency(None)
    headers = [
        _("ID"),
        _("DATE"),
        _("KIND"),
        _("GRANT"),
        _("SOURCE"),
        _("HOURS"),
        _("PLEDGED"),
        _("RECEIVED"),
        _("DESCRIPTION"),
    ]
    cells = [
        [
            r.key,
            r.dated.isoformat(),
            choice_word(r.kind),
            r.grant or "",
            r.source or "",
            _hours(r.hours),
            show_money(r.pledged, r.currency or currency),
            show_money(r.received, r.currency or currency),
            r.description,
        ]
        for r in rows
    ]
    write_stdout(_plain_table(headers, cells))


def _plain_table(headers: list[str], rows: list[list[str]]) -> str:
    """Aligned columns without Rich (greppable; amounts right-aligned), as `org list` prints:
    ids (the resource, its grant and source) and amounts whole, the description wraps."""
    from comunidad_cli.render.table import plain_table, terminal_width

    return plain_table(headers, rows, right=(5, 6, 7), whole=(0, 1, 3, 4), width=terminal_width())


# --- report --------------------------------------------------------------------------------------


def _kind_json(total: KindTotal, currency: str) -> dict[str, Any]:
    return {
        "kind": total.kind,
        "count": total.count,
        **_money_json(
            {
                "pledged": total.pledged,
                "received": total.received,
                "outstanding": total.outstanding,
                "mobilised": total.mobilised,
            },
            currency,
        ),
        "hours": total.hours,
    }


@resource_app.command(
    "report",
    cls=ComunidadCommand,
    help=_(
        "Resources by kind (pledged, received, outstanding) and, for a grant, the match against"
        " its required match and the leverage against its amount."
    ),
)
def report(grant: GrantOption = None, as_json: JsonOption = False) -> None:
    from comunidad_cli.services.resources import resources_summary

    summary = resources_summary(database_url(), grant)
    currency = _currency(summary.grant.currency if summary.grant else None)
    totals, position = summary.totals, summary.position
    if as_json:
        data: dict[str, Any] = {
            "grant": None,
            "currency": currency,
            "by_kind": [_kind_json(t, currency) for t in totals.by_kind],
            "total": {
                "count": totals.count,
                **_money_json(
                    {
                        "pledged": totals.pledged,
                        "received": totals.received,
                        "outstanding": totals.outstanding,
                        "mobilised": totals.mobilised,
                    },
                    currency,
                ),
            },
            "match": None,
            "leverage": None,
        }
        if summary.grant is not None and position is not None:
            data["grant"] = {
                "id": summary.grant.key,
                "title": summary.grant.title,
                "funder": summary.grant.funder,
                **_money_json(
                    {"amount": position.amount, "match_required": position.match_required},
                    currency,
                ),
            }
            data["match"] = {
                **_money_json(
                    {
                        "counted": position.match,
                        "cash": position.cash_match,
                        "in_kind": position.in_kind_match,
                        "not_counted_from_funder": position.not_counted,
                        "required": position.match_required,
                        "shortfall": position.shortfall,
                    },
                    currency,
                ),
                "ratio": _ratio_json(position.match_ratio),
                "required_ratio": _ratio_json(position.required_ratio),
                "met": _ratio_json(position.match_met),
            }
            data["leverage"] = {
                **_money_json({"mobilised": position.mobilised}, currency),
                "ratio": _ratio_json(position.leverage),
            }
        print_json(data)
        return
    console = stdout_console()
    if summary.grant is not None:
        from rich.markup import escape

        console.print(
            _("Resources mobilised for grant {grant}: {title} (funder: {funder})").format(
                grant=f"[bold]{escape(summary.grant.key)}[/bold]",
                title=escape(summary.grant.title),
                funder=escape(summary.grant.funder),
            )
        )
    else:
        console.print(_("Resources mobilised (every grant and none)"), markup=False)
    table = _table(_("Kind"), _("Count"), _("Hours"), _("Pledged"), _("Received"), _("Outstanding"))
    for total in totals.by_kind:
        _row(
            table,
            _(KIND_LABELS[total.kind]),
            str(total.count),
            _hours(total.hours) if total.count else "",
            show_money(total.pledged, currency),
            show_money(total.received, currency),
            show_money(total.outstanding, currency),
        )
    table.add_section()
    _row(
        table,
        _("Total"),
        str(totals.count),
        "",
        show_money(totals.pledged, currency),
        show_money(totals.received, currency),
        show_money(totals.outstanding, currency),
    )
    console.print(table)
    if position is None:
        if totals.count:
            info(_("Match and leverage are computed against a grant: add --grant ID."))
        return
    lines = [
        _(
            "Match: {match} received and counted (cash {cash}, in-kind {in_kind}) of {required}"
            " required: {met} met."
        ).format(
            match=show_money(position.match, currency),
            cash=show_money(position.cash_match, currency),
            in_kind=show_money(position.in_kind_match, currency),
            required=show_money(position.match_required, currency),
            met=show_percent(position.match_met),
        ),
        _("Match ratio: {ratio} of the grant's {amount} (required: {required}).").format(
            ratio=show_percent(position.match_ratio),
            amount=show_money(position.amount, currency),
            required=show_percent(position.required_ratio),
        ),
        _("Leverage: {ratio} ({mobilised} pledged or received for a grant of {amount}).").format(
            ratio=show_percent(position.leverage),
            mobilised=show_money(position.mobilised, currency),
            amount=show_money(position.amount, currency),
        ),
    ]
    if position.shortfall:
        lines.append(
            _("Still to raise for the required match: {amount}.").format(
                amount=show_money(position.shortfall, currency)
            )
        )
    if position.not_counted:
        lines.append(
            _("Not counted as match: {amount} received from the grant's own funder.").format(
                amount=show_money(position.not_counted, currency)
            )
        )
    for line in lines:
        console.print(line, markup=False)
