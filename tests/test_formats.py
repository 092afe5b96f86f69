"""Output formats of `bylaws check`: text, JSON, GitHub annotations, SARIF, summary line."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from comunidad_cli.core.bylaws.codes import CODES
from comunidad_cli.core.findings import Finding, Severity
from comunidad_cli.core.messages import Msg
from comunidad_cli.formats import (
    format_github,
    format_json,
    format_sarif,
    format_text,
    key_path,
    summary_line,
)

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def same(text: str) -> str:
    return text


def shout(text: str) -> str:
    """A fake translation that makes it visible which strings went through `translate`."""
    return re.sub(r"\{[^}]*\}|[^{]+", lambda m: m[0] if m[0][0] == "{" else m[0].upper(), text)


ngettext = gettext.NullTranslations().ngettext


def finding(
    code: str,
    file: str,
    line: int,
    col: int,
    text: str,
    *,
    path: tuple[str | int, ...] = (),
    **params: Any,
) -> Finding:
    severity = CODES[code].severity
    return Finding(code, severity, Msg.of(text, **params), path).located(file, line, col)


FINDINGS = [
    finding(
        "BL101",
        "bylaws/a.toml",
        1,
        1,
        'Missing required key "{key}"',
        path=("bylaws",),
        key="name",
    ),
    finding(
        "BL307",
        "bylaws/a.toml",
        12,
        3,
        'Body "{id}" has no quorum',
        path=("bodies", "board"),
        id="board",
    ),
    finding("BL102", "bylaws/b.toml", 4, 10, "Unknown key", path=("bodies", "x.y", "seats", 2)),
]


# --- text ----------------------------------------------------------------------------------


def test_text_lines_exact() -> None:
    assert format_text(FINDINGS, same) == (
        'bylaws/a.toml:1:1: BL101 [error] Missing required key "name"\n'
        'bylaws/a.toml:12:3: BL307 [warning] Body "board" has no quorum\n'
        "bylaws/b.toml:4:10: BL102 [error] Unknown key\n"
    )


def test_text_empty() -> None:
    assert format_text([], same) == ""


def test_text_translates_message_and_severity_word() -> None:
    line = format_text(FINDINGS[:1], shout)
    assert line == 'bylaws/a.toml:1:1: BL101 [ERROR] MISSING REQUIRED KEY "name"\n'


# --- JSON ----------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    doc = json.loads(format_json(FINDINGS, same, files_checked=5))
    assert doc["version"] == 1
    assert doc["files_checked"] == 5
    assert doc["summary"] == {"error": 2, "warning": 1}
    assert [f["code"] for f in doc["findings"]] == ["BL101", "BL307", "BL102"]
    first = doc["findings"][0]
    assert first == {
        "code": "BL101",
        "severity": "error",
        "message": 'Missing required key "name"',
        "file": "bylaws/a.toml",
        "line": 1,
        "column": 1,
        "path": "bylaws",
        "title": "Missing required key",
    }
    assert doc["findings"][1]["severity"] == "warning"
    assert doc["findings"][1]["path"] == "bodies.board"
    assert doc["findings"][2]["path"] == 'bodies."x.y".seats[2]'


def test_json_empty_and_non_ascii() -> None:
    text = format_json([], same, files_checked=0)
    assert json.loads(text) == {
        "version": 1,
        "files_checked": 0,
        "summary": {"error": 0, "warning": 0},
        "findings": [],
    }
    f = finding("BL102", "estatutos/año.toml", 2, 1, "Clave «{key}» desconocida", key="ñandú")
    text = format_json([f], same, files_checked=1)
    assert "año.toml" in text and "«ñandú»" in text  # ensure_ascii=False
    assert '\n  "version": 1,' in text  # indented 2
    assert json.loads(text)["findings"][0]["message"] == "Clave «ñandú» desconocida"


def test_json_translates_title_and_message_only() -> None:
    doc = json.loads(format_json(FINDINGS[:1], shout, files_checked=1))
    f = doc["findings"][0]
    assert f["title"] == "MISSING REQUIRED KEY"
    assert f["message"] == 'MISSING REQUIRED KEY "name"'
    assert f["severity"] == "error"
    assert f["code"] == "BL101"


def test_key_path() -> None:
    assert key_path(()) == ""
    assert key_path(("bodies", "nlg", "quorum")) == "bodies.nlg.quorum"
    assert key_path(("a b", 0, "c")) == '"a b"[0].c'


# --- GitHub --------------------------------------------------------------------------------


def test_github_plain() -> None:
    assert format_github(FINDINGS, same) == (
        "::error file=bylaws/a.toml,line=1,col=1,title=BL101::Missing required key"
        ' "name"\n'
        "::warning file=bylaws/a.toml,line=12,col=3,title=BL307::Body"
        ' "board" has no quorum\n'
        "::error file=bylaws/b.toml,line=4,col=10,title=BL102::Unknown key\n"
    )


def test_github_escapes_message_as_data() -> None:
    f = finding("BL102", "x.toml", 1, 2, "100% sure: a,b\r\nnext line\nend")
    assert format_github([f], same) == (
        "::error file=x.toml,line=1,col=2,title=BL102::100%25 sure: a,b%0D%0Anext line%0Aend\n"
    )


def test_github_escapes_file_as_property() -> None:
    f = finding("BL307", "dir/a,b:c%.toml", 3, 4, "x")
    assert format_github([f], same) == (
        "::warning file=dir/a%2Cb%3Ac%25.toml,line=3,col=4,title=BL307::x\n"
    )
    f = finding("BL307", "new\nline\r.toml", 3, 4, "x")
    assert "file=new%0Aline%0D.toml," in format_github([f], same)


def test_github_one_line_per_finding_whatever_the_text() -> None:
    nasty = finding("BL101", "a\n::b.toml", 1, 1, "line\n::error::injected")
    out = format_github([nasty, *FINDINGS], same)
    assert out.count("\n") == 4
    assert all(line.startswith(("::error ", "::warning ")) for line in out.splitlines())


def test_github_empty() -> None:
    assert format_github([], same) == ""


# --- SARIF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator  # what the schema's "$schema" names
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif(findings: list[Finding], files: list[str], translate: Any = same) -> Any:
    return json.loads(format_sarif(findings, translate, tool_version="0.1.0", files=files))


def test_sarif_validates(sarif_validator: Any) -> None:
    log = sarif(FINDINGS, ["bylaws/a.toml", "bylaws/b.toml", "bylaws/c.toml"])
    sarif_validator.validate(log)
    assert log["version"] == "2.1.0"
    assert "$schema" in log
    assert len(log["runs"]) == 1


def test_sarif_validates_when_empty(sarif_validator: Any) -> None:
    log = sarif([], [])
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == []


def test_sarif_validation_is_real(sarif_validator: Any) -> None:
    log = sarif(FINDINGS, ["bylaws/a.toml"])
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator.validate(log)


def test_sarif_rules_are_every_code() -> None:
    driver = sarif([], [], shout)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "comunidad"
    assert driver["version"] == "0.1.0"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    by_id = {r["id"]: r for r in rules}
    assert by_id["BL101"]["name"] == "MissingRequiredKey"
    assert by_id["BL101"]["shortDescription"]["text"] == "MISSING REQUIRED KEY"
    assert by_id["BL101"]["defaultConfiguration"]["level"] == "error"
    assert by_id["BL307"]["defaultConfiguration"]["level"] == "warning"
    names = [r["name"] for r in rules]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9]+", n) for n in names)


def test_sarif_results() -> None:
    run = sarif(FINDINGS, ["bylaws/a.toml", "bylaws/b.toml"])["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["BL101", "BL307", "BL102"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    second = results[1]
    assert second["level"] == "warning"
    assert second["message"]["text"] == 'Body "board" has no quorum'
    physical = second["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "bylaws/a.toml"
    assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert physical["region"] == {"startLine": 12, "startColumn": 3}
    artifacts = run["artifacts"]
    assert [a["location"]["uri"] for a in artifacts] == ["bylaws/a.toml", "bylaws/b.toml"]
    assert all(a["location"]["uriBaseId"] == "%SRCROOT%" for a in artifacts)
    index = physical["artifactLocation"]["index"]
    assert artifacts[index]["location"]["uri"] == "bylaws/a.toml"


# RFC 3986: unreserved, sub-delims, ":" "@" "/" and percent-encodings only.
URI_REFERENCE_PATH = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")


def test_sarif_uris_are_relative_and_encoded(sarif_validator: Any) -> None:
    files = ["estatutos/año 2024.toml", "a,b:c%.toml", "x#y?.toml", "./sub//z.toml"]
    located = [finding("BL102", file, 1, 1, "Unknown key") for file in files]
    log = sarif(located, files)
    sarif_validator.validate(log)
    uris = [a["location"]["uri"] for a in log["runs"][0]["artifacts"]]
    assert uris == [
        "estatutos/a%C3%B1o%202024.toml",
        "a%2Cb%3Ac%25.toml",
        "x%23y%3F.toml",
        "sub/z.toml",
    ]
    for uri in uris:
        assert URI_REFERENCE_PATH.match(uri), uri
        first_segment = uri.split("/")[0]
        assert ":" not in first_segment  # would read as a scheme
    results = log["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == (
        uris
    )


def test_sarif_adds_artifacts_for_unlisted_files(sarif_validator: Any) -> None:
    log = sarif(FINDINGS, [])
    sarif_validator.validate(log)
    run = log["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["bylaws/a.toml", "bylaws/b.toml"]


# --- summary -------------------------------------------------------------------------------


def test_summary_both() -> None:
    line = summary_line(FINDINGS, 5, same, ngettext)
    assert line == "2 errors and 1 warning in 2 of 5 files"


def test_summary_plurals() -> None:
    one_error = FINDINGS[:1]
    assert summary_line(one_error, 1, same, ngettext) == "1 error in 1 of 1 file"
    assert summary_line(one_error, 3, same, ngettext) == "1 error in 1 of 3 files"
    warnings = [FINDINGS[1], FINDINGS[1]]
    assert summary_line(warnings, 2, same, ngettext) == "2 warnings in 1 of 2 files"
    assert summary_line([], 1, same, ngettext) == "No problems in 1 file"
    assert summary_line([], 7, same, ngettext) == "No problems in 7 files"


def test_summary_uses_ngettext_and_number_formatting() -> None:
    calls: list[tuple[str, str, int]] = []

    def fake_ngettext(singular: str, plural: str, n: int) -> str:
        calls.append((singular, plural, n))
        return ("[1] " if n == 1 else "[n] ") + (singular if n == 1 else plural)

    many = [FINDINGS[0]] * 1200
    line = summary_line(many, 2000, same, fake_ngettext, number=lambda n: f"{n:,}")
    assert line == "[n] 1,200 errors [n] in 1 of 2,000 files"
    assert ("{count} error", "{count} errors", 1200) in calls
    assert ("in {files} of {total} file", "in {files} of {total} files", 2000) in calls


def test_summary_template_is_translated() -> None:
    line = summary_line(FINDINGS, 5, lambda s: s.replace(" and ", " y "), ngettext)
    assert line == "2 errors y 1 warning in 2 of 5 files"


def test_severity_covers_all() -> None:
    assert {s.value for s in Severity} == {"error", "warning"}
