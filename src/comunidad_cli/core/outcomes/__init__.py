"""Outcomes for children and families: the exact computation (docs/architecture.md,
"Outcomes: the computation").

Pure: no I/O, no clock. Data are aggregated counts per period and group (`cells.Cell`),
never person-level records. `rates` turns counts into rates, Wilson intervals and change
from the baseline; `disparity` compares each group with a reference group (rate ratio,
rate difference, the four-fifths flag, the index of disparity); `privacy` decides which
counts and rates may be shown (small counts hidden, with complementary suppression).
"""

from __future__ import annotations

from comunidad_cli.core.outcomes.cells import (
    DIRECTIONS,
    MEASURES,
    TOTAL,
    Cell,
    CellKey,
    Direction,
    Measure,
)

__all__ = ["DIRECTIONS", "MEASURES", "TOTAL", "Cell", "CellKey", "Direction", "Measure"]
