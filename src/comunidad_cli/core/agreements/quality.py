"""Partnership quality: each side's rounds scored by the capacity rules (`core/capacity`),
the change between its last two, and where the two sides' latest rounds differ most (see
the package docstring)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from comunidad_cli.core.agreements import SIDES
from comunidad_cli.core.capacity.comparison import Comparison, compare
from comunidad_cli.core.capacity.instrument import Domain, Instrument
from comunidad_cli.core.capacity.scoring import Assessment, RoundResult, rounds, score_round


@dataclass(frozen=True, slots=True)
class SideQuality:
    side: str
    rounds: tuple[RoundResult, ...]  # oldest first
    comparison: Comparison  # the latest round against the one before


@dataclass(frozen=True, slots=True)
class Difference:
    domain: Domain
    lead: Fraction
    partner: Fraction

    @property
    def gap(self) -> Fraction:
        return abs(self.lead - self.partner)


@dataclass(frozen=True, slots=True)
class Quality:
    sides: tuple[SideQuality, ...]  # lead, then partner
    differences: tuple[Difference, ...]  # latest rounds, largest gap first


def side_quality(
    instrument: Instrument, side: str, assessments: Sequence[Assessment]
) -> SideQuality:
    """A side's rounds, each scored, and the change between its last two."""
    scored = tuple(score_round(instrument, group) for group in rounds(assessments))
    return SideQuality(side, scored, compare(instrument, assessments))


def quality(instrument: Instrument, by_side: Mapping[str, Sequence[Assessment]]) -> Quality:
    """Both sides over time, and where their latest rounds differ most."""
    sides = tuple(side_quality(instrument, s, by_side.get(s, ())) for s in SIDES)
    lead, partner = (s.rounds[-1] if s.rounds else None for s in sides)
    differences: list[tuple[Fraction, int, Difference]] = []
    if lead is not None and partner is not None:
        for index, domain in enumerate(instrument.domains):
            ours, theirs = lead.domains[index].score, partner.domains[index].score
            if ours is None or theirs is None:
                continue
            difference = Difference(domain, ours, theirs)
            differences.append((-difference.gap, index, difference))
    differences.sort(key=lambda t: (t[0], t[1]))
    return Quality(sides, tuple(d for _g, _i, d in differences))
