"""`comunidad region summary`: one row per partnership of the workspace (bodies, seats,
meetings, decisions, money, learning), the money and learning not attributed to one, the
total, and the entity's network work; tables in the user's locale or `--json`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    PeriodFromOption,
    PeriodToOption,
    command_group,
    current_workspace,
    database_url,
    period_of,
    print_json,
    write_stdout,
)
from comunidad_cli.i18n import _, fill, format_date, format_money, format_number, ngettext

if TYPE_CHECKING:
    from comunidad_cli.core.region import Row
    from comunidad_cli.services.region import RegionSummary

region_app = command_group(
    _("The regional view: several partnerships' by-laws in one workspace, side by side.")
)

DASH = "–"


@region_app.callback()
def _group() -> None:
    """Keeps `region` a group with `summary` under it (Typer flattens one-command apps)."""


def _money_json(row: Row) -> list[dict[str, Any]]:
    from comunidad_cli.services.grants.common import in_currency

    return [
        in_currency(
            {"currency": currency, "committed": amounts.committed, "paid": amounts.paid}, currency
        )
        for currency, amounts in sorted(row.money.items())
    ]


def _row_json(row: Row, partnership: bool) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if partnership:
        data = {"bylaws": row.bylaws_id, "name": row.name}
    data.update(
        {
            "bodies": row.bodies,
            "seats_filled": row.seats_filled,
            "seats": row.seats,
            "meetings": row.meetings,
            "motions": {
                "adopted": row.adopted,
                "rejected": row.rejected,
                "no_quorum": row.no_quorum,
            },
            "money": _money_json(row),
            "learning": {
                "activities": row.activities,
                "hours": row.hours,
                "participants": row.participants,
            },
        }
    )
    return data


def summary_json(result: RegionSummary) -> dict[str, Any]:
    """The view as `--json` gives it (stable keys; amounts and hours exact numbers)."""
    from comunidad_cli.i18n import message_text

    view, networks = result.view, result.networks
    return {
        "from": view.start.isoformat(),
        "to": view.end.isoformat(),
        "partnerships": [_row_json(row, True) for row in view.partnerships],
        "unattributed": _row_json(view.unattributed, False),
        "total": _row_json(view.total, False),
        "networks": {
            "spaces": networks.spaces,
            "commissions": networks.commissions,
            "sessions": networks.sessions,
            "report_backs": networks.report_backs,
            "commitments_taken": networks.commitments_taken,
            "commitments_open": networks.commitments_open,
            "commitments_overdue": networks.commitments_overdue,
            "commitments_on": networks.on.isoformat(),
            "referrals_made": networks.referrals_made,
            "referrals_received": networks.referrals_received,
        },
        "notes": [message_text(note) for note in result.notes],
    }


def _money_cell(row: Row, paid: bool) -> str:
    if not row.money:
        return DASH
    return "; ".join(
        format_money(amounts.paid if paid else amounts.committed, currency)
        for currency, amounts in sorted(row.money.items())
    )


def _seats(row: Row) -> str:
    if row.seats is None:
        return format_number(row.seats_filled)
    return f"{format_number(row.seats_filled)} / {format_number(row.seats)}"


def summary_text(result: RegionSummary, width: int | None) -> str:
    """The view as the terminal shows it: governance, then money and learning, then the
    entity's networks, in the user's language and formats."""
    from comunidad_cli.i18n import message_text
    from comunidad_cli.render.table import plain_table

    view, networks = result.view, result.networks
    count = len(view.partnerships)
    lines = [
        fill(
            _("Regional view, {start} to {end}:"),
            start=format_date(view.start),
            end=format_date(view.end),
        )
        + " "
        + ngettext("{count} partnership.", "{count} partnerships.", count).format(
            count=format_number(count)
        ),
        "",
    ]
    labelled = [(row.bylaws_id or "", row) for row in view.partnerships]
    governance = [
        [
            label,
            row.name or DASH,
            format_number(row.bodies),
            _seats(row),
            format_number(row.meetings),
            format_number(row.adopted),
            format_number(row.rejected),
            format_number(row.no_quorum),
        ]
        for label, row in [*labelled, (_("Total"), view.total)]
    ]
    lines.append(
        plain_table(
            [
                _("PARTNERSHIP"),
                _("NAME"),
                _("BODIES"),
                _("SEATS FILLED"),
                _("MEETINGS HELD"),
                _("MOTIONS ADOPTED"),
                _("MOTIONS REJECTED"),
                _("WITHOUT QUORUM"),
            ],
            governance,
            right=(2, 3, 4, 5, 6, 7),
            whole=(0,),
            width=width,
        )
    )
    resources = [
        [
            label,
            _money_cell(row, paid=False),
            _money_cell(row, paid=True),
            format_number(row.activities),
            format_number(row.hours),
            format_number(row.participants),
        ]
        for label, row in [
            *labelled,
            (_("Not attributed"), view.unattributed),
            (_("Total"), view.total),
        ]
    ]
    lines.append(
        plain_table(
            [
                _("PARTNERSHIP"),
                _("COMMITTED"),
                _("PAID"),
                _("LEARNING ACTIVITIES"),
                _("HOURS"),
                _("PARTICIPANTS"),
            ],
            resources,
            right=(1, 2, 3, 4, 5),
            whole=(0,),
            width=width,
        )
    )
    lines.append(
        _(
            "Money belongs to a partnership only when its fund round awarded it (the round's"
            " by-laws); the rest is not attributed, and neither are learning activities"
            " recorded without by-laws."
        )
    )
    lines.append("")
    lines.append(
        _("Networks (the entity's, not one partnership's):")
        + " "
        + ngettext("{count} space", "{count} spaces", networks.spaces).format(
            count=format_number(networks.spaces)
        )
        + ", "
        + ngettext("{count} commission", "{count} commissions", networks.commissions).format(
            count=format_number(networks.commissions)
        )
        + "; "
        + ngettext("{count} session", "{count} sessions", networks.sessions).format(
            count=format_number(networks.sessions)
        )
        + ", "
        + ngettext("{count} report back", "{count} reports back", networks.report_backs).format(
            count=format_number(networks.report_backs)
        )
        + ", "
        + ngettext(
            "{count} commitment taken", "{count} commitments taken", networks.commitments_taken
        ).format(count=format_number(networks.commitments_taken))
        + "."
    )
    lines.append(
        fill(
            _("Commitments still open on {day}: {open}; overdue: {overdue}."),
            day=format_date(networks.on),
            open=format_number(networks.commitments_open),
            overdue=format_number(networks.commitments_overdue),
        )
    )
    lines.append(
        _("Referrals of the periods within these days: {made} made, {received} received.").format(
            made=format_number(networks.referrals_made),
            received=format_number(networks.referrals_received),
        )
    )
    for note in result.notes:
        lines.append(_("note: {text}").format(text=message_text(note)))
    return "\n".join(lines) + "\n"


@region_app.command(
    "summary",
    cls=ComunidadCommand,
    help=_(
        "One row per partnership whose by-laws the workspace holds (bodies, seats filled,"
        " meetings held, motions adopted and rejected, money committed and paid, learning),"
        " the money and learning not attributed to one, the total, and the entity's"
        " network work, over a period."
    ),
)
def summary(
    start: PeriodFromOption = None,
    end: PeriodToOption = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.render.table import terminal_width
    from comunidad_cli.services.region import region_summary

    first, last = period_of(start, end)
    workspace = current_workspace()
    assert workspace is not None
    result = region_summary(database_url(), workspace.bylaws_dir, first, last)
    if as_json:
        print_json(summary_json(result))
        return
    write_stdout(summary_text(result, terminal_width()))
