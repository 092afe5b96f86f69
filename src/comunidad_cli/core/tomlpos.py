"""Source positions of keys and values in TOML text.

``tomllib`` returns plain dicts without positions, but lint findings must point at
``file:line:col``. This module re-scans the text with a small scanner that follows the
TOML grammar just far enough to know where every key and value starts, and maps each
one to the same path (dict keys and list indexes) that ``tomllib.loads`` would produce.

It never raises: on text that stops being TOML it gives up at that point and keeps
what it found before, since it only serves to decorate findings with positions. Nor does
it recurse without bound: nothing deeper than :data:`MAX_DEPTH` levels is scanned.

:func:`loads` is ``tomllib.loads`` with the same bound, so that a hostile file nested a
few hundred levels deep is a located :class:`TooDeep` instead of a ``RecursionError``.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = ["MAX_DEPTH", "Path", "Pos", "TomlPositions", "TooDeep", "loads", "locate", "too_deep"]

Path: TypeAlias = tuple[str | int, ...]

#: How many keys and array indexes deep a value may sit (``a.b.c = [[1]]`` is 5 deep).
#: By-laws and instruments need about six; the bound keeps every recursive parser (ours
#: and tomllib's) far from Python's recursion limit.
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column (in code points), the way editors count them."""

    line: int
    col: int


class TomlPositions:
    """Positions found by :func:`locate`, looked up by ``tomllib``-style path.

    Offsets are stored and turned into line/column only on demand, because callers
    ask for a handful of positions out of the whole file.
    """

    __slots__ = ("_keys", "_line_starts", "_values")

    def __init__(
        self, keys: dict[Path, int], values: dict[Path, int], line_starts: list[int]
    ) -> None:
        self._keys = keys
        self._values = values
        self._line_starts = line_starts

    def _pos(self, offset: int) -> Pos:
        line = bisect_right(self._line_starts, offset)
        return Pos(line, offset - self._line_starts[line - 1] + 1)

    def key(self, path: Path) -> Pos | None:
        """Where the key of ``path`` is written.

        The first mention wins, except that a table's own ``[header]`` beats earlier
        mentions inside longer headers (``[a.b]`` then ``[a]``: ``a`` is at ``[a]``),
        because that is where a user would look for the table. For an array element
        this is its value, or the name in its ``[[header]]`` for an array of tables.
        """
        offset = self._keys.get(path)
        return None if offset is None else self._pos(offset)

    def value(self, path: Path) -> Pos | None:
        """Where the value of ``path`` starts; the ``[`` of its header for tables.

        ``None`` for tables that only exist through dotted keys (``a`` in ``a.b = 1``):
        no text is their value, so :meth:`nearest` falls back to their key.
        """
        offset = self._values.get(path)
        return None if offset is None else self._pos(offset)

    def nearest(self, path: Path, *, prefer: Literal["key", "value"] = "key") -> Pos:
        """Best position to report ``path`` at, even when it is missing from the text.

        Tries ``path`` itself, then its ancestors from the longest down; for each one
        the preferred kind of position first, then the other; finally ``Pos(1, 1)``.
        """
        first, second = (
            (self._keys, self._values) if prefer == "key" else (self._values, self._keys)
        )
        for end in range(len(path), 0, -1):
            prefix = path[:end]
            offset = first.get(prefix)
            if offset is None:
                offset = second.get(prefix)
            if offset is not None:
                return self._pos(offset)
        return Pos(1, 1)


def _scan(text: str) -> tuple[_Scanner, list[int]]:
    if text.startswith("\ufeff"):
        text = text[1:]  # the BOM is not part of the first line's columns
    scanner = _Scanner(text)
    try:
        scanner.run()
    except (_Stop, RecursionError):
        pass  # invalid (or too deeply nested) TOML: keep what was found so far
    except Exception:  # pragma: no cover - last line of defence, see module docstring
        pass
    line_starts = [0]
    line_starts.extend(m.end() for m in _NEWLINE.finditer(text))
    return scanner, line_starts


def locate(text: str) -> TomlPositions:
    """Scan ``text`` once and return the positions of every key and value in it."""
    scanner, line_starts = _scan(text)
    return TomlPositions(scanner.keys, scanner.values, line_starts)


