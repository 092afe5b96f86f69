"""`fund report`: a round's applications, funded projects and money per plan priority on a
day, and what is still unaccounted for, read in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from comunidad_cli.core.funds.report import (
    Applied,
    PriorityFigures,
    ProjectFigures,
    by_priority,
    total,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.services.grants.common import Refused, _refused


@dataclass(frozen=True, slots=True)
class RoundReport:
    """The round on `on`: its figures per priority and per project."""

    round: str
    name: dict[str, str]
    currency: str
    budget: Decimal
    grant: str | None
    award: str | None
    motion: str | None
    on: date
    priorities: tuple[PriorityFigures, ...]
    projects: tuple[ProjectFigures, ...]

    @property
    def total(self) -> PriorityFigures:
        return total(self.priorities)

    def as_json(self) -> dict[str, Any]:
        from comunidad_cli.services.grants.common import in_currency

        def figures(row: PriorityFigures) -> dict[str, Any]:
            return {
                "priority": row.priority,
                "applications": row.applications,
                "admissible": row.admissible,
                "funded": row.funded,
                "asked": row.asked,
                "awarded": row.awarded,
                "paid": row.paid,
                "unaccounted": row.unaccounted,
                "overdue_reports": row.overdue,
            }

        data: dict[str, Any] = in_currency(
            {
                "round": self.round,
                "name": self.name,
                "currency": self.currency,
                "budget": self.budget,
                "grant": self.grant,
                "award": self.award,
                "motion": self.motion,
                "on": self.on.isoformat(),
                "priorities": [figures(r) for r in self.priorities],
                "total": {k: v for k, v in figures(self.total).items() if k != "priority"},
                "projects": [
                    {
                        "application": p.application,
                        "organisation": p.organisation,
                        "project": p.project,
                        "priority": p.priority,
                        "awarded": p.awarded,
                        "subcontract": p.subcontract,
                        "paid": p.paid,
                        "reports": p.reports,
                        "submitted": p.submitted,
                        "overdue_reports": p.overdue,
                        "accounted": p.accounted,
                        "unaccounted": p.unaccounted,
                    }
                    for p in self.projects
                ],
            },
            self.currency,
        )
        return data


def round_report(url: str, round_key: str, on: date) -> RoundReport:
    """The report of round `round_key` on `on` (payments dated up to it, reports handed in
    by it)."""
    from comunidad_cli.services.funds.round_files import round_of_text
    from comunidad_cli.services.grants.records import _deliverables
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import grants as stored_grants
    from comunidad_cli.storage.funds import projects as stored
    from comunidad_cli.storage.funds import rounds as stored_rounds

    with reading_db(url) as db:
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
        text = stored_rounds.latest_text(db, round_row.id)
        assert text is not None, round_key
        round_ = round_of_text(text.content, round_key)
        applied = [
            Applied(s.priority, s.asked, s.admissible)
            for s in stored.application_states(db, round_row.id)
        ]
        award = stored.adopted_award(db, round_row.id)
        lines = stored.funded_lines(db, award.id) if award is not None else []
        ids = [line.subcontract_id for line in lines if line.subcontract_id is not None]
        paid = stored_grants.paid(db, ids, on) if ids else {}
        reports = _deliverables(db, ids, on, as_of=True) if ids else {}
        projects = []
        for line in lines:
            owed = reports.get(line.subcontract_id, []) if line.subcontract_id else []
            occurrences = [o for d in owed for o in d.occurrences]
            projects.append(
                ProjectFigures(
                    line.application,
                    line.organisation_name,
                    line.project,
                    line.priority,
                    line.awarded,
                    line.subcontract,
                    paid.get(line.subcontract_id, Decimal(0))
                    if line.subcontract_id
                    else Decimal(0),
                    len(occurrences),
                    sum(1 for o in occurrences if o.submitted_on is not None),
                    sum(1 for o in occurrences if o.overdue),
                )
            )
        return RoundReport(
            round_key,
            dict(round_.name),
            round_.currency,
            round_.budget,
            round_row.grant,
            award.key if award is not None else None,
            award.motion if award is not None else None,
            on,
            tuple(by_priority(round_.serves, applied, projects)),
            tuple(projects),
        )
