"""The local improvement plan ("plan de mejoramiento comunitario"): versions, needs, and
adoption through a motion under the by-laws' plan decision.

A version is a draft until it is proposed (`propose` opens a motion under the decision with
`plan = true` for its body, through the motion service, in the same transaction); while
that motion is open, and once it is adopted, the version is frozen. Adopted, it is in
force; an amendment is a new version naming the one it amends, adopted the same way, and
the old one stays as history. Rejected (or without quorum), the version is a draft again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from comunidad_cli import clock
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.plans import needs as core
from comunidad_cli.services.errors import ServiceError, typed_key, typed_text
from comunidad_cli.services.plans import Problems
from comunidad_cli.services.plans.versions import (
    IN_FORCE,
    Versions,
    _editable,
    _overlapping_in_force,
    _plan,
)
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.plans import PlanRow

COMMAND = "plan"


def _one_line(value: str, option: str) -> str:
    from comunidad_cli.core.importing.invalid import Invalid
    from comunidad_cli.core.importing.text import one_line

    try:
        text = one_line(value)
    except Invalid as invalid:
        raise ServiceError.of(
            N_("{option}: {problem}"), option=option, problem=invalid.msg
        ) from None
    if not text.strip():
        raise ServiceError.of(N_("{option}: cannot be empty"), exit_code=2, option=option)
    return text


# --- commands -----------------------------------------------------------------------------------


def new_plan(
    url: str,
    bylaws_folder: Path,
    *,
    body: str,
    start: date,
    end: date,
    title: str,
    bylaws_id: str | None = None,
    key: str | None = None,
) -> str:
    """A draft plan of `body` for a period; refused when a plan of the body in force (or
    being voted on) covers part of the period: amend that one instead."""
    from comunidad_cli.core.importing.ids import make_id
    from comunidad_cli.services.bylaws import in_workspace
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage import plans as store

    title = _one_line(title, "--title")
    if key is not None:
        typed_key(key, "--id")
    bad_period = core.period_problem(start, end)
    if bad_period is not None:
        raise ServiceError(bad_period)
    bylaws = in_workspace(bylaws_folder, bylaws_id, clock.today()).model
    assert bylaws is not None
    if body not in bylaws.bodies:
        raise ServiceError.of(
            N_('no body "{body}" in the by-laws "{bylaws}": the bodies are {known}'),
            body=body,
            bylaws=bylaws.id,
            known=", ".join(bylaws.bodies),
        )
    now = clock.now()
    with writing_db(url) as db:
        versions = Versions.load(db, bylaws_id=bylaws.id, body=body)
        draft = PlanRow(0, "", bylaws.id, body, start, end, title, 1, None, now)
        versions.rows[0] = draft
        versions.proposals[0] = []
        clash = _overlapping_in_force(versions, draft)
        if clash is not None:
            raise ServiceError.of(
                N_(
                    'plan "{other}" of body "{body}" ({start} to {end}) is in force or being'
                    " voted on for part of this period: amend it (plan amend {other})"
                ),
                other=clash.key,
                body=body,
                start=clash.start,
                end=clash.end,
            )
        taken = store.Taken(db, "improvement_plan")
        if key is not None:
            if key in taken:
                raise ServiceError.of(N_('a plan "{key}" exists already'), key=key)
            chosen = key
        else:
            chosen = make_id("plan", body, str(start.year), prefix="plan", taken=taken)
        store.add_plan(
            db,
            key=chosen,
            bylaws_id=bylaws.id,
            body=body,
            start=start,
            end=end,
            title=title,
            version=1,
            amends_id=None,
            at=now,
        )
        audit.record(
            db,
            command=f"{COMMAND} new",
            action="create",
            entity="improvement_plan",
            entity_id=chosen,
            detail={"body": body, "bylaws": bylaws.id, "from": start, "to": end, "title": title},
            at=now,
        )
    return chosen


def add_need(
    url: str,
    plan_key: str,
    *,
    key: str,
    name: str,
    evidence: str,
    rank: int | None = None,
    territory: str | None = None,
) -> int:
    """A need of a draft plan; `rank` R puts it there and moves the needs from R on down
    one (ranks stay 1..n); without it, it comes last. Returns its rank."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage import plans as store

    typed_key(key, "--id")
    name = _one_line(name, "--name")
    typed_text(evidence, "--evidence")
    if not evidence.strip():
        raise ServiceError.of(
            N_("--evidence: say what shows the need (a survey, a count, a meeting)"),
            exit_code=2,
        )
    now = clock.now()
    with writing_db(url) as db:
        plan = _plan(db, plan_key)
        versions = Versions.load(db, bylaws_id=plan.bylaws_id, body=plan.body)
        _editable(versions, plan)
        present = store.needs(db, plan.id)
        if any(n.key == key for n in present):
            raise ServiceError.of(
                N_('plan "{plan}" has a need "{key}" already'), plan=plan_key, key=key
            )
        count = len(present)
        chosen = count + 1 if rank is None else rank
        if not 1 <= chosen <= count + 1:
            raise ServiceError.of(
                N_("--rank {rank}: the plan has {count} needs, so a new one ranks 1 to {last}"),
                rank=chosen,
                count=count,
                last=count + 1,
            )
        territory_id = None
        if territory is not None:
            found = store.territory_by_key(db, territory)
            if found is None:
                raise ServiceError.of(
                    N_('--territory: no territory "{key}" (see territory list)'), key=territory
                )
            territory_id = found.id
        for moved in sorted(present, key=lambda n: -n.rank):
            if moved.rank >= chosen:
                store.update_need(
                    db,
                    moved.id,
                    name=moved.name,
                    rank=moved.rank + 1,
                    evidence=moved.evidence,
                    territory_id=_territory_id(db, moved.territory),
                )
        store.add_need(
            db,
            plan_id=plan.id,
            key=key,
            name=name,
            rank=chosen,
            evidence=evidence,
            territory_id=territory_id,
        )
        audit.record(
            db,
            command=f"{COMMAND} need",
            action="create",
            entity="plan_need",
            entity_id=f"{plan_key}/{key}",
            detail={"name": name, "rank": chosen, "evidence": evidence, "territory": territory},
            at=now,
        )
    return chosen


