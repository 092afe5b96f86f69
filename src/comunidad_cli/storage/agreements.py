"""Partner agreements, read and written through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines (migration 0012); no
SQLAlchemy (see `storage.dbapi`). Days come back as dates. Nothing here updates a row of
a signed version: a change is a new version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from comunidad_cli.storage.dbapi import Db, in_list, read_day, read_required_day


@dataclass(frozen=True, slots=True)
class AgreementRow:
    id: int
    key: str
    title: str
    partner: str
    partner_name: str
    lead: str
    lead_name: str


_AGREEMENTS = (
    "SELECT a.id, a.key, a.title, p.key, p.name, l.key, l.name FROM agreement a"
    " JOIN organisation p ON a.partner_id = p.id JOIN organisation l ON a.lead_id = l.id"
)


def agreements(db: Db) -> list[AgreementRow]:
    """Every agreement, by key."""
    return [AgreementRow(int(r[0]), *r[1:]) for r in db.rows(f"{_AGREEMENTS} ORDER BY a.key")]


def agreement(db: Db, key: str) -> AgreementRow | None:
    row = db.row(f"{_AGREEMENTS} WHERE a.key = :key", {"key": key})
    return None if row is None else AgreementRow(int(row[0]), *row[1:])


def add_agreement(
    db: Db, *, key: str, title: str, partner_id: int, lead_id: int, at: datetime
) -> int:
    return db.insert(
        "agreement",
        {
            "key": key,
            "title": title,
            "partner_id": partner_id,
            "lead_id": lead_id,
            "created_at": db.instant(at),
        },
    )


@dataclass(frozen=True, slots=True)
class VersionRow:
    id: int
    agreement_id: int
    number: int
    kind: str
    text: str
    term_start: date | None
    term_end: date | None
    signed_on: date | None
    signed_by: str | None


def versions(db: Db, agreement_ids: Sequence[int] | None = None) -> list[VersionRow]:
    """The versions of some agreements (None: all), in order."""
    sql = (
        "SELECT id, agreement_id, number, kind, text, term_start, term_end, signed_on,"
        " signed_by FROM agreement_version"
    )
    params: dict[str, Any] = {}
    if agreement_ids is not None:
        if not agreement_ids:
            return []
        marks, params = in_list("a", list(agreement_ids))
        sql += f" WHERE agreement_id IN ({marks})"
    rows = db.rows(sql + " ORDER BY agreement_id, number", params)
    return [
        VersionRow(
            int(r[0]),
            int(r[1]),
            int(r[2]),
            str(r[3]),
            str(r[4]),
            read_day(r[5]),
            read_day(r[6]),
            read_day(r[7]),
            r[8],
        )
        for r in rows
    ]


def add_version(
    db: Db,
    *,
    agreement_id: int,
    number: int,
    kind: str,
    text: str,
    term_start: date | None,
    term_end: date | None,
    at: datetime,
) -> int:
    return db.insert(
        "agreement_version",
        {
            "agreement_id": agreement_id,
            "number": number,
            "kind": kind,
            "text": text,
            "term_start": db.day(term_start),
            "term_end": db.day(term_end),
            "signed_on": None,
            "signed_by": None,
            "created_at": db.instant(at),
        },
    )


def sign_version(db: Db, version_id: int, *, on: date, by: str) -> None:
    """Sign a draft version (only a draft: a signed one is never written again)."""
    db.execute(
        "UPDATE agreement_version SET signed_on = :on, signed_by = :by"
        " WHERE id = :id AND signed_on IS NULL",
        {"on": db.day(on), "by": by, "id": version_id},
    )


def add_goal(db: Db, version_id: int, text: str) -> int:
    return db.insert("agreement_goal", {"version_id": version_id, "text": text})


def add_data(db: Db, version_id: int, *, what: str, direction: str, purpose: str) -> int:
    return db.insert(
        "agreement_data",
        {"version_id": version_id, "what": what, "direction": direction, "purpose": purpose},
    )


def add_review(db: Db, version_id: int, due: date) -> int:
    return db.insert("agreement_review", {"version_id": version_id, "due": db.day(due)})


def _of_versions(db: Db, sql: str, version_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    if not version_ids:
        return []
    marks, params = in_list("v", list(version_ids))
    return db.rows(sql.format(marks=marks), params)


def goals(db: Db, version_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(version id, text) of the goals of those versions, in the order added."""
    rows = _of_versions(
        db,
        "SELECT version_id, text FROM agreement_goal WHERE version_id IN ({marks}) ORDER BY id",
        version_ids,
    )
    return [(int(v), str(t)) for v, t in rows]


