"""The counts behind the indicators, as they may be shown: read in one `reading_db`
transaction, suppressed (`core/outcomes/privacy.py`: counts from 1 to `minimum - 1` hidden
with complementary suppression, no rate under `min_denominator`) over the whole table of
an indicator, then rates with Wilson intervals, change from the baseline and disparities
between groups (`core/outcomes/rates.py`, `core/outcomes/disparity.py`) from what may be
shown only. Nothing here computes a rate itself.

The privacy settings come from comunidad.toml's `[privacy]` (minimum, min_denominator),
which command options override; every output states them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.indicators.model import TOTAL, Indicator, period_key
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.core.outcomes.cells import Cell
    from comunidad_cli.core.outcomes.privacy import Suppressed
    from comunidad_cli.core.outcomes.rates import Change

#: comunidad.toml's table of privacy settings, and its keys.
PRIVACY_TABLE = "privacy"
_PRIVACY_KEYS = ("minimum", "min_denominator")


@dataclass(frozen=True, slots=True)
class Privacy:
    """What may be shown: counts from `minimum` up (0 too), rates from `min_denominator`
    up. Stated on every output."""

    minimum: int
    min_denominator: int

    def statement(self) -> tuple[Msg, ...]:
        from comunidad_cli.core.outcomes.privacy import statement

        return statement(self.minimum, self.min_denominator)


def privacy_settings(
    root: Path | None, minimum: int | None = None, min_denominator: int | None = None
) -> Privacy:
    """The workspace's `[privacy]` (defaults: minimum 11, min_denominator 20), with the
    command's options over it; a bad setting is refused, naming the file."""
    from comunidad_cli.core.outcomes.privacy import DEFAULT_MIN_DENOMINATOR, DEFAULT_MINIMUM

    settings: dict[str, int] = {
        "minimum": DEFAULT_MINIMUM,
        "min_denominator": DEFAULT_MIN_DENOMINATOR,
    }
    if root is not None:
        from comunidad_cli.core import tomlpos
        from comunidad_cli.services.workspace import CONFIG_NAME, load

        load(root)  # the file's own refusals first
        path = root / CONFIG_NAME
        table = tomlpos.loads(path.read_text(encoding="utf-8")).get(PRIVACY_TABLE, {})
        if not isinstance(table, dict):
            raise ServiceError.of(
                N_("{path}: [privacy] must be a table with minimum and min_denominator"),
                path=str(path),
            )
        for key, value in table.items():
            if (
                key not in _PRIVACY_KEYS
                or not isinstance(value, int)
                or isinstance(value, bool)
                or value < 1
            ):
                raise ServiceError.of(
                    N_(
                        "{path}: [privacy] {key} = {value}: write minimum and"
                        " min_denominator as whole numbers from 1 (minimum = 11)"
                    ),
                    path=str(path),
                    key=key,
                    value=str(value),
                )
            settings[key] = value
    for key, given in (("minimum", minimum), ("min_denominator", min_denominator)):
        if given is not None:
            if given < 1:
                raise ServiceError.of(
                    N_("--{option} must be a whole number from 1, found {value}"),
                    exit_code=2,
                    option=key.replace("_", "-"),
                    value=given,
                )
            settings[key] = given
    return Privacy(settings["minimum"], settings["min_denominator"])


# --- what is shown ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shown:
    """One cell as it may be shown: a hidden count is None, and so is a rate not shown;
    `low`/`high` Wilson's 95% interval (percentages and rates per 1,000)."""

    numerator: Decimal | None
    denominator: int | None
    rate: Fraction | None
    low: Decimal | None = None
    high: Decimal | None = None
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """A period's total: shown as it may be, and its change from the baseline."""

    period: str
    total: Shown
    change: Change | None


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A group of one dimension in one period against the reference group."""

    group: str
    shown: Shown
    ratio: Fraction | None
    difference: Fraction | None
    flagged: bool | None
    is_reference: bool


@dataclass(frozen=True, slots=True)
class DimensionView:
    """One dimension in one period: each group against the reference (`reference` None:
    the total), and the index of disparity."""

    dimension: str
    reference: str | None
    reference_rate: Fraction | None
    rows: tuple[GroupRow, ...]
    index: Fraction | None


@dataclass(frozen=True, slots=True)
class IndicatorView:
    """An indicator as `outcome show` shows it: the trend of its totals, and for one period
    (the latest, or the one asked) each dimension's disparities."""

    indicator: Indicator
    privacy: Privacy
    reference: str
    trend: tuple[TrendPoint, ...]
    period: str | None
    dimensions: tuple[DimensionView, ...]


