"""A round's outputs as documents in the reader's language: the award record (acta de
adjudicación) and the words the public results and letters share with it (those two are
`render/fund_results.py`).

They are drawn as the minutes' blocks (`render/minutes.py`), so Markdown and the printable,
self-contained HTML come from one list and people's text is escaped there (printed as
typed). The public results carry no reviewer's name and no reviewer's score: only the
application's own figures; the letters give each criterion's mean, never who gave what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.i18n import (
    _,
    current_language,
    fill,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_value,
    message_text,
    translated,
)
from comunidad_cli.render.minutes import Block, Bullets, Heading, Para, Table
from comunidad_cli.render.tally import explain_tally, outcome_label, outcome_name
from comunidad_cli.services.funds.outputs import Line, Outputs
from comunidad_cli.services.minutes import MinutesData

#: An award line's outcome in words (JSON and CSV keep the code).
OUTCOMES = {
    "funded": N_("funded"),
    "partial": N_("funded in part"),
    "not_funded": N_("not funded"),
    "below_minimum": N_("below the minimum score"),
    "inadmissible": N_("not admissible"),
}

#: The columns of the public results (CSV header and JSON keys): no reviewer anywhere.
RESULT_FIELDS = (
    "application",
    "organisation",
    "project",
    "priority",
    "admissible",
    "rank",
    "score",
    "score_shown",
    "asked",
    "awarded",
    "outcome",
)


def text_in(texts: Mapping[str, str], fallback: str) -> str:
    """A text of the round file in the reader's language (else the first it has)."""
    return texts.get(current_language()) or next(iter(texts.values()), fallback)


def _say(value: Msg | str) -> str:
    return value if isinstance(value, str) else message_text(value)


def score_text(score: Fraction | None) -> str:
    """A score rounded to two decimals, the locale's way (the exact fraction is kept)."""
    from comunidad_cli.core.funds.scoring import shown_score

    return "—" if score is None else format_number(shown_score(score), 2)


def money_in(outputs: Outputs, amount: Decimal) -> str:
    return format_money(amount, outputs.round.currency)


#: A round's award mode in words (the file, JSON and the database keep the code).
AWARD_MODES = {
    "skip": N_("skip: an application that does not fit is passed over for the next"),
    "stop": N_("stop: the award stops at the first application that does not fit"),
    "partial": N_("partial: the first that does not fit gets what is left"),
    "best": N_("best: the set with the highest total score that fits"),
}
#: The tie-break rules in words; `criterion:ID` is the higher points on that criterion.
TIE_BREAKS = {
    "priority": N_("the higher-ranked plan priority"),
    "smaller_amount": N_("the smaller amount asked"),
    "earlier_submission": N_("the earlier submission"),
    "lottery": N_("a lottery"),
}
#: The parameters of an award's reasons that are amounts of money.
_MONEY_PARAMS = frozenset({"amount", "given", "asked", "left"})


def mode_words(mode: str) -> str:
    """An award mode in the reader's words (an unknown code as it is)."""
    return translated(AWARD_MODES[mode]) if mode in AWARD_MODES else mode


def mode_name(mode: str) -> str:
    """An award mode's short name in the reader's words: the part before the colon."""
    return mode_words(mode).split(":")[0]


def tie_break_words(round_: Any) -> str:
    """The round's tie-break chain in the reader's words, in order."""
    out = []
    for rule in round_.tie_break:
        if rule in TIE_BREAKS:
            out.append(translated(TIE_BREAKS[rule]))
            continue
        criterion = round_.criterion(rule.partition(":")[2])
        name = rule if criterion is None else text_in(criterion.name, criterion.id)
        out.append(_("the higher points on {criterion}").format(criterion=name))
    return ", ".join(out)


def with_money(msg: Msg, currency: str) -> Msg:
    """An award's reason with its amounts as money in the round's currency (its scores
    stay numbers): "funded: rank 1, score 4.50, $3.000.000"."""
    params = {
        key: with_money(value, currency)
        if isinstance(value, Msg)
        else format_money(value, currency)
        if key in _MONEY_PARAMS and isinstance(value, Decimal)
        else value
        for key, value in msg.params.items()
    }
    return replace(msg, params=MappingProxyType(params))


