"""Reading the audit log: who changed what, and when, for a treasurer or an auditor.

The log is append-only (triggers refuse UPDATE and DELETE); this module only reads it.
Rows written before the actor was recorded (schema 0004) have none, and say so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError


@dataclass(frozen=True, slots=True)
class AuditView:
    """One audit row as read back; `actor` is None where nobody was recorded."""

    id: int
    at: datetime
    actor: str | None
    command: str
    action: str
    entity: str
    entity_id: str | None
    detail: Any

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "command": self.command,
            "action": self.action,
            "entity": self.entity,
            "id": self.entity_id,
            "detail": self.detail,
        }


def list_events(
    url: str,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    last: int | None = None,
) -> list[AuditView]:
    """The audit rows, oldest first: of one kind of entity, one id, or the `last` N only."""
    from comunidad_cli.services.facts import local_zone
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.dbapi import read_instant

    zone = local_zone()
    with reading_db(url) as db:
        rows = audit.events(db, entity=entity, entity_id=entity_id, last=last)
        if entity is not None and not rows:
            kinds = audit.entity_kinds(db)
            if entity not in kinds:
                # "org" for "organisation": say which kinds the log has, not "no changes".
                raise ServiceError.of(
                    N_('--entity: the log has no kind "{entity}"; its kinds are: {kinds}'),
                    exit_code=2,
                    entity=entity,
                    kinds=", ".join(kinds),
                )
    views = []
    for row_id, at, actor, command, action, kind, key, detail in reversed(rows):
        when = read_instant(at)
        assert when is not None  # the column is NOT NULL
        views.append(
            AuditView(
                row_id,
                when.astimezone(zone),
                actor,
                command,
                action,
                kind,
                key,
                json.loads(detail) if detail is not None else None,
            )
        )
    return views


def actor_problem() -> Msg | None:
    """Why the actor this process would record can't be (``COMUNIDAD_ACTOR`` with a control
    character), or None: the CLI asks before any command runs, so nothing is half-done."""
    from comunidad_cli.storage import audit

    return audit.actor_problem()
