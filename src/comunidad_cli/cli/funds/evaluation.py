"""`comunidad fund recuse|score|note|rank`: the evaluation of a round by its reviewers, and
the ranking that comes of it (with the round's tie-break chain, flags shown)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    current_workspace,
    database_url,
    day_option,
    fail,
    info,
    write_stdout,
)
from comunidad_cli.cli.funds.round import fund_app
from comunidad_cli.cli.meetings.common import JsonOption, _print_json
from comunidad_cli.core.messages import Msg
from comunidad_cli.i18n import _, current_locale, format_value, message_text, ngettext

ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="NAME",
        help=_("Who records it (default: COMUNIDAD_ACTOR, else the OS user)."),
        show_default=False,
    ),
]
SeedOption = Annotated[
    str | None,
    typer.Option(
        "--seed",
        metavar="SEED",
        help=_(
            'The lottery\'s recorded seed (a tie-break "lottery"); default: one drawn now and'
            " shown, to be recorded."
        ),
        show_default=False,
    ),
]
ExplainOption = Annotated[
    bool, typer.Option("--explain", help=_("Say why, application by application."))
]


def _bylaws_folder() -> Path | None:
    """The workspace's by-laws folder (the default reviewers' body is read from it)."""
    workspace = current_workspace(required=False)
    return workspace.bylaws_dir if workspace is not None else None


#: Amounts and scores already formatted, by locale and value as written: a ranking of
#: thousands repeats the same few hundred, and Babel takes some 0.1 ms each.
_FORMATTED: dict[tuple[str, str], object] = {}


def _value(value: object) -> object:
    """`format_value`, remembered for amounts and scores (Decimals); ids and counts, most
    of a ranking's parameters, are shown as they are without asking."""
    kind = type(value)
    if kind is str or kind is int:  # what format_value leaves as is (not a subclass)
        return value
    if kind is not Decimal:
        return format_value(value)
    key = (current_locale(), str(value))
    found = _FORMATTED.get(key)
    if found is None:
        found = _FORMATTED[key] = format_value(value)
    return found


def say(msg: Msg) -> str:
    """A message in the reader's language (`render`), its numbers formatted once each."""
    return message_text(msg, _value)


#: "{application} ({title})" in the reader's words, by locale: a ranking names thousands.
_NAMED: dict[str, str] = {}


def named(key: str, title: str | None) -> str:
    """An application as a person reads it: its id and its project's title beside it, as
    typed ("id (title)" or the locale's way); the id alone when the title is not known."""
    if not title:
        return key
    locale = current_locale()
    template = _NAMED.get(locale)
    if template is None:
        from comunidad_cli.core.funds.ranking import NAMED
        from comunidad_cli.i18n import translated

        template = _NAMED[locale] = translated(NAMED)
    return template.format(application=key, title=title)


def titles_of(evaluated: Any) -> dict[str, str]:
    """Each application's project title, by id (from the rows the evaluation read)."""
    return {row.key: row.project for row in evaluated.rows}


def _text(value: Msg | str) -> str:
    return value if isinstance(value, str) else say(value)


@fund_app.command(
    "recuse",
    cls=ComunidadCommand,
    help=_(
        "A reviewer declares a conflict of interest with an application: their scores on it"
        " are refused, and they are recused on the award's motion."
    ),
)
def recuse(
    application: Annotated[
        str, typer.Argument(metavar="APP", help=_("The application's id."), show_default=False)
    ],
    reviewer: Annotated[str, typer.Option("--reviewer", metavar="PERSON", help=_("Who recuses."))],
    reason: Annotated[str, typer.Option("--reason", help=_("The declared conflict."))],
    by: ByOption = None,
) -> None:
    from comunidad_cli.services.funds.evaluation import recuse as record

    record(database_url(), application, reviewer, reason, by)
    info(
        _('{reviewer} recused on {application}: "{reason}".').format(
            reviewer=reviewer, application=application, reason=reason
        )
    )


def _points(criteria: list[str], points: int | None) -> list[tuple[str, int]]:
    """`--criterion C --points N`, or `--criterion C=N` as many times as needed."""
    if points is not None:
        if len(criteria) != 1 or "=" in criteria[0]:
            fail(_("--points goes with one --criterion C; else give --criterion C=N each"), 2)
        return [(criteria[0].strip(), points)]
    found = []
    for given in criteria:
        criterion, equals, value = given.partition("=")
        try:
            number = int(value.strip()) if equals else None
        except ValueError:
            number = None
        if number is None or not criterion.strip():
            fail(
                _(
                    '--criterion "{value}": write C=N, N whole points on criterion C'
                    " (pertinencia=4), or add --points N"
                ).format(value=given),
                2,
            )
        found.append((criterion.strip(), number))
    return found


