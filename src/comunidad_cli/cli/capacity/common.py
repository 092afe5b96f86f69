"""The capacity group's Typer app, shared options and helpers for drawing scores and tables."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from comunidad_cli.cli._common import JsonOption as JsonOption
from comunidad_cli.cli._common import (
    command_group,
    current_workspace,
    error,
    fail,
    info,
    render,
    value_option,
    write_stdout,
)
from comunidad_cli.i18n import _, current_language, format_date, format_number

if TYPE_CHECKING:
    from comunidad_cli.core.capacity.instrument import Domain
    from comunidad_cli.core.capacity.scoring import RoundResult

capacity_app = command_group(
    _(
        "Capacity assessments of the lead agency and its partners: instruments, answers by"
        " several raters, scores by domain, change and the network view."
    )
)

InstrumentOption = Annotated[
    str | None,
    value_option(
        "--instrument", "ID", _("The instrument (default: the one of the latest assessment).")
    ),
]
OrgArgument = Annotated[
    str, typer.Argument(metavar="ORG", help=_("The organisation's id."), show_default=False)
]
DASH = "–"
T = TypeVar("T")


# --- helpers ---------------------------------------------------------------------------------


#: An assessment's answers on the command line or in a file (capacity and partnership
#: quality read them the same way).
AnswerOption = Annotated[
    list[str] | None,
    value_option(
        "--answer",
        "ITEM=SCORE",
        _("One answer: an item id and 1, 2, 3, 4 or na. Repeat for every item."),
    ),
]
AnswersFileOption = Annotated[
    Path | None,
    value_option(
        "--file",
        "FILE",
        _("The answers in a CSV, JSON or NDJSON file with the columns item and score."),
    ),
]


def recorded_answers(
    answer: list[str] | None, file: Path | None, record: Callable[[list[Any]], T]
) -> T:
    """`record` the answers given by --answer and --file (capacity assess, agreement
    quality); none given is a usage error, and a refused answer is said with every problem
    and nothing recorded (exit 1)."""
    from comunidad_cli.services.capacity.answers import (
        AnswersRefused,
        parse_answer_options,
        read_answers_file,
    )

    if not answer and file is None:
        fail(_("give the answers: --answer ITEM=SCORE for each item, or --file FILE"), 2)
    try:
        answers = [*(parse_answer_options(answer) if answer else [])]
        if file is not None:
            answers += read_answers_file(file)
        return record(answers)
    except AnswersRefused as refused:
        for problem in refused.problems:
            error(render(problem))
        info(_("Nothing was recorded."))
        raise typer.Exit(1) from None


def _folder() -> Path | None:
    from comunidad_cli.services.capacity.instruments import instruments_dir

    return instruments_dir(current_workspace(required=False))


def _print_json(data: Any) -> None:
    write_stdout(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _score(value: Fraction | None) -> str:
    from comunidad_cli.core.capacity.scoring import rounded

    return DASH if value is None else format_number(rounded(value), 2)


def _change(value: Fraction | None) -> str:
    if value is None:
        return DASH
    text = _score(value)
    return f"+{text}" if value > 0 else text


def _fixed(value: Fraction | None) -> str | None:
    from comunidad_cli.core.capacity.scoring import rounded

    return None if value is None else str(rounded(value))


def _exact(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def _name(texts: Any) -> str:
    from comunidad_cli.core.capacity.instrument import localized

    return localized(texts, current_language())


def _day(value: date) -> str:
    return format_date(value, "medium")


def _round_json(result: RoundResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "raters": [
            {"rater": a.rater, "date": a.assessed_on.isoformat()} for a in result.assessments
        ],
        "domains": [
            {
                "id": d.domain.id,
                "name": _name(d.domain.name),
                "score": _fixed(d.score),
                "score_exact": _exact(d.score),
                "spread": _fixed(d.spread),
                "raters": {rater: _fixed(score) for rater, score in d.by_rater},
            }
            for d in result.domains
        ],
        "weakest": [d.domain.id for d in result.weakest()],
    }


def _raters_line(result: RoundResult) -> str:
    return ", ".join(f"{a.rater} ({_day(a.assessed_on)})" for a in result.assessments)


def _period(result: RoundResult) -> str:
    if result.start == result.end:
        return _day(result.start)
    return f"{_day(result.start)} {DASH} {_day(result.end)}"


def _weakest_line(pairs: list[tuple[Domain, Fraction | None]]) -> str:
    if not pairs:
        return _("Weakest domains: none scored yet.")
    shown = ", ".join(f"{_name(d.name)} ({_score(s)})" for d, s in pairs)
    return _("Weakest domains: {domains}.").format(domains=shown)


def _table(*headers: str, left: int = 1, ids: Sequence[str] = ()) -> Any:
    """A table; when `ids` are given, the first column holds them and is never wrapped or cut
    (a person copies an id from it), the other columns wrap instead."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for index, header in enumerate(headers):
        whole = index == 0 and bool(ids)
        table.add_column(
            Text(header),
            justify="left" if index < left else "right",
            no_wrap=whole,
            min_width=max(len(i) for i in ids) if whole else None,
        )
    return table


def _row(table: Any, *cells: str) -> None:
    """A row of plain text: names and texts are data, never Rich markup."""
    from rich.text import Text

    table.add_row(*(Text(cell) for cell in cells))


def _bold(text: str) -> str:
    from rich.markup import escape

    return f"[bold]{escape(text)}[/bold]"
