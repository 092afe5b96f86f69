"""A mistyped id names the one meant, for every kind of record a person types the id of:
`no_such` reads the kind's ids once per transaction and asks `core/suggest.py` `meant`
(one helper, one message shape). An import refusing many rows with the same id asks once."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from comunidad_cli.core.messages import N_, Msg

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

#: The table whose keys each kind of `core/suggest.py` `MEANT` is matched against.
TABLES = {
    "person": "person",
    "organisation": "organisation",
    "meeting": "meeting",
    "motion": "motion",
    "grant": "grant_award",
    "subcontract": "subcontract",
    "payment": "payment",
    "deliverable": "deliverable",
    "agreement": "agreement",
    "activity": "learning_activity",
    "space": "network_space",
    "commitment": "network_commitment",
}


#: The distinct ids one transaction matches per kind (about 0.1 s each among 10,000 ids,
#: up to 1 s when they all look alike); more get the refusal that says where to look.
SEARCHES = 20


class _Known:
    """One kind's ids in one transaction, and the closest found so far for each typed id."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.closest: dict[str, str | None] = {}


_seen: weakref.WeakKeyDictionary[Db, dict[str, _Known]] = weakref.WeakKeyDictionary()


def no_such(db: Db, kind: str, key: str, otherwise: Msg) -> Msg:
    """Why the `kind` id `key` is refused: the one it most likely meant when one is close,
    else `otherwise` (the caller's refusal, saying where to look; also for a kind without
    ids of its own to match, not in `TABLES`)."""
    if kind not in TABLES:
        return otherwise
    from comunidad_cli.core.suggest import MEANT, closest
    from comunidad_cli.storage.directory import key_list

    kinds = _seen.setdefault(db, {})
    known = kinds.get(kind)
    if known is None:
        known = kinds[kind] = _Known(key_list(db, TABLES[kind]))
    if key not in known.closest:
        # A file naming thousands of ids the directory lacks (votes imported before the
        # people) would match each against every id: past SEARCHES, say where to look.
        searched = len(known.closest) < SEARCHES
        known.closest[key] = closest(key, known.keys) if searched else None
    found = known.closest[key]
    if found is None:
        return otherwise
    return Msg.of(MEANT[kind], key=key, suggestion=found)


def no_person(db: Db, key: str) -> Msg:
    """Why the person `key` is refused: the one meant when one is close, else where to look."""
    return no_such(
        db,
        "person",
        key,
        Msg.of(
            N_(
                'no person "{key}": add them with "comunidad person add" or check "comunidad person list"'
            ),
            key=key,
        ),
    )


def no_meeting(db: Db, key: str) -> Msg:
    """Why the meeting `key` is refused: the one meant when one is close, else `meeting list`."""
    return no_such(
        db, "meeting", key, Msg.of(N_('no meeting "{key}": see "comunidad meeting list"'), key=key)
    )


def no_motion(db: Db, key: str) -> Msg:
    """Why the motion `key` is refused: the one meant when one is close, else `meeting show`."""
    return no_such(
        db, "motion", key, Msg.of(N_('no motion "{key}": see "comunidad meeting show"'), key=key)
    )
