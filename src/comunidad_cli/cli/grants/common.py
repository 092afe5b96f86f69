"""What the grant commands share: their Typer groups, options, parsing of amounts and budget
lines as the locale writes them, and refusals printed with amounts in their currency.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import JsonOption as JsonOption
from comunidad_cli.cli._common import (
    command_group,
    current_workspace,
    error,
    fail,
    render,
    value_option,
)
from comunidad_cli.cli.grants.render import render_money
from comunidad_cli.i18n import _

#: The grant groups are built as every group is.
_app = command_group


KeyOption = Annotated[
    str | None,
    value_option(
        "--id", "ID", _("The id to refer to it by (default: made from the other values).")
    ),
]
LinesOption = Annotated[
    list[str],
    value_option(
        "--line",
        "CATEGORY=AMOUNT",
        _("A budget line, e.g. personnel=12.500,00 in Spanish; repeat for each line."),
    ),
]


def _decimal_mark() -> str:
    """How amounts are typed in the active locale: "," (es, ca) or "." (en)."""
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.imports.engine import decimal_mark_for

    return decimal_mark_for(current_locale())


def _money_parser(currency: str | None = None) -> Any:
    """The locale's amount parser; its refusals follow `currency`'s digits (default: the
    workspace's currency, the usual one of its grants): "1234 / 1.234" for pesos."""
    from comunidad_cli.core.importing.values import money
    from comunidad_cli.services.grants.common import currency_digits

    if currency is None:
        workspace = current_workspace(required=False)
        currency = workspace.currency if workspace is not None else None
    digits = currency_digits(currency) if currency else None
    return money(_decimal_mark(), origin="option", digits=digits)


def _amount(value: str, option: str, currency: str | None = None) -> Decimal:
    """An amount typed in the locale's convention; a bad one is refused (exit 1)."""
    from comunidad_cli.core.importing.invalid import Invalid

    try:
        parsed: Decimal = _money_parser(currency)(value.strip())
    except Invalid as invalid:
        fail(f"{option}: {render(invalid.msg)}")
    return parsed


def _lines(specs: Sequence[str] | None) -> list[tuple[str, Decimal]]:
    """`--line CATEGORY=AMOUNT` values; without `=` a usage error, a bad amount exit 1.

    A refusal is prefixed `--line CATEGORY:`, as the services' refusals of a line are."""
    from comunidad_cli.core.grants.values import parse_line_spec
    from comunidad_cli.core.importing.invalid import Invalid

    parse = _money_parser()
    lines: list[tuple[str, Decimal]] = []
    for spec in specs or []:
        try:
            lines.append(parse_line_spec(spec, parse))
        except ValueError as bad:
            if isinstance(bad, Invalid):
                fail(f"--line {spec.partition('=')[0].strip()}: {render(bad.msg)}")
            fail(
                _("--line {spec}: write it as CATEGORY=AMOUNT, e.g. personnel=1500").format(
                    spec=spec
                ),
                2,
            )
    return lines


@contextmanager
def _refusals() -> Iterator[None]:
    """Every problem of a refusal on its own line, amounts in the grant's currency."""
    from comunidad_cli.services.grants.common import Refused

    try:
        yield
    except Refused as refused:
        for problem in refused.problems:
            error(render_money(problem, refused.currency))
        raise typer.Exit(refused.exit_code) from None


SubcontractArgument = Annotated[
    str, typer.Argument(metavar="ID", help=_("The subcontract's id."), show_default=False)
]
SubcontractOption = Annotated[str, value_option("--subcontract", "ID", _("The subcontract's id."))]
