"""`comunidad db ...`: upgrade, check, backup, grant, copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    JsonOption,
    command_group,
    database_url,
    info,
    render,
    value_option,
    write_stdout,
)
from comunidad_cli.i18n import _, format_number, ngettext

app = command_group(
    _(
        "The database: bring its schema up to date, check it, back it up, copy it, give roles"
        " their rights."
    )
)


@app.command(
    "upgrade",
    cls=ComunidadCommand,
    help=_("Bring the database schema up to date (creates the database if missing)."),
)
def upgrade() -> None:
    from comunidad_cli.services.database import upgrade_database

    before, after = upgrade_database(database_url())
    if before == after:
        info(_("Schema already up to date ({revision}).").format(revision=after))
    else:
        info(_("Schema upgraded from {old} to {new}.").format(old=before or _("empty"), new=after))


@app.command(
    "check",
    cls=ComunidadCommand,
    help=_("Check the database: integrity, foreign keys, schema version. Exit 1 on problems."),
)
def check(
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.database import check_database

    report = check_database(database_url())
    if as_json:
        payload = {
            "ok": report.ok,
            "revision": report.revision,
            "head": report.head,
            "problems": [render(p) for p in report.problems],
        }
        write_stdout(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for problem in report.problems:
            info(_("problem: {message}").format(message=render(problem)))
        if report.ok:
            info(_("Database ok (schema {revision}).").format(revision=report.revision))
    if not report.ok:
        raise typer.Exit(1)


@app.command(
    "backup",
    cls=ComunidadCommand,
    help=_(
        "Copy the database to FILE, consistent even while others write: SQLite's online"
        " backup, or on PostgreSQL pg_dump's custom format (restore it with pg_restore)."
    ),
)
def backup(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help=_("Where to write the copy."), show_default=False)
    ],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help=_("Replace FILE if it exists."))
    ] = False,
) -> None:
    from comunidad_cli.services.database import backup_database

    report = backup_database(database_url(), file, overwrite=overwrite)
    info(
        ngettext(
            "Backed up {size} byte to {path} in {seconds} s.",
            "Backed up {size} bytes to {path} in {seconds} s.",
            report.bytes,
        ).format(
            size=format_number(report.bytes),
            path=file,
            seconds=format_number(report.seconds, decimals=2),
        )
    )


@app.command(
    "grant",
    cls=ComunidadCommand,
    help=_(
        "On PostgreSQL, let a database role read everything and change nothing: it can run"
        " every command that reads (lists, shows, minutes, summary, exports, db check) and is"
        " refused the ones that write."
    ),
)
def grant(
    read_only: Annotated[
        str,
        value_option(
            "--read-only",
            "ROLE",
            _("The database role that may only read (it must exist: CREATE ROLE ... LOGIN)."),
        ),
    ],
    sql: Annotated[
        bool,
        typer.Option(
            "--sql", help=_("Print the SQL instead of running it, to run it yourself (psql -f).")
        ),
    ] = False,
) -> None:
    from comunidad_cli.services.database import grant_read_only

    done = grant_read_only(database_url(), read_only, apply=not sql)
    if sql:
        header = _(
            "-- Read-only rights for {role} on {database}: run as {owner}, the tables' owner."
        ).format(role=done.role, database=done.database, owner=done.owner)
        write_stdout(header + "\n" + "".join(f"{s};\n" for s in done.statements))
        return
    info(
        _(
            "The role {role} may now read the database {database} (schema {schema}) and change"
            " nothing in it."
        ).format(role=done.role, database=done.database, schema=done.schema)
    )


@app.command(
    "copy",
    cls=ComunidadCommand,
    help=_(
        "Copy the whole database to an empty one (SQLite or PostgreSQL), check every table's"
        " rows and checksum, then switch the workspace to it. Nothing changes when any step"
        " fails."
    ),
)
def copy(
    to: Annotated[
        str,
        value_option(
            "--to",
            "URL",
            _(
                "The empty database to copy to: sqlite:///FILE or postgresql://USER@HOST/NAME"
                " (no password in it: PGPASSWORD, ~/.pgpass or a service file)."
            ),
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    import os

    from comunidad_cli.cli._common import current_workspace
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services.db_copy import copy_database

    source = database_url()
    report = copy_database(source, to, workspace=current_workspace(required=False))
    if as_json:
        write_stdout(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
        return
    write_stdout(
        plain_table(
            [_("TABLE"), _("ROWS"), _("SHA-256")],
            [[t.table, format_number(t.rows), t.sha256[:16]] for t in report.tables],
            right=(1,),
            whole=(0, 2),
            width=terminal_width(),
        )
    )
    info(
        ngettext(
            "Copied {rows} row in {tables} tables from {source} to {target} in {seconds} s.",
            "Copied {rows} rows in {tables} tables from {source} to {target} in {seconds} s.",
            report.rows,
        ).format(
            rows=format_number(report.rows),
            tables=format_number(len(report.tables)),
            source=report.source,
            target=report.target,
            seconds=format_number(report.seconds, decimals=2),
        )
    )
    info(_("Verified: every table has the same rows and checksum on both sides."))
    if report.settings is None:
        info(
            _(
                "The database copied was given by --db or COMUNIDAD_DB, not by the workspace:"
                " no settings changed."
            )
        )
        return
    info(_('{path} now says database = "{url}".').format(path=report.settings, url=report.database))
    if os.environ.get("COMUNIDAD_DB"):
        info(_("COMUNIDAD_DB is set and still chooses the database: unset it to use the copy."))
