"""`comunidad capacity assess`: record one rater's answers for an organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AssessedOnOption,
    ComunidadCommand,
    database_url,
    day_or_today,
    info,
    value_option,
)
from comunidad_cli.cli.capacity.common import (
    AnswerOption,
    AnswersFileOption,
    OrgArgument,
    _day,
    _folder,
    capacity_app,
    recorded_answers,
)
from comunidad_cli.i18n import _, fill, ngettext

if TYPE_CHECKING:
    pass


# --- assess ----------------------------------------------------------------------------------


@capacity_app.command(
    "assess",
    cls=ComunidadCommand,
    help=_(
        "Record one rater's assessment of an organisation: every item scored 1 to 4, or na where"
        " the instrument allows it (--answer ITEM=SCORE, repeated, or --file answers.csv with the"
        " columns item and score)."
    ),
)
def assess(
    org: OrgArgument,
    instrument: Annotated[str, value_option("--instrument", "ID", _("The instrument answered."))],
    rater: Annotated[str, value_option("--rater", "NAME", _("Who assessed (a name)."))],
    on: AssessedOnOption = None,
    answer: AnswerOption = None,
    file: AnswersFileOption = None,
) -> None:
    from comunidad_cli.services.capacity.assessments import record_assessment

    day = day_or_today(on)
    done = recorded_answers(
        answer,
        file,
        lambda answers: record_assessment(
            database_url(),
            org=org,
            instrument_id=instrument,
            rater=rater,
            on=day,
            answers=answers,
            folder=_folder(),
            today=clock.today(),
            at=clock.now(),
        ),
    )
    info(
        fill(
            ngettext(
                "Recorded the assessment of {org} by {rater} on {date}: {count} answer, {na} N/A.",
                "Recorded the assessment of {org} by {rater} on {date}: {count} answers, {na} N/A.",
                done.answers,
            ),
            org=done.org,
            rater=done.rater,
            date=_day(done.assessed_on),
            count=done.answers,
            na=done.not_applicable,
        )
    )
