"""The shape of an import: its columns, a parsed row, a problem, and the header check that
reports unknown, repeated and missing columns once for the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from comunidad_cli.core.importing.headers import english_column
from comunidad_cli.core.importing.invalid import Parser
from comunidad_cli.core.messages import N_, Msg

# --- columns, rows, problems --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import kind: its header name, its parser, whether it must be filled,
    and `also`: other columns' names it answers to in a kind that lacks them (a fund's
    applications have no `date`, so `fecha` there is when one was submitted)."""

    name: str
    parse: Parser
    required: bool = False
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """One refusal: `row` None is about the whole file; `column` None is about the whole row."""

    row: int | None
    column: str | None
    msg: Msg

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.row if self.row is not None else 0, self.column or "")


@dataclass(frozen=True, slots=True)
class Row:
    """A parsed record: its number in the file and a value (None when empty) per known column."""

    number: int
    values: dict[str, Any]

    def get(self, column: str) -> Any:
        return self.values.get(column)

    def __getitem__(self, column: str) -> Any:
        return self.values[column]


@dataclass(frozen=True, slots=True)
class Parsed:
    """Every row that parsed cleanly, the columns the file has, and every problem found.

    `header_ok`: no column is unknown, repeated or missing (rows can be checked further).
    """

    rows: list[Row]
    present: frozenset[str]
    problems: list[Problem]
    header_ok: bool


def normalize_header(name: str) -> str:
    """The English column a header names: trimmed, case-folded, and a Spanish or Catalan
    name (`nombre`, `correu`) mapped to it (`core.importing.headers`)."""
    return english_column(name.strip().lstrip("\ufeff").strip().casefold())


def column_of(raw: str, columns: Sequence[Column]) -> str:
    """The column of `columns` a header names: `normalize_header`, then a column's `also`
    (`prioridad` is `priority`, which the needs import reads as its `rank`)."""
    name = normalize_header(raw)
    if any(c.name == name for c in columns):
        return name
    return next((c.name for c in columns if name in c.also), name)


def check_header(columns: Sequence[Column], header: Sequence[str]) -> list[Problem]:
    """Unknown, repeated and missing columns, each reported once for the file."""
    problems: list[Problem] = []
    known = {c.name for c in columns}
    expected = ", ".join(c.name for c in columns)
    seen: set[str] = set()
    for raw in header:
        name = column_of(raw, columns)
        if not name:
            continue
        if name not in known:
            problems.append(
                Problem(
                    None,
                    None,
                    Msg.of(
                        N_('unknown column "{column}": the columns are {expected}'),
                        column=raw.strip(),
                        expected=expected,
                    ),
                )
            )
        elif name in seen:
            problems.append(
                Problem(None, None, Msg.of(N_('column "{column}" appears twice'), column=name))
            )
        seen.add(name)
    for column in columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem(None, None, Msg.of(N_('missing column "{column}"'), column=column.name))
            )
    return problems