def too_deep(text: str) -> Pos | None:
    """Where ``text`` first nests a key or value more than :data:`MAX_DEPTH` levels deep."""
    scanner, line_starts = _scan(text)
    if scanner.deep is None:
        return None
    return TomlPositions({}, {}, line_starts)._pos(scanner.deep)


class TooDeep(ValueError):
    """A document nested more than :data:`MAX_DEPTH` levels deep, and where."""

    def __init__(self, pos: Pos) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep at {pos.line}:{pos.col}")
        self.pos = pos


def depth(document: object) -> int:
    """The length of the longest key path in a parsed document, without recursing."""
    deepest = 0
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
    return deepest


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads``, refusing documents nested more than :data:`MAX_DEPTH` levels.

    Raises ``tomllib.TOMLDecodeError`` for invalid TOML and :class:`TooDeep` (located at
    the first value too deep, else at 1:1) for nesting, whether tomllib itself ran out of
    stack or parsed a document that later code would have to walk.
    """
    try:
        document = tomllib.loads(text)
    except RecursionError:
        raise TooDeep(too_deep(text) or Pos(1, 1)) from None
    if depth(document) > MAX_DEPTH:
        raise TooDeep(too_deep(text) or Pos(1, 1))
    return document


# Only "\n" ends a line: that is how TOML (and tomllib's error messages) count lines,
# even though str.splitlines() would also split at "\x0c", "\u2028" and friends.
_NEWLINE = re.compile("\n")
# Every pattern used with _Scanner.skip() matches the empty string, so never fails.
_WS = re.compile(r"[ \t]*+")
_WS_NL = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")  # what may separate array elements
_END_OF_LINE = re.compile(r"[ \t]*+(?:#[^\n]*+)?(?:\r?\n|\Z)")
# One key part with the blanks around it: bare, "basic" or 'literal'.
_KEY_PART = re.compile(
    r"""[ \t]*+(?:([A-Za-z0-9_-]++)|"((?:[^"\\\n]++|\\.)*+)"|'([^'\n]*+)')[ \t]*+"""
)
# Possessive quantifiers keep the string patterns linear even when unterminated.
_BASIC = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
_LITERAL = re.compile(r"'[^'\n]*+'")
_ML_BASIC = re.compile(r'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""\"{0,2}')
_ML_LITERAL = re.compile(r"'''(?:[^']++|'(?!''))*+'''\'{0,2}")
# Numbers, booleans, inf/nan and dates/times; a date-time may use a space as separator.
_SCALAR = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2} (?=[0-9]{2}:)[0-9A-Za-z_+\-.:]*+|[0-9A-Za-z_+\-.:]++"
)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(.))", re.S)
_SIMPLE_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}


class _Stop(Exception):
    """Abandons the scan at the first point where the text is not TOML."""


def _unescape_char(match: re.Match[str]) -> str:
    hex_code = match.group(1) or match.group(2) or match.group(3)
    if hex_code is not None:
        try:
            return chr(int(hex_code, 16))
        except ValueError:  # beyond U+10FFFF
            raise _Stop from None
    char = _SIMPLE_ESCAPES.get(match.group(4))
    if char is None:
        raise _Stop
    return char


