"""Systems change (Best Start's conditions), as data: the six conditions and four qualities a
record is tagged with, the kinds of record that can be tagged, and the report's arithmetic
by condition and quality over a period. Pure: no I/O, no clock (the days are given).

Values are stored in English (`resource_flows`, `accessible`); a person types them in any
language (`fluxos de recursos`, `accesible`) through `core.choices`, whose table holds their
Spanish and Catalan names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from comunidad_cli.core.choices import parse
from comunidad_cli.core.messages import N_, Msg

#: What can be tagged: a motion, a subcontract, a funded project, a learning activity and a
#: network commitment (the `subject_kind` of a `change_tag` row).
KINDS = ("motion", "subcontract", "project", "activity", "commitment")
#: The conditions in systems that the work changes.
CONDITIONS = (
    "policies",
    "practices",
    "resource_flows",
    "relationships",
    "power_dynamics",
    "mental_models",
)
#: The qualities systems gain.
QUALITIES = ("accessible", "quality", "aligned", "sustainable")
CONDITION = "condition"
QUALITY = "quality"
DIMENSIONS = {CONDITION: CONDITIONS, QUALITY: QUALITIES}


def parse_kind(typed: str) -> str | Msg:
    """The kind of record `typed` names (`moció`, `proyecto`, `commitment`), or why not."""
    return parse(typed, KINDS)


def parse_values(typed: Iterable[str], dimension: str) -> tuple[str, ...] | Msg:
    """The conditions (or qualities) typed, each once, in the order given; the first word
    that names none of them refused, with the list."""
    found: list[str] = []
    for word in typed:
        value = parse(word, DIMENSIONS[dimension])
        if isinstance(value, Msg):
            return value
        if value not in found:
            found.append(value)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag in force: which record (kind, row id) under which condition or quality."""

    kind: str
    subject: int
    dimension: str
    value: str


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Motion:
    outcome: str | None
    closed_on: date | None  # the day on the workspace's clocks


@dataclass(frozen=True, slots=True)
class Contract:
    """A subcontract's money: the day it starts, its currency, its original budget (what was
    signed) and what was spent on it in the period (counted payments, by invoice day)."""

    start: date
    currency: str
    budget: Decimal
    spent: Decimal


@dataclass(frozen=True, slots=True)
class Activity:
    held_on: date
    hours: Decimal
    participants: frozenset[int]


@dataclass(frozen=True, slots=True)
class Commitment:
    taken_on: date
    due: date
    closed: tuple[str, date] | None  # (done or cancelled, on)


@dataclass(frozen=True, slots=True)
class Records:
    """What the tagged records were, by kind and row id (a funded project by the row id of
    its subcontract: its money is that subcontract's)."""

    motions: Mapping[int, Motion] = field(default_factory=dict)
    contracts: Mapping[int, Contract] = field(default_factory=dict)
    projects: Mapping[int, int] = field(default_factory=dict)  # project -> subcontract
    activities: Mapping[int, Activity] = field(default_factory=dict)
    commitments: Mapping[int, Commitment] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Figures:
    """One condition's (or quality's) figures over the period."""

    dimension: str
    value: str
    decisions: int = 0
    committed: Mapping[str, Decimal] = field(default_factory=dict)  # currency -> amount
    spent: Mapping[str, Decimal] = field(default_factory=dict)
    activities: int = 0
    hours: Decimal = Decimal(0)
    participants: int = 0
    taken: int = 0
    done: int = 0
    overdue: int = 0
    tagged: int = 0  # records under this value, whatever their dates