@fund_app.command(
    "score",
    cls=ComunidadCommand,
    help=_(
        "Record a reviewer's points on an admissible application, dated inside the round's"
        " evaluation window (--on, for a sheet typed in later); a later score on a criterion"
        " replaces it in the totals and keeps it as history."
    ),
)
def score(
    application: Annotated[
        str, typer.Argument(metavar="APP", help=_("The application's id."), show_default=False)
    ],
    reviewer: Annotated[
        str,
        typer.Option(
            "--reviewer", metavar="PERSON", help=_("Who scores: a member of the reviewers' body.")
        ),
    ],
    criteria: Annotated[
        list[str],
        typer.Option(
            "--criterion",
            metavar="C[=N]",
            help=_("A criterion of the rubric, with its points as C=N; repeat for more."),
        ),
    ],
    points: Annotated[
        int | None,
        typer.Option(
            "--points",
            metavar="N",
            help=_("The points, for one --criterion C."),
            show_default=False,
        ),
    ] = None,
    by: ByOption = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_("The day the sheet was scored, inside the evaluation window (default: today)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.funds.evaluation import score as record

    count = record(
        database_url(),
        _bylaws_folder(),
        application,
        reviewer,
        _points(criteria, points),
        by,
        None if on is None else day_option(on, "--on"),
    )
    info(ngettext("{count} score recorded.", "{count} scores recorded.", count).format(count=count))


@fund_app.command(
    "note",
    cls=ComunidadCommand,
    help=_(
        "Record the reviewers' consensus note on an application (on one criterion or all): it"
        " settles the flag of totals further apart than the round allows (`max_spread`)."
    ),
)
def note(
    application: Annotated[
        str, typer.Argument(metavar="APP", help=_("The application's id."), show_default=False)
    ],
    text: Annotated[str, typer.Option("--text", help=_("The note, as the reviewers agreed it."))],
    by: Annotated[str, typer.Option("--by", metavar="NAME", help=_("Who writes it."))],
    criterion: Annotated[
        str | None,
        typer.Option(
            "--criterion", metavar="C", help=_("The criterion it is about."), show_default=False
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.funds.evaluation import note as record

    record(database_url(), application, text, by, criterion)
    if criterion is None:
        info(_("Consensus note recorded on {application}.").format(application=application))
    else:
        info(
            _("Consensus note recorded on {application}, criterion {criterion}.").format(
                application=application, criterion=criterion
            )
        )


def seed_notice(seed: str | None, drawn: bool, decided: bool = True) -> None:
    """Say the drawn seed on stderr, so that it can be recorded and the draw redone; only
    when the lottery `decided` a tie (else the seed changes nothing anyone reads)."""
    if drawn and decided and seed is not None:
        info(
            _("Lottery seed drawn: {seed}. Record it: --seed {seed} draws the same order.").format(
                seed=seed
            )
        )


def ranking_data(evaluated: Any) -> dict[str, Any]:
    """The ranking as JSON: scores exact and shown, flags and reasons in words."""
    from comunidad_cli.core.funds.evaluation import exact
    from comunidad_cli.core.funds.ranking import lottery_decided
    from comunidad_cli.core.funds.scoring import shown_score

    evaluation = evaluated.evaluation
    sheet = evaluation.sheet.by_application()
    #: a total as stored and shown, by its exact value: thousands of sheets, a few dozen values
    written: dict[tuple[int, int], tuple[str | None, str]] = {}

    def total(value: Fraction) -> tuple[str | None, str]:
        key = (value.numerator, value.denominator)
        found = written.get(key)
        if found is None:
            found = written[key] = (exact(value), str(shown_score(value)))
        return found

    def totals(app: str) -> list[dict[str, Any]]:
        found = sheet.get(app)
        if found is None:
            return []
        shown = []
        for reviewer, value in found.totals:
            stored, written_as = total(value)
            shown.append({"reviewer": reviewer, "total": stored, "shown": written_as})
        return shown

    def recused(app: str) -> list[dict[str, str]]:
        return [
            {"reviewer": p, "reason": _text(why)}
            for p, why in sorted(evaluated.recused.get(app, {}).items())
        ]

    return {
        "round": evaluated.loaded.row.key,
        "seed": evaluation.seed,
        "seed_drawn": evaluated.seed_drawn,
        "lottery_decided": lottery_decided(evaluation.ranking),
        "ranked": [
            {
                "rank": r.rank,
                "application": r.candidate.id,
                "project": r.candidate.title,
                "score": exact(r.candidate.score),
                "score_shown": str(shown_score(r.candidate.score or Fraction(0))),
                "amount": str(r.candidate.amount),
                "tie": None if r.tie is None else say(r.tie),
                "flags": [say(f) for f in evaluation.flags.get(r.candidate.id, ())],
                "totals": totals(r.candidate.id),
                "recused": recused(r.candidate.id),
            }
            for r in evaluation.ranking.ranked
        ],
        "unranked": [
            {
                "application": c.id,
                "project": c.title,
                "score": exact(c.score),
                "reason": say(why),
                "flags": [say(f) for f in evaluation.flags.get(c.id, ())],
                "totals": totals(c.id),
                "recused": recused(c.id),
            }
            for c, why in evaluation.ranking.unranked
        ],
        "not_judged": list(evaluation.not_judged),
        "not_judged_projects": [
            evaluation.applications[key].title for key in evaluation.not_judged
        ],
        "incomplete": [say(f) for f in evaluation.sheet.findings],
    }


@fund_app.command(
    "rank",
    cls=ComunidadCommand,
    help=_(
        "The round's ranking: scores (the mean of the reviewers' weighted totals), the"
        " tie-break chain, flags (too few reviewers, totals too far apart); below the minimum"
        " score shown apart."
    ),
)
def rank(
    round_key: Annotated[
        str, typer.Argument(metavar="ROUND", help=_("The round's id."), show_default=False)
    ],
    explain: ExplainOption = False,
    as_json: JsonOption = False,
    seed: SeedOption = None,
) -> None:
    from comunidad_cli.services.funds.evaluation import evaluate_round

    evaluated = evaluate_round(database_url(), round_key, seed, _bylaws_folder())
    data = ranking_data(evaluated)
    seed_notice(data["seed"], data["seed_drawn"], data["lottery_decided"])
    if as_json:
        _print_json(data)
        return
    out: list[str] = []
    for line in data["ranked"]:
        out.append(
            _("{rank}. {application}: {score}").format(
                rank=line["rank"],
                application=named(line["application"], line["project"]),
                score=_score(line["score_shown"]),
            )
        )
        out += [f"   ! {flag}" for flag in line["flags"]]
        if explain:
            out += _explained(line)
    if data["unranked"]:
        out.append(_("Not ranked:"))
        for line in data["unranked"]:
            out.append(
                _("- {application}: {reason}").format(
                    application=named(line["application"], line["project"]), reason=line["reason"]
                )
            )
            out += [f"   ! {flag}" for flag in line["flags"]]
            if explain:
                out += _explained(line)
    if data["not_judged"]:
        out.append(
            _("Not judged admissible yet: {applications}").format(
                applications=", ".join(
                    named(key, title)
                    for key, title in zip(
                        data["not_judged"], data["not_judged_projects"], strict=True
                    )
                )
            )
        )
    if data["incomplete"]:
        out.append(_("Scores left out:"))
        out += [f"- {text}" for text in data["incomplete"]]
    if not out:
        out.append(_("No application in round {round}.").format(round=round_key))
    write_stdout("\n".join(out) + "\n")


#: Scores as shown ("4.10") in the locale's way, by locale and text: `--explain` writes
#: thousands of them, a few dozen distinct.
_SCORES: dict[tuple[str, str], str] = {}


def _score(shown: str | None) -> str:
    """A score as shown ("4.10"), in the locale's way."""
    if shown is None:
        return "-"
    key = (current_locale(), shown)
    found = _SCORES.get(key)
    if found is None:
        found = _SCORES[key] = str(_value(Decimal(shown)))
    return found


def _explained(line: dict[str, Any]) -> list[str]:
    """The lines --explain adds under an application: the tie resolved, each reviewer's
    weighted total, who is recused and why."""
    found = []
    if line.get("tie"):
        found.append(f"   {line['tie']}")
    for total in line["totals"]:
        found.append(
            "   "
            + _("{reviewer}: weighted total {total}").format(
                reviewer=total["reviewer"], total=_score(total["shown"])
            )
        )
    for recused in line["recused"]:
        found.append(
            "   "
            + _("{reviewer} recused: {reason}").format(
                reviewer=recused["reviewer"], reason=recused["reason"]
            )
        )
    return found
