"""Shared helpers for CLI tests of the governance engine: run commands, seat a body."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import execute, ok, query, run

RESIDENTS = [f"r{n}" for n in range(1, 8)]
AGENCIES = ["a1", "a2", "a3"]


def dump(folder: Path) -> list[tuple[object, ...]]:
    """The governance tables and the audit of the workspace in `folder`, in id order."""
    rows: list[tuple[object, ...]] = []
    for table in ("meeting", "attendance", "proxy", "motion", "vote", "recusal", "audit_event"):
        rows += [(table, *row) for row in query(folder, f"select * from {table} order by id")]
    return rows


@pytest.fixture
def workspace(in_tmp: Path) -> Path:
    """A workspace with the Best Start by-laws and a seated NLG (people added directly)."""
    assert run("init", "w", "--locale", "en_US")[0] == 0
    root = in_tmp / "w"
    (root / "bylaws" / "partnership.toml").unlink()
    shutil.copy(ROOT / "bylaws" / "best-start-partnership.toml", root / "bylaws")
    seats = (
        [(k, "resident") for k in RESIDENTS]
        + [(k, "agency") for k in AGENCIES]
        + [("b1", "business"), ("f1", "funder")]
    )
    execute(
        root,
        "insert into person (id, key, name, created_at) values (?, ?, ?, '2024-01-01 00:00:00')",
        *[(n, key, f"Person {key.upper()}") for n, (key, _) in enumerate(seats, start=1)],
    )
    execute(
        root,
        "insert into seat (bylaws_id, body, person_id, member_class, start)"
        " values ('bsmla', 'nlg', ?, ?, '2024-01-01')",
        *[(n, member_class) for n, (_, member_class) in enumerate(seats, start=1)],
    )
    import os

    os.chdir(root)
    return root


@pytest.fixture
def meeting(workspace: Path) -> str:
    out = ok(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10"
    )
    key = out.strip()
    for person in ["r1", "r2", "r3", "r4", "r5", "a1", "a2", "f1"]:
        ok("meeting", "attend", key, "--person", person, "--at", "18:00")
    ok("meeting", "attend", key, "--person", "b1", "--at", "18:10")
    return key
