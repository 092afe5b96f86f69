"""The evaluation of a round: recusals, scores and consensus notes written, and the round
scored and ranked from what is stored (`core/funds/evaluation.py` judges; one transaction
per command, with its audit row)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from comunidad_cli import clock
from comunidad_cli.core.funds import evaluation as core
from comunidad_cli.core.funds.round import Round
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError, typed_text
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.funds.applications import ApplicationRow
from comunidad_cli.storage.funds.rounds import RoundRow, RoundText

COMMAND = "fund"


@dataclass(frozen=True, slots=True)
class InForce:
    """A round as stored with the text of its file in force, read into its model."""

    row: RoundRow
    text: RoundText
    round: Round


def round_in_force(db: Db, key: str) -> InForce:
    """The round `key` and its file's text in force, or a refusal naming the round."""
    from comunidad_cli.services.funds.round_files import round_of_text
    from comunidad_cli.storage.funds.rounds import latest_text, round_by_key

    row = round_by_key(db, key)
    if row is None:
        from comunidad_cli.services.funds.suggest import no_round

        raise ServiceError(
            no_round(db, key) or Msg.of(N_('no round "{round}" has been opened'), round=key)
        )
    text = latest_text(db, row.id)
    if text is None:
        raise ServiceError.of(
            N_('round "{round}" has no valid file text stored: open it again'), round=key
        )
    return InForce(row, text, round_of_text(text.content, key))


def application_row(db: Db, key: str) -> ApplicationRow:
    from comunidad_cli.storage.funds.applications import application_by_key

    found = application_by_key(db, key)
    if found is None:
        from comunidad_cli.services.funds.suggest import no_application

        raise ServiceError(
            no_application(db, key) or Msg.of(N_('no application "{application}"'), application=key)
        )
    return found


def round_of(db: Db, application: ApplicationRow) -> InForce:
    from comunidad_cli.storage.funds.rounds import rounds

    key = next(r.key for r in rounds(db) if r.id == application.round_id)
    return round_in_force(db, key)


def bylaws_of(folder: Path | None, bylaws_id: str, today: date) -> object | None:
    """The round's by-laws from the workspace's folder, None when they cannot be read
    (only the default reviewers' body needs them)."""
    if folder is None:
        return None
    from comunidad_cli.services.bylaws import in_workspace

    try:
        return in_workspace(folder, bylaws_id, today).model
    except ServiceError:
        return None


def reviewers_body(loaded: InForce, folder: Path | None, today: date) -> str:
    from comunidad_cli.core.bylaws.model import Bylaws

    bylaws = bylaws_of(folder, loaded.row.bylaws_id, today)
    return core.reviewers_body(loaded.round, bylaws if isinstance(bylaws, Bylaws) else None)


def body_seats(db: Db, bylaws_id: str, body: str) -> list[Seat]:
    from comunidad_cli.storage.governance import seats

    return [Seat(p, b, c, s, e, r) for _, p, b, c, s, e, r in seats(db, bylaws_id, body)]


def judged(db: Db, round_id: int) -> dict[int, bool]:
    from comunidad_cli.storage.funds.evaluation import admissibility

    return admissibility(db, round_id)


def as_application(
    row: ApplicationRow, admissible: Mapping[int, bool], digits: int | None = None
) -> core.Application:
    """The application as the evaluation sees it; its amount in the currency's `digits`
    (pesos have none) when it has no more than those, as stored amounts carry cents."""
    amount = row.amount
    if digits is not None:
        shown = amount.quantize(Decimal(1).scaleb(-digits))
        if shown == amount:
            amount = shown
    return core.Application(
        row.key,
        row.organisation,
        amount,
        row.priority,
        row.submitted_at,
        admissible.get(row.id),
        row.project,
    )


def recusals_of(
    db: Db, round_id: int, applications: Iterable[ApplicationRow], reviewers: Iterable[str]
) -> dict[str, dict[str, Msg | str]]:
    """Application -> reviewer -> why recused: declared (the reason as typed) and the ties
    the directory shows for `reviewers` (a `Msg`)."""
    from comunidad_cli.storage.funds.evaluation import recusals
    from comunidad_cli.storage.funds.evaluation import reviewers as people

    found: dict[str, dict[str, Msg | str]] = {}
    orgs = people(db, list(reviewers))
    for a in applications:
        for person, (_, org) in orgs.items():
            if org is not None and org == a.organisation:
                found.setdefault(a.key, {})[person] = core.tie_reason(
                    org, a.organisation_name, a.key, a.project
                )
    for app, person, reason in recusals(db, round_id):
        found.setdefault(app, {})[person] = reason
    return found


