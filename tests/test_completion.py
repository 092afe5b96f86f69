"""Shell completion: the ids of people, meetings and motions come from the workspace's
database (without SQLAlchemy), `--show-completion` / `--install-completion` work, and a
TAB the workspace cannot answer completes nothing instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from comunidad_cli.cli._common import STATE
from comunidad_cli.cli.app import app
from comunidad_cli.cli.completion import complete_meeting, complete_motion, complete_person
from tests.conftest import subprocess_env
from tests.helpers import database_of, ok, run


def _ctx(**root_params: Any) -> typer.Context:
    """A root context as Click builds it while completing (the global options typed so far)."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="comunidad", resilient_parsing=True)
    ctx.params.update({"workspace_dir": None, "db_url": None, **root_params})
    return ctx


@pytest.fixture(autouse=True)
def _fresh_state() -> Any:
    STATE.workspace, STATE.db = None, None
    yield
    STATE.workspace, STATE.db = None, None


def test_people_meetings_and_motions_are_completed_from_the_workspace(
    meeting: str, workspace: Path
) -> None:
    motion = ok(
        "motion",
        "new",
        "--meeting",
        meeting,
        "--decision",
        "award_subcontract",
        "--title",
        "Park",
        "--at",
        "18:40",
    ).strip()
    assert [key for key, _ in complete_person(_ctx(), "r")] == [f"r{n}" for n in range(1, 8)]
    assert [key for key, _ in complete_person(_ctx(), "A")] == ["a1", "a2", "a3"]
    assert complete_meeting(_ctx(), "NLG") == [(meeting, "nlg")]  # any case
    assert complete_motion(_ctx(), "") == [(motion, "Park")]
    assert complete_motion(_ctx(), "zz") == []


def test_the_workspace_typed_before_the_command_is_the_one_completed(
    meeting: str, workspace: Path, tmp_path: Path
) -> None:
    os.chdir(tmp_path)  # outside the workspace
    assert complete_meeting(_ctx(), "") == []
    assert complete_meeting(_ctx(workspace_dir=str(workspace)), "") == [(meeting, "nlg")]
    url = database_of(workspace)
    assert [k for k, _ in complete_person(_ctx(db_url=url), "b")] == ["b1"]


@pytest.mark.sqlite_only  # a workspace whose SQLite file is gone
def test_no_database_or_no_workspace_completes_nothing(in_tmp: Path) -> None:
    assert complete_person(_ctx(), "") == []
    assert run("init", "w")[0] == 0
    (in_tmp / "w" / "comunidad.db").unlink()
    assert complete_meeting(_ctx(workspace_dir=str(in_tmp / "w")), "") == []
    assert not (in_tmp / "w" / "comunidad.db").exists()  # completing never creates one


def test_the_shell_gets_ids_without_importing_sqlalchemy(meeting: str, workspace: Path) -> None:
    """What bash runs on TAB: the ids, and no SQLAlchemy (about 0.4 s) on the way."""
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['comunidad']\n"
        "from comunidad_cli.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'LIGHT', file=sys.stderr)\n"
    )
    env = subprocess_env(
        _COMUNIDAD_COMPLETE="complete_bash",
        COMP_WORDS=f"comunidad meeting attend {meeting} --person r",
        COMP_CWORD="5",
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=workspace
    )
    assert done.stdout.split() == [f"r{n}" for n in range(1, 8)]
    assert "LIGHT" in done.stderr


def test_show_completion_prints_the_script_for_the_shell(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("typer._completion_shared._get_shell_name", lambda: "bash")
    out = ok("--show-completion")
    assert "_COMUNIDAD_COMPLETE=complete_bash" in out
    assert "complete -o default -F _comunidad_completion comunidad" in out


def test_install_completion_writes_the_script_and_says_where(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("typer._completion_shared._get_shell_name", lambda: "bash")
    monkeypatch.setenv("HOME", str(in_tmp))
    out = ok("--locale", "es", "--install-completion")
    script = in_tmp / ".bash_completions" / "comunidad.sh"
    assert script.is_file() and "_COMUNIDAD_COMPLETE" in script.read_text()
    assert f"completado de bash instalado en {script}." in out
    assert "comunidad.sh" in (in_tmp / ".bashrc").read_text()


def test_help_loads_no_completion_or_usage_error_code(in_tmp: Path) -> None:
    """`comunidad --help` stays as quick as before: completion and usage errors load on demand."""
    probe = (
        "import sys\n"
        "sys.argv = ['comunidad', '--help']\n"
        "from comunidad_cli.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "lazy = ('comunidad_cli.cli.shell', 'comunidad_cli.cli.completion',"
        " 'comunidad_cli.cli.usage_errors', 'comunidad_cli.services.completion')\n"
        "print(sorted(m for m in lazy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=subprocess_env(), capture_output=True, text=True
    )
    assert "--install-completion" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"
