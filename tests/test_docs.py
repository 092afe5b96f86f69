"""The README is part of the product: it must document every command and every lint code,
and open with the two commands that CI runs (sqlite-utils style)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comunidad_cli.core.bylaws.codes import CODES
from tests.conftest import ROOT
from tests.test_cli_bylaws import _all_commands

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_lint_code_is_in_the_readme_table(code: str) -> None:
    row = re.search(rf"^\| {code} \| (error|warning) \|", README, re.MULTILINE)
    assert row is not None, f"{code} is missing from the README table"
    assert row.group(1) == CODES[code].severity.value


def test_the_readme_lists_no_code_that_does_not_exist() -> None:
    assert set(re.findall(r"^\| (BL\d{3}) \|", README, re.MULTILINE)) == set(CODES)


@pytest.mark.parametrize(
    "command",
    [
        c
        for c in _all_commands()
        if len(c) > 1 or c[0] in ("init", "demo", "import", "summary", "spend-down", "report")
    ],
    ids=" ".join,
)
def test_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    assert f"comunidad {' '.join(command)}" in README


def test_the_readme_opens_with_the_demo_and_the_test_command_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    demo, tests = blocks[0].strip().splitlines()
    assert demo.endswith("comunidad demo")
    assert tests.endswith("pytest -q -n auto")
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readmes_grant_administration_tour_runs_as_written(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line of the README's grant tour works when typed as written, ids included (the
    ids printed by the commands changed once and the README kept the old ones)."""
    import shlex

    from tests.helpers import ok, run

    section = README.split("## Grant administration", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    monkeypatch.setenv("COMUNIDAD_LOCALE", "ca_ES")
    assert run("init", "xarxa", "--template", "xarxa", "--currency", "EUR")[0] == 0
    monkeypatch.chdir(in_tmp / "xarxa")
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "fundacio-barri-viu")
    ok("org", "add", "AV Sants", "--kind", "community", "--id", "av-sants")
    commands = [shlex.split(line, comments=True) for line in lines if line.strip()]
    assert len(commands) > 15
    for words in commands:
        assert words[0] == "comunidad"
        code, _, err = run(*words[1:])
        assert code == 0, f"{shlex.join(words)}: {err}"


def _tour(title: str) -> list[str]:
    """The first `sh` block under the README's section `title`, one command a line."""
    section = README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def _run_tour(lines: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Type every line as a user would, in order: `cd DIR` moves, `> FILE` writes stdout."""
    import shlex

    from tests.helpers import run

    for line in lines:
        words = shlex.split(line, comments=True)
        if words[0] == "cd":
            monkeypatch.chdir(words[1])
            continue
        assert words[0] == "comunidad", line
        target = None
        if ">" in words:
            at = words.index(">")
            words, target = words[:at], words[at + 1]
        code, out, err = run(*words[1:])
        assert code == 0, f"{line}\n{err}"
        if target is not None:
            Path(target).write_text(out, encoding="utf-8")


@pytest.mark.parametrize("title", ["A short tour", "Running a meeting"])
def test_the_readmes_tours_run_as_written_in_a_fresh_workspace(
    title: str, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line of the tour works typed as written, one after the other, the day after the
    meeting (the by-laws proposal once landed in bylaws/ and made every later command ask
    for --bylaws; `meeting close` without --at failed unless typed on the meeting's day)."""
    from freezegun import freeze_time

    lines = _tour(title)
    assert len(lines) > 8 and not any("<" in line.split("#")[0] for line in lines)
    with freeze_time("2026-11-19 10:00"):
        _run_tour(lines, monkeypatch)


def test_meeting_close_without_at_after_its_day_closes_at_its_last_recorded_event(
    in_tmp: Path,
) -> None:
    from freezegun import freeze_time

    from tests.helpers import ok, refused

    ok("init", "w", "--template", "partnership")
    folder = in_tmp / "w"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        ok("org", "add", "Casa", "--kind", "community", "--id", "casa")
        ok("person", "add", "Ana", "--org", "casa", "--id", "ana")
        ok(
            "member",
            "add",
            "--body",
            "nlg",
            "--person",
            "ana",
            "--class",
            "resident",
            "--from",
            "2025-01-01",
        )
        ok("meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00")
        ok("meeting", "new", "--body", "nlg", "--at", "2026-11-25 18:00")
        ok("meeting", "attend", "nlg-2026-11-18", "--person", "ana", "--at", "18:00")
        ok("meeting", "leave", "nlg-2026-11-18", "--person", "ana", "--at", "19:40")
        with freeze_time("2026-11-26 09:00"):
            err = refused(folder, "meeting", "close", "nlg-2026-11-25")
            assert "nlg-2026-11-25" in err and "--at" in err
            ok("meeting", "close", "nlg-2026-11-18")
            shown = ok("meeting", "show", "nlg-2026-11-18")
    assert "Closed at 11/18/26, 7:40\u202fPM" in shown  # its departure, not 09:00 the next day


def test_where_things_stand_runs_as_written_after_the_grant_tour(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`summary` and `spend-down` as the README types them, on the grant tour's workspace
    (the README once named a grant, `barri-viu-2025`, that only the examples import)."""
    from tests.helpers import ok

    monkeypatch.setenv("COMUNIDAD_LOCALE", "ca_ES")
    ok("init", "xarxa", "--template", "xarxa", "--currency", "EUR")
    monkeypatch.chdir(in_tmp / "xarxa")
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "fundacio-barri-viu")
    ok("org", "add", "AV Sants", "--kind", "community", "--id", "av-sants")
    _run_tour(_tour("Grant administration") + _tour("Where things stand"), monkeypatch)
