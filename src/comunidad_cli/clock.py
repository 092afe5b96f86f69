"""The one clock.

Every "now" and "today" in comunidad comes from here, so tests freeze a single place
(freezegun's ``freeze_time`` patches ``datetime`` and therefore this module) and audit
rows, meeting times and due dates all agree with each other.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current instant as an aware UTC datetime (never naive: stored times are UTC)."""
    return datetime.now(UTC)


def today() -> date:
    """The local calendar date of `now()` (what a coordinator calls "today")."""
    return now().astimezone().date()
