"""The versions of the local improvement plan as stored: their statuses (draft, proposed,
in force, superseded: read from their proposals' motions), the checks every change makes
(a version voted on or adopted is frozen; one plan of a body in force per period), and the
needs in force on a day, which the competitive funds rank priorities by (`plan.py` writes,
`views.py` shows)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from comunidad_cli import clock
from comunidad_cli.core.messages import N_
from comunidad_cli.core.plans import needs as core
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.plans import PlanRow, ProposalRow

DRAFT, PROPOSED, IN_FORCE, SUPERSEDED = "draft", "proposed", "in_force", "superseded"


# --- state of versions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Versions:
    """Every version of the plans of a workspace (or one body), with their proposals."""

    rows: dict[int, PlanRow]
    proposals: dict[int, list[ProposalRow]]

    @classmethod
    def load(cls, db: Db, *, bylaws_id: str | None = None, body: str | None = None) -> Versions:
        from comunidad_cli.storage import plans as store

        rows = {p.id: p for p in store.plans(db, bylaws_id=bylaws_id, body=body)}
        found: dict[int, list[ProposalRow]] = {pid: [] for pid in rows}
        if rows:
            for proposal in store.proposals(db, list(rows)):
                found[proposal.plan_id].append(proposal)
        return cls(rows, found)

    def root(self, plan: PlanRow) -> PlanRow:
        while plan.amends_id is not None and plan.amends_id in self.rows:
            plan = self.rows[plan.amends_id]
        return plan

    def adopted(self, plan: PlanRow) -> ProposalRow | None:
        return next((p for p in self.proposals[plan.id] if p.outcome == "adopted"), None)

    def open(self, plan: PlanRow) -> ProposalRow | None:
        return next((p for p in self.proposals[plan.id] if p.closed_at is None), None)

    def core_versions(self) -> list[core.Version]:
        found = []
        for plan in self.rows.values():
            adopted = self.adopted(plan)
            found.append(
                core.Version(
                    plan.key,
                    self.root(plan).key,
                    plan.start,
                    plan.end,
                    None if adopted is None else _day_of(adopted.closed_at),
                    () if adopted is None else (adopted.closed_at, plan.version, plan.id),
                )
            )
        return found

    def in_force_keys(self) -> set[str]:
        return {v.key for v in core.in_force(self.core_versions())}

    def status(self, plan: PlanRow) -> str:
        if self.adopted(plan) is not None:
            return IN_FORCE if plan.key in self.in_force_keys() else SUPERSEDED
        return PROPOSED if self.open(plan) is not None else DRAFT

    def later(self, plan: PlanRow) -> list[PlanRow]:
        return sorted((p for p in self.rows.values() if p.amends_id == plan.id), key=lambda p: p.id)


def _day_of(instant: datetime | None) -> date | None:
    if instant is None:
        return None
    return instant.astimezone(clock.zone()).date()


def _plan(db: Db, key: str) -> PlanRow:
    from comunidad_cli.storage import plans as store

    found = store.plan_by_key(db, key)
    if found is None:
        raise ServiceError.of(N_('no plan "{key}": see plan list'), key=key)
    return found


def _editable(versions: Versions, plan: PlanRow) -> None:
    """A version being voted on, or adopted, is frozen: the record is what was decided."""
    status = versions.status(plan)
    if status in (IN_FORCE, SUPERSEDED):
        raise ServiceError.of(
            N_(
                'plan "{key}" was adopted and is frozen: amend it with plan amend {key},'
                " a new version adopted the same way"
            ),
            key=plan.key,
        )
    if status == PROPOSED:
        proposal = versions.open(plan)
        assert proposal is not None
        raise ServiceError.of(
            N_('plan "{key}" is being voted on (motion "{motion}"): it cannot change now'),
            key=plan.key,
            motion=proposal.motion,
        )


def _overlapping_in_force(versions: Versions, plan: PlanRow) -> PlanRow | None:
    """Another plan of the same body, in force or being voted on, whose period overlaps."""
    root = versions.root(plan).id
    in_force = versions.in_force_keys()
    for other in versions.rows.values():
        if versions.root(other).id == root:
            continue
        if (other.bylaws_id, other.body) != (plan.bylaws_id, plan.body):
            continue
        if not core.overlaps((other.start, other.end), (plan.start, plan.end)):
            continue
        if other.key in in_force or versions.open(other) is not None:
            return other
    return None


# --- for the competitive funds ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NeedInForce:
    id: str
    rank: int
    name: str
    plan: str


def needs_in_force_db(
    db: Db, body: str, on_date: date, *, bylaws_id: str | None = None
) -> list[NeedInForce]:
    """The needs (ids with rank, best first) of the plan of `body` in force on `on_date`,
    inside the caller's transaction; empty when no plan is in force then. A round's `serves`
    lists are checked against these ids, and its `priority` tie-break ranks by them."""
    from comunidad_cli.storage import plans as store

    versions = Versions.load(db)
    keys = {v.key for v in core.in_force(versions.core_versions(), on_date)}
    chosen = [
        p
        for p in versions.rows.values()
        if p.key in keys and p.body == body and (bylaws_id is None or p.bylaws_id == bylaws_id)
    ]
    if len(chosen) > 1:  # kept out by new_plan and propose; never guessed between
        raise ServiceError.of(
            N_('more than one plan of body "{body}" is in force on {day}: {plans}'),
            body=body,
            day=on_date,
            plans=", ".join(p.key for p in chosen),
        )
    if not chosen:
        return []
    return [
        NeedInForce(n.key, n.rank, n.name, chosen[0].key) for n in store.needs(db, chosen[0].id)
    ]


def needs_in_force(
    url: str, body: str, on_date: date, *, bylaws_id: str | None = None
) -> list[NeedInForce]:
    """`needs_in_force_db` in a reading transaction of its own."""
    from comunidad_cli.services.session import reading_db

    with reading_db(url) as db:
        return needs_in_force_db(db, body, on_date, bylaws_id=bylaws_id)


def ranks(needs: Sequence[NeedInForce]) -> dict[str, int]:
    """Need id -> rank: what a round's `serves` and `priority` tie-break look up."""
    return {n.id: n.rank for n in needs}