def reason_in(outputs: Outputs, msg: Msg) -> str:
    """An admissibility reason in words, its amounts as money (as `fund applications`), and
    the organisation and applications it names by their names as typed, not their ids."""
    from comunidad_cli.core.funds.admissibility import NO_PERSONALITY, NO_PERSONALITY_NAMED

    orgs = {line.organisation: line.organisation_name for line in outputs.lines}
    projects = {line.application: line.project for line in outputs.lines}
    params = dict(msg.params)
    if isinstance(params.get("org"), str) and params["org"] in orgs:
        if msg.text == NO_PERSONALITY:  # the command to type keeps the id
            msg = replace(msg, text=NO_PERSONALITY_NAMED)
            params["name"] = orgs[params["org"]]
        else:
            params["org"] = orgs[params["org"]]
    if isinstance(params.get("earlier"), str):
        params["earlier"] = ", ".join(
            f'"{projects[key]}"' if key in projects else key
            for key in params["earlier"].split(", ")
        )

    def shown(value: object) -> object:
        if isinstance(value, Decimal):
            return money_in(outputs, value)
        return format_value(value)

    return message_text(replace(msg, params=MappingProxyType(params)), shown)


def named_in(outputs: Outputs, application: str) -> str:
    """An application as the acta names it: its id and its project's title as typed beside
    it ("id (title)", the reader's way); the id alone when the round has no such line."""
    from comunidad_cli.core.funds.ranking import NAMED

    title = next((line.project for line in outputs.lines if line.application == application), "")
    if not title:
        return application
    return message_text(Msg.of(NAMED, application=application, title=title))


def why_in(outputs: Outputs, msg: Msg) -> str:
    """An award line's reason or tie, its amounts as money."""
    return message_text(with_money(msg, outputs.round.currency))


def outcome_words(code: str) -> str:
    return translated(OUTCOMES.get(code, code))


def admissible_words(value: bool | None) -> str:
    if value is None:
        return _("not judged")
    return _("yes") if value else _("no")


def round_name(outputs: Outputs) -> str:
    return text_in(outputs.round.name, outputs.round.id)


def _status(outputs: Outputs) -> Para:
    if outputs.stands:
        return Para(
            _("Adopted by motion {motion} (meeting {meeting}): this award stands.").format(
                motion=outputs.motion or "-", meeting=outputs.meeting or "-"
            ),
            strong=True,
        )
    return Para(
        _(
            "A PROPOSAL NOT YET ADOPTED: its motion {motion} is {state}; it stands only once"
            " the motion is adopted."
        ).format(motion=outputs.motion or "-", state=outcome_name(outputs.motion_outcome)),
        strong=True,
    )


def _round_facts(outputs: Outputs) -> list[Block]:
    r = outputs.round
    d = r.dates
    facts = [
        _("Round: {round}; proposal {award} of {date}.").format(
            round=r.id, award=outputs.award, date=format_datetime(outputs.proposed_at, "short")
        ),
        _("Budget: {budget}; awarded {given}; left {left}.").format(
            budget=money_in(outputs, outputs.budget),
            given=money_in(outputs, outputs.given),
            left=money_in(outputs, outputs.budget - outputs.given),
        ),
        _("Award mode: {mode}; minimum score {minimum}.").format(
            mode=mode_words(outputs.mode), minimum=score_text(r.min_score)
        ),
        fill(
            _("Applications from {start} to {end}; appeals until {appeals}."),
            start=format_date(d.applications_open),
            end=format_date(d.applications_close),
            appeals=format_date(d.appeals_until),
        ),
        fill(
            _("Evaluation until {evaluation}; award on {award}."),
            evaluation=format_date(d.evaluation),
            award=format_date(d.award),
        ),
        _("Tie-break, in order: {chain}.").format(chain=tie_break_words(r)),
    ]
    if "lottery" in r.tie_break and outputs.seed is not None:
        facts.append(_("Lottery seed: {seed}.").format(seed=outputs.seed))
    return [Bullets(tuple(facts))]


