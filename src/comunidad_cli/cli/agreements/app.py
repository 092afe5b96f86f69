"""The `comunidad agreement` group: its commands live in three modules, each adding itself
to `agreement_app` (from `cli/agreements/common.py`) when imported here."""

from __future__ import annotations

from comunidad_cli.cli.agreements import agreement as _agreement  # noqa: F401  (add, sign, ...)
from comunidad_cli.cli.agreements import listing as _listing  # noqa: F401  (list, show, due)
from comunidad_cli.cli.agreements import quality as _quality  # noqa: F401  (assess, quality)
from comunidad_cli.cli.agreements.common import agreement_app

__all__ = ["agreement_app"]
