"""Admissibility and appeals ("reconsideración") of a round's applications: every
application judged against the round in the pure core (`core/funds/admissibility.py`) and
its decision recorded with its reasons; an appeal and its decision, a new decision beside
the earlier one. Each writing function is one `writing_db` transaction with its audit row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.funds.admissibility import (
    Applicant,
    OverdueReport,
    Personality,
    earlier_applications,
    is_withdrawal,
    judge,
    reason_json,
    reasons_json,
    same_instant,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.funds.applications import (
    ADMISSIBILITY_ENTITY,
    APPEAL_ENTITY,
    _by,
    _local_day,
)
from comunidad_cli.services.funds.views import Loaded, load_round
from comunidad_cli.services.grants.common import Refused, _not_future, _refused
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.funds.applications import ApplicationRow

# --- admissibility ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judged:
    key: str
    organisation: str
    project: str
    admissible: bool
    reasons: tuple[Msg, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "organisation": self.organisation,
            "project": self.project,
            "admissible": self.admissible,
            "reasons": reasons_json(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class Judgement:
    round: str
    currency: str
    on: date
    dry_run: bool
    judged: tuple[Judged, ...]
    #: Applications judged before (their decision stands; not judged again).
    already: int


def _overdue(db: Db, organisation_ids: Sequence[int], on: date) -> dict[int, list[OverdueReport]]:
    """The reports overdue on `on` on each organisation's subcontracts, by the deliverables'
    rule (`services/grants/records.py` `_deliverables` over `core/grants/deliverables.py`)."""
    from comunidad_cli.services.grants.records import _deliverables
    from comunidad_cli.storage.funds.admissibility import partner_subcontracts

    held = partner_subcontracts(db, organisation_ids)
    ids = [s for subs in held.values() for s in subs]
    if not ids:
        return {}
    views = _deliverables(db, ids, on, True, overdue_only=True)
    found: dict[int, list[OverdueReport]] = {}
    for oid, subs in held.items():
        for sub in subs:
            for view in views.get(sub, []):
                for o in view.overdue:
                    found.setdefault(oid, []).append(
                        OverdueReport(view.subcontract, view.title, o.due)
                    )
    return found


def judge_round(
    url: str, round_key: str, *, on: date, dry_run: bool = False, by: str | None = None
) -> Judgement:
    """Judge every application of the round not judged yet, on the day `on` (after
    applications close), recording a decision each unless `dry_run`."""
    from comunidad_cli.services import session
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds import admissibility as stored
    from comunidad_cli.storage.funds.applications import application_lines, applications

    actor = _by(by)
    now = clock.now()
    with (session.reading_db if dry_run else session.writing_db)(url) as db:
        loaded = load_round(db, round_key)
        r = loaded.round
        if on <= r.dates.applications_close:
            raise _refused(
                N_(
                    "applications to {round} close on {close}: judge their admissibility"
                    " after that day (--on DATE)"
                ),
                round=r.id,
                close=r.dates.applications_close,
            )
        rows = applications(db, loaded.row.id)
        lines = application_lines(db, loaded.row.id)
        decided = stored.decisions(db, loaded.row.id)
        applicants = {
            a.id: Applicant(
                a.key,
                a.organisation,
                a.organisation_kind,
                a.amount,
                a.own_contribution,
                a.priority,
                _local_day(a.submitted_at),
                lines.get(a.id, {}),
                a.submitted_at.astimezone(clock.zone()),
            )
            for a in rows
        }
        withdrawn = {a for a, d in decided.items() if is_withdrawal(d.reasons)}
        standing = [applicants[a.id] for a in rows if a.id not in withdrawn]
        undecided = {a.key for a in rows if a.id not in decided}
        tied = [
            msg
            for keys, msg in same_instant(standing, r.eligibility.applications_per_org)
            if undecided.intersection(keys)
        ]
        if tied:
            raise Refused(tied)
        beyond = earlier_applications(standing, r.eligibility.applications_per_org)
        waiting = [a for a in rows if a.id not in decided]
        org_ids = sorted({a.organisation_id for a in waiting})
        legal = stored.legal_records(db, org_ids)
        overdue = _overdue(db, org_ids, on) if r.eligibility.no_overdue_reports else {}
        judged: list[Judged] = []
        decisions: list[dict[str, Any]] = []
        for a in waiting:
            reasons = judge(
                r,
                applicants[a.id],
                personality=[
                    Personality(p.number, p.valid_from, p.valid_until)
                    for p in legal.get(a.organisation_id, [])
                ],
                overdue=overdue.get(a.organisation_id, []),
                earlier=beyond.get(a.key, ()),
            )
            judged.append(Judged(a.key, a.organisation, a.project, not reasons, reasons))
            decisions.append(
                {
                    "application_id": a.id,
                    "admissible": not reasons,
                    "reasons": reasons_json(reasons),
                    "appeal_id": None,
                    "decided_at": now,
                    "by": actor,
                }
            )
        if not dry_run and decisions:
            stored.add_decisions(db, decisions)
            audit.record(
                db,
                command="fund admissibility",
                action="create",
                entity=ADMISSIBILITY_ENTITY,
                entity_id=r.id,
                detail={
                    "on": on,
                    "text": loaded.text_id,
                    "admitted": [j.key for j in judged if j.admissible],
                    "refused": [j.key for j in judged if not j.admissible],
                },
                at=now,
                actor=by,
            )
    return Judgement(r.id, r.currency, on, dry_run, tuple(judged), len(decided))


# --- appeals ---------------------------------------------------------------------------------


def _application(db: Db, key: str) -> ApplicationRow:
    from comunidad_cli.storage.funds.applications import application_by_key

    row = application_by_key(db, key.strip())
    if row is None:
        from comunidad_cli.services.funds.suggest import no_application

        close = no_application(db, key)
        if close is not None:
            raise Refused([close])
        raise _refused(
            N_('no application "{key}": see "comunidad fund applications ROUND"'), key=key
        )
    return row


def _round_of(db: Db, row: ApplicationRow) -> Loaded:
    key = db.value("SELECT key FROM fund_round WHERE id = :r", {"r": row.round_id})
    return load_round(db, str(key))


def file_appeal(url: str, application: str, *, text: str, on: date, by: str) -> tuple[str, date]:
    """Record a refused applicant's appeal filed on `on` (not after the round's
    `appeals_until`, not in the future). Returns the application's key and the deadline."""
    from comunidad_cli.services.errors import typed_text
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds import admissibility as stored

    typed_text(text, "--text")
    if not text.strip():
        raise _refused(N_("--text: this cannot be empty"))
    who = _by(by)
    today = clock.today()
    _not_future(on, today, "--on")
    now = clock.now()
    with writing_db(url) as db:
        row = _application(db, application)
        loaded = _round_of(db, row)
        decision = stored.decisions(db, loaded.row.id).get(row.id)
        if decision is None:
            raise _refused(
                N_(
                    "the application {key} has not been judged yet: appeals are against a"
                    ' refusal ("comunidad fund admissibility {round}")'
                ),
                key=row.key,
                round=loaded.row.key,
            )
        if decision.admissible:
            raise _refused(
                N_("the application {key} was admitted: only a refusal can be appealed"),
                key=row.key,
            )
        from comunidad_cli.core.funds.admissibility import is_withdrawal

        if is_withdrawal(decision.reasons):
            raise _refused(
                N_("the application {key} was withdrawn by its organisation: nothing to appeal"),
                key=row.key,
            )
        filed = stored.appeals(db, row.id)
        if filed and decision.appeal_id != filed[-1].id:
            raise _refused(
                N_("the application {key} has an appeal filed on {filed} still to be decided"),
                key=row.key,
                filed=filed[-1].filed_on,
            )
        until = loaded.round.dates.appeals_until
        if on > until:
            raise _refused(
                N_("appeals to {round} could be filed until {until}: {on} is too late"),
                round=loaded.row.key,
                until=until,
                on=on,
            )
        appeal_id = stored.add_appeal(
            db, application_id=row.id, filed_on=on, text=text, recorded_at=now, by=who
        )
        audit.record(
            db,
            command="fund appeal",
            action="create",
            entity=APPEAL_ENTITY,
            entity_id=row.key,
            detail={"appeal": appeal_id, "filed_on": on, "text": text},
            at=now,
            actor=by,
        )
    return row.key, until


