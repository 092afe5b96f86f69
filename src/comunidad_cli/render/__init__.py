"""Rendering at the edge: translated, Babel-formatted documents built from core data."""
