"""Storage: SQLModel tables, engines, the audit log and schema migrations.

Importing anything below this package imports SQLAlchemy (about half a second), so the
CLI and the services import it only inside the functions that touch the database.
"""
