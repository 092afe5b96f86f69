"""`comunidad bylaws upgrade`: schema 1 to 2 by changing one line; comments kept; never
over an existing file without being told; the upgraded file still means the same."""

from __future__ import annotations

import tomllib
from pathlib import Path

from comunidad_cli.core.bylaws.upgrade import upgrade_text
from tests.conftest import ROOT
from tests.helpers import ok, run

SOURCE = ROOT / "bylaws" / "best-start-partnership.toml"


def test_upgrade_changes_only_the_schema_line(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    new = tmp_path / "new.toml"
    ok("bylaws", "upgrade", str(old), "--output", str(new))
    before = old.read_text(encoding="utf-8").splitlines()
    after = new.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("schema = 1", "schema = 2")]
    assert "# --- Vote rules" in new.read_text(encoding="utf-8")  # comments kept
    parsed = tomllib.loads(new.read_text(encoding="utf-8"))
    assert {**parsed, "schema": 1} == tomllib.loads(old.read_text(encoding="utf-8"))
    assert run("bylaws", "check", str(new))[0] == 0
    # round trip: the upgraded file is schema 2 already, nothing changes.
    status, _, err = run("bylaws", "upgrade", str(new), "--in-place")
    assert status == 0 and "schema 2 already" in err
    assert new.read_text(encoding="utf-8").splitlines() == after


def test_upgrade_refuses_to_overwrite_without_being_told(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    taken = tmp_path / "taken.toml"
    taken.write_text("keep me\n", encoding="utf-8")
    status, _, err = run("bylaws", "upgrade", str(old), "--output", str(taken))
    assert status == 1 and "already exists: not overwriting" in err
    assert taken.read_text(encoding="utf-8") == "keep me\n"
    status, _, err = run("bylaws", "upgrade", str(old))
    assert status == 2 and "--in-place" in err
    assert "schema = 1\n" in old.read_text(encoding="utf-8")
    ok("bylaws", "upgrade", str(old), "--in-place")
    assert "schema = 2 " in old.read_text(encoding="utf-8") or "schema = 2\n" in old.read_text(
        encoding="utf-8"
    )


def test_upgrade_to_standard_output_and_in_catalan(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text('schema = 1   # the format\nid = "x"\n', encoding="utf-8")
    assert ok("bylaws", "upgrade", str(old), "-o", "-") == 'schema = 2   # the format\nid = "x"\n'
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 3\n", encoding="utf-8")
    status, _, err = run("--locale", "ca", "bylaws", "upgrade", str(bad), "-o", "-")
    assert status == 1 and "no s'ha escrit res" in err


def test_upgrade_text_finds_the_top_level_key_only() -> None:
    text = "# schema = 1 in a comment\nschema=1\n[rules.x]\nschema_note = 1\n"
    result = upgrade_text(text)
    assert result.text == "# schema = 1 in a comment\nschema=2\n[rules.x]\nschema_note = 1\n"
    assert upgrade_text("schema = 2\n").already
    assert upgrade_text("schema = [\n").problem is not None


def test_bylaws_check_places_the_dual_findings(tmp_path: Path) -> None:
    """BL112 in a schema-1 file, BL311 in a schema-2 one, at file:line:col in every format."""
    text = SOURCE.read_text(encoding="utf-8")
    dual = 'tie = "fails"\ndual = { class = "funder", threshold = "1/2" }\n'
    old = tmp_path / "old.toml"
    old.write_text(text.replace('tie = "fails"\n', dual, 1), encoding="utf-8")
    line = next(
        n for n, t in enumerate(old.read_text(encoding="utf-8").splitlines(), 1) if "dual" in t
    )
    status, out, _ = run("bylaws", "check", str(old))
    assert status == 1 and f"old.toml:{line}:1: BL112 [error]" in out
    new = tmp_path / "new.toml"
    new.write_text(old.read_text(encoding="utf-8").replace("schema = 1\n", "schema = 2\n", 1))
    status, out, _ = run("bylaws", "check", str(new))
    assert status == 1 and "BL112" not in out
    assert f"new.toml:{line}:" in out and "BL311 [error]" in out
    for fmt in ("json", "github", "sarif"):
        status, out, _ = run("bylaws", "check", str(new), "--format", fmt)
        assert status == 1 and "BL311" in out and str(line) in out, fmt


def test_new_files_start_at_the_current_schema_with_dual_majority_ready(tmp_path: Path) -> None:
    """`bylaws new` writes the newest schema, so the commented dual-majority line of each
    template works once uncommented, without an upgrade first."""
    from comunidad_cli.core.bylaws.spec import SCHEMA_VERSIONS

    for template in ("directorio", "partnership", "xarxa"):
        written = tmp_path / f"{template}.toml"
        ok("bylaws", "new", "--template", template, "-o", str(written))
        text = written.read_text(encoding="utf-8")
        assert tomllib.loads(text)["schema"] == max(SCHEMA_VERSIONS)
        assert text.count("\n# dual = {") == 1, template
        dual = tmp_path / f"{template}-dual.toml"
        dual.write_text(text.replace("\n# dual = {", "\ndual = {"), encoding="utf-8")
        assert run("bylaws", "check", str(dual), "--strict")[0] == 0, template
        assert "dual" in str(tomllib.loads(dual.read_text(encoding="utf-8"))["rules"])
