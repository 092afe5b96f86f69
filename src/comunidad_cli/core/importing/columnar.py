"""The fast lane: whole columns of clean records parsed at C speed, `Irregular` at the first
that is not plain (the careful path in `rows` then reports every problem)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from comunidad_cli.core.importing.columns import (
    Column,
    check_header,
    column_of,
    normalize_header,
)
from comunidad_cli.core.importing.invalid import Invalid

# --- the fast lane: whole columns of clean rows ------------------------------------------------


MEMO_LIMIT = 65536  # distinct values remembered per column


class Irregular(Exception):
    """Raised by the fast lane at the first thing it does not handle (an empty required cell,
    a value a parser refuses, a short row, a duplicate, a refusal): the import then runs the
    careful path, which finds and reports *every* problem with its row and column."""


class CellMemo(dict[Any, Any]):
    """A column's parsed value by raw cell text; a miss parses it, or raises `Irregular`.

    A hit is one dictionary lookup in C. Cells are keyed unstripped, so a hit costs no
    `strip`; "  x" and "x" are parsed (identically) once each.
    """

    def __init__(self, column: Column) -> None:
        super().__init__()
        self.parse = column.parse
        self.required = column.required

    def __missing__(self, cell: Any) -> Any:
        if cell.__class__ is not str:  # an `Invalid` cell from a JSON reader
            raise Irregular
        text = cell.strip()
        if not text:
            if self.required:
                raise Irregular
            value = None
        else:
            try:
                value = self.parse(text)
            except Invalid:
                raise Irregular from None
        if len(self) < MEMO_LIMIT:
            self[cell] = value
        return value


class Columnar:
    """Parses clean records into columns of values, at C speed a cell.

    The large files (a million votes) are nearly always clean; their rows need no dict, no
    `Row`, no problem list, not even a tuple: each batch of records is transposed (`zip`)
    and each column mapped through its `CellMemo`, all in C. `columns` raises `Irregular`
    at the first record that is not plain: its result is then discarded and
    `parse_records` does the careful job. Only for a header that `check_header` accepts and
    that has no unnamed column (see `of`).
    """

    def __init__(self, columns: Sequence[Column], header: Sequence[str]) -> None:
        where = {column_of(raw, columns): n for n, raw in enumerate(header)}
        self.width = len(header)
        self.present = frozenset(c.name for c in columns if c.name in where)
        #: Per column of the kind, where it is in a record (None: absent) and its memo.
        self.layout = [(where.get(c.name), CellMemo(c)) for c in columns]

    @classmethod
    def of(cls, columns: Sequence[Column], header: Sequence[str]) -> Columnar | None:
        """A parser for this header, or None when it needs the careful path's messages."""
        if check_header(columns, header) or not all(normalize_header(h) for h in header):
            return None
        return cls(columns, header)

    def columns(self, batches: Iterable[Sequence[Sequence[Any]]]) -> list[list[Any]]:
        """Every column's values (in the kind's column order; None where a column is absent),
        row by row; `Irregular` at the first record that is not clean."""
        out: list[list[Any]] = [[] for _ in self.layout]
        plan = [
            (position, memo.__getitem__, values)
            for (position, memo), values in zip(self.layout, out, strict=True)
        ]
        width = {self.width}
        rows = 0
        for batch in batches:
            if set(map(len, batch)) != width:  # a short, long or blank record
                raise Irregular
            cells = list(zip(*batch, strict=True))
            for position, parse, values in plan:
                if position is not None:
                    values.extend(map(parse, cells[position]))
            rows += len(batch)
        for (position, _), values in zip(self.layout, out, strict=True):
            if position is None:
                values.extend([None] * rows)
        return out
