"""The README is part of the product: it must document every command and every lint code,
and open with the two commands that CI runs (sqlite-utils style)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comunidad_cli.core.bylaws.codes import CODES
from tests.conftest import ROOT
from tests.test_cli_bylaws import _all_commands

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_lint_code_is_in_the_readme_table(code: str) -> None:
    row = re.search(rf"^\| {code} \| (error|warning) \|", README, re.MULTILINE)
    assert row is not None, f"{code} is missing from the README table"
    assert row.group(1) == CODES[code].severity.value


def test_the_readme_lists_no_code_that_does_not_exist() -> None:
    assert set(re.findall(r"^\| (BL\d{3}) \|", README, re.MULTILINE)) == set(CODES)


@pytest.mark.parametrize(
    "command",
    [
        c
        for c in _all_commands()
        if len(c) > 1 or c[0] in ("init", "demo", "import", "summary", "spend-down")
    ],
    ids=" ".join,
)
def test_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    assert f"comunidad {' '.join(command)}" in README


def test_the_readme_opens_with_the_demo_and_the_test_command_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    demo, tests = blocks[0].strip().splitlines()
    assert demo.endswith("comunidad demo")
    assert tests.endswith("pytest -q")
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readmes_grant_administration_tour_runs_as_written(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line of the README's grant tour works when typed as written, ids included (the
    ids printed by the commands changed once and the README kept the old ones)."""
    import shlex

    from tests.helpers import ok, run

    section = README.split("## Grant administration", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    monkeypatch.setenv("COMUNIDAD_LOCALE", "ca_ES")
    assert run("init", "xarxa", "--template", "xarxa", "--currency", "EUR")[0] == 0
    monkeypatch.chdir(in_tmp / "xarxa")
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "fundacio-barri-viu")
    ok("org", "add", "AV Sants", "--kind", "community", "--id", "av-sants")
    commands = [shlex.split(line, comments=True) for line in lines if line.strip()]
    assert len(commands) > 15
    for words in commands:
        assert words[0] == "comunidad"
        code, _, err = run(*words[1:])
        assert code == 0, f"{shlex.join(words)}: {err}"
