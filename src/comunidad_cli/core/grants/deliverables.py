"""Deliverables: schedules, due dates with month-end clamping, overdue and very late
occurrences, and reports that hold payments while overdue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.when import add_months

UNITS = ("weeks", "months")
VERY_LATE_DAYS = 14


MAX_OCCURRENCES = 10_000


def schedule_problem(
    first_due: date,
    every: int | None,
    unit: str | None,
    until: date | None,
    start: date,
) -> Msg | None:
    """A deliverable's schedule: a unit goes with `every`; dates in order."""
    if first_due < start:
        return Msg.of(
            N_("the first due date {due} is before the subcontract starts ({start})"),
            due=first_due,
            start=start,
        )
    if (every is None) != (unit is None):
        return Msg.of(N_("a recurring deliverable needs both --every N and --unit weeks|months"))
    if every is not None and every < 1:
        return Msg.of(N_("--every must be 1 or more, not {every}"), every=every)
    if until is not None and every is None:
        return Msg.of(N_("--until is for recurring deliverables (with --every)"))
    if until is not None and until < first_due:
        return Msg.of(
            N_("--until ({until}) is before the first due date ({due})"), until=until, due=first_due
        )
    return None


def due_dates(first_due: date, every: int | None, unit: str | None, until: date) -> list[date]:
    """Every due date: `first_due`, then every `every` weeks or months (each computed from
    `first_due`, so month-end clamping does not drift) up to `until` included."""
    if every is None or unit is None:
        return [first_due]
    dates: list[date] = []
    for k in range(MAX_OCCURRENCES):
        due = (
            first_due + timedelta(weeks=every * k)
            if unit == "weeks"
            else add_months(first_due, every * k)
        )
        if due > until:
            break
        dates.append(due)
    return dates


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due date of a deliverable, its submission (if any) and its flags on `today`."""

    due: date
    submitted_on: date | None
    overdue: bool
    very_late: bool
    days_late: int

    @property
    def late_submission(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due


def occurrence(due: date, submitted_on: date | None, today: date) -> Occurrence:
    if submitted_on is not None:
        late = max((submitted_on - due).days, 0)
        return Occurrence(due, submitted_on, False, False, late)
    late = max((today - due).days, 0)
    return Occurrence(due, None, late > 0, late > VERY_LATE_DAYS, late)


def occurrences(
    dues: Iterable[date], submissions: Mapping[date, date], today: date
) -> list[Occurrence]:
    return [occurrence(due, submissions.get(due), today) for due in dues]


@dataclass(frozen=True, slots=True)
class HoldingReport:
    """A report that holds payments: its title and due dates with their submissions."""

    title: str
    dues: tuple[date, ...]
    submissions: Mapping[date, date] = field(default_factory=dict)

    def overdue_on(self, day: date) -> date | None:
        """The first due date overdue on `day` (due before it, not submitted by then)."""
        for due in self.dues:
            if due >= day:
                return None
            submitted = self.submissions.get(due)
            if submitted is None or submitted > day:
                return due
        return None


def hold_problem(reports: Iterable[HoldingReport], day: date) -> Msg | None:
    """Why a payment must wait on `day`: a report that holds payments is overdue."""
    for report in reports:
        due = report.overdue_on(day)
        if due is not None:
            return Msg.of(
                N_(
                    'payments wait for the report "{title}" due {due}, overdue on {day}: record'
                    ' it with "comunidad deliverable submit" first'
                ),
                title=report.title,
                due=due,
                day=day,
            )
    return None
