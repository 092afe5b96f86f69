"""Assessments in the database: recorded with their audit row, loaded, scored per
organisation and across the network, and the weakest domains for the summary.

Every way to the data goes through `storage.capacity` over a `storage.dbapi.Db` (`writing_db`
to record, `reading_db` to read): no SQLAlchemy is imported."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from comunidad_cli.core.capacity.comparison import Comparison, NetworkView, compare, network
from comunidad_cli.core.capacity.instrument import Instrument, Texts, localized
from comunidad_cli.core.capacity.scoring import (
    Assessment,
    rater_key,
)
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.capacity.answers import AnswersRefused, check_answers, parse_rater
from comunidad_cli.services.capacity.instruments import find_instrument
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.storage.dbapi import Db


ASSESSMENT_ENTITY = "capacity_assessment"


# --- the database -----------------------------------------------------------------------------


@contextmanager
def connection_of(source: str | Db | Session | Connection) -> Iterator[Db]:
    """A `Db` from a URL (read in its own transaction, without SQLAlchemy), or on the
    transaction of a Db, Session or Connection."""
    from comunidad_cli.services.grants.common import _reading

    with _reading(source) as db:
        yield db


def _org(db: Db, key: str) -> tuple[int, str]:
    from comunidad_cli.storage.directory import organisation

    row = organisation(db, key)
    if row is None:
        from comunidad_cli.services.entries import unknown_org

        raise ServiceError(unknown_org(db, key))
    return int(row["id"]), str(row["name"])


@dataclass(frozen=True, slots=True)
class RecordedAssessment:
    org: str
    instrument: str
    rater: str
    assessed_on: date
    answers: int
    not_applicable: int


def record_assessment(
    url: str,
    *,
    org: str,
    instrument_id: str,
    rater: str,
    on: date,
    answers: Sequence[tuple[str, int | None]],
    folder: Path | None,
    today: date,
    at: datetime,
    command: str = "capacity assess",
) -> RecordedAssessment:
    """Store one rater's complete assessment of an organisation, all answers or none."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import capacity as stored
    from comunidad_cli.storage.audit import record

    try:
        name = parse_rater(rater)
    except Invalid as invalid:
        raise ServiceError(
            Msg.of(N_("{option}: {problem}"), option="--rater", problem=invalid.msg)
        ) from None
    if on > today:
        raise ServiceError.of(
            N_("--on {date} is in the future: an assessment is recorded once it is made"), date=on
        )
    found = find_instrument(instrument_id, folder)
    assert found.instrument is not None
    instrument = found.instrument
    problems = check_answers(instrument, answers)
    if problems:
        raise AnswersRefused(problems)
    with writing_db(url) as db:
        org_id, _org_name = _org(db, org)
        same_day = stored.raters_on(db, org_id, instrument.id, on)
        clash = next((r for r in same_day if rater_key(r) == rater_key(name)), None)
        if clash is not None:
            raise ServiceError.of(
                N_(
                    '{rater} already assessed "{org}" with {instrument} on {date}: correct it'
                    ' with "comunidad import assessments", or record another date with --on'
                ),
                rater=clash,
                org=org,
                instrument=instrument.id,
                date=on,
            )
        stored.add_assessment(
            db,
            organisation_id=org_id,
            instrument=instrument.id,
            sha256=found.sha256,
            rater=name,
            assessed_on=on,
            answers=answers,
        )
        record(
            db,
            command=command,
            action="create",
            entity=ASSESSMENT_ENTITY,
            entity_id=assessment_entity_id(org, instrument.id, name, on),
            detail={
                "org": org,
                "instrument": instrument.id,
                "sha256": found.sha256,
                "rater": name,
                "date": on,
                "answers": {i: s for i, s in answers},
            },
            at=at,
        )
    return RecordedAssessment(
        org, instrument.id, name, on, len(answers), sum(1 for _i, s in answers if s is None)
    )


def assessment_entity_id(org: str, instrument: str, rater: str, on: date) -> str:
    return f"{org}/{instrument}/{rater}/{on.isoformat()}"


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    org_id: int
    instrument: str
    sha256: str
    assessment: Assessment


def load_assessments(
    db: Db,
    org_ids: Sequence[int] | None = None,
    instrument: str | None = None,
    until: date | None = None,
) -> list[StoredAssessment]:
    """Assessments with their answers, for some organisations (None: all) and instruments;
    with `until`, those made on or before it (a view as of that day)."""
    from comunidad_cli.storage import capacity as stored

    heads = stored.assessments(db, org_ids, instrument, until)
    by_id: dict[int, dict[str, int | None]] = {h[0]: {} for h in heads}
    for assessment_id, item, score in stored.answers(db, list(by_id)):
        by_id[assessment_id][item] = score
    return [
        StoredAssessment(org_id, instr, sha, Assessment(rater, on, by_id[i]))
        for i, org_id, instr, sha, rater, on in heads
    ]


@dataclass(frozen=True, slots=True)
class OrgCapacity:
    """An organisation's assessments with one instrument: latest round and the change."""

    org: str
    org_name: str
    instrument: Instrument
    comparison: Comparison
    other_instruments: tuple[str, ...]
    other_versions: bool  # some assessment was answered with another text of the instrument


