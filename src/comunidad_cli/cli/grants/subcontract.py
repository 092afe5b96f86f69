"""`comunidad subcontract new|amend|approve-revision|risk|status|list|show`: subcontracts
passed on to partners.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AsOfOption,
    AssessedOnOption,
    ComunidadCommand,
    as_of_day,
    current_workspace,
    database_url,
    day_option,
    day_or_today,
    info,
    print_json,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.grants.common import (
    JsonOption,
    KeyOption,
    LinesOption,
    SubcontractArgument,
    _app,
    _decimal_mark,
    _lines,
    _refusals,
)
from comunidad_cli.cli.grants.render import (
    _date_text,
    _deliverable_rows,
    _fields,
    _flags,
    _period,
    _status_text,
    _subcontract_rows,
    _table,
    money_text,
)
from comunidad_cli.i18n import _, choice_word, fill

subcontract_app = _app(
    _("Subcontracts passed on to partners: budget lines, amendments, risk, status.")
)


@subcontract_app.command(
    "new",
    cls=ComunidadCommand,
    help=_(
        "Create a draft subcontract under a grant, with its budget lines; the grant's"
        " subcontracts may not obligate more than the grant."
    ),
)
def subcontract_new(
    grant: Annotated[str, value_option("--grant", "ID", _("The grant's id."))],
    partner: Annotated[str, value_option("--partner", "ORG", _("The partner's organisation id."))],
    kind: Annotated[str, value_option("--kind", "KIND", _("subaward or contract."))],
    start: Annotated[str, value_option("--from", "DATE", _("First day (YYYY-MM-DD)."))],
    end: Annotated[str, value_option("--to", "DATE", _("Last day (YYYY-MM-DD)."))],
    lines: LinesOption,
    key: KeyOption = None,
) -> None:
    from comunidad_cli.services.grants.grants import add_subcontract

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
        str, value_option("--effective", "DATE", _("When it takes effect (YYYY-MM-DD)."))
    ],
    reason: Annotated[str, value_option("--reason", "TEXT", _("Why."))],
    lines: Annotated[
        list[str],
        value_option(
            "--line",
            "CATEGORY=CHANGE",
            _("The change to one category, e.g. supplies=-500; repeat for each."),
        ),
    ],
) -> None:
    from comunidad_cli.i18n import format_number
    from comunidad_cli.services.grants.budget import amend_subcontract
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
    amendment: Annotated[int, value_option("--amendment", "N", _("The amendment's number."))],
    on: Annotated[str, value_option("--on", "DATE", _("Day of the approval (YYYY-MM-DD)."))],
) -> None:
    from comunidad_cli.services.grants.budget import approve_revision

    day = day_option(on, "--on")
    with _refusals():
        approve_revision(database_url(), key, number=amendment, on=day, today=clock.today())
    info(
        fill(
            _("Amendment {number} to {key} approved by the funder on {day}; it is now in force."),
            number=amendment,
            key=key,
            day=_date_text(day),
        )
    )


@subcontract_app.command(
    "risk",
    cls=ComunidadCommand,
    help=_("Record a risk assessment of a subcontract (needed before it becomes active)."),
)
def subcontract_risk(
    key: SubcontractArgument,
    level: Annotated[str, value_option("--level", "LEVEL", _("low, medium or high."))],
    by: Annotated[str, value_option("--by", "NAME", _("Who assessed it."))],
    on: AssessedOnOption = None,
    notes: Annotated[str | None, value_option("--notes", "TEXT", _("Notes."))] = None,
) -> None:
    from comunidad_cli.services.grants.grants import assess_risk

    today = clock.today()
    day = day_or_today(on)
    with _refusals():
        risk = assess_risk(
            database_url(), key, level=level, by=by, on=day, today=today, notes=notes
        )
    info(
        fill(
            _("Risk assessment of {key} recorded: {level}, by {by} on {day}."),
            key=key.strip(),
            level=choice_word(risk.level),
            by=risk.assessed_by,
            day=_date_text(risk.assessed_on),
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
    from comunidad_cli.services.grants.grants import set_subcontract_status

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
        str | None, value_option("--grant", "ID", _("Only this grant's subcontracts."))
    ] = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.grants.positions import subcontract_positions

    day = as_of_day(as_of)
    with _refusals():
        positions = subcontract_positions(
            database_url(), grant, today=day or clock.today(), as_of=day is not None
        )
    if as_json:
        print_json([p.as_json() for p in positions])
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
    from comunidad_cli.services.grants.grants import get_subcontract

    day = as_of_day(as_of)
    with _refusals():
        detail = get_subcontract(database_url(), key, day or clock.today(), day is not None)
    if as_json:
        print_json(detail.as_json())
        return
    p = detail.position
    c = p.currency
    risk = (
        fill(
            _("{level}, by {by} on {day}"),
            level=choice_word(p.risk.level),
            by=p.risk.assessed_by,
            day=_date_text(p.risk.assessed_on),
        )
        if p.risk
        else _("none on file")
    )
    text = _fields(
        [
            (_("id"), p.key),
            (_("grant"), p.grant),
            (_("partner"), f"{p.partner_name} ({p.partner})"),
            (_("kind"), choice_word(p.kind)),
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
