"""Partner agreements as they stand: the list with each one's term and state, one
agreement with every version, its goals, data shared and reviews, and the reviews and
renewals due or overdue (`agreement list|show|due`, and `summary`). `reading_db` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.agreements import (
    DueItem,
    due_items,
    term_on,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.agreements import AgreementRow
    from comunidad_cli.storage.dbapi import Db


from comunidad_cli.services.agreements.loading import State, agreement_row, state_of


@dataclass(frozen=True, slots=True)
class AgreementView:
    key: str
    title: str
    partner: str
    lead: str
    status: str  # draft, pending, in_force or ended on the day asked
    term: tuple[date, date] | None  # the one in force that day (else the next, else the last)
    renewed_to: date | None  # the end of the latest term, when later than this one's
    versions: int
    next_review: date | None
    ended: tuple[date, str, str] | None = None  # on, by and why, once ended

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "title": self.title,
            "partner": self.partner,
            "lead": self.lead,
            "status": self.status,
            "from": None if self.term is None else self.term[0].isoformat(),
            "to": None if self.term is None else self.term[1].isoformat(),
            "renewed_to": None if self.renewed_to is None else self.renewed_to.isoformat(),
            "versions": self.versions,
            "next_review": None if self.next_review is None else self.next_review.isoformat(),
            "ended": None
            if self.ended is None
            else {"on": self.ended[0].isoformat(), "by": self.ended[1], "reason": self.ended[2]},
        }


def _view(a: AgreementRow, state: State, today: date) -> AgreementView:
    status, term = term_on(state.terms, today)
    ending = state.ending
    ended = None
    if ending is not None and ending.term_end is not None:
        ended = (ending.term_end, ending.signed_by or "", ending.text)
        if today >= ending.term_end:
            status = "ended"
    renewed = state.term[1] if state.term and term and state.term[1] > term[1] else None
    return AgreementView(
        a.key,
        a.title,
        a.partner,
        a.lead,
        status,
        term,
        renewed,
        len(state.versions),
        None if ended is not None else state.pending[0] if state.pending else None,
        ended,
    )


def list_agreements(url: str, today: date) -> list[AgreementView]:
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import agreements as store

    with reading_db(url) as db:
        found = store.agreements(db)
        states = state_of(db, found)
    return [_view(a, states[a.id], today) for a in found]


@dataclass(frozen=True, slots=True)
class VersionView:
    number: int
    kind: str
    text: str
    term_start: date | None
    term_end: date | None
    signed_on: date | None
    signed_by: str | None
    goals: tuple[str, ...]
    data: tuple[tuple[str, str, str], ...]
    reviews: tuple[date, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "text": self.text,
            "from": None if self.term_start is None else self.term_start.isoformat(),
            "to": None if self.term_end is None else self.term_end.isoformat(),
            "signed_on": None if self.signed_on is None else self.signed_on.isoformat(),
            "signed_by": self.signed_by,
            "goals": list(self.goals),
            "data": [{"what": w, "direction": d, "purpose": p} for w, d, p in self.data],
            "reviews": [d.isoformat() for d in self.reviews],
        }


@dataclass(frozen=True, slots=True)
class AgreementDetail:
    agreement: AgreementView
    partner_name: str
    lead_name: str
    versions: tuple[VersionView, ...]
    pending: tuple[date, ...]
    held: tuple[tuple[date, str, str], ...]
    due: tuple[DueItem, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.agreement.as_json(),
            "partner_name": self.partner_name,
            "lead_name": self.lead_name,
            "history": [v.as_json() for v in self.versions],
            "reviews_pending": [d.isoformat() for d in self.pending],
            "reviews_held": [{"date": d.isoformat(), "by": b, "note": n} for d, b, n in self.held],
            "due": [_due_json(d) for d in self.due],
        }


def _due_json(item: DueItem) -> dict[str, Any]:
    return {
        "what": item.what,
        "date": item.day.isoformat(),
        "status": item.status,
        "days": item.days,
    }


def show_agreement(url: str, key: str, today: date, within: int) -> AgreementDetail:
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import agreements as store

    with reading_db(url) as db:
        found = agreement_row(db, key.strip())
        state = state_of(db, [found])[found.id]
        ids = [v.id for v in state.versions]
        goals, data, reviews = (
            store.goals(db, ids),
            store.data_items(db, ids),
            store.reviews(db, ids),
        )
    versions = tuple(
        VersionView(
            v.number,
            v.kind,
            v.text,
            v.term_start,
            v.term_end,
            v.signed_on,
            v.signed_by,
            tuple(t for i, t in goals if i == v.id),
            tuple((w, d, p) for i, w, d, p in data if i == v.id),
            tuple(d for i, d in reviews if i == v.id),
        )
        for v in state.versions
    )
    return AgreementDetail(
        _view(found, state, today),
        found.partner_name,
        found.lead_name,
        versions,
        state.pending,
        state.held,
        tuple(due_items(state.term, state.pending, today, within, state.ended)),
    )


@dataclass(frozen=True, slots=True)
class DueView:
    key: str
    title: str
    partner: str
    item: DueItem

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "title": self.title,
            "partner": self.partner,
            **_due_json(self.item),
        }


def due(url: str, today: date, within: int) -> list[DueView]:
    """Reviews and renewals due within `within` days or overdue on `today`, earliest first."""
    from comunidad_cli.services.session import reading_db

    with reading_db(url) as db:
        return due_in(db, today, within)


def due_in(db: Db, today: date, within: int) -> list[DueView]:
    """`due` inside the caller's transaction (the summary's)."""
    from comunidad_cli.storage import agreements as store

    found = store.agreements(db)
    states = state_of(db, found)
    out = [
        DueView(a.key, a.title, a.partner, item)
        for a in found
        for item in due_items(
            states[a.id].term, states[a.id].pending, today, within, states[a.id].ended
        )
    ]
    return sorted(out, key=lambda d: (d.item.day, d.key, d.item.what))


def overdue_in(db: Db, today: date) -> list[DueView]:
    """The reviews and renewals overdue on `today` (the summary's), in the caller's
    transaction."""
    from comunidad_cli.core.agreements import OVERDUE

    return [d for d in due_in(db, today, 0) if d.item.status == OVERDUE]