def _chosen_instrument(stored: Sequence[StoredAssessment], instrument_id: str | None) -> str | None:
    """The instrument asked for, else the one of the latest assessment."""
    if instrument_id is not None:
        return instrument_id
    if not stored:
        return None
    latest = max(stored, key=lambda s: (s.assessment.assessed_on, s.instrument))
    return latest.instrument


def organisation_capacity(
    url: str,
    org: str,
    *,
    instrument_id: str | None = None,
    folder: Path | None = None,
    as_of: date | None = None,
) -> OrgCapacity:
    """What `capacity show` and `capacity compare` print for one organisation (`as_of`: with
    the assessments made by then)."""
    with connection_of(url) as db:
        org_id, org_name = _org(db, org)
        stored = load_assessments(db, [org_id], until=as_of)
    chosen = _chosen_instrument(stored, instrument_id)
    if chosen is None:
        raise ServiceError.of(
            N_(
                'no capacity assessments of "{org}" yet: record one with "comunidad capacity assess"'
            ),
            org=org,
        )
    found = find_instrument(chosen, folder)
    assert found.instrument is not None
    mine = [s for s in stored if s.instrument == found.instrument.id]
    if not mine:
        raise ServiceError.of(
            N_('"{org}" has no assessments with instrument {instrument}'),
            org=org,
            instrument=found.instrument.id,
        )
    others = tuple(sorted({s.instrument for s in stored} - {found.instrument.id}))
    return OrgCapacity(
        org,
        org_name,
        found.instrument,
        compare(found.instrument, [s.assessment for s in mine]),
        others,
        any(s.sha256 != found.sha256 for s in mine),
    )


@dataclass(frozen=True, slots=True)
class NetworkCapacity:
    instrument: Instrument
    view: NetworkView
    names: Mapping[str, str]  # organisation key -> name
    grant: str | None


def network_capacity(
    source: str | Db | Session | Connection,
    *,
    grant: str | None = None,
    instrument_id: str | None = None,
    folder: Path | None = None,
    as_of: date | None = None,
) -> NetworkCapacity:
    """Every organisation assessed (or every partner of a grant's subcontracts), side by side
    (`as_of`: with the assessments made by then)."""
    found = _network(source, grant, instrument_id, folder, as_of)
    if found is None:
        if grant is not None:
            raise ServiceError.of(
                N_('no capacity assessments of the partners of grant "{grant}" yet'), grant=grant
            )
        raise ServiceError.of(
            N_('no capacity assessments yet: record one with "comunidad capacity assess"')
        )
    return found


def _network(
    source: str | Db | Session | Connection,
    grant: str | None,
    instrument_id: str | None,
    folder: Path | None,
    as_of: date | None = None,
) -> NetworkCapacity | None:
    from comunidad_cli.storage import capacity as stored_capacity
    from comunidad_cli.storage.grants import grant as stored_grant

    with connection_of(source) as db:
        if grant is not None:
            found_grant = stored_grant(db, grant)
            if found_grant is None:
                from comunidad_cli.services.suggest import no_such

                fallback = Msg.of(
                    N_('no grant with id "{key}": see "comunidad grant list"'), key=grant
                )
                raise ServiceError(no_such(db, "grant", grant, fallback))
            members = stored_capacity.partners(db, found_grant["id"])
            stored = load_assessments(db, [m[0] for m in members], until=as_of)
        else:
            stored = load_assessments(db, until=as_of)
            assessed = {s.org_id for s in stored}
            members = [m for m in stored_capacity.org_names(db) if m[0] in assessed]
    chosen = _chosen_instrument(stored, instrument_id)
    if chosen is None:
        return None
    found = find_instrument(chosen, folder)
    instrument = found.instrument
    assert instrument is not None
    per_org: list[tuple[str, list[Assessment]]] = []
    for org_id, key, _name in members:
        mine = [
            s.assessment for s in stored if s.org_id == org_id and s.instrument == instrument.id
        ]
        if mine or grant is not None:
            per_org.append((str(key), mine))
    return NetworkCapacity(
        instrument,
        network(instrument, per_org),
        {str(k): str(n) for _i, k, n in members},
        grant,
    )


# --- for the summary ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeakDomain:
    """A weak capacity domain across the network (the mean of the organisations' scores)."""

    instrument: str
    domain: str
    name: Texts
    score: Fraction
    organisations: int

    def name_in(self, language: str) -> str:
        return localized(self.name, language)


def weakest_domains(
    session_or_url: str | Db | Session | Connection,
    limit: int = 3,
    *,
    folder: Path | None = None,
    as_of: date | None = None,
) -> list[WeakDomain]:
    """The network's weakest capacity domains, lowest first ([] when nothing is assessed).

    Uses the instrument of the latest assessment, each organisation's latest round, and
    `folder` (the workspace's instruments/) before the shipped instruments.
    """
    view = _network(session_or_url, None, None, folder, as_of)
    if view is None:
        return []
    return [
        WeakDomain(view.instrument.id, d.domain.id, d.domain.name, d.mean, d.organisations)
        for d in view.view.weakest(limit)
        if d.mean is not None
    ]