def _motion(outputs: Outputs, minutes: MinutesData | None) -> list[Block]:
    out: list[Block] = [Heading(2, _("Meeting and motion"))]
    record = None
    if minutes is not None:
        record = next((m for m in minutes.motions if m.key == outputs.motion), None)
    if minutes is None or record is None:
        out.append(Para(_("No motion records this proposal.")))
        return out
    items = [
        fill(
            _("Meeting {meeting} of {body}, {date}."),
            meeting=minutes.meeting,
            body=minutes.body_name,
            date=format_date(minutes.scheduled_at),
        ),
        _('Motion {motion}: "{title}"; decision: {decision}; rule: {rule}.').format(
            motion=record.key,
            title=record.title,
            decision=record.decision,
            rule=message_text(record.rule),
        ),
    ]
    if record.result is not None:
        explained = explain_tally(record.result, "document")
        items.append(explained.quorum)
        items.append(explained.votes)
        if explained.dual is not None:
            items.append(explained.dual)
        if explained.chair is not None:
            items.append(explained.chair)
        items.extend(explained.recusals)
    out.append(Bullets(tuple(items)))
    if record.result is not None:
        out.append(
            Para(
                _("Outcome: {outcome}").format(outcome=outcome_label(record.result["outcome"])),
                strong=True,
            )
        )
    else:
        out.append(Para(_("Still open."), strong=True))
    return out


def _reviewer(outputs: Outputs, key: str) -> str:
    return outputs.people.get(key, key)


def acta_blocks(outputs: Outputs, minutes: MinutesData | None) -> list[Block]:
    """The award record: the round, the meeting and motion, the ranking with scores and
    tie-breaks, what each application got and why, the applications not admissible and
    why, the reviewers and their recusals."""
    ranked = [line for line in outputs.lines if line.rank is not None]
    unranked = [line for line in outputs.lines if line.rank is None]
    out: list[Block] = [
        Heading(1, _("Award record: {name}").format(name=round_name(outputs))),
        _status(outputs),
        *_round_facts(outputs),
        *_motion(outputs, minutes),
        Heading(2, _("Ranking")),
    ]
    header = (
        _("Place"),
        _("Application"),
        _("Organisation"),
        _("Project"),
        _("Score"),
        _("Asked"),
        _("Awarded"),
        _("Outcome"),
    )
    if ranked:
        out.append(
            Table(
                header,
                tuple(
                    (
                        str(line.rank),
                        line.application,
                        line.organisation_name,
                        line.project,
                        score_text(line.score),
                        money_in(outputs, line.asked),
                        money_in(outputs, line.given),
                        outcome_words(line.outcome),
                    )
                    for line in ranked
                ),
            )
        )
    else:
        out.append(Para(_("No application was ranked.")))
    if unranked:
        out.append(Heading(2, _("Not ranked")))
        out.append(
            Table(
                (*header[1:5], _("Asked"), _("Outcome")),
                tuple(
                    (
                        line.application,
                        line.organisation_name,
                        line.project,
                        score_text(line.score),
                        money_in(outputs, line.asked),
                        outcome_words(line.outcome),
                    )
                    for line in unranked
                ),
            )
        )
    out.append(Heading(2, _("Why each application got what it got")))
    why = []
    for line in outputs.lines:
        if line.reason is not None:
            why.append(f"{named_in(outputs, line.application)}: {why_in(outputs, line.reason)}")
        if line.tie is not None:
            why.append(f"{named_in(outputs, line.application)}: {why_in(outputs, line.tie)}")
    out.append(Bullets(tuple(why)) if why else Para("—"))
    if outputs.notes:
        out.append(Heading(2, _("Consensus notes")))
        out.append(
            Bullets(
                tuple(
                    (
                        _('{application}, criterion {criterion}: "{text}" ({by}, {at})')
                        if note.criterion is not None
                        else _('{application}: "{text}" ({by}, {at})')
                    ).format(
                        application=named_in(outputs, note.application),
                        criterion=note.criterion,
                        text=note.text,
                        by=note.by,
                        at=format_datetime(note.noted_at, "short"),
                    )
                    for note in outputs.notes
                )
            )
        )
    refused = [line for line in outputs.lines if line.admissible is False]
    if refused:
        out.append(Heading(2, _("Applications not admissible")))
        out.append(
            Bullets(
                tuple(
                    _("{application} ({title}), of {organisation} ({org}): {reasons}").format(
                        application=line.application,
                        title=line.project,
                        organisation=line.organisation_name,
                        org=line.organisation,
                        reasons="; ".join(reason_in(outputs, m) for m in line.admissibility_reasons)
                        or "—",
                    )
                    for line in refused
                )
            )
        )
    out.append(Heading(2, _("Reviewers")))
    reviewers = outputs.reviewers
    if not reviewers:
        out.append(Para(_("No reviewer scored.")))
    else:
        out.append(
            Table(
                (_("Reviewer"), _("Applications scored"), _("Recused from")),
                tuple(
                    (
                        _reviewer(outputs, r),
                        ", ".join(
                            line.application
                            for line in outputs.lines
                            if any(p == r for p, _t in line.totals)
                        )
                        or "—",
                        "; ".join(
                            f"{named_in(outputs, line.application)}: {_say(why)}"
                            for line in outputs.lines
                            for p, why in line.recused
                            if p == r
                        )
                        or "—",
                    )
                    for r in reviewers
                ),
            )
        )
        totals = [
            (line.application, _reviewer(outputs, r), score_text(t))
            for line in outputs.lines
            for r, t in line.totals
        ]
        if totals:
            out.append(Heading(3, _("Each reviewer's weighted total")))
            out.append(Table((_("Application"), _("Reviewer"), _("Total")), tuple(totals)))
    if outputs.others:
        out.append(
            Para(
                _("Other proposals in this round: {awards}.").format(
                    awards=", ".join(outputs.others)
                )
            )
        )
    return out