def _sum(amounts: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for currency, amount in amounts:
        found[currency] = found.get(currency, Decimal("0.00")) + amount
    return dict(sorted(found.items()))


def figures(
    dimension: str,
    value: str,
    subjects: Iterable[tuple[str, int]],
    records: Records,
    start: date,
    end: date,
    as_of: date,
) -> Figures:
    """The figures of the records `subjects` (kind, row id) from `start` to `end`, both days
    included: motions closed as adopted in the period; the budget of subcontracts (a funded
    project's is its subcontract's, counted once) starting in the period, and what was spent
    on them in it; learning activities held in it (hours, distinct participants); network
    commitments taken in it, marked done in it, and overdue on `as_of` (the period's last day,
    or today if that is earlier)."""
    from comunidad_cli.core.networks import DONE, OVERDUE, status_on

    chosen = sorted(set(subjects))
    decisions = 0
    contracts: set[int] = set()
    activities: list[Activity] = []
    taken = done = overdue = 0
    for kind, subject in chosen:
        if kind == "motion":
            motion = records.motions.get(subject)
            if (
                motion is not None
                and motion.outcome == "adopted"
                and motion.closed_on is not None
                and start <= motion.closed_on <= end
            ):
                decisions += 1
        elif kind in ("subcontract", "project"):
            sub = subject if kind == "subcontract" else records.projects.get(subject)
            if sub is not None and sub in records.contracts:
                contracts.add(sub)
        elif kind == "activity":
            activity = records.activities.get(subject)
            if activity is not None and start <= activity.held_on <= end:
                activities.append(activity)
        elif kind == "commitment":
            commitment = records.commitments.get(subject)
            if commitment is None:
                continue
            if start <= commitment.taken_on <= end:
                taken += 1
            closed = commitment.closed
            if closed is not None and closed[0] == DONE and start <= closed[1] <= end:
                done += 1
            if commitment.taken_on <= as_of and status_on(commitment.due, closed, as_of) == OVERDUE:
                overdue += 1
    signed = [records.contracts[s] for s in sorted(contracts)]
    people: set[int] = set()
    for activity in activities:
        people |= activity.participants
    return Figures(
        dimension,
        value,
        decisions=decisions,
        committed=_sum((c.currency, c.budget) for c in signed if start <= c.start <= end),
        spent=_sum((c.currency, c.spent) for c in signed if c.spent),
        activities=len(activities),
        hours=sum((a.hours for a in activities), Decimal("0.00")),
        participants=len(people),
        taken=taken,
        done=done,
        overdue=overdue,
        tagged=len(chosen),
    )


def report(
    tags: Sequence[Tag],
    records: Records,
    start: date,
    end: date,
    as_of: date,
    condition: str | None = None,
) -> list[Figures]:
    """The figures of every condition, then of every quality, in their fixed order. With
    `condition`, that condition only, and the qualities of the records tagged with it."""
    within: set[tuple[str, int]] | None = None
    if condition is not None:
        within = {
            (t.kind, t.subject) for t in tags if t.dimension == CONDITION and t.value == condition
        }
    found: list[Figures] = []
    for dimension, values in DIMENSIONS.items():
        for value in values:
            if dimension == CONDITION and condition is not None and value != condition:
                continue
            subjects = [
                (t.kind, t.subject)
                for t in tags
                if t.dimension == dimension
                and t.value == value
                and (within is None or (t.kind, t.subject) in within)
            ]
            found.append(figures(dimension, value, subjects, records, start, end, as_of))
    return found


#: Why a record of each kind was not found, and where to look for its id.
NOT_FOUND = {
    "motion": N_('no motion with id "{key}": see "comunidad motion list"'),
    "subcontract": N_('no subcontract with id "{key}": see "comunidad subcontract list"'),
    "project": N_(
        'no funded project from application "{key}": a funded project goes by its'
        ' application\'s id once "comunidad fund contract" has made its subcontract'
    ),
    "activity": N_('no learning activity with id "{key}": see "comunidad learning list"'),
    "commitment": N_(
        'no commitment with id "{key}": see "comunidad network overdue" or'
        ' "comunidad network show SPACE"'
    ),
}


def not_found(kind: str, key: str) -> Msg:
    return Msg.of(NOT_FOUND[kind], key=key)
