"""`comunidad bylaws ...` as a user and a CI job run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from comunidad_cli.cli.app import app
from tests.conftest import ROOT, subprocess_env
from tests.helpers import run

DATA = ROOT / "tests" / "data"
BROKEN = DATA / "broken" / "many-errors.toml"


def test_examples_are_clean_and_check_is_silent() -> None:
    code, out, err = run("bylaws", "check", str(ROOT / "bylaws"), "--strict")
    assert (code, out, err) == (0, "", "")


def test_verbose_says_so_when_clean() -> None:
    code, _, err = run("bylaws", "check", str(ROOT / "bylaws"), "--verbose")
    assert code == 0
    assert "No problems in 3 files" in err


def test_every_finding_of_a_broken_file_at_its_line_and_column() -> None:
    code, out, err = run("bylaws", "check", str(BROKEN))
    assert code == 1
    got = [
        line.split(" [")[0].replace(str(BROKEN), "tests/data/broken/many-errors.toml")
        for line in out.splitlines()
    ]
    expected = (DATA / "broken" / "many-errors.expected").read_text().splitlines()
    assert got == expected
    assert "15 errors and 3 warnings in 1 of 1 file" in err


def test_findings_are_sorted_across_files(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text("schema = 1\nid = 'b'\n")
    (tmp_path / "a.toml").write_text("schema = [\n")
    code, out, _ = run("bylaws", "check", str(tmp_path))
    assert code == 1
    files = [line.split(":")[0] for line in out.splitlines()]
    assert files == sorted(files)
    assert files[0].endswith("a.toml") and files[-1].endswith("b.toml")


@pytest.mark.parametrize(
    ("content", "code", "where"),
    [
        (b'schema = 1\nname = "caf\xe9"\n', "BL002", ":2:"),
        (b"", "BL003", ":1:1:"),
        (b"  \n\n", "BL003", ":1:1:"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "BL005", ":"),
        (b'schema = 1\nid = "x"\nname = \n', "BL001", ":3:8:"),
        (b'schema = 3\nid = "x"\n', "BL104", ":1:10:"),
    ],
    ids=["not-utf8", "empty", "blank", "binary", "syntax", "schema-version"],
)
def test_unusable_files_get_a_clear_finding(
    tmp_path: Path, content: bytes, code: str, where: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    status, out, _ = run("bylaws", "check", str(path))
    assert status == 1
    assert f"{code} [error]" in out
    assert where in out
    assert "Traceback" not in out


def test_a_ten_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# x\n" * (10 * 1024 * 1024 // 4))
    status, out, _ = run("bylaws", "check", str(path))
    assert status == 1
    assert "BL004" in out and "10.0 MiB" in out


def test_a_thousand_files_are_all_checked(tmp_path: Path) -> None:
    text = (ROOT / "bylaws" / "best-start-partnership.toml").read_text(encoding="utf-8")
    for n in range(1000):
        (tmp_path / f"b{n:04}.toml").write_text(
            text if n != 500 else "schema = 1\n", encoding="utf-8"
        )
    status, out, err = run("bylaws", "check", str(tmp_path))
    assert status == 1
    assert all("b0500.toml" in line for line in out.splitlines())
    assert "of 1,000 files" in err


def test_missing_path_is_a_usage_error() -> None:
    status, _, err = run("bylaws", "check", "no/such/folder")
    assert status == 2
    assert "no such file or directory: no/such/folder" in err


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    text = (ROOT / "bylaws" / "best-start-partnership.toml").read_text(encoding="utf-8")
    # Dropping the conflict resolution section leaves a warning (BL407), not an error.
    start = text.index("[conflict_resolution]")
    path = tmp_path / "warn.toml"
    path.write_text(text[:start], encoding="utf-8")
    status, out, _ = run("bylaws", "check", str(path))
    assert status == 0 and "BL407 [warning]" in out
    status, _, _ = run("bylaws", "check", str(path), "--strict")
    assert status == 1


def test_json_format() -> None:
    status, out, _ = run("bylaws", "check", str(BROKEN), "--format", "json")
    assert status == 1
    document = json.loads(out)
    assert document["summary"] == {"error": 15, "warning": 3}
    assert document["files_checked"] == 1
    assert {"code", "severity", "message", "file", "line", "column"} <= set(document["findings"][0])


def test_github_format_is_chosen_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status, out, _ = run("bylaws", "check", str(BROKEN))
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 18
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines)


def test_sarif_format_validates() -> None:
    status, out, _ = run("bylaws", "check", str(BROKEN), "--format", "sarif")
    assert status == 1
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(json.loads(out))


def test_unknown_format_is_a_usage_error() -> None:
    status, _, _ = run("bylaws", "check", str(BROKEN), "--format", "xml")
    assert status == 2


def test_schema_is_a_valid_draft7_schema_that_accepts_the_examples() -> None:
    import tomllib

    status, out, _ = run("bylaws", "schema")
    assert status == 0
    schema = json.loads(out)
    jsonschema.Draft7Validator.check_schema(schema)
    for path in sorted((ROOT / "bylaws").glob("*.toml")):
        document = json.loads(
            json.dumps(tomllib.loads(path.read_text(encoding="utf-8")), default=str)
        )
        jsonschema.Draft7Validator(schema).validate(document)


def test_show_markdown_in_spanish() -> None:
    status, out, _ = run(
        "--locale",
        "es",
        "bylaws",
        "show",
        str(ROOT / "bylaws" / "directorio-local.toml"),
        "--format",
        "markdown",
    )
    assert status == 0, out
    assert out.startswith("# ")
    assert "## Órganos" in out
    assert "Quórum" in out


def test_show_json_keeps_fractions_exact() -> None:
    status, out, _ = run(
        "bylaws", "show", str(ROOT / "bylaws" / "best-start-partnership.toml"), "--format", "json"
    )
    assert status == 0
    document = json.loads(out)
    thresholds = {rule["threshold"] for rule in document["rules"].values()}
    assert "2/3" in thresholds
    assert len(document["sha256"]) == 64


def test_show_refuses_a_file_with_errors() -> None:
    status, _, err = run("bylaws", "show", str(BROKEN))
    assert status == 1
    assert 'run "comunidad bylaws check' in err


def test_show_by_id_inside_a_workspace(in_tmp: Path) -> None:
    (in_tmp / "comunidad.toml").write_text('name = "t"\nlocale = "en"\n')
    (in_tmp / "bylaws").mkdir()
    source = (ROOT / "bylaws" / "xarxa-infancia-sants.toml").read_text(encoding="utf-8")
    (in_tmp / "bylaws" / "x.toml").write_text(source, encoding="utf-8")
    import tomllib

    bylaws_id = tomllib.loads(source)["id"]
    status, _out, _ = run("bylaws", "show", bylaws_id, "--format", "markdown")
    assert status == 0
    status, _, err = run("bylaws", "show", "nope")
    assert status == 1 and 'no by-laws with id "nope"' in err


def test_diff_describes_the_amendment_in_words(tmp_path: Path) -> None:
    source = (ROOT / "bylaws" / "best-start-partnership.toml").read_text(encoding="utf-8")
    import tomllib

    import tomli_w

    data = tomllib.loads(source)
    _body_id, body = next(iter(data["bodies"].items()))
    body["quorum"] = {"fraction": "2/3"}
    data["rules"]["majority"]["threshold"] = "3/5"
    amended = tmp_path / "amended.toml"
    amended.write_text(tomli_w.dumps(data), encoding="utf-8")
    status, out, _ = run(
        "bylaws", "diff", str(ROOT / "bylaws" / "best-start-partnership.toml"), str(amended)
    )
    assert status == 0
    assert f'~ quorum of "{body["name"]}":' in out
    assert "-> at least 2/3 of voting members" in out
    assert 'rule "majority": more than 1/2 of votes cast -> more than 3/5 of votes cast' in out
    status, out, _ = run("bylaws", "diff", str(amended), str(amended), "--format", "json")
    assert status == 0 and json.loads(out) == []


def test_new_writes_a_clean_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    for template in ("partnership", "directorio", "xarxa"):
        target.unlink(missing_ok=True)
        status, _, _ = run("bylaws", "new", "--template", template, "--output", str(target))
        assert status == 0
        assert run("bylaws", "check", str(target), "--strict")[0] == 0
    status, _, err = run("bylaws", "new", "--template", "xarxa", "--output", str(target))
    assert status == 1 and "already exists" in err
    status, _, _ = run("bylaws", "new", "--template", "nope", "--output", str(tmp_path / "y.toml"))
    assert status == 2


def _all_commands(group: object = None, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path, building the lazy groups as a user's invocation would."""
    import typer
    import typer.main

    click_group = typer.main.get_command(app) if group is None else group
    ctx = typer.Context(click_group)  # type: ignore[arg-type]
    found = []
    for name in click_group.list_commands(ctx):  # type: ignore[attr-defined]
        command = click_group.get_command(ctx, name)  # type: ignore[attr-defined]
        found.append((*prefix, name))
        if hasattr(command, "list_commands"):
            found += _all_commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("command", _all_commands(), ids=" ".join)
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    status, out, _ = run(*command, "--help")
    assert status == 0
    assert "Usage: " in out
    assert "--install-completion" not in out  # sub-apps are built as their own roots
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) >= 3


