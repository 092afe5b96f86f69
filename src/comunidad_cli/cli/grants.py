"""`comunidad grant|subcontract|payment|deliverable ...`: grant administration.

Four Typer apps registered by cli/app.py. Amounts are typed the way of the active locale
(es, ca: 1.234,56; en: 1,234.56), parsed by the same parser as imports, and shown with
Babel in the user's locale and the grant's currency.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AsOfOption,
    ComunidadCommand,
    ComunidadGroup,
    as_of_day,
    current_workspace,
    database_url,
    day_option,
    error,
    fail,
    info,
    render,
    write_stdout,
)
from comunidad_cli.i18n import _, format_money, ngettext

if TYPE_CHECKING:
    from comunidad_cli.core.messages import Msg
    from comunidad_cli.services.grants import (
        DeliverableView,
        GrantPosition,
        SubcontractPosition,
    )


def _app(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=ComunidadGroup,
        help=help_text,
        no_args_is_help=True,
        rich_markup_mode=None,
        add_completion=False,
    )


grant_app = _app(_("Grants received: funder, award, amount, period, required match."))
subcontract_app = _app(
    _("Subcontracts passed on to partners: budget lines, amendments, risk, status.")
)
payment_app = _app(_("Payments to subcontractors: invoices split across budget lines."))
deliverable_app = _app(_("Deliverables and reports: due dates, submissions, overdue flags."))

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON only."))]
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--id",
        metavar="ID",
        help=_("The id to refer to it by (default: made from the other values)."),
        show_default=False,
    ),
]
LinesOption = Annotated[
    list[str],
    typer.Option(
        "--line",
        metavar="CATEGORY=AMOUNT",
        help=_("A budget line, e.g. personnel=12.500,00 in Spanish; repeat for each line."),
        show_default=False,
    ),
]


# --- parsing and rendering helpers ----------------------------------------------------------


def _decimal_mark() -> str:
    """How amounts are typed in the active locale: "," (es, ca) or "." (en)."""
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.imports.engine import decimal_mark_for

    return decimal_mark_for(current_locale())


def _money_parser() -> Any:
    from comunidad_cli.core.importing import money

    return money(_decimal_mark(), origin="option")


def _amount(value: str, option: str) -> Decimal:
    """An amount typed in the locale's convention; a bad one is refused (exit 1)."""
    from comunidad_cli.core.importing import Invalid

    try:
        parsed: Decimal = _money_parser()(value.strip())
    except Invalid as invalid:
        fail(f"{option}: {render(invalid.msg)}")
    return parsed


def _lines(specs: Sequence[str] | None) -> list[tuple[str, Decimal]]:
    """`--line CATEGORY=AMOUNT` values; without `=` a usage error, a bad amount exit 1."""
    from comunidad_cli.core.grants import parse_line_spec
    from comunidad_cli.core.importing import Invalid

    parse = _money_parser()
    lines: list[tuple[str, Decimal]] = []
    for spec in specs or []:
        try:
            lines.append(parse_line_spec(spec, parse))
        except ValueError as bad:
            if isinstance(bad, Invalid):
                fail(f"--line {spec}: {render(bad.msg)}")
            fail(
                _("--line {spec}: write it as CATEGORY=AMOUNT, e.g. personnel=1500").format(
                    spec=spec
                ),
                2,
            )
    return lines


#: Amounts are shown by the one formatter every command uses.
money_text = format_money


def _date_text(value: date | None) -> str:
    from comunidad_cli.cli.directory import show_date

    return show_date(value)


def render_money(msg: Msg, currency: str | None) -> str:
    """A message translated, its amounts in `currency` and its dates the locale's way."""
    from comunidad_cli.i18n import format_number

    def fmt(value: object) -> object:
        if isinstance(value, Decimal):
            return money_text(value, currency) if currency else format_number(value, 2)
        if isinstance(value, date):
            return _date_text(value)
        return value

    return msg.render(_, fmt, ngettext)


@contextmanager
def _refusals() -> Iterator[None]:
    """Every problem of a refusal on its own line, amounts in the grant's currency."""
    from comunidad_cli.services.grants import Refused

    try:
        yield
    except Refused as refused:
        for problem in refused.problems:
            error(render_money(problem, refused.currency))
        raise typer.Exit(refused.exit_code) from None


