"""From award to money: `fund contract` makes each funded project of a round's adopted
award a subcontract of the round's grant (budget lines, period, the accountability reports
as deliverables), so payments, holds for late accounts and `summary` work on it as on any
subcontract. One transaction: every subcontract of the award, or none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.funds.contracts import Funded, Lines, ProjectPlan, plan_projects
from comunidad_cli.core.grants.budget import budget_line_problems, obligation_problem
from comunidad_cli.core.grants.deliverables import schedule_problem
from comunidad_cli.core.grants.values import period_problem, to_cents, within_problem
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import (
    DELIVERABLE_ENTITY,
    SUBCONTRACT_ENTITY,
    Refused,
    _check,
    _new_key,
    _precision,
    _refused,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db
    from comunidad_cli.storage.funds.projects import FundedLine


@dataclass(frozen=True, slots=True)
class Contracted:
    """A funded project and its subcontract (made now, or by an earlier run)."""

    application: str
    organisation: str
    project: str
    subcontract: str
    amount: Decimal
    reports: tuple[str, ...]
    made_now: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "application": self.application,
            "organisation": self.organisation,
            "project": self.project,
            "subcontract": self.subcontract,
            "amount": self.amount,
            "reports": list(self.reports),
            "made_now": self.made_now,
        }


@dataclass(frozen=True, slots=True)
class ContractResult:
    """What `fund contract` did: the round, its grant and currency, the award and motion
    that adopted it, and every funded project with its subcontract."""

    round: str
    grant: str
    currency: str
    award: str
    motion: str
    projects: tuple[Contracted, ...]

    def as_json(self) -> dict[str, Any]:
        from comunidad_cli.services.grants.common import in_currency

        data: dict[str, Any] = in_currency(
            {
                "round": self.round,
                "grant": self.grant,
                "currency": self.currency,
                "award": self.award,
                "motion": self.motion,
                "projects": [p.as_json() for p in self.projects],
            },
            self.currency,
        )
        return data


def contract_awards(
    url: str,
    round_key: str,
    *,
    given: Mapping[str, Lines] | None = None,
    language: str = "es",
    by: str | None = None,
    decimal_mark: str | None = None,
) -> ContractResult:
    """Make the subcontracts of the round's adopted award that are not made yet."""
    from comunidad_cli.services.funds.round_files import round_of_text
    from comunidad_cli.services.grants.budget import _committed
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import grants as stored_grants
    from comunidad_cli.storage.funds import applications as stored_applications
    from comunidad_cli.storage.funds import projects as stored
    from comunidad_cli.storage.funds import rounds as stored_rounds

    now = clock.now()
    given = dict(given or {})
    with writing_db(url) as db:
        round_row = stored_rounds.round_by_key(db, round_key)
        if round_row is None:
            from comunidad_cli.services.funds.suggest import no_round

            close = no_round(db, round_key)
            if close is not None:
                raise Refused([close])
            raise _refused(
                N_("round {round} is not open: open it first with fund open FILE --grant GRANT"),
                round=round_key,
            )
        if round_row.grant_id is None or round_row.grant is None:
            raise _refused(
                N_(
                    "round {round} has no grant: its awards become subcontracts of a grant"
                    " (open the round with fund open FILE --grant GRANT)"
                ),
                round=round_key,
            )
        award = stored.adopted_award(db, round_row.id)
        if award is None:
            raise _refused(
                N_(
                    "no award of round {round} has been adopted: propose one with fund award"
                    " --propose and close its motion"
                ),
                round=round_key,
            )
        text = stored_rounds.text_by_id(db, award.round_text_id)
        round_ = round_of_text(text.content, round_key)
        [grant] = stored_grants.grants(db, round_row.grant_id)
        currency = str(grant["currency"])
        lines = stored.funded_lines(db, award.id)
        pending = [line for line in lines if line.subcontract_id is None]
        asked = stored_applications.application_lines(db, round_row.id)
        for application, typed in given.items():
            _precision(currency, [(f"--line {application}:{c}", a) for c, a in typed], decimal_mark)
        plans, problems = plan_projects(
            round_,
            [
                Funded(
                    line.application, line.asked, line.awarded, asked.get(line.application_id, {})
                )
                for line in pending
            ],
            given,
        )
        if problems:
            raise Refused(problems, currency=currency)
        by_application = {line.application: line for line in pending}
        committed = _committed(db, round_row.grant_id)
        made: dict[str, tuple[str, tuple[str, ...]]] = {}
        for plan in plans:
            line = by_application[plan.application]
            obligated = sum((amount for _, amount in plan.lines), Decimal(0))
            _check(
                [
                    period_problem(plan.start, plan.end)
                    or within_problem(
                        plan.start, plan.end, grant["start"], grant["end"], Msg.of(N_("grant"))
                    ),
                    *budget_line_problems(list(plan.lines)),
                    obligation_problem(grant["amount"], committed, obligated),
                    *(
                        schedule_problem(report.due, None, None, None, plan.start)
                        for report in plan.reports
                    ),
                ],
                currency,
            )
            committed += obligated
            made[plan.application] = _make(
                db,
                plan,
                line,
                grant_key=str(grant["key"]),
                grant_id=round_row.grant_id,
                round_key=round_key,
                award_key=award.key,
                language=language,
                by=by,
                now=now,
            )
        projects = tuple(
            Contracted(
                line.application,
                line.organisation_name,
                line.project,
                made[line.application][0] if line.application in made else str(line.subcontract),
                line.awarded,
                made[line.application][1] if line.application in made else (),
                line.application in made,
            )
            for line in lines
        )
        return ContractResult(
            round_key, str(grant["key"]), currency, award.key, award.motion, projects
        )


