"""Writing the audit log.

The caller passes its own session, connection or `storage.dbapi.Db`, so the audit row is
part of the same transaction as the change it records: both commit, or neither does. The caller also passes
the time (from `comunidad_cli.clock.now()`), so one command's rows share one instant.

Every row names its actor: who made the change. On PostgreSQL that is the database role
the command connected as (``current_user``): the server authenticated it, so neither `--by`
nor the environment can claim another name there (`--by` is still kept in the row the
command writes and in the audit detail). On SQLite, a command that says who acts (`--by`)
passes it as `actor=`; otherwise `current_actor()` decides, the same for every row and
every bulk writer of the process: ``COMUNIDAD_ACTOR`` where set, else the OS user. The
variable passes the check `--by` does (no control characters): the CLI refuses a bad one
before any command runs (`actor_problem`), so nothing is recorded under a garbled name.
`actor_of(transaction)` is the one place that chooses, for `record` and the bulk writers.

SQLAlchemy is imported inside `record`: the CLI imports this module to check the actor at
start-up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.storage.dbapi import Db

#: The variable a script sets to name who acts when the OS user is a shared account.
ACTOR_ENV = "COMUNIDAD_ACTOR"


class BadActor(ServiceError, ValueError):
    """``COMUNIDAD_ACTOR`` names nobody as typed (a control character); `msg` says why.

    A `ServiceError` (exit 1), so a command that reaches `record` with it is refused with
    the message, never a traceback, though the CLI refuses it before any command runs."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg)


def actor_problem() -> Msg | None:
    """Why ``COMUNIDAD_ACTOR`` can't be recorded as who acts, naming the variable, or None:
    the control-character check of every name and of `--by` (`core.importing.text_problem`),
    on the value as set (before stripping, so a trailing control character is seen)."""
    from comunidad_cli.core.importing.text import text_problem

    problem = text_problem(os.environ.get(ACTOR_ENV, ""))
    if problem is None:
        return None
    return Msg.of(N_("{option}: {problem}"), option=ACTOR_ENV, problem=problem)


def current_actor() -> str | None:
    """Who acts in this process: ``COMUNIDAD_ACTOR``, else the OS user; None if unknowable.

    ``getpass.getuser()`` raises when neither the environment nor the password database
    names the user (containers with an arbitrary uid): the row is then written without
    an actor rather than not at all. A ``COMUNIDAD_ACTOR`` with a control character raises
    `BadActor` (the CLI refuses it earlier): it is never stored.
    """
    problem = actor_problem()
    if problem is not None:
        raise BadActor(problem)
    named = os.environ.get(ACTOR_ENV, "").strip()
    if named:
        return named
    import getpass

    try:
        user = getpass.getuser().strip()
    except Exception:  # OSError, KeyError, ImportError, depending on the platform
        return None
    return user or None


#: The role of each PostgreSQL connection, asked once per connection (bulk writers and
#: loops of `record` would otherwise ask per row).
_ROLES: WeakKeyDictionary[Any, str] = WeakKeyDictionary()


def actor_of(target: Session | Connection | Db, by: str | None = None) -> str | None:
    """Who acts in the transaction `target`: on PostgreSQL its database role
    (``current_user``), whatever `by` or the environment say; elsewhere `by` (a command's
    `--by`) when given, else `current_actor()`."""
    from comunidad_cli.storage.dbapi import as_db

    db = as_db(target)
    if db.dialect == "postgresql":
        role = _ROLES.get(db.raw)
        if role is None:
            from comunidad_cli.storage.postgres import current_role

            role = current_role(db.raw)
            _ROLES[db.raw] = role
        return role or None
    if by is not None and by.strip():
        return by.strip()
    return current_actor()


def _json_default(value: object) -> str:
    """Details may hold dates and money; anything else is a programming error."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in an audit detail")


def encode_detail(detail: Mapping[str, Any] | None) -> str | None:
    """Canonical JSON (sorted keys, UTF-8 kept) so equal details compare equal as text.

    Details are trees of plain values, never cyclic: the encoder does not keep a table of
    the lists and objects it is inside (`check_circular`), which cost as much again as the
    encoding itself on an import's audit (a meeting's hundred events, each a list). A
    cyclic detail would still fail, with RecursionError instead of ValueError.
    """
    if detail is None:
        return None
    return json.dumps(
        dict(detail),
        sort_keys=True,
        ensure_ascii=False,
        check_circular=False,
        separators=(",", ":"),
        default=_json_default,
    )


def _row(
    *,
    command: str,
    action: str,
    entity: str,
    entity_id: str | None,
    detail: Mapping[str, Any] | None,
    at: datetime,
    actor: str | None,
) -> dict[str, Any]:
    """The audit row's values (time checked, detail encoded, actor decided)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("audit times must be aware datetimes: use comunidad_cli.clock.now()")
    return {
        "at": at,
        "command": command,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "detail": encode_detail(detail),
        "actor": actor.strip() if actor is not None and actor.strip() else current_actor(),
    }


def record(
    target: Session | Connection | Db,
    *,
    command: str,
    action: str,
    entity: str,
    entity_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime,
    actor: str | None = None,
) -> int:
    """Append one audit row inside the caller's transaction; returns its id.

    `target` is the transaction: a SQLAlchemy Session or Connection, or a
    `storage.dbapi.Db` (no SQLAlchemy imported then). `actor` is who the command says
    acts (`--by`); `actor_of` decides (the role on PostgreSQL, else `actor`, else
    `current_actor()`). Nothing is committed here: the caller's transaction decides.
    """
    from comunidad_cli.storage.dbapi import Db

    values = _row(
        command=command,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
        at=at,
        actor=actor_of(target, actor),
    )
    if isinstance(target, Db):
        values["at"] = target.instant(values["at"])
        return target.insert("audit_event", values)
    from sqlalchemy import CursorResult, insert

    from comunidad_cli.storage.tables import AuditEvent

    statement = insert(AuditEvent).values(**values)
    # Both a Session and a Connection hand back the driver's cursor result for an INSERT.
    result = cast("CursorResult[Any]", target.execute(statement))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def events(
    db: Db, *, entity: str | None = None, entity_id: str | None = None, last: int | None = None
) -> list[tuple[Any, ...]]:
    """Audit rows (id, at, actor, command, action, entity, entity_id, detail), newest first:
    of one kind of entity, one id, or the `last` N only."""
    where = []
    params: dict[str, Any] = {}
    if entity is not None:
        where.append("entity = :entity")
        params["entity"] = entity
    if entity_id is not None:
        where.append("entity_id = :entity_id")
        params["entity_id"] = entity_id
    sql = "SELECT id, at, actor, command, action, entity, entity_id, detail FROM audit_event"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if last is not None:
        sql += " LIMIT :last"
        params["last"] = last
    return db.rows(sql, params)


def entity_kinds(db: Db) -> list[str]:
    """The kinds of entity the log has rows for, sorted."""
    return sorted(str(k) for (k,) in db.rows("SELECT DISTINCT entity FROM audit_event"))
