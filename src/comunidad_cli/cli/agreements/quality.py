"""`comunidad agreement assess|quality`: the partnership-quality self-assessment by each
side (the shipped instrument, read by the capacity machinery) and its change over time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    OnOption,
    database_url,
    day_or_today,
    info,
    value_option,
    write_stdout,
)
from comunidad_cli.cli.capacity.common import AnswerOption, AnswersFileOption
from comunidad_cli.core.agreements import SIDE_WORDS
from comunidad_cli.i18n import _, fill, format_date, ngettext

if TYPE_CHECKING:
    pass

from comunidad_cli.cli._common import print_json
from comunidad_cli.cli.agreements.common import (
    AgreementArgument,
    ByOption,
    JsonOption,
    agreement_app,
    iso_or_blank,
    table_text,
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
        str, value_option("--side", "SIDE", _("lead or partner, or the id of either organisation."))
    ],
    by: ByOption,
    on: OnOption = None,
    answer: AnswerOption = None,
    file: AnswersFileOption = None,
    instrument: Annotated[
        str,
        typer.Option("--instrument", metavar="ID", help=_("The instrument answered.")),
    ] = "calidad-alianza",
) -> None:
    from comunidad_cli.cli.capacity.common import _folder, recorded_answers
    from comunidad_cli.services.agreements.quality import assess as record

    day = day_or_today(on)
    done = recorded_answers(
        answer,
        file,
        lambda answers: record(
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
        ),
    )
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
        value_option(
            "--instrument", "ID", _("The instrument (default: the one of the latest assessment).")
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
        print_json(payload)
        return
    write_stdout(f"{view.title} ({view.key})\n{_name(view.instrument.name)}\n")
    for s in q.sides:
        label = _(SIDE_WORDS[s.side]).capitalize()
        org = view.lead if s.side == "lead" else view.partner
        if not s.rounds:
            write_stdout(f"\n{label} ({org})\n  " + _("No assessments yet.") + "\n")
            continue
        rounds = s.rounds
        headers = [_("DOMAIN"), *(iso_or_blank(r.end) for r in rounds), _("CHANGE")]
        rows = [
            [
                _name(domain.name),
                *(_score(r.domains[index].score) for r in rounds),
                _change(s.comparison.changes[index].change),
            ]
            for index, domain in enumerate(view.instrument.domains)
        ]
        write_stdout(f"\n{label} ({org})\n" + table_text(headers, rows))
    if q.differences:
        headers = [_("DOMAIN"), _("OUR SIDE"), _("PARTNER"), _("DIFFERENCE")]
        rows = [
            [_name(d.domain.name), _score(d.lead), _score(d.partner), _score(d.gap)]
            for d in q.differences
        ]
        write_stdout("\n" + _("Where the two sides differ most") + "\n" + table_text(headers, rows))
