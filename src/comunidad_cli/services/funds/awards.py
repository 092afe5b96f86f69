"""The award of a round: computed from its ranking by the round's mode, proposed to the
body that adopts it (a `fund_award` with its lines and a motion under the by-laws'
`awards = true` decision, in one transaction), and listed with whether it stands.

A proposal is refused while an application is not yet judged admissible or is flagged
(too few reviewers counted, reviewers too far apart without a consensus note): the
commission settles those first. Proposing closes the evaluation (no new scores, recusals
or notes until a motion rejects the proposal), so before the evaluation window ends it is
also refused while a seated, non-recused reviewer owes a sheet on an admissible
application (`core/funds/evaluation.py` `early_proposal`). On the motion, every reviewer recused from any application
and every seat-holder whose organisation applies is recused, with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.funds import evaluation as core
from comunidad_cli.core.funds.award import Award, award
from comunidad_cli.core.funds.scoring import shown_score
from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.services.errors import ServiceError, typed_text
from comunidad_cli.services.funds.evaluation import COMMAND, Evaluated, evaluate_in
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.funds.applications import ApplicationRow


@dataclass(frozen=True, slots=True)
class Awarded:
    """A round evaluated and its award computed."""

    evaluated: Evaluated
    award: Award


def _plain(value: Any) -> Any:
    if isinstance(value, Msg):
        return message_json(value)
    if isinstance(value, str | int | bool) or value is None:
        return value
    if isinstance(value, Fraction):
        return core.exact(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def message_json(msg: Msg) -> dict[str, Any]:
    """A message as data in a snapshot: its id and parameters (translated when shown)."""
    found: dict[str, Any] = {
        "id": msg.text,
        "params": {k: _plain(v) for k, v in msg.params.items()},
    }
    if msg.plural is not None:
        found["plural"] = msg.plural
        found["count"] = msg.count
    return found


def award_in(
    db: Db, round_key: str, seed: str | None, bylaws_folder: Path | None = None
) -> Awarded:
    evaluated = evaluate_in(db, round_key, seed, bylaws_folder)
    rnd = evaluated.loaded.round
    return Awarded(evaluated, award(evaluated.evaluation.ranking, rnd.budget, rnd.award_mode))


def award_round(
    url: str, round_key: str, seed: str | None = None, bylaws_folder: Path | None = None
) -> Awarded:
    """`fund award`: the round's award by its mode, without recording anything."""
    from comunidad_cli.services.session import reading_db

    if seed is not None:
        typed_text(seed, "--seed")
    with reading_db(url) as db:
        return award_in(db, round_key, seed, bylaws_folder)


def lines(awarded: Awarded) -> list[dict[str, Any]]:
    """Each application's line of the award, in the award's order: rank, exact score,
    amount asked and given, outcome, why, the tie resolved, reviewers' totals, flags."""
    evaluation = awarded.evaluated.evaluation
    sheet = evaluation.sheet.by_application()
    ranked = {r.candidate.id for r in evaluation.ranking.ranked}
    found = []
    for d in awarded.award.decisions:
        c = d.candidate
        scored = sheet.get(c.id)
        found.append(
            {
                "application": c.id,
                "rank": d.rank,
                "score": core.exact(c.score),
                "score_shown": None if c.score is None else str(shown_score(c.score)),
                "asked": c.amount,
                "given": d.given,
                "outcome": core.outcome(c, d.funded, d.partial, c.id in ranked),
                "reason": d.reason,
                "tie": d.tie,
                "totals": []
                if scored is None
                else [
                    {"reviewer": r, "total": core.exact(t), "shown": str(shown_score(t))}
                    for r, t in scored.totals
                ],
                "flags": list(evaluation.flags.get(c.id, ())),
                # each criterion's mean points, so that letters show what the award was
                # made from, never a later recomputation
                "criteria": {}
                if scored is None
                else {k: core.exact(v) for k, v in sorted(scored.criteria.items())},
            }
        )
    return found


def snapshot(awarded: Awarded) -> dict[str, Any]:
    """What a proposal keeps: the round text it was computed under, mode, seed, budget,
    and every line with its messages as data."""
    evaluated = awarded.evaluated
    return {
        "round": evaluated.loaded.row.key,
        "round_text": {"id": evaluated.loaded.text.id, "sha256": evaluated.loaded.text.sha256},
        "mode": awarded.award.mode,
        "seed": evaluated.evaluation.seed,
        "budget": str(awarded.award.budget),
        "given": str(awarded.award.given),
        "tie_break": list(evaluated.loaded.round.tie_break),
        "min_score": core.exact(evaluated.loaded.round.min_score),
        "lines": [_plain(line) for line in lines(awarded)],
    }


