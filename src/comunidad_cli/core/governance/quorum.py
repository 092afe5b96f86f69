"""Quorum: whether enough entitled members are present for the body to decide.

Counts are exact integers compared with `fractions.meets` / `minimum_count`; a fraction is
never turned into a float nor rounded. Proxies never count towards quorum: a quorum is of
members in the room, and a proxy holder is one person however many proxies they carry.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from types import MappingProxyType

from comunidad_cli.core.bylaws.model import Body, Bylaws
from comunidad_cli.core.fractions import format_fraction, minimum_count
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.messages import NP_, Msg

MAJORITY = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class ClassMinimum:
    """A per-class minimum (`min` in the quorum) and how many of that class count now."""

    member_class: str
    required: int
    present: int

    @property
    def met(self) -> bool:
        return self.present >= self.required


@dataclass(frozen=True, slots=True)
class QuorumResult:
    """The quorum judgement, with every number needed to explain it later."""

    required: int
    present: int
    met: bool
    minimums: tuple[ClassMinimum, ...]
    voting_members: int
    basis: Msg


def body_of(bylaws: Bylaws, body_id: str) -> Body:
    """The body, or ValueError: the by-laws in force must define every body a meeting uses."""
    body = bylaws.bodies.get(body_id)
    if body is None:
        raise ValueError(f"by-laws {bylaws.id!r} define no body {body_id!r}")
    return body


def class_votes(bylaws: Bylaws, class_id: str) -> bool:
    """Whether members of `class_id` vote; a class the by-laws don't define does not."""
    member_class = bylaws.classes.get(class_id)
    return member_class is not None and member_class.votes


def active_seats(seats: Iterable[Seat], body_id: str, day: date) -> list[Seat]:
    """Seats on the body on `day`, ordered so that every caller picks the same one."""
    return sorted(
        (s for s in seats if s.body == body_id and s.active_on(day)),
        key=lambda s: (s.person, s.member_class, s.start),
    )


def voting_members(
    bylaws: Bylaws, body_id: str, seats: Iterable[Seat], day: date
) -> Mapping[str, str]:
    """Person -> class of everyone seated on the body on `day` with a vote.

    Vacancies are simply absent; a person with two seats counts once (by their first
    voting seat), so nobody is counted twice towards quorum or a base.
    """
    members: dict[str, str] = {}
    for seat in active_seats(seats, body_id, day):
        if seat.person not in members and class_votes(bylaws, seat.member_class):
            members[seat.person] = seat.member_class
    return MappingProxyType(members)


def counted_present(
    bylaws: Bylaws,
    members: Mapping[str, str],
    present: Collection[str],
    recused: Collection[str],
) -> frozenset[str]:
    """Voting members present who count towards quorum (recused ones per the by-laws)."""
    counted = {p for p in present if p in members}
    if not bylaws.recused_count_for_quorum:
        counted -= set(recused)
    return frozenset(counted)


def judge_quorum(
    bylaws: Bylaws,
    body_id: str,
    seats: Iterable[Seat],
    present: Collection[str],
    recused: Collection[str],
    day: date,
    members: Mapping[str, str] | None = None,
) -> QuorumResult:
    """Judge the body's quorum from who is `present` at one instant of `day`.

    `present` is the room (e.g. `present_at(events, vote_time)`): guests, non-voting
    members and proxies given to others do not count. A quorum never needs fewer than one.
    `members`: `voting_members` of these seats on `day`, when the caller has it already.
    """
    body = body_of(bylaws, body_id)
    if members is None:
        members = voting_members(bylaws, body_id, seats, day)
    counted = counted_present(bylaws, members, present, recused)
    total_members = len(members)
    quorum = body.quorum
    total = total_members
    params: dict[str, object] = {}
    counted_by = "total"
    if quorum is None:
        required = minimum_count(total_members, MAJORITY, strict=True)
        text = NP_(
            "no quorum stated: a majority of the {total} voting member (Robert's Rules),"
            " {required} needed",
            "no quorum stated: a majority of the {total} voting members (Robert's Rules),"
            " {required} needed",
        )
    elif quorum.count is not None:
        required = quorum.count
        counted_by = "required"
        text = NP_("a fixed quorum of {required} member", "a fixed quorum of {required} members")
    else:
        fraction = quorum.fraction if quorum.fraction is not None else MAJORITY
        strict = quorum.strict if quorum.fraction is not None else True
        if quorum.of == "seats" and body.total_seats is not None:
            total = body.total_seats
            text = (
                NP_(
                    "more than {fraction} of the {total} seat, {required} needed",
                    "more than {fraction} of the {total} seats, {required} needed",
                )
                if strict
                else NP_(
                    "at least {fraction} of the {total} seat, {required} needed",
                    "at least {fraction} of the {total} seats, {required} needed",
                )
            )
        elif quorum.of in ("voting_members", "seats"):
            # A body without seats counts its voting members (lint reports BL309).
            text = (
                NP_(
                    "more than {fraction} of the {total} voting member, {required} needed",
                    "more than {fraction} of the {total} voting members, {required} needed",
                )
                if strict
                else NP_(
                    "at least {fraction} of the {total} voting member, {required} needed",
                    "at least {fraction} of the {total} voting members, {required} needed",
                )
            )
        else:
            raise ValueError(f"quorum of body {body_id!r} is of unknown {quorum.of!r}")
        params["fraction"] = format_fraction(fraction)
        required = minimum_count(total, fraction, strict=strict)
    required = max(required, 1)
    basis = Msg.counted(text, counted_by, total=total, required=required, **params)
    minimums = tuple(
        ClassMinimum(
            member_class=class_id,
            required=minimum,
            present=sum(1 for p in counted if members[p] == class_id),
        )
        for class_id, minimum in (quorum.minimums.items() if quorum is not None else ())
    )
    return QuorumResult(
        required=required,
        present=len(counted),
        met=len(counted) >= required and all(m.met for m in minimums),
        minimums=minimums,
        voting_members=total_members,
        basis=basis,
    )