def _cells(rows: Sequence[tuple[str, str, str, Decimal | None, int | None]]) -> list[Cell]:
    """Stored counts as the computation's cells: the total has no dimension and no group;
    counts are integers, a median stays a Decimal."""
    from comunidad_cli.core.outcomes.cells import Cell

    out: list[Cell] = []
    for period, dimension, group, numerator, denominator in rows:
        value: int | Decimal | None = numerator
        if numerator is not None and numerator == numerator.to_integral_value():
            value = int(numerator)
        if dimension == TOTAL:
            out.append(Cell(period, None, None, value, denominator))
        else:
            out.append(Cell(period, dimension, group, value, denominator))
    return out


def _suppressed(indicator: Indicator, cells: Sequence[Cell], privacy: Privacy) -> Suppressed:
    from comunidad_cli.core.outcomes.privacy import suppress

    additive = [d for d in indicator.dimensions if indicator.must_add_up(d)]
    return suppress(
        cells,
        privacy.minimum,
        privacy.min_denominator,
        measure=indicator.measure,  # type: ignore[arg-type]
        additive=additive,
    )


def _shown(cell: Cell, visible: Cell, table: Suppressed, measure: str) -> Shown:
    from comunidad_cli.core.outcomes.rates import rate, rate_interval

    hidden = visible.numerator is None or (
        visible.denominator is None and cell.denominator is not None
    )
    if cell.key in table.no_rate:
        return Shown(_decimal(visible.numerator), visible.denominator, None, hidden=hidden)
    value = rate(cell.numerator, cell.denominator, measure)  # type: ignore[arg-type]
    interval = (
        rate_interval(cell.numerator, cell.denominator, measure)  # type: ignore[arg-type]
        if isinstance(cell.numerator, int)
        else None
    )
    low, high = interval if interval is not None else (None, None)
    return Shown(_decimal(visible.numerator), visible.denominator, value, low, high, hidden)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _by_period(cells: Sequence[Cell]) -> list[str]:
    periods = {cell.period for cell in cells}
    return sorted(periods, key=lambda p: (period_key(p) or (0, 0, 0), p))


def view_of(
    indicator: Indicator,
    rows: Sequence[tuple[str, str, str, Decimal | None, int | None]],
    privacy: Privacy,
    *,
    period: str | None = None,
    dimension: str | None = None,
    reference: str = "best",
    within: Collection[str] | None = None,
) -> IndicatorView:
    """The whole view of one indicator from its stored counts (no I/O): suppression over
    every period, then the trend and the chosen period's disparities from what may be shown."""
    from comunidad_cli.core.outcomes.disparity import (
        disparities,
        index_of_disparity,
        reference_problem,
    )
    from comunidad_cli.core.outcomes.rates import change

    cells = _cells(rows)
    table = _suppressed(indicator, cells, privacy)
    visible = {cell.key: cell for cell in table.visible()}
    periods = _by_period(cells)
    if within is not None:
        periods = [p for p in periods if p in within]
    totals = {cell.period: cell for cell in cells if cell.is_total}
    baseline = indicator.baseline.value if indicator.baseline is not None else None
    target = indicator.target.value if indicator.target is not None else None
    trend: list[TrendPoint] = []
    for p in periods:
        total = totals.get(p)
        if total is None:
            continue
        shown = _shown(total, visible[total.key], table, indicator.measure)
        trend.append(
            TrendPoint(
                p,
                shown,
                change(
                    shown.rate,
                    baseline=baseline,
                    target=target,
                    direction=indicator.direction,  # type: ignore[arg-type]
                ),
            )
        )
    if period is not None and period not in periods:
        raise ServiceError.of(
            N_("indicator {indicator} has no data for {period}: it has {periods}"),
            indicator=indicator.id,
            period=period,
            periods=", ".join(periods) or "-",
        )
    chosen = period if period is not None else (periods[-1] if periods else None)
    if dimension is not None and dimension not in indicator.dimensions:
        raise ServiceError.of(
            N_(
                "indicator {indicator} is not broken down by {dimension}: its dimensions are {dimensions}"
            ),
            exit_code=2,
            indicator=indicator.id,
            dimension=dimension,
            dimensions=", ".join(indicator.dimensions),
        )
    views: list[DimensionView] = []
    missing: Msg | None = None
    for dim in indicator.dimensions if dimension is None else (dimension,):
        group_cells = [c for c in cells if c.period == chosen and c.dimension == dim]
        if not group_cells:
            continue
        compared = group_cells + [c for c in cells if c.period == chosen and c.is_total]
        problem = reference_problem(compared, reference)
        if problem is not None:
            if reference not in ("best", "total") and dimension is None:
                missing = missing or problem
                continue  # a named group is of one dimension: only that one is compared
            raise ServiceError(problem, exit_code=2)
        rows_ = disparities(
            compared,
            reference,
            indicator.direction,  # type: ignore[arg-type]
            indicator.measure,  # type: ignore[arg-type]
            hidden=table.no_rate,
        )
        by_group = {c.group: c for c in group_cells}
        group_rows = tuple(
            GroupRow(
                r.group,
                _shown(by_group[r.group], visible[by_group[r.group].key], table, indicator.measure),
                r.ratio,
                r.difference,
                r.flagged,
                r.is_reference,
            )
            for r in rows_
        )
        reference_rate = next(
            (r.reference_rate for r in rows_ if r.reference_rate is not None), None
        )
        views.append(
            DimensionView(
                dim,
                rows_[0].reference if rows_ else None,
                reference_rate,
                group_rows,
                index_of_disparity(rows_),
            )
        )
    if missing is not None and not views:
        raise ServiceError(missing, exit_code=2)
    return IndicatorView(indicator, privacy, reference, tuple(trend), chosen, tuple(views))


