"""Seats: who sits on which body, in which class and role, from when to when.

Every seat is checked against the by-laws in force (`services.bylaws.in_workspace`) by the
pure rules in `core.governance.seats`, with the seats already stored as plain data: the
body and class exist, class caps and role holders are not exceeded on any day, one seat per
person and body at a time, and role term limits. The `members` kind of `comunidad import`
(services/imports/directory.py) checks its rows with the same rules.

A seat's natural key is (by-laws, body, person, from); dates are inclusive at both ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.governance.seats import (
    SeatProblem,
    check_seat,
    seated_on,
    seats_that_count,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

SEAT_ENTITY = "seat"


class SeatRefused(ServiceError):
    """The seat rules refused a seat: `problems` holds every reason (the message: the first)."""

    def __init__(self, problems: Sequence[SeatProblem]) -> None:
        super().__init__(problems[0].msg)
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class MemberView:
    person: str
    name: str
    bylaws: str
    body: str
    member_class: str
    role: str | None
    start: date
    end: date | None
    votes: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "name": self.name,
            "bylaws": self.bylaws,
            "body": self.body,
            "class": self.member_class,
            "role": self.role,
            "from": self.start.isoformat(),
            "to": self.end.isoformat() if self.end else None,
            "votes": self.votes,
        }


def seat_key(bylaws_id: str, seat: Seat) -> str:
    """The audit entity id of a seat: its natural key, by-laws/body/person/from."""
    return f"{bylaws_id}/{seat.body}/{seat.person}/{seat.start.isoformat()}"


def load_bylaws(bylaws_dir: Path, bylaws_id: str | None, today: date) -> Bylaws:
    """The valid by-laws a seat is judged under (named, or the workspace's only ones)."""
    from comunidad_cli.services.bylaws import in_workspace

    result = in_workspace(bylaws_dir, bylaws_id, today)
    assert result.model is not None
    return result.model


def stored_seats(
    db: Db,
    bylaws_id: str,
    body: str | None = None,
    judging: tuple[Bylaws, Seat] | None = None,
) -> list[tuple[int, Seat]]:
    """The seats stored under `bylaws_id` (on `body`, when given), with their row ids.

    With `judging` (by-laws, new seat), only those `check_seat` reads to judge it
    (`seats_that_count`): its person's seats on its body, and the ones overlapping it of its
    class (when capped) and of its role. One seat is checked without loading every seat of a
    large body.
    """
    from comunidad_cli.storage.governance import seats, seats_near

    if judging is None:
        found = seats(db, bylaws_id, body)
    else:
        bylaws, near = judging
        member_class, role = seats_that_count(bylaws, near)
        found = seats_near(
            db,
            bylaws_id,
            body=near.body,
            person=near.person,
            start=near.start,
            end=near.end,
            member_class=member_class,
            role=role,
        )
    return [(i, Seat(p, b, c, s, e, r)) for i, p, b, c, s, e, r in found]


def _person(db: Db, key: str) -> tuple[int, str]:
    from comunidad_cli.storage.directory import person

    found = person(db, key)
    if found is None:
        from comunidad_cli.services.suggest import no_such

        fallback = Msg.of(
            N_('no person with id "{key}": add them with "comunidad person add"'), key=key
        )
        raise ServiceError(no_such(db, "person", key, fallback))
    return int(found["id"]), str(found["name"])


def _view(bylaws: Bylaws, seat: Seat, name: str) -> MemberView:
    member_class = bylaws.classes.get(seat.member_class)
    return MemberView(
        seat.person,
        name,
        bylaws.id,
        seat.body,
        seat.member_class,
        seat.role,
        seat.start,
        seat.end,
        member_class.votes if member_class else False,
    )


def add_member(
    url: str,
    bylaws_dir: Path,
    *,
    body: str,
    person: str,
    member_class: str,
    start: date,
    end: date | None = None,
    role: str | None = None,
    bylaws_id: str | None = None,
    today: date,
    command: str = "member add",
) -> MemberView:
    """Seat `person` on `body`, or raise SeatRefused with every reason the rules give."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.governance import add_seat

    bylaws = load_bylaws(bylaws_dir, bylaws_id, today)
    new = Seat(person, body, member_class, start, end, role or None)
    now = clock.now()
    with writing_db(url) as db:
        person_id, name = _person(db, person)
        judging = [seat for _, seat in stored_seats(db, bylaws.id, judging=(bylaws, new))]
        problems = check_seat(bylaws, judging, new)
        if problems:
            raise SeatRefused(problems)
        add_seat(
            db,
            bylaws_id=bylaws.id,
            body=body,
            person_id=person_id,
            member_class=member_class,
            role=new.role,
            start=start,
            end=end,
        )
        record(
            db,
            command=command,
            action="create",
            entity=SEAT_ENTITY,
            entity_id=seat_key(bylaws.id, new),
            detail={"class": member_class, "role": new.role, "from": start, "to": end},
            at=now,
        )
    return _view(bylaws, new, name)


def end_member(
    url: str,
    bylaws_dir: Path,
    *,
    body: str,
    person: str,
    on: date,
    bylaws_id: str | None = None,
    today: date,
    command: str = "member end",
) -> tuple[MemberView, bool]:
    """End `person`'s seat on `body` held on `on`, with `on` as its last day.

    Returns the seat and whether it changed (False: it already ended that day).
    """
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.governance import end_seat

    bylaws = load_bylaws(bylaws_dir, bylaws_id, today)
    now = clock.now()
    with writing_db(url) as db:
        _, name = _person(db, person)
        held = [
            (i, s)
            for i, s in stored_seats(db, bylaws.id, body)
            if s.person == person and s.active_on(on)
        ]
        if not held:
            raise ServiceError.of(
                N_('{person} holds no seat on "{body}" on {day}: see "comunidad member list"'),
                person=person,
                body=body,
                day=on,
            )
        seat_id, seat = held[0]
        if seat.end == on:
            return _view(bylaws, seat, name), False
        ended = Seat(seat.person, seat.body, seat.member_class, seat.start, on, seat.role)
        end_seat(db, seat_id, on)
        record(
            db,
            command=command,
            action="update",
            entity=SEAT_ENTITY,
            entity_id=seat_key(bylaws.id, seat),
            detail={"to": [seat.end, on]},
            at=now,
        )
    return _view(bylaws, ended, name), True


def list_members(
    url: str,
    bylaws_dir: Path,
    *,
    body: str,
    on: date,
    bylaws_id: str | None = None,
    today: date,
) -> list[MemberView]:
    """Who held a seat on `body` on `on`, by class then person."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.directory import names as names_of
    from comunidad_cli.storage.governance import seats as seats_of

    bylaws = load_bylaws(bylaws_dir, bylaws_id, today)
    if body not in bylaws.bodies:
        raise ServiceError.of(
            N_('by-laws "{bylaws}" have no body "{body}"; their bodies are: {bodies}'),
            bylaws=bylaws.id,
            body=body,
            bodies=", ".join(sorted(bylaws.bodies)),
        )
    with reading_db(url) as db:
        stored = (Seat(p, b, c, s, e, r) for _, p, b, c, s, e, r in seats_of(db, bylaws.id, body))
        seats = seated_on(stored, body, on)
        names = names_of(db, sorted({s.person for s in seats}))
    return [_view(bylaws, s, names.get(s.person, s.person)) for s in seats]
