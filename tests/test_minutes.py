"""Minutes: drafted from the record in the reader's language, signed off, then frozen."""

from __future__ import annotations

import sqlite3
from html.parser import HTMLParser
from pathlib import Path

from tests.governance import ok, run


def _hold_meeting(key: str) -> str:
    motion = ok(
        "motion",
        "new",
        "--meeting",
        key,
        "--decision",
        "award_subcontract",
        "--title",
        "Subcontract to Agency A",
        "--at",
        "18:15",
    ).strip()
    ok(
        "motion",
        "recuse",
        motion,
        "--person",
        "a1",
        "--reason",
        "Agency A applies",
        "--at",
        "18:16",
    )
    for person, choice in [("r1", "yes"), ("r2", "yes"), ("r3", "no"), ("b1", "yes")]:
        ok("motion", "vote", motion, "--person", person, "--choice", choice, "--at", "18:20")
    ok("motion", "close", motion, "--at", "18:25")
    ok("meeting", "leave", key, "--person", "r5", "--at", "19:00")
    ok("meeting", "close", key, "--at", "19:30")
    return motion


def test_draft_minutes_in_catalan(meeting: str) -> None:
    _hold_meeting(meeting)
    text = ok("meeting", "minutes", meeting, "--format", "markdown", "--locale", "ca")
    assert "18 de novembre del 2026" in text
    assert "Person R5" in text and "19:00" in text
    assert "Subcontract to Agency A" in text
    assert "Agency A applies" in text
    assert "més de 1/2 dels vots emesos" in text


def test_html_minutes_are_well_formed(meeting: str) -> None:
    _hold_meeting(meeting)
    page = ok("meeting", "minutes", meeting, "--format", "html")
    tags: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in ("meta", "br", "hr"):
                tags.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert tags.pop() == tag

    Checker().feed(page)
    assert tags == []
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page


def test_signed_minutes_are_frozen_and_corrections_are_added(meeting: str, workspace: Path) -> None:
    _hold_meeting(meeting)
    code, _, err = run("meeting", "correct", meeting, "--text", "typo", "--by", "Secretary")
    assert code == 1 and "not signed yet" in err
    signed = ok(
        "meeting", "minutes", meeting, "--format", "markdown", "--sign", "--by", "Secretary"
    )
    assert "Signed off by Secretary" in signed
    with sqlite3.connect(workspace / "comunidad.db") as connection:
        connection.execute("update person set name = 'Renamed Person' where key = 'r1'")
    again = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert "Renamed Person" not in again  # the signed text does not follow later edits
    assert again == signed
    assert "Renamed Person" in ok("meeting", "minutes", meeting, "--format", "markdown", "--draft")
    ok("meeting", "correct", meeting, "--text", "Person R3 voted no, not yes", "--by", "Secretary")
    corrected = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert corrected.startswith(signed.split("Signed off by")[0])
    assert "Person R3 voted no, not yes" in corrected


def test_minutes_of_an_open_meeting_cannot_be_signed(meeting: str) -> None:
    code, _, err = run("meeting", "minutes", meeting, "--sign", "--by", "Secretary")
    assert code == 1 and "still open" in err