def test_version() -> None:
    from comunidad_cli import __version__

    assert run("--version")[1].strip() == f"comunidad {__version__}"


def test_catalan_show_through_the_real_entry_point() -> None:
    """LANG picks the language for help and output, with Catalan dates (a subprocess, as a user)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "comunidad_cli",
            "bylaws",
            "show",
            "bylaws/best-start-partnership.toml",
            "--format",
            "markdown",
        ],
        cwd=ROOT,
        env=subprocess_env(LANG="ca_ES.UTF-8"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "## Òrgans" in result.stdout
    assert "aprovats" in result.stdout
    assert any(
        month in result.stdout
        for month in ("de gener", "de juny", "de setembre", "d'octubre", "de maig", "de març")
    )
    help_result = subprocess.run(
        [sys.executable, "-m", "comunidad_cli", "bylaws", "--help"],
        env=subprocess_env(LANG="ca_ES.UTF-8"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Estatuts" in help_result.stdout


def test_json_flag_is_format_json() -> None:
    status, out, _ = run("bylaws", "check", str(BROKEN), "--json")
    assert status == 1 and json.loads(out)["summary"]["error"] == 15
    status, out, _ = run(
        "bylaws", "show", str(ROOT / "bylaws" / "xarxa-infancia-sants.toml"), "--json"
    )
    assert status == 0 and json.loads(out)["id"] == "xarxa-infancia-sants"
    status, _, err = run("bylaws", "check", str(BROKEN), "--json", "--format", "sarif")
    assert status == 2 and "contradict" in err
