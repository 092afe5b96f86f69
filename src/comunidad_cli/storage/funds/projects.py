"""From award to money: the adopted award of a round, its funded lines, and the
subcontracts made from them (`fund_project`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.grants import read_money

#: The outcomes of an award line that carry money.
FUNDED = ("funded", "partial")


@dataclass(frozen=True, slots=True)
class AdoptedAward:
    """The round's award proposal that stands: the latest whose motion was adopted."""

    id: int
    key: str
    round_text_id: int
    motion: str


def adopted_award(db: Db, round_id: int) -> AdoptedAward | None:
    """The latest award proposal of the round whose motion was adopted, None when none was."""
    row = db.row(
        "SELECT a.id, a.key, a.round_text_id, m.key FROM fund_award a"
        " JOIN motion m ON a.motion_id = m.id"
        " WHERE a.round_id = :r AND m.outcome = 'adopted'"
        " ORDER BY a.proposed_at DESC, a.id DESC LIMIT 1",
        {"r": round_id},
    )
    if row is None:
        return None
    award_id, key, text_id, motion = row
    return AdoptedAward(int(award_id), key, int(text_id), motion)


@dataclass(frozen=True, slots=True)
class FundedLine:
    """A funded (or partly funded) application of an award, with its subcontract once made."""

    line_id: int
    application_id: int
    application: str
    organisation_id: int
    organisation: str
    organisation_name: str
    project: str
    priority: str | None
    asked: Decimal
    awarded: Decimal
    outcome: str
    subcontract_id: int | None
    subcontract: str | None


def funded_lines(db: Db, award_id: int) -> list[FundedLine]:
    """The award's lines that carry money, in rank order."""
    rows = db.rows(
        "SELECT l.id, a.id, a.key, o.id, o.key, o.name, a.project, a.priority, a.amount,"
        " l.amount, l.outcome, s.id, s.key"
        " FROM fund_award_line l"
        " JOIN fund_application a ON l.application_id = a.id"
        " JOIN organisation o ON a.organisation_id = o.id"
        " LEFT OUTER JOIN fund_project p ON p.award_line_id = l.id"
        " LEFT OUTER JOIN subcontract s ON p.subcontract_id = s.id"
        " WHERE l.award_id = :w AND l.outcome IN ('funded', 'partial')"
        " ORDER BY l.rank, a.key",
        {"w": award_id},
    )
    return [_line(r) for r in rows]


def _line(row: tuple[Any, ...]) -> FundedLine:
    lid, aid, app, oid, org, name, project, priority, asked, awarded, outcome, sid, sub = row
    return FundedLine(
        int(lid),
        int(aid),
        app,
        int(oid),
        org,
        name,
        project,
        priority,
        read_money(asked),
        read_money(awarded),
        outcome,
        None if sid is None else int(sid),
        sub,
    )


def add_project(db: Db, *, award_line_id: int, subcontract_id: int, created_at: datetime) -> int:
    """Record that the subcontract was made from the award line."""
    return db.insert(
        "fund_project",
        {
            "award_line_id": award_line_id,
            "subcontract_id": subcontract_id,
            "created_at": db.instant(created_at),
        },
    )


@dataclass(frozen=True, slots=True)
class ApplicationState:
    """An application of a round as the round report counts it."""

    application_id: int
    priority: str | None
    asked: Decimal
    admissible: bool | None


def application_states(db: Db, round_id: int) -> list[ApplicationState]:
    """Every application of the round with its standing admissibility (the latest decision;
    None when not yet judged)."""
    latest: dict[int, bool] = {}
    for aid, admissible in db.rows(
        "SELECT d.application_id, d.admissible FROM fund_admissibility d"
        " JOIN fund_application a ON d.application_id = a.id"
        " WHERE a.round_id = :r ORDER BY d.decided_at, d.id",
        {"r": round_id},
    ):
        latest[int(aid)] = bool(admissible)
    return [
        ApplicationState(int(aid), priority, read_money(amount), latest.get(int(aid)))
        for aid, priority, amount in db.rows(
            "SELECT id, priority, amount FROM fund_application WHERE round_id = :r ORDER BY id",
            {"r": round_id},
        )
    ]
