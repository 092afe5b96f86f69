"""One transaction per command: the unit of work every writing service uses.

`writing(url)` checks the schema version, opens a Session whose transaction starts with
BEGIN IMMEDIATE on SQLite (a second writer waits instead of failing half-way), commits
when the block ends and rolls everything back on any error: nothing half-written.
`reading(url)` is the same without the write lock.

A writer that finds another one at work (a long import) waits for it, up to
``COMUNIDAD_LOCK_TIMEOUT`` seconds (default 10 minutes): `notify`, set once by the CLI,
is told so the person at the terminal knows why nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from comunidad_cli.core.messages import N_, NP_, Msg

if TYPE_CHECKING:
    from sqlmodel import Session

#: Where to say that a write waits for another one (stderr, translated, at the CLI edge).
notify: Callable[[Msg], None] | None = None

_WAITING = NP_(
    "another import or change is writing to the database; waiting for it to finish"
    " (at most {count} second, COMUNIDAD_LOCK_TIMEOUT)",
    "another import or change is writing to the database; waiting for it to finish"
    " (at most {count} seconds, COMUNIDAD_LOCK_TIMEOUT)",
)
_GAVE_UP = NP_(
    "the database stayed busy with another import or change for {count} second: nothing was"
    " written; run the command again when it has finished, or wait longer with"
    " COMUNIDAD_LOCK_TIMEOUT=SECONDS",
    "the database stayed busy with another import or change for {count} seconds: nothing was"
    " written; run the command again when it has finished, or wait longer with"
    " COMUNIDAD_LOCK_TIMEOUT=SECONDS",
)


def _seconds(limit: float) -> int | float:
    return int(limit) if limit == int(limit) else limit


def _on_wait(limit: float) -> None:
    if notify is not None:
        notify(Msg.counted(_WAITING, "count", count=_seconds(limit)))


def wait_limit() -> float:
    """The writer's wait limit in seconds; a refusal when COMUNIDAD_LOCK_TIMEOUT is not one."""
    import os

    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.storage.engine import LOCK_TIMEOUT_ENV, lock_timeout

    try:
        return lock_timeout()
    except ValueError:
        raise ServiceError.of(
            N_("{name}={value}: give the number of seconds a write may wait, e.g. 600"),
            name=LOCK_TIMEOUT_ENV,
            value=os.environ.get(LOCK_TIMEOUT_ENV, ""),
        ) from None


@contextmanager
def _session(url: str, begin_mode: str) -> Iterator[Session]:
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from comunidad_cli.services.database import ensure_current
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.storage.engine import (
        BEGIN_OPTION,
        LOCK_TIMEOUT_OPTION,
        ON_LOCK_WAIT_OPTION,
        LockTimeout,
        make_engine,
    )

    limit = wait_limit()
    engine = make_engine(url)
    try:
        ensure_current(engine)
        bound = engine.execution_options(
            **{BEGIN_OPTION: begin_mode, LOCK_TIMEOUT_OPTION: limit, ON_LOCK_WAIT_OPTION: _on_wait}
        )
        with Session(bound, expire_on_commit=False) as session, session.begin():
            yield session
    except LockTimeout as error:
        raise ServiceError(Msg.counted(_GAVE_UP, "count", count=_seconds(error.limit))) from error
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
