"""The refusal every layer below the CLI may raise: a `Msg` and an exit code.

It lives outside `services` so that storage can raise it too (an actor that names nobody
as typed, `storage.audit.BadActor`) without importing services; services reach it by its
public name, `services.errors.ServiceError`. Only `core.messages` is imported here.
"""

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
