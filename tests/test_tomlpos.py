"""Tests for comunidad_cli.core.tomlpos: exact positions, round trips, robustness.

tomllib is the oracle throughout: every document used here is checked to be valid
TOML, and every path it produces must have a position pointing at the right text.
"""

from __future__ import annotations

import random
import re
import tomllib
from datetime import date, datetime
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comunidad_cli.core.tomlpos import Path, Pos, TomlPositions, locate

# --------------------------------------------------------------------------- helpers


def _offset(text: str, pos: Pos) -> int:
    """Offset of ``pos`` in ``text`` minus any BOM, counting lines at "\\n" only."""
    body = text.removeprefix("\ufeff")
    lines = body.split("\n")
    assert 1 <= pos.line <= len(lines)
    assert 1 <= pos.col <= len(lines[pos.line - 1]) + 1
    return sum(len(line) + 1 for line in lines[: pos.line - 1]) + pos.col - 1


def _at(text: str, pos: Pos | None) -> str:
    """The text from ``pos`` to the end of its line (BOM removed)."""
    assert pos is not None
    body = text.removeprefix("\ufeff")
    start = _offset(text, pos)
    end = body.find("\n", start)
    return body[start : None if end < 0 else end]


def _paths(obj: Any, prefix: Path = ()) -> list[tuple[Path, Any]]:
    """Every path in a tomllib result, parents before children."""
    found: list[tuple[Path, Any]] = []
    items: list[tuple[str | int, Any]]
    if isinstance(obj, dict):
        items = list(obj.items())
    elif isinstance(obj, list):
        items = list(enumerate(obj))
    else:
        return found
    for part, child in items:
        path = (*prefix, part)
        found.append((path, child))
        found.extend(_paths(child, path))
    return found


_QUOTED_KEY = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|[A-Za-z0-9_-]+')


def _written_key(text: str, pos: Pos | None) -> str:
    """Decode, with tomllib, the key written at ``pos``."""
    assert pos is not None
    body = text.removeprefix("\ufeff")
    match = _QUOTED_KEY.match(body, _offset(text, pos))
    assert match is not None, body[_offset(text, pos) :][:40]
    decoded = tomllib.loads(f"{match.group()} = 0")
    (name,) = decoded
    return name


def _valid(text: str) -> TomlPositions:
    """Locate positions in a document that must be valid TOML, checking every path."""
    data = tomllib.loads(text.removeprefix("\ufeff"))
    positions = locate(text)
    for path, _ in _paths(data):
        assert positions.key(path) is not None, path
    return positions


# ------------------------------------------------------------------ hand-written cases


def test_simple_key_value() -> None:
    p = _valid("a = 1\nbee   =   'x'\n")
    assert p.key(("a",)) == Pos(1, 1)
    assert p.value(("a",)) == Pos(1, 5)
    assert p.key(("bee",)) == Pos(2, 1)
    assert p.value(("bee",)) == Pos(2, 11)
    assert p.key(("nope",)) is None
    assert p.value(("nope",)) is None
    assert p.key(()) is None


def test_dotted_keys_record_every_part() -> None:
    text = "a.b.c = 1\na . b . d = 2\n  x.'y z'.\"w\" = true\n"
    p = _valid(text)
    assert p.key(("a",)) == Pos(1, 1)
    assert p.key(("a", "b")) == Pos(1, 3)
    assert p.key(("a", "b", "c")) == Pos(1, 5)
    assert p.value(("a", "b", "c")) == Pos(1, 9)
    assert p.key(("a", "b", "d")) == Pos(2, 9)
    assert p.value(("a", "b", "d")) == Pos(2, 13)
    assert p.key(("x", "y z")) == Pos(3, 5)
    assert p.key(("x", "y z", "w")) == Pos(3, 11)
    assert p.value(("x", "y z", "w")) == Pos(3, 17)
    # Tables made by dotted keys have no value of their own; nearest() uses the key.
    assert p.value(("a", "b")) is None
    assert p.nearest(("a", "b"), prefer="value") == Pos(1, 3)


