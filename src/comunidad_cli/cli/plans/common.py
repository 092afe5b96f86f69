"""What the territory and plan commands share: JSON output, exact scores shown, the
problems of a refusal with several reasons."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, TypeVar

import typer

from comunidad_cli.cli._common import JsonOption as JsonOption
from comunidad_cli.cli._common import error, render, write_stdout

T = TypeVar("T")


def print_json(data: Any) -> None:
    write_stdout(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def shown_fraction(text: str) -> str:
    """An exact score ("13/20") the locale's way with four decimals, half up (0,6500)."""
    from comunidad_cli.i18n import format_number

    value = Fraction(text)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format_number(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), 4)


def reporting(call: Callable[[], T]) -> T:
    """Run a service call; a refusal with several reasons prints each on its own line."""
    from comunidad_cli.services.plans import Problems

    try:
        return call()
    except Problems as refused:
        for problem in refused.problems:
            error(render(problem))
        raise typer.Exit(refused.exit_code) from None
