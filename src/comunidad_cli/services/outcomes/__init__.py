"""Outcomes for children and families: the indicator files (`files.py`) and the aggregated
counts behind them, computed, suppressed and shown (`data.py`)."""
