"""Semantic checks over the by-laws model, in the beancount style.

Each check is a plain function `(bylaws, context) -> findings`, in the module of its topic
(`core/bylaws/checks/`); `CHECKS` lists them in the order they run and `check_document`
runs shape validation and then every check, collecting all findings instead of stopping at
the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from comunidad_cli.core.bylaws import spec
from comunidad_cli.core.bylaws.checks.decisions import (
    check_amendment,
    check_conflict_resolution,
    check_decisions,
    check_plan,
)
from comunidad_cli.core.bylaws.checks.quorum import check_dual, check_quorum, check_thresholds
from comunidad_cli.core.bylaws.checks.references import (
    check_body_classes,
    check_duplicate_ids,
    check_parent_cycles,
    check_references,
)
from comunidad_cli.core.bylaws.checks.roles import check_dates, check_proxies, check_roles
from comunidad_cli.core.bylaws.model import Bylaws, build
from comunidad_cli.core.findings import Finding


@dataclass(frozen=True, slots=True)
class Context:
    """What checks may know beyond the file: today's date (from the one clock)."""

    today: date


Check = Callable[[Bylaws, Context], Iterable[Finding]]


CHECKS: tuple[Check, ...] = (
    check_references,
    check_duplicate_ids,
    check_parent_cycles,
    check_body_classes,
    check_thresholds,
    check_dual,
    check_quorum,
    check_amendment,
    check_decisions,
    check_plan,
    check_conflict_resolution,
    check_roles,
    check_dates,
    check_proxies,
)


def check_document(data: Mapping[str, Any], ctx: Context) -> tuple[Bylaws | None, list[Finding]]:
    """Shape findings, then every semantic check; the model is None if the version is unknown."""
    findings = spec.check_shape(data)
    if any(f.code == "BL104" for f in findings):
        return None, findings
    model = build(data)
    for check in CHECKS:
        findings.extend(check(model, ctx))
    return model, findings
