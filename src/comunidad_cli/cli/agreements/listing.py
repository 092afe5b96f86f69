"""`comunidad agreement list|show|due`: the agreements, each one's history, and the reviews
and renewals due or overdue. Titles, goals and names are printed as typed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    database_url,
    info,
    write_stdout,
)
from comunidad_cli.i18n import _, fill, format_date, ngettext

if TYPE_CHECKING:
    from comunidad_cli.core.agreements import DueItem

from comunidad_cli.cli._common import print_json
from comunidad_cli.cli.agreements.common import (
    DIRECTION_LABELS,
    DUE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    AgreementArgument,
    JsonOption,
    WithinOption,
    agreement_app,
    iso_or_blank,
    table_text,
)


def _ended_text(ended: tuple[date, str, str]) -> str:
    """ "ended on D by N: reason", the reason as typed."""
    return fill(
        _("ended on {date} by {by}: {reason}"),
        date=format_date(ended[0], "medium"),
        by=ended[1],
        reason=ended[2],
    )


@agreement_app.command("list", cls=ComunidadCommand, help=_("List the agreements and their terms."))
def list_command(as_json: JsonOption = False) -> None:
    from comunidad_cli.services.agreements.views import list_agreements

    rows = list_agreements(database_url(), clock.today())
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_('No agreements yet: add one with "comunidad agreement add".'))
        return
    headers = [_("ID"), _("PARTNER"), _("STATUS"), _("FROM"), _("TO"), _("NEXT REVIEW"), _("TITLE")]
    write_stdout(
        table_text(
            headers,
            [
                [
                    r.key,
                    r.partner,
                    _(STATUS_LABELS[r.status]) if r.ended is None else _ended_text(r.ended),
                    iso_or_blank(r.term[0] if r.term else None),
                    iso_or_blank(r.term[1] if r.term else None),
                    iso_or_blank(r.next_review),
                    r.title,
                ]
                for r in rows
            ],
            whole=(0, 1, 3, 4, 5),
        )
    )


def _due_text(item: DueItem) -> str:
    if item.status == "overdue":
        return ngettext("overdue by {count} day", "overdue by {count} days", item.days).format(
            count=item.days
        )
    if item.days == 0:
        return _("due today")
    return ngettext("due in {count} day", "due in {count} days", item.days).format(count=item.days)


@agreement_app.command(
    "show",
    cls=ComunidadCommand,
    help=_(
        "Everything about an agreement: its history of versions (goals, data shared, reviews),"
        " reviews held and what is due."
    ),
)
def show(
    agreement: AgreementArgument, within: WithinOption = 60, as_json: JsonOption = False
) -> None:
    from comunidad_cli.services.agreements.views import show_agreement

    detail = show_agreement(database_url(), agreement, clock.today(), within)
    if as_json:
        print_json(detail.as_json())
        return
    head = detail.agreement
    lines = [
        f"{head.title} ({head.key})",
        _("Partner: {name} ({key})").format(name=detail.partner_name, key=head.partner),
        _("Our side: {name} ({key})").format(name=detail.lead_name, key=head.lead),
        _("Status: {status}").format(
            status=_(STATUS_LABELS[head.status]) if head.ended is None else _ended_text(head.ended)
        ),
    ]
    if head.term is not None:
        lines.append(
            fill(
                _("Term in force: {start} to {end}"),
                start=format_date(head.term[0], "medium"),
                end=format_date(head.term[1], "medium"),
            )
        )
    if head.renewed_to is not None:
        lines.append(fill(_("Renewed until {end}"), end=format_date(head.renewed_to, "medium")))
    for item in detail.due:
        lines.append(
            fill(
                _("{what} {date}: {when}"),
                what=_(DUE_LABELS[item.what]).capitalize(),
                date=format_date(item.day, "medium"),
                when=_due_text(item),
            )
        )
    write_stdout("\n".join(lines) + "\n")
    for version in detail.versions:
        title = _("Version {number}: {kind}").format(
            number=version.number, kind=_(KIND_LABELS[version.kind])
        )
        body: list[str] = []
        if version.kind == "ending" and version.term_end is not None:
            ended = _ended_text((version.term_end, version.signed_by or "", version.text))
            body.append(ended[:1].upper() + ended[1:])  # the name and reason as typed
            write_stdout(f"\n{title}\n" + "".join(f"  {line}\n" for line in body))
            continue
        if version.signed_on is not None:
            body.append(
                fill(
                    _("Signed {date} by {by}"),
                    date=format_date(version.signed_on, "medium"),
                    by=version.signed_by or "",
                )
            )
        else:
            body.append(_("Not signed yet (a draft)"))
        if version.term_start is not None and version.term_end is not None:
            body.append(
                _("Term: {start} to {end}").format(
                    start=iso_or_blank(version.term_start), end=iso_or_blank(version.term_end)
                )
            )
        elif version.term_end is not None:
            body.append(_("New end of term: {end}").format(end=iso_or_blank(version.term_end)))
        if version.text:
            body.append(version.text)
        body.extend(_("Goal: {text}").format(text=g) for g in version.goals)
        body.extend(
            _("Data: {what} ({direction}): {purpose}").format(
                what=w, direction=_(DIRECTION_LABELS.get(d, d)), purpose=p
            )
            for w, d, p in version.data
        )
        if version.reviews:
            body.append(
                _("Review dates: {dates}").format(
                    dates=", ".join(iso_or_blank(d) for d in version.reviews)
                )
            )
        write_stdout(f"\n{title}\n" + "".join(f"  {line}\n" for line in body))
    if detail.held:
        write_stdout(
            "\n"
            + _("Reviews held")
            + "\n"
            + table_text(
                [_("DATE"), _("BY"), _("NOTE")],
                [[iso_or_blank(d), b, n] for d, b, n in detail.held],
            )
        )


@agreement_app.command(
    "due",
    cls=ComunidadCommand,
    help=_(
        "Reviews and renewals (the term's end) overdue, or due within --within days, earliest"
        " first."
    ),
)
def due_command(within: WithinOption = 60, as_json: JsonOption = False) -> None:
    from comunidad_cli.services.agreements.views import due

    rows = due(database_url(), clock.today(), within)
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_("No reviews or renewals due."))
        return
    headers = [_("ID"), _("PARTNER"), _("WHAT"), _("DATE"), _("STATUS"), _("TITLE")]
    write_stdout(
        table_text(
            headers,
            [
                [
                    r.key,
                    r.partner,
                    _(DUE_LABELS[r.item.what]),
                    iso_or_blank(r.item.day),
                    _due_text(r.item),
                    r.title,
                ]
                for r in rows
            ],
            whole=(0, 1, 3),
        )
    )
