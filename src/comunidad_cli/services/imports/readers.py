"""Reading an import file into a header and numbered records of text cells.

CSV (UTF-8 with or without a BOM; comma, semicolon or tab, told apart by the header line,
the way Spanish and Catalan spreadsheets save them; quoted fields may hold newlines), JSON
(an array of objects) and NDJSON (one object a line), chosen by the file's extension or
`--format`. A file that is not UTF-8 is refused with the byte position. A CSV row is the
line where that record starts (the header is row 1), a JSON row is the item number, an
NDJSON row its line. What a reader refuses comes back as problems (data), never raised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from comunidad_cli.core.importing.columns import Problem, normalize_header
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError, unreadable

FORMATS = ("csv", "json", "ndjson")
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}
#: Files with more records than this get a progress bar (when stderr is a terminal).
_DELIMITERS = (";", ",", "\t")


@dataclass(slots=True)
class Source:
    """A file read into a header and numbered records of text cells.

    `records` may be a generator that appends problems to `problems` as it meets them
    (a CSV quoting error, an NDJSON line that is not JSON): consume it before reading them.
    """

    header: list[str]
    records: Iterable[tuple[int, Sequence[str | Invalid]]]
    estimate: int
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False
    #: The same records without their numbers, for the fast lane; a CSV reader gives them
    #: as read, blank lines included. Consume `records` or `cells`, not both.
    cells: Iterable[Sequence[str | Invalid]] = ()
    #: Once `count` records were read from `cells`: their row numbers when they follow each
    #: other (a CSV file without multi-line cells), else None.
    numbered: Callable[[int], range | None] = lambda count: None


def read_file(path: Path, shown: str) -> bytes:
    """The file's bytes; a file that cannot be read is a usage error naming it as `shown`."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise unreadable(shown, error) from error


def format_of(path: Path, chosen: str | None) -> str:
    if chosen is not None:
        lowered = chosen.lower()
        if lowered not in FORMATS:
            raise ServiceError.of(
                N_('unknown format "{format}": choose one of {formats}'),
                exit_code=2,
                format=chosen,
                formats=", ".join(FORMATS),
            )
        return lowered
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ServiceError.of(
            N_(
                "cannot tell the format of {path} from its extension: add --format csv, json or ndjson"
            ),
            exit_code=2,
            path=str(path),
        )
    return found


def _fatal(message: Msg) -> Source:
    return Source([], [], 0, [Problem(None, None, message)], fatal=True)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1


def decode(data: bytes) -> tuple[str | None, Msg | None]:
    """The file's text without a BOM, or why it is not UTF-8 (with the byte position)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Msg.of(
            N_(
                'the file is UTF-16, not UTF-8: save it as UTF-8 (in Excel: "CSV UTF-8";'
                " in LibreOffice: character set Unicode (UTF-8))"
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        return None, Msg.of(
            N_(
                "not UTF-8: byte 0x{byte:02x} at byte {offset} (line {line}, column {column})"
                ' is not valid UTF-8: save the file as UTF-8 (in Excel: "CSV UTF-8";'
                " in LibreOffice: character set Unicode (UTF-8))"
            ),
            byte=data[error.start],
            offset=error.start,
            line=line,
            column=column,
        )
    return text.removeprefix("\ufeff"), None


def sniff_delimiter(header_line: str) -> str:
    """Semicolon, comma or tab: whichever the header line has most of (comma on a tie)."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(text: str) -> Source:
    if not text or text.isspace():
        return _fatal(Msg.of(N_("the file is empty: its first line must name the columns")))
    end = text.find("\n")
    delimiter = sniff_delimiter(text[:end] if end >= 0 else text)
    # A text stream over the encoded bytes: `io.StringIO` would first copy a 40 MB file
    # into its own buffer (a quarter of a second for a million votes).
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except csv.Error as error:
        return _fatal(Msg.of(N_("the header line is not valid CSV: {detail}"), detail=str(error)))
    except StopIteration:
        return _fatal(Msg.of(N_("the file is empty: its first line must name the columns")))
    estimate = text.count("\n")

    def records() -> Iterator[tuple[int, Sequence[str | Invalid]]]:
        start = reader.line_num + 1
        try:
            for cells in reader:
                # A blank line (or one of empty cells) is skipped; the first cell decides fast.
                if cells and (cells[0].strip() or any(cell.strip() for cell in cells)):
                    yield start, cells
                start = reader.line_num + 1
        except csv.Error as error:
            problems.append(
                Problem(
                    start,
                    None,
                    Msg.of(
                        N_(
                            "not valid CSV ({detail}): check the quotes; the rows after"
                            " this one were not read"
                        ),
                        detail=str(error),
                    ),
                )
            )

    header_line = reader.line_num

    def numbered(count: int) -> range | None:
        # Each record on a line of its own: the reader has read exactly one line a record.
        if reader.line_num != header_line + count:
            return None
        return range(header_line + 1, header_line + 1 + count)

    return Source(header, records(), estimate, problems, cells=reader, numbered=numbered)


