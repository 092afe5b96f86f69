"""The `outcomes` import kind: aggregated counts per indicator, period, dimension and group
(never person-level records), matched on those four; a revised count replaces the stored
one (audited with both values), one that is the same changes nothing.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row named by its number. Rows are checked against the workspace's indicators
(`outcomes/*.toml`, which must pass `outcome check`): the indicator exists, the dimension is
one of its dimensions (or "total", whose group is "total"), the counts fit its measure; and,
for a measure that adds up (percentage, per 1,000, count), the groups of each dimension not
listed as `partial` add up to the period's total, in the database as the file leaves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.importing.values import parse_int
from comunidad_cli.core.indicators.model import TOTAL, Indicator, period_key
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.capacity import _workspace_root
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db
    from comunidad_cli.storage.outcomes import CountKey

ENTITY = "outcome_count"


def parse_period(value: str) -> str:
    """A year (2025), a quarter (2025-Q3) or a month (2025-07), as written."""
    if period_key(value) is None:
        raise Invalid.of(
            N_(
                '"{value}" is not a period: write a year (2025), a quarter (2025-Q3) or a'
                " month (2025-07)"
            ),
            value=value,
        )
    return value


def parse_count(value: str) -> Decimal:
    """A count (a whole number), or a median in days with at most two decimals: exact."""
    text = value.strip()
    try:
        number = Decimal(text)
    except ArithmeticError:
        number = None
    exponent = number.as_tuple().exponent if number is not None else 0
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or (isinstance(exponent, int) and exponent < -2)
        or "e" in text.lower()
    ):
        raise Invalid.of(
            N_('"{value}" is not a count: write a whole number from 0 (a median: 412.5)'),
            value=value,
        )
    return number


def parse_denominator(value: str) -> int:
    number = parse_int(value)
    if number < 0:
        raise Invalid.of(N_('"{value}" is not a count: write a whole number from 0'), value=value)
    return number


def _columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("indicator", parse_key, required=True),
        Column("period", parse_period, required=True),
        Column("dimension", parse_key, required=True),
        Column("group", one_line, required=True),
        Column("numerator", parse_count, required=True),
        Column("denominator", parse_denominator),
    )


def _key(row: Row) -> Hashable | None:
    return (row["indicator"], row["period"], row["dimension"], row["group"])


def _row_problem(
    row: Row, indicator: Indicator | None, known: Mapping[str, Indicator]
) -> Problem | None:
    """What is wrong with one row against its indicator, or None."""
    if indicator is None:
        return Problem(
            row.number,
            "indicator",
            Msg.of(
                N_('no indicator "{indicator}" in outcomes/: the indicators are {known}'),
                indicator=row["indicator"],
                known=", ".join(sorted(known)) or "-",
            ),
        )
    dimension, group = row["dimension"], row["group"]
    if dimension == TOTAL:
        if group != TOTAL:
            return Problem(
                row.number,
                "group",
                Msg.of(N_('the total\'s group is "total", found "{group}"'), group=group),
            )
    elif dimension not in indicator.dimensions:
        return Problem(
            row.number,
            "dimension",
            Msg.of(
                N_(
                    'indicator {indicator} is not broken down by "{dimension}": its dimensions'
                    ' are {dimensions} (and "total")'
                ),
                indicator=indicator.id,
                dimension=dimension,
                dimensions=", ".join(indicator.dimensions) or "-",
            ),
        )
    elif group == TOTAL:
        return Problem(
            row.number,
            "group",
            Msg.of(N_('"total" is not a group: the total\'s dimension is "total" too')),
        )
    numerator: Decimal = row["numerator"]
    denominator: int | None = row.get("denominator")
    if indicator.measure != "median_days" and numerator != numerator.to_integral_value():
        return Problem(
            row.number,
            "numerator",
            Msg.of(
                N_("{value} is not a count: a {measure} indicator counts whole children"),
                value=str(numerator),
                measure=indicator.measure,
            ),
        )
    if indicator.measure != "count" and denominator is None:
        return Problem(
            row.number,
            "denominator",
            Msg.of(
                N_("a {measure} indicator needs the denominator: {words}"),
                measure=indicator.measure,
                words=indicator.denominator.get("en", ""),
            ),
        )
    if indicator.measure == "percentage" and denominator is not None and numerator > denominator:
        return Problem(
            row.number,
            "numerator",
            Msg.of(
                N_(
                    "the numerator {numerator} is more than the denominator {denominator}: a"
                    " percentage counts children among the denominator's"
                ),
                numerator=str(numerator),
                denominator=denominator,
            ),
        )
    return None


def _add_up(
    state: Mapping[CountKey, tuple[Decimal | None, int | None]],
    touched: Mapping[tuple[str, str, str], Row],
    indicators: Mapping[str, Indicator],
) -> list[Problem]:
    """Each dimension the file touches whose groups must add up to its period's total: the
    sums of numerators and of denominators against the total's, in the data as the file
    leaves it."""
    affected = {key[:2] for key in touched}
    sums: dict[tuple[str, str, str], tuple[Decimal, int, bool]] = {}
    for (indicator_id, period, dimension, _group), (n, d) in state.items():
        if dimension == TOTAL or (indicator_id, period) not in affected:
            continue
        place = (indicator_id, period, dimension)
        summed_n, summed_d, any_d = sums.get(place, (Decimal(0), 0, False))
        sums[place] = (
            summed_n + (n or 0),
            summed_d + (d or 0),
            any_d or d is not None,
        )
    problems: list[Problem] = []
    for place in sorted(sums):
        indicator_id, period, dimension = place
        if not indicators[indicator_id].must_add_up(dimension):
            continue
        row = touched.get(place) or touched.get((indicator_id, period, TOTAL))
        if row is None:
            continue
        total = state.get((indicator_id, period, TOTAL, TOTAL))
        if total is None:
            problems.append(
                Problem(
                    row.number,
                    "dimension",
                    Msg.of(
                        N_(
                            "indicator {indicator} has groups of {dimension} in {period} but no"
                            ' total: add the row with dimension and group "total"'
                        ),
                        indicator=indicator_id,
                        dimension=dimension,
                        period=period,
                    ),
                )
            )
            continue
        summed_n, summed_d, any_d = sums[place]
        if total[0] is not None and summed_n != total[0]:
            problems.append(_mismatch(row, place, "numerator", summed_n, total[0]))
        if total[1] is not None and any_d and summed_d != total[1]:
            problems.append(_mismatch(row, place, "denominator", summed_d, total[1]))
    return problems


def _mismatch(
    row: Row, place: tuple[str, str, str], column: str, summed: Any, total: Any
) -> Problem:
    indicator, period, dimension = place
    return Problem(
        row.number,
        column,
        Msg.of(
            N_(
                "the groups of {dimension} add up to {sum} ({column}), but the total of"
                " {indicator} in {period} is {total}: a group is missing or a count is wrong"
                ' (list the dimension as "partial" if its groups do not cover everyone)'
            ),
            dimension=dimension,
            sum=str(summed),
            column=column,
            indicator=indicator,
            period=period,
            total=str(total),
        ),
    )


def _sha256(file: str) -> str:
    path = Path(file)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    except OSError:
        return ""


def _plan(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.services.outcomes.files import workspace_indicators
    from comunidad_cli.storage.outcomes import stored_counts

    plan = Plan()
    try:
        indicators = workspace_indicators(_workspace_root(ctx))
    except ServiceError as refusal:
        plan.problems.append(Problem(None, None, refusal.msg))
        return plan
    good: list[Row] = []
    for row in rows:
        problem = _row_problem(row, indicators.get(row["indicator"]), indicators)
        if problem is not None:
            plan.problems.append(problem)
        else:
            good.append(row)
    if plan.problems:
        return plan
    stored = stored_counts(db, {row["indicator"] for row in good})
    state: dict[CountKey, tuple[Decimal | None, int | None]] = {
        k: (n, d) for k, (_id, n, d) in stored.items()
    }
    touched: dict[tuple[str, str, str], Row] = {}
    creates: list[tuple[CountKey, Decimal | None, int | None]] = []
    updates: list[tuple[int, Decimal | None, int | None]] = []
    audit: list[AuditEntry] = []
    for row in good:
        key: CountKey = (row["indicator"], row["period"], row["dimension"], row["group"])
        new = (row["numerator"], row.get("denominator"))
        touched[key[:3]] = row
        state[key] = new
        old = stored.get(key)
        name = "/".join(key)
        if old is None:
            creates.append((key, *new))
            audit.append(AuditEntry("create", name, {"numerator": new[0], "denominator": new[1]}))
        elif (old[1], old[2]) != new:
            updates.append((old[0], *new))
            audit.append(
                AuditEntry(
                    "update",
                    name,
                    {"numerator": [old[1], new[0]], "denominator": [old[2], new[1]]},
                )
            )
        else:
            plan.unchanged += 1
    plan.problems.extend(_add_up(state, touched, indicators))
    plan.created, plan.updated = len(creates), len(updates)
    if not creates and not updates:
        return plan

    def write(db: Db) -> None:
        from comunidad_cli.storage.audit import actor_of
        from comunidad_cli.storage.outcomes import add_import, insert_counts, update_counts

        actor = actor_of(db) or ""
        import_id = add_import(db, ctx.at, actor, ctx.file, _sha256(ctx.file), len(rows))
        insert_counts(db, import_id, creates)
        update_counts(db, import_id, updates)
        write_audit(db, ctx, ENTITY, audit)

    plan.write = write
    return plan


OUTCOMES_IMPORT = ImportKind(
    name="outcomes",
    entity=ENTITY,
    columns=_columns,
    natural_key=_key,
    key_columns="indicator, period, dimension, group",
    plan=_plan,
)
