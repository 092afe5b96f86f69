"""One transaction per command: the unit of work every writing service uses.

`writing(url)` checks the schema version, opens a Session whose transaction starts with
BEGIN IMMEDIATE on SQLite (a second writer waits instead of failing half-way), checks the
version again inside it (the wait may have been for a `db upgrade`), commits when the
block ends and rolls everything back on any error: nothing half-written.
`reading(url)` is the same without the write lock. `writing_db(url)` and `reading_db(url)`
are the same transactions over a plain DB-API connection (`storage.dbapi`), for the
everyday commands that must not pay for importing SQLAlchemy: same checks, same lock wait,
same messages.

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

    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.storage.dbapi import Db

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
    from comunidad_cli.storage.locks import LOCK_TIMEOUT_ENV, lock_timeout

    try:
        return lock_timeout()
    except ValueError:
        raise ServiceError.of(
            N_("{name}={value}: give the number of seconds a write may wait, e.g. 600"),
            name=LOCK_TIMEOUT_ENV,
            value=os.environ.get(LOCK_TIMEOUT_ENV, ""),
        ) from None


def _refused(reason: str) -> ServiceError:
    from comunidad_cli.services.errors import ServiceError

    return ServiceError.of(N_("the database refused the change: {reason}"), reason=reason)


@contextmanager
def _session(url: str, begin_mode: str) -> Iterator[Session]:
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from comunidad_cli.services.database import ensure_current, not_permitted
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.storage.engine import (
        BEGIN_OPTION,
        LOCK_TIMEOUT_OPTION,
        ON_LOCK_WAIT_OPTION,
        make_engine,
    )
    from comunidad_cli.storage.locks import LockTimeout
    from comunidad_cli.storage.schema import current_revision

    limit = wait_limit()
    engine = make_engine(url)
    try:
        ensure_current(engine)
        bound = engine.execution_options(
            **{BEGIN_OPTION: begin_mode, LOCK_TIMEOUT_OPTION: limit, ON_LOCK_WAIT_OPTION: _on_wait}
        )
        with Session(bound, expire_on_commit=False) as session, session.begin():
            # Again, inside: a writer may have waited for the lock while a newer
            # comunidad's `db upgrade` moved the schema on.
            _check_revision(url)(current_revision(session.connection()))
            yield session
    except LockTimeout as error:
        raise ServiceError(Msg.counted(_GAVE_UP, "count", count=_seconds(error.limit))) from error
    except SQLAlchemyError as error:
        denied = not_permitted(url, error, writing=begin_mode != "DEFERRED")
        if denied is not None:
            raise denied from error
        raise _refused(str(getattr(error, "orig", None) or error).splitlines()[0]) from error
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


def _check_revision(url: str) -> Callable[[str | None], None]:
    """`ensure_current`'s refusal of a schema that is not this comunidad's, for `storage.dbapi`."""

    def check(revision: str | None) -> None:
        from comunidad_cli.services.database import _state_problem
        from comunidad_cli.services.errors import ServiceError
        from comunidad_cli.storage.revision import HEAD_REVISION

        problem = _state_problem(revision, HEAD_REVISION, url)
        if problem is not None:
            raise ServiceError(problem)

    return check


@contextmanager
def _db(url: str, write: bool) -> Iterator[Db]:
    from comunidad_cli.services.database import _MSG_NO_DATABASE, _unusable, permission_refusal
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.storage.dbapi import (
        NoDatabase,
        NotPermitted,
        Refused,
        Unusable,
        transaction,
    )
    from comunidad_cli.storage.locks import LockTimeout

    limit = wait_limit()
    try:
        with transaction(
            url, write=write, check=_check_revision(url), limit=limit, on_wait=_on_wait
        ) as db:
            yield db
    except NoDatabase as error:
        raise ServiceError.of(_MSG_NO_DATABASE, path=str(error.path)) from error
    except Unusable as error:
        raise _unusable(url, error) from error
    except NotPermitted as error:  # a read-only role asked to write, say (SQLSTATE 42501)
        raise permission_refusal(error.role or "?", writing=not error.reading) from error
    except Refused as error:
        raise _refused(error.reason) from error
    except LockTimeout as error:
        raise ServiceError(Msg.counted(_GAVE_UP, "count", count=_seconds(error.limit))) from error


@contextmanager
def writing_db(url: str) -> Iterator[Db]:
    """`writing` over a DB-API connection (`storage.dbapi.Db`): all of it commits, or none."""
    with _db(url, write=True) as db:
        yield db


@contextmanager
def reading_db(url: str) -> Iterator[Db]:
    """`reading` over a DB-API connection (`storage.dbapi.Db`)."""
    with _db(url, write=False) as db:
        yield db
