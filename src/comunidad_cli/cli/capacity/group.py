"""The `capacity` group as cli/app.py's LAZY registry loads it: the shared Typer app with the
commands of each module registered on it, in the order `capacity --help` lists them."""

from __future__ import annotations

import importlib

from comunidad_cli.cli.capacity.common import capacity_app

#: The modules whose commands make up the group, in the order they are listed.
COMMAND_MODULES = ("instruments", "assess", "scores")

for _module in COMMAND_MODULES:
    importlib.import_module(f"comunidad_cli.cli.capacity.{_module}")

__all__ = ["capacity_app"]
