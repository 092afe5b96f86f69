"""Competitive funds (fondos concursables): rounds, scoring, ranking and award, pure, no I/O."""