def test_quoted_keys_are_unquoted_and_unescaped() -> None:
    text = (
        '"x y" = 1\n'
        "'lit' = 2\n"
        '"q\\"uote\\u00e9\\t\\\\" = 3\n'
        '"a.b" = 4\n'
        "'c:\\dir' = 5\n"
        '"" = 6\n'
        '"\\U0001F600" = 7\n'
    )
    p = _valid(text)
    assert p.key(("x y",)) == Pos(1, 1)
    assert p.value(("x y",)) == Pos(1, 9)
    assert p.key(("lit",)) == Pos(2, 1)
    assert p.key(('q"uoteé\t\\',)) == Pos(3, 1)
    assert p.value(('q"uoteé\t\\',)) == Pos(3, 23)
    assert p.key(("a.b",)) == Pos(4, 1)
    assert p.key(("a", "b")) is None
    assert p.key(("c:\\dir",)) == Pos(5, 1)
    assert p.key(("",)) == Pos(6, 1)
    assert p.value(("",)) == Pos(6, 6)
    assert p.key(("😀",)) == Pos(7, 1)


def test_table_headers() -> None:
    text = (
        "top = 1\n"  # 1
        "[bodies.nlg]\n"  # 2
        "name = 'NLG'\n"  # 3
        "[bodies.board]\n"  # 4
        "name = 'Board'\n"  # 5
        '[ other . "quoted key" ]  # comment\n'  # 6
        "k = 1\n"  # 7
    )
    p = _valid(text)
    assert p.key(("bodies",)) == Pos(2, 2)
    assert p.value(("bodies",)) == Pos(2, 1)
    assert p.key(("bodies", "nlg")) == Pos(2, 9)
    assert p.value(("bodies", "nlg")) == Pos(2, 1)
    assert p.key(("bodies", "nlg", "name")) == Pos(3, 1)
    assert p.value(("bodies", "nlg", "name")) == Pos(3, 8)
    assert p.key(("bodies", "board")) == Pos(4, 9)
    assert p.key(("bodies", "board", "name")) == Pos(5, 1)
    assert p.key(("other",)) == Pos(6, 3)
    assert p.key(("other", "quoted key")) == Pos(6, 11)
    assert p.value(("other", "quoted key")) == Pos(6, 1)
    assert p.key(("other", "quoted key", "k")) == Pos(7, 1)
    # Keys after a header belong to it, not to the root.
    assert p.key(("name",)) is None
    assert p.key(("k",)) is None


def test_explicit_header_wins_over_earlier_implicit_mention() -> None:
    text = "[a.b]\nx = 1\n[a]\ny = 2\n[a.c]\n"
    p = _valid(text)
    assert p.key(("a",)) == Pos(3, 2)
    assert p.value(("a",)) == Pos(3, 1)
    assert p.key(("a", "y")) == Pos(4, 1)
    assert p.key(("a", "c")) == Pos(5, 4)


def test_subtable_of_dotted_key_table() -> None:
    text = "[fruit]\napple.color = 'red'\napple.taste.sweet = true\n[fruit.apple.texture]\n"
    p = _valid(text)
    assert p.key(("fruit", "apple")) == Pos(2, 1)
    assert p.key(("fruit", "apple", "taste", "sweet")) == Pos(3, 13)
    assert p.key(("fruit", "apple", "texture")) == Pos(4, 14)
    assert p.value(("fruit", "apple", "texture")) == Pos(4, 1)


def test_array_of_tables() -> None:
    text = (
        "[[items]]\n"  # 1
        "k = 1\n"  # 2
        "\n"  # 3
        "[[items]]  # second\n"  # 4
        "k = 2\n"  # 5
        "[[ items ]]\n"  # 6
        "[[other.list]]\n"  # 7
        "x = 'y'\n"  # 8
    )
    p = _valid(text)
    assert p.key(("items",)) == Pos(1, 3)
    assert p.value(("items",)) == Pos(1, 1)
    assert p.key(("items", 0)) == Pos(1, 3)
    assert p.value(("items", 0)) == Pos(1, 1)
    assert p.key(("items", 0, "k")) == Pos(2, 1)
    assert p.value(("items", 0, "k")) == Pos(2, 5)
    assert p.key(("items", 1)) == Pos(4, 3)
    assert p.key(("items", 1, "k")) == Pos(5, 1)
    assert p.key(("items", 2)) == Pos(6, 4)
    assert p.value(("items", 2)) == Pos(6, 1)
    assert p.key(("items", 3)) is None
    assert p.key(("other",)) == Pos(7, 3)
    assert p.key(("other", "list", 0, "x")) == Pos(8, 1)