#: The reason an appeal's decision was stored with before it kept its day: still shown.
FORMER_APPEAL_REASON = N_("decided on appeal: {reason}")


def appeal_day_problem(round_key: str, filed: date, evaluation: date, on: date) -> Msg | None:
    """Why an appeal filed on `filed` cannot be decided on `on`, or None: not before it
    was filed, not after the round's evaluation ends (an application admitted then could
    no longer be scored)."""
    if filed <= on <= evaluation:
        return None
    return Msg.of(
        N_(
            "the appeal filed on {filed} to round {round} is decided on a day from {filed}"
            " to {end}, when evaluation ends: {day} is outside that window"
        ),
        filed=filed,
        round=round_key,
        end=evaluation,
        day=on,
    )


def decide_appeal(
    url: str, application: str, *, admit: bool, reason: str, by: str, on: date | None = None
) -> str:
    """Decide the application's pending appeal on the day `on` (default today; checked
    against the appeal's window, kept in the decision's reason and its audit row; the
    row's instant is when it was recorded): a new decision naming the appeal, the earlier
    one kept as history. Returns the application's key."""
    from comunidad_cli.services.errors import typed_text
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds import admissibility as stored

    typed_text(reason, "--reason")
    if not reason.strip():
        raise _refused(N_("--reason: this cannot be empty"))
    who = _by(by)
    now = clock.now()
    today = clock.today()
    day = today if on is None else on
    _not_future(day, today, "--on")
    with writing_db(url) as db:
        row = _application(db, application)
        loaded = _round_of(db, row)
        decision = stored.decisions(db, loaded.row.id).get(row.id)
        filed = stored.appeals(db, row.id)
        if not filed or (decision is not None and decision.appeal_id == filed[-1].id):
            raise _refused(
                N_(
                    "the application {key} has no appeal to decide: file one with"
                    ' "comunidad fund appeal {key}"'
                ),
                key=row.key,
            )
        appeal = filed[-1]
        late = appeal_day_problem(
            loaded.row.key, appeal.filed_on, loaded.round.dates.evaluation, day
        )
        if late is not None:
            raise Refused([late])
        said = Msg.of(N_("decided on appeal on {day}: {reason}"), day=day, reason=reason)
        reasons = [reason_json(said)]
        if not admit and decision is not None:
            reasons += decision.reasons  # the refusal's reasons still stand
        stored.add_decisions(
            db,
            [
                {
                    "application_id": row.id,
                    "admissible": admit,
                    "reasons": reasons,
                    "appeal_id": appeal.id,
                    "decided_at": now,
                    "by": who,
                }
            ],
        )
        audit.record(
            db,
            command="fund decide-appeal",
            action="create",
            entity=ADMISSIBILITY_ENTITY,
            entity_id=row.key,
            detail={"appeal": appeal.id, "admissible": admit, "reason": reason, "on": day},
            at=now,
            actor=by,
        )
    return row.key


