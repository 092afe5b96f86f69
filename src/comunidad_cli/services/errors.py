"""The one exception services raise for a user's mistake (`ServiceError`, defined in
`comunidad_cli.errors` so that storage may raise it too); its message is data."""

from __future__ import annotations

from datetime import date

from comunidad_cli.core.messages import Msg
from comunidad_cli.errors import ServiceError

__all__ = ["ServiceError", "typed_period", "typed_text", "unreadable"]


def unreadable(shown: str, error: OSError) -> ServiceError:
    """The usage error (exit 2) for a file the user named that cannot be read, naming it as
    `shown` and saying the system's reason: one refusal for every file a command reads."""
    from comunidad_cli.core.messages import N_
    from comunidad_cli.core.os_errors import os_reason

    return ServiceError.of(
        N_("cannot read {path}: {reason}"), exit_code=2, path=shown, reason=os_reason(error)
    )


def typed_text(value: str, option: str) -> str:
    """`value` if it can be recorded as typed (no control characters), else a refusal that
    names the option; the core's one check (`text_problem`), shared by every command."""
    from comunidad_cli.core.importing.text import text_problem
    from comunidad_cli.core.messages import N_

    problem = text_problem(value)
    if problem is not None:
        raise ServiceError(Msg.of(N_("{option}: {problem}"), option=option, problem=problem))
    return value


def typed_key(value: str, option: str) -> str:
    """`value` if it is a valid id (lower-case letters, digits, "-" and "_"), else a refusal
    naming the option: ids are compared exactly, so "M1" beside "m1" would be two meetings a
    person reads as one."""
    from comunidad_cli.core.importing.ids import key_problem
    from comunidad_cli.core.messages import N_

    problem = key_problem(value)
    if problem is not None:
        raise ServiceError(Msg.of(N_("{option}: {problem}"), option=option, problem=problem))
    return value


def typed_period(start: date | None, end: date | None) -> None:
    """Refuse a period given by --from and --to whose last day is before its first (the
    dates may have been swapped): a usage error (exit 2), the core's one rule
    (`period_problem`)."""
    from comunidad_cli.core.when import period_problem

    if start is not None and end is not None:
        problem = period_problem(start, end)
        if problem is not None:
            raise ServiceError(problem, exit_code=2)
