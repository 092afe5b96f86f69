"""Networks and territorial spaces: add a space, record who represents the entity there,
sessions attended, commitments and their follow-up, information brought back and referral
counts; list, show and the overdue commitments.

One `writing_db` transaction per command, with its audit row; the rules are in
`comunidad_cli.core.networks`. Names, texts and summaries are kept exactly as typed (one
line for names; `check_text` for the rest).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.entries import (
    audit,
    name_text,
    new_key,
    not_future,
    org_row,
    refused,
    typed_text,
)
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db
    from comunidad_cli.storage.networks import CommitmentRow, SpaceRow

SPACE = "network_space"
COMMITMENT = "network_commitment"


def _space(db: Db, key: str) -> SpaceRow:
    from comunidad_cli.storage.networks import space

    found = space(db, key)
    if found is None:
        from comunidad_cli.services.suggest import no_such

        fallback = Msg.of(N_('no space with id "{key}": see "comunidad network list"'), key=key)
        raise ServiceError(no_such(db, "space", key, fallback))
    return found


def _person(db: Db, key: str) -> int:
    from comunidad_cli.storage.directory import person_id

    found = person_id(db, key)
    if found is None:
        from comunidad_cli.services.suggest import no_such

        fallback = Msg.of(N_('no person with id "{key}": see "comunidad person list"'), key=key)
        raise ServiceError(no_such(db, "person", key, fallback))
    return found


def add_space(
    url: str,
    *,
    name: str,
    kind: str,
    parent: str | None,
    territory: str | None,
    key: str | None,
    at: datetime,
) -> str:
    """Record a space (a commission names its parent space); returns its id."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    text = name_text(name, "NAME")
    kind_text = name_text(kind, "--kind")
    place = name_text(territory, "--territory") if territory is not None else None
    with writing_db(url) as db:
        parent_id = None if parent is None else _space(db, parent.strip()).id
        chosen = new_key(db, "network_space", key, text, prefix="space")
        networks.add_space(
            db, key=chosen, name=text, kind=kind_text, parent_id=parent_id, territory=place
        )
        audit(
            db,
            "network add",
            "create",
            SPACE,
            chosen,
            {"name": text, "kind": kind_text, "parent": parent, "territory": place},
            at,
        )
    return chosen


def represent(
    url: str,
    space_key: str,
    *,
    person: str | None,
    org: str | None,
    start: date,
    end: date | None,
    today: date,
    at: datetime,
) -> None:
    """A new term of representation; an overlapping term of the same person is refused."""
    from comunidad_cli.core.networks import Term, overlap_problem, term_problem
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    if person is None and org is None:
        raise ServiceError.of(N_("say who: --person, --org or both"), exit_code=2)
    problem = term_problem(start, end, today)
    if problem is not None:
        raise ServiceError(problem)
    with writing_db(url) as db:
        found = _space(db, space_key)
        person_id = None if person is None else _person(db, person)
        org_id = None if org is None else org_row(db, org)
        held = [Term(t.person, t.org, t.start, t.end) for t in networks.terms(db, found.id)]
        problem = overlap_problem(Term(person, org, start, end), held)
        if problem is not None:
            raise ServiceError(problem)
        networks.add_term(
            db, space_id=found.id, person_id=person_id, org_id=org_id, start=start, end=end
        )
        audit(
            db,
            "network represent",
            "create",
            "network_representation",
            found.key,
            {"person": person, "org": org, "from": start, "to": end},
            at,
        )


def leave(
    url: str,
    space_key: str,
    *,
    person: str | None,
    org: str | None,
    on: date,
    today: date,
    at: datetime,
) -> None:
    """End the open term of `person` (or of `org` with no person) in a space on `on`."""
    from comunidad_cli.core.networks import Term, end_problem
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    if person is None and org is None:
        raise ServiceError.of(N_("say who: --person, --org or both"), exit_code=2)
    not_future(on, today)
    with writing_db(url) as db:
        found = _space(db, space_key)
        open_terms = [
            t
            for t in networks.terms(db, found.id)
            if t.end is None
            and (t.person == person if person is not None else t.person is None and t.org == org)
        ]
        if not open_terms:
            raise ServiceError.of(
                N_('{who} holds no open term in space "{space}"'),
                who=person or org or "",
                space=found.key,
            )
        term = open_terms[-1]
        problem = end_problem(Term(term.person, term.org, term.start, term.end), on)
        if problem is not None:
            raise ServiceError(problem)
        networks.end_term(db, term.id, on)
        audit(
            db,
            "network leave",
            "update",
            "network_representation",
            found.key,
            {"person": person, "org": org, "to": on},
            at,
        )


