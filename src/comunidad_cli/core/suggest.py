"""An id typed wrong: the refusal names the one most likely meant
(`arnau-sol` -> `arnau-sole`), as a mistyped command or option does, in one shape for every
kind of record; with nothing close, the caller's own refusal (which says where to look).
Pure: the ids to choose from are given."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from comunidad_cli.core.messages import N_, Msg

#: Why an id of each kind is refused when one close to it exists: one shape for all.
MEANT = {
    "person": N_('no person with id "{key}"; did you mean "{suggestion}"?'),
    "organisation": N_('no organisation with id "{key}"; did you mean "{suggestion}"?'),
    "meeting": N_('no meeting with id "{key}"; did you mean "{suggestion}"?'),
    "motion": N_('no motion with id "{key}"; did you mean "{suggestion}"?'),
    "grant": N_('no grant with id "{key}"; did you mean "{suggestion}"?'),
    "subcontract": N_('no subcontract with id "{key}"; did you mean "{suggestion}"?'),
    "payment": N_('no payment with id "{key}"; did you mean "{suggestion}"?'),
    "deliverable": N_('no deliverable with id "{key}"; did you mean "{suggestion}"?'),
    "agreement": N_('no agreement with id "{key}"; did you mean "{suggestion}"?'),
    "activity": N_('no learning activity with id "{key}"; did you mean "{suggestion}"?'),
    "space": N_('no space with id "{key}"; did you mean "{suggestion}"?'),
    "commitment": N_('no commitment with id "{key}"; did you mean "{suggestion}"?'),
}


def closest(key: str, known: Iterable[str]) -> str | None:
    """The id in `known` most like `key` (difflib's ratio 0.6 or more), or None."""
    close = difflib.get_close_matches(key.strip(), list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def meant(kind: str, key: str, known: Iterable[str], otherwise: Msg) -> Msg:
    """Why `key` (a `kind` in `MEANT`) is refused: the id it most likely meant when one in
    `known` is close, else `otherwise`."""
    found = closest(key, known)
    if found is None:
        return otherwise
    return Msg.of(MEANT[kind], key=key, suggestion=found)
