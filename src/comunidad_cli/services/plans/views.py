"""The improvement plan shown: one version with its needs by rank, its status and the
motion that adopted it (`plan show`), and every version (`plan list`), in one reading
transaction each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from comunidad_cli.services.plans.versions import Versions, _plan
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.plans import PlanRow, ProposalRow


@dataclass(frozen=True, slots=True)
class NeedView:
    key: str
    name: str
    rank: int
    evidence: str
    territory: str | None


@dataclass(frozen=True, slots=True)
class ProposalView:
    motion: str
    meeting: str
    decision: str
    outcome: str | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class PlanView:
    key: str
    bylaws: str
    body: str
    start: date
    end: date
    title: str
    version: int
    status: str
    amends: str | None
    amended_by: tuple[str, ...]
    adopted: ProposalView | None
    needs: tuple[NeedView, ...] = ()
    proposals: tuple[ProposalView, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        def proposal(p: ProposalView | None) -> dict[str, Any] | None:
            if p is None:
                return None
            return {
                "motion": p.motion,
                "meeting": p.meeting,
                "decision": p.decision,
                "outcome": p.outcome,
                "closed_at": None if p.closed_at is None else p.closed_at.isoformat(),
            }

        return {
            "plan": self.key,
            "bylaws": self.bylaws,
            "body": self.body,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "title": self.title,
            "version": self.version,
            "status": self.status,
            "amends": self.amends,
            "amended_by": list(self.amended_by),
            "adopted": proposal(self.adopted),
            "needs": [
                {
                    "id": n.key,
                    "name": n.name,
                    "rank": n.rank,
                    "evidence": n.evidence,
                    "territory": n.territory,
                }
                for n in self.needs
            ],
            "proposals": [proposal(p) for p in self.proposals],
        }


def _proposal_view(p: ProposalRow) -> ProposalView:
    from comunidad_cli.services.facts import on_clocks

    closed = None if p.closed_at is None else on_clocks(p.closed_at)
    return ProposalView(p.motion, p.meeting, p.decision, p.outcome, closed)


def _view(db: Db, versions: Versions, plan: PlanRow, *, with_needs: bool) -> PlanView:
    from comunidad_cli.storage import plans as store

    adopted = versions.adopted(plan)
    amends = versions.rows[plan.amends_id].key if plan.amends_id is not None else None
    return PlanView(
        key=plan.key,
        bylaws=plan.bylaws_id,
        body=plan.body,
        start=plan.start,
        end=plan.end,
        title=plan.title,
        version=plan.version,
        status=versions.status(plan),
        amends=amends,
        amended_by=tuple(p.key for p in versions.later(plan)),
        adopted=None if adopted is None else _proposal_view(adopted),
        needs=tuple(
            NeedView(n.key, n.name, n.rank, n.evidence, n.territory)
            for n in (store.needs(db, plan.id) if with_needs else [])
        ),
        proposals=tuple(_proposal_view(p) for p in versions.proposals[plan.id]),
    )


def show(url: str, plan_key: str) -> PlanView:
    """One version: its needs by rank, its status, the meeting and motion that adopted it."""
    from comunidad_cli.services.session import reading_db

    with reading_db(url) as db:
        plan = _plan(db, plan_key)
        versions = Versions.load(db, bylaws_id=plan.bylaws_id, body=plan.body)
        return _view(db, versions, plan, with_needs=True)


def list_plans(url: str, *, body: str | None = None) -> list[PlanView]:
    """Every version (of one body), by start and id."""
    from comunidad_cli.services.session import reading_db

    with reading_db(url) as db:
        versions = Versions.load(db)
        return [
            _view(db, versions, p, with_needs=False)
            for p in sorted(versions.rows.values(), key=lambda p: (p.start, p.key))
            if body is None or p.body == body
        ]