def _indicator(indicators: Mapping[str, Indicator], indicator_id: str) -> Indicator:
    found = indicators.get(indicator_id)
    if found is None:
        raise ServiceError.of(
            N_('no indicator "{indicator}" in outcomes/: the indicators are {known}'),
            indicator=indicator_id,
            known=", ".join(sorted(indicators)) or "-",
        )
    return found


def show_indicator(
    url: str,
    root: Path | None,
    indicator_id: str,
    privacy: Privacy,
    *,
    period: str | None = None,
    dimension: str | None = None,
    reference: str = "best",
) -> IndicatorView:
    """`outcome show`: one indicator's view, read in one transaction."""
    from comunidad_cli.services.outcomes.files import workspace_indicators
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.outcomes import indicator_cells

    indicator = _indicator(workspace_indicators(root), indicator_id)
    with reading_db(url) as db:
        rows = indicator_cells(db, indicator.id)
    return view_of(
        indicator, rows, privacy, period=period, dimension=dimension, reference=reference
    )


@dataclass(frozen=True, slots=True)
class ListedIndicator:
    """`outcome list`: an indicator, the periods it has data for, its latest total."""

    indicator: Indicator
    periods: tuple[str, ...]
    latest: TrendPoint | None


def list_indicators(url: str, root: Path | None, privacy: Privacy) -> list[ListedIndicator]:
    """Every indicator of the workspace with its periods and latest total, as shown."""
    from comunidad_cli.services.outcomes.files import workspace_indicators
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.outcomes import indicator_cells

    indicators = workspace_indicators(root)
    out: list[ListedIndicator] = []
    with reading_db(url) as db:
        for indicator in indicators.values():
            rows = indicator_cells(db, indicator.id)
            view = view_of(indicator, rows, privacy, dimension=None) if rows else None
            trend = view.trend if view is not None else ()
            periods = tuple(_by_period(_cells(rows)))
            out.append(ListedIndicator(indicator, periods, trend[-1] if trend else None))
    return out


# --- for the board report ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutcomeForReport:
    """What the board report's outcome section needs of one indicator: its trend over the
    periods within the report's dates (totals suppressed as every output is) and the
    disparity rows of the last of those periods, every dimension against the best group;
    `privacy` the settings applied, for the report to state."""

    indicator: Indicator
    trend: tuple[TrendPoint, ...]
    period: str | None
    dimensions: tuple[DimensionView, ...]
    privacy: Privacy


def outcomes_for_report(
    url: str,
    start: date,
    end: date,
    *,
    root: Path | None = None,
    privacy: Privacy | None = None,
) -> list[OutcomeForReport]:
    """Every indicator with data in the periods that overlap `start`..`end` (a period is
    within when it starts on or before `end` and ends on or after `start`), in the order
    of the indicator files, suppression applied with the workspace's `[privacy]` (or
    `privacy`). An empty list when the workspace has no indicators or no data: the report
    says so. One reading transaction."""
    from comunidad_cli.services.outcomes.files import FOLDER, workspace_indicators
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.outcomes import indicator_cells

    folder_root = root if root is not None else Path.cwd()
    if not (folder_root / FOLDER).is_dir():
        return []
    indicators = workspace_indicators(root)
    settings = privacy if privacy is not None else privacy_settings(root)
    out: list[OutcomeForReport] = []
    with reading_db(url) as db:
        for indicator in indicators.values():
            rows = indicator_cells(db, indicator.id)
            within = [r for r in rows if _overlaps(r[0], start, end)]
            if not within:
                continue
            periods = sorted({r[0] for r in within}, key=lambda p: (period_key(p) or (0, 0, 0), p))
            view = view_of(
                indicator,
                rows,
                settings,
                period=periods[-1],
                within=set(periods),
            )
            out.append(
                OutcomeForReport(indicator, view.trend, view.period, view.dimensions, settings)
            )
    return out


def _overlaps(period: str, start: date, end: date) -> bool:
    key = period_key(period)
    if key is None:
        return False
    year, first, last = key
    return (year, first) <= (end.year, end.month) and (year, last) >= (start.year, start.month)