def add_session(
    url: str, space_key: str, *, on: date, attendees: str, notes: str, today: date, at: datetime
) -> None:
    """A session of a space attended: who went as typed, and notes."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    who = name_text(attendees, "--who")
    text = typed_text(notes, "--notes", required=False)
    not_future(on, today)
    with writing_db(url) as db:
        found = _space(db, space_key)
        networks.add_session(db, space_id=found.id, held_on=on, attendees=who, notes=text)
        audit(
            db,
            "network session",
            "create",
            "network_session",
            found.key,
            {"on": on, "who": who, "notes": text},
            at,
        )


def add_commitment(
    url: str,
    space_key: str,
    *,
    text: str,
    owner: str,
    due: date,
    on: date,
    key: str | None,
    today: date,
    at: datetime,
) -> str:
    """A commitment taken in a space; returns its id."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    what = typed_text(text, "--text")
    not_future(on, today)
    if due < on:
        raise ServiceError.of(
            N_("--due {due} is before the day it was taken ({on})"), due=due, on=on
        )
    with writing_db(url) as db:
        found = _space(db, space_key)
        owner_id = _person(db, owner)
        chosen = new_key(db, "network_commitment", key, found.key, what, prefix="commitment")
        networks.add_commitment(
            db, key=chosen, space_id=found.id, text=what, owner_id=owner_id, taken_on=on, due=due
        )
        audit(
            db,
            "network commit",
            "create",
            COMMITMENT,
            chosen,
            {"space": found.key, "text": what, "owner": owner, "on": on, "due": due},
            at,
        )
    return chosen


def follow_up(
    url: str, key: str, *, status: str, on: date, by: str, note: str, today: date, at: datetime
) -> None:
    """Close a commitment as done or cancelled: a new record; a closed one stays closed."""
    from comunidad_cli.core.importing.values import choice
    from comunidad_cli.core.networks import STATUSES, follow_up_problem
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    try:
        status = choice(*STATUSES)(status.strip())
    except Invalid as invalid:
        raise refused("--status", invalid) from None
    who = name_text(by, "--by")
    text = typed_text(note, "--note", required=False)
    with writing_db(url) as db:
        found = networks.commitment(db, key)
        if found is None:
            from comunidad_cli.services.suggest import no_such

            fallback = Msg.of(
                N_(
                    'no commitment with id "{key}": see "comunidad network overdue" or'
                    ' "comunidad network show SPACE"'
                ),
                key=key,
            )
            raise ServiceError(no_such(db, "commitment", key, fallback))
        closed = (
            None
            if found.status is None or found.closed_on is None
            else (found.status, found.closed_on)
        )
        problem = follow_up_problem(status, on, found.taken_on, closed, today)
        if problem is not None:
            raise ServiceError(problem)
        networks.add_follow_up(db, commitment_id=found.id, status=status, on=on, by=who, note=text)
        audit(
            db,
            "network follow-up",
            "update",
            COMMITMENT,
            key,
            {"status": status, "on": on, "by": who, "note": text},
            at,
        )