def _namer(awarded: Awarded, render: Callable[[Msg], str]) -> Callable[[str], str]:
    """An application as a refusal lists it: its id and its project's title as typed
    ("id (title)", worded by `render`), the id alone when the title is not known."""
    from comunidad_cli.core.funds.ranking import NAMED

    titles = {row.key: row.project for row in awarded.evaluated.rows}

    def named(key: str) -> str:
        title = titles.get(key)
        return render(Msg.of(NAMED, application=key, title=title)) if title else key

    return named


def _unsettled(awarded: Awarded, render: Callable[[Msg], str]) -> Msg | None:
    """Why the award cannot be proposed yet: applications not judged or flagged, each
    said by its id and its project's title as typed."""
    evaluation = awarded.evaluated.evaluation
    named = _namer(awarded, render)

    def listed(keys: tuple[str, ...]) -> str:
        return ", ".join(named(k) for k in keys)

    if evaluation.not_judged:
        return Msg.counted(
            NP_(
                "{count} application is not judged admissible yet: {applications}; judge it"
                ' with "comunidad fund admissibility" before proposing the award',
                "{count} applications are not judged admissible yet: {applications}; judge"
                ' them with "comunidad fund admissibility" before proposing the award',
            ),
            "count",
            count=len(evaluation.not_judged),
            applications=listed(evaluation.not_judged),
        )
    flagged = evaluation.flagged
    if flagged:
        return Msg.counted(
            NP_(
                "{count} application is flagged: {applications}; the commission settles it"
                ' (see "comunidad fund rank") before the award is proposed',
                "{count} applications are flagged: {applications}; the commission settles"
                ' them (see "comunidad fund rank") before the award is proposed',
            ),
            "count",
            count=len(flagged),
            applications=listed(flagged),
        )
    return None


def _early(
    db: Db, awarded: Awarded, bylaws_folder: Path | None, render: Callable[[Msg], str]
) -> Msg | None:
    """Before the evaluation window ends, the sheets still owed by the reviewers seated
    today (`core.early_proposal`)."""
    from comunidad_cli.services.funds.evaluation import body_seats, reviewers_body
    from comunidad_cli.storage.funds.evaluation import scores

    loaded = awarded.evaluated.loaded
    today = clock.today()
    if today > loaded.round.dates.evaluation:
        return None
    body = reviewers_body(loaded, bylaws_folder, today)
    seated = {s.person for s in body_seats(db, loaded.row.bylaws_id, body) if s.active_on(today)}
    evaluation = awarded.evaluated.evaluation
    admissible = [k for k, a in evaluation.applications.items() if a.admissible]
    recused = {a: set(found) for a, found in awarded.evaluated.recused.items()}
    missing = core.missing_sheets(
        loaded.round, admissible, seated, recused, scores(db, loaded.row.id)
    )
    return core.early_proposal(loaded.round, today, missing, _namer(awarded, render))


@dataclass(frozen=True, slots=True)
class Proposed:
    """A proposal recorded: its key, its motion, who was recused on it, the award."""

    key: str
    motion: str
    recused: tuple[str, ...]
    awarded: Awarded
    warnings: tuple[Msg, ...]


