"""A round's public results and its letters, in the reader's language (the award record
and the words they share are `render/funds.py`).

The public results carry no reviewer's name and no reviewer's score: only the
application's own figures; a letter gives each criterion's mean, never who gave what.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from comunidad_cli.i18n import _, fill, format_date, format_number, ngettext
from comunidad_cli.render.funds import (
    admissible_words,
    money_in,
    outcome_words,
    reason_in,
    result_record,
    round_name,
    score_text,
    text_in,
    why_in,
)
from comunidad_cli.render.minutes import Block, Bullets, Heading, Para, Table
from comunidad_cli.services.funds.outputs import Line, Outputs


def results_json(outputs: Outputs) -> dict[str, Any]:
    return {
        "round": outputs.round.id,
        "name": round_name(outputs),
        "award": outputs.award,
        "currency": outputs.round.currency,
        "budget": str(outputs.budget),
        "given": str(outputs.given),
        "results": [result_record(outputs, line) for line in outputs.lines],
    }


def results_csv(outputs: Outputs, decimal_mark: str = ".") -> str:
    """The public results as CSV the way `comunidad export` writes one: the reader's column
    names and words (yes/no, the outcome), amounts and the rounded score with the locale's
    decimal mark, `;` between cells where that mark is a comma. Not the exact score: a
    spreadsheet opens "5/2" as the 5th of February (Excel and LibreOffice in es and ca), so
    the exact fraction is in the JSON and the Markdown, and the place settles the order."""
    from comunidad_cli.core.funds.scoring import shown_score
    from comunidad_cli.services.exports import to_csv
    from comunidad_cli.services.grants.common import in_currency

    header = (
        _("Application"),
        _("Organisation"),
        _("Project"),
        _("Priority"),
        _("Admissible"),
        _("Place"),
        _("Score"),
        _("Asked"),
        _("Awarded"),
        _("Outcome"),
    )
    currency = outputs.round.currency
    rows = [
        [
            line.application,
            line.organisation_name,
            line.project,
            line.priority,
            None if line.admissible is None else admissible_words(line.admissible),
            line.rank,
            None if line.score is None else shown_score(line.score),
            in_currency(line.asked, currency),
            in_currency(line.given, currency),
            outcome_words(line.outcome),
        ]
        for line in outputs.lines
    ]
    return to_csv(header, rows, decimal_mark=decimal_mark)


def results_blocks(outputs: Outputs) -> list[Block]:
    """The public results as a document: a table of every application, no reviewer."""
    return [
        Heading(1, _("Results: {name}").format(name=round_name(outputs))),
        Para(
            _("Budget {budget}; awarded {given} to {count} projects.").format(
                budget=money_in(outputs, outputs.budget),
                given=money_in(outputs, outputs.given),
                count=sum(1 for line in outputs.lines if line.outcome in ("funded", "partial")),
            )
        ),
        Table(
            (
                _("Place"),
                _("Organisation"),
                _("Project"),
                _("Priority"),
                _("Admissible"),
                _("Score"),
                _("Asked"),
                _("Awarded"),
                _("Outcome"),
            ),
            tuple(
                (
                    "—" if line.rank is None else str(line.rank),
                    line.organisation_name,
                    line.project,
                    line.priority or "—",
                    admissible_words(line.admissible),
                    score_text(line.score),
                    money_in(outputs, line.asked),
                    money_in(outputs, line.given),
                    outcome_words(line.outcome),
                )
                for line in outputs.lines
            ),
        ),
    ]


# --- the letters --------------------------------------------------------------------------


def letter_blocks(
    outputs: Outputs, line: Line, *, written_on: date | None = None, place: str | None = None
) -> list[Block]:
    """The letter to one applicant: where and when it is written (`place`, `written_on`),
    who sends it, its result, its score per criterion (the reviewers' mean), what follows
    (the appeal window, or the accountability reports), and a signature block."""
    r = outputs.round
    dated = []
    if written_on is not None:
        when = format_date(written_on, "long")
        dated.append(
            Para(fill(_("{place}, {date}"), place=place, date=when) if place else str(when))
        )
    out: list[Block] = [
        Heading(1, round_name(outputs)),
        *dated,
        Para(_from(outputs)),
        Para(_("To: {organisation}").format(organisation=line.organisation_name)),
        Para(
            _('Application {application}: "{project}".').format(
                application=line.application, project=line.project
            )
        ),
    ]
    if line.admissible is False:
        out.append(Para(_("Your application was not admissible, for these reasons:"), strong=True))
        out.append(
            Bullets(tuple(reason_in(outputs, m) for m in line.admissibility_reasons) or ("—",))
        )
        if line.on_appeal:
            out.append(Para(_("This decision was taken on your appeal.")))
        else:
            out.append(
                Para(
                    fill(
                        _(
                            "You could ask for its reconsideration until {date} (the round's"
                            " appeal window)."
                        ),
                        date=format_date(r.dates.appeals_until),
                    )
                )
            )
        return out + _signature(outputs)
    if line.score is not None:
        if line.rank is not None:
            out.append(
                Para(
                    _("Your application scored {score} and was placed {rank}.").format(
                        score=score_text(line.score), rank=line.rank
                    )
                )
            )
        else:
            out.append(
                Para(
                    _("Your application scored {score}, below the minimum of {minimum}.").format(
                        score=score_text(line.score), minimum=score_text(r.min_score)
                    )
                )
            )
        out.append(Para(_("Points per criterion (the mean of the reviewers):")))
        out.append(
            Table(
                (_("Criterion"), _("Weight"), _("Points")),
                tuple(
                    (
                        text_in(c.name, c.id),
                        format_number(Decimal(c.weight.numerator * 100) / c.weight.denominator)
                        + " %",
                        "—"
                        if c.id not in line.criteria
                        else score_text(line.criteria[c.id]) + " / " + str(c.scale.max),
                    )
                    for c in r.criteria
                ),
            )
        )
    if line.outcome in ("funded", "partial"):
        if line.outcome == "funded":
            text = _("Your project is funded with {amount}.").format(
                amount=money_in(outputs, line.given)
            )
        else:
            text = _("Your project is funded in part: {given} of the {asked} asked.").format(
                given=money_in(outputs, line.given), asked=money_in(outputs, line.asked)
            )
        out.append(Para(text, strong=True))
        out.extend(_next_steps(outputs))
    else:
        out.append(
            Para(_("Result: {outcome}.").format(outcome=outcome_words(line.outcome)), strong=True)
        )
        if line.reason is not None:
            out.append(Para(why_in(outputs, line.reason)))
    return out + _signature(outputs)


def _from(outputs: Outputs) -> str:
    """Who sends the letter: the round's body and whose it is, by the by-laws' names
    ("Plenari, Taula Comunitària de l'Esquerra de l'Eixample"): every board has a plenary."""
    sender = outputs.body_name or outputs.round.body
    if not outputs.bylaws_name:
        return _("From: {sender}").format(sender=sender)
    return _("From: {body}, {bylaws}").format(body=sender, bylaws=outputs.bylaws_name)


def _signature(outputs: Outputs) -> list[Block]:
    """Who sends the letter: the round's body (its by-laws' name), whose it is, and a
    line to sign."""
    sender = outputs.body_name or outputs.round.body
    return [
        Para(_("Sincerely,")),
        Para("—" * 24),
        Para(sender, strong=True),
        *([Para(outputs.bylaws_name)] if outputs.bylaws_name else []),
        Para(round_name(outputs)),
    ]


def _next_steps(outputs: Outputs) -> list[Block]:
    plan = outputs.round.accountability
    if plan is None:
        return []
    steps = []
    if plan.start is not None:
        steps.append(
            fill(
                _("The project runs from {start} to {end}."),
                start=format_date(plan.start),
                end=format_date(plan.end),
            )
        )
    else:
        steps.append(fill(_("The project ends by {end}."), end=format_date(plan.end)))
    for report in plan.reports:
        steps.append(
            fill(
                _("{report}: due {date}."),
                report=text_in(report.title, "-"),
                date=format_date(report.due),
            )
        )
    return [
        Heading(2, ngettext("Next step", "Next steps", len(steps))),
        Bullets(tuple(steps)),
    ]
