"""Partner agreements: add one (drafted, then signed), its shared goals, data shared and
review dates; sign it; amend or renew it (a new version beside the signed ones, itself
drafted then signed); record a review held; end it without renewing (an ending: a version
of its own, signed as it is recorded, after which nothing is added, signed or due). The
list, one agreement and what is due are `services/agreements/views.py`.

One `writing_db` transaction per command, with its audit row; the rules are in
`comunidad_cli.core.agreements`. A signed version is never written again: what is added
goes to the draft (the agreement before it is signed, else its amendment or renewal not yet
signed), and with no draft the command is refused, saying how to record a change.
Titles, goals, purposes and names are kept exactly as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from comunidad_cli.core.agreements import (
    AMENDMENT,
    ENDING,
    ORIGINAL,
    RENEWAL,
    direction_of,
    term_in_force,
    term_problem,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.entries import (
    audit,
    name_text,
    new_key,
    not_future,
    org_row,
    typed_text,
)
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.storage.agreements import AgreementRow, VersionRow
    from comunidad_cli.storage.dbapi import Db

from comunidad_cli.services.agreements.loading import (
    agreement_row,
    ending_row,
    facts_of,
    state_of,
)

ENTITY = "agreement"


def _not_ended(found: AgreementRow, rows: Sequence[VersionRow]) -> None:
    """Refuse to change an ended agreement: it stays as it was; a new one is a new agreement."""
    ending = ending_row(rows)
    if ending is not None:
        raise ServiceError.of(
            N_(
                'agreement "{key}" ended on {date}: it stays as it was. To work with the partner'
                ' again, add a new agreement with "comunidad agreement add"'
            ),
            key=found.key,
            date=ending.term_end,
        )


def _draft(db: Db, found: AgreementRow) -> VersionRow:
    """The version still open to additions, or a refusal saying how to record a change."""
    from comunidad_cli.storage.agreements import versions

    return draft_of(found, versions(db, [found.id]))


def draft_of(found: AgreementRow, rows: Sequence[VersionRow]) -> VersionRow:
    """`_draft` on the versions already read (the goals and data imports read them once)."""
    _not_ended(found, rows)
    last = rows[-1]
    if last.signed_on is None:
        return last
    raise ServiceError.of(
        N_(
            'agreement "{key}" was signed on {date} by {by}: it stays as it was. Record a change'
            ' with "comunidad agreement amend {key}" or "comunidad agreement renew {key}",'
            " then add to it"
        ),
        key=found.key,
        date=last.signed_on,
        by=last.signed_by or "",
    )


def _no_draft(db: Db, found: AgreementRow) -> list[VersionRow]:
    """The versions, when every one is signed (a new change needs the last one signed)."""
    from comunidad_cli.storage.agreements import versions

    rows = versions(db, [found.id])
    _not_ended(found, rows)
    last = rows[-1]
    if last.signed_on is None:
        raise ServiceError.of(
            N_(
                'agreement "{key}" has a draft ({kind}) not signed yet: add to it, or sign it'
                ' with "comunidad agreement sign {key}" before recording another change'
            ),
            key=found.key,
            kind=Msg.of(KIND_WORDS[last.kind]),
        )
    return rows


KIND_WORDS = {
    ORIGINAL: N_("the original"),
    AMENDMENT: N_("an amendment"),
    RENEWAL: N_("a renewal"),
    ENDING: N_("an ending"),
}


def _reviews(db: Db, version_id: int, days: Sequence[date]) -> None:
    from comunidad_cli.storage.agreements import add_review

    for day in sorted(set(days)):
        add_review(db, version_id, day)


def _term(start: date, end: date) -> None:
    problem = term_problem(start, end)
    if problem is not None:
        raise ServiceError(problem)


def add_agreement(
    url: str,
    *,
    title: str,
    partner: str,
    lead: str,
    start: date,
    end: date,
    reviews: Sequence[date] = (),
    key: str | None = None,
    signed_on: date | None = None,
    signed_by: str | None = None,
    today: date,
    at: datetime,
    command: str = "agreement add",
) -> str:
    """Record an agreement (a draft, or signed at once with `signed_on` and `signed_by`)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    text = name_text(title, "TITLE")
    _term(start, end)
    if (signed_on is None) != (signed_by is None):
        raise ServiceError.of(N_("give --signed and --signed-by together"), exit_code=2)
    signer = name_text(signed_by, "--signed-by") if signed_by is not None else None
    if signed_on is not None:
        not_future(signed_on, today, "--signed")
    with writing_db(url) as db:
        partner_id, lead_id = org_row(db, partner.strip()), org_row(db, lead.strip())
        if partner_id == lead_id:
            raise ServiceError.of(
                N_("the partner and our side are the same organisation ({org})"), org=partner
            )
        chosen = new_key(db, "agreement", key, text, prefix="agreement")
        agreement_id = store.add_agreement(
            db, key=chosen, title=text, partner_id=partner_id, lead_id=lead_id, at=at
        )
        version_id = store.add_version(
            db,
            agreement_id=agreement_id,
            number=0,
            kind=ORIGINAL,
            text="",
            term_start=start,
            term_end=end,
            at=at,
        )
        _reviews(db, version_id, reviews)
        if signed_on is not None and signer is not None:
            store.sign_version(db, version_id, on=signed_on, by=signer)
        audit(
            db,
            command,
            "create",
            ENTITY,
            chosen,
            {
                "title": text,
                "partner": partner.strip(),
                "lead": lead.strip(),
                "from": start,
                "to": end,
                "reviews": sorted(set(reviews)),
                "signed_on": signed_on,
                "signed_by": signer,
            },
            at,
        )
    return chosen


