"""`comunidad import KIND FILE`: all-or-nothing, re-runnable imports with row-numbered errors.

`import_command` is registered by cli/app.py as the `import` command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    current_workspace,
    database_url,
    error,
    info,
    render,
    value_option,
    write_stdout,
)
from comunidad_cli.i18n import _, ngettext
from comunidad_cli.services.imports.registry import KINDS

if TYPE_CHECKING:
    from comunidad_cli.core.importing.columns import Problem
    from comunidad_cli.services.imports.engine import ImportReport, ProgressSink


class _RichProgress:
    """A progress bar on stderr (only made when stderr is a terminal)."""

    def __init__(self, total: int, label: str) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(console=Console(stderr=True), transient=True)
        self._progress.start()
        self._task = self._progress.add_task(label, total=total)

    def advance(self, rows: int) -> None:
        self._progress.advance(self._task, rows)

    def close(self) -> None:
        self._progress.stop()


def _progress_factory(label: str) -> Any:
    if not sys.stderr.isatty():
        return None

    def make(total: int) -> ProgressSink:
        return _RichProgress(total, label)

    return make


def problem_line(file: str, problem: Problem) -> str:
    """`file:row: column: problem`, `file:row: problem` or `file: problem`."""
    text = render(problem.msg)
    if problem.row is None:
        return f"{file}: {text}"
    if problem.column is None:
        return f"{file}:{problem.row}: {text}"
    return f"{file}:{problem.row}: {problem.column}: {text}"


def _territories_counts(report: ImportReport) -> str:
    """A territories file creates territories and records values (a new territory's first
    values too): "2 territories created, 6 values recorded", not "2 created, 6 updated"."""
    if report.dry_run:
        territories = ngettext(
            "{count} territory to create", "{count} territories to create", report.created
        )
        values = ngettext("{count} value to record", "{count} values to record", report.updated)
    else:
        territories = ngettext(
            "{count} territory created", "{count} territories created", report.created
        )
        values = ngettext("{count} value recorded", "{count} values recorded", report.updated)
    unchanged = ngettext("{count} value unchanged", "{count} values unchanged", report.unchanged)
    return ", ".join(
        (
            territories.format(count=report.created),
            values.format(count=report.updated),
            unchanged.format(count=report.unchanged),
        )
    )


def summary_line(report: ImportReport) -> str:
    """ "12 created, 3 unchanged" (updates only when there are any); a dry run says so."""
    if report.kind == "territories":
        counts = _territories_counts(report)
        if report.dry_run:
            return _("Dry run: {counts}; nothing was written.").format(counts=counts)
        return counts
    if report.dry_run:
        parts = [
            ngettext("{count} to create", "{count} to create", report.created).format(
                count=report.created
            )
        ]
        if report.updated:
            parts.append(
                ngettext("{count} to update", "{count} to update", report.updated).format(
                    count=report.updated
                )
            )
    else:
        parts = [
            ngettext("{count} created", "{count} created", report.created).format(
                count=report.created
            )
        ]
        if report.updated:
            parts.append(
                ngettext("{count} updated", "{count} updated", report.updated).format(
                    count=report.updated
                )
            )
    parts.append(
        ngettext("{count} unchanged", "{count} unchanged", report.unchanged).format(
            count=report.unchanged
        )
    )
    counts = ", ".join(parts)
    if report.dry_run:
        return _("Dry run: {counts}; nothing was written.").format(counts=counts)
    return counts


def import_command(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help=_("What the file holds, one of: {kinds}.").format(kinds=", ".join(KINDS)),
            show_default=False,
        ),
    ],
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help=_("A CSV, JSON or NDJSON file."), show_default=False),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=_("Check everything and count, but write nothing.")),
    ] = False,
    format: Annotated[
        str | None,
        value_option(
            "--format", "FORMAT", _("csv, json or ndjson (default: from the file's extension).")
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print a JSON summary on standard output."))
    ] = False,
    round_key: Annotated[
        str | None,
        value_option(
            "--round",
            "ROUND",
            _("The competitive fund's round the rows belong to (fund-applications, fund-scores)."),
        ),
    ] = None,
) -> None:
    """Import a file: every row is checked, and any problem rejects the whole file."""
    from comunidad_cli.i18n import current_locale
    from comunidad_cli.services.imports.engine import decimal_mark_for, run_import
    from comunidad_cli.services.imports.registry import get_kind

    workspace = current_workspace(required=False)
    report = run_import(
        database_url(),
        kind,
        file,
        file_format=format,
        dry_run=dry_run,
        decimal_mark=decimal_mark_for(current_locale()) if get_kind(kind).amounts else ".",
        bylaws_dir=workspace.bylaws_dir if workspace is not None else None,
        currency=workspace.currency if workspace is not None else None,
        today=clock.today(),
        at=clock.now(),
        progress=_progress_factory(str(file)),
        round_key=round_key,
    )
    for problem in report.problems:
        error(problem_line(report.file, problem))
    if as_json:
        payload = {
            "kind": report.kind,
            "file": report.file,
            "format": report.format,
            "dry_run": report.dry_run,
            "ok": report.ok,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": [
                {
                    "row": p.row,
                    "column": p.column,
                    "message": render(p.msg),
                }
                for p in report.problems
            ],
        }
        write_stdout(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if not report.ok:
        info(
            ngettext(
                "{file}: {count} problem; nothing was imported.",
                "{file}: {count} problems; nothing was imported.",
                len(report.problems),
            ).format(file=report.file, count=len(report.problems))
        )
        raise typer.Exit(1)
    info(summary_line(report))
