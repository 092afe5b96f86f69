"""comunidad: governance and grant administration for community partnerships."""

__version__ = "0.1.0"
