"""By-laws checks on roles, dates and proxies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from comunidad_cli.core.bylaws.codes import finding
from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.findings import Finding
from comunidad_cli.core.messages import N_

if TYPE_CHECKING:
    from comunidad_cli.core.bylaws.lint import Context


# --- roles, dates, proxies ----------------------------------------------------------------


def check_roles(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    for role in b.roles.values():
        if role.max_terms is not None and role.term_months is None:
            yield finding(
                "BL501",
                ("roles", role.id, "max_terms"),
                N_('role "{role}" limits terms but does not say how long a term is (term_months)'),
                role=role.id,
            )


def check_dates(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    for key, when in (("adopted", b.adopted), ("amended", b.amended)):
        if when is not None and when > ctx.today:
            yield finding(
                "BL502",
                (key,),
                N_("{key} date {date} is in the future"),
                at_value=True,
                key=key,
                date=when.isoformat(),
            )
    if b.adopted is not None and b.amended is not None and b.amended < b.adopted:
        yield finding(
            "BL504",
            ("amended",),
            N_("amended on {amended}, before the by-laws were adopted on {adopted}"),
            at_value=True,
            amended=b.amended.isoformat(),
            adopted=b.adopted.isoformat(),
        )


def check_proxies(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    if b.proxies_allowed and b.proxies_max_per_holder is None:
        yield finding(
            "BL503",
            ("proxies", "allowed"),
            N_("proxies are allowed with no limit per holder: set max_per_holder"),
        )
