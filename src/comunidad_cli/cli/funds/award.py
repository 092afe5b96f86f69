"""`comunidad fund award|awards`: the award of a round's budget by its mode, why each
application got what it got, the proposal put to the body as a motion, and the proposals."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    database_url,
    fail,
    info,
    render,
    write_stdout,
)
from comunidad_cli.cli.funds.evaluation import (
    ExplainOption,
    SeedOption,
    _bylaws_folder,
    say,
    seed_notice,
)
from comunidad_cli.cli.funds.round import fund_app
from comunidad_cli.cli.meetings.common import AtOption, JsonOption, _print_json
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, ngettext

#: The outcomes of an award line, in words (JSON keeps the code).
OUTCOMES = {
    "funded": N_("funded"),
    "partial": N_("funded in part"),
    "not_funded": N_("not funded"),
    "below_minimum": N_("below the minimum score"),
    "inadmissible": N_("not admissible"),
}


def _money(amount: Decimal, currency: str) -> str:
    from comunidad_cli.i18n import format_money

    return format_money(amount, currency)


def award_data(awarded: Any) -> dict[str, Any]:
    """The award as JSON: every line with its outcome code, amounts, and why in words."""
    from comunidad_cli.cli.funds.evaluation import ranking_data, titles_of
    from comunidad_cli.render.funds import with_money
    from comunidad_cli.services.funds.awards import lines

    result = awarded.award
    titles = titles_of(awarded.evaluated)
    ranking = ranking_data(awarded.evaluated)
    currency = awarded.evaluated.loaded.round.currency
    return {
        "round": awarded.evaluated.loaded.row.key,
        "mode": result.mode,
        "currency": awarded.evaluated.loaded.round.currency,
        "budget": str(result.budget),
        "given": str(result.given),
        "left": str(result.left),
        "seed": ranking["seed"],
        "seed_drawn": ranking["seed_drawn"],
        "lottery_decided": ranking["lottery_decided"],
        "lines": [
            {
                "application": line["application"],
                "project": titles.get(line["application"], ""),
                "rank": line["rank"],
                "score": line["score"],
                "score_shown": line["score_shown"],
                "asked": str(line["asked"]),
                "given": str(line["given"]),
                "outcome": line["outcome"],
                "reason": say(with_money(line["reason"], currency)),
                "tie": None if line["tie"] is None else say(with_money(line["tie"], currency)),
                "flags": [say(f) for f in line["flags"]],
            }
            for line in lines(awarded)
        ],
        "not_judged": ranking["not_judged"],
        "not_judged_projects": ranking["not_judged_projects"],
    }


def _refusals(data: dict[str, Any], explain: bool) -> dict[str, str]:
    """Why each application not admissible was refused, in words (for --explain: the
    award's own reason only says "not admissible")."""
    if not explain or not any(line["outcome"] == "inadmissible" for line in data["lines"]):
        return {}
    from comunidad_cli.cli.funds.applications import _reason_text
    from comunidad_cli.services.funds.views import list_applications

    views = list_applications(database_url(), data["round"])
    titles = {view.key: view.project for view in views}
    return {
        view.key: "; ".join(_reason_text(m, view.currency, titles) for m in view.reasons)
        for view in views
        if view.reasons
    }


def _print_award(data: dict[str, Any], explain: bool) -> None:
    from comunidad_cli.cli.funds.evaluation import named
    from comunidad_cli.render.funds import mode_name

    currency = data["currency"]
    refusals = _refusals(data, explain)
    out = []
    for line in data["lines"]:
        outcome = _(OUTCOMES[line["outcome"]])
        if line["rank"] is None:  # not ranked: nothing given, the reason is the outcome
            out.append(
                _("- {application}: {reason}").format(
                    application=named(line["application"], line["project"]), reason=outcome
                )
            )
        else:
            out.append(
                _("{rank}. {application}: {outcome}, {given} of {asked}").format(
                    rank=line["rank"],
                    application=named(line["application"], line["project"]),
                    outcome=outcome,
                    given=_money(Decimal(line["given"]), currency),
                    asked=_money(Decimal(line["asked"]), currency),
                )
            )
        out += [f"   ! {flag}" for flag in line["flags"]]
        if explain and line["application"] in refusals:
            out.append(f"   {refusals[line['application']]}")
        elif explain:
            out.append(f"   {line['reason']}")
            if line["tie"]:
                out.append(f"   {line['tie']}")
    out.append(
        _("Budget {budget}: {given} awarded, {left} left (mode {mode}).").format(
            budget=_money(Decimal(data["budget"]), currency),
            given=_money(Decimal(data["given"]), currency),
            left=_money(Decimal(data["left"]), currency),
            mode=mode_name(data["mode"]),
        )
    )
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
    write_stdout("\n".join(out) + "\n")


@fund_app.command(
    "award",
    cls=ComunidadCommand,
    help=_(
        "The award of the round's budget over its ranking by the round's mode (skip, stop,"
        " partial, best); with --propose, recorded and put to a meeting as a motion under the"
        " by-laws' award decision."
    ),
)
def award(
    round_key: Annotated[
        str, typer.Argument(metavar="ROUND", help=_("The round's id."), show_default=False)
    ],
    explain: ExplainOption = False,
    as_json: JsonOption = False,
    seed: SeedOption = None,
    propose: Annotated[
        bool,
        typer.Option(
            "--propose",
            help=_("Record the proposal and open its motion in --meeting (one transaction)."),
        ),
    ] = False,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            metavar="MEETING",
            help=_("The meeting the proposal is put to (with --propose)."),
            show_default=False,
        ),
    ] = None,
    at: AtOption = None,
) -> None:
    if propose:
        if meeting is None:
            fail(_("--propose needs --meeting: the meeting the award is put to"), 2)
        from comunidad_cli.services.funds.awards import propose as record

        proposed = record(
            database_url(),
            round_key,
            meeting=meeting,
            seed=seed,
            at=at,
            render=render,
            bylaws_folder=_bylaws_folder(),
        )
        data = award_data(proposed.awarded)
        seed_notice(data["seed"], data["seed_drawn"], data["lottery_decided"])
        for warning in proposed.warnings:
            info(_("warning: {message}").format(message=render(warning)))
        if as_json:
            data.update(
                {
                    "award": proposed.key,
                    "motion": proposed.motion,
                    "recused": list(proposed.recused),
                }
            )
            _print_json(data)
            return
        _print_award(data, explain)
        write_stdout(
            _("Proposal {award}: motion {motion}; it stands once the motion is adopted.").format(
                award=proposed.key, motion=proposed.motion
            )
            + "\n"
        )
        if proposed.recused:
            write_stdout(
                ngettext(
                    "Recused on the motion: {people}",
                    "Recused on the motion: {people}",
                    len(proposed.recused),
                ).format(people=", ".join(proposed.recused))
                + "\n"
            )
        return
    if meeting is not None or at is not None:
        fail(_("--meeting and --at go with --propose"), 2)
    from comunidad_cli.services.funds.awards import award_round

    data = award_data(award_round(database_url(), round_key, seed, _bylaws_folder()))
    seed_notice(data["seed"], data["seed_drawn"], data["lottery_decided"])
    if as_json:
        _print_json(data)
        return
    _print_award(data, explain)


