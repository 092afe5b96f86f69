"""`comunidad import KIND FILE`: read a file, check every row, write all of it or none of it.

The engine every kind shares:

- reading: CSV (UTF-8 with or without a BOM; comma, semicolon or tab, told apart by the
  header line, the way Spanish and Catalan spreadsheets save them; quoted fields may hold
  newlines), JSON (an array of objects) and NDJSON (one object a line), chosen by the file's
  extension or `--format`. A file that is not UTF-8 is refused with the byte position.
- checking: the kind's columns parse each value (`comunidad_cli.core.importing`); every bad
  row is collected as `file:row: column: problem`. A CSV row is the line where that record
  starts (the header is row 1), a JSON row is the item number, an NDJSON row its line.
- writing: one transaction per file. Any problem rejects the whole file and nothing is
  written; `dry_run` checks only (including against the database) and counts.

Re-import policy (the same for every kind): rows are matched on their natural key. A row
whose key is new is created; a row whose key exists with the same values is "unchanged"
(nothing written, nothing audited); a row whose key exists with different values is
"updated": the columns the file has are written over the stored ones (an empty cell clears an
optional value; a column the file does not have is left alone), counted, and audited with
the old and new values. Rows are never deleted by an import. An import that creates or updates
something also leaves one summary audit row (file, SHA-256, counts); one that changes nothing
writes nothing at all, so importing the same file twice leaves the database as it was.

The fast lane: a kind with a `fast` plan gets, for a file whose header is clean, its records
parsed straight into tuples (`core.importing.Columnar`: no dict, no `Row` a record) and judged
in one loop that stops at the first thing it does not handle. That is what a million votes
need to import within a few times raw sqlite3's own insert. Anything irregular — a bad value,
a duplicate, a refusal — drops the work (nothing was written) and the careful path runs from
the start, reporting every problem; the two agree on every clean file (tests compare them).

Kinds are a registry: `register(ImportKind(...))`, or `LAZY_KINDS[name] = "module:ATTR"` to
have the module imported only when the kind is used (start-up time is measured).
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import importlib
import io
import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

from comunidad_cli.core.importing import (
    Column,
    Columnar,
    Invalid,
    Irregular,
    Parsed,
    Problem,
    Row,
    find_duplicates,
    normalize_header,
    parse_records,
)
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

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
PROGRESS_MIN_ROWS = 10_000
PROGRESS_STEP = 1_000
_DELIMITERS = (";", ",", "\t")


# --- kinds --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportContext:
    """What a kind needs to know about the file and the run, besides its rows."""

    file: str
    kind: str
    command: str
    at: datetime
    today: date
    decimal_mark: str | None
    bylaws_dir: Path | None


@dataclass(slots=True)
class Plan:
    """What importing the rows would do, and every problem the database side found.

    `write` performs it (bulk statements on the connection, audit rows included); it is only
    called when the whole file is free of problems and this is not a dry run.
    """

    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    write: Callable[[Connection], None] | None = None


FastPlan = Callable[
    ["Connection", list[list[Any]], range | None, frozenset[str], ImportContext], Plan
]


@dataclass(frozen=True, slots=True)
class ImportKind:
    """One `comunidad import KIND`.

    `columns` gives the columns for a run (money columns follow `ctx.decimal_mark`);
    `natural_key` is what rows are matched on, within the file (duplicates) and in the
    database; `key_columns` names it in messages; `plan` checks the clean rows against
    the database (and each other) and says what would change.
    """

    name: str
    entity: str
    columns: Callable[[ImportContext], tuple[Column, ...]]
    natural_key: Callable[[Row], Hashable | None]
    key_columns: str
    plan: Callable[[Connection, list[Row], frozenset[str], ImportContext], Plan]
    #: The fast lane (see the module's docstring): the plan for clean rows given as columns of
    #: values in `columns` order, with their row numbers (None: not consecutive, a kind that
    #: needs them raises), raising `Irregular` at anything else. None: no fast lane.
    fast: FastPlan | None = None


KINDS: dict[str, ImportKind] = {}
LAZY_KINDS: dict[str, str] = {
    "orgs": "comunidad_cli.services.directory:ORGS_IMPORT",
    "people": "comunidad_cli.services.directory:PEOPLE_IMPORT",
    "members": "comunidad_cli.services.members:MEMBERS_IMPORT",
}


def register(kind: ImportKind) -> None:
    """Make `kind` importable as `comunidad import NAME`."""
    KINDS[kind.name] = kind


def kind_names() -> list[str]:
    return sorted({*KINDS, *LAZY_KINDS})


def get_kind(name: str) -> ImportKind:
    """The registered kind, importing its module the first time; unknown: a usage error."""
    kind = KINDS.get(name)
    if kind is not None:
        return kind
    target = LAZY_KINDS.get(name)
    if target is None:
        raise ServiceError.of(
            N_('unknown kind "{kind}": choose one of {kinds}'),
            exit_code=2,
            kind=name,
            kinds=", ".join(kind_names()),
        )
    module_name, _, attribute = target.partition(":")
    loaded = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(loaded, ImportKind):  # pragma: no cover - a programming error
        raise TypeError(f"{target} is not an ImportKind")
    KINDS[name] = loaded
    return loaded


# --- audit rows in bulk ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEntry:
    action: str
    entity_id: str
    detail: Mapping[str, Any]


def write_audit(
    conn: Connection, ctx: ImportContext, entity: str, entries: Sequence[AuditEntry]
) -> None:
    """One audit row per created or updated row, in one executemany on the caller's transaction."""
    if not entries:
        return
    from sqlalchemy import insert

    from comunidad_cli.storage.audit import current_actor, encode_detail
    from comunidad_cli.storage.tables import AuditEvent

    actor = current_actor()
    conn.execute(
        insert(AuditEvent),
        [
            {
                "at": ctx.at,
                "command": ctx.command,
                "action": e.action,
                "entity": entity,
                "entity_id": e.entity_id,
                "detail": encode_detail(e.detail),
                "actor": actor,
            }
            for e in entries
        ],
    )


