"""Power sharing's reads: which by-laws a body's seats and meetings are under.

The rest of the power report reads the governance record through `storage.governance`
(seats, meetings, attendance, closed motions' snapshots): the facts are the same ones.
"""

from __future__ import annotations

from comunidad_cli.storage.dbapi import Db


def bylaws_of_body(db: Db, body: str) -> list[str]:
    """The by-laws ids under which `body` has seats or meetings, sorted."""
    rows = db.rows(
        "SELECT bylaws_id FROM seat WHERE body = :body"
        " UNION SELECT bylaws_id FROM meeting WHERE body = :body",
        {"body": body},
    )
    return sorted({str(bylaws_id) for (bylaws_id,) in rows})
