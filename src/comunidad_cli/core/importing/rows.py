"""The careful path: each record checked against its columns, *every* problem collected,
located at `row` and `column`, as `Msg` data translated at the edge; and duplicate keys."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from comunidad_cli.core.importing.columnar import MEMO_LIMIT, CellMemo, Irregular
from comunidad_cli.core.importing.columns import (
    Column,
    Parsed,
    Problem,
    Row,
    check_header,
    column_of,
)
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, NP_, Msg


class RowParser:
    """Parses the records of one file, given its header (positions looked up once)."""

    def __init__(self, columns: Sequence[Column], header: Sequence[str]) -> None:
        by_name = {c.name: c for c in columns}
        self.fields: list[tuple[int, Column]] = []
        self.unnamed: list[int] = []
        taken: set[str] = set()
        for position, raw in enumerate(header):
            name = column_of(raw, columns)
            if not name:
                self.unnamed.append(position)
            elif name in by_name and name not in taken:
                self.fields.append((position, by_name[name]))
                taken.add(name)
        self.width = len(header)
        self.present = frozenset(taken)
        # Parsed values by cell text, per column: import files repeat the same keys, dates and
        # choices row after row (every vote of a motion names it), and parsers are pure.
        self._memo: list[dict[str, Any]] = [{} for _ in self.fields]
        #: For `_fast`: each field's parsed value by raw cell (the fast lane's `CellMemo`).
        self._cells = [
            (position, column.name, CellMemo(column)) for position, column in self.fields
        ]

    def _fast(self, cells: Sequence[str | Invalid]) -> dict[str, Any] | None:
        """The values of a well-formed row of text cells, or None: take the careful path.

        Most rows of a large file are fine; this does only what they need (a `CellMemo`
        lookup a cell) and leaves every problem to `parse`.
        """
        try:
            return {name: memo[cells[position]] for position, name, memo in self._cells}
        except Irregular:
            return None

    def parse(
        self, number: int, cells: Sequence[str | Invalid]
    ) -> tuple[Row | None, list[Problem]]:
        """The row, or None and its problems. A cell may be an `Invalid` the reader already
        refused (a list where a JSON value should be): it is reported under its column."""
        if len(cells) == self.width and not self.unnamed:
            fast = self._fast(cells)
            if fast is not None:
                return Row(number, fast), []
        problems: list[Problem] = []
        if len(cells) > self.width and any(
            isinstance(c, Invalid) or c.strip() for c in cells[self.width :]
        ):
            problems.append(
                Problem(
                    number,
                    None,
                    Msg.counted(
                        NP_(
                            "{count} value, but the header names {width} columns",
                            "{count} values, but the header names {width} columns",
                        ),
                        "count",
                        count=len(cells),
                        width=self.width,
                    ),
                )
            )
        for position in self.unnamed:
            cell = cells[position] if position < len(cells) else ""
            if isinstance(cell, Invalid) or cell.strip():
                problems.append(
                    Problem(
                        number,
                        None,
                        Msg.of(
                            N_("a value in column {position}, which has no name in the header"),
                            position=position + 1,
                        ),
                    )
                )
        values: dict[str, Any] = {}
        for (position, column), memo in zip(self.fields, self._memo, strict=True):
            cell = cells[position] if position < len(cells) else ""
            if isinstance(cell, Invalid):
                problems.append(Problem(number, column.name, cell.msg))
                continue
            text = cell.strip()
            if not text:
                if column.required:
                    problems.append(Problem(number, column.name, Msg.of(N_("a value is required"))))
                values[column.name] = None
                continue
            if text in memo:
                values[column.name] = memo[text]
                continue
            try:
                value = column.parse(text)
            except Invalid as invalid:
                problems.append(Problem(number, column.name, invalid.msg))
                continue
            if len(memo) < MEMO_LIMIT:
                memo[text] = value
            values[column.name] = value
        return (None if problems else Row(number, values)), problems


def parse_records(
    columns: Sequence[Column],
    header: Sequence[str],
    records: Iterable[tuple[int, Sequence[str | Invalid]]],
) -> Parsed:
    """Typed rows and every problem of the header and of each record."""
    header_problems = check_header(columns, header)
    problems = list(header_problems)
    parser = RowParser(columns, header)
    rows: list[Row] = []
    for number, cells in records:
        row, row_problems = parser.parse(number, cells)
        if row is not None:
            rows.append(row)
        else:
            problems.extend(row_problems)
    return Parsed(rows, parser.present, problems, header_ok=not header_problems)


def find_duplicates(
    rows: Sequence[Row],
    key_of: Callable[[Row], Hashable | None],
    key_columns: str,
) -> tuple[list[Row], list[Problem]]:
    """Rows whose natural key already appeared in the file, reported with both row numbers.

    Returns the rows without the repeats, and a problem at each repeat naming the first row.
    """
    first: dict[Hashable, int] = {}
    kept: list[Row] = []
    problems: list[Problem] = []
    for row in rows:
        key = key_of(row)
        if key is None:
            kept.append(row)
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = row.number
            kept.append(row)
            continue
        parts = [p for p in (key if isinstance(key, tuple) else (key,)) if p not in ("", None)]
        # The key's parts as parameters, so the edge formats each (a time in the locale).
        shown = Msg.of(
            "/".join(f"{{k{n}}}" for n in range(len(parts))),
            **{f"k{n}": part for n, part in enumerate(parts)},
        )
        problems.append(
            Problem(
                row.number,
                None,
                Msg.of(
                    N_("duplicate of row {first}: the same {columns} ({key})"),
                    first=earlier,
                    columns=key_columns,
                    key=shown,
                ),
            )
        )
    return kept, problems
