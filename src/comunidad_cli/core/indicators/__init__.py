"""Outcome indicators as their TOML files state them (`outcomes/*.toml`): the model, the
reading with every finding (OC codes) and the checks, pure like the by-laws' lint."""
