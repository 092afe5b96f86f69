"""A round or application id typed wrong: the refusal names the one it most likely meant
(`2026-fondo-vecinal2` -> `2026-fondo-vecinal`), as a mistyped command or option does,
instead of only saying there is none (or telling to open a round that is open)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from comunidad_cli.core.messages import N_, Msg

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def _closest(key: str, keys: list[str]) -> str | None:
    close = difflib.get_close_matches(key.strip(), keys, n=1, cutoff=0.6)
    return close[0] if close else None


def no_round(db: Db, key: str) -> Msg | None:
    """Why there is no round `key` when an opened one is close to it; else None (the caller
    says its own message)."""
    from comunidad_cli.storage.funds.rounds import rounds

    found = _closest(key, [r.key for r in rounds(db)])
    if found is None:
        return None
    return Msg.of(
        N_('no round "{round}"; did you mean "{suggestion}"?'), round=key, suggestion=found
    )


def no_application(db: Db, key: str) -> Msg | None:
    """Why there is no application `key` when one is close to it; else None."""
    from comunidad_cli.storage.funds.applications import application_keys

    found = _closest(key, application_keys(db))
    if found is None:
        return None
    return Msg.of(
        N_('no application "{application}"; did you mean "{suggestion}"?'),
        application=key,
        suggestion=found,
    )
