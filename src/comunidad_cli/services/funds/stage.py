"""The facts a round's stage is read from (`core/funds/stage.py` judges), loaded inside the
caller's transaction: its applications by standing decision, the appeals to decide, the
sheets still owed and the flags (only while the evaluation is the step at hand), the
latest award proposal that has not fallen and, once adopted, its projects contracted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from comunidad_cli.core.funds.stage import Proposal, RoundFacts, Stage, stage
from comunidad_cli.storage.dbapi import Db

if TYPE_CHECKING:  # loaded only when a round is read: `summary` of a workspace without any
    from comunidad_cli.services.funds.views import ApplicationView, Loaded


def _proposal(db: Db, round_id: int) -> Proposal | None:
    """The latest proposal whose motion did not reject it (adopted, or not voted yet)."""
    from comunidad_cli.core.funds.evaluation import FALLEN
    from comunidad_cli.storage.funds.awards import awards, motion_decision

    standing = [a for a in awards(db, round_id) if a.outcome not in FALLEN]
    if not standing:
        return None
    adopted = [a for a in standing if a.outcome == "adopted"]
    chosen = (adopted or standing)[-1]
    decision = None if chosen.motion is None else motion_decision(db, chosen.motion)
    return Proposal(chosen.key, chosen.motion, chosen.outcome, decision)


def _evaluation(
    db: Db, loaded: Loaded, folder: Path | None, today: date
) -> tuple[tuple[tuple[str, str], ...], int]:
    """The sheets still owed (application, reviewer) by reviewers seated today, and how
    many applications are flagged, as `fund award --propose` judges them."""
    from comunidad_cli.core.funds import evaluation as core
    from comunidad_cli.services.funds.evaluation import (
        body_seats,
        evaluate_in,
        reviewers_body,
    )
    from comunidad_cli.storage.funds.evaluation import scores

    evaluated = evaluate_in(db, loaded.row.key, None, folder)
    in_force = evaluated.loaded
    body = reviewers_body(in_force, folder, today)
    seated = {s.person for s in body_seats(db, in_force.row.bylaws_id, body) if s.active_on(today)}
    evaluation = evaluated.evaluation
    admissible = [k for k, a in evaluation.applications.items() if a.admissible]
    recused = {a: set(found) for a, found in evaluated.recused.items()}
    missing = core.missing_sheets(
        in_force.round, admissible, seated, recused, scores(db, in_force.row.id)
    )
    return tuple(missing), len(evaluation.flagged)


def round_stage(
    db: Db,
    loaded: Loaded,
    views: Sequence[ApplicationView],
    folder: Path | None,
    today: date,
) -> Stage:
    """Where the round stands today and the next command (`core/funds/stage.py`)."""
    current = [v for v in views if v.state != "withdrawn"]
    facts = RoundFacts(
        loaded.row.key,
        today,
        loaded.round.dates,
        applications=len(current),
        not_judged=sum(1 for v in current if v.state == "pending"),
        appeals_pending=sum(1 for v in current if v.appeal_pending),
        admissible=sum(1 for v in current if v.state == "admitted"),
        proposal=_proposal(db, loaded.row.id),
        grant=loaded.row.grant,
    )
    if facts.proposal is not None and facts.proposal.outcome == "adopted":
        from comunidad_cli.storage.funds.projects import adopted_award, funded_lines

        award = adopted_award(db, loaded.row.id)
        lines = [] if award is None else funded_lines(db, award.id)
        facts = _with(
            facts,
            funded=len(lines),
            contracted=sum(1 for line in lines if line.subcontract_id is not None),
        )
    elif (
        facts.proposal is None
        and today > loaded.round.dates.applications_close
        and facts.admissible
        and not facts.not_judged
        and not facts.appeals_pending
    ):
        missing, flagged = _evaluation(db, loaded, folder, today)
        facts = _with(facts, missing=missing, flagged=flagged)
    return stage(facts)


def _with(facts: RoundFacts, **changes: object) -> RoundFacts:
    from dataclasses import replace

    return replace(facts, **changes)  # type: ignore[arg-type]


# --- for `summary` ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundLine:
    """A round in the summary: its stage, and its window's last day."""

    key: str
    body: str
    closes: date
    stage: Stage


@dataclass(frozen=True, slots=True)
class PlanLine:
    """A body's improvement plan in force on the day, or None (`plan` is then None)."""

    bylaws: str
    body: str
    plan: str | None = None
    start: date | None = None
    end: date | None = None
    needs: int = 0


@dataclass(frozen=True, slots=True)
class FundsOverview:
    """What `summary` says of the competitive funds and the plan: every round with its
    stage, and per body (of a round or a plan) the plan in force or none."""

    rounds: tuple[RoundLine, ...] = ()
    plans: tuple[PlanLine, ...] = ()

    @property
    def open(self) -> tuple[RoundLine, ...]:
        return tuple(r for r in self.rounds if r.stage.code == "open")

    @property
    def awaiting(self) -> tuple[RoundLine, ...]:
        """Rounds with a step to take other than receiving applications."""
        return tuple(
            r
            for r in self.rounds
            if r.stage.next is not None and r.stage.code not in ("open", "contracted")
        )


def overview_in(db: Db, folder: Path | None, today: date) -> FundsOverview:
    """The rounds and plans of the workspace, inside the caller's transaction: one query
    for the rounds and one for the plans when there are neither (most workspaces), the
    stage of each round (`round_stage`) and the needs of each plan in force otherwise."""
    from comunidad_cli.core.plans.needs import in_force
    from comunidad_cli.services.plans.versions import Versions
    from comunidad_cli.storage.funds.rounds import rounds
    from comunidad_cli.storage.plans import needs

    lines = []
    found = rounds(db)
    if found:  # a round's file, applications and evaluation are read only when there is one
        from comunidad_cli.services.funds.views import load_round, views_of
    for row in found:
        loaded = load_round(db, row.key)
        lines.append(
            RoundLine(
                row.key,
                row.body,
                loaded.round.dates.applications_close,
                round_stage(db, loaded, views_of(db, loaded), folder, today),
            )
        )
    versions = Versions.load(db)
    keys = {v.key for v in in_force(versions.core_versions(), today)}
    bodies = {(r.bylaws_id, r.body) for r in found}
    bodies |= {(p.bylaws_id, p.body) for p in versions.rows.values()}
    plans = []
    for bylaws, body in sorted(bodies):
        held = [
            p
            for p in versions.rows.values()
            if p.key in keys and (p.bylaws_id, p.body) == (bylaws, body)
        ]
        if not held:
            plans.append(PlanLine(bylaws, body))
            continue
        for p in sorted(held, key=lambda p: (p.start, p.key)):
            plans.append(PlanLine(bylaws, body, p.key, p.start, p.end, len(needs(db, p.id))))
    return FundsOverview(tuple(lines), tuple(plans))
