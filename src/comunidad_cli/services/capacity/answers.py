"""An assessment's answers as typed (`--answer ITEM=SCORE` or a file) and its rater, checked
against the instrument before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from comunidad_cli.core.capacity.instrument import Instrument
from comunidad_cli.core.capacity.scoring import (
    answer_problem,
    parse_score,
    unanswered,
)
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    pass

RATER_MAX = 200


# --- answers ---------------------------------------------------------------------------------


class AnswersRefused(ServiceError):
    """Answers refused: `problems` holds every reason (the message is the first)."""

    def __init__(self, problems: Sequence[Msg]) -> None:
        super().__init__(problems[0])
        self.problems = tuple(problems)


def parse_answer_options(values: Sequence[str]) -> list[tuple[str, int | None]]:
    """`ITEM=SCORE` or `ITEM=na` options; every malformed one reported."""
    answers: list[tuple[str, int | None]] = []
    problems: list[Msg] = []
    for value in values:
        item, sign, score = value.partition("=")
        if not sign or not item.strip() or not score.strip():
            problems.append(
                Msg.of(
                    N_(
                        '--answer "{value}": write ITEM=SCORE (1 to 4) or ITEM=na, e.g. gov-board=3'
                    ),
                    value=value,
                )
            )
            continue
        try:
            answers.append((parse_key(item.strip()), parse_score(score.strip())))
        except Invalid as invalid:
            problems.append(
                Msg.of(N_("--answer {value}: {problem}"), value=value, problem=invalid.msg)
            )
    if problems:
        raise AnswersRefused(problems)
    return answers


def read_answers_file(path: Path) -> list[tuple[str, int | None]]:
    """Answers from a CSV, JSON or NDJSON file with the columns item and score."""
    from comunidad_cli.core.importing.columns import Column
    from comunidad_cli.core.importing.rows import parse_records
    from comunidad_cli.services.imports.readers import READERS, decode, format_of, read_file

    data = read_file(path, str(path))
    text, not_text = decode(data)
    if text is None:
        assert not_text is not None
        raise AnswersRefused([Msg.of(N_("{file}: {problem}"), file=str(path), problem=not_text)])
    source = READERS[format_of(path, None)](text)
    columns = (
        Column("item", parse_key, required=True),
        Column("score", parse_score, required=True),
    )
    parsed = parse_records(columns, source.header, source.records)
    problems = [*source.problems, *parsed.problems]
    if problems:
        raise AnswersRefused(
            [
                Msg.of(
                    N_("{file}:{row}: {problem}") if p.row is not None else N_("{file}: {problem}"),
                    file=str(path),
                    row=p.row,
                    problem=p.msg
                    if p.column is None
                    else Msg.of(N_("{column}: {problem}"), column=p.column, problem=p.msg),
                )
                for p in sorted(problems, key=lambda p: p.sort_key)
            ]
        )
    return [(row["item"], row["score"]) for row in parsed.rows]


def check_answers(instrument: Instrument, answers: Sequence[tuple[str, int | None]]) -> list[Msg]:
    """Every reason the answers are not one complete assessment with `instrument`."""
    problems: list[Msg] = []
    seen: dict[str, int | None] = {}
    for item, score in answers:
        if item in seen:
            problems.append(Msg.of(N_('item "{item}" is answered twice'), item=item))
            continue
        seen[item] = score
        problem = answer_problem(instrument, item, score)
        if problem is not None:
            problems.append(problem)
    missing = unanswered(instrument, seen)
    if missing:
        problems.append(
            Msg.counted(
                NP_(
                    "no answer for {count} item: {items} (answer it with a score 1-4, or na where"
                    " allowed)",
                    "no answer for {count} items: {items} (answer each with a score 1-4, or na"
                    " where allowed)",
                ),
                "count",
                count=len(missing),
                items=", ".join(missing),
            )
        )
    return problems


def parse_rater(value: str) -> str:
    rater = one_line(value)
    if not rater:
        raise Invalid.of(N_("a rater's name cannot be empty"))
    if len(rater) > RATER_MAX:
        raise Invalid.of(
            N_("the name is too long ({length} characters; at most {max})"),
            length=len(rater),
            max=RATER_MAX,
        )
    return rater
