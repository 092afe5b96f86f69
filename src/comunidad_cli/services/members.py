"""Seats: who sits on which body, in which class and role, from when to when.

Every seat is checked against the by-laws in force (`services.bylaws.in_workspace`) by the
pure rules in `core.governance.seats`, with the seats already stored as plain data: the
body and class exist, class caps and role holders are not exceeded on any day, one seat per
person and body at a time, and role term limits. Also the `members` kind of `comunidad
import`, checked with the same rules, against the database and the file's other rows.

A seat's natural key is (by-laws, body, person, from); dates are inclusive at both ends.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.governance.seats import SeatProblem, check_seat, seated_on
from comunidad_cli.core.importing import Column, Problem, Row, parse_date, parse_key
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.importing import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

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
    conn: Connection, bylaws_id: str, body: str | None = None
) -> list[tuple[int, Seat]]:
    """The seats stored under `bylaws_id` (on `body`, when given), with their row ids."""
    from sqlalchemy import select

    from comunidad_cli.services.directory import table_of

    seats, people = table_of("seat"), table_of("person")
    query = (
        select(
            seats.c.id,
            people.c.key,
            seats.c.body,
            seats.c.member_class,
            seats.c.start,
            seats.c.end,
            seats.c.role,
        )
        .select_from(seats.join(people, seats.c.person_id == people.c.id))
        .where(seats.c.bylaws_id == bylaws_id)
        .order_by(seats.c.start, seats.c.id)
    )
    if body is not None:
        query = query.where(seats.c.body == body)
    return [(i, Seat(p, b, c, s, e, r)) for i, p, b, c, s, e, r in conn.execute(query).all()]


def _person(conn: Connection, key: str) -> tuple[int, str]:
    from sqlalchemy import select

    from comunidad_cli.services.directory import table_of

    people = table_of("person")
    row = conn.execute(select(people.c.id, people.c.name).where(people.c.key == key)).first()
    if row is None:
        raise ServiceError.of(
            N_('no person with id "{key}": add them with "comunidad person add"'), key=key
        )
    return int(row[0]), str(row[1])


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
    from sqlalchemy import insert

    from comunidad_cli.services.directory import table_of
    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    bylaws = load_bylaws(bylaws_dir, bylaws_id, today)
    new = Seat(person, body, member_class, start, end, role or None)
    now = clock.now()
    with writing(url) as session:
        conn = session.connection()
        person_id, name = _person(conn, person)
        existing = [seat for _, seat in stored_seats(conn, bylaws.id, body)]
        problems = check_seat(bylaws, existing, new)
        if problems:
            raise SeatRefused(problems)
        conn.execute(
            insert(table_of("seat")).values(
                bylaws_id=bylaws.id,
                body=body,
                person_id=person_id,
                member_class=member_class,
                role=new.role,
                start=start,
                end=end,
            )
        )
        record(
            conn,
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
    from sqlalchemy import update

    from comunidad_cli.services.directory import table_of
    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    bylaws = load_bylaws(bylaws_dir, bylaws_id, today)
    now = clock.now()
    with writing(url) as session:
        conn = session.connection()
        _, name = _person(conn, person)
        held = [
            (i, s)
            for i, s in stored_seats(conn, bylaws.id, body)
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
        conn.execute(
            update(table_of("seat")).where(table_of("seat").c.id == seat_id).values(end=on)
        )
        record(
            conn,
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


# --- import kind: members ---------------------------------------------------------------------

MEMBER_COLUMNS = ("bylaws", "body", "person", "class", "role", "from", "to")


def _member_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("bylaws", parse_key),
        Column("body", parse_key, required=True),
        Column("person", parse_key, required=True),
        Column("class", parse_key, required=True),
        Column("role", parse_key),
        Column("from", parse_date, required=True),
        Column("to", parse_date),
    )


def _member_key(row: Row) -> Hashable | None:
    return (row.get("bylaws") or "", row["body"], row["person"], row["from"])


class _Workspace:
    """By-laws by id, loaded once each, and the seats under them (stored, then accepted)."""

    def __init__(self, conn: Connection, ctx: ImportContext) -> None:
        self.conn = conn
        self.ctx = ctx
        self.models: dict[str | None, Bylaws | Msg] = {}
        self.seats: dict[str, list[tuple[int | None, Seat]]] = {}

    def bylaws(self, bylaws_id: str | None) -> Bylaws | Msg:
        if bylaws_id not in self.models:
            assert self.ctx.bylaws_dir is not None
            try:
                self.models[bylaws_id] = load_bylaws(self.ctx.bylaws_dir, bylaws_id, self.ctx.today)
            except ServiceError as error:
                files = len(list(self.ctx.bylaws_dir.glob("*.toml")))
                self.models[bylaws_id] = (
                    Msg.of(
                        N_(
                            'the workspace has {count} by-laws files: fill in the "bylaws"'
                            " column with the id of one"
                        ),
                        count=files,
                    )
                    if bylaws_id is None and files > 1
                    else error.msg
                )
        return self.models[bylaws_id]

    def held(self, bylaws_id: str) -> list[tuple[int | None, Seat]]:
        if bylaws_id not in self.seats:
            self.seats[bylaws_id] = [(i, s) for i, s in stored_seats(self.conn, bylaws_id)]
        return self.seats[bylaws_id]


def _plan_members(
    conn: Connection, rows: list[Row], present: frozenset[str], ctx: ImportContext
) -> Plan:
    from sqlalchemy import select

    from comunidad_cli.services.directory import table_of

    plan = Plan()
    if ctx.bylaws_dir is None:
        plan.problems.append(
            Problem(
                None,
                None,
                Msg.of(
                    N_('importing members needs a workspace with by-laws: run "comunidad init"')
                ),
            )
        )
        return plan
    people = table_of("person")
    person_ids: dict[str, int] = {
        k: i for i, k in conn.execute(select(people.c.id, people.c.key)).all()
    }
    space = _Workspace(conn, ctx)
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        bylaws = space.bylaws(row.get("bylaws"))
        if isinstance(bylaws, Msg):
            plan.problems.append(Problem(row.number, "bylaws", bylaws))
            continue
        person_id = person_ids.get(row["person"])
        if person_id is None:
            plan.problems.append(
                Problem(
                    row.number,
                    "person",
                    Msg.of(
                        N_(
                            'no person with id "{key}": import the people first,'
                            ' or add them with "comunidad person add"'
                        ),
                        key=row["person"],
                    ),
                )
            )
            continue
        new = Seat(
            row["person"], row["body"], row["class"], row["from"], row.get("to"), row.get("role")
        )
        held = space.held(bylaws.id)
        index = next(
            (
                n
                for n, (_, s) in enumerate(held)
                if s.body == new.body and s.person == new.person and s.start == new.start
            ),
            None,
        )
        if index is not None and held[index][1] == new:
            plan.unchanged += 1
            continue
        others = [s for n, (_, s) in enumerate(held) if n != index]
        refusals = check_seat(bylaws, others, new)
        if refusals:
            plan.problems.extend(Problem(row.number, r.field, r.msg) for r in refusals)
            continue
        key = seat_key(bylaws.id, new)
        if index is None:
            held.append((None, new))
            creates.append(
                {
                    "bylaws_id": bylaws.id,
                    "body": new.body,
                    "person_id": person_id,
                    "member_class": new.member_class,
                    "role": new.role,
                    "start": new.start,
                    "end": new.end,
                }
            )
            audit.append(
                AuditEntry(
                    "create",
                    key,
                    {
                        "file": ctx.file,
                        "row": row.number,
                        "class": new.member_class,
                        "role": new.role,
                        "from": new.start,
                        "to": new.end,
                    },
                )
            )
            continue
        seat_id, old = held[index]
        held[index] = (seat_id, new)
        if seat_id is None:  # pragma: no cover - duplicates within the file are refused earlier
            continue
        updates.append(
            {"_id": seat_id, "member_class": new.member_class, "role": new.role, "end": new.end}
        )
        changed = {
            name: [before, after]
            for name, before, after in (
                ("class", old.member_class, new.member_class),
                ("role", old.role, new.role),
                ("to", old.end, new.end),
            )
            if before != after
        }
        audit.append(
            AuditEntry("update", key, {"file": ctx.file, "row": row.number, "changed": changed})
        )
    plan.created, plan.updated = len(creates), len(updates)

    def write(conn: Connection) -> None:
        from sqlalchemy import bindparam, insert, update

        table = table_of("seat")
        if creates:
            conn.execute(insert(table), creates)
        if updates:
            conn.execute(update(table).where(table.c.id == bindparam("_id")), updates)
        write_audit(conn, ctx, SEAT_ENTITY, audit)

    plan.write = write
    return plan


MEMBERS_IMPORT = ImportKind(
    name="members",
    entity=SEAT_ENTITY,
    columns=_member_columns,
    natural_key=_member_key,
    key_columns="bylaws, body, person, from",
    plan=_plan_members,
)
