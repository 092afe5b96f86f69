"""`comunidad import KIND FILE`: read a file, check every row, write all of it or none of it.

The engine every kind shares:

- reading: CSV, JSON or NDJSON, in UTF-8 (`readers`).
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

What a kind is lives in `kinds`; the one registry of kinds, in `registry`; each kind, in the
module of its domain (directory, meetings, attendance, votes, grants, ...).
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

from comunidad_cli.core.importing.columnar import Columnar, Irregular
from comunidad_cli.core.importing.columns import Parsed, Problem, column_of
from comunidad_cli.core.importing.rows import find_duplicates, parse_records
from comunidad_cli.services.imports.kinds import ImportContext, ImportKind, Plan
from comunidad_cli.services.imports.readers import READERS, decode, format_of, read_file
from comunidad_cli.services.imports.registry import get_kind

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

#: Files with more records than this get a progress bar (when stderr is a terminal).
PROGRESS_MIN_ROWS = 10_000
PROGRESS_STEP = 1_000


# --- progress -------------------------------------------------------------------------------


class ProgressSink(Protocol):
    def advance(self, rows: int) -> None: ...

    def close(self) -> None: ...


ProgressFactory = Callable[[int], ProgressSink]


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
    currency: str | None = None,
    today: date,
    at: datetime,
    display: str | None = None,
    progress: ProgressFactory | None = None,
    round_key: str | None = None,
) -> ImportReport:
    """Import one file of `kind_name` into the database at `url`, all or nothing.

    `decimal_mark` is the convention of amounts in CSV files (JSON amounts are always
    1234.56). The report lists every problem; when there is any, nothing was written.
    `currency` (the workspace's) sets the digits of the amounts a refusal suggests.
    `round_key` is the round of a competitive fund the rows belong to (`--round`).
    """
    from comunidad_cli.services.grants.common import currency_digits

    kind = get_kind(kind_name)
    chosen = format_of(path, file_format)
    shown = display if display is not None else str(path)
    data = read_file(path, shown)
    ctx = ImportContext(
        file=shown,
        kind=kind.name,
        command=f"import {kind.name}",
        at=at,
        today=today,
        decimal_mark=decimal_mark if chosen == "csv" else None,
        bylaws_dir=bylaws_dir,
        money_digits=None if currency is None or not kind.amounts else currency_digits(currency),
        round=round_key,
    )

    typed: dict[str, str] = {}  # a column's header as the file writes it ("importe", "Org")

    def report(rows: int, problems: list[Problem], plan: Plan | None = None) -> ImportReport:
        problems.sort(key=lambda p: p.sort_key)
        problems = [
            replace(p, column=typed[p.column]) if p.column in typed else p for p in problems
        ]
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
    # A row's problem names its column as the file's header does: a Catalan tester's
    # `persones.csv:7: org: ...` was under the header "entitat".
    typed.update(
        (column_of(raw, columns), raw.strip().lstrip("\ufeff").strip())
        for raw in source.header or ()
        if raw.strip()
    )

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

            def plan_fast(db: Db) -> Plan:
                plan = fast(db, values, numbers, lane.present, ctx)
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
    make_plan: Callable[[Db], Plan],
    problems: list[Problem],
    audit: Callable[[Plan], dict[str, Any]],
) -> Plan:
    """Plan against the database and, when nothing at all is wrong, write: one transaction
    of the storage API (`session.writing_db`; `reading_db` for a dry run), so that no
    import builds SQLAlchemy or the ORM classes.

    The plan's problems join `problems`. An exception from `make_plan` (the fast lane's
    `Irregular`) rolls the transaction back with nothing written.
    """
    from comunidad_cli.services import session

    with (session.reading_db if dry_run else session.writing_db)(url) as db:
        plan = make_plan(db)
        problems.extend(plan.problems)
        if not problems and not dry_run and (plan.created or plan.updated):
            if plan.write is not None:
                plan.write(db)
            from comunidad_cli.storage.audit import record

            record(
                db,
                command=ctx.command,
                action="import",
                entity=kind.entity,
                entity_id=ctx.file,
                detail=audit(plan),
                at=ctx.at,
            )
        return plan
