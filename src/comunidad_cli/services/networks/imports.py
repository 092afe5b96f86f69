"""The `network-referrals` import kind (`comunidad import network-referrals FILE`): referrals
made and received through each space, as counts per period.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed with its number, re-running the same file changes nothing. One row per
**space, period**: made, received (whole numbers, zero or more). A period already counted is
recounted (an update, in the audit log); a space must exist (`network add`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.values import parse_int
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.networks import count_problem, period_problem
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)
from comunidad_cli.services.suggest import no_such

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


def _period(value: str) -> str:
    problem = period_problem(value)
    if problem is not None:
        raise Invalid(problem)
    return value


def _count(value: str) -> int:
    number = parse_int(value)
    problem = count_problem(number)
    if problem is not None:
        raise Invalid(problem)
    return number


def _columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("space", parse_key, required=True),
        Column("period", _period, required=True),
        Column("made", _count, required=True),
        Column("received", _count, required=True),
    )


def _key(row: Row) -> Hashable | None:
    return (row["space"], row["period"])


def _plan(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import networks as store

    plan = Plan()
    spaces = {s.key: s.id for s in store.spaces(db)}
    stored: dict[tuple[str, str], tuple[int, int]] = {}
    for key, space_id in spaces.items():
        for period, made, received in store.referrals(db, space_id):
            stored[(key, period)] = (made, received)
    changes: list[tuple[str, str, int, int, int]] = []
    for row in rows:
        space = row["space"]
        if space not in spaces:
            plan.problems.append(
                Problem(
                    row.number,
                    "space",
                    no_such(
                        db,
                        "space",
                        space,
                        Msg.of(
                            N_('no space with id "{key}": see "comunidad network list"'), key=space
                        ),
                    ),
                )
            )
            continue
        old = stored.get((space, row["period"]))
        counts = (row["made"], row["received"])
        if old == counts:
            plan.unchanged += 1
            continue
        if old is None:
            plan.created += 1
        else:
            plan.updated += 1
        changes.append((space, row["period"], row["made"], row["received"], row.number))
    if plan.problems:
        return plan

    def write(db: Db) -> None:
        entries = []
        for space, period, made, received, number in changes:
            action = store.set_referrals(
                db, space_id=spaces[space], period=period, made=made, received=received
            )
            entries.append(
                AuditEntry(
                    action,
                    space,
                    {
                        "file": ctx.file,
                        "row": number,
                        "period": period,
                        "made": made,
                        "received": received,
                    },
                )
            )
        write_audit(db, ctx, "network_referral", entries)

    plan.write = write
    return plan


REFERRALS_IMPORT = ImportKind(
    name="network-referrals",
    entity="network_referral",
    columns=_columns,
    natural_key=_key,
    key_columns="space, period",
    plan=_plan,
)
