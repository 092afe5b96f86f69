"""Learning: activities (topic, cycle, facilitator, day, hours), the people of the directory
who took part, each person's and each organisation's learning record, and lessons learned
with their tags.

One `writing_db` transaction per command, with its audit row; `reading_db` for the lists,
the record and the lessons. The rules are in `comunidad_cli.core.learning`. Titles, topics,
names and lessons are kept exactly as typed (one line but for a lesson's text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.entries import (
    audit,
    name_text,
    new_key,
    not_future,
    org_row,
    refused,
    unknown_org,
)
from comunidad_cli.services.errors import ServiceError, typed_period

if TYPE_CHECKING:
    from comunidad_cli.core.learning import Record
    from comunidad_cli.storage.dbapi import Db
    from comunidad_cli.storage.learning import ActivityRow, LessonRow

ACTIVITY = "learning_activity"
PARTICIPANT = "learning_participant"
LESSON = "learning_lesson"


def hours_of(value: str, option: str, decimal_mark: str | None) -> Decimal:
    """Hours typed on the command line the locale's way; refused (exit 1), never guessed."""
    from comunidad_cli.core.learning import parse_hours

    try:
        return parse_hours(value, decimal_mark, origin="option")
    except Invalid as invalid:
        raise refused(option, invalid) from None


def bylaws_of(folder: Path | None, bylaws_id: str, today: date) -> str:
    """The id of the workspace's by-laws named `bylaws_id` (valid ones), or refused."""
    from comunidad_cli.services.bylaws import in_workspace

    if folder is None:
        raise ServiceError.of(N_('no by-laws with id "{id}" in {folder}'), id=bylaws_id, folder="-")
    model = in_workspace(folder, bylaws_id.strip(), today).model
    assert model is not None
    return model.id


def _activity(db: Db, key: str) -> ActivityRow:
    from comunidad_cli.storage.learning import activity

    found = activity(db, key)
    if found is None:
        from comunidad_cli.services.suggest import no_such

        fallback = Msg.of(
            N_('no learning activity with id "{key}": see "comunidad learning list"'), key=key
        )
        raise ServiceError(no_such(db, "activity", key, fallback))
    return found


