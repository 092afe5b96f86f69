"""What the grant administration import kinds share: parsers of their choices, messages,
and problems collected per row.

The kinds: `grants` and `subcontracts` (grants.py), `budget-lines` (budget.py), `payments`
(payments.py), `deliverables` and `submissions` (deliverables.py). Same engine and policy as
every import (services/imports/engine.py): all or nothing, every bad row listed, rows
matched on their natural key, re-running a file changes nothing. The rules are those of the
commands (core/grants.py), checked against the database and the rows before them in the file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from comunidad_cli.core.grants.deliverables import UNITS
from comunidad_cli.core.grants.payments import PAYMENT_STATUSES
from comunidad_cli.core.grants.subcontracts import (
    RISK_LEVELS,
    SUBCONTRACT_KINDS,
    SUBCONTRACT_STATUSES,
)
from comunidad_cli.core.importing.columns import Problem
from comunidad_cli.core.importing.values import choice
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import in_currency_msg
from comunidad_cli.services.grants.records import _amendments, _committed_of, _originals
from comunidad_cli.services.imports.kinds import Plan

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


parse_kind = choice(*SUBCONTRACT_KINDS)
parse_status = choice(*SUBCONTRACT_STATUSES)
parse_payment_status = choice(*PAYMENT_STATUSES)
parse_level = choice(*RISK_LEVELS)
parse_unit = choice(*UNITS)


def _no(entity: Msg, key: str, hint: str) -> Msg:
    return Msg.of(
        N_('no {entity} with id "{key}": import them first, or add it with "{hint}"'),
        entity=entity,
        key=key,
        hint=hint,
    )


_ORG = Msg.of(N_("organisation"))
_GRANT = Msg.of(N_("grant"))
_SUBCONTRACT = Msg.of(N_("subcontract"))
_DELIVERABLE = Msg.of(N_("deliverable"))


def _shown(msg: Msg | None, currency: str) -> Msg | None:
    """A problem's amounts with `currency`'s digits, as the file's reader counts them."""
    return None if msg is None else in_currency_msg(msg, currency)


class _Problems:
    """Collects problems for a plan, with the row and column they belong to."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def add(self, row: int, column: str | None, msg: Msg | None) -> bool:
        if msg is None:
            return False
        self.plan.problems.append(Problem(row, column, msg))
        return True


def _keys(db: Db, table_name: str) -> dict[str, int]:
    from comunidad_cli.storage.directory import keys

    return keys(db, table_name)


def _committed_by_grant(db: Db) -> tuple[dict[int, Decimal], dict[int, list[int]]]:
    """Obligated per grant (amendments awaiting approval included), and subcontract ids."""
    from comunidad_cli.storage.grant_rows import subcontract_grants

    by_grant: dict[int, list[int]] = {}
    for sub_id, grant_id in subcontract_grants(db):
        by_grant.setdefault(grant_id, []).append(sub_id)
    originals = _originals(db, None)
    amendments = _amendments(db, None)
    committed = {
        grant_id: _committed_of(originals, amendments, ids) for grant_id, ids in by_grant.items()
    }
    return committed, by_grant
