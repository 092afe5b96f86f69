"""Subcontracts: kinds, risk levels and the status order (draft -> active -> closing ->
closed, forward only; leaving draft needs a risk assessment; payments only while payable).
"""

from __future__ import annotations

from comunidad_cli.core.choices import Choices
from comunidad_cli.core.messages import N_, Msg

SUBCONTRACT_KINDS = ("subaward", "contract")
SUBCONTRACT_STATUSES = ("draft", "active", "closing", "closed")
PAYABLE_STATUSES = frozenset({"active", "closing"})


RISK_LEVELS = ("low", "medium", "high")


def status_problem(current: str, new: str, *, has_risk: bool, one_step: bool = True) -> Msg | None:
    """Why `current` cannot become `new`: forward only (one step at a time with
    `one_step`), and leaving draft needs a risk assessment on file."""
    order = SUBCONTRACT_STATUSES
    if new == current:
        return Msg.of(N_("the subcontract is {status} already"), status=Choices((current,)))
    if new not in order or current not in order:
        return Msg.of(N_('"{status}" is not one of: {choices}'), status=new, choices=Choices(order))
    step = order.index(new) - order.index(current)
    if step < 0 or (one_step and step > 1):
        return Msg.of(
            N_("a {current} subcontract cannot become {new}: the order is {order}"),
            current=Choices((current,)),
            new=Choices((new,)),
            order=Choices(order, " -> "),
        )
    if current == "draft" and not has_risk:
        return Msg.of(
            N_(
                "a subcontract cannot leave draft without a risk assessment on file: record one"
                ' with "comunidad subcontract risk"'
            )
        )
    return None


def payable_problem(status: str) -> Msg | None:
    if status not in PAYABLE_STATUSES:
        return Msg.of(
            N_(
                "payments are only recorded on active or closing subcontracts; this one is {status}"
            ),
            status=Choices((status,)),
        )
    return None