def data_items(db: Db, version_ids: Sequence[int]) -> list[tuple[int, str, str, str]]:
    """(version id, what, direction, purpose) of the data shared, in the order added."""
    rows = _of_versions(
        db,
        "SELECT version_id, what, direction, purpose FROM agreement_data"
        " WHERE version_id IN ({marks}) ORDER BY id",
        version_ids,
    )
    return [(int(v), str(w), str(d), str(p)) for v, w, d, p in rows]


def reviews(db: Db, version_ids: Sequence[int]) -> list[tuple[int, date]]:
    """(version id, due day) of the review dates of those versions."""
    rows = _of_versions(
        db,
        "SELECT version_id, due FROM agreement_review WHERE version_id IN ({marks})"
        " ORDER BY due, id",
        version_ids,
    )
    return [(int(v), read_required_day(d)) for v, d in rows]


def add_review_held(
    db: Db, agreement_id: int, *, on: date, by: str, note: str, at: datetime
) -> int:
    return db.insert(
        "agreement_review_held",
        {
            "agreement_id": agreement_id,
            "held_on": db.day(on),
            "by": by,
            "note": note,
            "created_at": db.instant(at),
        },
    )


def reviews_held(db: Db, agreement_ids: Sequence[int]) -> list[tuple[int, date, str, str]]:
    """(agreement id, day, by, note) of the reviews held, oldest first."""
    if not agreement_ids:
        return []
    marks, params = in_list("a", list(agreement_ids))
    rows = db.rows(
        'SELECT agreement_id, held_on, "by", note FROM agreement_review_held'
        f" WHERE agreement_id IN ({marks}) ORDER BY held_on, id",
        params,
    )
    return [(int(a), read_required_day(d), str(b), str(n)) for a, d, b, n in rows]


# --- partnership-quality assessments ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    id: int
    side: str
    instrument: str
    sha256: str
    rater: str
    assessed_on: date


def assessments(db: Db, agreement_id: int) -> list[AssessmentRow]:
    """The quality assessments of an agreement, oldest first."""
    rows = db.rows(
        "SELECT id, side, instrument, instrument_sha256, rater, assessed_on"
        " FROM agreement_assessment WHERE agreement_id = :a ORDER BY assessed_on, id",
        {"a": agreement_id},
    )
    return [AssessmentRow(int(r[0]), r[1], r[2], r[3], r[4], read_required_day(r[5])) for r in rows]


def answers(db: Db, assessment_ids: Sequence[int]) -> list[tuple[int, str, int | None]]:
    """(assessment id, item, score or None) of the answers of those assessments."""
    from comunidad_cli.storage.capacity import answers as read_answers

    return read_answers(db, assessment_ids, table="agreement_answer")


def add_assessment(
    db: Db,
    *,
    agreement_id: int,
    side: str,
    instrument: str,
    sha256: str,
    rater: str,
    assessed_on: date,
    answers: Sequence[tuple[str, int | None]],
) -> int:
    """Insert one side's assessment and its answers; returns its row id."""
    assessment_id = db.insert(
        "agreement_assessment",
        {
            "agreement_id": agreement_id,
            "side": side,
            "instrument": instrument,
            "instrument_sha256": sha256,
            "rater": rater,
            "assessed_on": db.day(assessed_on),
        },
    )
    from comunidad_cli.storage.capacity import add_answers

    add_answers(db, assessment_id, answers, table="agreement_answer")
    return assessment_id
