"""A time as an import stores and audits it (`Writer.forms`, made from an hour's text and
the minutes and seconds, not two `isoformat` calls a time) is exactly what `Writer.time` and
`Writer.iso` give, whatever the offset, the microseconds or the zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from comunidad_cli.services.imports.meeting_store import Writer


class _Db:
    def __init__(self, dialect: str) -> None:
        self.dialect = dialect


OFFSETS = [
    timedelta(0),
    timedelta(hours=-3),
    timedelta(hours=5, minutes=30),
    timedelta(hours=-9, minutes=-30),
    timedelta(hours=14),
    timedelta(hours=1, minutes=2, seconds=3),  # a local mean time's offset
    timedelta(hours=-1, minutes=-2, seconds=-3, microseconds=-500),
]
ZONES = [ZoneInfo("America/Santiago"), ZoneInfo("Europe/Madrid"), ZoneInfo("Australia/Lord_Howe")]

instants = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(instants, min_size=1, max_size=40),
    st.sampled_from([*[timezone(o) for o in OFFSETS], *ZONES]),
)
def test_forms_are_what_time_and_iso_give(moments: list[datetime], zone: tzinfo) -> None:
    values = list({m.astimezone(zone) for m in moments})
    for dialect in ("sqlite", "postgresql"):
        expected = Writer(_Db(dialect))
        stored, audited = Writer(_Db(dialect)).forms(values)
        assert stored == {v: expected.time(v) for v in values}
        assert audited == {v: expected.iso(v) for v in values}


def test_forms_share_an_hour_across_its_times() -> None:
    zone = timezone(timedelta(hours=-4))
    start = datetime(2026, 11, 18, 18, 0, tzinfo=zone)
    values = [start + timedelta(minutes=m, seconds=m % 7, microseconds=m * 1000) for m in range(90)]
    stored, audited = Writer(_Db("sqlite")).forms(values)
    assert audited[values[0]] == "2026-11-18T18:00:00-04:00"
    assert audited[values[61]] == "2026-11-18T19:01:05.061000-04:00"
    assert stored[values[0]] == "2026-11-18 22:00:00.000000"
    assert stored[values[61]] == "2026-11-18 23:01:05.061000"
    assert stored[values[89]] == "2026-11-18 23:29:05.089000"
