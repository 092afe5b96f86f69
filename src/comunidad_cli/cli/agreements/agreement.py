"""`comunidad agreement add|goal|data|sign|amend|renew|review|end`: recording agreements
with partner organisations (shared goals, data shared, term and review dates), signed once;
amendments, renewals and an ending are new versions beside them. The group is
`cli/agreements/app.py`; listing and showing are `listing.py`, quality `quality.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    OnOption,
    database_url,
    day_option,
    day_or_today,
    info,
    maybe_day,
    value_option,
)
from comunidad_cli.i18n import _, fill, format_date

if TYPE_CHECKING:
    pass

from comunidad_cli.cli.agreements.common import (
    KIND_LABELS,
    AgreementArgument,
    ByOption,
    ReviewOption,
    agreement_app,
    days_of,
)


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
    partner: Annotated[str, value_option("--partner", "ORG", _("The partner organisation's id."))],
    lead: Annotated[str, value_option("--lead", "ORG", _("Our side: the organisation's id."))],
    start: Annotated[str, value_option("--from", "DATE", _("The term's first day, YYYY-MM-DD."))],
    end: Annotated[str, value_option("--to", "DATE", _("The term's last day, YYYY-MM-DD."))],
    review: ReviewOption = None,
    signed: Annotated[
        str | None, value_option("--signed", "DATE", _("The day it was signed."))
    ] = None,
    signed_by: Annotated[
        str | None, value_option("--signed-by", "NAME", _("Who signed it."))
    ] = None,
    key: Annotated[
        str | None,
        value_option("--id", "ID", _("The id to refer to it by (default: made from the title).")),
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
        reviews=days_of(review),
        key=key,
        signed_on=maybe_day(signed, "--signed"),
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
    what: Annotated[str, value_option("--what", "TEXT", _("The data shared."))],
    direction: Annotated[
        str,
        value_option(
            "--direction",
            "WAY",
            _(
                "out (we share), in (the partner shares) or both; in Spanish salida, entrada or"
                " ambas; in Catalan sortida, entrada or ambdues."
            ),
        ),
    ],
    purpose: Annotated[str, value_option("--purpose", "TEXT", _("What for."))],
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

    done = sign(
        database_url(), agreement, on=day_or_today(on), by=by, today=clock.today(), at=clock.now()
    )
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
    text: Annotated[str, value_option("--text", "TEXT", _("What changes, as written."))],
    end: Annotated[
        str | None, value_option("--to", "DATE", _("A new last day of the term."))
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
        end=maybe_day(end, "--to"),
        reviews=days_of(review),
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
    start: Annotated[str, value_option("--from", "DATE", _("The new term's first day."))],
    end: Annotated[str, value_option("--to", "DATE", _("The new term's last day."))],
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
        reviews=days_of(review),
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

    day = day_or_today(on)
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
    reason: Annotated[str, value_option("--reason", "TEXT", _("Why it ends, as written."))],
    on: Annotated[
        str | None, value_option("--on", "DATE", _("The day it ends, YYYY-MM-DD (default: today)."))
    ] = None,
) -> None:
    from comunidad_cli.services.agreements import end

    day = day_or_today(on)
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
