"""Services: load, call the core, persist. No Typer, no Rich: they return data."""
