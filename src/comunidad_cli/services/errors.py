"""The one exception services raise for a user's mistake; its message is data."""

from __future__ import annotations

from typing import Any

from comunidad_cli.core.messages import Msg


class ServiceError(Exception):
    """Refused input or state. The CLI translates `msg`, prints it and exits with `exit_code`."""

    def __init__(self, msg: Msg, *, exit_code: int = 1) -> None:
        super().__init__(msg.text)
        self.msg = msg
        self.exit_code = exit_code

    @classmethod
    def of(cls, text: str, *, exit_code: int = 1, **params: Any) -> ServiceError:
        return cls(Msg.of(text, **params), exit_code=exit_code)


def typed_text(value: str, option: str) -> str:
    """`value` if it can be recorded as typed (no control characters), else a refusal that
    names the option; the core's one check (`text_problem`), shared by every command."""
    from comunidad_cli.core.importing.text import text_problem
    from comunidad_cli.core.messages import N_

    problem = text_problem(value)
    if problem is not None:
        raise ServiceError(Msg.of(N_("{option}: {problem}"), option=option, problem=problem))
    return value