def test_nested_array_of_tables_resolves_into_last_element() -> None:
    text = (
        "[[fruits]]\n"  # 1
        "name = 'apple'\n"  # 2
        "[fruits.physical]\n"  # 3
        "color = 'red'\n"  # 4
        "[[fruits.varieties]]\n"  # 5
        "name = 'red delicious'\n"  # 6
        "[[fruits.varieties]]\n"  # 7
        "name = 'granny smith'\n"  # 8
        "[[fruits]]\n"  # 9
        "name = 'banana'\n"  # 10
        "[[fruits.varieties]]\n"  # 11
        "name = 'plantain'\n"  # 12
    )
    p = _valid(text)
    assert p.key(("fruits", 0, "physical")) == Pos(3, 9)
    assert p.key(("fruits", 0, "physical", "color")) == Pos(4, 1)
    assert p.key(("fruits", 0, "varieties", 0, "name")) == Pos(6, 1)
    assert p.key(("fruits", 0, "varieties", 1)) == Pos(7, 10)
    assert p.key(("fruits", 0, "varieties", 1, "name")) == Pos(8, 1)
    assert p.key(("fruits", 1, "name")) == Pos(10, 1)
    assert p.value(("fruits", 1, "varieties")) == Pos(11, 1)
    assert p.key(("fruits", 1, "varieties", 0, "name")) == Pos(12, 1)
    assert p.key(("fruits", 1, "varieties", 1)) is None


def test_inline_tables() -> None:
    text = (
        "[bodies.nlg]\n"
        'quorum = { fraction = "1/2", min = { resident = 3 } }\n'
        "point = {x=1,y={}, a.b = 'c'}\n"
        "empty = {}\n"
    )
    p = _valid(text)
    q = ("bodies", "nlg", "quorum")
    assert p.key(q) == Pos(2, 1)
    assert p.value(q) == Pos(2, 10)
    assert p.key((*q, "fraction")) == Pos(2, 12)
    assert p.value((*q, "fraction")) == Pos(2, 23)
    assert p.key((*q, "min")) == Pos(2, 30)
    assert p.value((*q, "min")) == Pos(2, 36)
    assert p.key((*q, "min", "resident")) == Pos(2, 38)
    assert p.value((*q, "min", "resident")) == Pos(2, 49)
    pt = ("bodies", "nlg", "point")
    assert p.key((*pt, "x")) == Pos(3, 10)
    assert p.value((*pt, "x")) == Pos(3, 12)
    assert p.key((*pt, "y")) == Pos(3, 14)
    assert p.value((*pt, "y")) == Pos(3, 16)
    assert p.key((*pt, "a")) == Pos(3, 20)
    assert p.key((*pt, "a", "b")) == Pos(3, 22)
    assert p.value((*pt, "a", "b")) == Pos(3, 26)
    assert p.value(("bodies", "nlg", "empty")) == Pos(4, 9)


def test_arrays() -> None:
    text = (
        'classes = ["a", "b"]\n'  # 1
        "nested = [ [1, 2], [ 'x', [ true ] ], ]\n"  # 2
        "multi = [  # comment [ ] , \n"  # 3
        "  1,\n"  # 4
        "  # only a comment, with ] and ,\n"  # 5
        "\n"  # 6
        '  "two",  # trailing\n'  # 7
        "  3.5,\n"  # 8
        "]\n"  # 9
        "empty = [ ]\n"  # 10
        "people = [ { name = 'Ana', roles = ['chair'] },\n"  # 11
        "           { name = 'Biel' } ]\n"  # 12
        "after = 1\n"  # 13
    )
    p = _valid(text)
    assert p.key(("classes",)) == Pos(1, 1)
    assert p.value(("classes",)) == Pos(1, 11)
    assert p.value(("classes", 0)) == Pos(1, 12)
    assert p.key(("classes", 0)) == Pos(1, 12)
    assert p.value(("classes", 1)) == Pos(1, 17)
    assert p.value(("classes", 2)) is None
    assert p.value(("nested", 0)) == Pos(2, 12)
    assert p.value(("nested", 0, 1)) == Pos(2, 16)
    assert p.value(("nested", 1)) == Pos(2, 20)
    assert p.value(("nested", 1, 0)) == Pos(2, 22)
    assert p.value(("nested", 1, 1)) == Pos(2, 27)
    assert p.value(("nested", 1, 1, 0)) == Pos(2, 29)
    assert p.value(("multi", 0)) == Pos(4, 3)
    assert p.value(("multi", 1)) == Pos(7, 3)
    assert p.value(("multi", 2)) == Pos(8, 3)
    assert p.value(("multi", 3)) is None
    assert p.value(("empty",)) == Pos(10, 9)
    assert p.key(("empty", 0)) is None
    assert p.value(("people", 0)) == Pos(11, 12)
    assert p.key(("people", 0, "name")) == Pos(11, 14)
    assert p.value(("people", 0, "roles", 0)) == Pos(11, 37)
    assert p.value(("people", 1)) == Pos(12, 12)
    assert p.key(("people", 1, "name")) == Pos(12, 14)
    assert p.value(("people", 1, "name")) == Pos(12, 21)
    assert p.key(("after",)) == Pos(13, 1)


