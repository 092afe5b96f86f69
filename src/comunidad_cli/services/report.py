"""The board report (`comunidad report --html`): a period's grants, meetings and decisions,
funded projects, capacity change and outcomes, read from the services that own each piece.

The data only: `render/report.py` draws it. Outcomes reach the report through the small
typed interface below (`OutcomesSection`, `IndicatorOutcomes`, `OutcomeSeries`,
`DimensionDisparities`, `DisparityRow`): figures already computed and already suppressed
for privacy (what the report may show), so the report never computes a rate itself and
never shows a hidden cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from comunidad_cli.core.messages import N_
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.core.capacity.instrument import Texts
    from comunidad_cli.services.funds.report import RoundReport
    from comunidad_cli.services.summary import GrantSpend
    from comunidad_cli.storage.dbapi import Db


# --- outcomes: the interface the outcome commands fill -----------------------------------------


@dataclass(frozen=True, slots=True)
class OutcomeSeries:
    """One line of an indicator's trend: the total or one group, a value per period of
    `IndicatorOutcomes.periods` (None: not shown, because suppressed or without data)."""

    label: str | None  # None: the total (worded in the report's language)
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class DisparityRow:
    """One group against the reference in one period: its rate, rate ratio and rate
    difference (None where suppressed), and whether it fares worse than four-fifths of the
    reference (the flag)."""

    group: str
    rate: Decimal | None
    ratio: Decimal | None
    difference: Decimal | None
    flagged: bool
    is_reference: bool = False


@dataclass(frozen=True, slots=True)
class DimensionDisparities:
    """One dimension (race/ethnicity, gender, age group ...) of an indicator in one period."""

    dimension: str  # its id: race_ethnicity, gender, age_group, neighbourhood or one named
    period: str
    reference: str | None  # the reference group (the best one shown); None: none shown
    reference_rate: Decimal | None
    rows: tuple[DisparityRow, ...]
    index_of_disparity: Decimal | None  # per cent of the reference rate


@dataclass(frozen=True, slots=True)
class IndicatorOutcomes:
    """One indicator as the report shows it: values in the measure's unit (a percentage
    0-100, a rate per 1,000, a count, median days)."""

    key: str
    name: Mapping[str, str]  # by language: es, en, ca
    measure: str  # "percentage", "per_1000", "count", "median_days"
    lower_is_better: bool
    periods: tuple[str, ...]
    series: tuple[OutcomeSeries, ...]
    baseline: Decimal | None
    target: Decimal | None
    disparities: tuple[DimensionDisparities, ...]


@dataclass(frozen=True, slots=True)
class OutcomesSection:
    """The outcomes of the period, with the privacy settings they were suppressed under
    (stated on the report): counts from 1 to `minimum - 1` are hidden, and no rate is shown
    over a denominator below `min_denominator`."""

    minimum: int
    min_denominator: int
    indicators: tuple[IndicatorOutcomes, ...]


def outcomes_section(url: str, start: date, end: date, root: Path | None) -> OutcomesSection | None:
    """The outcomes of the periods within `start`..`end` in the workspace at `root`, as
    the outcome commands show them (`services/outcomes/data.py` `outcomes_for_report`: the
    totals' trend, and each dimension's groups against the best group in the last period,
    suppressed under the workspace's `[privacy]`); None while it records none."""
    from comunidad_cli.services.outcomes.data import outcomes_for_report

    found = outcomes_for_report(url, start, end, root=root)
    if not found:
        return None
    privacy = found[0].privacy
    return OutcomesSection(
        privacy.minimum,
        privacy.min_denominator,
        tuple(
            IndicatorOutcomes(
                item.indicator.id,
                item.indicator.name,
                item.indicator.measure,
                item.indicator.direction == "lower",
                tuple(point.period for point in item.trend),
                (OutcomeSeries(None, tuple(_exact(point.total.rate) for point in item.trend)),),
                item.indicator.baseline.value if item.indicator.baseline is not None else None,
                item.indicator.target.value if item.indicator.target is not None else None,
                tuple(
                    DimensionDisparities(
                        view.dimension,
                        item.period or "",
                        view.reference,
                        _exact(view.reference_rate),
                        tuple(
                            DisparityRow(
                                row.group,
                                _exact(row.shown.rate),
                                _exact(row.ratio),
                                _exact(row.difference),
                                bool(row.flagged),
                                row.is_reference,
                            )
                            for row in view.rows
                        ),
                        _exact(view.index),
                    )
                    for view in item.dimensions
                ),
            )
            for item in found
        ),
    )


def _exact(value: Fraction | None) -> Decimal | None:
    """An exact rate as a Decimal for drawing and formatting (28 significant digits: the
    edge rounds it to what it shows)."""
    if value is None:
        return None
    return Decimal(value.numerator) / Decimal(value.denominator)


# --- the rest of the report --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MotionLine:
    key: str
    title: str
    decision: str
    outcome: str | None  # None: still open


@dataclass(frozen=True, slots=True)
class MeetingDecisions:
    key: str
    body: str
    day: date
    title: str | None
    motions: tuple[MotionLine, ...]


@dataclass(frozen=True, slots=True)
class DomainChange:
    """A capacity domain across the network: the mean of the organisations' latest rounds
    the day before the period and on its last day (None: nothing assessed by then)."""

    name: Texts
    before: Fraction | None
    after: Fraction | None
    organisations: int

    @property
    def change(self) -> Fraction | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class CapacityChange:
    instrument: str
    instrument_name: Texts
    organisations: int
    domains: tuple[DomainChange, ...]


@dataclass(frozen=True, slots=True)
class BoardReport:
    start: date
    end: date
    grants: tuple[GrantSpend, ...]
    meetings: tuple[MeetingDecisions, ...]
    rounds: tuple[RoundReport, ...]
    unawarded_rounds: tuple[str, ...]  # opened, with no adopted award by the end
    capacity: CapacityChange | None
    outcomes: OutcomesSection | None


def period_problem(start: date, end: date) -> ServiceError | None:
    """A period must run forwards (a report from after its end is a typing mistake)."""
    if start > end:
        return ServiceError.of(
            N_("the period starts ({start}) after it ends ({end}): swap --from and --to"),
            start=start,
            end=end,
            exit_code=2,
        )
    return None


def default_period(end: date) -> date:
    """The first day of the year that ends on `end` (a year's report by default)."""
    try:
        return end.replace(year=end.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February: a year before is 28 February
        return end.replace(year=end.year - 1, day=28) + timedelta(days=1)


def _meetings(db: Db, start: date, end: date) -> tuple[MeetingDecisions, ...]:
    """The meetings held in the period (their day on the workspace's clocks), with their
    motions and outcomes, in order."""
    from comunidad_cli import clock
    from comunidad_cli.storage.governance import meetings, motions_of

    zone = clock.zone()
    found = []
    for row in meetings(db):
        day = row.scheduled_at.astimezone(zone).date()
        if start <= day <= end:
            found.append(
                MeetingDecisions(
                    row.key,
                    row.body,
                    day,
                    row.title,
                    tuple(
                        MotionLine(m.key, m.title, m.decision, m.outcome)
                        for m in motions_of(db, row.id)
                    ),
                )
            )
    return tuple(found)


def _capacity(db: Db, start: date, end: date, folder: Path | None) -> CapacityChange | None:
    """The network's capacity domains the day before the period and at its end, with the
    instrument of the latest assessment by then (None: nothing assessed by the end)."""
    from comunidad_cli.services.capacity.assessments import network_capacity

    try:
        after = network_capacity(db, folder=folder, as_of=end)
    except ServiceError:
        return None
    try:
        before = network_capacity(
            db, instrument_id=after.instrument.id, folder=folder, as_of=start - timedelta(days=1)
        ).view.domains
    except ServiceError:
        before = ()
    earlier = {d.domain.id: d.mean for d in before}
    assessed = sum(1 for r in after.view.rounds if r is not None)
    return CapacityChange(
        after.instrument.id,
        after.instrument.name,
        assessed,
        tuple(
            DomainChange(d.domain.name, earlier.get(d.domain.id), d.mean, d.organisations)
            for d in after.view.domains
        ),
    )


def board_report(url: str, start: date, end: date, root: Path | None) -> BoardReport:
    """Everything the board report shows for the period from `start` to `end` (both
    included): grants as of `end`, the period's meetings, each round's funded projects on
    `end`, capacity before and after (with the instruments of the workspace at `root`
    before the shipped ones), outcomes."""
    from comunidad_cli.services.funds.report import round_report
    from comunidad_cli.services.grants.positions import grant_positions
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.services.summary import spend_of
    from comunidad_cli.storage.funds.projects import adopted_award
    from comunidad_cli.storage.funds.rounds import rounds

    problem = period_problem(start, end)
    if problem is not None:
        raise problem
    with reading_db(url) as db:
        grants = grant_positions(db, today=end, as_of=True)
        held = _meetings(db, start, end)
        opened = [r for r in rounds(db) if r.opened_at.date() <= end]
        awarded = sorted(r.key for r in opened if adopted_award(db, r.id) is not None)
        unawarded = tuple(sorted(r.key for r in opened if r.key not in awarded))
        capacity = _capacity(db, start, end, root / "instruments" if root is not None else None)
    return BoardReport(
        start,
        end,
        spend_of(grants, end),
        held,
        tuple(round_report(url, key, end) for key in awarded),
        unawarded,
        capacity,
        outcomes_section(url, start, end, root),
    )
