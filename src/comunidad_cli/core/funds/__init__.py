"""Competitive funds (fondos concursables): rounds, their rubric, ranking and award; pure."""
