"""Storage: SQLModel tables, engines, the audit log, schema migrations and data access.

`tables`, `engine`, `schema` and the migrations import SQLAlchemy (about half a second),
so the CLI and the services import them only inside the functions that need them.
`dbapi`, `locks`, `revision` and the per-domain query modules (`directory`, `governance`)
use the standard library alone: the everyday commands go through them.
"""