def test_strings_are_skipped_correctly() -> None:
    text = (
        's1 = "with # hash, ] bracket and \\"quotes\\" \\\\"  # c\n'  # 1
        "s2 = 'C:\\path # not a comment'\n"  # 2
        's3 = """\n'  # 3
        'has "embedded" and ""two"" quotes\n'  # 4
        "a = 1 is not a key\n"  # 5
        "  line \\\n"  # 6
        '    continued \\""" and \\u00e9 """\n'  # 7
        "s4 = '''\n"  # 8
        "raw ''quoted'' \\n ]\n"  # 9
        "b = 2'''\n"  # 10
        's5 = """ends with quotes"""""\n'  # 11
        "s6 = '''ends with one''''\n"  # 12
        's7 = ["""a\n'  # 13
        "b\"\"\", '''c''']\n"  # 14
        'after = "x"\n'  # 15
    )
    p = _valid(text)
    assert p.value(("s1",)) == Pos(1, 6)
    assert p.value(("s2",)) == Pos(2, 6)
    assert p.value(("s3",)) == Pos(3, 6)
    assert p.value(("s4",)) == Pos(8, 6)
    assert p.value(("s5",)) == Pos(11, 6)
    assert p.value(("s6",)) == Pos(12, 6)
    assert p.value(("s7", 0)) == Pos(13, 7)
    assert p.value(("s7", 1)) == Pos(14, 7)
    assert p.key(("after",)) == Pos(15, 1)
    assert p.key(("a",)) is None
    assert p.key(("b",)) is None


@pytest.mark.parametrize(
    ("literal", "parsed"),
    [
        ("42", 42),
        ("+17", 17),
        ("-1_000", -1000),
        ("0xDEAD_beef", 0xDEADBEEF),
        ("0o755", 0o755),
        ("0b1101", 0b1101),
        ("3.1415", 3.1415),
        ("-5e+22", -5e22),
        ("6.626e-34", 6.626e-34),
        ("inf", float("inf")),
        ("-inf", float("-inf")),
        ("+inf", float("inf")),
        ("true", True),
        ("false", False),
        ("1979-05-27", date(1979, 5, 27)),
        ("1979-05-27T07:32:00", datetime(1979, 5, 27, 7, 32)),
        ("1979-05-27 07:32:00.999999", datetime(1979, 5, 27, 7, 32, 0, 999999)),
        ("1979-05-27 07:32:00Z", None),
        ("1979-05-27T00:32:00-07:00", None),
        ("07:32:00", None),
        ("00:32:00.5", None),
        ("nan", None),
        ("-nan", None),
    ],
)
def test_scalars_are_skipped_correctly(literal: str, parsed: object) -> None:
    text = f"x = {literal}  # comment\narr = [{literal},{literal} , {literal}]\ny = 1\n"
    data = tomllib.loads(text)
    if parsed is not None:
        assert data["x"] == parsed
    p = _valid(text)
    assert p.value(("x",)) == Pos(1, 5)
    assert p.value(("arr", 1)) == Pos(2, 9 + len(literal))
    assert p.value(("arr", 2)) == Pos(2, 12 + 2 * len(literal))
    assert p.key(("y",)) == Pos(3, 1)


def test_comments_everywhere() -> None:
    text = (
        "# leading comment with a = 1 and [table]\n"  # 1
        "   # indented comment\n"  # 2
        "a = 1 # after a value\n"  # 3
        "[t] # after a header\n"  # 4
        "#\n"  # 5
        "b = [ # after [\n"  # 6
        "  1, # after an element\n"  # 7
        "  # before ]\n"  # 8
        "] # after ]\n"  # 9
        "[[aot]] # after [[aot]]\n"  # 10
        "c = { d = 1 } # after }\n"  # 11
    )
    p = _valid(text)
    assert p.key(("a",)) == Pos(3, 1)
    assert p.key(("t",)) == Pos(4, 2)
    assert p.value(("t", "b", 0)) == Pos(7, 3)
    assert p.key(("aot", 0)) == Pos(10, 3)
    assert p.key(("aot", 0, "c", "d")) == Pos(11, 7)


