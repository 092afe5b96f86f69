"""By-laws: the schema-1 file format, its immutable model, and the checks over it."""
