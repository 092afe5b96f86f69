"""The partnership-quality self-assessment of an agreement by each side, with the shipped
instrument machinery of capacity assessments (`services/capacity`): the instrument found by
id (the workspace's `instruments/` first, then the shipped `calidad-alianza`), answers
checked the same way, scores, rounds and change by `core/capacity`, and where the two sides
differ most by `core/agreements`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from comunidad_cli.core.agreements import LEAD, PARTNER, QUALITY_INSTRUMENT, SIDE_WORDS, SIDES
from comunidad_cli.core.agreements.quality import Quality, quality
from comunidad_cli.core.capacity.instrument import Instrument
from comunidad_cli.core.capacity.scoring import Assessment, rater_key
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.agreements import ENTITY
from comunidad_cli.services.agreements.loading import agreement_row
from comunidad_cli.services.capacity.answers import AnswersRefused, check_answers
from comunidad_cli.services.capacity.instruments import find_instrument
from comunidad_cli.services.entries import audit, name_text, not_future
from comunidad_cli.services.errors import ServiceError


def side_of(value: str, partner: str, lead: str) -> str | None:
    """lead or partner, from the word or from the organisation's id."""
    word = value.strip()
    if word.casefold() in SIDES:
        return word.casefold()
    if word == partner:
        return PARTNER
    if word == lead:
        return LEAD
    return None


@dataclass(frozen=True, slots=True)
class Recorded:
    key: str
    side: str
    instrument: str
    rater: str
    assessed_on: date
    answers: int
    not_applicable: int


def assess(
    url: str,
    key: str,
    *,
    side: str,
    answers: Sequence[tuple[str, int | None]],
    on: date,
    by: str,
    instrument_id: str = QUALITY_INSTRUMENT,
    folder: Path | None,
    today: date,
    at: datetime,
) -> Recorded:
    """Store one side's complete self-assessment of the partnership, all answers or none."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    rater = name_text(by, "--by")
    not_future(on, today)
    found_instrument = find_instrument(instrument_id, folder)
    instrument = found_instrument.instrument
    assert instrument is not None
    problems = check_answers(instrument, answers)
    if problems:
        raise AnswersRefused(problems)
    with writing_db(url) as db:
        found = agreement_row(db, key.strip())
        chosen = side_of(side, found.partner, found.lead)
        if chosen is None:
            raise ServiceError.of(
                N_('--side "{side}": write lead, partner, or the id of either ({lead}, {partner})'),
                exit_code=2,
                side=side,
                lead=found.lead,
                partner=found.partner,
            )
        clash = next(
            (
                a
                for a in store.assessments(db, found.id)
                if a.side == chosen
                and a.instrument == instrument.id
                and a.assessed_on == on
                and rater_key(a.rater) == rater_key(rater)
            ),
            None,
        )
        if clash is not None:
            raise ServiceError.of(
                N_("{rater} already assessed {key} for {side} on {date}"),
                rater=clash.rater,
                side=Msg.of(SIDE_WORDS[chosen]),
                key=found.key,
                date=on,
            )
        store.add_assessment(
            db,
            agreement_id=found.id,
            side=chosen,
            instrument=instrument.id,
            sha256=found_instrument.sha256,
            rater=rater,
            assessed_on=on,
            answers=answers,
        )
        audit(
            db,
            "agreement assess",
            "update",
            ENTITY,
            found.key,
            {
                "side": chosen,
                "instrument": instrument.id,
                "sha256": found_instrument.sha256,
                "rater": rater,
                "date": on,
                "answers": {i: s for i, s in answers},
            },
            at,
        )
    return Recorded(
        found.key,
        chosen,
        instrument.id,
        rater,
        on,
        len(answers),
        sum(1 for _i, s in answers if s is None),
    )


@dataclass(frozen=True, slots=True)
class QualityView:
    key: str
    title: str
    partner: str
    lead: str
    instrument: Instrument
    quality: Quality


def agreement_quality(
    url: str, key: str, *, instrument_id: str | None = None, folder: Path | None
) -> QualityView:
    """Both sides' scores per domain over time, their change and where they differ most."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import agreements as store

    with reading_db(url) as db:
        found = agreement_row(db, key.strip())
        heads = store.assessments(db, found.id)
        answers = store.answers(db, [h.id for h in heads])
    if not heads:
        raise ServiceError.of(
            N_('no quality assessments of {key} yet: record one with "comunidad agreement assess"'),
            key=found.key,
        )
    chosen = instrument_id or heads[-1].instrument
    instrument = find_instrument(chosen, folder).instrument
    assert instrument is not None
    by_id: dict[int, dict[str, int | None]] = {h.id: {} for h in heads}
    for assessment_id, item, score in answers:
        by_id[assessment_id][item] = score
    by_side: dict[str, list[Assessment]] = {s: [] for s in SIDES}
    for h in heads:
        if h.instrument == instrument.id:
            by_side[h.side].append(Assessment(h.rater, h.assessed_on, by_id[h.id]))
    return QualityView(
        found.key, found.title, found.partner, found.lead, instrument, quality(instrument, by_side)
    )
