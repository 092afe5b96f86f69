"""From award to money: what each funded project's subcontract will be (budget lines,
period, kind, the accountability reports it owes), or why it cannot be made yet.

Budget lines are never guessed: a project funded in full takes the lines its application
asked for when they add up to the amount awarded; otherwise (a partial award, lines that
don't add up, no lines) the person gives them (`--line APPLICATION:CATEGORY=AMOUNT`), and
they must add up to the amount awarded to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from comunidad_cli.core.funds.round import Report, Round
from comunidad_cli.core.messages import N_, Msg

Lines = tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class Funded:
    """A funded application as the award left it."""

    application: str
    asked: Decimal
    awarded: Decimal
    #: The budget lines the application asked for, by category.
    lines: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """The subcontract a funded application becomes."""

    application: str
    kind: str
    start: date
    end: date
    lines: Lines
    reports: tuple[Report, ...]


def _sum(lines: Sequence[tuple[str, Decimal]]) -> Decimal:
    return sum((amount for _, amount in lines), Decimal(0))


def _lines_of(project: Funded, given: Lines | None) -> Lines | Msg:
    """The subcontract's budget lines, or why there are none yet."""
    if given is not None:
        if _sum(given) != project.awarded:
            return Msg.of(
                N_(
                    "the lines given for {application} add up to {total}, not to the {awarded}"
                    " awarded"
                ),
                application=project.application,
                total=_sum(given),
                awarded=project.awarded,
            )
        return given
    asked = tuple(sorted(project.lines.items()))
    if asked and _sum(asked) == project.awarded:
        return asked
    if project.awarded != project.asked:
        return Msg.of(
            N_(
                "{application} was awarded {awarded} of the {asked} it asked for: give its budget"
                " lines with --line {application}:CATEGORY=AMOUNT, adding up to {awarded}"
            ),
            application=project.application,
            awarded=project.awarded,
            asked=project.asked,
        )
    if not asked:
        return Msg.of(
            N_(
                "{application} asked for no budget lines: give them with --line"
                " {application}:CATEGORY=AMOUNT, adding up to {awarded}"
            ),
            application=project.application,
            awarded=project.awarded,
        )
    return Msg.of(
        N_(
            "the budget lines {application} asked for add up to {total}, not to the {awarded}"
            " awarded: give them with --line {application}:CATEGORY=AMOUNT"
        ),
        application=project.application,
        total=_sum(asked),
        awarded=project.awarded,
    )


def plan_projects(
    round_: Round, funded: Sequence[Funded], given: Mapping[str, Lines]
) -> tuple[list[ProjectPlan], list[Msg]]:
    """The subcontract of each funded application, and every problem (all of them, so the
    person fixes them at once); no plan is to be acted on while there is a problem."""
    problems: list[Msg] = []
    plan = round_.accountability
    if plan is None:
        problems.append(
            Msg.of(
                N_(
                    "round {round} has no [accountability] section saying what a funded project"
                    " becomes (its end and the reports it owes): add one, as fund new writes it"
                ),
                round=round_.id,
            )
        )
        return [], problems
    names = {project.application for project in funded}
    for application in given:
        if application not in names:
            problems.append(
                Msg.of(
                    N_(
                        "--line names {application}, which has no subcontract to make in this"
                        " award (funded: {funded})"
                    ),
                    application=application,
                    funded=", ".join(sorted(names)) or "-",
                )
            )
    start = plan.start if plan.start is not None else round_.dates.award
    plans: list[ProjectPlan] = []
    for project in funded:
        lines = _lines_of(project, given.get(project.application))
        if isinstance(lines, Msg):
            problems.append(lines)
            continue
        plans.append(
            ProjectPlan(project.application, plan.kind, start, plan.end, lines, plan.reports)
        )
    return plans, problems


def parse_line_target(spec: str) -> tuple[str, str] | None:
    """`APPLICATION:CATEGORY=AMOUNT` split at the first colon: (application, the rest), or
    None when there is no application before a colon."""
    application, colon, rest = spec.partition(":")
    if not colon or not application.strip() or not rest.strip():
        return None
    return application.strip(), rest
