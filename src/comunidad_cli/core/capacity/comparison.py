"""The latest round against the one before it (`capacity compare`), and the network view
across organisations (`capacity network`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from comunidad_cli.core.capacity.instrument import Domain, Instrument
from comunidad_cli.core.capacity.scoring import (
    Assessment,
    RoundResult,
    latest_round,
    mean,
    rounds,
    score_round,
    spread,
    weakest,
)


@dataclass(frozen=True, slots=True)
class DomainChange:
    domain: Domain
    previous: Fraction | None
    latest: Fraction | None

    @property
    def change(self) -> Fraction | None:
        if self.previous is None or self.latest is None:
            return None
        return self.latest - self.previous


@dataclass(frozen=True, slots=True)
class Comparison:
    latest: RoundResult | None
    previous: RoundResult | None
    changes: tuple[DomainChange, ...]


def compare(instrument: Instrument, assessments: Sequence[Assessment]) -> Comparison:
    """The latest round against the one before it, domain by domain."""
    grouped = rounds(assessments)
    latest = score_round(instrument, grouped[-1]) if grouped else None
    previous = score_round(instrument, grouped[-2]) if len(grouped) >= 2 else None
    changes = tuple(
        DomainChange(
            domain,
            previous.domains[index].score if previous else None,
            latest.domains[index].score if latest else None,
        )
        for index, domain in enumerate(instrument.domains)
    )
    return Comparison(latest, previous, changes)


@dataclass(frozen=True, slots=True)
class NetworkDomain:
    domain: Domain
    scores: tuple[Fraction | None, ...]  # one per organisation, in NetworkView.organisations order
    mean: Fraction | None
    spread: Fraction | None
    organisations: int  # how many organisations have a score for it


@dataclass(frozen=True, slots=True)
class NetworkView:
    organisations: tuple[str, ...]
    rounds: tuple[RoundResult | None, ...]  # each organisation's latest round (None: not assessed)
    domains: tuple[NetworkDomain, ...]

    def weakest(self, limit: int = 3) -> list[NetworkDomain]:
        return weakest(self.domains, limit, key=lambda d: d.mean)


def network(
    instrument: Instrument, per_organisation: Sequence[tuple[str, Sequence[Assessment]]]
) -> NetworkView:
    """Each organisation's latest round side by side, with the network's mean per domain."""
    latest = [latest_round(instrument, assessments) for _org, assessments in per_organisation]
    domains: list[NetworkDomain] = []
    for index, domain in enumerate(instrument.domains):
        scores = tuple(r.domains[index].score if r else None for r in latest)
        present = [s for s in scores if s is not None]
        domains.append(NetworkDomain(domain, scores, mean(present), spread(present), len(present)))
    return NetworkView(tuple(o for o, _a in per_organisation), tuple(latest), tuple(domains))