# --- progress -------------------------------------------------------------------------------


class ProgressSink(Protocol):
    def advance(self, rows: int) -> None: ...

    def close(self) -> None: ...


ProgressFactory = Callable[[int], ProgressSink]


# --- reading --------------------------------------------------------------------------------


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


# --- the engine ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportReport:
    kind: str
    file: str
    format: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def decimal_mark_for(locale: str) -> str:
    """ "." or ",": how amounts are written in `locale` (es_MX writes 1,234.56, es_ES 1.234,56)."""
    from babel.numbers import get_decimal_symbol

    try:
        return str(get_decimal_symbol(locale))
    except Exception:  # an unknown locale: Babel's errors vary by version
        return "," if locale.split("_")[0] in ("es", "ca") else "."


def _without_cyclic_gc(function: Callable[P, R]) -> Callable[P, R]:
    """`function` with Python's cyclic garbage collector paused while it runs.

    An import keeps millions of small objects alive to its end (a million votes: their
    values, tuples, the rows to insert) and makes no reference cycles worth collecting;
    the collector would scan them all again and again as they pile up, a third of the time
    of a large import. Reference counting still frees everything as usual.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_without_cyclic_gc
def run_import(
    url: str,
    kind_name: str,
    path: Path,
    *,
    file_format: str | None = None,
    dry_run: bool = False,
    decimal_mark: str | None = ".",
    bylaws_dir: Path | None = None,
    today: date,
    at: datetime,
    display: str | None = None,
    progress: ProgressFactory | None = None,
) -> ImportReport:
    """Import one file of `kind_name` into the database at `url`, all or nothing.

    `decimal_mark` is the convention of amounts in CSV files (JSON amounts are always
    1234.56). The report lists every problem; when there is any, nothing was written.
    """
    kind = get_kind(kind_name)
    chosen = format_of(path, file_format)
    shown = display if display is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ServiceError.of(
            N_("cannot read {path}: {reason}"),
            exit_code=2,
            path=shown,
            reason=error.strerror or str(error),
        ) from error
    ctx = ImportContext(
        file=shown,
        kind=kind.name,
        command=f"import {kind.name}",
        at=at,
        today=today,
        decimal_mark=decimal_mark if chosen == "csv" else None,
        bylaws_dir=bylaws_dir,
    )

    def report(rows: int, problems: list[Problem], plan: Plan | None = None) -> ImportReport:
        problems.sort(key=lambda p: p.sort_key)
        return ImportReport(
            kind=kind.name,
            file=shown,
            format=chosen,
            dry_run=dry_run,
            rows=rows,
            created=plan.created if plan else 0,
            updated=plan.updated if plan else 0,
            unchanged=plan.unchanged if plan else 0,
            problems=tuple(problems),
        )

    text, not_text = decode(data)
    if text is None:
        assert not_text is not None
        return report(0, [Problem(None, None, not_text)])
    source = READERS[chosen](text)
    if source.fatal:
        return report(0, source.problems)
    columns = kind.columns(ctx)

    def audit(rows: int) -> Callable[[Plan], dict[str, Any]]:
        return lambda plan: {
            "file": shown,
            "format": chosen,
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": rows,
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
        }

    def bar() -> ProgressSink | None:
        if progress is not None and source.estimate > PROGRESS_MIN_ROWS:
            return progress(source.estimate)
        return None

    fast = kind.fast
    lane = Columnar.of(columns, source.header) if fast is not None else None
    if fast is not None and lane is not None:
        counted = [0]
        sink = bar()
        values: list[list[Any]] = []
        try:
            try:
                values = lane.columns(_batches(source.cells, counted, sink))
            finally:
                if sink is not None:
                    sink.close()
            if source.problems:  # what the reader refused on the way (a JSON non-object)
                raise Irregular
            numbers = source.numbered(counted[0])

            def plan_fast(conn: Connection) -> Plan:
                plan = fast(conn, values, numbers, lane.present, ctx)
                if plan.problems:
                    raise Irregular
                return plan

            plan = _settle(url, kind, ctx, dry_run, plan_fast, [], audit(counted[0]))
            return report(counted[0], [], plan)
        except (Irregular, csv.Error):
            values = []
            source = READERS[chosen](text)  # the careful path reads the file again

    sink = bar()
    counter = [0]
    try:
        parsed: Parsed = parse_records(
            columns, source.header, chain.from_iterable(_batches(source.records, counter, sink))
        )
    finally:
        if sink is not None:
            sink.close()
    problems = [*source.problems, *parsed.problems]
    if not parsed.header_ok:
        return report(counter[0], problems)
    rows, duplicates = find_duplicates(parsed.rows, kind.natural_key, kind.key_columns)
    problems.extend(duplicates)
    plan = _settle(
        url,
        kind,
        ctx,
        dry_run,
        lambda conn: kind.plan(conn, rows, parsed.present, ctx),
        problems,
        audit(counter[0]),
    )
    return report(counter[0], problems, plan)


def _batches(
    items: Iterable[T], counter: list[int], sink: ProgressSink | None
) -> Iterator[list[T]]:
    """The records a thousand at a time, counted, the progress bar moved after each batch."""
    records = iter(items)
    while batch := list(islice(records, PROGRESS_STEP)):
        counter[0] += len(batch)
        yield batch
        if sink is not None:
            sink.advance(len(batch))


def _settle(
    url: str,
    kind: ImportKind,
    ctx: ImportContext,
    dry_run: bool,
    make_plan: Callable[[Connection], Plan],
    problems: list[Problem],
    audit: Callable[[Plan], dict[str, Any]],
) -> Plan:
    """Plan against the database and, when nothing at all is wrong, write: one transaction.

    The plan's problems join `problems`. An exception from `make_plan` (the fast lane's
    `Irregular`) rolls the transaction back with nothing written.
    """
    from comunidad_cli.services.session import reading, writing

    with (reading if dry_run else writing)(url) as session:
        conn = session.connection()
        plan = make_plan(conn)
        problems.extend(plan.problems)
        if not problems and not dry_run and (plan.created or plan.updated):
            if plan.write is not None:
                plan.write(conn)
            from comunidad_cli.storage.audit import record

            record(
                conn,
                command=ctx.command,
                action="import",
                entity=kind.entity,
                entity_id=ctx.file,
                detail=audit(plan),
                at=ctx.at,
            )
    return plan


# The record of a meeting, imported in this order (each refers to the ones before).
LAZY_KINDS.update(
    {
        "meetings": "comunidad_cli.services.imports.meetings:MEETINGS_IMPORT",
        "attendance": "comunidad_cli.services.imports.meetings:ATTENDANCE_IMPORT",
        "motions": "comunidad_cli.services.imports.meetings:MOTIONS_IMPORT",
        "recusals": "comunidad_cli.services.imports.meetings:RECUSALS_IMPORT",
        "votes": "comunidad_cli.services.imports.meetings:VOTES_IMPORT",
    }
)


# Capacity assessments and resources mobilised (grant administration).
LAZY_KINDS["assessments"] = "comunidad_cli.services.imports.capacity:ASSESSMENTS_IMPORT"
LAZY_KINDS["resources"] = "comunidad_cli.services.imports.capacity:RESOURCES_IMPORT"


# Grant administration: import in this order (each refers to the ones before).
LAZY_KINDS.update(
    {
        "grants": "comunidad_cli.services.imports.grants:GRANTS_IMPORT",
        "subcontracts": "comunidad_cli.services.imports.grants:SUBCONTRACTS_IMPORT",
        "budget-lines": "comunidad_cli.services.imports.grants:BUDGET_LINES_IMPORT",
        "deliverables": "comunidad_cli.services.imports.grants:DELIVERABLES_IMPORT",
        "submissions": "comunidad_cli.services.imports.grants:SUBMISSIONS_IMPORT",
        "payments": "comunidad_cli.services.imports.grants:PAYMENTS_IMPORT",
    }
)
