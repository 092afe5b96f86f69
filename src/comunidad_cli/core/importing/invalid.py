"""`Invalid`, the refusal every value parser raises with its message, and `Parser`, their type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from comunidad_cli.core.messages import Msg

Parser = Callable[[str], Any]


class Invalid(ValueError):
    """A value refused by a parser; `msg` says why, in terms of the value."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.text)
        self.msg = msg

    @classmethod
    def of(cls, text: str, /, **params: Any) -> Invalid:
        return cls(Msg.of(text, **params))