def refuse_when_awarded(db: Db, loaded: InForce) -> None:
    """Refuse changing the evaluation once an award proposal stands or awaits its vote
    (`core.closed_by_award`): what was closed stays as it was."""
    from comunidad_cli.storage.funds.awards import awards

    closed = core.closed_by_award(
        loaded.row.key, [(a.key, a.motion, a.outcome) for a in awards(db, loaded.row.id)]
    )
    if closed is not None:
        raise ServiceError(closed)


def recuse(
    url: str, application_key: str, reviewer: str, reason: str, by: str | None = None
) -> None:
    """A reviewer declares a conflict of interest with an application: from now on their
    scores on it are refused, and they are recused on the award's motion."""
    from comunidad_cli.services.facts import person_id
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds.evaluation import add_recusal, recusals

    if not reason.strip():
        raise ServiceError.of(N_("say why the reviewer recuses (--reason)"), exit_code=2)
    typed_text(reason, "--reason")
    now = clock.now()
    with writing_db(url) as db:
        application = application_row(db, application_key)
        refuse_when_awarded(db, round_of(db, application))
        pid = person_id(db, reviewer)
        if any(
            a == application_key and p == reviewer for a, p, _ in recusals(db, application.round_id)
        ):
            raise ServiceError.of(
                N_('{reviewer} has already recused from "{application}"'),
                reviewer=reviewer,
                application=application_key,
            )
        add_recusal(
            db,
            application_id=application.id,
            person_id=pid,
            reason=reason.strip(),
            declared_at=now,
        )
        audit.record(
            db,
            command=f"{COMMAND} recuse",
            action="create",
            entity="fund_recusal",
            entity_id=application_key,
            detail={"reviewer": reviewer, "reason": reason.strip()},
            at=now,
            actor=by,
        )


def score(
    url: str,
    bylaws_folder: Path | None,
    application_key: str,
    reviewer: str,
    points: Sequence[tuple[str, int]],
    by: str | None = None,
    on: date | None = None,
) -> int:
    """Record a reviewer's points on one or more criteria of an application, scored on the
    day `on` (default today; a paper sheet typed in later keeps its own day), checked
    against the round's evaluation window and the reviewer's seat that day. A later score
    on the same criterion is a new row: it stands, the earlier stays as history. The row's
    instant is when it was recorded; the day given is kept in the audit row."""
    from comunidad_cli.services.facts import person_id
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds.evaluation import add_scores

    if not points:
        raise ServiceError.of(N_("give at least one --criterion C=N"), exit_code=2)
    now = clock.now()
    today = clock.today()
    day = today if on is None else on
    if day > today:
        raise ServiceError.of(
            N_("{option}: {day} is in the future (today is {today})"),
            option="--on",
            day=day,
            today=today,
        )
    with writing_db(url) as db:
        application = application_row(db, application_key)
        loaded = round_of(db, application)
        refuse_when_awarded(db, loaded)
        pid = person_id(db, reviewer)
        body = reviewers_body(loaded, bylaws_folder, today)
        seated = core.is_reviewer(body_seats(db, loaded.row.bylaws_id, body), reviewer, body, day)
        recused = recusals_of(db, loaded.row.id, [application], [reviewer])
        app = as_application(application, judged(db, loaded.row.id))
        seen: set[str] = set()
        for criterion, given in points:
            if criterion in seen:
                raise ServiceError.of(
                    N_('criterion "{criterion}" is given twice'), exit_code=2, criterion=criterion
                )
            seen.add(criterion)
            refusal = core.score_refusal(
                loaded.round,
                app,
                reviewer,
                criterion,
                given,
                body=body,
                seated=seated,
                recused=recused.get(application_key, {}).get(reviewer),
                day=day,
            )
            if refusal is not None:
                raise ServiceError(refusal)
        add_scores(db, [(application.id, pid, c, p, now) for c, p in points])
        audit.record(
            db,
            command=f"{COMMAND} score",
            action="create",
            entity="fund_score",
            entity_id=application_key,
            detail={"reviewer": reviewer, "points": dict(points), "on": day},
            at=now,
            actor=by,
        )
    return len(points)


