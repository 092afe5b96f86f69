"""The shell's side of completion (install, script), done by Typer's own machinery.

Imported only when a shell asks for completions or `--install-completion` /
`--show-completion` is given, so `comunidad --help` pays nothing for it.
"""

from __future__ import annotations

from pathlib import Path


def _variable(prog_name: str) -> str:
    return "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())


def prepare_completion() -> None:
    """Register Typer's shell classes (called only when the shell asks for completions)."""
    from typer._completion_classes import completion_init

    completion_init()


def _shell() -> str:
    """The shell this runs in (bash when it cannot be told)."""
    from typer._completion_shared import _get_shell_name

    return _get_shell_name() or "bash"


def script(prog_name: str) -> str:
    """The completion script for the current shell."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(
        prog_name=prog_name, complete_var=_variable(prog_name), shell=_shell()
    )


def install(prog_name: str) -> tuple[str, Path]:
    """Install the completion script for the current shell: (shell, file written)."""
    from typer._completion_shared import install as typer_install

    return typer_install(shell=_shell(), prog_name=prog_name, complete_var=_variable(prog_name))