def _json(data: Any) -> None:
    from comunidad_cli.services.exports import dumps_json

    write_stdout(dumps_json(data) + "\n")


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
    return _("{start} to {end}").format(start=_date_text(start), end=_date_text(end))


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
    return {
        "draft": _("draft"),
        "active": _("active"),
        "closing": _("closing"),
        "closed": _("closed"),
        "submitted": _("submitted"),
        "approved": _("approved"),
        "paid": _("paid"),
        "declined": _("declined"),
    }.get(status, status)


# --- grant ------------------------------------------------------------------------------------


@grant_app.command(
    "new",
    cls=ComunidadCommand,
    help=_("Record a grant received from a funder (an organisation's id)."),
)
def grant_new(
    funder: Annotated[
        str,
        typer.Option(
            "--funder", metavar="ORG", help=_("The funder's organisation id."), show_default=False
        ),
    ],
    title: Annotated[
        str,
        typer.Option("--title", metavar="TITLE", help=_("The grant's title."), show_default=False),
    ],
    amount: Annotated[
        str,
        typer.Option(
            "--amount",
            metavar="AMOUNT",
            help=_("The amount awarded, written the way of your locale."),
            show_default=False,
        ),
    ],
    start: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="DATE",
            help=_("First day of the grant (YYYY-MM-DD)."),
            show_default=False,
        ),
    ],
    end: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="DATE",
            help=_("Last day of the grant (YYYY-MM-DD)."),
            show_default=False,
        ),
    ],
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            metavar="CODE",
            help=_("ISO 4217 code, e.g. CLP, EUR (default: the workspace's currency)."),
            show_default=False,
        ),
    ] = None,
    award_number: Annotated[
        str | None,
        typer.Option(
            "--award-number",
            metavar="NUMBER",
            help=_("The funder's award number."),
            show_default=False,
        ),
    ] = None,
    match: Annotated[
        str | None,
        typer.Option(
            "--match",
            metavar="AMOUNT",
            help=_("The match (co-funding) the grant requires."),
            show_default=False,
        ),
    ] = None,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants import add_grant

    first, last = day_option(start, "--from"), day_option(end, "--to")
    awarded = _amount(amount, "--amount")
    matched = _amount(match, "--match") if match is not None else None
    if currency is None:
        workspace = current_workspace(required=False)
        currency = workspace.currency if workspace is not None else None
        if currency is None:
            fail(_("--currency: give the grant's currency, e.g. --currency EUR"), 2)
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
        _('Recorded grant "{title}" with id {key}: {amount}, {period}.').format(
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
    from comunidad_cli.services.grants import grant_positions

    day = as_of_day(as_of)
    grants = grant_positions(database_url(), today=day or clock.today(), as_of=day is not None)
    if as_json:
        _json([g.as_json() for g in grants])
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
    from comunidad_cli.services.grants import get_grant

    day = as_of_day(as_of)
    with _refusals():
        grant = get_grant(database_url(), key, day or clock.today(), day is not None)
    if as_json:
        _json(grant.as_json(with_subcontracts=True))
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


# --- subcontract ------------------------------------------------------------------------------

SubcontractArgument = Annotated[
    str, typer.Argument(metavar="ID", help=_("The subcontract's id."), show_default=False)
]


@subcontract_app.command(
    "new",
    cls=ComunidadCommand,
    help=_(
        "Create a draft subcontract under a grant, with its budget lines; the grant's"
        " subcontracts may not obligate more than the grant."
    ),
)
def subcontract_new(
    grant: Annotated[
        str, typer.Option("--grant", metavar="ID", help=_("The grant's id."), show_default=False)
    ],
    partner: Annotated[
        str,
        typer.Option(
            "--partner", metavar="ORG", help=_("The partner's organisation id."), show_default=False
        ),
    ],
    kind: Annotated[
        str,
        typer.Option("--kind", metavar="KIND", help=_("subaward or contract."), show_default=False),
    ],
    start: Annotated[
        str,
        typer.Option(
            "--from", metavar="DATE", help=_("First day (YYYY-MM-DD)."), show_default=False
        ),
    ],
    end: Annotated[
        str,
        typer.Option("--to", metavar="DATE", help=_("Last day (YYYY-MM-DD)."), show_default=False),
    ],
    lines: LinesOption,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants import add_subcontract

    first, last = day_option(start, "--from"), day_option(end, "--to")
    parsed = _lines(lines)
    with _refusals():
        position = add_subcontract(
            database_url(),
            grant=grant,
            partner=partner,
            kind=kind,
            start=first,
            end=last,
            lines=parsed,
            key=key,
            today=clock.today(),
            decimal_mark=_decimal_mark(),
        )
    info(
        _("Created draft subcontract {key} obligating {amount}.").format(
            key=position.key, amount=money_text(position.obligated, position.currency)
        )
    )
    info(
        _(
            'Before activating it, record a risk assessment: "comunidad subcontract risk {key}".'
        ).format(key=position.key)
    )


@subcontract_app.command(
    "amend",
    cls=ComunidadCommand,
    help=_(
        "Amend a subcontract's budget: each --line adds (or, negative, takes) money from a"
        " category. Kept as history; a revision moving more than the workspace's threshold"
        " between lines needs the funder's approval."
    ),
)
def subcontract_amend(
    key: SubcontractArgument,
    effective: Annotated[
        str,
        typer.Option(
            "--effective",
            metavar="DATE",
            help=_("When it takes effect (YYYY-MM-DD)."),
            show_default=False,
        ),
    ],
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help=_("Why."), show_default=False)
    ],
    lines: Annotated[
        list[str],
        typer.Option(
            "--line",
            metavar="CATEGORY=CHANGE",
            help=_("The change to one category, e.g. supplies=-500; repeat for each."),
            show_default=False,
        ),
    ],
) -> None:
    from comunidad_cli.i18n import format_number
    from comunidad_cli.services.grants import amend_subcontract
    from comunidad_cli.services.workspace import DEFAULT_REVISION_THRESHOLD

    day = day_option(effective, "--effective")
    parsed = _lines(lines)
    workspace = current_workspace(required=False)
    threshold = workspace.revision_threshold if workspace else DEFAULT_REVISION_THRESHOLD
    with _refusals():
        result = amend_subcontract(
            database_url(),
            key,
            effective=day,
            reason=reason,
            lines=parsed,
            threshold=threshold,
            decimal_mark=_decimal_mark(),
        )
    c = result.currency
    info(
        _("Amendment {number} to {key} recorded: obligated {before} -> {after}.").format(
            number=result.number,
            key=result.subcontract,
            before=money_text(result.obligated_before, c),
            after=money_text(result.obligated_after, c),
        )
    )
    if result.needs_approval:
        revision = result.revision
        info(
            _(
                "Needs the funder's approval: {moved} moved between lines ({cumulative} since the"
                " last approved revision), more than {share}% of {base}. It takes effect once"
                ' approved: "comunidad subcontract approve-revision {key} --amendment {number}'
                ' --on DATE".'
            ).format(
                moved=money_text(revision.moved, c),
                cumulative=money_text(revision.cumulative, c),
                share=format_number(
                    Decimal(revision.threshold.numerator * 100) / revision.threshold.denominator
                ),
                base=money_text(revision.base, c),
                key=result.subcontract,
                number=result.number,
            )
        )