def add_activity(
    url: str,
    *,
    title: str,
    topic: str,
    cycle: str | None,
    facilitator: str,
    on: date,
    hours: str,
    decimal_mark: str | None,
    bylaws: str | None,
    bylaws_dir: Path | None,
    key: str | None,
    today: date,
    at: datetime,
) -> str:
    """Record a learning activity held on `on` (`hours` as typed, in the convention of
    `decimal_mark`); returns its id."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import learning

    what = name_text(title, "TITLE")
    about = name_text(topic, "--topic")
    round_ = None if cycle is None else name_text(cycle, "--cycle")
    who = name_text(facilitator, "--facilitator")
    length = hours_of(hours, "--hours", decimal_mark)
    not_future(on, today)
    bylaws_id = None if bylaws is None else bylaws_of(bylaws_dir, bylaws, today)
    with writing_db(url) as db:
        chosen = new_key(db, ACTIVITY, key, what, prefix="activity")
        learning.add_activity(
            db,
            key=chosen,
            title=what,
            topic=about,
            cycle=round_,
            facilitator=who,
            held_on=on,
            hours=length,
            bylaws_id=bylaws_id,
            created_at=at,
        )
        audit(
            db,
            "learning add",
            "create",
            ACTIVITY,
            chosen,
            {
                "title": what,
                "topic": about,
                "cycle": round_,
                "facilitator": who,
                "on": on,
                "hours": length,
                "bylaws": bylaws_id,
            },
            at,
        )
    return chosen


def join(
    url: str,
    activity_key: str,
    people: Sequence[str],
    *,
    org: str | None,
    hours: str | None,
    decimal_mark: str | None,
    at: datetime,
) -> list[tuple[str, str | None]]:
    """People of the directory who took part in an activity (each for `org`, else their own
    organisation), all or none, attending `hours` (as typed) when fewer than the whole
    activity; returns (person, organisation) as recorded."""
    from comunidad_cli.core.learning import attended_problem, stored_hours, unknown_person
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import learning

    wanted = list(dict.fromkeys(p.strip() for p in people))
    length = None if hours is None else hours_of(hours, "--hours", decimal_mark)
    with writing_db(url) as db:
        found = _activity(db, activity_key)
        if length is not None:
            problem = attended_problem(length, found.hours)
            if problem is not None:
                raise ServiceError(
                    Msg.of(N_("{option}: {problem}"), option="--hours", problem=problem)
                )
        directory = learning.person_orgs(db)
        for person in wanted:
            if person not in directory:
                raise ServiceError(unknown_person(person, directory))
        already = {p.person for p in learning.participants(db, activity_id=found.id)}
        twice = [p for p in wanted if p in already]
        if twice:
            raise ServiceError.of(
                N_("already recorded in {activity}: {people}; nothing was written"),
                activity=found.key,
                people=", ".join(twice),
            )
        org_id = None if org is None else org_row(db, org.strip())
        rows = []
        recorded: list[tuple[str, str | None]] = []
        kept = stored_hours(length, found.hours)
        for person in wanted:
            person_id, own_id, own_key = directory[person]
            rows.append((found.id, person_id, org_id if org is not None else own_id, kept))
            recorded.append((person, org.strip() if org is not None else own_key))
        learning.add_participants(db, rows)
        for person, org_key in recorded:
            audit(
                db,
                "learning join",
                "create",
                PARTICIPANT,
                found.key,
                {"person": person, "org": org_key, "hours": kept},
                at,
            )
    return recorded


def add_lesson(
    url: str,
    text: str,
    *,
    activity: str | None,
    tags: Sequence[str],
    by: str,
    on: date,
    bylaws: str | None,
    bylaws_dir: Path | None,
    key: str | None,
    today: date,
    at: datetime,
) -> str:
    """Record a lesson learned, as typed, with its tags; returns its id."""
    from comunidad_cli.core.importing.text import check_text
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import learning

    try:
        check_text(text)
    except Invalid as invalid:
        raise refused("TEXT", invalid) from None
    if not text.strip():
        raise ServiceError(Msg.of(N_("{option} cannot be empty"), option="TEXT"))
    who = name_text(by, "--by")
    words = list(dict.fromkeys(name_text(t, "--tag") for t in tags))
    if not words:
        raise ServiceError.of(N_("give the lesson at least one --tag"), exit_code=2)
    not_future(on, today)
    bylaws_id = None if bylaws is None else bylaws_of(bylaws_dir, bylaws, today)
    with writing_db(url) as db:
        activity_id = None
        if activity is not None:
            found = _activity(db, activity.strip())
            if on < found.held_on:
                raise ServiceError.of(
                    N_("--on {day} is before the activity was held ({held})"),
                    day=on,
                    held=found.held_on,
                )
            activity_id = found.id
            if bylaws_id is None:
                bylaws_id = found.bylaws_id
        chosen = new_key(db, LESSON, key, text, prefix="lesson")
        learning.add_lesson(
            db,
            key=chosen,
            text=text,
            recorded_on=on,
            by=who,
            activity_id=activity_id,
            bylaws_id=bylaws_id,
            tags=words,
        )
        audit(
            db,
            "learning lesson",
            "create",
            LESSON,
            chosen,
            {
                "text": text,
                "activity": activity,
                "tags": words,
                "by": who,
                "on": on,
                "bylaws": bylaws_id,
            },
            at,
        )
    return chosen


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityView:
    key: str
    title: str
    topic: str
    cycle: str | None
    facilitator: str
    held_on: date
    hours: Decimal
    bylaws: str | None
    participants: int
    person_hours: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "title": self.title,
            "topic": self.topic,
            "cycle": self.cycle,
            "facilitator": self.facilitator,
            "date": self.held_on.isoformat(),
            "hours": self.hours,
            "bylaws": self.bylaws,
            "participants": self.participants,
            "person_hours": self.person_hours,
        }


def list_activities(
    url: str,
    *,
    start: date | None = None,
    end: date | None = None,
    topic: str | None = None,
    cycle: str | None = None,
) -> list[ActivityView]:
    """Activities held in the period, of the topic and cycle asked (case and accents aside),
    by day, with how many took part and their hours."""
    from comunidad_cli.core.learning import attended, same_word
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import learning

    typed_period(start, end)
    with reading_db(url) as db:
        rows = [
            a
            for a in learning.activities(db, start, end)
            if (topic is None or same_word(a.topic, topic))
            and (cycle is None or same_word(a.cycle, cycle))
        ]
        taking = learning.participants(db) if rows else []
    counts: dict[int, tuple[int, Decimal]] = {}
    hours_of_activity = {a.id: a.hours for a in rows}
    for p in taking:
        if p.activity_id not in hours_of_activity:
            continue
        count, total = counts.get(p.activity_id, (0, Decimal(0)))
        counts[p.activity_id] = (
            count + 1,
            total + attended(p.hours, hours_of_activity[p.activity_id]),
        )
    return [
        ActivityView(
            a.key,
            a.title,
            a.topic,
            a.cycle,
            a.facilitator,
            a.held_on,
            a.hours,
            a.bylaws_id,
            *counts.get(a.id, (0, Decimal(0))),
        )
        for a in rows
    ]


@dataclass(frozen=True, slots=True)
class LessonView:
    key: str
    text: str
    on: date
    by: str
    activity: str | None
    bylaws: str | None
    tags: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "text": self.text,
            "date": self.on.isoformat(),
            "by": self.by,
            "activity": self.activity,
            "bylaws": self.bylaws,
            "tags": list(self.tags),
        }


def _lesson(row: LessonRow) -> LessonView:
    return LessonView(
        row.key, row.text, row.recorded_on, row.by, row.activity, row.bylaws_id, row.tags
    )


@dataclass(frozen=True, slots=True)
class ActivityDetail:
    activity: ActivityView
    participants: list[tuple[str, str, str | None, Decimal]]  # person, name, org, hours
    lessons: list[LessonView]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.activity.as_json(),
            "people": [
                {"person": p, "name": n, "org": o, "hours": h} for p, n, o, h in self.participants
            ],
            "lessons": [lesson.as_json() for lesson in self.lessons],
        }


def show_activity(url: str, key: str) -> ActivityDetail:
    """One activity, who took part (for which organisation, how many hours) and its lessons."""
    from comunidad_cli.core.learning import attended
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import learning

    with reading_db(url) as db:
        a = _activity(db, key)
        people = [
            (p.person, p.name, p.org, attended(p.hours, a.hours))
            for p in learning.participants(db, activity_id=a.id)
        ]
        lessons = [_lesson(r) for r in learning.lessons(db, a.id)]
    view = ActivityView(
        a.key,
        a.title,
        a.topic,
        a.cycle,
        a.facilitator,
        a.held_on,
        a.hours,
        a.bylaws_id,
        len(people),
        sum((h for *_, h in people), Decimal(0)),
    )
    return ActivityDetail(view, people, lessons)


@dataclass(frozen=True, slots=True)
class RecordView:
    """A person's (`person`) or an organisation's (`org`) learning record in a period."""

    person: str | None
    org: str | None
    name: str
    start: date | None
    end: date | None
    record: Record

    def as_json(self) -> dict[str, Any]:
        def totals(t: Any) -> dict[str, Any]:
            return {"activities": t.activities, "people": t.people, "hours": t.hours}

        r = self.record
        return {
            "person": self.person,
            "org": self.org,
            "name": self.name,
            "from": None if self.start is None else self.start.isoformat(),
            "to": None if self.end is None else self.end.isoformat(),
            "activities": [
                {
                    "id": e.activity,
                    "title": e.title,
                    "date": e.day.isoformat(),
                    "topic": e.topic,
                    "cycle": e.cycle,
                    "person": e.person,
                    "org": e.org,
                    "hours": e.hours,
                }
                for e in r.entries
            ],
            "totals": totals(r.total),
            "by_topic": [{"topic": t, **totals(v)} for t, v in r.by_topic],
            "by_cycle": [{"cycle": c, **totals(v)} for c, v in r.by_cycle],
        }


def learning_record(
    url: str,
    *,
    person: str | None,
    org: str | None,
    start: date | None = None,
    end: date | None = None,
) -> RecordView:
    """The learning record of one person (every activity they took part in, whatever the
    organisation) or of one organisation (every participation recorded for it)."""
    from comunidad_cli.core.learning import Participation, attended, record, unknown_person
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import directory, learning

    if (person is None) == (org is None):
        raise ServiceError.of(N_("say whose record: --person or --org"), exit_code=2)
    typed_period(start, end)
    with reading_db(url) as db:
        if person is not None:
            found = directory.person(db, person)
            if found is None:
                raise ServiceError(unknown_person(person, learning.person_orgs(db)))
            rows = learning.participants(db, person_id=int(found["id"]))
            name = str(found["name"])
        else:
            assert org is not None
            org_row = directory.organisation(db, org)
            if org_row is None:
                raise ServiceError(unknown_org(db, org))
            rows = learning.participants(db, org_id=int(org_row["id"]))
            name = str(org_row["name"])
        held = {a.id: a for a in learning.activities(db, start, end)}
    entries = [
        Participation(
            a.key,
            a.title,
            a.held_on,
            a.topic,
            a.cycle,
            p.person,
            p.org,
            attended(p.hours, a.hours),
        )
        for p in rows
        if (a := held.get(p.activity_id)) is not None
    ]
    return RecordView(person, org, name, start, end, record(entries))


def list_lessons(
    url: str, *, tag: str | None = None, activity: str | None = None
) -> list[LessonView]:
    """Lessons learned (with the tag asked, case and accents aside; of one activity), by day."""
    from comunidad_cli.core.learning import same_word
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import learning

    with reading_db(url) as db:
        activity_id = None if activity is None else _activity(db, activity.strip()).id
        rows = learning.lessons(db, activity_id)
    return [_lesson(r) for r in rows if tag is None or any(same_word(t, tag) for t in r.tags)]
