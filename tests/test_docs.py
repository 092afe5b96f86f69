"""The README is part of the product: it must document every command and every lint code,
and open with the two commands that CI runs (sqlite-utils style)."""

from __future__ import annotations

import re

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
