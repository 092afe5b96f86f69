"""The `comunidad fund` group: its commands live one module per step of a round, each
adding itself to `fund_app` (from `cli/funds/round.py`) when imported here."""

from __future__ import annotations

import comunidad_cli.cli.funds.applications  # noqa: F401  (adds open, apply, admissibility...)
from comunidad_cli.cli.funds import contracts as _contracts  # noqa: F401  (contract, report)
from comunidad_cli.cli.funds.round import fund_app

__all__ = ["fund_app"]