def _make(
    db: Db,
    plan: ProjectPlan,
    line: FundedLine,
    *,
    grant_key: str,
    grant_id: int,
    round_key: str,
    award_key: str,
    language: str,
    by: str | None,
    now: datetime,
) -> tuple[str, tuple[str, ...]]:
    """Insert one project's subcontract, its deliverables and its fund_project row, with
    their audit rows; returns the subcontract's key and its deliverables' titles."""
    from comunidad_cli.storage import grants as stored_grants
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.funds import projects as stored

    key = _new_key(db, "subcontract", None, (grant_key, line.organisation), "subcontract")
    cents = [(c, to_cents(a)) for c, a in plan.lines]
    sub_id = stored_grants.add_subcontract(
        db,
        key=key,
        grant_id=grant_id,
        partner_id=line.organisation_id,
        kind=plan.kind,
        start=plan.start,
        end=plan.end,
        status="draft",
        created_at=now,
        lines=cents,
    )
    stored.add_project(db, award_line_id=line.line_id, subcontract_id=sub_id, created_at=now)
    record(
        db,
        command="fund contract",
        action="create",
        entity=SUBCONTRACT_ENTITY,
        entity_id=key,
        detail={
            "grant": grant_key,
            "partner": line.organisation,
            "kind": plan.kind,
            "start": plan.start,
            "end": plan.end,
            "lines": dict(cents),
            "round": round_key,
            "award": award_key,
            "application": line.application,
        },
        at=now,
        actor=by,
    )
    titles: list[str] = []
    for report in plan.reports:
        title = report.title.get(language) or next(iter(report.title.values()))
        deliverable = _new_key(db, "deliverable", None, (key, title), "deliverable")
        stored_grants.add_deliverable(
            db,
            key=deliverable,
            subcontract_id=sub_id,
            title=title,
            first_due=report.due,
            every=None,
            unit=None,
            until=None,
            holds_payments=report.holds_payments,
        )
        record(
            db,
            command="fund contract",
            action="create",
            entity=DELIVERABLE_ENTITY,
            entity_id=deliverable,
            detail={
                "subcontract": key,
                "title": title,
                "first_due": report.due,
                "holds_payments": report.holds_payments,
            },
            at=now,
            actor=by,
        )
        titles.append(title)
    return key, tuple(titles)


def given_lines(specs: Sequence[tuple[str, str, Decimal]]) -> dict[str, Lines]:
    """`--line APPLICATION:CATEGORY=AMOUNT` values grouped by application, in order."""
    grouped: dict[str, list[tuple[str, Decimal]]] = {}
    for application, category, amount in specs:
        grouped.setdefault(application, []).append((category, amount))
    return {application: tuple(lines) for application, lines in grouped.items()}
