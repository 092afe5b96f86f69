"""Answers, domain scores, rounds of assessments and their results: the scoring rules of the
package docstring, and `rounded` for the edge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from comunidad_cli.core.capacity.instrument import ROUND_DAYS, SCALE, Answers, Domain, Instrument
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg

# --- answers ---------------------------------------------------------------------------------

NA_WORDS = frozenset({"na", "n/a", "n.a."})


def parse_score(value: str) -> int | None:
    """A score as written in an answer: 1, 2, 3 or 4, or na (n/a) for not applicable."""
    if value.casefold() in NA_WORDS:
        return None
    if value in ("1", "2", "3", "4"):
        return int(value)
    raise Invalid.of(N_('"{value}" is not a score: write 1, 2, 3 or 4, or na'), value=value)


def answer_problem(instrument: Instrument, item_id: str, score: int | None) -> Msg | None:
    """Why `score` is not an answer to `item_id`, or None when it is."""
    item = instrument.item(item_id)
    if item is None:
        return Msg.of(
            N_('instrument "{instrument}" has no item "{item}"'),
            instrument=instrument.id,
            item=item_id,
        )
    if score is None:
        if not item.na:
            return Msg.of(
                N_('item "{item}" must be scored 1 to 4: N/A is not allowed for it'), item=item_id
            )
        return None
    if score not in SCALE:
        return Msg.of(
            N_('the score of "{item}" must be 1, 2, 3 or 4 (or na), found {score}'),
            item=item_id,
            score=score,
        )
    return None


def unanswered(instrument: Instrument, answers: Answers) -> list[str]:
    """The items of the instrument without an answer (a score or N/A), in instrument order."""
    return [i for i in instrument.item_ids if i not in answers]


# --- scoring ---------------------------------------------------------------------------------


def domain_score(domain: Domain, answers: Answers) -> Fraction | None:
    """The mean of the domain's answered items, when at least half of its items are answered."""
    scores = [s for s in (answers.get(i.id) for i in domain.items) if s is not None]
    if not domain.items or 2 * len(scores) < len(domain.items):
        return None
    return Fraction(sum(scores), len(scores))


@dataclass(frozen=True, slots=True)
class Assessment:
    """One rater's answers on one day (scores 1-4, None for N/A)."""

    rater: str
    assessed_on: date
    answers: Answers


def rater_key(rater: str) -> str:
    return " ".join(rater.split()).casefold()


def mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def spread(values: Sequence[Fraction]) -> Fraction | None:
    return max(values) - min(values) if len(values) >= 2 else None


@dataclass(frozen=True, slots=True)
class DomainResult:
    domain: Domain
    score: Fraction | None
    by_rater: tuple[tuple[str, Fraction | None], ...]
    spread: Fraction | None


@dataclass(frozen=True, slots=True)
class RoundResult:
    """A round's scores: the assessments that count (the latest per rater) and each domain's."""

    start: date
    end: date
    assessments: tuple[Assessment, ...]
    domains: tuple[DomainResult, ...]

    def weakest(self, limit: int = 3) -> list[DomainResult]:
        return weakest(self.domains, limit, key=lambda d: d.score)


def weakest(
    results: Sequence[Any], limit: int, *, key: Callable[[Any], Fraction | None]
) -> list[Any]:
    """The `limit` results with the lowest scores, ties in their given (domain) order."""
    scored = [(key(r), index, r) for index, r in enumerate(results) if key(r) is not None]
    scored.sort(key=lambda t: (t[0], t[1]))
    return [r for _score, _index, r in scored[: max(limit, 0)]]


def rounds(assessments: Sequence[Assessment], days: int = ROUND_DAYS) -> list[list[Assessment]]:
    """Assessments grouped into rounds, oldest first (see the module docstring)."""
    ordered = sorted(assessments, key=lambda a: (a.assessed_on, rater_key(a.rater)))
    grouped: list[list[Assessment]] = []
    start: date | None = None
    for assessment in ordered:
        if start is None or assessment.assessed_on > start + timedelta(days=days):
            grouped.append([])
            start = assessment.assessed_on
        grouped[-1].append(assessment)
    return grouped


def latest_per_rater(assessments: Sequence[Assessment]) -> list[Assessment]:
    """Each rater's latest assessment, sorted by rater."""
    latest: dict[str, Assessment] = {}
    for assessment in assessments:
        key = rater_key(assessment.rater)
        if key not in latest or assessment.assessed_on > latest[key].assessed_on:
            latest[key] = assessment
    return [latest[k] for k in sorted(latest)]


def score_round(instrument: Instrument, assessments: Sequence[Assessment]) -> RoundResult:
    """The scores of one round (assessments of one organisation, one instrument)."""
    counted = latest_per_rater(assessments)
    results: list[DomainResult] = []
    for domain in instrument.domains:
        by_rater = tuple((a.rater, domain_score(domain, a.answers)) for a in counted)
        scores = [s for _rater, s in by_rater if s is not None]
        results.append(DomainResult(domain, mean(scores), by_rater, spread(scores)))
    dates = [a.assessed_on for a in assessments]
    return RoundResult(min(dates), max(dates), tuple(counted), tuple(results))


def latest_round(instrument: Instrument, assessments: Sequence[Assessment]) -> RoundResult | None:
    grouped = rounds(assessments)
    return score_round(instrument, grouped[-1]) if grouped else None


# --- display helpers (for the edge) ---------------------------------------------------------


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """`value` rounded half away from zero to `places` decimals: 11/4 -> 2.75, 8/3 -> 2.67."""
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    sign = "-" if value < 0 and whole else ""
    return Decimal(f"{sign}{whole}").scaleb(-places)
