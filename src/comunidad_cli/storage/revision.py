"""The schema revision this comunidad writes, importable without SQLAlchemy or Alembic.

Update it with every new migration (tests compare it with Alembic's head).
"""

HEAD_REVISION = "0005"
