"""Translatable messages as data.

The core never translates: it returns a `Msg` whose `text` is the English source string
(marked with `N_` so `pybabel extract` finds it) plus parameters. The edge translates the
text with gettext and formats the parameters with Babel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


def N_(text: str) -> str:
    """Mark `text` for extraction without translating it now."""
    return text


@dataclass(frozen=True, slots=True)
class Msg:
    """A message id (English source text with `{name}` fields) and its parameters."""

    text: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, text: str, /, **params: Any) -> Msg:
        return cls(text, MappingProxyType(dict(params)))

    def render(self, translate: Any = None, fmt: Any = None) -> str:
        """Fill in the parameters, translating the text with `translate` when given.

        `fmt` formats plain parameter values (dates, numbers) the edge's way, e.g. with
        Babel in the user's locale; nested messages are rendered the same way.
        """
        template = translate(self.text) if translate is not None else self.text
        params = {
            key: value.render(translate, fmt)
            if isinstance(value, Msg)
            else (fmt(value) if fmt is not None else value)
            for key, value in self.params.items()
        }
        return str(template).format(**params)