def test_crlf_line_endings() -> None:
    text = "a = 1\r\n[t]\r\nb = [\r\n  2,\r\n]\r\ns = '''x\r\ny'''\r\nc = 3\r\n"
    p = _valid(text)
    assert p.key(("a",)) == Pos(1, 1)
    assert p.key(("t",)) == Pos(2, 2)
    assert p.value(("t", "b", 0)) == Pos(4, 3)
    assert p.value(("t", "s")) == Pos(6, 5)
    assert p.key(("t", "c")) == Pos(8, 1)
    assert p.value(("t", "c")) == Pos(8, 5)


def test_bom_is_not_a_column() -> None:
    p = locate("\ufeffa = 1\nb = 2\n")
    assert p.key(("a",)) == Pos(1, 1)
    assert p.value(("a",)) == Pos(1, 5)
    assert p.key(("b",)) == Pos(2, 1)


def test_tabs_and_unicode_count_one_column_each() -> None:
    text = "\tkey\t=\t1\nu = 'ü'\nt = { a = \"😀😀\", b = 2 }\n[\tsec\t]\n"
    p = _valid(text)
    assert p.key(("key",)) == Pos(1, 2)
    assert p.value(("key",)) == Pos(1, 8)
    assert p.key(("t", "b")) == Pos(3, 17)
    assert p.key(("sec",)) == Pos(4, 3)


def test_quoted_unicode_key_columns() -> None:
    p = _valid("\"ñandú\" = 'ü'\n'😀' = 1\n")
    assert p.key(("ñandú",)) == Pos(1, 1)
    assert p.value(("ñandú",)) == Pos(1, 11)
    assert p.value(("😀",)) == Pos(2, 7)


def test_only_newline_ends_a_line() -> None:
    # U+2028, NEL and an escaped CR inside strings must not shift line numbers.
    text = 'a = "x\u2028y\x85\\r"\nb = """p\u2029q"""\nc = 1\n'
    p = _valid(text)
    assert p.key(("b",)) == Pos(2, 1)
    assert p.key(("c",)) == Pos(3, 1)


def test_nearest() -> None:
    text = "[bodies.nlg]\nname = 'x'\nclasses = ['a']\n"
    p = _valid(text)
    assert p.nearest(("bodies", "nlg", "name")) == Pos(2, 1)
    assert p.nearest(("bodies", "nlg", "name"), prefer="value") == Pos(2, 8)
    assert p.nearest(("bodies", "nlg", "missing")) == Pos(1, 9)
    assert p.nearest(("bodies", "nlg", "missing"), prefer="value") == Pos(1, 1)
    assert p.nearest(("bodies", "nlg", "classes", 5)) == Pos(3, 1)
    assert p.nearest(("bodies", "nlg", "classes", 5), prefer="value") == Pos(3, 11)
    assert p.nearest(("bodies", "other", "x")) == Pos(1, 2)
    assert p.nearest(("elsewhere", "x")) == Pos(1, 1)
    assert p.nearest(()) == Pos(1, 1)
    assert locate("").nearest(("a",)) == Pos(1, 1)


def test_first_definition_wins_on_duplicates() -> None:
    # Invalid TOML, but a linter may still ask: point at the first one.
    p = locate("a = 1\na = 2\n")
    assert p.key(("a",)) == Pos(1, 1)
    assert p.value(("a",)) == Pos(1, 5)


def test_invalid_toml_keeps_what_came_before() -> None:
    p = locate("a = 1\n[t]\nb = \nc = 2\n")
    assert p.key(("a",)) == Pos(1, 1)
    assert p.key(("t",)) == Pos(2, 2)
    assert p.key(("t", "b")) == Pos(3, 1)
    assert p.key(("t", "c")) is None
    p = locate('a = 1\nb = "unterminated\nc = 2\n')
    assert p.key(("a",)) == Pos(1, 1)
    assert p.value(("b",)) == Pos(2, 5)
    assert p.key(("c",)) is None


