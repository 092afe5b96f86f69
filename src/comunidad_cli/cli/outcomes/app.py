"""The `comunidad outcome` group: `outcome_app` (from `cli/outcomes/indicators.py`, with
`new` and `check`) and the data commands, which add themselves to it when imported here."""

from __future__ import annotations

from comunidad_cli.cli.outcomes import data as _data  # noqa: F401  (show, list)
from comunidad_cli.cli.outcomes.indicators import outcome_app

__all__ = ["outcome_app"]
