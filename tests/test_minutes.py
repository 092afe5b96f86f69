"""Minutes: drafted from the record in the reader's language, signed off, then frozen."""

from __future__ import annotations

import json
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from tests.governance import dump
from tests.helpers import connect, ok, run


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


def _minutes_rows(workspace: Path) -> list[tuple[object, ...]]:
    with connect(workspace) as connection:
        return connection.execute(
            "select version, corrects, reason, signed_by, sha256, content from minutes"
            " order by version"
        ).fetchall()


def test_signed_minutes_are_final_and_corrections_are_new_versions(
    meeting: str, workspace: Path
) -> None:
    _hold_meeting(meeting)
    # A closed meeting, minutes not yet signed: the correction is recorded beside the record.
    code, _, err = run(
        "meeting", "correct", meeting, "--text", "R5 left at 19:05, not 19:00", "--by", "Chair"
    )
    assert code == 0 and f"Correction recorded to meeting {meeting}." in err
    shown = ok("meeting", "show", meeting)
    assert "Chair: R5 left at 19:05, not 19:00" in shown
    assert json.loads(ok("meeting", "show", meeting, "--json"))["corrections"][0]["by"] == "Chair"
    draft = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert "## Correction to the record" in draft and "Chair: R5 left at 19:05" in draft
    signed = ok(
        "meeting", "minutes", meeting, "--format", "markdown", "--sign", "--by", "Secretary"
    )
    assert "Signed off by Secretary" in signed and "R5 left at 19:05" in signed
    with connect(workspace) as connection:
        connection.execute("update person set name = 'Renamed Person' where key = 'r1'")
    again = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert "Renamed Person" not in again  # the signed text does not follow later edits
    assert again == signed
    assert "Renamed Person" in ok("meeting", "minutes", meeting, "--format", "markdown", "--draft")
    # Signing again is refused: signed minutes are final.
    first = _minutes_rows(workspace)
    code, _, err = run("meeting", "minutes", meeting, "--sign", "--by", "Secretary")
    assert code == 1
    assert "are signed (version 1) and final" in err
    assert f"comunidad meeting correct {meeting}" in err
    assert _minutes_rows(workspace) == first
    # A correction of signed minutes: a new signed version naming the one it corrects.
    code, _, err = run(
        "meeting", "correct", meeting, "--text", "Person R3 voted no, not yes", "--by", "Treasurer"
    )
    assert code == 0 and "version 2 corrects version 1" in err
    corrected = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert corrected.startswith(signed.rstrip("\n"))  # version 1 as it was signed, then...
    assert "## Correction of version 1" in corrected
    assert "Treasurer: Person R3 voted no, not yes" in corrected
    assert "Signed off by Treasurer" in corrected and "correcting version 1" in corrected
    assert "Renamed Person" not in corrected
    ok("meeting", "correct", meeting, "--text", "The chair was Person R2", "--by", "Secretary")
    chain = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert chain.index("Correction of version 1") < chain.index("Correction of version 2")
    assert "correcting version 2" in chain
    rows = _minutes_rows(workspace)
    assert rows[0] == first[0]  # version 1 untouched
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (1, None, None, "Secretary"),
        (2, 1, "Person R3 voted no, not yes", "Treasurer"),
        (3, 2, "The chair was Person R2", "Secretary"),
    ]
    assert len({r[4] for r in rows}) == 3
    shown = ok("meeting", "show", meeting)
    assert (
        shown.index("R5 left at 19:05")
        < shown.index("Person R3 voted no")
        < shown.index("The chair was Person R2")
    )
    # In Spanish too: the new version is written in the language version 1 was signed in.
    es = ok("meeting", "minutes", meeting, "--format", "markdown", "--locale", "es")
    assert "Correction of version 2" in es


def test_a_correction_needs_a_closed_meeting(meeting: str, workspace: Path) -> None:
    before = dump(workspace)
    code, _, err = run("meeting", "correct", meeting, "--text", "typo", "--by", "Secretary")
    assert code == 1 and "still open" in err
    code, _, err = run("meeting", "correct", meeting, "--text", " ", "--by", "Secretary")
    assert code == 2 and "--text" in err
    assert dump(workspace) == before


def test_corrections_recorded_before_0005_are_still_shown(meeting: str, workspace: Path) -> None:
    """A `minutes_correction` row (the old way) stays readable, and passes into a new version."""
    _hold_meeting(meeting)
    ok("meeting", "minutes", meeting, "--sign", "--by", "Secretary")
    with connect(workspace) as connection:
        connection.execute(
            "insert into minutes_correction (minutes_id, at, text, by)"
            " values (1, '2026-11-20 10:00:00.000000', 'An old correction', 'Old Secretary')"
        )
    text = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert (
        "Correction recorded after signing" in text and "Old Secretary: An old correction" in text
    )
    ok("meeting", "correct", meeting, "--text", "A new one", "--by", "Secretary")
    text = ok("meeting", "minutes", meeting, "--format", "markdown")
    assert text.index("An old correction") < text.index("A new one")


def test_minutes_of_an_open_meeting_cannot_be_signed(meeting: str) -> None:
    code, _, err = run("meeting", "minutes", meeting, "--sign", "--by", "Secretary")
    assert code == 1 and "still open" in err


def test_json_minutes_carry_the_record_and_the_document(meeting: str) -> None:
    motion = _hold_meeting(meeting)
    title = "Subcontract to Agency A"
    typed = "Ana *Pérez* <b>_x_</b>"
    ok("meeting", "correct", meeting, "--text", "r5 left at 19:00, not 18:00 [sic]", "--by", typed)
    minutes = json.loads(ok("meeting", "minutes", meeting, "--format", "json", "--locale", "es"))
    assert minutes["status"] == "draft" and minutes["signature"] is None
    assert minutes["language"] == "es" and minutes["meeting"] == meeting
    [put] = minutes["motions"]
    assert put["motion"] == motion and put["title"] == title
    assert put["outcome"] == "adopted" and put["tally"]["yes"] == 3
    assert datetime.fromisoformat(put["opened_at"]).utcoffset() is not None
    assert any(b.get("heading", "").endswith(title) for b in minutes["document"])
    assert any(a["left_at"] for a in minutes["attendance"])
    [correction] = minutes["corrections"]
    assert correction["by"] == typed and correction["text"].endswith("[sic]")
    assert any(typed in item for b in minutes["document"] for item in b.get("bullets", []))
    ok("meeting", "minutes", meeting, "--sign", "--by", typed)
    signed = json.loads(ok("meeting", "minutes", meeting, "--format", "json"))
    assert signed["status"] == "signed" and signed["signature"]["signed_by"] == typed
    assert signed["signature"]["version"] == 1 and signed["motions"][0]["outcome"] == "adopted"


def test_minutes_format_is_refused_with_its_choices(meeting: str) -> None:
    code, out, err = run("meeting", "minutes", meeting, "--format", "pdf")
    assert code == 2 and out == "" and "json" in err


def test_html_minutes_print_on_a4_with_a_signature_block(meeting: str) -> None:
    _hold_meeting(meeting)
    page = ok("meeting", "minutes", meeting, "--format", "html", "--locale", "es")
    head, body = page.split("</head>")
    assert "<style>" in head and "size: A4" in head and "border-collapse" in head
    assert body.count('<div class="signature">') == 2
    assert "La secretaría" in body and "Nombre, firma y fecha" in body
    assert body.index('class="signatures"') > body.index("</table>")
