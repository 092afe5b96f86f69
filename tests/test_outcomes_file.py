"""The indicators file (`outcomes/*.toml`): `comunidad outcome new` and `comunidad outcome
check`, every OC code at its line and column, all at once, in every format and language;
the shipped Family to Family set passes --strict."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import ok, run, write

BASE = """schema = 1

[indicators.reunificacion]
name = { es = "Reunificados", en = "Reunified", ca = "Reunificats" }
direction = "higher"
measure = "percentage"
numerator = { es = "n", en = "n", ca = "n" }
denominator = { es = "d", en = "d", ca = "d" }
dimensions = ["gender", "age_group", "neighbourhood"]
partial = ["neighbourhood"]
baseline = { period = "2024", value = "48" }
target = { period = "2027", value = "60" }
links = { priorities = ["reunificacion"] }
"""

#: (code, text of BASE, replaced by, line:col, message): BASE with one mistake.
ONE_MISTAKE = [
    (
        "OC101",
        'direction = "higher"\n',
        "",
        "3:13",
        'missing required key "direction" in indicators.reunificacion',
    ),
    (
        "OC102",
        'measure = "percentage"\n',
        'measure = "percentage"\nmesure = 1\n',
        "7:1",
        'unknown key "mesure" in indicators.reunificacion; did you mean "measure"?',
    ),
    (
        "OC103",
        'dimensions = ["gender", "age_group", "neighbourhood"]',
        'dimensions = "gender"',
        "9:14",
        '"indicators.reunificacion.dimensions" must be a list, found a string',
    ),
    ("OC104", "schema = 1", "schema = 2", "1:10", "unsupported schema version 2"),
    (
        "OC105",
        "[indicators.reunificacion]",
        "[indicators.Reunificacion]",
        "3:1",
        '"Reunificacion" is not a valid id',
    ),
    (
        "OC106",
        'measure = "percentage"',
        'measure = "ratio"',
        "6:11",
        '"ratio" is not allowed for indicators.reunificacion.measure: choose from'
        " percentage, per_1000, count, median_days",
    ),
    (
        "OC107",
        'numerator = { es = "n"',
        'numerator = { es = " "',
        "7:20",
        '"indicators.reunificacion.numerator.es" must not be empty',
    ),
    (
        "OC108",
        ', ca = "Reunificats" }',
        " }",
        "4:1",
        "indicators.reunificacion.name has no translation in ca",
    ),
    (
        "OC109",
        'value = "48"',
        "value = 48.5",
        "11:39",
        'is written as a float (48.5), which is not exact: write it as a string, e.g. "48.5"',
    ),
    (
        "OC111",
        BASE[BASE.index("[indicators") :],
        "",
        "1:1",
        "the file has no indicators",
    ),
    ("OC201", 'period = "2024"', 'period = "2024-Q5"', "11:23", '"2024-Q5" is not a period'),
    (
        "OC202",
        'value = "60"',
        'value = "160"',
        "12:37",
        "160 is not a possible value of a percentage indicator (0-100)",
    ),
    (
        "OC203",
        'period = "2027"',
        'period = "2023"',
        "12:21",
        "the target's period 2023 is not after the baseline's 2024",
    ),
    (
        "OC204",
        'value = "60"',
        'value = "40"',
        "12:37",
        "the target 40 is no better than the baseline 48 for an indicator where higher is better",
    ),
    (
        "OC301",
        '"age_group", "neighbourhood"]',
        '"age_group", "neighbourhood", "gender"]',
        "9:55",
        'dimension "gender" is listed twice',
    ),
    (
        "OC302",
        '"age_group", "neighbourhood"]',
        '"age_group", "neighbourhood", "total"]',
        "9:55",
        '"total" is not a dimension',
    ),
    (
        "OC303",
        'partial = ["neighbourhood"]',
        'partial = ["barrio"]',
        "10:12",
        '"barrio" is not one of the dimensions (gender, age_group, neighbourhood)',
    ),
    (
        "OC304",
        'links = { priorities = ["reunificacion"] }\n',
        "",
        "3:13",
        "indicator reunificacion is linked to nothing",
    ),
]


def test_the_base_file_is_clean(in_tmp: Path) -> None:
    write(in_tmp, "base.toml", BASE)
    assert run("outcome", "check", "base.toml", "--strict") == (0, "", "")


@pytest.mark.parametrize(
    ("code", "old", "new", "where", "message"), ONE_MISTAKE, ids=[c[0] for c in ONE_MISTAKE]
)
def test_each_code_at_its_line_and_column(
    in_tmp: Path, code: str, old: str, new: str, where: str, message: str
) -> None:
    assert old in BASE
    write(in_tmp, "f.toml", BASE.replace(old, new, 1))
    status, out, _err = run("outcome", "check", "f.toml", "--strict")
    assert status == 1
    line = next(line for line in out.splitlines() if f" {code} " in line)
    assert line.startswith(f"f.toml:{where}: {code} ")
    assert message in line


def test_every_mistake_at_once(in_tmp: Path) -> None:
    text = BASE
    for _code, old, new, _where, _message in ONE_MISTAKE:
        if _code in ("OC104", "OC111", "OC105", "OC101", "OC304"):
            continue
        if old in text:
            text = text.replace(old, new, 1)
    write(in_tmp, "f.toml", text)
    status, out, _err = run("outcome", "check", "f.toml")
    assert status == 1
    codes = {line.split()[1] for line in out.splitlines() if line.startswith("f.toml:")}
    assert {"OC102", "OC106", "OC107", "OC108", "OC109", "OC201"} <= codes


@pytest.mark.parametrize(
    ("code", "content"),
    [
        ("OC001", b"schema = 1\n[indicators.x\n"),
        ("OC002", b"schema = 1\n# caf\xe9\n"),
        ("OC003", b"  \n"),
        ("OC005", b"schema = 1\n\x00"),
        ("OC006", b"schema = 1\nx = " + b"[" * 200 + b"]" * 200 + b"\n"),
    ],
)
def test_what_a_file_can_be_instead_of_toml(in_tmp: Path, code: str, content: bytes) -> None:
    (in_tmp / "f.toml").write_bytes(content)
    status, out, err = run("outcome", "check", "f.toml")
    assert status == 1 and "Traceback" not in err
    assert f" {code} " in out


def test_a_huge_file_and_a_broken_link(in_tmp: Path) -> None:
    (in_tmp / "big.toml").write_bytes(b"#" * (1024 * 1024 + 1))
    status, out, _err = run("outcome", "check", "big.toml")
    assert status == 1 and "big.toml:1:1: OC004 " in out
    os.symlink(in_tmp / "gone.toml", in_tmp / "link.toml")
    status, out, err = run("outcome", "check", "link.toml")
    assert status == 2 and "broken symbolic link" in err and "Traceback" not in err


def test_an_indicator_in_two_files(in_tmp: Path) -> None:
    folder = in_tmp / "outcomes"
    folder.mkdir()
    write(folder, "a.toml", BASE)
    write(folder, "b.toml", BASE)
    status, out, _err = run("outcome", "check", "outcomes")
    assert status == 1
    assert "b.toml:1:1: OC110 " in out and "also defined in" in out and "a.toml" in out


@pytest.mark.parametrize("output_format", ["json", "github", "sarif"])
def test_the_formats(in_tmp: Path, output_format: str) -> None:
    write(in_tmp, "f.toml", BASE.replace('measure = "percentage"', 'measure = "ratio"'))
    status, out, _err = run("outcome", "check", "f.toml", "--format", output_format)
    assert status == 1
    if output_format == "github":
        assert out.startswith("::error file=f.toml,line=6,col=11")
    else:
        data = json.loads(out)
        text = json.dumps(data)
        assert "OC106" in text


def test_findings_in_spanish_and_catalan(in_tmp: Path) -> None:
    write(in_tmp, "f.toml", BASE.replace('period = "2024"', 'period = "2024-Q5"'))
    _status, out, _err = run("outcome", "check", "f.toml", "--locale", "es")
    assert "no es un periodo" in out
    _status, out, _err = run("outcome", "check", "f.toml", "--locale", "ca")
    assert "no és un període" in out


def test_new_writes_the_family_to_family_set_that_passes_strict(in_tmp: Path) -> None:
    ok("init", "ws")
    os.chdir(in_tmp / "ws")
    out = run("outcome", "new")
    assert out[0] == 0
    written = in_tmp / "ws" / "outcomes" / "familia-a-familia.toml"
    assert written.is_file()
    assert run("outcome", "check", "--strict") == (0, "", "")
    text = written.read_text(encoding="utf-8")
    for words in ("Children reunified", "Niños reunificados", "Infants reunificats"):
        assert words in text
    assert text.count("[indicators.") == 8
    status, _out, err = run("outcome", "new")
    assert status == 1 and "already exists" in err
    assert ok("outcome", "new", "-o", "-") == text


def test_check_without_a_folder_is_a_usage_error(in_tmp: Path) -> None:
    status, _out, err = run("outcome", "check")
    assert status == 2 and "no outcomes/ folder" in err
