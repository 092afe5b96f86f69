"""A read-only fast path for SQLite with the standard library alone.

Importing SQLAlchemy and the models costs about 0.45 s, more than a lookup such as
`motion show` of a closed motion takes. For an SQLite file at the current schema revision,
such reads go through `sqlite3` opened read-only; anything else (another database, another
revision, a missing file) returns None and the caller takes the regular path, which also
produces the proper error messages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from comunidad_cli.storage.revision import HEAD_REVISION

_PREFIX = "sqlite:///"


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (no query string), else None."""
    if not url.startswith(_PREFIX) or "?" in url:
        return None
    path = url[len(_PREFIX) :]
    return Path(path) if path and path != ":memory:" else None


@contextmanager
def connect(url: str) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection at the current revision, or None: use the regular path."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        yield None
        return
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=5
        )
    except sqlite3.Error:
        yield None
        return
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    try:
        yield connection if row is not None and row[0] == HEAD_REVISION else None
    finally:
        connection.close()
