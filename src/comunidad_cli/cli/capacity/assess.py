"""`comunidad capacity assess`: record one rater's answers for an organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AssessedOnOption,
    ComunidadCommand,
    database_url,
    day_or_today,
    error,
    fail,
    info,
    render,
    value_option,
)
from comunidad_cli.cli.capacity.common import (
    AnswerOption,
    AnswersFileOption,
    OrgArgument,
    _day,
    _folder,
    capacity_app,
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
    from comunidad_cli.services.capacity.answers import (
        AnswersRefused,
        parse_answer_options,
        read_answers_file,
    )
    from comunidad_cli.services.capacity.assessments import record_assessment

    day = day_or_today(on)
    if not answer and file is None:
        fail(_("give the answers: --answer ITEM=SCORE for each item, or --file FILE"), 2)
    try:
        answers = [*(parse_answer_options(answer) if answer else [])]
        if file is not None:
            answers += read_answers_file(file)
        done = record_assessment(
            database_url(),
            org=org,
            instrument_id=instrument,
            rater=rater,
            on=day,
            answers=answers,
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
