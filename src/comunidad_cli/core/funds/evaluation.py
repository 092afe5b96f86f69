"""The evaluation of a round, pure: who reviews, who is recused, which score may be taken,
and the round's applications scored, flagged and ranked from the stored facts.

Reviewers are the people holding a seat, on the scoring day, on the round's
`reviewers_body`; without it, on the body of the by-laws decision that evaluates (one with
`recusal = true` and `awards = false` on a body under the round's own: `evaluar_postulaciones`
on `comision_evaluadora` in `bylaws/directorio-local.toml`), else on the round's body.

A reviewer is recused from an application automatically when the directory shows a tie (the
reviewer's organisation is the applying one) and by declaration (`fund recuse`). Scores are
taken when dated inside the round's evaluation window (`evaluation_window`: the day after
applications close to the `evaluation` date, inclusive), whenever they are typed in; a
later score for the same application, reviewer and criterion is a new row that replaces the
earlier one in the totals, and the earlier stays as history. Only admissible applications
are scored. Once an award is proposed the evaluation is closed (`closed_by_award`): what the
award was made from stays as it was, until a motion rejects the proposal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.funds import scoring
from comunidad_cli.core.funds.ranking import Candidate, Ranking, rank
from comunidad_cli.core.funds.round import Round
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.messages import N_, NP_, Msg

#: The outcome codes of an award line (`fund_award_line.outcome`).
OUTCOMES = ("funded", "partial", "not_funded", "below_minimum", "inadmissible")


def reviewers_body(round_: Round, bylaws: Bylaws | None) -> str:
    """The body whose seat-holders score the round's applications (see the module)."""
    if round_.reviewers_body is not None:
        return round_.reviewers_body
    if bylaws is not None:
        for decision in bylaws.decisions.values():
            body = bylaws.bodies.get(decision.body or "")
            if (
                body is not None
                and decision.recusal
                and not decision.awards
                and body.parent == round_.body
            ):
                return body.id
    return round_.body


def award_decision(round_: Round, bylaws: Bylaws) -> str | None:
    """The by-laws decision that adopts an award: `awards = true` on the round's body."""
    return next(
        (d.id for d in bylaws.decisions.values() if d.awards and d.body == round_.body), None
    )


def is_reviewer(seats: Iterable[Seat], person: str, body: str, day: date) -> bool:
    """`person` holds a seat on `body` on `day` (of any class)."""
    return any(s.person == person and s.body == body and s.active_on(day) for s in seats)


def tie_reason(organisation: str, name: str, application: str, title: str) -> Msg:
    """Why a reviewer is recused without declaring it: the directory shows the tie (a
    member of the organisation, as neighbours are of their junta, not necessarily staff).
    The organisation is said by its name and the application by its project's title, as
    typed, each with its id beside it for the secretary. A recusal is stored as the words
    it was said in (on the motion, in the minutes), so one recorded before these names
    reads as it was written."""
    return Msg.of(
        N_('belongs to {name} ({organisation}), which applies with "{title}" ({application})'),
        organisation=organisation,
        name=name or organisation,
        application=application,
        title=title or application,
    )


def recused_from(application: str, title: str, reason: Msg | str) -> Msg:
    """A reviewer recused from one application, said on the award's motion: the project's
    title as typed, its id beside it, and why."""
    return Msg.of(
        N_('recused from "{title}" ({application}): {reason}'),
        application=application,
        title=title or application,
        reason=reason,
    )


#: The outcomes of an award's motion that free the evaluation again (the proposal fell).
FALLEN = ("rejected", "no_quorum")


def closed_by_award(
    round_key: str, proposals: Iterable[tuple[str, str | None, str | None]]
) -> Msg | None:
    """Why the round's scores, recusals and consensus notes can no longer change, or None:
    `proposals` are (award, motion, the motion's outcome or None while open). A proposal
    adopted or still to be voted closes them; one its motion rejected does not."""
    for award, motion, outcome in proposals:
        if outcome in FALLEN:
            continue
        if outcome == "adopted":
            return Msg.of(
                N_(
                    "the award {award} of round {round} was adopted (motion {motion}): the"
                    " scores, recusals and notes it was made from stay as they were"
                ),
                award=award,
                round=round_key,
                motion=motion or "-",
            )
        return Msg.of(
            N_(
                "the award {award} of round {round} is proposed (motion {motion}, not voted"
                " yet): scores, recusals and notes are closed; if the motion is rejected they"
                " open again for a new proposal"
            ),
            award=award,
            round=round_key,
            motion=motion or "-",
        )
    return None


