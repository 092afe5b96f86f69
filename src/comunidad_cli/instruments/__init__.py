"""Capacity instruments shipped with comunidad (TOML, schema 1; see core/capacity/)."""
