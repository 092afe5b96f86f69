"""Award proposals of a round and their lines; a proposal stands once its motion is adopted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_instant
from comunidad_cli.storage.grants import _money, read_money


@dataclass(frozen=True, slots=True)
class AwardRow:
    """A proposal with its motion's key and outcome (None while the motion is open)."""

    id: int
    key: str
    round_text_id: int
    mode: str
    seed: str | None
    motion: str | None
    outcome: str | None
    snapshot: str
    proposed_at: datetime


def add_award(
    db: Db,
    *,
    key: str,
    round_id: int,
    round_text_id: int,
    mode: str,
    seed: str | None,
    motion_id: int | None,
    snapshot: str,
    proposed_at: datetime,
) -> int:
    """Insert one proposal; returns its row id."""
    return db.insert(
        "fund_award",
        {
            "key": key,
            "round_id": round_id,
            "round_text_id": round_text_id,
            "mode": mode,
            "seed": seed,
            "motion_id": motion_id,
            "snapshot": snapshot,
            "proposed_at": db.instant(proposed_at),
        },
    )


def add_award_lines(
    db: Db, award_id: int, lines: Sequence[tuple[int, int | None, str | None, Decimal, str]]
) -> None:
    """Insert a proposal's lines: (application id, rank, exact score, amount, outcome)."""
    db.execute_many(
        "INSERT INTO fund_award_line (award_id, application_id, rank, score, amount, outcome)"
        " VALUES (:award, :app, :rank, :score, :amount, :outcome)",
        [
            {
                "award": award_id,
                "app": app,
                "rank": rank,
                "score": score,
                "amount": _money(db, amount),
                "outcome": outcome,
            }
            for app, rank, score, amount, outcome in lines
        ],
    )


def _award(row: tuple[Any, ...]) -> AwardRow:
    aid, key, text_id, mode, seed, motion, outcome, snapshot, proposed = row
    at = read_instant(proposed)
    assert at is not None
    return AwardRow(int(aid), key, int(text_id), mode, seed, motion, outcome, snapshot, at)


def awards(db: Db, round_id: int) -> list[AwardRow]:
    """A round's proposals, oldest first, with their motions."""
    return [
        _award(r)
        for r in db.rows(
            "SELECT w.id, w.key, w.round_text_id, w.mode, w.seed, m.key, m.outcome, w.snapshot,"
            " w.proposed_at FROM fund_award w LEFT OUTER JOIN motion m ON m.id = w.motion_id"
            " WHERE w.round_id = :r ORDER BY w.proposed_at, w.id",
            {"r": round_id},
        )
    ]


def award_lines(db: Db, award_id: int) -> list[tuple[str, int | None, str | None, Decimal, str]]:
    """(application key, rank, exact score, amount, outcome) of a proposal, in rank order
    (unranked last)."""
    return [
        (str(app), None if rank is None else int(rank), score, read_money(amount), outcome)
        for app, rank, score, amount, outcome in db.rows(
            "SELECT a.key, l.rank, l.score, l.amount, l.outcome FROM fund_award_line l"
            " JOIN fund_application a ON a.id = l.application_id WHERE l.award_id = :w"
            " ORDER BY CASE WHEN l.rank IS NULL THEN 1 ELSE 0 END, l.rank, a.key",
            {"w": award_id},
        )
    ]


def motion_decision(db: Db, motion_key: str) -> str | None:
    """The by-laws decision a proposal's motion is under (what adopts it)."""
    found = db.value("SELECT decision FROM motion WHERE key = :k", {"k": motion_key})
    return None if found is None else str(found)
