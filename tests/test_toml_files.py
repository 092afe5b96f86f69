"""The one guard a user's TOML file passes before it is parsed (`services/toml_files.py`
`guarded`, `file_bytes`): indicator files, round files and capacity instruments, fed the same
bad bytes, stop at the same place with their own code and words, in the same order of checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from comunidad_cli.core.findings import Finding
from comunidad_cli.services.capacity import instruments
from comunidad_cli.services.funds import round_files
from comunidad_cli.services.outcomes import files as indicator_files
from comunidad_cli.services.toml_files import FileGuard, file_bytes, guarded

DEEP = b"x = " + b"[" * 200 + b"]" * 200 + b"\n"
BIG = b"# " + b"a" * (1024 * 1024) + b"\n"

#: (what the file is, its bytes, where the finding is): in the guard's order, each file
#: also failing every later check (too large and binary and not UTF-8, ...).
BAD = [
    ("too large", BIG + b"\x00\xff", "1:1"),
    ("binary", b"schema = 1\n\x00 \xff\n", "2:1"),
    ("not UTF-8", b"schema = 1\n# caf\xe9 [\n", "2:6"),
    ("empty", b"\xef\xbb\xbf  \n\t\n", "1:1"),
    ("too deep", b"schema = 1\n" + DEEP, "2:"),
    ("not TOML", b'schema = 1\nid = "a" b\n', "2:10"),
]

#: Per format: its checker and its code for each of BAD (instruments have no binary check of
#: their own, as before the guard was shared: a NUL byte is valid UTF-8, so the binary file's
#: bad byte after it is what they report).
FORMATS: dict[str, tuple[Callable[[bytes, str], Any], dict[str, str]]] = {
    "indicators": (
        indicator_files.check_bytes,
        {
            "too large": "OC004",
            "binary": "OC005",
            "not UTF-8": "OC002",
            "empty": "OC003",
            "too deep": "OC006",
            "not TOML": "OC001",
        },
    ),
    "round": (
        round_files.check_bytes,
        {
            "too large": "FD004",
            "binary": "FD005",
            "not UTF-8": "FD002",
            "empty": "FD003",
            "too deep": "FD006",
            "not TOML": "FD001",
        },
    ),
    "instrument": (
        instruments.check_bytes,
        {
            "too large": "CI004",
            "binary": "CI002",
            "not UTF-8": "CI002",
            "empty": "CI003",
            "too deep": "CI005",
            "not TOML": "CI001",
        },
    ),
}


@pytest.mark.parametrize("kind", list(FORMATS))
@pytest.mark.parametrize(("what", "data", "where"), BAD, ids=[b[0] for b in BAD])
def test_each_format_stops_a_bad_file_at_the_same_check(
    kind: str, what: str, data: bytes, where: str
) -> None:
    check, codes = FORMATS[kind]
    result = check(data, "f.toml")
    assert len(result.findings) == 1, result.findings
    finding = result.findings[0]
    assert finding.code == codes[what]
    if (kind, what) == ("instrument", "binary"):
        where = "2:3"  # the \xff after the NUL byte
    assert f"{finding.line}:{finding.col}".startswith(where)
    assert finding.file == "f.toml"


def _make(code: str, file: str, text: str, line: int = 1, col: int = 1, **params: Any) -> Finding:
    from comunidad_cli.core.findings import Severity
    from comunidad_cli.core.messages import Msg

    return Finding(code, Severity.ERROR, Msg.of(text, **params)).located(file, line, col)


GUARD = FileGuard(
    make=_make,
    too_large="X4",
    too_large_text="{size} > {limit}",
    binary="X5",
    binary_text="binary",
    not_utf8="X2",
    empty="X3",
    empty_text="empty",
    too_deep="X6",
    syntax="X1",
    max_bytes=12,
)


def test_the_guard_gives_the_text_without_its_bom_and_the_document() -> None:
    assert guarded(GUARD, b'\xef\xbb\xbfa = "b"\n', "f") == ('a = "b"\n', {"a": "b"})


def test_the_guard_measures_the_bytes_against_its_limit() -> None:
    found = guarded(GUARD, b"a = 12345678\n", "f")
    assert isinstance(found, Finding)
    assert (found.code, found.message.params) == ("X4", {"size": 13, "limit": 12})
    assert guarded(GUARD, b"a = 1234567\n", "f") == ("a = 1234567\n", {"a": 1234567})


def test_file_bytes_names_a_broken_link_and_refuses_an_unreadable_file(tmp_path: Path) -> None:
    from comunidad_cli.core.messages import Msg
    from comunidad_cli.services.errors import ServiceError

    (tmp_path / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    assert isinstance(file_bytes(tmp_path / "gone.toml", "gone.toml"), Msg)
    with pytest.raises(ServiceError) as refused:
        file_bytes(tmp_path, "a folder")
    assert refused.value.exit_code == 2
    assert refused.value.msg.params["path"] == "a folder"


def test_a_starting_file_is_never_written_over_a_file_or_a_link(tmp_path: Path) -> None:
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.services.toml_files import write_starting_file

    written = write_starting_file(tmp_path / "new" / "a.toml", "schema = 1\n")
    assert written.read_text(encoding="utf-8") == "schema = 1\n"
    assert [p.name for p in written.parent.iterdir()] == ["a.toml"]  # no temporary left
    (tmp_path / "link.toml").symlink_to(tmp_path / "nowhere.toml")
    for taken in (written, tmp_path / "link.toml"):
        with pytest.raises(ServiceError) as refused:
            write_starting_file(taken, "x = 1\n")
        assert refused.value.msg.text.startswith("{path} already exists")
    assert written.read_text(encoding="utf-8") == "schema = 1\n"
    assert not (tmp_path / "nowhere.toml").exists()
