"""People's text inside the documents we draw: escaped, so it is printed as typed.

A name, title or reason is data, never markup: "Luis [/] Peña" must not end a Rich style,
"*asterisks*" must not turn to italics and "<script>" must not become HTML in the Markdown
minutes. `markdown` escapes for Markdown (CommonMark, and Rich's Markdown in the terminal,
reads it back to the same characters); `markup` escapes for Rich console markup. HTML goes
through `html.escape` where it is written.
"""

from __future__ import annotations

import re

# Characters that start Markdown inline syntax anywhere in a line: emphasis, code, links and
# images, raw HTML and autolinks, entity references, table pipes, strikethrough, headings'
# closing #s. Backslash-escaping ASCII punctuation is always allowed (CommonMark 2.4).
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
# What makes a line a block of its own: a list item (-, +, 1. or 1)), a setext underline (=).
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+(?=[.)]))", re.MULTILINE)


def markdown(text: str, *, line_start: bool = True) -> str:
    """`text` escaped for Markdown: rendered, it reads exactly as typed. `line_start=False`
    where the text can't open a block (a heading's or a table cell's text)."""
    escaped = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, escaped) if line_start else escaped


def _escape_line_start(match: re.Match[str]) -> str:
    indent, opener = match.groups()
    if opener[0].isdigit():
        # "2026. Year" would be an ordered list: escape the dot or parenthesis after it.
        return f"{indent}{opener}\\"
    return f"{indent}\\{opener}"


def markup(text: str) -> str:
    """`text` escaped for Rich console markup ("[/]", "[bold]" printed as typed)."""
    from rich.markup import escape

    return escape(text)
