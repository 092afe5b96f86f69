"""Why a subcontract needs attention: one list of reasons and one place that decides them,
so that `subcontract list|show`, `grant show` and `summary` never disagree.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from comunidad_cli.core.grants.budget import BudgetPosition
from comunidad_cli.core.grants.spend import Pace, elapsed_share, pace_of


def overdraw_risk(budget_position: BudgetPosition, start: date, end: date, today: date) -> bool:
    """Spending running ahead of time: a line (or the total) whose spending pace is
    `Pace.AHEAD` (`spend.pace_of`: more of its budget spent than the share of the period
    elapsed plus the margin). The same rule as `spend-down`'s pace, applied per line."""
    elapsed = elapsed_share(start, end, today)
    pairs = [(line.budget, line.spent) for line in budget_position.lines]
    pairs.append((budget_position.obligated, budget_position.spent))
    return any(
        budget > 0 and pace_of(Fraction(spent) / Fraction(budget), elapsed) is Pace.AHEAD
        for budget, spent in pairs
    )


#: Why a subcontract needs attention, in the order they are shown (machine names: the edge
#: words them). One list for `subcontract list|show`, `grant show` and `summary`.
ATTENTION_REASONS = (
    "missing_risk_assessment",
    "very_late_reports",
    "overdue_reports",
    "overdraw_risk",
    "revision_awaiting_approval",
)


def attention_reasons(
    *,
    status: str,
    risk_on_file: bool,
    overdue: int,
    very_late: int,
    overdraw: bool,
    pending_revisions: int,
) -> tuple[str, ...]:
    """Every reason a subcontract needs attention (none once it is closed): a missing risk
    assessment, reports very late (or else overdue), overdraw risk, a budget revision
    awaiting the funder's approval. The one place these are decided, so no report omits one."""
    if status == "closed":
        return ()
    found: list[str] = []
    if not risk_on_file:
        found.append("missing_risk_assessment")
    if very_late:
        found.append("very_late_reports")
    elif overdue:
        found.append("overdue_reports")
    if overdraw:
        found.append("overdraw_risk")
    if pending_revisions:
        found.append("revision_awaiting_approval")
    return tuple(found)
