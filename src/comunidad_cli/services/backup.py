"""How `comunidad db backup` writes a backup: SQLite's online backup or ``pg_dump``, each
into a temporary file beside the target that is renamed over it once complete and
checked, so no reader ever sees half a backup.

`backup_database` in `services/database.py` decides what may be backed up and where to;
this module only writes. Loaded by `db backup` alone.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comunidad_cli.core.messages import N_
from comunidad_cli.core.os_errors import os_reason
from comunidad_cli.services.errors import ServiceError

_MSG_CANNOT_WRITE = N_("cannot write the backup to {path}: {reason}")
_MSG_FAILED_CHECK = N_("the backup failed its check: {detail}")


@dataclass(frozen=True, slots=True)
class BackupReport:
    """Size of a finished backup and how long it took."""

    path: Path
    bytes: int
    pages: int
    seconds: float


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: on POSIX the directory entry needs its own fsync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _cannot_write(dest: Path, error: OSError) -> ServiceError:
    """The refusal of a backup the file system would not take, naming `dest`."""
    return ServiceError.of(_MSG_CANNOT_WRITE, path=str(dest), reason=os_reason(error))


def target(dest: Path, overwrite: bool) -> Path:
    """`dest` as an absolute path a backup may be written to, or the refusal saying why not."""
    dest = dest.absolute()
    if dest.exists() and not overwrite:
        raise ServiceError.of(
            N_("{path} already exists: choose another file, or pass --overwrite to replace it"),
            path=str(dest),
        )
    if dest.exists() and dest.is_dir():
        raise ServiceError.of(N_("{path} is a folder, not a file"), path=str(dest))
    if not dest.parent.is_dir():
        raise ServiceError.of(
            N_("cannot write the backup to {path}: the folder {folder} does not exist"),
            path=str(dest),
            folder=str(dest.parent),
        )
    return dest


def _temporary(dest: Path) -> Path:
    """A new empty file beside `dest` (mode 0o600, a hidden name) that a backup is written to
    and then renamed over `dest`, so no reader ever sees half a backup; a folder that cannot
    take it is refused, naming `dest`."""
    try:
        fd, temporary_name = tempfile.mkstemp(
            prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent
        )
    except OSError as error:
        raise _cannot_write(dest, error) from error
    os.close(fd)
    return Path(temporary_name)


@contextmanager
def _written(dest: Path) -> Iterator[Path]:
    """A temporary file beside `dest` (`_temporary`) to write a backup to: once the block
    has written and checked it, made durable and renamed over `dest`, durably; whatever
    fails (the file system refused: said naming `dest`), removed, and `dest` untouched."""
    temporary = _temporary(dest)
    try:
        yield temporary
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, dest)
        _fsync_dir(dest.parent)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _cannot_write(dest, error) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def pg_dump(url: str, dest: Path) -> BackupReport:
    """A PostgreSQL database backed up with ``pg_dump --format=custom`` (one snapshot:
    consistent while others write; restore with ``pg_restore``), written atomically to
    `dest` like the SQLite backup: a temporary file beside it (mode 0o600), its archive
    listed by ``pg_restore --list`` when that is installed, then renamed. A password in
    the URL goes to pg_dump as PGPASSWORD, never on its command line (the process list)."""
    import shutil
    import subprocess

    from comunidad_cli.services.database import display
    from comunidad_cli.storage import postgres

    program = shutil.which("pg_dump")
    if program is None:
        raise ServiceError.of(
            N_(
                "db backup on PostgreSQL runs pg_dump, which is not installed here (not on"
                " PATH): install the PostgreSQL client tools of the server's version or newer"
                " (e.g. apt install postgresql-client), or run it yourself: pg_dump"
                " --format=custom --file={path} {url}"
            ),
            path=str(dest),
            url=display(postgres.libpq_url(url)),
        )
    libpq_target, password = postgres.password_apart(postgres.libpq_url(url))
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    started = time.monotonic()
    with _written(dest) as temporary:
        dumped = subprocess.run(
            [program, "--format=custom", "--no-password", f"--file={temporary}", libpq_target],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if dumped.returncode != 0:
            raise ServiceError.of(
                N_("pg_dump could not back up {url}: {reason}"),
                url=display(url),
                reason=_tool_reason(dumped.stderr, password),
            )
        restore = shutil.which("pg_restore")
        if restore is not None:
            listed = subprocess.run(
                [restore, "--list", str(temporary)], capture_output=True, text=True, check=False
            )
            if listed.returncode != 0:
                raise ServiceError.of(
                    _MSG_FAILED_CHECK, detail=_tool_reason(listed.stderr, password)
                )
    return BackupReport(
        path=dest, bytes=dest.stat().st_size, pages=0, seconds=time.monotonic() - started
    )


def _tool_reason(stderr: str, password: str | None) -> str:
    """A client tool's complaint, its lines joined, the password never shown."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    reason = "; ".join(lines[:4]) or "?"
    return reason.replace(password, "***") if password else reason


def sqlite_online(
    source_path: Path,
    dest: Path,
    *,
    pages_per_step: int,
    step_sleep: float,
    progress: Any,
) -> BackupReport:
    """An SQLite database copied with its online backup (stdlib
    ``sqlite3.Connection.backup``) in steps of `pages_per_step`, sleeping `step_sleep`
    seconds between steps.

    In WAL mode the copy is read from one snapshot held for the whole backup: writers in
    other processes go on committing (they are never blocked by a reader) and the backup
    never restarts. Without WAL the backup restarts whenever another process commits, as
    SQLite documents, and the sleeps are what let writers in. `progress(remaining, total)`
    is called after each step. The copy goes to a temporary file next to `dest` (mode
    0o600), is checked with ``PRAGMA quick_check``, then renamed over `dest`.
    """
    from comunidad_cli.services.database import _MSG_UNUSABLE
    from comunidad_cli.storage.locks import BUSY_TIMEOUT_MS

    started = time.monotonic()
    pages = 0

    def _step(status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total
        if progress is not None:
            progress(remaining, total)
        if remaining and step_sleep > 0:
            time.sleep(step_sleep)  # let writers take the lock between steps

    with _written(dest) as temporary:
        try:
            source = sqlite3.connect(
                source_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            try:
                copy = sqlite3.connect(temporary, isolation_level=None)
                try:
                    wal = source.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
                    if wal:
                        # Pin one snapshot: backup_step reuses an open read transaction.
                        source.execute("BEGIN")
                        source.execute("SELECT count(*) FROM sqlite_master").fetchall()
                    source.backup(copy, pages=max(1, pages_per_step), progress=_step)
                    if wal:
                        source.execute("COMMIT")
                    checked = copy.execute("PRAGMA quick_check").fetchall()
                    if checked != [("ok",)]:
                        raise ServiceError.of(_MSG_FAILED_CHECK, detail=str(checked[0][0]))
                    pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
                finally:
                    copy.close()
            finally:
                source.close()
        except sqlite3.Error as error:
            raise ServiceError.of(
                _MSG_UNUSABLE, path=str(source_path), reason=str(error)
            ) from error
    return BackupReport(
        path=dest, bytes=dest.stat().st_size, pages=pages, seconds=time.monotonic() - started
    )
