"""A meeting's minutes and corrections through a `Db`: the signed versions of the minutes
and what was corrected after a meeting closed, or after its minutes were signed.

Plain, portable SQL over the tables `storage.tables` defines; times come back aware (UTC).
The rest of the governance record (meetings, seats, motions, votes) is `storage.governance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from comunidad_cli.storage.dbapi import Db, read_required_instant


@dataclass(frozen=True, slots=True)
class MinutesRow:
    """One row of `minutes`: a signed version of a meeting's minutes."""

    id: int
    version: int
    locale: str
    content: str
    sha256: str
    signed_at: datetime
    signed_by: str
    corrects: int | None
    reason: str | None


def latest_minutes(db: Db, meeting_id: int) -> MinutesRow | None:
    """The meeting's latest signed minutes (highest version), or None when never signed."""
    found = db.row(
        "SELECT id, version, locale, content, sha256, signed_at, signed_by, corrects, reason"
        " FROM minutes WHERE meeting_id = :m ORDER BY version DESC LIMIT 1",
        {"m": meeting_id},
    )
    if found is None:
        return None
    i, version, locale, content, sha256, signed_at, signed_by, corrects, reason = found
    return MinutesRow(
        int(i), int(version), locale, content, sha256, read_required_instant(signed_at), signed_by,
        None if corrects is None else int(corrects), reason,
    )  # fmt: skip


def minutes_corrections(db: Db, minutes_id: int) -> list[tuple[datetime, str, str]]:
    """(at, by, text) of the corrections recorded to one signed version, oldest first."""
    return _corrections(db, "minutes_correction", "minutes_id", minutes_id)


def meeting_corrections(db: Db, meeting_id: int) -> list[tuple[datetime, str, str]]:
    """(at, by, text) of the corrections to a closed meeting, oldest first."""
    return _corrections(db, "meeting_correction", "meeting_id", meeting_id)


def _corrections(db: Db, table: str, column: str, owner: int) -> list[tuple[datetime, str, str]]:
    """(at, by, text) of the rows of a corrections table that belong to `owner`, in order."""
    rows = db.rows(
        f'SELECT at, "by", text FROM {table} WHERE {column} = :owner ORDER BY at, id',
        {"owner": owner},
    )
    return [(read_required_instant(at), str(by), str(text)) for at, by, text in rows]


def add_minutes(
    db: Db,
    *,
    meeting_id: int,
    version: int,
    locale: str,
    content: str,
    sha256: str,
    signed_at: datetime,
    signed_by: str,
    corrects: int | None = None,
    reason: str | None = None,
) -> int:
    """Insert one signed version of a meeting's minutes; returns the row id."""
    return db.insert(
        "minutes",
        {
            "meeting_id": meeting_id,
            "version": version,
            "locale": locale,
            "content": content,
            "sha256": sha256,
            "signed_at": db.instant(signed_at),
            "signed_by": signed_by,
            "corrects": corrects,
            "reason": reason,
        },
    )


def add_meeting_correction(
    db: Db, *, meeting_id: int, at: datetime, text: str, by: str, minutes_version: int | None
) -> int:
    """Insert one correction to a closed meeting; returns the row id."""
    return db.insert(
        "meeting_correction",
        {
            "meeting_id": meeting_id,
            "at": db.instant(at),
            "text": text,
            "by": by,
            "minutes_version": minutes_version,
        },
    )