# --- withdrawal ------------------------------------------------------------------------------


def withdrawn_ids(db: Db, round_id: int) -> set[int]:
    """The round's applications withdrawn by their organisations (by row id): not judged,
    ranked, awarded, nor counted against the applications each organisation may make."""
    from comunidad_cli.core.funds.admissibility import is_withdrawal
    from comunidad_cli.storage.funds import admissibility as stored

    return {a for a, d in stored.decisions(db, round_id).items() if is_withdrawal(d.reasons)}


def withdraw(url: str, application: str, *, by: str, reason: str, on: date | None = None) -> str:
    """Record that the applying organisation withdrew `application` on the day `on`
    (default today), attributed to `by`, until its admissibility is decided: a record
    beside the application, which stays as it was typed. Returns its key."""
    from comunidad_cli.core.funds.admissibility import withdrawal
    from comunidad_cli.services.errors import typed_text
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds import admissibility as stored

    typed_text(reason, "--reason")
    if not reason.strip():
        raise _refused(N_("--reason: this cannot be empty"))
    who = _by(by)
    today = clock.today()
    day = today if on is None else on
    _not_future(day, today, "--on")
    now = clock.now()
    with writing_db(url) as db:
        row = _application(db, application)
        loaded = _round_of(db, row)
        decision = stored.decisions(db, loaded.row.id).get(row.id)
        if decision is not None:
            from comunidad_cli.core.funds.admissibility import is_withdrawal

            if is_withdrawal(decision.reasons):
                raise _refused(N_("the application {key} is already withdrawn"), key=row.key)
            raise _refused(
                N_(
                    "the application {key} was already judged on its admissibility: it can be"
                    " withdrawn only before that (the decision stands as recorded)"
                ),
                key=row.key,
            )
        if day < _local_day(row.submitted_at):
            raise _refused(
                N_("{option}: {day} is before the application was submitted ({submitted})"),
                option="--on",
                day=day,
                submitted=_local_day(row.submitted_at),
            )
        stored.add_decisions(
            db,
            [
                {
                    "application_id": row.id,
                    "admissible": False,
                    "reasons": [reason_json(withdrawal(day, who, reason))],
                    "appeal_id": None,
                    "decided_at": now,
                    "by": who,
                }
            ],
        )
        audit.record(
            db,
            command="fund withdraw",
            action="create",
            entity=ADMISSIBILITY_ENTITY,
            entity_id=row.key,
            detail={"withdrawn": True, "on": day, "reason": reason},
            at=now,
            actor=by,
        )
    return row.key
