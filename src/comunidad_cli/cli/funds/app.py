"""The `comunidad fund` group: its commands live one module per step of a round, each
adding itself to `fund_app` (from `cli/funds/round.py`) when imported here."""

from __future__ import annotations

from comunidad_cli.cli.funds import admissibility as _admissibility  # noqa: F401  (appeal, ...)
from comunidad_cli.cli.funds import applications as _applications  # noqa: F401  (open, apply, ...)
from comunidad_cli.cli.funds import award as _award  # noqa: F401  (award, awards)
from comunidad_cli.cli.funds import contracts as _contracts  # noqa: F401  (contract, report)
from comunidad_cli.cli.funds import evaluation as _evaluation  # noqa: F401  (recuse, score, ...)
from comunidad_cli.cli.funds import outputs as _outputs  # noqa: F401  (acta, results, letters)
from comunidad_cli.cli.funds.round import fund_app

__all__ = ["fund_app"]