@subcontract_app.command(
    "approve-revision",
    cls=ComunidadCommand,
    help=_("Record the funder's approval of an amendment that needed it: it takes effect."),
)
def subcontract_approve_revision(
    key: SubcontractArgument,
    amendment: Annotated[
        int,
        typer.Option(
            "--amendment", metavar="N", help=_("The amendment's number."), show_default=False
        ),
    ],
    on: Annotated[
        str,
        typer.Option(
            "--on", metavar="DATE", help=_("Day of the approval (YYYY-MM-DD)."), show_default=False
        ),
    ],
) -> None:
    from comunidad_cli.services.grants import approve_revision

    day = day_option(on, "--on")
    with _refusals():
        approve_revision(database_url(), key, number=amendment, on=day, today=clock.today())
    info(
        _(
            "Amendment {number} to {key} approved by the funder on {day}; it is now in force."
        ).format(number=amendment, key=key, day=_date_text(day))
    )


@subcontract_app.command(
    "risk",
    cls=ComunidadCommand,
    help=_("Record a risk assessment of a subcontract (needed before it becomes active)."),
)
def subcontract_risk(
    key: SubcontractArgument,
    level: Annotated[
        str,
        typer.Option(
            "--level", metavar="LEVEL", help=_("low, medium or high."), show_default=False
        ),
    ],
    by: Annotated[
        str, typer.Option("--by", metavar="NAME", help=_("Who assessed it."), show_default=False)
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_("Day of the assessment (default: today)."),
            show_default=False,
        ),
    ] = None,
    notes: Annotated[
        str | None,
        typer.Option("--notes", metavar="TEXT", help=_("Notes."), show_default=False),
    ] = None,
) -> None:
    from comunidad_cli.services.grants import assess_risk

    today = clock.today()
    day = day_option(on, "--on") if on is not None else today
    with _refusals():
        risk = assess_risk(
            database_url(), key, level=level, by=by, on=day, today=today, notes=notes
        )
    info(
        _("Risk assessment of {key} recorded: {level}, by {by} on {day}.").format(
            key=key.strip(), level=risk.level, by=risk.assessed_by, day=_date_text(risk.assessed_on)
        )
    )


