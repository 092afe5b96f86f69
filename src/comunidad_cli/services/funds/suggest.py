"""A round or application id typed wrong: the refusal names the one it most likely meant
(`2026-fondo-vecinal2` -> `2026-fondo-vecinal`), as a mistyped command or option does,
instead of only saying there is none (or telling to open a round that is open); the match
is every mistyped id's (`core/suggest.py` `closest`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.suggest import closest

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def no_round(db: Db, key: str) -> Msg | None:
    """Why there is no round `key` when an opened one is close to it; else None (the caller
    says its own message)."""
    from comunidad_cli.storage.funds.rounds import rounds

    found = closest(key, [r.key for r in rounds(db)])
    if found is None:
        return None
    return Msg.of(
        N_('no round "{round}"; did you mean "{suggestion}"?'), round=key, suggestion=found
    )


def no_application(db: Db, key: str) -> Msg | None:
    """Why there is no application `key` when one is close to it; else None."""
    from comunidad_cli.storage.funds.applications import application_keys

    found = closest(key, application_keys(db))
    if found is None:
        return None
    return Msg.of(
        N_('no application "{application}"; did you mean "{suggestion}"?'),
        application=key,
        suggestion=found,
    )
