"""`comunidad export payments|subcontracts`: files safe to open in a spreadsheet.

CSV follows the locale so a spreadsheet in that locale reads the numbers as numbers: with
a decimal comma (es, ca) amounts are written `1234,56` and cells are separated by `;`,
otherwise `1234.56` and `,`; no thousands separators, no currency signs. The payments file
has exactly the columns of `comunidad import payments`, so it imports back unchanged in the
same locale. Its header row is in the user's language (`importe`, `import`), which import
reads; `--headers en` writes the stable English names for scripts.

Formula injection: a *text* cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading `'`, so a spreadsheet shows it as text instead of running it
(`=HYPERLINK(...)` in an organisation's name stays inert). Numbers are not text: an amount
is written as a plain number, so a repayment `-250,00` stays a negative number. Dates are
ISO text (`2025-03-31`), keys and statuses never start with those characters.

JSON (`dumps_json`) is exact rather than neutralised: strings as they are, amounts as JSON
numbers written from the Decimal (never through a float), dates as ISO strings.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from comunidad_cli.core.messages import N_
from comunidad_cli.services.errors import ServiceError

KINDS = ("payments", "subcontracts")
FORMATS = ("csv", "json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PAYMENT_COLUMNS = (
    "payment",
    "subcontract",
    "period_from",
    "period_to",
    "date",
    "status",
    "category",
    "amount",
)
SUBCONTRACT_COLUMNS = (
    "id",
    "grant",
    "grant_title",
    "partner",
    "partner_name",
    "kind",
    "status",
    "from",
    "to",
    "currency",
    "obligated",
    "spent",
    "paid",
    "balance",
    "risk_level",
    "attention",
)

Cell = str | Decimal | int | bool | date | None


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def number_text(value: Decimal, decimal_mark: str) -> str:
    """A plain number: no grouping, `decimal_mark` as the separator, never exponent form."""
    text = format(value, "f")
    return text.replace(".", decimal_mark) if decimal_mark != "." else text


def csv_cell(value: Cell, decimal_mark: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return number_text(value, decimal_mark)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, decimal_mark: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if decimal_mark == "," else ",", lineterminator="\r\n"
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(cell, decimal_mark) for cell in row])
    return buffer.getvalue()


_DECIMAL = re.compile(r'"\\u0000D:(-?\d+(?:\.\d+)?)\\u0000"')


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return f"\x00D:{format(value, 'f')}\x00"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps_json(data: Any) -> str:
    """JSON with Decimal amounts as exact JSON numbers (1234.50, not "1234.50" nor a float)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
    return _DECIMAL.sub(r"\1", text)


def rows_of(url: str, kind: str) -> tuple[tuple[str, ...], list[list[Cell]]]:
    """The header and typed rows of an export."""
    from comunidad_cli.services.grants.common import in_currency

    if kind == "payments":
        from comunidad_cli.services.grants.payments import list_payments

        return PAYMENT_COLUMNS, [
            [
                p.key,
                p.subcontract,
                p.period_start,
                p.period_end,
                p.invoice_date,
                p.status,
                category,
                in_currency(amount, p.currency),
            ]
            for p in list_payments(url)
            for category, amount in p.lines
        ]
    if kind == "subcontracts":
        from comunidad_cli.services.grants.positions import subcontract_positions

        return SUBCONTRACT_COLUMNS, [
            [
                s.key,
                s.grant,
                s.grant_title,
                s.partner,
                s.partner_name,
                s.kind,
                s.status,
                s.start,
                s.end,
                s.currency,
                *in_currency([s.obligated, s.spent, s.paid, s.balance], s.currency),
                s.risk.level if s.risk else None,
                " ".join(s.flags()),
            ]
            for s in subcontract_positions(url)
        ]
    raise ServiceError.of(
        N_('unknown kind "{kind}": choose one of {kinds}'),
        exit_code=2,
        kind=kind,
        kinds=", ".join(KINDS),
    )


#: The columns whose values are choices a reader sees in words (`presentat`, `pagat`) in a
#: CSV whose headers are in their language; `comunidad import` reads the words back.
CHOICE_COLUMNS = frozenset({"status", "kind", "risk_level"})


def _in_words(header: Sequence[str], rows: list[list[Cell]], language: str) -> list[list[Cell]]:
    """`rows` with their choice columns in `language`'s words (English: as stored). A Catalan
    tester's payments export had Catalan headers and `submitted`, `paid` beneath them."""
    from comunidad_cli.core.choices import label

    at = {i for i, name in enumerate(header) if name in CHOICE_COLUMNS}
    if language == "en" or not at:
        return rows
    return [
        [label(c, language) if i in at and isinstance(c, str) else c for i, c in enumerate(row)]
        for row in rows
    ]


def export(
    url: str, kind: str, file_format: str, *, decimal_mark: str, headers: str = "en"
) -> tuple[str, int]:
    """The export's text and its number of rows. A CSV's header row is in the language
    `headers` (es: `pago;subcontrato;...`), which `comunidad import` reads back; JSON keys
    stay the English column names, for scripts."""
    from comunidad_cli.core.importing.headers import column_header

    chosen = file_format.lower()
    if chosen not in FORMATS:
        raise ServiceError.of(
            N_('unknown format "{format}": choose one of {formats}'),
            exit_code=2,
            format=file_format,
            formats=", ".join(FORMATS),
        )
    header, rows = rows_of(url, kind)
    if chosen == "csv":
        shown = [column_header(name, headers) for name in header]
        return to_csv(shown, _in_words(header, rows, headers), decimal_mark=decimal_mark), len(rows)
    return dumps_json([dict(zip(header, row, strict=True)) for row in rows]) + "\n", len(rows)
