"""`comunidad payment add|status|list`: payments to subcontractors."""

from __future__ import annotations

from typing import Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    database_url,
    day_option,
    info,
    print_json,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.grants.common import (
    JsonOption,
    KeyOption,
    LinesOption,
    SubcontractOption,
    _app,
    _decimal_mark,
    _lines,
    _refusals,
)
from comunidad_cli.cli.grants.render import (
    _date_text,
    _period,
    _status_text,
    _table,
    money_text,
)
from comunidad_cli.i18n import _

payment_app = _app(_("Payments to subcontractors: invoices split across budget lines."))


@payment_app.command(
    "add",
    cls=ComunidadCommand,
    help=_(
        "Record an invoice or reimbursement split across budget lines (negative: a repayment);"
        " refused if it would overdraw a line or the subcontract."
    ),
)
def payment_add(
    subcontract: SubcontractOption,
    period_from: Annotated[
        str, value_option("--period-from", "DATE", _("First day of the period covered."))
    ],
    period_to: Annotated[
        str, value_option("--period-to", "DATE", _("Last day of the period covered."))
    ],
    on: Annotated[str, value_option("--date", "DATE", _("The invoice's date."))],
    status: Annotated[
        str, value_option("--status", "STATUS", _("submitted, approved, paid or declined."))
    ],
    lines: LinesOption,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants.payments import add_payment

    first, last = day_option(period_from, "--period-from"), day_option(period_to, "--period-to")
    day = day_option(on, "--date")
    parsed = _lines(lines)
    with _refusals():
        payment = add_payment(
            database_url(),
            subcontract=subcontract,
            period_start=first,
            period_end=last,
            invoice_date=day,
            status=status,
            lines=parsed,
            key=key,
            decimal_mark=_decimal_mark(),
        )
    info(
        _("Recorded payment {key} to {subcontract}: {total} ({status}).").format(
            key=payment.key,
            subcontract=payment.subcontract,
            total=money_text(payment.total, payment.currency),
            status=_status_text(payment.status),
        )
    )


@payment_app.command(
    "status",
    cls=ComunidadCommand,
    help=_("Approve, pay or decline a payment (paid and declined are final)."),
)
def payment_status(
    key: Annotated[
        str, typer.Argument(metavar="ID", help=_("The payment's id."), show_default=False)
    ],
    status: Annotated[
        str,
        typer.Argument(metavar="STATUS", help=_("approved, paid or declined."), show_default=False),
    ],
) -> None:
    from comunidad_cli.services.grants.payments import set_payment_status

    with _refusals():
        old, new = set_payment_status(database_url(), key, status, today=clock.today())
    info(
        _("{key}: {old} -> {new}.").format(
            key=key.strip(), old=_status_text(old), new=_status_text(new)
        )
    )


@payment_app.command("list", cls=ComunidadCommand, help=_("List payments (of one subcontract)."))
def payment_list(
    subcontract: Annotated[
        str | None, value_option("--subcontract", "ID", _("Only this subcontract's payments."))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.grants.payments import list_payments

    with _refusals():
        payments = list_payments(database_url(), subcontract)
    if as_json:
        print_json([p.as_json() for p in payments])
        return
    if not payments:
        info(_('No payments yet: record one with "comunidad payment add".'))
        return
    write_stdout(
        _table(
            [_("ID"), _("SUBCONTRACT"), _("DATE"), _("PERIOD"), _("STATUS"), _("TOTAL")],
            [
                [
                    p.key,
                    p.subcontract,
                    _date_text(p.invoice_date),
                    _period(p.period_start, p.period_end),
                    _status_text(p.status),
                    money_text(p.total, p.currency),
                ]
                for p in payments
            ],
            right=(5,),
            whole=(0, 1),
        )
    )
