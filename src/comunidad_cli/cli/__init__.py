"""The command-line interface: thin Typer commands over the services.

`main` picks the language before the commands are imported, because Typer reads help
texts when the commands are defined and they must already be translated.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _option_value(argv: list[str], name: str) -> str | None:
    """The value of `--name X` / `--name=X` among the global options, if given."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _workspace_locale(argv: list[str]) -> str | None:
    """The `locale` of the workspace's comunidad.toml, read cheaply and never fatally."""
    import tomllib

    from comunidad_cli.core import tomlpos
    from comunidad_cli.services.workspace import CONFIG_NAME, find_root

    explicit = _option_value(argv, "--workspace") or os.environ.get("COMUNIDAD_WORKSPACE")
    root = Path(explicit) if explicit else find_root(Path.cwd())
    if root is None:
        return None
    try:
        data = tomlpos.loads((root / CONFIG_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, tomlpos.TooDeep):
        return None
    locale = data.get("locale")
    return locale if isinstance(locale, str) else None


def select_locale(argv: list[str]) -> str:
    from comunidad_cli import i18n

    cli = _option_value(argv, "--locale")
    if cli is None and not os.environ.get("COMUNIDAD_LOCALE"):
        return i18n.resolve(None, os.environ, _workspace_locale(argv))
    return i18n.resolve(cli, os.environ)


def main() -> None:
    """Console-script entry point: `comunidad`."""
    from comunidad_cli import i18n

    i18n.activate(select_locale(sys.argv[1:]))
    from comunidad_cli.cli.app import app

    app(prog_name="comunidad")
