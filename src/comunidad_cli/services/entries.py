"""What people type for a new record, checked the same way in every domain that records
things beside the board (networks, learning, agreements): names on one line and texts as
typed, an organisation of the directory, a day not in the future, a new id (made, or the
one given when it is free) and the audit row. Each refusal is a `ServiceError` naming the
option; nothing here writes but `audit`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def refused(option: str, invalid: Invalid) -> ServiceError:
    """`invalid`'s problem, said of `option`."""
    return ServiceError(Msg.of(N_("{option}: {problem}"), option=option, problem=invalid.msg))


def name_text(value: str, option: str) -> str:
    """A title, name, topic or tag: one line, as typed (runs of spaces as one), not empty."""
    from comunidad_cli.core.importing.text import one_line

    try:
        text = one_line(value)
    except Invalid as invalid:
        raise refused(option, invalid) from None
    if not text:
        raise ServiceError(Msg.of(N_("{option} cannot be empty"), option=option))
    return text


def typed_text(value: str, option: str, *, required: bool = True) -> str:
    """A text kept exactly as typed, line breaks included (`check_text`)."""
    from comunidad_cli.core.importing.text import check_text

    try:
        check_text(value)
    except Invalid as invalid:
        raise refused(option, invalid) from None
    if required and not value.strip():
        raise ServiceError(Msg.of(N_("{option} cannot be empty"), option=option))
    return value


def unknown_org(db: Db, key: str) -> Msg:
    """Why an organisation id the directory does not have is refused: the one meant when one
    is close (`services/suggest.py`), else naming `org list`."""
    from comunidad_cli.services.suggest import no_such

    return no_such(
        db,
        "organisation",
        key,
        Msg.of(N_('no organisation with id "{key}": see "comunidad org list"'), key=key),
    )


def org_row(db: Db, key: str) -> int:
    """The row id of the directory's organisation `key`, or refused."""
    from comunidad_cli.storage.directory import org_id

    found = org_id(db, key)
    if found is None:
        raise ServiceError(unknown_org(db, key))
    return found


def not_future(day: date, today: date, option: str = "--on") -> None:
    """What is recorded has happened: a day after today is refused."""
    if day > today:
        raise ServiceError.of(
            N_("{option} {day} is in the future: record it once it has happened"),
            option=option,
            day=day,
        )


def new_key(db: Db, table: str, wanted: str | None, *parts: str, prefix: str) -> str:
    """The id of a new row of `table`: `wanted` when given and free, else made from `parts`."""
    from comunidad_cli.core.importing.ids import make_id, parse_key
    from comunidad_cli.storage.directory import Taken

    taken = Taken(db, table)
    if wanted is None:
        return make_id(*parts, prefix=prefix, taken=taken)
    try:
        chosen = parse_key(wanted.strip())
    except Invalid as invalid:
        raise refused("--id", invalid) from None
    if chosen in taken:
        raise ServiceError.of(
            N_('the id "{key}" is already taken: choose another --id'), key=chosen
        )
    return chosen


def audit(
    db: Db, command: str, action: str, entity: str, key: str, detail: dict[str, Any], at: datetime
) -> None:
    """The audit row of one write, in the same transaction."""
    from comunidad_cli.storage.audit import record

    record(db, command=command, action=action, entity=entity, entity_id=key, detail=detail, at=at)
