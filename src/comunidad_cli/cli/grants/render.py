"""Rendering shared by the grant commands: money and dates the locale's way, tables and
fields that fit the terminal, JSON, status words and attention flags, the rows of
subcontracts and deliverables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from comunidad_cli.i18n import _, choice_word, fill, format_money, ngettext

if TYPE_CHECKING:
    from comunidad_cli.core.messages import Msg
    from comunidad_cli.services.grants.positions import SubcontractPosition
    from comunidad_cli.services.grants.records import DeliverableView


#: Amounts are shown by the one formatter every command uses.
money_text = format_money


def _date_text(value: date | None) -> str:
    from comunidad_cli.cli.directory import show_date

    return show_date(value)


def render_money(msg: Msg, currency: str | None) -> str:
    """A message translated, its amounts in `currency` and its dates the locale's way."""
    from comunidad_cli.i18n import format_number, format_value, message_text

    def fmt(value: object) -> object:
        if isinstance(value, Decimal):
            return money_text(value, currency) if currency else format_number(value, 2)
        if isinstance(value, date):
            return _date_text(value)
        return format_value(value)  # a choice in the reader's words

    return message_text(msg, fmt)


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[int] = (),
    whole: Sequence[int] = (0,),
) -> str:
    """Plain aligned columns; the columns in `right` (amounts) aligned to the right. Within
    the terminal's width: ids (`whole`) and amounts are never wrapped, other text wraps."""
    from comunidad_cli.render.table import plain_table, terminal_width

    return plain_table(headers, rows, right=right, whole=whole, width=terminal_width())


def _fields(pairs: Sequence[tuple[str, str | None]]) -> str:
    from comunidad_cli.render.table import plain_fields, terminal_width

    return plain_fields(pairs, terminal_width())


def _period(start: date, end: date) -> str:
    return fill(_("{start} to {end}"), start=_date_text(start), end=_date_text(end))


def _flags(position: SubcontractPosition) -> str:
    texts = {
        "missing_risk_assessment": _("missing risk assessment"),
        "overdue_reports": _("overdue reports"),
        "very_late_reports": _("very late reports"),
        "overdraw_risk": _("overdraw risk"),
        "revision_awaiting_approval": _("revision awaiting approval"),
    }
    return ", ".join(texts[f] for f in position.flags())


def _status_text(status: str) -> str:
    """A subcontract's or payment's status in the reader's words (`core.choices`)."""
    return choice_word(status)


def _subcontract_rows(positions: Sequence[SubcontractPosition]) -> str:
    return _table(
        [
            _("ID"),
            _("PARTNER"),
            _("STATUS"),
            _("OBLIGATED"),
            _("SPENT"),
            _("BALANCE"),
            _("ATTENTION"),
        ],
        [
            [
                p.key,
                p.partner,
                _status_text(p.status),
                money_text(p.obligated, p.currency),
                money_text(p.spent, p.currency),
                money_text(p.balance, p.currency),
                _flags(p),
            ]
            for p in positions
        ],
        right=(3, 4, 5),
        whole=(0, 1),
    )


def _schedule(d: DeliverableView) -> str:
    if d.every is None:
        return _("once")
    until = _date_text(d.until)
    if d.unit == "weeks":
        text = ngettext("every week until {until}", "every {n} weeks until {until}", d.every)
    else:
        text = ngettext("every month until {until}", "every {n} months until {until}", d.every)
    return fill(text, n=d.every, until=until)


def _overdue_text(d: DeliverableView) -> str:
    if not d.overdue:
        return ""
    oldest = d.overdue[0]
    text = fill(
        ngettext("{count} overdue since {due}", "{count} overdue since {due}", len(d.overdue)),
        count=len(d.overdue),
        due=_date_text(oldest.due),
    )
    if d.very_late:
        text += " " + _("(very late)")
    return text


def _deliverable_rows(deliverables: Sequence[DeliverableView]) -> str:
    """The deliverables table; a HOLDS PAYMENTS column (a word, not a mark after the title,
    which a title could end with) when any of them holds payments."""
    holding = any(d.holds_payments for d in deliverables)
    headers = [_("ID"), _("SUBCONTRACT"), _("TITLE"), _("SCHEDULE"), _("NEXT DUE"), _("OVERDUE")]
    return _table(
        [*headers, _("HOLDS PAYMENTS")] if holding else headers,
        [
            [
                d.key,
                d.subcontract,
                d.title,
                _schedule(d),
                _date_text(d.next_due),
                _overdue_text(d),
                *([_("yes") if d.holds_payments else ""] if holding else []),
            ]
            for d in deliverables
        ],
        whole=(0, 1),
    )
