"""A plan's needs and versions: ranks 1..n without gaps or duplicates, periods, and which
version of a body's plan is in force on a day.

A plan version is in force from the day the motion that adopted it closed: the latest
version adopted by then, of the plans whose period holds the day. Amendments are later
versions of the same plan; earlier ones stay as history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from comunidad_cli.core.messages import N_, NP_, Msg


@dataclass(frozen=True, slots=True)
class RankedNeed:
    key: str
    rank: int
    #: Where it came from: a row number of an import file, or None (already stored).
    row: int | None = None


@dataclass(frozen=True, slots=True)
class RankProblem:
    row: int | None
    msg: Msg


def rank_problems(needs: Sequence[RankedNeed]) -> list[RankProblem]:
    """Ranks must be 1..n, each once: a duplicate is reported at each row that repeats it,
    a rank above n (a gap below it) at its row, the missing ranks once."""
    problems: list[RankProblem] = []
    count = len(needs)
    holders: dict[int, list[RankedNeed]] = {}
    for need in needs:
        holders.setdefault(need.rank, []).append(need)
    for rank, held in holders.items():
        if rank < 1:
            for need in held:
                problems.append(
                    RankProblem(need.row, Msg.of(N_("rank {rank}: ranks start at 1"), rank=rank))
                )
        if len(held) > 1:
            names = ", ".join(n.key for n in held)
            for need in held[1:]:
                problems.append(
                    RankProblem(
                        need.row,
                        Msg.of(
                            N_("rank {rank} is given to more than one need ({needs})"),
                            rank=rank,
                            needs=names,
                        ),
                    )
                )
    missing = [r for r in range(1, count + 1) if r not in holders]
    if missing:
        above = sorted({n.rank for n in needs if n.rank > count})
        problems.append(
            RankProblem(
                None,
                Msg.counted(
                    NP_(
                        "{count} need must have rank 1; missing: {missing}{above}",
                        "{count} needs must be ranked 1 to {count}, each once; missing:"
                        " {missing}{above}",
                    ),
                    "count",
                    count=count,
                    missing=", ".join(str(r) for r in missing),
                    above=(
                        Msg.of(N_(" (given instead: {ranks})"), ranks=", ".join(map(str, above)))
                        if above
                        else ""
                    ),
                ),
            )
        )
    return problems


def period_problem(start: date, end: date) -> Msg | None:
    if end < start:
        return Msg.of(N_("the plan ends ({end}) before it starts ({start})"), start=start, end=end)
    return None


def overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass(frozen=True, slots=True)
class Version:
    key: str
    #: The key of the plan's first version: the versions of one plan share it.
    root: str
    start: date
    end: date
    #: The day its motion was adopted (on the workspace's clocks); None: not adopted.
    adopted_on: date | None
    #: The order adoptions happened in (the motion's close, then the version's id).
    adopted_order: tuple[object, ...] = ()


def in_force(versions: Iterable[Version], on: date | None = None) -> list[Version]:
    """The version in force of each plan: its latest adopted version (`on`: adopted by then,
    and only plans whose period holds that day)."""
    latest: dict[str, Version] = {}
    for v in versions:
        if v.adopted_on is None:
            continue
        if on is not None and (v.adopted_on > on or not v.start <= on <= v.end):
            continue
        held = latest.get(v.root)
        if held is None or v.adopted_order > held.adopted_order:
            latest[v.root] = v
    return sorted(latest.values(), key=lambda v: (v.start, v.key))
