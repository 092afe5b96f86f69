"""docs/cli.md is generated from the Typer app and must match it (sqlite-utils style): a new
option, a changed help text or a command without help fails here until the reference is
regenerated with `python tools/cli_reference.py`."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main

from tests.conftest import ROOT, subprocess_env

TOOL = ROOT / "tools" / "cli_reference.py"


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location("cli_reference", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("cli_reference", module)  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def _run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """The tool as CI runs it, in a fresh process (help texts are translated at import)."""
    return subprocess.run(
        [sys.executable, str(TOOL), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=subprocess_env(LANG="es_ES.UTF-8"),
        check=False,
    )


def test_docs_cli_md_is_current_and_every_command_has_help() -> None:
    result = _run_tool("--check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_check_fails_on_a_stale_reference(tmp_path: Path) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(
        (ROOT / "docs" / "cli.md").read_text(encoding="utf-8").replace("--dry-run", "--try"),
        encoding="utf-8",
    )
    result = _run_tool("--check", "--output", str(stale))
    assert result.returncode == 1
    assert "is stale; run python tools/cli_reference.py" in result.stderr


def test_the_reference_names_every_command_and_sub_command_in_english() -> None:
    """The lazy groups are built: their sub-commands and options are in the file, in English
    (the tool ran under a Spanish LANG above and still must write English)."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    from tests.test_cli_bylaws import _all_commands

    for command in _all_commands():
        assert f"`comunidad {' '.join(command)}`" in text, command
    assert "- `--choice <str>`: yes, no or abstain. [required]" in text
    assert "- `--dry-run`: Check everything and count, but write nothing." in text


def test_a_command_or_parameter_without_help_is_reported() -> None:
    app = typer.Typer(add_completion=False)

    @app.command(help="Documented.")
    def documented(
        name: Annotated[str, typer.Argument(help="Whose.")],
        loud: Annotated[bool, typer.Option("--loud", help="Louder.")] = False,
    ) -> None:
        """Unused."""

    @app.command()
    def bare(quiet: Annotated[bool, typer.Option("--quiet")] = False) -> None:
        pass

    tool = _tool()
    entries = list(tool.walk(typer.main.get_command(app), ("demo",)))

    assert [e.path for e in entries] == [("demo",), ("demo", "documented"), ("demo", "bare")]
    assert tool.missing_help(entries[1:]) == [
        "demo bare: no help text",
        "demo bare: --quiet has no help",
    ]
    section = tool.reference(entries[1:2])
    assert "- `name`: Whose. [required]" in section
    assert "- `--loud`: Louder." in section
