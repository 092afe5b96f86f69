"""Rounds opened in the database and the texts of their files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from comunidad_cli.storage.dbapi import Db, read_instant


@dataclass(frozen=True, slots=True)
class RoundRow:
    """A round as stored, with its grant's key (None: awards not yet tied to money)."""

    id: int
    key: str
    bylaws_id: str
    body: str
    grant_id: int | None
    grant: str | None
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class RoundText:
    """One text of a round's file: what decisions taken after `loaded_at` were judged under."""

    id: int
    round_id: int
    sha256: str
    content: str
    loaded_at: datetime


_ROUNDS = (
    "SELECT r.id, r.key, r.bylaws_id, r.body, r.grant_id, g.key, r.opened_at"
    " FROM fund_round r LEFT OUTER JOIN grant_award g ON r.grant_id = g.id"
)


def _round(row: tuple[Any, ...]) -> RoundRow:
    rid, key, bylaws_id, body, grant_id, grant, opened = row
    opened_at = read_instant(opened)
    assert opened_at is not None
    return RoundRow(
        int(rid),
        key,
        bylaws_id,
        body,
        None if grant_id is None else int(grant_id),
        grant,
        opened_at,
    )


def round_by_key(db: Db, key: str) -> RoundRow | None:
    """The round `key` (the id its file gives), None when it was never opened."""
    row = db.row(f"{_ROUNDS} WHERE r.key = :key", {"key": key})
    return None if row is None else _round(row)


def rounds(db: Db) -> list[RoundRow]:
    """Every round, the latest opened first."""
    return [_round(r) for r in db.rows(f"{_ROUNDS} ORDER BY r.opened_at DESC, r.key")]


def add_round(
    db: Db, *, key: str, bylaws_id: str, body: str, grant_id: int | None, opened_at: datetime
) -> int:
    """Insert one round; returns its row id."""
    return db.insert(
        "fund_round",
        {
            "key": key,
            "bylaws_id": bylaws_id,
            "body": body,
            "grant_id": grant_id,
            "opened_at": db.instant(opened_at),
        },
    )


def _text(row: tuple[Any, ...]) -> RoundText:
    tid, round_id, sha, content, loaded = row
    loaded_at = read_instant(loaded)
    assert loaded_at is not None
    return RoundText(int(tid), int(round_id), sha, content, loaded_at)


_TEXTS = "SELECT id, round_id, sha256, content, loaded_at FROM fund_round_text"


def latest_text(db: Db, round_id: int) -> RoundText | None:
    """The text of the round's file loaded last (the one in force)."""
    row = db.row(
        f"{_TEXTS} WHERE round_id = :r ORDER BY loaded_at DESC, id DESC LIMIT 1", {"r": round_id}
    )
    return None if row is None else _text(row)


def text_by_id(db: Db, text_id: int) -> RoundText:
    """One stored text (an award names the text it was computed under)."""
    row = db.row(f"{_TEXTS} WHERE id = :id", {"id": text_id})
    assert row is not None, text_id
    return _text(row)


def add_text(db: Db, *, round_id: int, sha256: str, content: str, loaded_at: datetime) -> int:
    """Record a text of the round's file (the caller checks it differs from the latest)."""
    return db.insert(
        "fund_round_text",
        {
            "round_id": round_id,
            "sha256": sha256,
            "content": content,
            "loaded_at": db.instant(loaded_at),
        },
    )