@fund_app.command(
    "awards",
    cls=ComunidadCommand,
    help=_(
        "A round's award proposals, oldest first, and whether each stands: a proposal stands"
        " once its motion is adopted."
    ),
)
def awards(
    round_key: Annotated[
        str, typer.Argument(metavar="ROUND", help=_("The round's id."), show_default=False)
    ],
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.i18n import format_moment
    from comunidad_cli.render.tally import outcome_name
    from comunidad_cli.services.funds.awards import list_awards

    found = list_awards(database_url(), round_key)
    if as_json:
        _print_json(
            [
                {
                    **row,
                    "proposed_at": row["proposed_at"].isoformat(),
                    "given": str(row["given"]),
                    "lines": [{**line, "amount": str(line["amount"])} for line in row["lines"]],
                }
                for row in found
            ]
        )
        return
    if not found:
        write_stdout(_("No award proposed in round {round}.").format(round=round_key) + "\n")
        return
    out = []
    for row in found:
        state = outcome_name(row["outcome"])
        out.append(
            _("{award} ({at}): {funded} funded; motion {motion}: {state}; {stands}").format(
                award=row["award"],
                at=format_moment(row["proposed_at"]),
                funded=row["funded"],
                motion=row["motion"] or "-",
                state=state,
                stands=_("stands") if row["stands"] else _("does not stand"),
            )
        )
    write_stdout("\n".join(out) + "\n")