def _territory_id(db: Db, key: str | None) -> int | None:
    from comunidad_cli.storage import plans as store

    if key is None:
        return None
    found = store.territory_by_key(db, key)
    return None if found is None else found.id


@dataclass(frozen=True, slots=True)
class Proposed:
    motion: str
    decision: str
    warnings: tuple[Msg, ...] = ()


def propose(
    url: str,
    plan_key: str,
    *,
    meeting: str,
    at: datetime | str | None = None,
    title: str | None = None,
) -> Proposed:
    """Open the motion that adopts this version, under the by-laws' plan decision for its
    body, at a meeting of that body: once the motion is adopted (motion close), the version
    is in force."""
    from comunidad_cli.services import facts
    from comunidad_cli.services.motions import open_motion
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage import plans as store

    if title is not None:
        title = _one_line(title, "--title")
    now = clock.now()
    with writing_db(url) as db:
        plan = _plan(db, plan_key)
        versions = Versions.load(db, bylaws_id=plan.bylaws_id, body=plan.body)
        _editable(versions, plan)
        present = store.needs(db, plan.id)
        if not present:
            raise ServiceError.of(
                N_('plan "{key}" has no needs yet: add them (plan need add, import needs)'),
                key=plan_key,
            )
        problems = core.rank_problems([core.RankedNeed(n.key, n.rank) for n in present])
        if problems:
            raise Problems([p.msg for p in problems])
        if plan.amends_id is not None:
            amended = versions.rows[plan.amends_id]
            if versions.status(amended) != IN_FORCE:
                raise ServiceError.of(
                    N_(
                        'plan "{key}" amends "{amended}", which is not the version in force:'
                        " amend the version in force"
                    ),
                    key=plan_key,
                    amended=amended.key,
                )
        root = versions.root(plan).id
        for other in versions.rows.values():
            pending = versions.open(other)
            if other.id != plan.id and versions.root(other).id == root and pending is not None:
                raise ServiceError.of(
                    N_(
                        'version "{other}" of this plan is being voted on (motion "{motion}"):'
                        " close that motion first"
                    ),
                    other=other.key,
                    motion=pending.motion,
                )
        clash = _overlapping_in_force(versions, plan)
        if clash is not None:
            raise ServiceError.of(
                N_(
                    'plan "{other}" of body "{body}" ({start} to {end}) is in force or being'
                    " voted on for part of this period: amend it (plan amend {other})"
                ),
                other=clash.key,
                body=plan.body,
                start=clash.start,
                end=clash.end,
            )
        meeting_row = facts.meeting_row(db, meeting)
        if (meeting_row.bylaws_id, meeting_row.body) != (plan.bylaws_id, plan.body):
            raise ServiceError.of(
                N_(
                    'meeting "{meeting}" is of body "{meeting_body}"; plan "{key}" is adopted'
                    ' by body "{body}"'
                ),
                meeting=meeting,
                meeting_body=meeting_row.body,
                key=plan_key,
                body=plan.body,
            )
        bylaws = facts.meeting_facts(db, meeting_row).bylaws
        deciding = [d.id for d in bylaws.decisions.values() if d.plan and d.body == plan.body]
        if not deciding:
            raise ServiceError.of(
                N_(
                    'the by-laws "{bylaws}" name no decision that adopts the plan of body'
                    ' "{body}": set plan = true on one (comunidad bylaws check)'
                ),
                bylaws=plan.bylaws_id,
                body=plan.body,
            )
        if len(deciding) > 1:
            raise ServiceError.of(
                N_(
                    'the by-laws "{bylaws}" name {decisions} as adopting the plan of body'
                    ' "{body}": keep plan = true on one (comunidad bylaws check, BL411)'
                ),
                bylaws=plan.bylaws_id,
                decisions=", ".join(deciding),
                body=plan.body,
            )
        motion_key, _, warnings = open_motion(
            db,
            meeting,
            decision=deciding[0],
            title=title if title is not None else plan.title,
            at=at,
            key=None,
            now=now,
            command=f"{COMMAND} propose",
        )
        store.add_proposal(db, plan_id=plan.id, motion_key=motion_key, at=now)
        audit.record(
            db,
            command=f"{COMMAND} propose",
            action="create",
            entity="plan_proposal",
            entity_id=plan_key,
            detail={"meeting": meeting, "motion": motion_key, "decision": deciding[0]},
            at=now,
        )
    return Proposed(motion_key, deciding[0], warnings)


