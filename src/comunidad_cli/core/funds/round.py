"""A round of a competitive fund: the typed, immutable model of its TOML file (`Round`), and
the `Draft` its reading fills in (`core/funds/reading.py`, with every shape finding, FD1xx,
at its key path).

Money is Decimal (an integer or a string such as "1500.50" in the file, never a float);
weights, shares, scores and spreads are exact Fractions ("1/4", "0.25", 3). What the values
mean together (dates in order, amounts within the budget, weights summing to 1...) is for
`core/funds/checks.py`, which runs over the `Draft` read even when some values were bad, so
that every finding is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

SCHEMA_VERSION = 1
LANGUAGES = ("es", "en", "ca")
#: The steps of a round, in the order they must come.
DATE_KEYS = (
    "call",
    "applications_open",
    "applications_close",
    "admissibility",
    "appeals_until",
    "evaluation",
    "award",
)
AWARD_MODES = ("skip", "stop", "partial", "best")
TIE_BREAKS = ("priority", "smaller_amount", "earlier_submission", "lottery")
CRITERION_PREFIX = "criterion:"

Texts = Mapping[str, str]

#: What a funded project becomes (as `subcontract new --kind`).
PROJECT_KINDS = ("subaward", "contract")

#: A round's own id may start with its year, as its file does (2026-barrio-activo).
ROUND_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# --- the model ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dates:
    """The round's steps, in order: the call, the applications window, admissibility, the
    appeals ("reconsideración") window, evaluation and award."""

    call: date
    applications_open: date
    applications_close: date
    admissibility: date
    appeals_until: date
    evaluation: date
    award: date


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may apply: organisation kinds (as `org add --kind`), legal personality in force
    on the closing date, no overdue reports on earlier subcontracts, applications each."""

    kinds: tuple[str, ...]
    legal_personality_required: bool = True
    no_overdue_reports: bool = True
    applications_per_org: int = 1


@dataclass(frozen=True, slots=True)
class Scale:
    """The integer points a reviewer gives on a criterion, `min` to `max` inclusive."""

    min: int
    max: int

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion of the rubric: its weight and a descriptor per point, es/en/ca."""

    id: str
    name: Texts
    weight: Fraction
    scale: Scale
    levels: Mapping[int, Texts]


@dataclass(frozen=True, slots=True)
class Round:
    """A round of a competitive fund as its file states it (checked: no errors)."""

    id: str
    name: Texts
    body: str
    currency: str
    budget: Decimal
    dates: Dates
    serves: tuple[str, ...]
    eligibility: Eligibility
    reviewers_per_application: int
    criteria: tuple[Criterion, ...]
    min_score: Fraction
    tie_break: tuple[str, ...]
    award_mode: str
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    own_share: Fraction | None = None
    own_amount: Decimal | None = None
    max_spread: Fraction | None = None
    accountability: Accountability | None = None
    #: The body whose seat-holders score (None: the by-laws' evaluating body, see
    #: `core/funds/evaluation.py` `reviewers_body`).
    reviewers_body: str | None = None

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


@dataclass(frozen=True, slots=True)
class Report:
    """An accountability report ("rendición de cuentas") every funded project owes: its
    title in es/en/ca, the day it is due and whether payments wait for it."""

    title: Texts
    due: date
    holds_payments: bool = True


@dataclass(frozen=True, slots=True)
class Accountability:
    """What a funded project becomes: a subcontract of the round's grant of `kind`, from
    `start` (None: the award date) to `end`, owing `reports`."""

    end: date
    reports: tuple[Report, ...]
    kind: str = "subaward"
    start: date | None = None


# --- the draft: what could be read, for the checks -------------------------------------------


@dataclass(slots=True)
class CriterionDraft:
    """A criterion as read: None where the file's value was missing or unreadable."""

    index: int
    id: str | None = None
    name: Texts = field(default_factory=dict)
    weight: Fraction | None = None
    scale: Scale | None = None
    levels: dict[int, Texts] | None = None
    #: Level keys that are not integers ("uno"), and the languages each level lacks.
    level_languages: dict[int, tuple[str, ...]] = field(default_factory=dict)


@dataclass(slots=True)
class ReportDraft:
    """An accountability report as read: None where the value was missing or unreadable."""

    index: int
    title: Texts = field(default_factory=dict)
    due: date | None = None
    holds_payments: bool = True


@dataclass(slots=True)
class AccountabilityDraft:
    """The [accountability] table as read."""

    kind: str = "subaward"
    start: date | None = None
    end: date | None = None
    reports: list[ReportDraft] = field(default_factory=list)

    def complete(self) -> Accountability | None:
        if self.end is None or any(r.due is None for r in self.reports):
            return None
        reports = tuple(
            Report(MappingProxyType(dict(r.title)), r.due, r.holds_payments)
            for r in self.reports
            if r.due is not None
        )
        return Accountability(self.end, reports, self.kind, self.start)


@dataclass(slots=True)
class Draft:
    """The round as read, value by value; `Round` once no finding is an error."""

    id: str | None = None
    name: Texts = field(default_factory=dict)
    body: str | None = None
    currency: str | None = None
    budget: Decimal | None = None
    dates: dict[str, date] = field(default_factory=dict)
    serves: tuple[str, ...] = ()
    kinds: tuple[str, ...] | None = None
    legal_personality_required: bool = True
    no_overdue_reports: bool = True
    applications_per_org: int = 1
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    own_share: Fraction | None = None
    own_amount: Decimal | None = None
    reviewers_per_application: int | None = None
    reviewers_body: str | None = None
    max_spread: Fraction | None = None
    criteria: list[CriterionDraft] = field(default_factory=list)
    criteria_given: bool = False
    min_score: Fraction | None = None
    tie_break: tuple[str, ...] | None = None
    award_mode: str | None = None
    #: The [accountability] table as read (None: the file has none).
    accountability: AccountabilityDraft | None = None

    def complete(self) -> Round | None:
        """The round, when every required value was read (the caller knows there is no error)."""
        if (
            self.id is None
            or self.body is None
            or self.currency is None
            or self.budget is None
            or self.kinds is None
            or self.reviewers_per_application is None
            or self.min_score is None
            or self.tie_break is None
            or self.award_mode is None
            or any(key not in self.dates for key in DATE_KEYS)
        ):
            return None
        criteria: list[Criterion] = []
        for c in self.criteria:
            if c.id is None or c.weight is None or c.scale is None or c.levels is None:
                return None
            criteria.append(
                Criterion(
                    c.id,
                    MappingProxyType(dict(c.name)),
                    c.weight,
                    c.scale,
                    MappingProxyType(dict(c.levels)),
                )
            )
        return Round(
            id=self.id,
            name=MappingProxyType(dict(self.name)),
            body=self.body,
            currency=self.currency,
            budget=self.budget,
            dates=Dates(**{key: self.dates[key] for key in DATE_KEYS}),
            serves=self.serves,
            eligibility=Eligibility(
                self.kinds,
                self.legal_personality_required,
                self.no_overdue_reports,
                self.applications_per_org,
            ),
            reviewers_per_application=self.reviewers_per_application,
            criteria=tuple(criteria),
            min_score=self.min_score,
            tie_break=self.tie_break,
            award_mode=self.award_mode,
            min_amount=self.min_amount,
            max_amount=self.max_amount,
            own_share=self.own_share,
            own_amount=self.own_amount,
            max_spread=self.max_spread,
            accountability=None if self.accountability is None else self.accountability.complete(),
            reviewers_body=self.reviewers_body,
        )
