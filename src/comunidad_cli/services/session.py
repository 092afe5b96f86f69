"""One transaction per command: the unit of work every writing service uses.

`writing(url)` checks the schema version, opens a Session whose transaction starts with
BEGIN IMMEDIATE on SQLite (a second writer waits instead of failing half-way), commits
when the block ends and rolls everything back on any error: nothing half-written.
`reading(url)` is the same without the write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session


@contextmanager
def _session(url: str, begin_mode: str) -> Iterator[Session]:
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from comunidad_cli.core.messages import N_
    from comunidad_cli.services.database import ensure_current
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.storage.engine import BEGIN_OPTION, make_engine

    engine = make_engine(url)
    try:
        ensure_current(engine)
        bound = engine.execution_options(**{BEGIN_OPTION: begin_mode})
        with Session(bound, expire_on_commit=False) as session, session.begin():
            yield session
    except SQLAlchemyError as error:
        raise ServiceError.of(
            N_("the database refused the change: {reason}"),
            reason=str(getattr(error, "orig", None) or error).splitlines()[0],
        ) from error
    finally:
        engine.dispose()


@contextmanager
def writing(url: str) -> Iterator[Session]:
    """A session whose changes all commit together at the end of the block, or none do."""
    with _session(url, "IMMEDIATE") as session:
        yield session


@contextmanager
def reading(url: str) -> Iterator[Session]:
    with _session(url, "DEFERRED") as session:
        yield session