def propose(
    url: str,
    round_key: str,
    *,
    meeting: str,
    seed: str | None,
    at: datetime | str | None,
    render: Callable[[Msg], str],
    bylaws_folder: Path | None = None,
) -> Proposed:
    """Record the award proposal and open its motion in `meeting`, in one transaction.

    `render` words the motion's title and the recusals' reasons in the user's language
    (they are stored as text, as a motion typed by hand would be).
    """
    from comunidad_cli.services import facts
    from comunidad_cli.services.motions import open_motion, recuse_in
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds.awards import add_award, add_award_lines, awards
    from comunidad_cli.storage.funds.evaluation import reviewers

    if seed is not None:
        typed_text(seed, "--seed")
    now = clock.now()
    with writing_db(url) as db:
        awarded = award_in(db, round_key, seed, bylaws_folder)
        problem = _unsettled(awarded, render) or _early(db, awarded, bylaws_folder, render)
        if problem is not None:
            raise ServiceError(problem)
        loaded = awarded.evaluated.loaded
        meeting_row = facts.meeting_row(db, meeting)
        bylaws = facts.meeting_facts(db, meeting_row).bylaws
        decision = core.award_decision(loaded.round, bylaws)
        if decision is None:
            raise ServiceError.of(
                N_(
                    'the by-laws "{bylaws}" have no decision with awards = true on {body}:'
                    " add one to adopt the award of round {round}"
                ),
                bylaws=bylaws.id,
                body=loaded.round.body,
                round=loaded.row.key,
            )
        title = render(Msg.of(N_("Award of round {round}"), round=loaded.row.key))
        motion, motion_id, warnings = open_motion(
            db, meeting, decision=decision, title=title, at=at, key=None, now=now
        )
        # who is recused on the motion: every reviewer recused from an application, and
        # every seat-holder on the meeting's body whose organisation applies
        # a person's reason names the application that matters most to the award: a
        # funded one before one ranked, before one refused
        weight = {
            line["application"]: 0
            if line["outcome"] in ("funded", "partial")
            else (1 if line["rank"] is not None else 2)
            for line in lines(awarded)
        }

        def first(app: str) -> tuple[int, str]:
            return weight.get(app, 3), app

        # organisations and projects are said by their names as typed, ids beside them
        by_key = {row.key: row for row in awarded.evaluated.rows}
        reasons: dict[str, str] = {}
        for app, found in sorted(awarded.evaluated.recused.items(), key=lambda kv: first(kv[0])):
            title = by_key[app].project if app in by_key else app
            for person, why in sorted(found.items()):
                reasons.setdefault(person, render(core.recused_from(app, title, why)))
        applying: dict[str, ApplicationRow] = {}
        for row in sorted(awarded.evaluated.rows, key=lambda r: first(r.key), reverse=True):
            applying[row.organisation] = row  # the one that matters most is set last
        seated = facts.meeting_facts(db, meeting_row)
        day = seated.meeting.day
        holders = {s.person for s in seated.seats if s.active_on(day)}
        for person, (_, org) in reviewers(db, sorted(holders)).items():
            if org is not None and org in applying and person not in reasons:
                row = applying[org]
                reasons[person] = render(
                    core.tie_reason(org, row.organisation_name, row.key, row.project)
                )
        recused = []
        for person in sorted(reasons):
            if person in holders:
                recuse_in(db, motion, person, reasons[person], at, now, command=f"{COMMAND} award")
                recused.append(person)
        count = len(awards(db, loaded.row.id))
        key = f"{loaded.row.key}-{count + 1}"
        record = snapshot(awarded)
        record["motion"] = motion
        award_id = add_award(
            db,
            key=key,
            round_id=loaded.row.id,
            round_text_id=loaded.text.id,
            mode=awarded.award.mode,
            seed=awarded.evaluated.evaluation.seed,
            motion_id=motion_id,
            snapshot=json.dumps(record, ensure_ascii=False, sort_keys=True),
            proposed_at=now,
        )
        ids = {r.key: r.id for r in awarded.evaluated.rows}
        add_award_lines(
            db,
            award_id,
            [
                (
                    ids[line["application"]],
                    line["rank"],
                    line["score"],
                    line["given"],
                    line["outcome"],
                )
                for line in lines(awarded)
            ],
        )
        audit.record(
            db,
            command=f"{COMMAND} award",
            action="create",
            entity="fund_award",
            entity_id=key,
            detail={
                "round": loaded.row.key,
                "motion": motion,
                "mode": awarded.award.mode,
                "seed": awarded.evaluated.evaluation.seed,
                "given": awarded.award.given,
            },
            at=now,
        )
    return Proposed(key, motion, tuple(recused), awarded, warnings)


def list_awards(url: str, round_key: str) -> list[dict[str, Any]]:
    """`fund awards`: a round's proposals, oldest first, and whether each stands (its
    motion adopted)."""
    from comunidad_cli.services.facts import aware
    from comunidad_cli.services.funds.evaluation import round_in_force
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.funds.awards import award_lines, awards

    with reading_db(url) as db:
        loaded = round_in_force(db, round_key)
        found = []
        for row in awards(db, loaded.row.id):
            given = [
                (app, rank, score, amount, outcome)
                for app, rank, score, amount, outcome in award_lines(db, row.id)
            ]
            found.append(
                {
                    "award": row.key,
                    "proposed_at": aware(row.proposed_at).astimezone(clock.zone()),
                    "mode": row.mode,
                    "seed": row.seed,
                    "motion": row.motion,
                    "outcome": row.outcome,
                    "stands": row.outcome == "adopted",
                    "funded": sum(1 for *_, o in given if o in ("funded", "partial")),
                    "given": sum((a for _, _, _, a, _ in given), Decimal(0)),
                    "lines": [
                        {
                            "application": app,
                            "rank": rank,
                            "score": score,
                            "amount": amount,
                            "outcome": outcome,
                        }
                        for app, rank, score, amount, outcome in given
                    ],
                }
            )
    return found