# ------------------------------------------------------------------------ robustness


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\ufeff",
        "\x00",
        "a = \x00\n",
        "a\x00 = 1",
        'a = """never closed\nb = 1\n',
        "a = '''never closed\n",
        'a = """\\',
        "a = [1, 2\n",
        "a = [1 2]",
        "a = { b = 1",
        "a = {",
        "[a",
        "[[a]",
        "[]",
        "[[]]",
        "= 1",
        "a =",
        "a",
        "a.",
        "a. = 1",
        '"\\uD800" = 1',
        '"\\UFFFFFFFF" = 1',
        '"\\q" = 1',
        "a = 1 b = 2",
        "a = 1\rb = 2",
        "\r",
        "[" * 100_000,
        "a = " + "[" * 100_000,
        "a = " + "{b=" * 50_000,
        "a = " + "[" * 500 + "]" * 500,
        "a = '" + "\\" * 10_000,
        'a = "' + "\\a" * 10_000,
        'a = """' + '""\\' * 10_000,
        "a.b.c.d.e.f.g.h = 1\n" * 3 + "[a]\n[a]\n[[a]]\n[a.b.c]\n",
    ],
)
def test_invalid_input_does_not_raise(text: str) -> None:
    positions = locate(text)
    assert positions.nearest(("a", "b")).line >= 1


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_does_not_raise(text: str) -> None:
    positions = locate(text)
    assert positions.nearest(("a", 0, "b")).col >= 1


_TOML_ALPHABET = st.sampled_from([*"ab1 \t\n\r=.,[]{}#'\"\\-+:_eExT", "\x00", "é"])


@settings(max_examples=300, deadline=None)
@given(st.text(_TOML_ALPHABET, max_size=60))
def test_toml_like_text_does_not_raise(text: str) -> None:
    locate(text)


# --------------------------------------------------------- round trip through tomli_w

_BARE = re.compile(r"[A-Za-z0-9_-]+")

_keys = st.one_of(
    st.from_regex(_BARE, fullmatch=True).filter(lambda k: len(k) <= 10),
    st.text(max_size=8),
    st.sampled_from(
        ["a.b", "x y", 'q"uote', "it's", "ñandú", "", "back\\slash", "tab\tkey", "1.5", "true"]
    ),
)
_scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", '"', '""', '"""', "a\nb", "\n", "x\r\ny", "'''", 'é\\"', "😀"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.floats(allow_nan=False),  # NaN != NaN would fail the equality; nan is a hand case
)
_arrays = st.recursive(st.lists(_scalars, max_size=4), lambda inner: st.lists(inner, max_size=3))


def _tables(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(_keys, values, max_size=4)


_documents: st.SearchStrategy[dict[str, Any]] = st.recursive(
    _tables(st.one_of(_scalars, _arrays)),
    lambda children: _tables(
        st.one_of(
            _scalars,
            _arrays,
            children,
            st.lists(children, min_size=1, max_size=3),
            st.lists(st.one_of(children, _scalars), max_size=3),
        )
    ),
    max_leaves=25,
)


def _literal(value: Any, multiline: bool) -> str:
    """How tomli_w writes a scalar, wherever it appears."""
    line = tomli_w.dumps({"x": value}, multiline_strings=multiline)
    return line.removeprefix("x = ").removesuffix("\n")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=_documents,
    multiline=st.booleans(),
    indent=st.integers(min_value=0, max_value=4),
    crlf=st.booleans(),
    bom=st.booleans(),
)
def test_round_trip_tomli_w(
    doc: dict[str, Any], multiline: bool, indent: int, crlf: bool, bom: bool
) -> None:
    text = tomli_w.dumps(doc, multiline_strings=multiline, indent=indent)
    if crlf:
        text = text.replace("\n", "\r\n")  # raw newlines only occur between tokens or in """
    if bom:
        text = "\ufeff" + text
    body = text.removeprefix("\ufeff")
    data = tomllib.loads(body)
    positions = locate(text)
    for path, value in _paths(data):
        key_pos, value_pos = positions.key(path), positions.value(path)
        assert key_pos is not None, path
        assert value_pos is not None, path
        at_value = body[_offset(text, value_pos) :]
        if isinstance(path[-1], str):
            assert _written_key(text, key_pos) == path[-1], path
        elif key_pos != value_pos:  # an element of an array of tables: its header
            assert at_value.startswith("[["), path
            assert _written_key(text, key_pos) == path[-2], path
        if isinstance(value, dict):
            assert at_value[:1] in ("[", "{"), path
        elif isinstance(value, list):
            assert at_value.startswith("["), path
        else:
            expected = _literal(value, multiline)
            if crlf:
                expected = expected.replace("\n", "\r\n")
            assert at_value.startswith(expected), (path, at_value[:40], expected)