def add_goal(url: str, key: str, text: str, *, at: datetime) -> int:
    """A shared goal, as typed, on the draft; returns the draft's version number."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    goal = typed_text(text, "GOAL")
    with writing_db(url) as db:
        found = agreement_row(db, key.strip())
        draft = _draft(db, found)
        store.add_goal(db, draft.id, goal)
        audit(
            db,
            "agreement goal",
            "update",
            ENTITY,
            found.key,
            {"version": draft.number, "goal": goal},
            at,
        )
    return draft.number


def add_data(url: str, key: str, *, what: str, direction: str, purpose: str, at: datetime) -> int:
    """A data item shared (what, which way, why) on the draft; returns its version number."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    item = name_text(what, "--what")
    way = direction_of(direction)
    if isinstance(way, Msg):
        raise ServiceError(Msg.of(N_("{option}: {problem}"), option="--direction", problem=way))
    why = typed_text(purpose, "--purpose")
    with writing_db(url) as db:
        found = agreement_row(db, key.strip())
        draft = _draft(db, found)
        store.add_data(db, draft.id, what=item, direction=way, purpose=why)
        audit(
            db,
            "agreement data",
            "update",
            ENTITY,
            found.key,
            {"version": draft.number, "what": item, "direction": way, "purpose": why},
            at,
        )
    return draft.number


@dataclass(frozen=True, slots=True)
class Signed:
    key: str
    number: int
    kind: str


