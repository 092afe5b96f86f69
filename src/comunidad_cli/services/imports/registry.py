"""The one registry of import kinds: `comunidad import KIND FILE` and its `--help` read it.

A kind is named here with the module that defines it ("module:ATTRIBUTE"), so that listing
the kinds imports nothing and a kind's module (and SQLAlchemy with it) is imported only when
that kind is used: start-up time is measured. Once loaded, the entry is the `ImportKind`
itself. Adding a kind: define its `ImportKind` in the module of its domain and add one line
below, in the order a workspace is loaded (each kind refers to the ones before it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from comunidad_cli.core.messages import N_

if TYPE_CHECKING:
    from comunidad_cli.services.imports.kinds import ImportKind

_HERE = "comunidad_cli.services.imports"

#: Kind name -> its `ImportKind`, or "module:ATTRIBUTE" until it is first used.
KINDS: dict[str, ImportKind | str] = {
    # The directory and the seats of the by-laws' bodies.
    "orgs": f"{_HERE}.directory:ORGS_IMPORT",
    "people": f"{_HERE}.directory:PEOPLE_IMPORT",
    "members": f"{_HERE}.directory:MEMBERS_IMPORT",
    # The record of a meeting.
    "meetings": f"{_HERE}.meetings:MEETINGS_IMPORT",
    "attendance": f"{_HERE}.attendance:ATTENDANCE_IMPORT",
    "motions": f"{_HERE}.meetings:MOTIONS_IMPORT",
    "recusals": f"{_HERE}.votes:RECUSALS_IMPORT",
    "votes": f"{_HERE}.votes:VOTES_IMPORT",
    # Capacity assessments and resources mobilised.
    "assessments": f"{_HERE}.capacity:ASSESSMENTS_IMPORT",
    "resources": f"{_HERE}.resources:RESOURCES_IMPORT",
    # Grant administration.
    "grants": f"{_HERE}.grants:GRANTS_IMPORT",
    "subcontracts": f"{_HERE}.grants:SUBCONTRACTS_IMPORT",
    "budget-lines": f"{_HERE}.budget:BUDGET_LINES_IMPORT",
    "deliverables": f"{_HERE}.deliverables:DELIVERABLES_IMPORT",
    "submissions": f"{_HERE}.deliverables:SUBMISSIONS_IMPORT",
    "payments": f"{_HERE}.payments:PAYMENTS_IMPORT",
    # Competitive funds.
    "fund-applications": f"{_HERE}.fund_applications:FUND_APPLICATIONS_IMPORT",
    "fund-scores": f"{_HERE}.fund_scores:FUND_SCORES_IMPORT",
    # Territory selection and the local improvement plan.
    "territories": "comunidad_cli.services.plans.imports:TERRITORIES_IMPORT",
    "needs": "comunidad_cli.services.plans.imports:NEEDS_IMPORT",
    # Outcomes for children and families: aggregated counts per period and group.
    "outcomes": f"{_HERE}.outcomes:OUTCOMES_IMPORT",
    # Networks and territorial spaces: referrals made and received, counts per period.
    "network-referrals": "comunidad_cli.services.networks.imports:REFERRALS_IMPORT",
    # Systems change: records tagged with the conditions and qualities.
    "change-tags": "comunidad_cli.services.changes.imports:CHANGE_TAGS_IMPORT",
    # Learning: activities, and the people of the directory who took part.
    "learning-activities": "comunidad_cli.services.learning.imports:ACTIVITIES_IMPORT",
    "learning-participants": "comunidad_cli.services.learning.imports:PARTICIPANTS_IMPORT",
    # Partner agreements: one row each, a draft or signed.
    "agreements": "comunidad_cli.services.agreements.imports:AGREEMENTS_IMPORT",
    # ... and the goals and data items of their drafts.
    "agreement-goals": "comunidad_cli.services.agreements.imports:GOALS_IMPORT",
    "agreement-data": "comunidad_cli.services.agreements.imports:DATA_IMPORT",
}


def register(kind: ImportKind) -> None:
    """Make `kind` importable as `comunidad import NAME` (a kind made at run time)."""
    KINDS[kind.name] = kind


def kind_names() -> list[str]:
    """Every kind's name, sorted (what usage errors and `--help` list)."""
    return sorted(KINDS)


def get_kind(name: str) -> ImportKind:
    """The registered kind, importing its module the first time; unknown: a usage error."""
    from comunidad_cli.services.imports.kinds import ImportKind

    entry = KINDS.get(name)
    if isinstance(entry, ImportKind):
        return entry
    if entry is None:
        from comunidad_cli.services.errors import ServiceError

        raise ServiceError.of(
            N_('unknown kind "{kind}": choose one of {kinds}'),
            exit_code=2,
            kind=name,
            kinds=", ".join(kind_names()),
        )
    module_name, _, attribute = entry.partition(":")
    loaded = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(loaded, ImportKind):  # pragma: no cover - a programming error
        raise TypeError(f"{entry} is not an ImportKind")
    KINDS[name] = loaded
    return loaded
