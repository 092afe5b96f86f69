"""The round report: money and projects per plan priority, and what is still unaccounted
for. A funded project's money is accounted for once every accountability report it owes
has been handed in; until then what was paid to it is "unaccounted" (por rendir)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ProjectFigures:
    """One funded project on the report's day."""

    application: str
    organisation: str
    project: str
    priority: str | None
    awarded: Decimal
    subcontract: str | None
    paid: Decimal
    reports: int
    submitted: int
    overdue: int

    @property
    def accounted(self) -> bool:
        return self.subcontract is not None and self.submitted == self.reports

    @property
    def unaccounted(self) -> Decimal:
        return ZERO if self.accounted else self.paid


@dataclass(frozen=True, slots=True)
class Applied:
    """An application as the report counts it: its priority, the amount asked, and its
    standing admissibility (None: not judged yet)."""

    priority: str | None
    asked: Decimal
    admissible: bool | None


@dataclass(frozen=True, slots=True)
class PriorityFigures:
    """The applications, funded projects and money of one plan priority (None: none named)."""

    priority: str | None
    applications: int
    admissible: int
    funded: int
    asked: Decimal
    awarded: Decimal
    paid: Decimal
    unaccounted: Decimal
    overdue: int


def _order(serves: Sequence[str], priority: str | None) -> tuple[int, int, str]:
    if priority is None:
        return (2, 0, "")
    if priority in serves:
        return (0, serves.index(priority), priority)
    return (1, 0, priority)


def by_priority(
    serves: Sequence[str], applied: Sequence[Applied], projects: Sequence[ProjectFigures]
) -> list[PriorityFigures]:
    """One row per priority the round serves (in the round's order, even with nothing in
    it), then any other priority named by an application, then applications naming none."""
    keys = {*serves, *(a.priority for a in applied), *(p.priority for p in projects)}
    rows: list[PriorityFigures] = []
    for key in sorted(keys, key=lambda k: _order(serves, k)):
        mine = [a for a in applied if a.priority == key]
        funded = [p for p in projects if p.priority == key]
        rows.append(
            PriorityFigures(
                key,
                len(mine),
                sum(1 for a in mine if a.admissible),
                len(funded),
                sum((a.asked for a in mine), ZERO),
                sum((p.awarded for p in funded), ZERO),
                sum((p.paid for p in funded), ZERO),
                sum((p.unaccounted for p in funded), ZERO),
                sum(p.overdue for p in funded),
            )
        )
    return rows


def total(rows: Sequence[PriorityFigures]) -> PriorityFigures:
    """The rows added up (priority None)."""
    return PriorityFigures(
        None,
        sum(r.applications for r in rows),
        sum(r.admissible for r in rows),
        sum(r.funded for r in rows),
        sum((r.asked for r in rows), ZERO),
        sum((r.awarded for r in rows), ZERO),
        sum((r.paid for r in rows), ZERO),
        sum((r.unaccounted for r in rows), ZERO),
        sum(r.overdue for r in rows),
    )
