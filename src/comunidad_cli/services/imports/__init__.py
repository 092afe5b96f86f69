"""`comunidad import KIND FILE`: the engine, its readers, the one registry of kinds, and a
module per domain that defines the kinds (see `registry`)."""