def result_record(outputs: Outputs, line: Line) -> dict[str, Any]:
    """One application's public result: its own figures only (no reviewer); the score exact
    and rounded to two decimals, as `fund award --json` gives them."""
    from comunidad_cli.core.funds.evaluation import exact
    from comunidad_cli.core.funds.scoring import shown_score
    from comunidad_cli.services.grants.common import in_currency

    return {
        "application": line.application,
        "organisation": line.organisation_name,
        "project": line.project,
        "priority": line.priority,
        "admissible": line.admissible,
        "rank": line.rank,
        "score": exact(line.score),
        "score_shown": None if line.score is None else str(shown_score(line.score)),
        "asked": str(in_currency(line.asked, outputs.round.currency)),
        "awarded": str(in_currency(line.given, outputs.round.currency)),
        "outcome": line.outcome,
    }


def acta_json(outputs: Outputs, minutes: MinutesData | None) -> dict[str, Any]:
    """The award record for scripts: codes untranslated, scores exact and shown, amounts in
    the currency's digits, reasons in words."""
    from comunidad_cli.core.funds.evaluation import exact

    record = None
    if minutes is not None:
        record = next((m for m in minutes.motions if m.key == outputs.motion), None)
    return {
        "round": outputs.round.id,
        "name": round_name(outputs),
        "award": outputs.award,
        "stands": outputs.stands,
        "proposed_at": outputs.proposed_at.isoformat(),
        "mode": outputs.mode,
        "seed": outputs.seed,
        "currency": outputs.round.currency,
        "budget": str(outputs.budget),
        "given": str(outputs.given),
        "meeting": outputs.meeting,
        "motion": outputs.motion,
        "motion_outcome": outputs.motion_outcome,
        "tally": None if record is None else record.result,
        "lines": [
            {
                **result_record(outputs, line),
                "organisation_id": line.organisation,
                "score_exact": exact(line.score),
                "reason": None if line.reason is None else message_text(line.reason),
                "tie": None if line.tie is None else message_text(line.tie),
                "admissibility_reasons": [
                    reason_in(outputs, m) for m in line.admissibility_reasons
                ],
                "reviewers": [
                    {"reviewer": r, "name": _reviewer(outputs, r), "total": exact(t)}
                    for r, t in line.totals
                ],
                "recused": [
                    {"reviewer": r, "name": _reviewer(outputs, r), "reason": _say(why)}
                    for r, why in line.recused
                ],
            }
            for line in outputs.lines
        ],
        "others": list(outputs.others),
    }