def note(url: str, application_key: str, text: str, by: str, criterion: str | None = None) -> None:
    """Record the reviewers' consensus note on an application (on one criterion or all):
    it settles a spread flag; the note is kept as typed."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds.evaluation import add_note

    if not text.strip():
        raise ServiceError.of(N_("write the note (--text)"), exit_code=2)
    typed_text(text, "--text")
    if not by.strip():
        raise ServiceError.of(N_("say who writes the note (--by)"), exit_code=2)
    typed_text(by, "--by")
    now = clock.now()
    with writing_db(url) as db:
        application = application_row(db, application_key)
        loaded = round_of(db, application)
        refuse_when_awarded(db, loaded)
        if criterion is not None and loaded.round.criterion(criterion) is None:
            raise ServiceError.of(
                N_('round {round} has no criterion "{criterion}": the criteria are {criteria}'),
                round=loaded.round.id,
                criterion=criterion,
                criteria=", ".join(c.id for c in loaded.round.criteria),
            )
        add_note(
            db,
            application_id=application.id,
            criterion=criterion,
            text=text,
            noted_at=now,
            by=by.strip(),
        )
        audit.record(
            db,
            command=f"{COMMAND} note",
            action="create",
            entity="fund_consensus_note",
            entity_id=application_key,
            detail={"criterion": criterion, "text": text},
            at=now,
            actor=by,
        )


def draw_seed() -> str:
    """A fresh lottery seed, shown so that it can be recorded and the draw redone."""
    import secrets  # only when drawn: it loads `random`

    return secrets.token_hex(4)


@dataclass(frozen=True, slots=True)
class Evaluated:
    """A round evaluated: the round in force, the evaluation, whether the seed was drawn
    now, and the names of the applying organisations."""

    loaded: InForce
    evaluation: core.Evaluation
    seed_drawn: bool
    rows: tuple[ApplicationRow, ...]
    #: application -> reviewer -> why recused (as typed, or the tie as a message)
    recused: Mapping[str, Mapping[str, Msg | str]]


def evaluate_in(
    db: Db, round_key: str, seed: str | None, bylaws_folder: Path | None = None
) -> Evaluated:
    """Score and rank a round from what is stored, inside the caller's transaction; the
    reviewers are those who scored and those seated on the reviewers' body today (their
    ties with applying organisations shown as recusals)."""
    from comunidad_cli.storage.funds.applications import applications
    from comunidad_cli.storage.funds.evaluation import notes, standing_sheets

    loaded = round_in_force(db, round_key)
    drawn = False
    if seed is None and "lottery" in loaded.round.tie_break:
        seed, drawn = draw_seed(), True
    from comunidad_cli.services.funds.admissibility import withdrawn_ids

    gone = withdrawn_ids(db, loaded.row.id)  # withdrawn: neither judged nor ranked
    rows = [r for r in applications(db, loaded.row.id) if r.id not in gone]
    admissible = judged(db, loaded.row.id)
    standing = standing_sheets(db, loaded.row.id)
    today = clock.today()
    body = reviewers_body(loaded, bylaws_folder, today)
    seated = {s.person for s in body_seats(db, loaded.row.bylaws_id, body) if s.active_on(today)}
    reviewers = sorted({r for _, r in standing} | seated)
    recused = recusals_of(db, loaded.row.id, rows, reviewers)
    from comunidad_cli.services.funds.round_files import _currency_digits
    from comunidad_cli.services.plans.versions import needs_in_force_db, ranks

    digits = _currency_digits(loaded.round.currency)
    needs = needs_in_force_db(
        db, loaded.row.body, loaded.round.dates.call, bylaws_id=loaded.row.bylaws_id
    )
    result = core.evaluate(
        loaded.round,
        [as_application(r, admissible, digits) for r in rows],
        standing,
        {a: set(found) for a, found in recused.items()},
        {n.application for n in notes(db, loaded.row.id)},
        seed,
        ranks(needs),
    )
    return Evaluated(loaded, result, drawn, tuple(rows), recused)


def evaluate_round(
    url: str, round_key: str, seed: str | None = None, bylaws_folder: Path | None = None
) -> Evaluated:
    """`fund rank`: the round scored and ranked (a reading transaction)."""
    from comunidad_cli.services.session import reading_db

    if seed is not None:
        typed_text(seed, "--seed")
    with reading_db(url) as db:
        return evaluate_in(db, round_key, seed, bylaws_folder)