def _cells(
    number: int, item: object, header: list[str], problems: list[Problem]
) -> Sequence[str | Invalid] | None:
    """The cells of one JSON object, in header order; None (and a problem) for a non-object.

    A nested value (a list, an object) becomes an `Invalid` cell, reported under its column.
    """
    if not isinstance(item, dict):
        problems.append(
            Problem(
                number,
                None,
                Msg.of(N_("expected an object ({{...}}), found {found}"), found=_json_type(item)),
            )
        )
        return None
    by_name = {normalize_header(str(k)): v for k, v in item.items()}
    cells: list[str | Invalid] = []
    for name in header:
        value = by_name.get(name)
        if value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, str):
            cells.append(value)
        else:
            cells.append(
                Invalid.of(N_("expected a single value, found {found}"), found=_json_type(value))
            )
    return cells


def _json_type(value: object) -> Msg:
    if isinstance(value, dict):
        return Msg.of(N_("an object"))
    if isinstance(value, list):
        return Msg.of(N_("a list"))
    if value is None:
        return Msg.of(N_("null"))
    return Msg.of(N_("a single value"))


def _union_header(items: Iterable[object]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if isinstance(item, dict):
            for key in item:
                seen.setdefault(normalize_header(str(key)), None)
    return list(seen)


class _TooDeep(Exception):
    """JSON nested past Python's recursion limit: a hostile file, never a record."""


_TOO_DEEP = N_("nested too deeply: an import file holds objects of single values")


def _loads(text: str) -> Any:
    # Numbers stay as the text written, so amounts are parsed exactly (never via float).
    try:
        return json.loads(text, parse_float=str, parse_int=str, parse_constant=_no_constant)
    except RecursionError:
        raise _TooDeep from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read_json(text: str) -> Source:
    try:
        document = _loads(text)
    except json.JSONDecodeError as error:
        return _fatal(
            Msg.of(
                N_("not valid JSON at line {line}, column {column}: {detail}"),
                line=error.lineno,
                column=error.colno,
                detail=error.msg,
            )
        )
    except ValueError as error:
        return _fatal(Msg.of(N_("not valid JSON: {detail}"), detail=str(error)))
    except _TooDeep:
        return _fatal(Msg.of(_TOO_DEEP))
    if not isinstance(document, list):
        return _fatal(
            Msg.of(
                N_("expected an array of objects ([{{...}}, {{...}}]), found {found}"),
                found=_json_type(document),
            )
        )
    header = _union_header(document)
    problems: list[Problem] = []

    def records() -> Iterator[tuple[int, Sequence[str | Invalid]]]:
        for number, item in enumerate(document, start=1):
            cells = _cells(number, item, header, problems)
            if cells is not None:
                yield number, cells

    source = Source(header, records(), len(document), problems)
    source.cells = (cells for _, cells in source.records)
    source.numbered = lambda count: range(1, count + 1)  # an item is a record, or a problem
    return source


def read_ndjson(text: str) -> Source:
    items: list[tuple[int, object]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, _loads(line)))
        except json.JSONDecodeError as error:
            problems.append(
                Problem(
                    number,
                    None,
                    Msg.of(
                        N_("not valid JSON at column {column}: {detail}"),
                        column=error.colno,
                        detail=error.msg,
                    ),
                )
            )
        except ValueError as error:
            problems.append(
                Problem(number, None, Msg.of(N_("not valid JSON: {detail}"), detail=str(error)))
            )
        except _TooDeep:
            problems.append(Problem(number, None, Msg.of(_TOO_DEEP)))
    if problems and not items:
        # No line could be read: there is no header to judge ("missing column" would be
        # a second, false problem); the lines' own problems say it all.
        return Source([], [], 0, problems, fatal=True)
    header = _union_header(item for _, item in items)

    def records() -> Iterator[tuple[int, Sequence[str | Invalid]]]:
        for number, item in items:
            cells = _cells(number, item, header, problems)
            if cells is not None:
                yield number, cells

    source = Source(header, records(), len(items), problems)
    source.cells = (cells for _, cells in source.records)

    def numbered(count: int) -> range | None:
        if count != len(items) or not items or items[-1][0] - items[0][0] + 1 != count:
            return None  # blank lines between the objects
        return range(items[0][0], items[0][0] + count)

    source.numbered = numbered
    return source


READERS: dict[str, Callable[[str], Source]] = {
    "csv": read_csv,
    "json": read_json,
    "ndjson": read_ndjson,
}