def amend(url: str, plan_key: str, *, title: str | None = None, key: str | None = None) -> str:
    """A new draft version of the plan in force, with its needs copied, naming the version
    it amends; the version in force stays as it is until the amendment is adopted."""
    from comunidad_cli.core.importing.ids import make_id
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage import plans as store

    if title is not None:
        title = _one_line(title, "--title")
    if key is not None:
        typed_key(key, "--id")
    now = clock.now()
    with writing_db(url) as db:
        plan = _plan(db, plan_key)
        versions = Versions.load(db, bylaws_id=plan.bylaws_id, body=plan.body)
        if versions.status(plan) != IN_FORCE:
            current = [
                p.key
                for p in versions.rows.values()
                if versions.root(p).id == versions.root(plan).id
                and p.key in versions.in_force_keys()
            ]
            if current:
                raise ServiceError.of(
                    N_('plan "{key}" is not the version in force: amend "{current}"'),
                    key=plan_key,
                    current=current[0],
                )
            raise ServiceError.of(
                N_(
                    'plan "{key}" is not in force: a draft is changed directly, and takes'
                    " effect through plan propose"
                ),
                key=plan_key,
            )
        chain = [p for p in versions.rows.values() if versions.root(p).id == versions.root(plan).id]
        version = max(p.version for p in chain) + 1
        taken = store.Taken(db, "improvement_plan")
        root = versions.root(plan).key
        if key is not None:
            if key in taken:
                raise ServiceError.of(N_('a plan "{key}" exists already'), key=key)
            chosen = key
        else:
            chosen = make_id(root, f"v{version}", prefix="plan", taken=taken, whole=1)
        new_id = store.add_plan(
            db,
            key=chosen,
            bylaws_id=plan.bylaws_id,
            body=plan.body,
            start=plan.start,
            end=plan.end,
            title=title if title is not None else plan.title,
            version=version,
            amends_id=plan.id,
            at=now,
        )
        for need in store.needs(db, plan.id):
            store.add_need(
                db,
                plan_id=new_id,
                key=need.key,
                name=need.name,
                rank=need.rank,
                evidence=need.evidence,
                territory_id=_territory_id(db, need.territory),
            )
        audit.record(
            db,
            command=f"{COMMAND} amend",
            action="create",
            entity="improvement_plan",
            entity_id=chosen,
            detail={"amends": plan_key, "version": version},
            at=now,
        )
    return chosen
