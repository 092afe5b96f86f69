"""Capacity assessments and their answers, read and written through a `Db`.

Plain, portable SQL over the tables `storage.tables` defines; no SQLAlchemy (see
`storage.dbapi`). Dates come back as dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from comunidad_cli.storage.dbapi import Db, in_list, read_day


def assessments(
    db: Db,
    org_ids: Sequence[int] | None = None,
    instrument: str | None = None,
    until: date | None = None,
) -> list[tuple[int, int, str, str, str, date]]:
    """(id, organisation id, instrument, its sha256, rater, day) of the assessments of some
    organisations (None: all), of one instrument, made on or before `until`; oldest first."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if org_ids is not None:
        if not org_ids:
            return []
        marks, found = in_list("org", list(org_ids))
        where.append(f"organisation_id IN ({marks})")
        params.update(found)
    if instrument is not None:
        where.append("instrument = :instrument")
        params["instrument"] = instrument
    if until is not None:
        where.append("assessed_on <= :until")
        params["until"] = db.day(until)
    sql = (
        "SELECT id, organisation_id, instrument, instrument_sha256, rater, assessed_on"
        " FROM capacity_assessment"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY assessed_on, id"
    )
    out = []
    for i, org_id, instr, sha, rater, on in db.rows(sql, params):
        day = read_day(on)
        assert day is not None
        out.append((int(i), int(org_id), str(instr), str(sha), str(rater), day))
    return out


def assessed(db: Db, until: date | None = None) -> bool:
    """Whether any assessment was made (on or before `until`): the summary loads the
    capacity engine (instruments, scoring, comparison) only when one was."""
    sql = "SELECT 1 FROM capacity_assessment"
    params: dict[str, Any] = {}
    if until is not None:
        sql += " WHERE assessed_on <= :until"
        params["until"] = db.day(until)
    return db.row(sql + " LIMIT 1", params) is not None


def answers(
    db: Db, assessment_ids: Sequence[int], table: str = "capacity_answer"
) -> list[tuple[int, str, int | None]]:
    """(assessment id, item, score or None) of the answers of those assessments (`table`:
    an agreement's assessments keep theirs in `agreement_answer`)."""
    if not assessment_ids:
        return []
    marks, params = in_list("a", list(assessment_ids))
    rows = db.rows(
        f"SELECT assessment_id, item, score FROM {table} WHERE assessment_id IN ({marks})",
        params,
    )
    return [(int(a), str(item), None if s is None else int(s)) for a, item, s in rows]


def org_names(db: Db) -> list[tuple[int, str, str]]:
    """(id, key, name) of every organisation, by key."""
    return [
        (int(i), k, n) for i, k, n in db.rows("SELECT id, key, name FROM organisation ORDER BY key")
    ]


def partners(db: Db, grant_id: int) -> list[tuple[int, str, str]]:
    """(id, key, name) of the partners of a grant's subcontracts, by key."""
    rows = db.rows(
        "SELECT id, key, name FROM organisation WHERE id IN"
        " (SELECT partner_id FROM subcontract WHERE grant_id = :g) ORDER BY key",
        {"g": grant_id},
    )
    return [(int(i), k, n) for i, k, n in rows]


def raters_on(db: Db, org_id: int, instrument: str, on: date) -> list[str]:
    """The raters who assessed the organisation with the instrument on that day."""
    rows = db.rows(
        "SELECT rater FROM capacity_assessment WHERE organisation_id = :org"
        " AND instrument = :instrument AND assessed_on = :on",
        {"org": org_id, "instrument": instrument, "on": db.day(on)},
    )
    return [str(r) for (r,) in rows]


def add_assessment(
    db: Db,
    *,
    organisation_id: int,
    instrument: str,
    sha256: str,
    rater: str,
    assessed_on: date,
    answers: Sequence[tuple[str, int | None]],
) -> int:
    """Insert one assessment and its answers (item, score or None for N/A), in order;
    returns its row id."""
    assessment_id = db.insert(
        "capacity_assessment",
        {
            "organisation_id": organisation_id,
            "instrument": instrument,
            "instrument_sha256": sha256,
            "rater": rater,
            "assessed_on": db.day(assessed_on),
        },
    )
    add_answers(db, assessment_id, answers)
    return assessment_id


def add_answers(
    db: Db,
    assessment_id: int,
    answers: Sequence[tuple[str, int | None]],
    table: str = "capacity_answer",
) -> None:
    """Insert an assessment's answers (item, score or None for N/A), in order (`table`: an
    agreement's assessments keep theirs in `agreement_answer`)."""
    db.execute_many(
        f"INSERT INTO {table} (assessment_id, item, score) VALUES (:a, :i, :s)",
        [{"a": assessment_id, "i": i, "s": s} for i, s in answers],
    )


def answer_rows(db: Db, assessment_ids: Sequence[int]) -> list[tuple[int, int, str, int | None]]:
    """(answer row id, assessment id, item, score or None) of the answers of those
    assessments (what an import updates by id)."""
    if not assessment_ids:
        return []
    marks, params = in_list("a", list(assessment_ids))
    rows = db.rows(
        "SELECT id, assessment_id, item, score FROM capacity_answer"
        f" WHERE assessment_id IN ({marks})",
        params,
    )
    return [(int(i), int(a), str(item), None if s is None else int(s)) for i, a, item, s in rows]