def missing_sheets(
    round_: Round,
    admissible: Iterable[str],
    seated: Iterable[str],
    recused: Mapping[str, Collection[str]],
    scores: Iterable[tuple[str, str, str, int]],
) -> list[tuple[str, str]]:
    """(application, reviewer) pairs still owed: a reviewer seated and not recused from an
    admissible application who has not scored every criterion of the rubric on it."""
    given: dict[tuple[str, str], set[str]] = {}
    for application, reviewer, criterion, _ in scores:
        given.setdefault((application, reviewer), set()).add(criterion)
    wanted = {c.id for c in round_.criteria}
    return [
        (app, person)
        for app in sorted(admissible)
        for person in sorted(set(seated))
        if person not in recused.get(app, ()) and not wanted <= given.get((app, person), set())
    ]


def early_proposal(
    round_: Round,
    day: date,
    missing: Sequence[tuple[str, str]],
    named: Callable[[str], str] = str,
) -> Msg | None:
    """Why an award cannot be proposed on `day`, or None. Proposing closes the evaluation
    (`closed_by_award`), so before the evaluation window ends it is refused while a
    reviewer entitled to score still owes a sheet: nobody is shut out of their own
    window. After it ends, what was scored is what counts. `named` words an application
    in the list of sheets (its id and its project's title, at the edge's word)."""
    if day > round_.dates.evaluation or not missing:
        return None
    return Msg.counted(
        NP_(
            "the evaluation of round {round} runs until {end} and {count} sheet is still owed"
            " ({sheets}): propose the award once it is scored or after {end}",
            "the evaluation of round {round} runs until {end} and {count} sheets are still"
            " owed ({sheets}): propose the award once they are scored or after {end}",
        ),
        "count",
        round=round_.id,
        end=round_.dates.evaluation,
        count=len(missing),
        sheets=", ".join(f"{person}: {named(app)}" for app, person in missing),
    )


@dataclass(frozen=True, slots=True)
class Application:
    """An application as the evaluation sees it; `admissible` None: not yet judged."""

    key: str
    organisation: str
    amount: Decimal
    priority: str | None
    submitted: datetime
    admissible: bool | None
    #: The project's title as typed (said beside the id in ties and explanations).
    title: str = ""


def evaluation_window(round_: Round) -> tuple[date, date]:
    """The days a score may be dated: from the day after applications close (when
    admissibility can first be judged) to the round's `evaluation` date, inclusive."""
    return round_.dates.applications_close + timedelta(days=1), round_.dates.evaluation


def score_day_problem(round_: Round, day: date) -> Msg | None:
    """Why a score dated `day` is outside the round's evaluation window, or None. The day
    is the one the sheet was scored on (`fund score --on`), not the day it is typed in."""
    start, end = evaluation_window(round_)
    if start <= day <= end:
        return None
    return Msg.of(
        N_(
            "round {round} takes scores dated from {start} to {end}: {day} is outside that"
            " window (a paper sheet scored inside it is typed with --on DATE)"
        ),
        round=round_.id,
        start=start,
        end=end,
        day=day,
    )


def score_refusal(
    round_: Round,
    application: Application,
    reviewer: str,
    criterion: str,
    points: int,
    *,
    body: str,
    seated: bool,
    recused: Msg | str | None,
    day: date,
) -> Msg | None:
    """Why this score cannot be taken, or None: in this order, the evaluation is over, the
    application is not (yet) admissible, the reviewer holds no seat on `body`, is recused,
    the criterion is not the rubric's, the points are off its scale."""
    outside = score_day_problem(round_, day)
    if outside is not None:
        return outside
    if application.admissible is None:
        return Msg.of(
            N_(
                'application "{application}" has not been judged admissible yet: judge it'
                ' with "comunidad fund admissibility" first'
            ),
            application=application.key,
        )
    if not application.admissible:
        return Msg.of(
            N_('application "{application}" is not admissible: it is not scored'),
            application=application.key,
        )
    if not seated:
        return Msg.of(
            N_("{reviewer} holds no seat on {body} on {day}: only its members score round {round}"),
            reviewer=reviewer,
            body=body,
            day=day,
            round=round_.id,
        )
    if recused is not None:
        return Msg.of(
            N_('{reviewer} is recused from "{application}" ({reason}): their score is not taken'),
            reviewer=reviewer,
            application=application.key,
            reason=recused,
        )
    found = round_.criterion(criterion)
    if found is None:
        return Msg.of(
            N_('round {round} has no criterion "{criterion}": the criteria are {criteria}'),
            round=round_.id,
            criterion=criterion,
            criteria=", ".join(c.id for c in round_.criteria),
        )
    if points not in found.scale.points:
        return Msg.of(
            N_("{points} is off the scale of {criterion}: give {low} to {high}"),
            points=points,
            criterion=criterion,
            low=found.scale.min,
            high=found.scale.max,
        )
    return None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A round's applications scored and ranked, with what the commission must look at.

    `flags`: per application, too few reviewers counted, or reviewers' totals further apart
    than `max_spread` with no consensus note; `incomplete`: sheets left out (a criterion
    without points, ...); `not_judged`: applications without an admissibility judgement,
    kept out of the ranking.
    """

    sheet: scoring.ScoreSheet
    ranking: Ranking
    flags: Mapping[str, tuple[Msg, ...]]
    not_judged: tuple[str, ...]
    seed: str | None
    applications: Mapping[str, Application] = field(default_factory=dict)

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(a for a, found in self.flags.items() if found)


def rubric(round_: Round) -> tuple[scoring.Criterion, ...]:
    """The round's criteria as scoring takes them."""
    return tuple(
        scoring.Criterion(c.id, c.weight, c.scale.min, c.scale.max) for c in round_.criteria
    )


