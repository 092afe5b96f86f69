"""Plain aligned columns that fit the terminal and never cut an id.

The lists (`org list`, `grant list`, `payment list` ...) are plain text: cheap to draw,
friendly to grep and pipes. When a table is wider than the terminal, the columns of free
text (names, titles, periods) wrap onto more lines, at spaces where they can; the columns
kept whole (ids, which a person copies, and amounts) are never wrapped nor cut.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Collection, Sequence

GAP = 2
# A column of text squeezed narrower than this reads badly ("Jul 13," over "2026"): the
# table becomes records instead.
NARROWEST = 10


def cell_width(text: str) -> int:
    """Terminal columns `text` takes: wide (East Asian) characters 2, combining marks 0."""
    if text.isascii():  # no wide characters nor marks: most cells, thousands a list
        return len(text)
    return sum(map(_char_width, text))


@functools.cache
def _char_width(char: str) -> int:
    """One character's columns, asked once per character (amounts repeat "€" and spaces)."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _chop(word: str, width: int) -> list[str]:
    """A word longer than the column, in pieces that fit (only free-text columns)."""
    pieces, piece = [], ""
    for char in word:
        if piece and cell_width(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken at spaces (a longer word is cut)."""
    if cell_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if cell_width(word) <= width:
            line = word
        else:
            *full, line = _chop(word, width)
            lines += full
    lines.append(line)
    return lines


def _longest_word(text: str) -> int:
    return max((cell_width(word) for word in text.split(" ")), default=0)


def _widths(table: Sequence[Sequence[str]], whole: Collection[int], width: int | None) -> list[int]:
    """Each column's width: its widest cell, narrowed (widest free column first) to fit."""
    count = len(table[0])
    widths = [max(cell_width(row[i]) for row in table) for i in range(count)]
    if width is None:
        return widths
    soft = [
        widths[i] if i in whole else max(_longest_word(r[i]) for r in table) for i in range(count)
    ]
    hard = [widths[i] if i in whole else min(widths[i], 6) for i in range(count)]
    excess = sum(widths) + GAP * (count - 1) - width
    for floor in (soft, hard):
        while excess > 0:
            free = [i for i in range(count) if widths[i] > floor[i]]
            if not free:
                break
            widest = max(free, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return widths


def plain_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Collection[int] = (),
    whole: Collection[int] = (0,),
    width: int | None = None,
) -> str:
    """Aligned columns, `right` ones (amounts) to the right; within `width` terminal columns
    when given, wrapping only the columns not in `whole` nor in `right`. When even that is
    too wide, or a column would be squeezed under NARROWEST, each row becomes a record: its
    first cell, then one "HEADER  value" line a cell.
    """
    table = [list(headers), *(list(row) for row in rows)]
    kept = {*whole, *right}
    widths = _widths(table, kept, width)
    natural = [max(cell_width(row[i]) for row in table) for i in range(len(widths))]
    if width is not None and (
        sum(widths) + GAP * (len(widths) - 1) > width
        or any(w < min(n, NARROWEST) for w, n in zip(widths, natural, strict=True))
    ):
        return _records(table, width)
    lines: list[str] = []
    for row in table:
        cells = [
            [cell] if i in kept else wrap(cell, w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        for n in range(max(len(c) for c in cells)):
            parts = []
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
                text = cell[n] if n < len(cell) else ""
                pad = " " * max(w - cell_width(text), 0)
                parts.append(pad + text if i in right else text + pad)
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _records(table: Sequence[Sequence[str]], width: int) -> str:
    """Rows too wide for the terminal, one record each: the id, then a line per other cell."""
    headers, *rows = table
    label = max(cell_width(h) for h in headers[1:])
    room = max(width - 2 - label - GAP, 10)
    blocks = []
    for row in rows:
        lines = [row[0]]
        for header, cell in zip(headers[1:], row[1:], strict=True):
            if not cell:
                continue
            pad = " " * (label - cell_width(header))
            for n, part in enumerate(wrap(cell, room)):
                lines.append(
                    f"  {header if n == 0 else ''}{pad if n == 0 else ' ' * label}  {part}"
                )
        blocks.append("\n".join(line.rstrip() for line in lines))
    return "\n\n".join(blocks) + "\n"


def terminal_width() -> int | None:
    """The width to fit: COLUMNS where set, else the terminal's; None (no limit) when the
    output goes to a file or a pipe, so grep sees one line a row."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((80, 24)).columns


def plain_fields(pairs: Sequence[tuple[str, str | None]], width: int | None = None) -> str:
    """ "label  value" lines (a missing value is "-"); a long value wraps under itself."""
    label = max(cell_width(name) for name, _ in pairs)
    room = None if width is None else max(width - label - GAP, 10)
    lines = []
    for name, value in pairs:
        parts = wrap(value or "-", room) if room is not None else [value or "-"]
        pad = " " * (label - cell_width(name))
        lines.append(f"{name}{pad}  {parts[0]}")
        lines += [f"{' ' * label}  {part}" for part in parts[1:]]
    return "".join(f"{line}\n" for line in lines)
