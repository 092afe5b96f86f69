"""The `agreement` group, its shared options, the words it shows for kinds, states,
directions and what falls due, and the small helpers its commands share.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from comunidad_cli.cli._common import JsonOption as JsonOption
from comunidad_cli.cli._common import (
    command_group,
    day_option,
    value_option,
)
from comunidad_cli.cli._common import (
    table_text as table_text,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _

if TYPE_CHECKING:
    pass


agreement_app = command_group(
    _(
        "Agreements with partner organisations: shared goals, data shared, term and reviews,"
        " amendments and renewals, and the partnership-quality self-assessment."
    )
)

AgreementArgument = Annotated[
    str, typer.Argument(metavar="AGREEMENT", help=_("The agreement's id."))
]
ReviewOption = Annotated[
    list[str] | None,
    value_option("--review", "DATE", _("A review date, YYYY-MM-DD. Repeat for more.")),
]
ByOption = Annotated[str, value_option("--by", "NAME", _("Who, by name."))]
WithinOption = Annotated[
    int,
    typer.Option(
        "--within",
        metavar="DAYS",
        min=0,
        help=_("Also list what falls due within this many days."),
    ),
]
KIND_LABELS = {
    "original": N_("original"),
    "amendment": N_("amendment"),
    "renewal": N_("renewal"),
    "ending": N_("ending"),
}
STATUS_LABELS = {
    "draft": N_("draft"),
    "pending": N_("signed, not begun"),
    "in_force": N_("in force"),
    "ended": N_("term ended"),
}
DIRECTION_LABELS = {
    "out": N_("we share"),
    "in": N_("the partner shares"),
    "both": N_("both ways"),
}
DUE_LABELS = {"review": N_("review"), "renewal": N_("renewal (term ends)")}


def days_of(values: list[str] | None, option: str = "--review") -> list[date]:
    return [day_option(v, option) for v in values or []]


def iso_or_blank(value: date | None) -> str:
    """A day in a table or a field, the locale's way ("30 de juny 2027"); JSON keeps ISO."""
    from comunidad_cli.i18n import format_date

    return "" if value is None else format_date(value, "medium")
