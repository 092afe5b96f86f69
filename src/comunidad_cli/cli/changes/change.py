"""`comunidad change ...`: systems change (Best Start's conditions). Tag motions,
subcontracts, funded projects, learning activities and network commitments with the six
conditions and the four qualities, remove a tag (history kept), see a record's tags, list
what is tagged, and the report by condition and quality over a period.

`change_app` is registered by cli/app.py as `change`. Conditions and qualities are typed and
shown in the reader's language; JSON keeps the English values.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ByOption,
    ComunidadCommand,
    JsonOption,
    command_group,
    database_url,
    day_option,
    info,
    print_json,
    value_option,
    write_stdout,
)
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, choice_word, fill, format_date, format_number

if TYPE_CHECKING:
    from collections.abc import Mapping

    from comunidad_cli.core.changes import Figures

change_app = command_group(
    _(
        "Systems change: tag motions, subcontracts, funded projects, learning activities and"
        " network commitments with the six conditions and four qualities; the report by"
        " condition."
    )
)

KindArgument = Annotated[
    str,
    typer.Argument(
        metavar="KIND",
        help=_("motion, subcontract, project, activity or commitment (in any language)."),
    ),
]
KeyArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help=_("The record's id (a funded project: its application's id)."),
    ),
]
ConditionsOption = Annotated[
    list[str],
    value_option(
        "--condition",
        "CONDITION",
        _(
            "policies, practices, resource flows, relationships and connections, power"
            " dynamics or mental models, in any language; repeat for several."
        ),
    ),
]
QualitiesOption = Annotated[
    list[str],
    value_option(
        "--quality",
        "QUALITY",
        _("accessible, quality, aligned or sustainable, in any language; repeat for several."),
    ),
]
DIMENSION_LABELS = {"condition": N_("condition"), "quality": N_("quality")}


def _table(headers: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> str:
    from comunidad_cli.render.table import plain_table, terminal_width

    return plain_table(headers, rows, right=right, whole=(0,), width=terminal_width())


def _words(values: Any) -> str:
    return ", ".join(choice_word(v) for v in values)


@change_app.command(
    "tag",
    cls=ComunidadCommand,
    help=_("Tag a record with conditions and qualities of systems change."),
)
def tag(
    kind: KindArgument,
    key: KeyArgument,
    by: ByOption,
    conditions: ConditionsOption = [],  # noqa: B006 - Typer reads the default, never mutates it
    qualities: QualitiesOption = [],  # noqa: B006
) -> None:
    from comunidad_cli.services.changes import tag as record

    _retag(record, _("Tagged {kind} {key}: {values}."), kind, key, by, conditions, qualities)


def _retag(
    change: Callable[..., list[tuple[str, str]]],
    said: str,
    kind: str,
    key: str,
    by: str,
    conditions: list[str],
    qualities: list[str],
) -> None:
    """Tag or untag a record (`change`) and say which values changed (`said`)."""
    changed = change(
        database_url(),
        kind,
        key.strip(),
        conditions=conditions,
        qualities=qualities,
        by=by,
        at=clock.now(),
    )
    values = _words(v for _, v in changed)
    info(said.format(kind=choice_word(_kind(kind)), key=key.strip(), values=values))


def _kind(kind: str) -> str:
    from comunidad_cli.services.changes import parse_kind

    return parse_kind(kind)


@change_app.command(
    "untag",
    cls=ComunidadCommand,
    help=_("Remove tags from a record: each keeps its row, with when and by whom."),
)
def untag(
    kind: KindArgument,
    key: KeyArgument,
    by: ByOption,
    conditions: ConditionsOption = [],  # noqa: B006
    qualities: QualitiesOption = [],  # noqa: B006
) -> None:
    from comunidad_cli.services.changes import untag as remove

    _retag(remove, _("Removed from {kind} {key}: {values}."), kind, key, by, conditions, qualities)


@change_app.command(
    "tags",
    cls=ComunidadCommand,
    help=_("A record's tags, those removed included, with when and by whom."),
)
def tags(kind: KindArgument, key: KeyArgument, as_json: JsonOption = False) -> None:
    from comunidad_cli.i18n import format_moment
    from comunidad_cli.services.changes import tags_of

    found = tags_of(database_url(), kind, key.strip())
    if as_json:
        print_json(found.as_json())
        return
    write_stdout(f"{choice_word(found.kind)} {found.key}: {found.description}\n")
    if not found.tags:
        info(_('No tags yet: add one with "comunidad change tag".'))
        return
    headers = [_("VALUE"), _("DIMENSION"), _("TAGGED"), _("BY"), _("REMOVED"), _("REMOVED BY")]
    rows = [
        [
            choice_word(t.value),
            _(DIMENSION_LABELS[t.dimension]),
            str(format_moment(t.tagged_at.astimezone(clock.zone()))),
            t.by,
            ""
            if t.removed_at is None
            else str(format_moment(t.removed_at.astimezone(clock.zone()))),
            t.removed_by or "",
        ]
        for t in found.tags
    ]
    write_stdout(_table(headers, rows))


@change_app.command(
    "list",
    cls=ComunidadCommand,
    help=_("The records tagged, with their conditions and qualities in force."),
)
def list_command(
    kind: Annotated[
        str | None,
        value_option(
            "--kind", "KIND", _("Only records of this kind (motion, subcontract, project, ...).")
        ),
    ] = None,
    condition: Annotated[
        str | None,
        value_option("--condition", "CONDITION", _("Only records under this condition.")),
    ] = None,
    quality: Annotated[
        str | None, value_option("--quality", "QUALITY", _("Only records with this quality."))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.changes import list_tagged

    rows = list_tagged(database_url(), kind=kind, condition=condition, quality=quality)
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    if not rows:
        info(_('Nothing tagged yet: tag a record with "comunidad change tag".'))
        return
    headers = [_("KIND"), _("ID"), _("CONDITIONS"), _("QUALITIES"), _("DESCRIPTION")]
    write_stdout(
        _table(
            headers,
            [
                [
                    choice_word(r.kind),
                    r.key,
                    _words(r.conditions),
                    _words(r.qualities),
                    r.description,
                ]
                for r in rows
            ],
        )
    )


def _money(amounts: Mapping[str, Decimal]) -> str:
    from comunidad_cli.cli.resources import _currency
    from comunidad_cli.i18n import format_money

    if not amounts:
        return format_money(Decimal(0), _currency(None))
    return "; ".join(format_money(a, c) for c, a in amounts.items())


def _figures_json(f: Figures) -> dict[str, Any]:
    return {
        "dimension": f.dimension,
        "value": f.value,
        "tagged": f.tagged,
        "decisions": f.decisions,
        "committed": dict(f.committed),
        "spent": dict(f.spent),
        "activities": f.activities,
        "hours": f.hours,
        "participants": f.participants,
        "commitments_taken": f.taken,
        "commitments_done": f.done,
        "commitments_overdue": f.overdue,
    }


@change_app.command(
    "report",
    cls=ComunidadCommand,
    help=_(
        "Per condition and per quality over a period: decisions taken, money committed and"
        " spent, learning activities held, network commitments taken, done and overdue."
    ),
)
def report(
    start: Annotated[
        str, value_option("--from", "DATE", _("First day of the period, YYYY-MM-DD."))
    ],
    end: Annotated[str, value_option("--to", "DATE", _("Last day of the period, YYYY-MM-DD."))],
    condition: Annotated[
        str | None,
        value_option(
            "--condition", "CONDITION", _("One condition only, and the qualities of its records.")
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.changes import report as build

    found = build(
        database_url(),
        start=day_option(start, "--from"),
        end=day_option(end, "--to"),
        condition=condition,
        today=clock.today(),
    )
    if as_json:
        print_json(
            {
                "from": found.start.isoformat(),
                "to": found.end.isoformat(),
                "condition": found.condition,
                "conditions": [_figures_json(f) for f in found.rows if f.dimension == "condition"],
                "qualities": [_figures_json(f) for f in found.rows if f.dimension == "quality"],
            }
        )
        return
    write_stdout(
        fill(
            _("Systems change from {start} to {end}"),
            start=format_date(found.start),
            end=format_date(found.end),
        )
        + "\n"
    )
    headers = [
        _("DECISIONS"),
        _("COMMITTED"),
        _("SPENT"),
        _("ACTIVITIES"),
        _("HOURS"),
        _("PARTICIPANTS"),
        _("COMMITMENTS TAKEN"),
        _("DONE"),
        _("OVERDUE"),
    ]
    for dimension, title in (("condition", _("CONDITION")), ("quality", _("QUALITY"))):
        rows = [
            [
                choice_word(f.value),
                format_number(f.decisions),
                _money(f.committed),
                _money(f.spent),
                format_number(f.activities),
                format_number(f.hours, 2),
                format_number(f.participants),
                format_number(f.taken),
                format_number(f.done),
                format_number(f.overdue),
            ]
            for f in found.rows
            if f.dimension == dimension
        ]
        write_stdout("\n" + _table([title, *headers], rows, right=tuple(range(1, 10))))
