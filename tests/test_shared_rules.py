"""The rules that used to be written in several places and are now written once: each is
checked here where it lives, so that the places that share it cannot drift apart again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from comunidad_cli.core.messages import Msg
from comunidad_cli.core.toml_shape import type_name
from comunidad_cli.core.when import period_problem
from comunidad_cli.services.errors import ServiceError, typed_period
from comunidad_cli.services.imports.kinds import ImportContext, Upserts, no_org
from comunidad_cli.storage.dbapi import read_required_day, read_required_instant


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (True, "boolean"),  # a bool is an int: named before it
        (3, "integer"),
        (2.5, "float"),
        ("x", "string"),
        (datetime(2026, 1, 2, 3, 4), "datetime"),  # a datetime is a date: named before it
        (date(2026, 1, 2), "date"),
        ([1], "array"),
        ({"a": 1}, "table"),
        (None, "NoneType"),
    ],
)
def test_type_name_names_the_narrowest_toml_type(value: object, name: str) -> None:
    assert type_name(value) == name


def test_a_period_backwards_is_refused_as_a_usage_error() -> None:
    assert period_problem(date(2026, 1, 1), date(2026, 1, 1)) is None
    problem = period_problem(date(2026, 3, 1), date(2026, 1, 31))
    assert isinstance(problem, Msg)
    assert problem.params == {"start": "2026-03-01", "end": "2026-01-31"}
    with pytest.raises(ServiceError) as refused:
        typed_period(date(2026, 3, 1), date(2026, 1, 31))
    assert refused.value.exit_code == 2
    assert refused.value.msg == problem
    typed_period(None, date(2026, 1, 31))  # an open end is not a period to judge
    typed_period(date(2026, 3, 1), None)


def _ctx() -> ImportContext:
    return ImportContext(
        file="rows.csv",
        kind="orgs",
        command="import orgs",
        at=datetime(2026, 1, 2, tzinfo=UTC),
        today=date(2026, 1, 2),
        decimal_mark=None,
        bylaws_dir=None,
    )


def test_upserts_counts_and_audits_what_it_creates_updates_and_leaves() -> None:
    upserts = Upserts(_ctx())
    upserts.create("a", {"key": "a", "name": "A"}, {**upserts.at(2), "name": "A"})
    assert upserts.changed({"name": "B"}, {"name": "B"}) == {}
    changed = upserts.changed({"name": "C"}, {"name": "D"})
    assert changed == {"name": ["C", "D"]}
    upserts.update("c", 7, {"name": "D"}, changed, upserts.at(4))
    plan = upserts.done("organisation", "organisation")
    assert (plan.created, plan.updated, plan.unchanged) == (1, 1, 1)
    assert plan.write is not None
    assert upserts.updates == [{"_id": 7, "name": "D"}]
    assert [(e.action, e.entity_id, dict(e.detail)) for e in upserts.audit] == [
        ("create", "a", {"file": "rows.csv", "row": 2, "name": "A"}),
        ("update", "c", {"file": "rows.csv", "row": 4, "changed": {"name": ["C", "D"]}}),
    ]


def test_a_row_naming_a_missing_organisation_says_how_to_add_it() -> None:
    import sqlite3

    from comunidad_cli.storage.dbapi import Db

    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE TABLE organisation (id INTEGER PRIMARY KEY, key TEXT)")
    raw.execute("INSERT INTO organisation (key) VALUES ('ampa-joan-miro')")
    db = Db(raw, "sqlite")
    msg = no_org(db, "casa")
    assert msg.params == {"key": "casa"}
    assert "comunidad org add" in msg.text
    meant = no_org(db, "ampa-joan-mir")  # a typo: the one meant instead
    assert meant.params == {"key": "ampa-joan-mir", "suggestion": "ampa-joan-miro"}


def test_a_not_null_column_is_read_as_its_type() -> None:
    assert read_required_day("2026-01-02") == date(2026, 1, 2)
    assert read_required_instant("2026-01-02 03:04:05") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with pytest.raises(AssertionError):
        read_required_day(None)


def test_a_toml_file_is_read_guarded_checked_and_located_once(tmp_path: Path) -> None:
    from comunidad_cli.services.outcomes.files import check_file

    broken = tmp_path / "broken.toml"
    broken.write_text("[indicator\n", encoding="utf-8")
    result = check_file(broken)
    assert [f.code for f in result.findings] == ["OC001"]
    assert result.indicators == ()
    assert len(result.sha256) == 64
    gone = tmp_path / "gone.toml"
    gone.symlink_to(tmp_path / "nowhere.toml")
    unreadable = check_file(gone)
    assert [f.code for f in unreadable.findings] == ["OC007"]
    assert unreadable.sha256 == ""
