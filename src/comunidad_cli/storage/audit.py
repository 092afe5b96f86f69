"""Writing the audit log.

The caller passes its own session or connection, so the audit row is part of the same
transaction as the change it records: both commit, or neither does. The caller also passes
the time (from `comunidad_cli.clock.now()`), so one command's rows share one instant.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, insert
from sqlalchemy.orm import Session

from comunidad_cli.storage.tables import AuditEvent


def _json_default(value: object) -> str:
    """Details may hold dates and money; anything else is a programming error."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in an audit detail")


def encode_detail(detail: Mapping[str, Any] | None) -> str | None:
    """Canonical JSON (sorted keys, UTF-8 kept) so equal details compare equal as text."""
    if detail is None:
        return None
    return json.dumps(
        dict(detail),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
    )


def record(
    session_or_connection: Session | Connection,
    *,
    command: str,
    action: str,
    entity: str,
    entity_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime,
) -> int:
    """Append one audit row inside the caller's transaction; returns its id.

    Nothing is committed here: the caller's transaction decides.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("audit times must be aware datetimes: use comunidad_cli.clock.now()")
    statement = insert(AuditEvent).values(
        at=at,
        command=command,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=encode_detail(detail),
    )
    # Both a Session and a Connection hand back the driver's cursor result for an INSERT.
    result = cast("CursorResult[Any]", session_or_connection.execute(statement))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
