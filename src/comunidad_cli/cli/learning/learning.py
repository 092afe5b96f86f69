"""`comunidad learning ...`: learning activities (topic, cycle, facilitator, day, hours), the
people of the directory who took part, each person's and organisation's learning record,
and lessons learned with their tags.

`learning_app` is registered by cli/app.py as `learning`. Titles, names and lessons are
printed as typed; hours are typed the locale's way (1,5 in es and ca, 1.5 in en: the other
convention is refused, never guessed) and shown in the locale's number format.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ByOption,
    ComunidadCommand,
    JsonOption,
    OnOption,
    command_group,
    current_workspace,
    database_url,
    day_or_today,
    info,
    maybe_day,
    print_json,
    table_text,
    value_option,
    write_stdout,
)
from comunidad_cli.i18n import _, format_date, format_number, ngettext

if TYPE_CHECKING:
    from comunidad_cli.core.learning import Totals
    from comunidad_cli.services.learning import LessonView

learning_app = command_group(
    _(
        "Learning: activities and who took part, each person's and organisation's record,"
        " lessons learned."
    )
)

ActivityArgument = Annotated[str, typer.Argument(metavar="ACTIVITY", help=_("The activity's id."))]
FromOption = Annotated[str | None, value_option("--from", "DATE", _("First day, YYYY-MM-DD."))]
ToOption = Annotated[str | None, value_option("--to", "DATE", _("Last day, YYYY-MM-DD."))]
BylawsOption = Annotated[
    str | None,
    value_option(
        "--bylaws",
        "ID",
        _("The partnership it belongs to: the id of one of the workspace's by-laws."),
    ),
]
DASH = "–"


def _decimal_mark() -> str:
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.imports.engine import decimal_mark_for

    return decimal_mark_for(current_locale())


def _bylaws_dir() -> Path | None:
    workspace = current_workspace(required=False)
    return None if workspace is None else workspace.bylaws_dir


def _hours(value: Decimal) -> str:
    return format_number(value)


@learning_app.command(
    "add",
    cls=ComunidadCommand,
    help=_("Record a learning activity: title, topic, cycle, facilitator, day and hours."),
)
def add(
    title: Annotated[str, typer.Argument(metavar="TITLE", help=_("Its title, as written."))],
    topic: Annotated[str, value_option("--topic", "TEXT", _("Its topic, as written."))],
    facilitator: Annotated[str, value_option("--facilitator", "NAME", _("Who facilitated it."))],
    hours: Annotated[
        str,
        value_option(
            "--hours", "HOURS", _("How long it lasted, in hours, the locale's way (1,5 or 1.5).")
        ),
    ],
    cycle: Annotated[
        str | None,
        value_option("--cycle", "TEXT", _("The cycle of the learning programme it belongs to.")),
    ] = None,
    on: OnOption = None,
    bylaws: BylawsOption = None,
    key: Annotated[
        str | None,
        value_option("--id", "ID", _("The id to refer to it by (default: made from the title).")),
    ] = None,
) -> None:
    from comunidad_cli.services.learning import add_activity

    chosen = add_activity(
        database_url(),
        title=title,
        topic=topic,
        cycle=cycle,
        facilitator=facilitator,
        on=day_or_today(on),
        hours=hours,
        decimal_mark=_decimal_mark(),
        bylaws=bylaws,
        bylaws_dir=_bylaws_dir() if bylaws is not None else None,
        key=key,
        today=clock.today(),
        at=clock.now(),
    )
    info(_("Added learning activity {key}.").format(key=chosen))


@learning_app.command(
    "join",
    cls=ComunidadCommand,
    help=_(
        "Record people of the directory who took part in an activity (each for their own"
        " organisation unless --org says otherwise)."
    ),
)
def join(
    activity: ActivityArgument,
    people: Annotated[list[str], typer.Argument(metavar="PERSON...", help=_("The people's ids."))],
    org: Annotated[
        str | None,
        value_option(
            "--org", "ID", _("The organisation they took part for (default: each one's own).")
        ),
    ] = None,
    hours: Annotated[
        str | None,
        value_option(
            "--hours", "HOURS", _("Hours they attended, when fewer than the whole activity.")
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.learning import join as record_join

    recorded = record_join(
        database_url(),
        activity.strip(),
        people,
        org=org,
        hours=hours,
        decimal_mark=_decimal_mark() if hours is not None else None,
        at=clock.now(),
    )
    info(
        ngettext(
            "Recorded {count} participant in {activity}.",
            "Recorded {count} participants in {activity}.",
            len(recorded),
        ).format(count=format_number(len(recorded)), activity=activity.strip())
    )


@learning_app.command(
    "list",
    cls=ComunidadCommand,
    help=_("List learning activities, by day: of a period, a topic or a cycle."),
)
def list_command(
    start: FromOption = None,
    end: ToOption = None,
    topic: Annotated[str | None, value_option("--topic", "TEXT", _("Only this topic."))] = None,
    cycle: Annotated[str | None, value_option("--cycle", "TEXT", _("Only this cycle."))] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.learning import list_activities

    rows = list_activities(
        database_url(),
        start=maybe_day(start, "--from"),
        end=maybe_day(end, "--to"),
        topic=topic,
        cycle=cycle,
    )
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_('No learning activities: add one with "comunidad learning add".'))
        return
    headers = [
        _("ID"),
        _("DATE"),
        _("HOURS"),
        _("PEOPLE"),
        _("TOPIC"),
        _("CYCLE"),
        _("FACILITATOR"),
        _("TITLE"),
    ]
    write_stdout(
        table_text(
            headers,
            [
                [
                    r.key,
                    format_date(r.held_on, "medium"),
                    _hours(r.hours),
                    format_number(r.participants),
                    r.topic,
                    r.cycle or "",
                    r.facilitator,
                    r.title,
                ]
                for r in rows
            ],
            whole=(0, 1, 2, 3),
        )
    )


def _lesson_lines(lesson: LessonView) -> list[str]:
    """A lesson as a block: its id, day, author, activity and tags, then its text exactly as
    typed (line breaks and all)."""
    head = f"{lesson.key}  {format_date(lesson.on, 'medium')}  {lesson.by}"
    lines = [head]
    if lesson.activity:
        lines.append(_("Activity: {activity}").format(activity=lesson.activity))
    lines.append(_("Tags: {tags}").format(tags=", ".join(lesson.tags)))
    lines.append(lesson.text)
    return lines


@learning_app.command(
    "show",
    cls=ComunidadCommand,
    help=_("Everything about an activity: who took part, for which organisation, and lessons."),
)
def show(activity: ActivityArgument, as_json: JsonOption = False) -> None:
    from comunidad_cli.services.learning import show_activity

    detail = show_activity(database_url(), activity.strip())
    if as_json:
        print_json(detail.as_json())
        return
    a = detail.activity
    lines = [
        f"{a.title} ({a.key})",
        _("Topic: {topic}").format(topic=a.topic),
        _("Cycle: {cycle}").format(cycle=a.cycle or DASH),
        _("Facilitator: {name}").format(name=a.facilitator),
        _("Date: {date}").format(date=format_date(a.held_on)),
        _("Hours: {hours}").format(hours=_hours(a.hours)),
    ]
    if a.bylaws:
        lines.append(_("By-laws: {id}").format(id=a.bylaws))
    lines.append(
        ngettext(
            "{count} participant, {hours} hours in all",
            "{count} participants, {hours} hours in all",
            a.participants,
        ).format(count=format_number(a.participants), hours=_hours(a.person_hours))
    )
    write_stdout("\n".join(lines) + "\n")
    if detail.participants:
        title = _("Participants")
        write_stdout(
            f"\n{title}\n"
            + table_text(
                [_("PERSON"), _("ORGANISATION"), _("HOURS"), _("NAME")],
                [[p, o or "", _hours(h), n] for p, n, o, h in detail.participants],
                whole=(0, 1, 2),
            )
        )
    if detail.lessons:
        blocks = ["\n".join(_lesson_lines(lesson)) for lesson in detail.lessons]
        title = _("Lessons learned")
        write_stdout(f"\n{title}\n" + "\n\n".join(blocks) + "\n")


def _totals_line(total: Totals, organisation: bool) -> str:
    activities = ngettext("{count} activity", "{count} activities", total.activities).format(
        count=format_number(total.activities)
    )
    hours = _("{hours} hours").format(hours=_hours(total.hours))
    if not organisation:
        return _("Total: {activities}, {hours}").format(activities=activities, hours=hours)
    people = ngettext("{count} person", "{count} people", total.people).format(
        count=format_number(total.people)
    )
    return _("Total: {activities}, {people}, {hours}").format(
        activities=activities, people=people, hours=hours
    )


@learning_app.command(
    "record",
    cls=ComunidadCommand,
    help=_(
        "A person's or an organisation's learning record: activities, hours, by topic and by cycle."
    ),
)
def record_command(
    person: Annotated[str | None, value_option("--person", "ID", _("The person's id."))] = None,
    org: Annotated[str | None, value_option("--org", "ID", _("The organisation's id."))] = None,
    start: FromOption = None,
    end: ToOption = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.learning import learning_record

    view = learning_record(
        database_url(),
        person=None if person is None else person.strip(),
        org=None if org is None else org.strip(),
        start=maybe_day(start, "--from"),
        end=maybe_day(end, "--to"),
    )
    if as_json:
        print_json(view.as_json())
        return
    organisation = view.org is not None
    r = view.record
    write_stdout(
        _("Learning record of {name} ({key})").format(
            name=view.name, key=view.org if organisation else view.person
        )
        + "\n"
    )
    if not r.entries:
        info(_("No learning activities recorded."))
        return
    if organisation:
        headers = [_("DATE"), _("ACTIVITY"), _("PERSON"), _("HOURS"), _("TOPIC"), _("CYCLE")]
        rows = [
            [
                format_date(e.day, "medium"),
                e.activity,
                e.person,
                _hours(e.hours),
                e.topic,
                e.cycle or "",
            ]
            for e in r.entries
        ]
        whole: tuple[int, ...] = (0, 1, 2, 3)
    else:
        headers = [_("DATE"), _("ACTIVITY"), _("HOURS"), _("ORGANISATION"), _("TOPIC"), _("CYCLE")]
        rows = [
            [
                format_date(e.day, "medium"),
                e.activity,
                _hours(e.hours),
                e.org or "",
                e.topic,
                e.cycle or "",
            ]
            for e in r.entries
        ]
        whole = (0, 1, 2, 3)
    write_stdout("\n" + table_text(headers, rows, whole=whole))
    for title, column, groups in (
        (_("By topic"), _("TOPIC"), [(t, v) for t, v in r.by_topic]),
        (_("By cycle"), _("CYCLE"), [(c or DASH, v) for c, v in r.by_cycle]),
    ):
        extra = [_("PEOPLE")] if organisation else []
        write_stdout(
            f"\n{title}\n"
            + table_text(
                [_("ACTIVITIES"), *extra, _("HOURS"), column],
                [
                    [
                        format_number(v.activities),
                        *([format_number(v.people)] if organisation else []),
                        _hours(v.hours),
                        name,
                    ]
                    for name, v in groups
                ],
                whole=(0, 1, 2) if organisation else (0, 1),
            )
        )
    write_stdout("\n" + _totals_line(r.total, organisation) + "\n")


@learning_app.command(
    "lesson",
    cls=ComunidadCommand,
    help=_("Record a lesson learned, as typed, with its tags (from an activity or not)."),
)
def lesson(
    text: Annotated[str, typer.Argument(metavar="TEXT", help=_("The lesson, as written."))],
    tags: Annotated[
        list[str], value_option("--tag", "TAG", _("A tag (a word people choose); repeat for more."))
    ],
    by: ByOption,
    activity: Annotated[
        str | None, value_option("--activity", "ACTIVITY", _("The activity it was learned in."))
    ] = None,
    on: OnOption = None,
    bylaws: BylawsOption = None,
    key: Annotated[
        str | None,
        value_option("--id", "ID", _("The id to refer to it by (default: made from the text).")),
    ] = None,
) -> None:
    from comunidad_cli.services.learning import add_lesson

    chosen = add_lesson(
        database_url(),
        text,
        activity=activity,
        tags=tags,
        by=by,
        on=day_or_today(on),
        bylaws=bylaws,
        bylaws_dir=_bylaws_dir() if bylaws is not None else None,
        key=key,
        today=clock.today(),
        at=clock.now(),
    )
    info(_("Recorded lesson {key}.").format(key=chosen))


@learning_app.command(
    "lessons",
    cls=ComunidadCommand,
    help=_("Lessons learned, by day, printed as typed: all, or those with a tag."),
)
def lessons(
    tag: Annotated[
        str | None, value_option("--tag", "TAG", _("Only lessons with this tag."))
    ] = None,
    activity: Annotated[
        str | None, value_option("--activity", "ACTIVITY", _("Only the lessons of this activity."))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.learning import list_lessons

    rows = list_lessons(database_url(), tag=tag, activity=activity)
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_("No lessons learned recorded."))
        return
    write_stdout("\n\n".join("\n".join(_lesson_lines(r)) for r in rows) + "\n")
