"""`comunidad summary` (the dashboard) and `comunidad spend-down`, in the user's locale."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    AsOfOption,
    JsonOption,
    as_of_day,
    current_workspace,
    database_url,
    print_json,
    stdout_console,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import (
    _,
    fill,
    format_date,
    format_money,
    format_number,
    ngettext,
    translated,
)
from comunidad_cli.render.tally import outcome_name
from comunidad_cli.render.text import markup

_PACE = {
    "not_started": N_("not started"),
    "behind": N_("behind: money may be left unspent"),
    "on_track": N_("on track"),
    "ahead": N_("ahead: money may run out early"),
    "ended": N_("ended"),
}
#: Columns between two cells of the spend table (Rich's padding of one on either side).
GAP = 2
_COLOUR = {
    "not_started": "dim",
    "behind": "yellow",
    "on_track": "green",
    "ahead": "red",
    "ended": "dim",
}
_FLAGS = {
    "missing_risk_assessment": N_("no risk assessment on file"),
    "overdue_reports": N_("overdue reports"),
    "very_late_reports": N_("reports more than 14 days late"),
    "overdraw_risk": N_("spending ahead of time (overdraw risk)"),
    "revision_awaiting_approval": N_("budget revision awaiting the funder's approval"),
}
DUE_WORDS = {"review": N_("review"), "renewal": N_("renewal (term ends)")}
_KINDS = {
    "funding": N_("leveraged funding"),
    "donation": N_("donations"),
    "in_kind": N_("in-kind"),
    "volunteer_hours": N_("volunteer hours"),
}


def _percent(value: Fraction | None) -> str:
    if value is None:
        return "—"
    from decimal import Decimal

    return (
        format_number(Decimal(value.numerator * 100) / Decimal(value.denominator), decimals=0)
        + " %"
    )


def _bar(value: Fraction | None, width: int = 20) -> str:
    """A small text bar: the share of money spent (capped at the width)."""
    if value is None:
        return ""
    filled = min(width, round(value * width))
    return "█" * filled + "░" * (width - filled)


def _spend_json(spend: Any, currency: str, basis: str) -> dict[str, Any]:
    """One row of the spend-down, named as in the text: `basis` says what the budget is
    ("amount": a grant's award; "obligated": a subcontract's budget); amounts are numbers."""
    from comunidad_cli.services.grants.common import in_currency

    def ratio(value: Fraction | None) -> float | None:
        return None if value is None else float(round(value, 4))

    money: dict[str, Any] = in_currency(
        {
            "budget": spend.budget,
            "spent": spend.spent,
            "unspent": spend.unspent,
            "burn_per_month": spend.burn_per_month,
            "projected": spend.projected,
            "projected_unspent": spend.projected_unspent,
        },
        currency,
    )
    return {
        "budget_basis": basis,
        **money,
        "elapsed": ratio(spend.elapsed),
        "spent_share": ratio(spend.spent_share),
        "days_left": spend.days_left,
        "pace": spend.pace.value,
    }


def _spend_table(grants: Any, width: int) -> Any:
    """One row per grant and per subcontract: money, time gone, money spent (with a bar).

    Every cell stays on one line within `width` columns: ids and amounts whole (a person
    copies the id), and the bar as long as the room left beside its percentage (ten
    characters at most; none when fewer than three fit), so "░░░ 12 %" never splits.
    """
    from rich.table import Table

    from comunidad_cli.render.table import cell_width

    rows: list[tuple[str, Any, Any]] = []
    for entry in grants:
        rows.append((entry.grant.key, entry.grant, entry.spend))
        rows += [(f"  {sub.key}", sub, sub_spend) for sub, sub_spend in entry.subcontracts]
    headers = (_("Grant / subcontract"), _("Spent"), _("Unspent"), _("Time"))
    cells = [
        (
            label,
            format_money(spend.spent, position.currency),
            format_money(spend.unspent, position.currency),
            _percent(spend.elapsed),
            _percent(spend.spent_share),
        )
        for label, position, spend in rows
    ]
    widths = [
        max([cell_width(header), *(cell_width(row[i]) for row in cells)])
        for i, header in enumerate(headers)
    ]
    shares = max([cell_width(row[4]) for row in cells] or [0])
    room = width - sum(widths) - GAP * len(headers) - shares - 1
    bar = min(10, room) if room >= 3 else 0
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column(headers[0], no_wrap=True, min_width=widths[0])
    for header in headers[1:]:
        table.add_column(header, justify="right", no_wrap=True)
    # The last header wraps at its spaces when the room left is narrower than it
    # ("Diners / gastats" in Catalan at 80 columns), never cut to "Diners gasta…".
    last = _("Money spent")
    room_left = width - sum(widths) - GAP * len(headers)
    if cell_width(last) > room_left:
        import textwrap

        last = textwrap.fill(last, width=max(room_left, 1), break_long_words=False)
    table.add_column(last, no_wrap=True)
    for (label, _position, spend), row in zip(rows, cells, strict=True):
        shown = f"[bold]{label}[/bold]" if not label.startswith(" ") else label
        drawn = f"[{_COLOUR[spend.pace.value]}]{_bar(spend.spent_share, bar)}[/] " if bar else ""
        share = " " * (shares - cell_width(row[4])) + row[4]  # the bars start in one column
        table.add_row(shown, *row[1:4], drawn + share)
    return table


def _print_basis() -> None:
    """Name the basis of the spend-down table, as the JSON does with `budget_basis`."""
    stdout_console().print(
        _(
            "Unspent: a grant's amount, or a subcontract's obligated budget, minus what was"
            " spent; money spent and the projection are measured against the same budget."
        ),
        highlight=False,
        markup=False,
    )


def _print_pace(grants: Any) -> None:
    """Say in words which budgets are ahead of or behind time (the bars' colours)."""
    console = stdout_console()
    for entry in grants:
        for key, spend in [
            (entry.grant.key, entry.spend),
            *((s.key, sd) for s, sd in entry.subcontracts),
        ]:
            if spend.pace.value in ("ahead", "behind"):
                console.print(
                    f"  {key}: {translated(_PACE[spend.pace.value])}", highlight=False, markup=False
                )


def spend_down(
    grant: Annotated[
        str | None, typer.Argument(help=_("Only this grant (its id)."), show_default=False)
    ] = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.grants.common import in_currency
    from comunidad_cli.services.summary import spend_down_view

    grants = spend_down_view(database_url(), grant, as_of_day(as_of))
    if as_json:
        print_json(
            [
                {
                    "grant": g.grant.key,
                    "currency": g.grant.currency,
                    **in_currency(
                        {
                            "amount": g.grant.amount,
                            "obligated": g.grant.obligated,
                            "unobligated": g.grant.unobligated,
                        },
                        g.grant.currency,
                    ),
                    **_spend_json(g.spend, g.grant.currency, "amount"),
                    "subcontracts": [
                        {
                            "subcontract": s.key,
                            **_spend_json(sd, g.grant.currency, "obligated"),
                        }
                        for s, sd in g.subcontracts
                    ],
                }
                for g in grants
            ]
        )
        return
    console = stdout_console()
    if not grants:
        console.print(_('No grants yet: record one with "comunidad grant new".'))
        return
    console.print(_spend_table(grants, console.width))
    _print_basis()
    for entry in grants:
        currency = entry.grant.currency
        console.print(
            _projection(entry.grant.key, entry.grant, entry.spend, currency, "amount"),
            highlight=False,
            markup=False,
        )
        for sub, sub_spend in entry.subcontracts:
            line = _projection(sub.key, sub, sub_spend, currency, "obligated")
            console.print(f"  {line}", highlight=False, markup=False)


def _projection(key: str, position: Any, spend: Any, currency: str, basis: str) -> str:
    """One row's pace, burn rate and projection in words: the figures `--json` gives
    (`pace`, `burn_per_month`, `projected`, `projected_unspent`), for a grant (`basis`
    "amount") or a subcontract ("obligated")."""
    pace = translated(_PACE[spend.pace.value])
    if spend.projected is not None and spend.burn_per_month is not None:
        text = (
            _(
                "{key}: {pace}; {burn} a month so far; at this pace {projected} of its amount"
                " spent by {end}, leaving {left} unspent."
            )
            if basis == "amount"
            else _(
                "{key}: {pace}; {burn} a month so far; at this pace {projected} of its"
                " obligated budget spent by {end}, leaving {left} unspent."
            )
        )
        return fill(
            text,
            key=key,
            pace=pace,
            burn=format_money(spend.burn_per_month, currency),
            projected=format_money(spend.projected, currency),
            end=format_date(position.end),
            left=format_money(spend.projected_unspent or Decimal(0), currency),
        )
    if spend.burn_per_month is not None:  # ended: what it spent a month while it ran
        return fill(
            _("{key}: ended on {end}; {burn} a month on average, {left} unspent."),
            key=key,
            end=format_date(position.end),
            burn=format_money(spend.burn_per_month, currency),
            left=format_money(spend.unspent, currency),
        )
    return fill(
        _("{key}: not started; it starts on {start}."), key=key, start=format_date(position.start)
    )


def summary(as_json: JsonOption = False, as_of: AsOfOption = None) -> None:
    from comunidad_cli.services.grants.common import in_currency
    from comunidad_cli.services.summary import build_summary

    day = as_of_day(as_of)
    workspace = current_workspace()
    assert workspace is not None
    data = build_summary(database_url(), workspace.root / "instruments", day, workspace.bylaws_dir)
    money = _workspace_money(workspace.currency)
    if as_json:
        print_json(
            {
                "today": data.today.isoformat(),
                "workspace": workspace.name,
                "grants": [
                    {
                        **g.grant.as_json(),
                        "spend_down": _spend_json(g.spend, g.grant.currency, "amount"),
                    }
                    for g in data.grants
                ],
                "attention": [
                    {
                        "subcontract": s.key,
                        "partner": s.partner,
                        "grant": s.grant,
                        "flags": s.flags(),
                    }
                    for s in data.attention
                ],
                "weakest_domains": [
                    {
                        "instrument": w.instrument,
                        "domain": w.domain,
                        "name": w.name_in(_language()),
                        "score": str(
                            (Decimal(w.score.numerator) / Decimal(w.score.denominator)).quantize(
                                Decimal("0.01")
                            )
                        ),
                        "organisations": w.organisations,
                    }
                    for w in data.weakest
                ],
                "resources": _resources_json(data, money, in_currency),
                "meetings": [
                    {
                        "meeting": m.key,
                        "body": m.body,
                        "date": m.day.isoformat(),
                        "motions": m.outcomes,
                    }
                    for m in data.meetings
                ],
                "network_overdue": [c.as_json() for c in data.network_overdue],
                "agreements_overdue": [d.as_json() for d in data.agreements_overdue],
                "funds": _funds_json(data.funds),
            }
        )
        return
    _print_summary(workspace.name, money, data)


def _funds_json(funds: Any) -> dict[str, Any]:
    from comunidad_cli.cli.funds.summary import funds_json

    return funds_json(funds)


def _workspace_money(currency: str | None) -> str:
    """The currency of totals across grants: the workspace's, else its locale's."""
    if currency:
        return currency
    from comunidad_cli.i18n import current_locale, default_currency

    return default_currency(current_locale())


def _resources_json(data: Any, money: str, in_currency: Any) -> dict[str, Any]:
    """The resources part of `summary --json`: amounts as numbers with their currency's
    digits (the grant's for its match, the workspace's for totals)."""
    totals = data.resources.totals
    return {
        "by_kind": {
            k.kind: in_currency(
                {"pledged": k.pledged, "received": k.received, "mobilised": k.mobilised}, money
            )
            for k in totals.by_kind
        },
        **in_currency({"received": totals.received, "mobilised": totals.mobilised}, money),
        "grants": [
            {
                "grant": r.grant.key if r.grant else None,
                **(
                    {"match": None, "match_required": None}
                    if r.position is None or r.grant is None
                    else in_currency(
                        {
                            "match": r.position.match,
                            "match_required": r.position.match_required,
                        },
                        r.grant.currency,
                    )
                ),
                "leverage": None
                if r.position is None or r.position.leverage is None
                else float(round(r.position.leverage, 4)),
            }
            for r in data.by_grant
        ],
    }


def _language() -> str:
    from comunidad_cli.i18n import current_language

    return current_language()


def _print_summary(name: str, money: str, data: Any) -> None:
    console = stdout_console()
    console.rule(f"[bold]{markup(name)}[/bold] · {format_date(data.today)}")
    console.print("\n[bold]" + _("Grants") + "[/bold]")
    if data.grants:
        console.print(_spend_table(data.grants, console.width))
        _print_basis()
        _print_pace(data.grants)
        for entry in data.grants:
            g = entry.grant
            console.print(
                _("{grant}: {amount} from {funder}; {unobligated} not yet passed on.").format(
                    grant=g.key,
                    amount=format_money(g.amount, g.currency),
                    funder=g.funder_name,
                    unobligated=format_money(g.unobligated, g.currency),
                ),
                highlight=False,
                markup=False,
            )
    else:
        console.print(_('No grants yet: record one with "comunidad grant new".'))
    console.print("\n[bold]" + _("Needs attention") + "[/bold]")
    if data.attention:
        for sub in data.attention:
            reasons = "; ".join(translated(_FLAGS[flag]) for flag in sub.flags() if flag in _FLAGS)
            console.print(
                f"  • {sub.key} ({sub.partner_name}): {reasons}", highlight=False, markup=False
            )
    else:
        console.print(_("Nothing: every subcontract is up to date."))
    console.print("\n[bold]" + _("Weakest capacity domains") + "[/bold]")
    if data.weakest:
        for weak in data.weakest:
            console.print(
                "  • "
                + ngettext(
                    "{domain}: {score} of 4 ({n} organisation)",
                    "{domain}: {score} of 4 ({n} organisations)",
                    weak.organisations,
                ).format(
                    domain=weak.name_in(_language()),
                    score=format_number(
                        Decimal(weak.score.numerator) / Decimal(weak.score.denominator), decimals=2
                    ),
                    n=weak.organisations,
                ),
                highlight=False,
                markup=False,
            )
    else:
        console.print(_('No capacity assessments yet: "comunidad capacity assess".'))
    console.print("\n[bold]" + _("Resources mobilised") + "[/bold]")
    totals = data.resources.totals
    if totals.count:
        for kind in totals.by_kind:
            if kind.count:
                console.print(
                    _("  • {kind}: {received} received of {pledged} pledged").format(
                        kind=translated(_KINDS.get(kind.kind, kind.kind)),
                        received=format_money(kind.received, money),
                        pledged=format_money(kind.pledged, money),
                    ),
                    highlight=False,
                )
        for resources in data.by_grant:
            position = resources.position
            if position is not None and resources.grant is not None:
                console.print(
                    _(
                        "  {grant}: match {match} of {required} required; leverage {leverage} of the grant"
                    ).format(
                        grant=resources.grant.key,
                        match=format_money(position.match, resources.grant.currency),
                        required=format_money(position.match_required, resources.grant.currency),
                        leverage=_percent(position.leverage),
                    ),
                    highlight=False,
                )
    else:
        console.print(_('None recorded yet: "comunidad resource log".'))
    console.print("\n[bold]" + _("Recent meetings") + "[/bold]")
    if data.meetings:
        for meeting in data.meetings:
            counts = ", ".join(
                f"{outcome_name(outcome)} {count}"
                for outcome, count in sorted(meeting.outcomes.items())
            )
            counts = counts or _("no motions")
            console.print(
                f"  • {meeting.key} ({format_date(meeting.day)}): {counts}", highlight=False
            )
    elif data.meetings_later:
        console.print(fill(_("No meetings by {date}."), date=format_date(data.today)))
    else:
        console.print(_('No meetings yet: "comunidad meeting new".'))
    from comunidad_cli.cli.funds.summary import print_funds

    print_funds(data.funds)
    if data.network_overdue:  # shown only when some are: most workspaces sit in no network
        console.print("\n[bold]" + _("Network commitments overdue") + "[/bold]")
        for commitment in data.network_overdue:
            console.print(
                _("  • {key} ({space}, {owner}): due {due}").format(
                    key=commitment.key,
                    space=commitment.space,
                    owner=commitment.owner,
                    due=format_date(commitment.due),
                ),
                highlight=False,
                markup=False,
            )
    if data.agreements_overdue:  # shown only when some are
        console.print(
            "\n[bold]" + _("Partner agreements: reviews and renewals overdue") + "[/bold]"
        )
        for item in data.agreements_overdue:
            console.print(
                _("  • {key} ({partner}): {what} due {due}").format(
                    key=item.key,
                    partner=item.partner,
                    what=_(DUE_WORDS[item.item.what]),
                    due=format_date(item.item.day),
                ),
                highlight=False,
                markup=False,
            )