# ------------------------------------------------- round trip through a varied writer


class _Writer:
    """Writes a document in randomly varied TOML styles, recording what it wrote where.

    tomli_w only ever produces one style; this covers dotted keys, inline tables,
    literal and escaped strings, comments and odd spacing, with tomllib as the oracle.
    Every key and value token is recorded by path in the order it is written, which
    is text order, so the first mention is the one ``locate`` must report.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.keys: dict[Path, str] = {}
        self.values: dict[Path, str | None] = {}

    def chance(self, p: float = 0.5) -> bool:
        return self.rng.random() < p

    def space(self) -> str:
        return self.rng.choice(["", " ", " ", "\t", "  "])

    def comment(self) -> str:
        return self.rng.choice(["", "", "", " # c", "\t#= [x] {y}, 'z' \"w\""])

    def emit(self, line: str) -> None:
        self.lines.append(line)
        if self.chance(0.15):
            self.lines.append(self.rng.choice(["", "# comment", "  ", "\t# [[x]] = 1"]))

    def key(self, name: str) -> str:
        if _BARE.fullmatch(name) and self.chance(0.8):
            return name
        if "'" not in name and not _CONTROL.search(name) and self.chance():
            return f"'{name}'"
        out = []
        for char in name:
            if char in '"\\':
                out.append("\\" + char)
            elif _CONTROL.match(char) or (ord(char) > 0x7F and self.chance(0.3)):
                code = ord(char)
                out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
            else:
                out.append(char)
        return '"' + "".join(out) + '"'

    def string(self, value: str) -> str:
        style = self.rng.choice(["literal", "ml-literal", "basic", "ml-basic"])
        if style == "literal" and "'" not in value and not _CONTROL.search(value):
            return f"'{value}'"
        if style == "ml-literal" and "'''" not in value and not _ML_CONTROL.search(value):
            newline = "\n" if value.startswith("\n") or self.chance() else ""
            return f"'''{newline}{value}'''"
        multiline = style == "ml-basic"
        out = []
        for index, char in enumerate(value):
            nxt = value[index + 1 : index + 2]
            if char == "\\":
                out.append("\\\\")
            elif char == '"':
                out.append('\\"' if not multiline or nxt == '"' or self.chance() else '"')
            elif char == "\n" and multiline:
                out.append("\n")
            elif _CONTROL.match(char):
                short = {"\n": "\\n", "\r": "\\r", "\b": "\\b"}
                out.append(short.get(char, f"\\u{ord(char):04x}"))
            else:
                out.append(char)
            if multiline and nxt not in ("", " ", "\t", "\n") and self.chance(0.05):
                out.append("\\\n  \t ")  # line-ending backslash: trims the blanks after it
        if multiline:
            newline = "\n" if value.startswith("\n") or self.chance() else ""
            return '"""' + newline + "".join(out) + '"""'
        return '"' + "".join(out) + '"'

    def scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            if value >= 0 and self.chance(0.2):
                return str(self.rng.choice([hex, oct, bin])(value))
            return ("+" if value >= 0 and self.chance(0.2) else "") + str(value)
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, datetime):
            return value.isoformat(sep=self.rng.choice(["T", " "]))
        if isinstance(value, str):
            return self.string(value)
        return str(value.isoformat())  # date or time

    def value(self, path: Path, value: Any, inline: bool) -> str:
        """Render a value as a string, recording where everything in it starts."""
        if isinstance(value, dict):
            token = "{"
        elif isinstance(value, list):
            token = "["
        else:
            token = self.scalar(value)
        self.values.setdefault(path, token)
        if isinstance(path[-1], int):
            self.keys.setdefault(path, token)  # an array element's "key" is its value
        if isinstance(value, dict):
            pieces = []
            for name, child in value.items():
                pieces.extend(self.key_value(path, name, child, inline=True))
            return "{" + self.space() + ", ".join(pieces) + self.space() + "}"
        if isinstance(value, list):
            out = "["
            for index, item in enumerate(value):
                sep = self.space() if inline else self.rng.choice(["", " ", "\n  ", " # c\n"])
                out += sep + self.value((*path, index), item, inline)
                out += "," if index < len(value) - 1 or self.chance() else ""
            if not inline and self.chance(0.3):
                out += " # end\n"
            return out + self.space() + "]"
        return token

    def key_value(self, table: Path, name: str, value: Any, inline: bool) -> list[str]:
        """``key = value`` pieces; non-empty tables sometimes become dotted keys."""
        written = self.key(name)
        path = (*table, name)
        self.keys.setdefault(path, written)
        if isinstance(value, dict) and value and self.chance(0.4):
            self.values.setdefault(path, None)  # dotted-key tables have no value
            prefix = written + self.space() + "." + self.space()
            return [
                prefix + piece
                for child_name, child in value.items()
                for piece in self.key_value(path, child_name, child, inline)
            ]
        return [written + self.space() + "=" + self.space() + self.value(path, value, inline)]

    def table(self, path: Path, header: list[str], table: dict[str, Any]) -> None:
        """Write a table's own key/values, then its sub-tables under headers."""
        later: list[tuple[str, Any]] = []
        for name, value in table.items():
            aot = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
            if (isinstance(value, dict) or aot) and self.chance(0.6):
                later.append((name, value))
                continue
            for piece in self.key_value(path, name, value, inline=False):
                self.emit(self.rng.choice(["", "", "  ", "\t"]) + piece + self.comment())
        for name, value in later:
            written = self.key(name)
            sub = (*path, name)
            names = [*header, written]
            dotted = (self.space() + "." + self.space()).join(names)
            self.keys.setdefault(sub, written)
            if isinstance(value, dict):
                self.values.setdefault(sub, "[")
                self.emit(f"[{self.space()}{dotted}{self.space()}]{self.comment()}")
                self.table(sub, names, value)
                continue
            self.values.setdefault(sub, "[[")
            for index, element in enumerate(value):
                self.keys.setdefault((*sub, index), written)
                self.values.setdefault((*sub, index), "[[")
                self.emit(f"[[{self.space()}{dotted}{self.space()}]]{self.comment()}")
                self.table((*sub, index), names, element)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # must be escaped in basic strings
