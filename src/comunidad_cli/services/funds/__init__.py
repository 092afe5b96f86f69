"""Competitive funds: round files on disk, and (later) applications, scores and awards."""