def report_back(
    url: str, space_key: str, *, on: date, audience: str, summary: str, today: date, at: datetime
) -> None:
    """Information brought back from a space to the people the entity serves."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    to = name_text(audience, "--to")
    text = typed_text(summary, "--summary")
    not_future(on, today)
    with writing_db(url) as db:
        found = _space(db, space_key)
        networks.add_report_back(db, space_id=found.id, on=on, audience=to, summary=text)
        audit(
            db,
            "network report-back",
            "create",
            "network_report_back",
            found.key,
            {"on": on, "to": to, "summary": text},
            at,
        )


def referrals(
    url: str, space_key: str, *, period: str, made: int, received: int, at: datetime
) -> str:
    """The referral counts of a space for a period ("create" or "update": a recount)."""
    from comunidad_cli.core.networks import count_problem, period_problem
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import networks

    problem = period_problem(period) or count_problem(made) or count_problem(received)
    if problem is not None:
        raise ServiceError(problem)
    with writing_db(url) as db:
        found = _space(db, space_key)
        action = networks.set_referrals(
            db, space_id=found.id, period=period, made=made, received=received
        )
        audit(
            db,
            "network referrals",
            action,
            "network_referral",
            found.key,
            {"period": period, "made": made, "received": received},
            at,
        )
    return action


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommitmentView:
    key: str
    space: str
    text: str
    owner: str
    taken_on: date
    due: date
    status: str  # open, overdue, done or cancelled on the day asked
    closed_on: date | None
    closed_by: str | None
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "space": self.space,
            "text": self.text,
            "owner": self.owner,
            "taken_on": self.taken_on.isoformat(),
            "due": self.due.isoformat(),
            "status": self.status,
            "closed_on": None if self.closed_on is None else self.closed_on.isoformat(),
            "closed_by": self.closed_by,
            "note": self.note,
        }


def _view(row: CommitmentRow, day: date) -> CommitmentView:
    from comunidad_cli.core.networks import status_on

    closed = None if row.status is None or row.closed_on is None else (row.status, row.closed_on)
    shown = closed if closed is not None and closed[1] <= day else None
    return CommitmentView(
        row.key,
        row.space,
        row.text,
        row.owner,
        row.taken_on,
        row.due,
        status_on(row.due, closed, day),
        shown[1] if shown else None,
        row.closed_by if shown else None,
        row.note if shown else None,
    )


@dataclass(frozen=True, slots=True)
class SpaceView:
    key: str
    name: str
    kind: str
    parent: str | None
    territory: str | None
    representatives: list[str] = field(default_factory=list)  # on the day asked

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "name": self.name,
            "kind": self.kind,
            "parent": self.parent,
            "territory": self.territory,
            "representatives": self.representatives,
        }


def _who(person: str | None, org: str | None) -> str:
    if person and org:
        return f"{person} ({org})"
    return person or org or ""


def list_spaces(url: str, day: date) -> list[SpaceView]:
    """Every space with who represents the entity there on `day`."""
    from comunidad_cli.core.networks import Term
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import networks

    with reading_db(url) as db:
        rows = networks.spaces(db)
        held: dict[int, list[str]] = {}
        for t in networks.terms(db):
            if Term(t.person, t.org, t.start, t.end).holds_on(day):
                held.setdefault(t.space_id, []).append(_who(t.person, t.org))
    return [
        SpaceView(r.key, r.name, r.kind, r.parent, r.territory, held.get(r.id, [])) for r in rows
    ]


@dataclass(frozen=True, slots=True)
class SpaceDetail:
    space: SpaceView
    commissions: list[str]
    terms: list[tuple[str | None, str | None, date, date | None]]
    sessions: list[tuple[date, str, str]]
    commitments: list[CommitmentView]
    report_backs: list[tuple[date, str, str]]
    referrals: list[tuple[str, int, int]]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.space.as_json(),
            "commissions": self.commissions,
            "representation": [
                {
                    "person": p,
                    "org": o,
                    "from": s.isoformat(),
                    "to": None if e is None else e.isoformat(),
                }
                for p, o, s, e in self.terms
            ],
            "sessions": [
                {"date": d.isoformat(), "who": w, "notes": n} for d, w, n in self.sessions
            ],
            "commitments": [c.as_json() for c in self.commitments],
            "report_backs": [
                {"date": d.isoformat(), "to": t, "summary": s} for d, t, s in self.report_backs
            ],
            "referrals": [{"period": p, "made": m, "received": r} for p, m, r in self.referrals],
        }


def show_space(url: str, key: str, day: date) -> SpaceDetail:
    """Everything recorded about one space, commitments' status as on `day`."""
    from comunidad_cli.core.networks import Term
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import networks

    with reading_db(url) as db:
        found = _space(db, key)
        terms = networks.terms(db, found.id)
        commissions = [s.key for s in networks.spaces(db) if s.parent == found.key]
        detail = SpaceDetail(
            SpaceView(
                found.key,
                found.name,
                found.kind,
                found.parent,
                found.territory,
                [
                    _who(t.person, t.org)
                    for t in terms
                    if Term(t.person, t.org, t.start, t.end).holds_on(day)
                ],
            ),
            commissions,
            [(t.person, t.org, t.start, t.end) for t in terms],
            [(s.held_on, s.attendees, s.notes) for s in networks.sessions(db, found.id)],
            [_view(c, day) for c in networks.commitments(db, found.id)],
            [(r.on, r.audience, r.summary) for r in networks.report_backs(db, found.id)],
            networks.referrals(db, found.id),
        )
    return detail


def overdue(url: str, day: date) -> list[CommitmentView]:
    """The commitments overdue on `day` (due before it, not closed by then), oldest due first."""
    from comunidad_cli.services.session import reading_db

    with reading_db(url) as db:
        return overdue_in(db, day)


def overdue_in(db: Db, day: date) -> list[CommitmentView]:
    """`overdue` inside the caller's transaction (the summary's)."""
    from comunidad_cli.core.networks import OVERDUE
    from comunidad_cli.storage import networks

    return [v for v in (_view(r, day) for r in networks.commitments(db)) if v.status == OVERDUE]
