"""The schema revision this comunidad writes, importable without SQLAlchemy or Alembic.

Update it with every new migration (tests compare it with Alembic's head).
`revision_state` tells where a database's revision stands, for the cheap check every
command runs first.
"""

from __future__ import annotations

from typing import Literal

HEAD_REVISION = "0012"

RevisionState = Literal["missing", "behind", "current", "ahead"]


def _number(revision: str) -> int | None:
    return int(revision) if revision.isascii() and revision.isdigit() else None


def revision_state(revision: str | None) -> RevisionState:
    """Where `revision` stands relative to this comunidad's HEAD_REVISION."""
    if revision is None:
        return "missing"
    if revision == HEAD_REVISION:
        return "current"
    number, head = _number(revision), _number(HEAD_REVISION)
    if number is not None and head is not None and number < head:
        return "behind"
    return "ahead"  # a higher number, or an id this comunidad never issued