def sign(url: str, key: str, *, on: date, by: str, today: date, at: datetime) -> Signed:
    """Sign the draft: from now on it stays as it was."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    signer = name_text(by, "--by")
    not_future(on, today)
    with writing_db(url) as db:
        found = agreement_row(db, key.strip())
        draft = _draft(db, found)
        earlier = [v.signed_on for v in store.versions(db, [found.id]) if v.signed_on is not None]
        if earlier and on < max(earlier):
            raise ServiceError.of(
                N_(
                    "--on {day} is before the version signed on {date}: a change is signed after it"
                ),
                day=on,
                date=max(earlier),
            )
        store.sign_version(db, draft.id, on=on, by=signer)
        audit(
            db,
            "agreement sign",
            "update",
            ENTITY,
            found.key,
            {"version": draft.number, "kind": draft.kind, "signed_on": on, "signed_by": signer},
            at,
        )
    return Signed(found.key, draft.number, draft.kind)


def change(
    url: str,
    key: str,
    *,
    kind: str,
    text: str,
    start: date | None,
    end: date | None,
    reviews: Sequence[date] = (),
    at: datetime,
) -> int:
    """Open an amendment or a renewal beside the signed versions; returns its number."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    what = typed_text(text, "--text", required=kind == AMENDMENT)
    with writing_db(url) as db:
        found = agreement_row(db, key.strip())
        rows = _no_draft(db, found)
        term = term_in_force(facts_of(rows))
        if kind == RENEWAL:
            assert start is not None and end is not None
            _term(start, end)
        elif end is not None and term is not None:
            _term(term[0], end)
        number = rows[-1].number + 1
        version_id = store.add_version(
            db,
            agreement_id=found.id,
            number=number,
            kind=kind,
            text=what,
            term_start=start,
            term_end=end,
            at=at,
        )
        _reviews(db, version_id, reviews)
        audit(
            db,
            f"agreement {'renew' if kind == RENEWAL else 'amend'}",
            "update",
            ENTITY,
            found.key,
            {
                "version": number,
                "kind": kind,
                "text": what,
                "from": start,
                "to": end,
                "reviews": sorted(set(reviews)),
            },
            at,
        )
    return number


def review_held(
    url: str, key: str, *, on: date, by: str, note: str, today: date, at: datetime
) -> date | None:
    """Record a review held; returns the review date it settles (None: none was pending)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    who = name_text(by, "--by")
    text = typed_text(note, "--note", required=False)
    not_future(on, today)
    with writing_db(url) as db:
        found = agreement_row(db, key.strip())
        state = state_of(db, [found])[found.id]
        _not_ended(found, state.versions)
        if state.term is None:
            raise ServiceError.of(
                N_('agreement "{key}" is not signed yet: a review is of a signed agreement'),
                key=found.key,
            )
        first = min(v.signed_on for v in state.versions if v.signed_on is not None)
        if on < first:
            raise ServiceError.of(
                N_(
                    "--on {day} is before the agreement was signed on {date}: a review is held"
                    " after the signing; check the day"
                ),
                day=on,
                date=first,
            )
        settled = state.pending[0] if state.pending else None
        store.add_review_held(db, found.id, on=on, by=who, note=text, at=at)
        audit(
            db,
            "agreement review",
            "update",
            ENTITY,
            found.key,
            {"held_on": on, "by": who, "note": text, "settles": settled},
            at,
        )
    return settled


def end(url: str, key: str, *, on: date, by: str, reason: str, today: date, at: datetime) -> str:
    """End a signed agreement without renewing it, on `on`, by `by`, for `reason` (as typed):
    an ending version beside the others, signed as it is recorded; the history keeps all."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import agreements as store

    who = name_text(by, "--by")
    why = typed_text(reason, "--reason")
    not_future(on, today)
    with writing_db(url) as db:
        found = agreement_row(db, key.strip())
        rows = store.versions(db, [found.id])
        _not_ended(found, rows)
        signed = [v.signed_on for v in rows if v.signed_on is not None]
        if not signed:
            raise ServiceError.of(
                N_(
                    'agreement "{key}" is not signed yet: there is nothing in force to end. A'
                    " draft binds no one: leave it unsigned, or sign it first with"
                    ' "comunidad agreement sign {key}" if it was signed'
                ),
                key=found.key,
            )
        if on < min(signed):
            raise ServiceError.of(
                N_("--on {day} is before the agreement was signed on {date}: check the day"),
                day=on,
                date=min(signed),
            )
        number = rows[-1].number + 1
        version_id = store.add_version(
            db,
            agreement_id=found.id,
            number=number,
            kind=ENDING,
            text=why,
            term_start=None,
            term_end=on,
            at=at,
        )
        store.sign_version(db, version_id, on=on, by=who)
        audit(
            db,
            "agreement end",
            "update",
            ENTITY,
            found.key,
            {"version": number, "kind": ENDING, "ended_on": on, "by": who, "reason": why},
            at,
        )
    return found.key