def priority_rank(
    round_: Round, priority: str | None, plan_ranks: Mapping[str, int] | None = None
) -> int | None:
    """The plan priority's rank (1 first), None when the application serves none of the
    round's priorities: its need's rank in the improvement plan in force when the round was
    called (`plan_ranks`), else, with no plan in force then, its place in `serves`."""
    if priority is None or priority not in round_.serves:
        return None
    if plan_ranks:
        return plan_ranks.get(priority)
    return round_.serves.index(priority) + 1


def evaluate(
    round_: Round,
    applications: Iterable[Application],
    sheets: Mapping[tuple[str, str], Mapping[str, int]],
    recused: Mapping[str, Collection[str]],
    noted: Iterable[str],
    seed: str | None,
    plan_ranks: Mapping[str, int] | None = None,
) -> Evaluation:
    """Score, flag and rank: `sheets` are the standing points, (application, reviewer) ->
    criterion -> points, `recused` application -> its recused reviewers (declared and
    ties), `noted` the applications with a consensus note. A chain with the lottery needs
    `seed`. `plan_ranks`: the needs' ranks in the plan in force when the round was called
    (see `priority_rank`)."""
    apps = {a.key: a for a in applications}
    judged = [a for a in apps.values() if a.admissible is not None]
    admissible = [a.key for a in judged if a.admissible]
    scored_ones = set(admissible)
    reviews = [
        scoring.Review(app, reviewer, MappingProxyType(points), reviewer in recused.get(app, {}))
        for (app, reviewer), points in sorted(sheets.items())
        if app in scored_ones and points
    ]
    sheet = scoring.score_applications(
        rubric(round_),
        admissible,
        reviews,
        reviewers_required=round_.reviewers_per_application,
        max_spread=round_.max_spread,
    )
    scored = sheet.by_application()
    notes = set(noted)
    flags: dict[str, tuple[Msg, ...]] = {}
    candidates = []
    for a in judged:
        s = scored.get(a.key)
        if s is not None:
            found = s.flags
            if s.spread_flagged and a.key in notes:  # the note settles the spread
                found = tuple(f for f in found if "{spread}" not in f.text)
            flags[a.key] = found
        candidates.append(
            Candidate(
                a.key,
                s.score if s is not None else None,
                a.amount,
                admissible=bool(a.admissible),
                priority=priority_rank(round_, a.priority, plan_ranks),
                criteria=s.criteria if s is not None else MappingProxyType({}),
                submitted=a.submitted,
                title=a.title,
            )
        )
    ranking = rank(candidates, min_score=round_.min_score, tie_break=round_.tie_break, seed=seed)
    return Evaluation(
        sheet,
        ranking,
        MappingProxyType(flags),
        tuple(a.key for a in apps.values() if a.admissible is None),
        seed,
        MappingProxyType(apps),
    )


def outcome(candidate: Candidate, funded: bool, partial: bool, ranked: bool) -> str:
    """The outcome code of an award line (one of `OUTCOMES`)."""
    if ranked:
        return ("partial" if partial else "funded") if funded else "not_funded"
    if not candidate.admissible:
        return "inadmissible"
    if candidate.score is None:
        return "not_funded"
    return "below_minimum"


def exact(value: Fraction | None) -> str | None:
    """A score as stored: the exact fraction as text ("41/10"), None when there is none."""
    if value is None:
        return None
    return str(value.numerator) if value.denominator == 1 else f"{value}"