@subcontract_app.command(
    "status",
    cls=ComunidadCommand,
    help=_(
        "Move a subcontract on: draft -> active -> closing -> closed (active needs a risk"
        " assessment on file)."
    ),
)
def subcontract_status(
    key: SubcontractArgument,
    status: Annotated[
        str,
        typer.Argument(metavar="STATUS", help=_("active, closing or closed."), show_default=False),
    ],
) -> None:
    from comunidad_cli.services.grants import set_subcontract_status

    with _refusals():
        old, new = set_subcontract_status(database_url(), key, status)
    info(
        _("{key}: {old} -> {new}.").format(
            key=key.strip(), old=_status_text(old), new=_status_text(new)
        )
    )


@subcontract_app.command(
    "list",
    cls=ComunidadCommand,
    help=_("List subcontracts (of one grant) and what needs attention."),
)
def subcontract_list(
    grant: Annotated[
        str | None,
        typer.Option(
            "--grant", metavar="ID", help=_("Only this grant's subcontracts."), show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.grants import subcontract_positions

    day = as_of_day(as_of)
    with _refusals():
        positions = subcontract_positions(
            database_url(), grant, today=day or clock.today(), as_of=day is not None
        )
    if as_json:
        _json([p.as_json() for p in positions])
        return
    if not positions:
        info(_('No subcontracts yet: create one with "comunidad subcontract new".'))
        return
    write_stdout(_subcontract_rows(positions))


@subcontract_app.command(
    "show",
    cls=ComunidadCommand,
    help=_(
        "Show a subcontract: budget lines with amendments, spent and balance; amendment history;"
        " risk; deliverables."
    ),
)
def subcontract_show(
    key: SubcontractArgument, as_json: JsonOption = False, as_of: AsOfOption = None
) -> None:
    from comunidad_cli.services.grants import get_subcontract

    day = as_of_day(as_of)
    with _refusals():
        detail = get_subcontract(database_url(), key, day or clock.today(), day is not None)
    if as_json:
        _json(detail.as_json())
        return
    p = detail.position
    c = p.currency
    risk = (
        _("{level}, by {by} on {day}").format(
            level=p.risk.level, by=p.risk.assessed_by, day=_date_text(p.risk.assessed_on)
        )
        if p.risk
        else _("none on file")
    )
    text = _fields(
        [
            (_("id"), p.key),
            (_("grant"), p.grant),
            (_("partner"), f"{p.partner_name} ({p.partner})"),
            (_("kind"), p.kind),
            (_("status"), _status_text(p.status)),
            (_("period"), _period(p.start, p.end)),
            (_("risk"), risk),
            (_("payments"), str(detail.payments)),
            (_("attention"), _flags(p)),
        ]
    )
    rows = [
        [
            line.category,
            money_text(line.original, c),
            money_text(line.amended, c),
            money_text(line.budget, c),
            money_text(line.spent, c),
            money_text(line.balance, c),
        ]
        for line in p.budget.lines
    ]
    rows.append(
        [
            _("total"),
            money_text(p.budget.original, c),
            money_text(p.obligated - p.budget.original, c),
            money_text(p.obligated, c),
            money_text(p.spent, c),
            money_text(p.balance, c),
        ]
    )
    text += "\n" + _("Budget:") + "\n"
    text += _table(
        [_("CATEGORY"), _("ORIGINAL"), _("AMENDMENTS"), _("BUDGET"), _("SPENT"), _("BALANCE")],
        rows,
        right=(1, 2, 3, 4, 5),
    )
    if detail.amendments:
        states = {
            "in_force": _("in force"),
            "approved": _("approved by the funder"),
            "pending": _("awaiting the funder's approval"),
        }
        text += "\n" + _("Amendments:") + "\n"
        text += _table(
            [_("N"), _("EFFECTIVE"), _("CHANGES"), _("STATE"), _("REASON")],
            [
                [
                    str(a.number),
                    _date_text(a.effective),
                    ", ".join(
                        f"{cat} {'+' if d > 0 else ''}{money_text(d, c)}" for cat, d in a.deltas
                    ),
                    states[a.status] + (f" ({_date_text(a.approved_on)})" if a.approved_on else ""),
                    a.reason,
                ]
                for a in detail.amendments
            ],
        )
    if detail.deliverables:
        text += "\n" + _("Deliverables:") + "\n" + _deliverable_rows(detail.deliverables)
    write_stdout(text)


# --- payment ----------------------------------------------------------------------------------


@payment_app.command(
    "add",
    cls=ComunidadCommand,
    help=_(
        "Record an invoice or reimbursement split across budget lines (negative: a repayment);"
        " refused if it would overdraw a line or the subcontract."
    ),
)
def payment_add(
    subcontract: Annotated[
        str,
        typer.Option(
            "--subcontract", metavar="ID", help=_("The subcontract's id."), show_default=False
        ),
    ],
    period_from: Annotated[
        str,
        typer.Option(
            "--period-from",
            metavar="DATE",
            help=_("First day of the period covered."),
            show_default=False,
        ),
    ],
    period_to: Annotated[
        str,
        typer.Option(
            "--period-to",
            metavar="DATE",
            help=_("Last day of the period covered."),
            show_default=False,
        ),
    ],
    on: Annotated[
        str,
        typer.Option("--date", metavar="DATE", help=_("The invoice's date."), show_default=False),
    ],
    status: Annotated[
        str,
        typer.Option(
            "--status",
            metavar="STATUS",
            help=_("submitted, approved, paid or declined."),
            show_default=False,
        ),
    ],
    lines: LinesOption,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants import add_payment

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
    from comunidad_cli.services.grants import set_payment_status

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
        str | None,
        typer.Option(
            "--subcontract",
            metavar="ID",
            help=_("Only this subcontract's payments."),
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.grants import list_payments

    with _refusals():
        payments = list_payments(database_url(), subcontract)
    if as_json:
        _json([p.as_json() for p in payments])
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


# --- deliverable ------------------------------------------------------------------------------


def _schedule(d: DeliverableView) -> str:
    if d.every is None:
        return _("once")
    until = _date_text(d.until)
    if d.unit == "weeks":
        text = ngettext("every week until {until}", "every {n} weeks until {until}", d.every)
    else:
        text = ngettext("every month until {until}", "every {n} months until {until}", d.every)
    return text.format(n=d.every, until=until)


def _overdue_text(d: DeliverableView) -> str:
    if not d.overdue:
        return ""
    oldest = d.overdue[0]
    text = _("{count} overdue since {due}").format(count=len(d.overdue), due=_date_text(oldest.due))
    if d.very_late:
        text += " " + _("(very late)")
    return text


def _deliverable_rows(deliverables: Sequence[DeliverableView]) -> str:
    return _table(
        [_("ID"), _("SUBCONTRACT"), _("TITLE"), _("SCHEDULE"), _("NEXT DUE"), _("OVERDUE")],
        [
            [
                d.key,
                d.subcontract,
                d.title + (" *" if d.holds_payments else ""),
                _schedule(d),
                _date_text(d.next_due),
                _overdue_text(d),
            ]
            for d in deliverables
        ],
        whole=(0, 1),
    )


@deliverable_app.command(
    "add",
    cls=ComunidadCommand,
    help=_(
        "Add a deliverable or report a subcontract owes: once, or every N weeks or months"
        " until a date (default: the subcontract's end)."
    ),
)
def deliverable_add(
    subcontract: Annotated[
        str,
        typer.Option(
            "--subcontract", metavar="ID", help=_("The subcontract's id."), show_default=False
        ),
    ],
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help=_("What is due."), show_default=False)
    ],
    due: Annotated[
        str,
        typer.Option("--due", metavar="DATE", help=_("The (first) due date."), show_default=False),
    ],
    every: Annotated[
        int | None,
        typer.Option("--every", metavar="N", help=_("Repeat every N units."), show_default=False),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", metavar="UNIT", help=_("weeks or months."), show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help=_("Last possible due date (default: the subcontract's end)."),
            show_default=False,
        ),
    ] = None,
    holds_payments: Annotated[
        bool,
        typer.Option(
            "--holds-payments",
            help=_("Payments are not approved or paid while this report is overdue."),
        ),
    ] = False,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants import add_deliverable

    first = day_option(due, "--due")
    last = day_option(until, "--until") if until is not None else None
    with _refusals():
        deliverable = add_deliverable(
            database_url(),
            subcontract=subcontract,
            title=title,
            first_due=first,
            every=every,
            unit=unit,
            until=last,
            holds_payments=holds_payments,
            key=key,
            today=clock.today(),
        )
    dues = [o.due for o in deliverable.occurrences]
    info(
        ngettext(
            'Added "{title}" with id {key}: {schedule}, {count} due date, {first}.',
            'Added "{title}" with id {key}: {schedule}, {count} due dates from {first}.',
            len(dues),
        ).format(
            title=deliverable.title,
            key=deliverable.key,
            schedule=_schedule(deliverable),
            count=len(dues),
            first=_date_text(dues[0]),
        )
    )


@deliverable_app.command(
    "submit",
    cls=ComunidadCommand,
    help=_("Record a deliverable handed in: the occurrence due on --due, submitted on --on."),
)
def deliverable_submit(
    key: Annotated[
        str, typer.Argument(metavar="ID", help=_("The deliverable's id."), show_default=False)
    ],
    due: Annotated[
        str,
        typer.Option(
            "--due", metavar="DATE", help=_("The due date it answers."), show_default=False
        ),
    ],
    on: Annotated[
        str,
        typer.Option(
            "--on", metavar="DATE", help=_("The day it was submitted."), show_default=False
        ),
    ],
) -> None:
    from comunidad_cli.services.grants import submit_deliverable

    due_day, day = day_option(due, "--due"), day_option(on, "--on")
    with _refusals():
        deliverable = submit_deliverable(
            database_url(), key, due=due_day, on=day, today=clock.today()
        )
    late = (day - due_day).days
    message = (
        ngettext(
            '"{title}" due {due} submitted on {on}, {days} day late.',
            '"{title}" due {due} submitted on {on}, {days} days late.',
            late,
        )
        if late > 0
        else _('"{title}" due {due} submitted on {on}.')
    )
    info(
        message.format(
            title=deliverable.title, due=_date_text(due_day), on=_date_text(day), days=late
        )
    )


@deliverable_app.command(
    "list",
    cls=ComunidadCommand,
    help=_("List deliverables with their next due date and overdue reports (* holds payments)."),
)
def deliverable_list(
    subcontract: Annotated[
        str | None,
        typer.Option(
            "--subcontract",
            metavar="ID",
            help=_("Only this subcontract's deliverables."),
            show_default=False,
        ),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help=_("Only those with an overdue report."))
    ] = False,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.grants import list_deliverables

    day = as_of_day(as_of)
    with _refusals():
        deliverables = list_deliverables(
            database_url(),
            subcontract,
            overdue_only=overdue,
            today=day or clock.today(),
            as_of=day is not None,
        )
    if as_json:
        _json([d.as_json() for d in deliverables])
        return
    if not deliverables:
        info(
            _("No overdue reports.")
            if overdue
            else _('No deliverables yet: add one with "comunidad deliverable add".')
        )
        return
    write_stdout(_deliverable_rows(deliverables))
