"""Translatable messages as data.

The core never translates: it returns a `Msg` whose `text` is the English source string
(marked with `N_` so `pybabel extract` finds it) plus parameters. The edge translates the
text with gettext and formats the parameters with Babel. A message whose words follow a
number ("1 seat", "7 seats") is `Msg.counted(NP_(singular, plural), "name", ...)`: the
edge picks the form with `ngettext` for that parameter's value, in each language's rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


def N_(text: str) -> str:
    """Mark `text` for extraction without translating it now."""
    return text


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message and its plural form for extraction, for `Msg.counted`."""
    return singular, plural


TranslateN = Callable[[str, str, int], str]
#: Fills a translated template with its formatted parameters (`str.format` by default).
Fill = Callable[..., str]


@dataclass(frozen=True, slots=True)
class Msg:
    """A message id (English source text with `{name}` fields) and its parameters."""

    text: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: The plural form of `text`, and the parameter whose value chooses between the two.
    plural: str | None = None
    count: str | None = None

    @classmethod
    def of(cls, text: str, /, **params: Any) -> Msg:
        return cls(text, MappingProxyType(dict(params)))

    @classmethod
    def counted(cls, forms: tuple[str, str], count: str, /, **params: Any) -> Msg:
        """A message in the form that agrees with `params[count]` (marked with `NP_`)."""
        if count not in params:
            raise ValueError(f"no parameter {count!r} to count by")
        return cls(forms[0], MappingProxyType(dict(params)), forms[1], count)

    def render(
        self,
        translate: Any = None,
        fmt: Any = None,
        translate_n: TranslateN | None = None,
        fill: Fill | None = None,
    ) -> str:
        """Fill in the parameters, translating the text with `translate` when given.

        `fmt` formats plain parameter values (dates, numbers) the edge's way, e.g. with
        Babel in the user's locale; nested messages are rendered the same way. A counted
        message takes its form from `translate_n` (`ngettext`), else English's rule. `fill`
        puts the formatted parameters into the template (the edge's `i18n.fill` joins a
        date to the article before it), else `str.format`.
        """
        if self.plural is not None and self.count is not None:
            n = int(self.params[self.count])
            if translate_n is not None:
                template = translate_n(self.text, self.plural, n)
            else:
                template = self.text if n == 1 else self.plural
        else:
            template = translate(self.text) if translate is not None else self.text
        params = {
            key: value.render(translate, fmt, translate_n, fill)
            if isinstance(value, Msg)
            else (fmt(value) if fmt is not None else value)
            for key, value in self.params.items()
        }
        if fill is not None:
            return fill(str(template), **params)
        return str(template).format(**params)