_ML_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # not allowed in ''' strings

_finite_scalars = _scalars.filter(lambda v: v == v)  # no NaN, so documents compare equal
_varied_documents: st.SearchStrategy[dict[str, Any]] = st.recursive(
    _tables(st.one_of(_finite_scalars, _arrays.filter(lambda v: v == v))),
    lambda children: _tables(
        st.one_of(
            _finite_scalars,
            children,
            st.lists(children, min_size=1, max_size=3),
            st.lists(st.one_of(children, _finite_scalars), max_size=3),
        )
    ),
    max_leaves=25,
)


def _rest(text: str, pos: Pos | None) -> str:
    assert pos is not None
    return text[_offset(text, pos) :]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_varied_documents, rng=st.randoms(use_true_random=False), crlf=st.booleans())
def test_round_trip_varied_writer(doc: dict[str, Any], rng: random.Random, crlf: bool) -> None:
    writer = _Writer(rng)
    writer.table((), [], doc)
    text = "\n".join(writer.lines) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    data = tomllib.loads(text)
    assert data == tomllib.loads(tomli_w.dumps(doc)), text
    assert {path for path, _ in _paths(data)} == set(writer.keys)
    positions = locate(text)
    newline = "\r\n" if crlf else "\n"
    for path, written in writer.keys.items():
        expected = written.replace("\n", newline)
        assert _rest(text, positions.key(path)).startswith(expected), (path, text)
    for path, token in writer.values.items():
        pos = positions.value(path)
        if token is None:
            assert pos is None, (path, text)
        else:
            assert _rest(text, pos).startswith(token.replace("\n", newline)), (path, text)


# ------------------------------------------------------------------------------ speed


def test_a_thousand_line_file_is_located() -> None:
    blocks = []
    for i in range(100):
        blocks.append(
            f"[bodies.b{i}]\n"
            f'name = "Body {i} with \\"quotes\\" and ñ"\n'
            f'quorum = {{ fraction = "1/2", min = {{ resident = {i} }} }}\n'
            f"classes = [\n  'a',  # first\n  'b',\n]\n"
            f"since = 2024-01-{i % 28 + 1:02d}\n"
            f'notes = """\nline one\nline two"""\n'
        )
    text = "".join(blocks)
    assert 900 <= text.count("\n") <= 1100
    tomllib.loads(text)
    assert locate(text).key(("bodies", "b99", "quorum", "min", "resident")) is not None
