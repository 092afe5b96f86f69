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
