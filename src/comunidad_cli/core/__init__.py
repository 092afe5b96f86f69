"""Pure core: no I/O, no database, no Typer, no Rich. Errors are data."""