class _Scanner:
    """Single forward pass over the text, recording offsets by path as it goes.

    Recording happens before descending, so a scan cut short by invalid text still
    leaves everything before the error in place.
    """

    __slots__ = ("aot_count", "deep", "explicit", "i", "keys", "s", "values")

    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0
        self.keys: dict[Path, int] = {}
        self.values: dict[Path, int] = {}
        # Tables that have their own [header]; they take precedence over the places
        # where they were only mentioned as part of a longer header.
        self.explicit: set[Path] = set()
        # How many [[header]] entries each array of tables has had so far, so later
        # headers resolve into its last element, as TOML says.
        self.aot_count: dict[Path, int] = {}
        # Offset of the first key or value nested deeper than MAX_DEPTH, where the scan
        # stopped: the bound on recursion, and the place to report a hostile file at.
        self.deep: int | None = None

    def too_deep(self, path: Path, offset: int) -> None:
        if len(path) > MAX_DEPTH:
            self.deep = offset
            raise _Stop

    def skip(self, pattern: re.Pattern[str]) -> None:
        match = pattern.match(self.s, self.i)
        if match is not None:
            self.i = match.end()

    def expect(self, pattern: re.Pattern[str]) -> None:
        match = pattern.match(self.s, self.i)
        if match is None:
            raise _Stop
        self.i = match.end()

    def run(self) -> None:
        s = self.s
        table: Path = ()
        while True:
            self.skip(_WS)
            if self.i >= len(s):
                return
            char = s[self.i]
            if char == "[":
                table = self.header()
            elif char not in "#\r\n":
                self.key_value(table)
            self.expect(_END_OF_LINE)

    def header(self) -> Path:
        s = self.s
        start = self.i
        aot = s.startswith("[[", start)
        self.i += 2 if aot else 1
        parts = self.key_parts()
        close = "]]" if aot else "]"
        if not s.startswith(close, self.i):
            raise _Stop
        self.i += len(close)

        keys, values = self.keys, self.values
        path: Path = ()
        last = len(parts) - 1
        for index, (name, offset) in enumerate(parts):
            path = (*path, name)
            self.too_deep(path, offset)
            if index < last or aot:
                keys.setdefault(path, offset)
                values.setdefault(path, start)
                count = self.aot_count.get(path, 0)
                if index == last:
                    self.aot_count[path] = count + 1
                    path = (*path, count)
                    keys.setdefault(path, offset)
                    values.setdefault(path, start)
                elif count:
                    path = (*path, count - 1)
            elif path not in self.explicit:
                self.explicit.add(path)
                keys[path] = offset
                values[path] = start
        return path

    def key_parts(self) -> list[tuple[str, int]]:
        """A possibly dotted key and the blanks around it, as (name, offset) pairs."""
        s = self.s
        parts: list[tuple[str, int]] = []
        while True:
            match = _KEY_PART.match(s, self.i)
            if match is None:
                raise _Stop
            group = match.lastindex or 1
            name = match.group(group)
            if group == 2:
                name = _ESCAPE.sub(_unescape_char, name)
            parts.append((name, match.start(group) - (group != 1)))
            self.i = match.end()
            if not s.startswith(".", self.i):
                return parts
            self.i += 1

    def define(self, table: Path, parts: list[tuple[str, int]]) -> Path:
        """Record every prefix of a dotted key, returning the full path."""
        keys = self.keys
        path = table
        for name, offset in parts:
            path = (*path, name)
            self.too_deep(path, offset)
            keys.setdefault(path, offset)
        return path

    def key_value(self, table: Path) -> None:
        path = self.define(table, self.key_parts())
        if not self.s.startswith("=", self.i):
            raise _Stop
        self.i += 1
        self.skip(_WS)
        self.value(path)

    def value(self, path: Path) -> None:
        s, start = self.s, self.i
        self.too_deep(path, start)
        self.values.setdefault(path, start)
        char = s[start : start + 1]
        if char == "[":
            self.array(path)
            return
        if char == "{":
            self.inline_table(path)
            return
        if char == '"':
            self.expect(_ML_BASIC if s.startswith('"""', start) else _BASIC)
        elif char == "'":
            self.expect(_ML_LITERAL if s.startswith("'''", start) else _LITERAL)
        else:
            self.expect(_SCALAR)

    def array(self, path: Path) -> None:
        s = self.s
        self.i += 1
        index = 0
        while True:
            self.skip(_WS_NL)
            if s.startswith("]", self.i):
                self.i += 1
                return
            element = (*path, index)
            self.keys.setdefault(element, self.i)
            self.value(element)
            index += 1
            self.skip(_WS_NL)
            if s.startswith(",", self.i):
                self.i += 1
            elif s.startswith("]", self.i):
                self.i += 1
                return
            else:
                raise _Stop

    def inline_table(self, path: Path) -> None:
        # Newlines, comments and a trailing comma are accepted as in TOML 1.1; being
        # lenient costs nothing since tomllib has already judged the text.
        s = self.s
        self.i += 1
        while True:
            self.skip(_WS_NL)
            if s.startswith("}", self.i):
                self.i += 1
                return
            self.key_value(path)
            self.skip(_WS_NL)
            if s.startswith(",", self.i):
                self.i += 1
            elif s.startswith("}", self.i):
                self.i += 1
                return
            else:
                raise _Stop
