"""Competitive funds' data, read and written through a `Db`: one module per step of a
round (rounds and their texts, applications, ...). Plain, portable SQL over the tables
`storage.tables` defines; no SQLAlchemy (see `storage.dbapi`)."""
