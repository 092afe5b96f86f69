"""`comunidad agreement ...`: agreements with partner organisations (shared goals, data
shared, term and review dates, signed once; amendments and renewals beside them), reviews
and renewals due, and the partnership-quality self-assessment by each side.

`agreement_app` is registered by cli/app.py as `agreement`. Titles, goals and names are
printed as typed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    ComunidadGroup,
    database_url,
    day_option,
    error,
    fail,
    info,
    render,
    write_stdout,
)
from comunidad_cli.core.agreements import SIDE_WORDS
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, fill, format_date, ngettext

if TYPE_CHECKING:
    from comunidad_cli.core.agreements import DueItem

agreement_app = typer.Typer(
    cls=ComunidadGroup,
    help=_(
        "Agreements with partner organisations: shared goals, data shared, term and reviews,"
        " amendments and renewals, and the partnership-quality self-assessment."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON only."))]
AgreementArgument = Annotated[
    str, typer.Argument(metavar="AGREEMENT", help=_("The agreement's id."))
]
ReviewOption = Annotated[
    list[str] | None,
    typer.Option(
        "--review",
        metavar="DATE",
        help=_("A review date, YYYY-MM-DD. Repeat for more."),
        show_default=False,
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on", metavar="DATE", help=_("The day, YYYY-MM-DD (default: today)."), show_default=False
    ),
]
ByOption = Annotated[
    str, typer.Option("--by", metavar="NAME", help=_("Who, by name."), show_default=False)
]
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


def _day(value: str | None, option: str = "--on") -> date:
    return clock.today() if value is None else day_option(value, option)


def _days(values: list[str] | None, option: str = "--review") -> list[date]:
    return [day_option(v, option) for v in values or []]


def _print_json(data: object) -> None:
    from comunidad_cli.services.exports import dumps_json

    write_stdout(dumps_json(data) + "\n")


def _table(headers: list[str], rows: list[list[str]], whole: tuple[int, ...] = (0,)) -> str:
    from comunidad_cli.render.table import plain_table, terminal_width

    return plain_table(headers, rows, whole=whole, width=terminal_width())


def _iso(value: date | None) -> str:
    return "" if value is None else value.isoformat()


@agreement_app.command(
    "add",
    cls=ComunidadCommand,
    help=_(
        "Add an agreement with a partner organisation: a draft until it is signed (--signed and"
        " --signed-by here, or agreement sign)."
    ),
)
def add(
    title: Annotated[str, typer.Argument(metavar="TITLE", help=_("Its title, as written."))],
    partner: Annotated[
        str,
        typer.Option(
            "--partner", metavar="ORG", help=_("The partner organisation's id."), show_default=False
        ),
    ],
    lead: Annotated[
        str,
        typer.Option(
            "--lead", metavar="ORG", help=_("Our side: the organisation's id."), show_default=False
        ),
    ],
    start: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="DATE",
            help=_("The term's first day, YYYY-MM-DD."),
            show_default=False,
        ),
    ],
    end: Annotated[
        str,
        typer.Option(
            "--to", metavar="DATE", help=_("The term's last day, YYYY-MM-DD."), show_default=False
        ),
    ],
    review: ReviewOption = None,
    signed: Annotated[
        str | None,
        typer.Option(
            "--signed", metavar="DATE", help=_("The day it was signed."), show_default=False
        ),
    ] = None,
    signed_by: Annotated[
        str | None,
        typer.Option("--signed-by", metavar="NAME", help=_("Who signed it."), show_default=False),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help=_("The id to refer to it by (default: made from the title)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.agreements import add_agreement

    chosen = add_agreement(
        database_url(),
        title=title,
        partner=partner,
        lead=lead,
        start=day_option(start, "--from"),
        end=day_option(end, "--to"),
        reviews=_days(review),
        key=key,
        signed_on=None if signed is None else day_option(signed, "--signed"),
        signed_by=signed_by,
        today=clock.today(),
        at=clock.now(),
    )
    if signed is None:
        info(
            _("Added agreement {key} (a draft: sign it once its goals and data are in).").format(
                key=chosen
            )
        )
    else:
        info(_("Added agreement {key}, signed.").format(key=chosen))


@agreement_app.command(
    "goal", cls=ComunidadCommand, help=_("Add a shared goal, as typed, to the draft.")
)
def goal(
    agreement: AgreementArgument,
    text: Annotated[str, typer.Argument(metavar="GOAL", help=_("The goal, as written."))],
) -> None:
    from comunidad_cli.services.agreements import add_goal

    number = add_goal(database_url(), agreement, text, at=clock.now())
    info(_("Added the goal to version {number} of {key}.").format(number=number, key=agreement))


@agreement_app.command(
    "data",
    cls=ComunidadCommand,
    help=_("Add a data item shared under the draft: what, which way and what for."),
)
def data(
    agreement: AgreementArgument,
    what: Annotated[
        str, typer.Option("--what", metavar="TEXT", help=_("The data shared."), show_default=False)
    ],
    direction: Annotated[
        str,
        typer.Option(
            "--direction",
            metavar="WAY",
            help=_(
                "out (we share), in (the partner shares) or both; in Spanish salida, entrada or"
                " ambas; in Catalan sortida, entrada or ambdues."
            ),
            show_default=False,
        ),
    ],
    purpose: Annotated[
        str,
        typer.Option("--purpose", metavar="TEXT", help=_("What for."), show_default=False),
    ],
) -> None:
    from comunidad_cli.services.agreements import add_data

    number = add_data(
        database_url(), agreement, what=what, direction=direction, purpose=purpose, at=clock.now()
    )
    info(
        _("Added the data item to version {number} of {key}.").format(number=number, key=agreement)
    )


@agreement_app.command(
    "sign",
    cls=ComunidadCommand,
    help=_("Sign the draft (the agreement, or its amendment or renewal): then it stays as it was."),
)
def sign_command(agreement: AgreementArgument, by: ByOption, on: OnOption = None) -> None:
    from comunidad_cli.services.agreements import sign

    done = sign(database_url(), agreement, on=_day(on), by=by, today=clock.today(), at=clock.now())
    info(
        _("Signed version {number} ({kind}) of {key}.").format(
            number=done.number, kind=_(KIND_LABELS[done.kind]), key=done.key
        )
    )


@agreement_app.command(
    "amend",
    cls=ComunidadCommand,
    help=_(
        "Record an amendment of a signed agreement: a new version beside it (what changes, and"
        " perhaps a new end of term), drafted, then signed."
    ),
)
def amend(
    agreement: AgreementArgument,
    text: Annotated[
        str,
        typer.Option(
            "--text", metavar="TEXT", help=_("What changes, as written."), show_default=False
        ),
    ],
    end: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="DATE", help=_("A new last day of the term."), show_default=False
        ),
    ] = None,
    review: ReviewOption = None,
) -> None:
    from comunidad_cli.core.agreements import AMENDMENT
    from comunidad_cli.services.agreements import change

    number = change(
        database_url(),
        agreement,
        kind=AMENDMENT,
        text=text,
        start=None,
        end=None if end is None else day_option(end, "--to"),
        reviews=_days(review),
        at=clock.now(),
    )
    info(
        _(
            'Drafted amendment {number} of {key}: sign it with "comunidad agreement sign {key}".'
        ).format(number=number, key=agreement)
    )


@agreement_app.command(
    "renew",
    cls=ComunidadCommand,
    help=_("Record a renewal of a signed agreement: a new term, drafted, then signed."),
)
def renew(
    agreement: AgreementArgument,
    start: Annotated[
        str,
        typer.Option(
            "--from", metavar="DATE", help=_("The new term's first day."), show_default=False
        ),
    ],
    end: Annotated[
        str,
        typer.Option(
            "--to", metavar="DATE", help=_("The new term's last day."), show_default=False
        ),
    ],
    review: ReviewOption = None,
    text: Annotated[
        str, typer.Option("--text", metavar="TEXT", help=_("A note, as written."))
    ] = "",
) -> None:
    from comunidad_cli.core.agreements import RENEWAL
    from comunidad_cli.services.agreements import change

    number = change(
        database_url(),
        agreement,
        kind=RENEWAL,
        text=text,
        start=day_option(start, "--from"),
        end=day_option(end, "--to"),
        reviews=_days(review),
        at=clock.now(),
    )
    info(
        _(
            'Drafted renewal {number} of {key}: sign it with "comunidad agreement sign {key}".'
        ).format(number=number, key=agreement)
    )


@agreement_app.command(
    "review",
    cls=ComunidadCommand,
    help=_("Record a review held: it settles the earliest review date still pending."),
)
def review_command(
    agreement: AgreementArgument,
    by: ByOption,
    on: OnOption = None,
    note: Annotated[
        str, typer.Option("--note", metavar="TEXT", help=_("What was concluded, as written."))
    ] = "",
) -> None:
    from comunidad_cli.services.agreements import review_held

    day = _day(on)
    settled = review_held(
        database_url(), agreement, on=day, by=by, note=note, today=clock.today(), at=clock.now()
    )
    if settled is None:
        info(_("Recorded the review of {key}; no review date was pending.").format(key=agreement))
    else:
        info(
            fill(
                _("Recorded the review of {key}: the review due {date} is settled."),
                key=agreement,
                date=format_date(settled, "medium"),
            )
        )


@agreement_app.command(
    "end",
    cls=ComunidadCommand,
    help=_(
        "End a signed agreement without renewing it: recorded beside its versions, by whom and"
        " why; then nothing more is due, and working together again is a new agreement."
    ),
)
def end_command(
    agreement: AgreementArgument,
    by: ByOption,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", metavar="TEXT", help=_("Why it ends, as written."), show_default=False
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_("The day it ends, YYYY-MM-DD (default: today)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.agreements import end

    day = _day(on)
    key = end(
        database_url(),
        agreement,
        on=day,
        by=by,
        reason=reason,
        today=clock.today(),
        at=clock.now(),
    )
    info(fill(_("Agreement {key} ended on {date}."), key=key, date=format_date(day, "medium")))


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
    from comunidad_cli.services.agreements import list_agreements

    rows = list_agreements(database_url(), clock.today())
    if as_json:
        _print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_('No agreements yet: add one with "comunidad agreement add".'))
        return
    headers = [_("ID"), _("PARTNER"), _("STATUS"), _("FROM"), _("TO"), _("NEXT REVIEW"), _("TITLE")]
    write_stdout(
        _table(
            headers,
            [
                [
                    r.key,
                    r.partner,
                    _(STATUS_LABELS[r.status]) if r.ended is None else _ended_text(r.ended),
                    _iso(r.term[0] if r.term else None),
                    _iso(r.term[1] if r.term else None),
                    _iso(r.next_review),
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
    from comunidad_cli.services.agreements import show_agreement

    detail = show_agreement(database_url(), agreement, clock.today(), within)
    if as_json:
        _print_json(detail.as_json())
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
                    start=_iso(version.term_start), end=_iso(version.term_end)
                )
            )
        elif version.term_end is not None:
            body.append(_("New end of term: {end}").format(end=_iso(version.term_end)))
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
                _("Review dates: {dates}").format(dates=", ".join(_iso(d) for d in version.reviews))
            )
        write_stdout(f"\n{title}\n" + "".join(f"  {line}\n" for line in body))
    if detail.held:
        write_stdout(
            "\n"
            + _("Reviews held")
            + "\n"
            + _table([_("DATE"), _("BY"), _("NOTE")], [[_iso(d), b, n] for d, b, n in detail.held])
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
    from comunidad_cli.services.agreements import due

    rows = due(database_url(), clock.today(), within)
    if as_json:
        _print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_("No reviews or renewals due."))
        return
    headers = [_("ID"), _("PARTNER"), _("WHAT"), _("DATE"), _("STATUS"), _("TITLE")]
    write_stdout(
        _table(
            headers,
            [
                [
                    r.key,
                    r.partner,
                    _(DUE_LABELS[r.item.what]),
                    _iso(r.item.day),
                    _due_text(r.item),
                    r.title,
                ]
                for r in rows
            ],
            whole=(0, 1, 3),
        )
    )


@agreement_app.command(
    "assess",
    cls=ComunidadCommand,
    help=_(
        "Record one side's partnership-quality self-assessment: every item of the instrument"
        " (calidad-alianza) scored 1 to 4, or na where allowed."
    ),
)
def assess(
    agreement: AgreementArgument,
    side: Annotated[
        str,
        typer.Option(
            "--side",
            metavar="SIDE",
            help=_("lead or partner, or the id of either organisation."),
            show_default=False,
        ),
    ],
    by: ByOption,
    on: OnOption = None,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            metavar="ITEM=SCORE",
            help=_("One answer: an item id and 1, 2, 3, 4 or na. Repeat for every item."),
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help=_("The answers in a CSV, JSON or NDJSON file with the columns item and score."),
            show_default=False,
        ),
    ] = None,
    instrument: Annotated[
        str,
        typer.Option("--instrument", metavar="ID", help=_("The instrument answered.")),
    ] = "calidad-alianza",
) -> None:
    from comunidad_cli.cli.capacity.common import _folder
    from comunidad_cli.services.agreements.quality import assess as record
    from comunidad_cli.services.capacity.answers import (
        AnswersRefused,
        parse_answer_options,
        read_answers_file,
    )

    day = _day(on)
    if not answer and file is None:
        fail(_("give the answers: --answer ITEM=SCORE for each item, or --file FILE"), 2)
    try:
        answers = [*(parse_answer_options(answer) if answer else [])]
        if file is not None:
            answers += read_answers_file(file)
        done = record(
            database_url(),
            agreement,
            side=side,
            answers=answers,
            on=day,
            by=by,
            instrument_id=instrument,
            folder=_folder(),
            today=clock.today(),
            at=clock.now(),
        )
    except AnswersRefused as refused:
        for problem in refused.problems:
            error(render(problem))
        info(_("Nothing was recorded."))
        raise typer.Exit(1) from None
    info(
        fill(
            ngettext(
                "Recorded the assessment of {key} by {rater} ({side}) on {date}: {count} answer,"
                " {na} N/A.",
                "Recorded the assessment of {key} by {rater} ({side}) on {date}: {count} answers,"
                " {na} N/A.",
                done.answers,
            ),
            side=_(SIDE_WORDS[done.side]),
            key=done.key,
            rater=done.rater,
            date=format_date(done.assessed_on, "medium"),
            count=done.answers,
            na=done.not_applicable,
        )
    )


@agreement_app.command(
    "quality",
    cls=ComunidadCommand,
    help=_(
        "Partnership quality: each side's scores per domain over time, the change between its"
        " last two rounds, and where the two sides differ most."
    ),
)
def quality_command(
    agreement: AgreementArgument,
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument",
            metavar="ID",
            help=_("The instrument (default: the one of the latest assessment)."),
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.cli.capacity.common import (
        _change,
        _fixed,
        _folder,
        _name,
        _round_json,
        _score,
    )
    from comunidad_cli.services.agreements.quality import agreement_quality

    view = agreement_quality(database_url(), agreement, instrument_id=instrument, folder=_folder())
    q = view.quality
    if as_json:
        payload: dict[str, Any] = {
            "id": view.key,
            "instrument": view.instrument.id,
            "sides": {
                s.side: {
                    "rounds": [_round_json(r) for r in s.rounds],
                    "change": [
                        {
                            "id": c.domain.id,
                            "previous": _fixed(c.previous),
                            "latest": _fixed(c.latest),
                            "change": _fixed(c.change),
                        }
                        for c in s.comparison.changes
                    ],
                }
                for s in q.sides
            },
            "differences": [
                {
                    "id": d.domain.id,
                    "lead": _fixed(d.lead),
                    "partner": _fixed(d.partner),
                    "gap": _fixed(d.gap),
                }
                for d in q.differences
            ],
        }
        _print_json(payload)
        return
    write_stdout(f"{view.title} ({view.key})\n{_name(view.instrument.name)}\n")
    for s in q.sides:
        label = _(SIDE_WORDS[s.side]).capitalize()
        org = view.lead if s.side == "lead" else view.partner
        if not s.rounds:
            write_stdout(f"\n{label} ({org})\n  " + _("No assessments yet.") + "\n")
            continue
        rounds = s.rounds
        headers = [_("DOMAIN"), *(r.end.isoformat() for r in rounds), _("CHANGE")]
        rows = [
            [
                _name(domain.name),
                *(_score(r.domains[index].score) for r in rounds),
                _change(s.comparison.changes[index].change),
            ]
            for index, domain in enumerate(view.instrument.domains)
        ]
        write_stdout(f"\n{label} ({org})\n" + _table(headers, rows))
    if q.differences:
        headers = [_("DOMAIN"), _("OUR SIDE"), _("PARTNER"), _("DIFFERENCE")]
        rows = [
            [_name(d.domain.name), _score(d.lead), _score(d.partner), _score(d.gap)]
            for d in q.differences
        ]
        write_stdout("\n" + _("Where the two sides differ most") + "\n" + _table(headers, rows))
