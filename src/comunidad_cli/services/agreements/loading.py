"""Loading an agreement and its versions as the core reads them (`Version` facts, the
ending if any, each agreement's state), for both the commands that write and the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from comunidad_cli.core.agreements import (
    ENDING,
    Version,
    pending_reviews,
    terms,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.storage.agreements import AgreementRow, VersionRow
    from comunidad_cli.storage.dbapi import Db


def agreement_row(db: Db, key: str) -> AgreementRow:
    from comunidad_cli.storage.agreements import agreement

    found = agreement(db, key)
    if found is None:
        from comunidad_cli.services.suggest import no_such

        fallback = Msg.of(
            N_('no agreement with id "{key}": see "comunidad agreement list"'), key=key
        )
        raise ServiceError(no_such(db, "agreement", key, fallback))
    return found


def facts_of(rows: Sequence[VersionRow]) -> list[Version]:
    return [Version(v.number, v.kind, v.term_start, v.term_end, v.signed_on) for v in rows]


def ending_row(rows: Sequence[VersionRow]) -> VersionRow | None:
    return next((v for v in rows if v.kind == ENDING and v.signed_on is not None), None)


@dataclass(frozen=True, slots=True)
class State:
    versions: tuple[VersionRow, ...]
    terms: tuple[tuple[date, date], ...]
    term: tuple[date, date] | None  # the latest
    pending: tuple[date, ...]
    held: tuple[tuple[date, str, str], ...]
    ending: VersionRow | None  # the signed ending, once the agreement has ended

    @property
    def ended(self) -> date | None:
        return None if self.ending is None else self.ending.term_end


def state_of(db: Db, found: Sequence[AgreementRow]) -> dict[int, State]:
    from comunidad_cli.storage import agreements as store

    ids = [a.id for a in found]
    all_versions = store.versions(db, ids)
    signed_ids = [v.id for v in all_versions if v.signed_on is not None]
    scheduled: dict[int, list[date]] = {}
    owner = {v.id: v.agreement_id for v in all_versions}
    for version_id, due in store.reviews(db, signed_ids):
        scheduled.setdefault(owner[version_id], []).append(due)
    held: dict[int, list[tuple[date, str, str]]] = {}
    for agreement_id, day, by, note in store.reviews_held(db, ids):
        held.setdefault(agreement_id, []).append((day, by, note))
    out: dict[int, State] = {}
    for a in found:
        mine = tuple(v for v in all_versions if v.agreement_id == a.id)
        done = tuple(held.get(a.id, []))
        signed_terms = tuple(terms(facts_of(mine)))
        out[a.id] = State(
            mine,
            signed_terms,
            signed_terms[-1] if signed_terms else None,
            tuple(pending_reviews(scheduled.get(a.id, []), len(done))),
            done,
            ending_row(mine),
        )
    return out
