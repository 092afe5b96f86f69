"""The evaluation of a round as stored: admissibility judgements as they stand, declared
recusals, reviewers' scores (the latest per application, reviewer and criterion stands;
earlier rows stay as history) and consensus notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_instant


def admissibility(db: Db, round_id: int) -> dict[int, bool]:
    """The standing judgement of each judged application of a round: its latest
    `fund_admissibility` row (decided_at, then id); an application without one is absent."""
    found: dict[int, bool] = {}
    for aid, admissible in db.rows(
        "SELECT j.application_id, j.admissible FROM fund_admissibility j"
        " JOIN fund_application a ON a.id = j.application_id WHERE a.round_id = :r"
        " ORDER BY j.decided_at, j.id",
        {"r": round_id},
    ):
        found[int(aid)] = bool(admissible)
    return found


def reviewers(db: Db, keys: Sequence[str] | None = None) -> dict[str, tuple[int, str | None]]:
    """(person id, organisation key or None) of people by key (every person when None)."""
    sql = (
        "SELECT p.key, p.id, o.key FROM person p"
        " LEFT OUTER JOIN organisation o ON o.id = p.organisation_id"
    )
    rows = db.rows(sql)
    wanted = None if keys is None else set(keys)
    return {
        str(key): (int(pid), None if org is None else str(org))
        for key, pid, org in rows
        if wanted is None or key in wanted
    }


def recusals(db: Db, round_id: int) -> list[tuple[str, str, str]]:
    """(application key, person key, reason) of the declared recusals on a round."""
    return [
        (str(app), str(person), str(reason))
        for app, person, reason in db.rows(
            "SELECT a.key, p.key, r.reason FROM fund_recusal r"
            " JOIN fund_application a ON a.id = r.application_id"
            " JOIN person p ON p.id = r.person_id WHERE a.round_id = :r ORDER BY r.id",
            {"r": round_id},
        )
    ]


def add_recusal(
    db: Db, *, application_id: int, person_id: int, reason: str, declared_at: datetime
) -> int:
    """Record a declared recusal (UNIQUE (application, person): once each)."""
    return db.insert(
        "fund_recusal",
        {
            "application_id": application_id,
            "person_id": person_id,
            "reason": reason,
            "declared_at": db.instant(declared_at),
        },
    )


def scores(db: Db, round_id: int) -> list[tuple[str, str, str, int]]:
    """The standing (application key, person key, criterion, points) of a round: the latest
    row (scored_at, then id) of each application, reviewer and criterion."""
    standing: dict[tuple[str, str, str], int] = {}
    for app, person, criterion, points in db.rows(
        "SELECT a.key, p.key, s.criterion, s.points FROM fund_score s"
        " JOIN fund_application a ON a.id = s.application_id"
        " JOIN person p ON p.id = s.person_id WHERE a.round_id = :r"
        " ORDER BY s.scored_at, s.id",
        {"r": round_id},
    ):
        standing[(str(app), str(person), str(criterion))] = int(points)
    return [(a, p, c, points) for (a, p, c), points in standing.items()]


def standing_sheets(db: Db, round_id: int) -> dict[tuple[str, str], dict[str, int]]:
    """The standing scores of a round as sheets: (application key, person key) -> criterion
    -> points, the latest row (scored_at, then id) of each criterion standing, as `scores`
    has them. Read by ids and grouped in one pass, the keys put in once a sheet: a round of
    thousands of applications has tens of thousands of rows."""
    by_id: dict[tuple[int, int], dict[str, int]] = {}
    for aid, pid, criterion, points in db.rows(
        "SELECT s.application_id, s.person_id, s.criterion, s.points FROM fund_score s"
        " WHERE s.application_id IN (SELECT a.id FROM fund_application a WHERE a.round_id = :r)"
        " ORDER BY s.scored_at, s.id",
        {"r": round_id},
    ):
        sheet = by_id.get((aid, pid))
        if sheet is None:
            sheet = by_id[(aid, pid)] = {}
        sheet[criterion] = int(points)
    if not by_id:
        return {}
    apps = dict(
        db.rows("SELECT a.id, a.key FROM fund_application a WHERE a.round_id = :r", {"r": round_id})
    )
    ids = sorted({p for _, p in by_id})  # the reviewers: a handful
    marks = ", ".join(f":p{n}" for n in range(len(ids)))
    people = dict(
        db.rows(
            f"SELECT p.id, p.key FROM person p WHERE p.id IN ({marks})",
            {f"p{n}": pid for n, pid in enumerate(ids)},
        )
    )
    return {(str(apps[a]), str(people[p])): sheet for (a, p), sheet in by_id.items()}


def score_count(db: Db, round_id: int) -> int:
    """Every score row of a round, history included."""
    return int(
        db.value(
            "SELECT COUNT(*) FROM fund_score s JOIN fund_application a"
            " ON a.id = s.application_id WHERE a.round_id = :r",
            {"r": round_id},
        )
    )


SCORE_COLUMNS = ("application_id", "person_id", "criterion", "points", "scored_at")


def add_scores(db: Db, rows: Sequence[tuple[int, int, str, int, datetime]]) -> None:
    """Insert scores (application id, person id, criterion, points, scored at) at once."""
    db.insert_rows(
        "fund_score",
        SCORE_COLUMNS,
        [(a, p, c, points, db.instant(at)) for a, p, c, points, at in rows],
    )


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A consensus note as stored."""

    application: str
    criterion: str | None
    text: str
    noted_at: datetime
    by: str


def notes(db: Db, round_id: int) -> list[NoteRow]:
    """A round's consensus notes, oldest first."""
    found = []
    for app, criterion, text, noted, by in db.rows(
        'SELECT a.key, n.criterion, n.text, n.noted_at, n."by" FROM fund_consensus_note n'
        " JOIN fund_application a ON a.id = n.application_id WHERE a.round_id = :r"
        " ORDER BY n.noted_at, n.id",
        {"r": round_id},
    ):
        at = read_instant(noted)
        assert at is not None
        found.append(NoteRow(str(app), criterion, str(text), at, str(by)))
    return found


def add_note(
    db: Db, *, application_id: int, criterion: str | None, text: str, noted_at: datetime, by: str
) -> int:
    """Record a consensus note."""
    values: dict[str, Any] = {
        "application_id": application_id,
        "criterion": criterion,
        "text": text,
        "noted_at": db.instant(noted_at),
        "by": by,
    }
    return db.insert("fund_consensus_note", values)
