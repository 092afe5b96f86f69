"""Where a round stands and the next command to type, derived from its data (pure).

A round goes: applications window (not open yet, then open until its close) ->
admissibility of every application -> appeals decided -> reviewers' scores (recusals,
consensus notes settling flags) -> rank and award -> the award proposed as a motion under
the by-laws' award decision -> adopted -> each funded project made a subcontract -> its
report, acta, results and letters. `stage` says which step a round is at from the facts
the service loads (`services/funds/stage.py`), so that a coordinator follows it without the
README; `fund show` and `summary` print it, and `--json` keeps its stable `code`
(`STAGES`) and counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from comunidad_cli.core.funds.round import Dates
from comunidad_cli.core.messages import N_, NP_, Msg

#: The stage codes, in the order a round goes through them (`--json`'s `stage.code`).
STAGES = (
    "not_open",
    "open",
    "no_applications",
    "not_judged",
    "appeals",
    "none_admissible",
    "scoring",
    "flagged",
    "ready",
    "proposed",
    "adopted",
    "contracted",
)


@dataclass(frozen=True, slots=True)
class Proposal:
    """The latest award proposal that has not fallen: its motion's outcome None while it
    is not voted, "adopted" once it stands; the by-laws decision the motion is under."""

    award: str
    motion: str | None
    outcome: str | None
    decision: str | None


@dataclass(frozen=True, slots=True)
class RoundFacts:
    """What the stage is read from. Counts leave withdrawn applications out.

    `missing`: (application, reviewer) sheets still owed by seated, non-recused reviewers
    on admissible applications; `flagged`: applications flagged (too few reviewers, totals
    too far apart without a consensus note); `funded`/`contracted`: the adopted award's
    funded projects and those already made subcontracts.
    """

    round: str
    today: date
    dates: Dates
    applications: int = 0
    not_judged: int = 0
    appeals_pending: int = 0
    admissible: int = 0
    missing: tuple[tuple[str, str], ...] = ()
    flagged: int = 0
    proposal: Proposal | None = None
    grant: str | None = None
    funded: int = 0
    contracted: int = 0


@dataclass(frozen=True, slots=True)
class Stage:
    """A round's stage: its code (one of `STAGES`), the counts behind it, where it stands
    in words and the next command to type (None when nothing is left to do)."""

    code: str
    text: Msg
    next: Msg | None
    counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


def _counted(forms: tuple[str, str], count: int, **params: object) -> Msg:
    return Msg.counted(forms, "count", count=count, **params)


def _apply_next(key: str) -> Msg:
    return Msg.of(
        N_("comunidad fund apply {round} --org ORG --project TITLE --amount MONEY"), round=key
    )


def stage(facts: RoundFacts) -> Stage:
    """The step `facts.round` is at (see the module), with the next command."""
    key, d = facts.round, facts.dates
    counts = {
        "applications": facts.applications,
        "not_judged": facts.not_judged,
        "appeals_pending": facts.appeals_pending,
        "admissible": facts.admissible,
        "flagged": facts.flagged,
        "funded": facts.funded,
        "contracted": facts.contracted,
    }
    proposal = facts.proposal
    if proposal is not None and proposal.outcome == "adopted":
        left = facts.funded - facts.contracted
        if left > 0:
            next_step = (
                Msg.of(N_("comunidad fund contract {round}"), round=key)
                if facts.grant is not None
                else Msg.of(N_("comunidad fund open FILE --grant GRANT"))
            )
            return _stage(
                "adopted",
                _counted(
                    NP_(
                        "award {award} adopted by motion {motion}: {count} funded project"
                        " not contracted yet",
                        "award {award} adopted by motion {motion}: {count} funded projects"
                        " not contracted yet",
                    ),
                    left,
                    award=proposal.award,
                    motion=proposal.motion or "-",
                ),
                next_step,
                counts,
            )
        return _stage(
            "contracted",
            _counted(
                NP_(
                    "award {award} adopted by motion {motion}: its funded project is contracted",
                    "award {award} adopted by motion {motion}: its {count} funded projects"
                    " are contracted",
                ),
                facts.funded,
                award=proposal.award,
                motion=proposal.motion or "-",
            ),
            Msg.of(N_("comunidad fund report {round}"), round=key),
            counts,
        )
    if proposal is not None:
        return _stage(
            "proposed",
            Msg.of(
                N_(
                    "award {award} proposed, awaiting the motion {motion} under the decision"
                    " {decision}"
                ),
                award=proposal.award,
                motion=proposal.motion or "-",
                decision=proposal.decision or "-",
            ),
            Msg.of(
                N_(
                    "comunidad motion vote {motion} --person PERSON --choice CHOICE, then"
                    " comunidad motion close {motion}"
                ),
                motion=proposal.motion or "-",
            ),
            counts,
        )
    if facts.today < d.applications_open:
        return _stage(
            "not_open",
            Msg.of(
                N_("applications not open yet: from {start} to {end}"),
                start=d.applications_open,
                end=d.applications_close,
            ),
            _apply_next(key),
            counts,
        )
    if facts.today <= d.applications_close:
        return _stage(
            "open",
            _counted(
                NP_(
                    "applications open until {end}: {count} received",
                    "applications open until {end}: {count} received",
                ),
                facts.applications,
                end=d.applications_close,
            ),
            _apply_next(key),
            counts,
        )
    if facts.applications == 0:
        return _stage(
            "no_applications",
            Msg.of(N_("applications closed on {end} with none received"), end=d.applications_close),
            None,
            counts,
        )
    if facts.not_judged:
        return _stage(
            "not_judged",
            _counted(
                NP_(
                    "applications closed on {end}; {count} application not judged yet",
                    "applications closed on {end}; {count} applications not judged yet",
                ),
                facts.not_judged,
                end=d.applications_close,
            ),
            Msg.of(N_("comunidad fund admissibility {round} --by NAME"), round=key),
            counts,
        )
    if facts.appeals_pending:
        return _stage(
            "appeals",
            _counted(
                NP_("{count} appeal to decide", "{count} appeals to decide"),
                facts.appeals_pending,
            ),
            Msg.of(
                N_(
                    "comunidad fund decide-appeal APPLICATION --admit --reason TEXT --by NAME"
                    " (or --refuse)"
                )
            ),
            counts,
        )
    if not facts.admissible:
        return _stage(
            "none_admissible",
            Msg.of(N_("no application is admissible: nothing to score or award")),
            None,
            counts,
        )
    if facts.missing and facts.today <= d.evaluation:
        applications = sorted({a for a, _ in facts.missing})
        reviewers = sorted({r for _, r in facts.missing})
        counts["lacking_scores"] = len(applications)
        counts["reviewers_owing"] = len(reviewers)
        first_app, first_reviewer = sorted(facts.missing)[0]
        return _stage(
            "scoring",
            _counted(
                NP_(
                    "{count} admissible application lacks scores from {reviewers} (evaluation"
                    " until {end})",
                    "{count} admissible applications lack scores from {reviewers} (evaluation"
                    " until {end})",
                ),
                len(applications),
                reviewers=_counted(NP_("{count} reviewer", "{count} reviewers"), len(reviewers)),
                end=d.evaluation,
            ),
            Msg.of(
                N_("comunidad fund score {application} --reviewer {reviewer} --criterion C=N"),
                application=first_app,
                reviewer=first_reviewer,
            ),
            counts,
        )
    if facts.flagged:
        return _stage(
            "flagged",
            _counted(
                NP_(
                    "{count} application is flagged: too few reviewers, or totals too far"
                    " apart without a consensus note",
                    "{count} applications are flagged: too few reviewers, or totals too far"
                    " apart without a consensus note",
                ),
                facts.flagged,
            ),
            Msg.of(N_("comunidad fund rank {round} --explain"), round=key),
            counts,
        )
    return _stage(
        "ready",
        _counted(
            NP_(
                "ready to rank and award: {count} admissible application",
                "ready to rank and award: {count} admissible applications",
            ),
            facts.admissible,
        ),
        Msg.of(N_("comunidad fund award {round} --propose --meeting MEETING"), round=key),
        counts,
    )


def _stage(code: str, text: Msg, next_step: Msg | None, counts: Mapping[str, int]) -> Stage:
    assert code in STAGES, code
    return Stage(code, text, next_step, MappingProxyType(dict(counts)))
