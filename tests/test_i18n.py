"""Languages: complete catalogs, locale resolution, Babel formats, catalogs in the wheel."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from comunidad_cli import i18n
from comunidad_cli.cli import select_locale
from comunidad_cli.core.messages import NP_, Msg
from tests.conftest import ROOT, subprocess_env


def _catalog_tool() -> object:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "tools" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogs_are_complete_and_current() -> None:
    """Every message in the source has a es, en and ca translation with the same fields."""
    problems = list(_catalog_tool().problems())  # type: ignore[attr-defined]
    assert problems == [], "\n".join(problems[:20]) + "\nrun: python tools/catalogs.py update"


def test_the_catalog_check_catches_a_missing_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The completeness check itself can fail: blank one Catalan entry and it says so."""
    tool = _catalog_tool()
    locale_dir = tmp_path / "locale"
    import shutil

    shutil.copytree(ROOT / "src" / "comunidad_cli" / "locale", locale_dir)
    po = locale_dir / "ca" / "LC_MESSAGES" / "comunidad.po"
    text = po.read_text(encoding="utf-8")
    marker = 'msgid "Quorum"\nmsgstr "'
    assert marker in text
    start = text.index(marker) + len(marker)
    end = text.index('"', start)
    po.write_text(text[:start] + text[end:], encoding="utf-8")
    monkeypatch.setattr(tool, "LOCALE_DIR", locale_dir)
    monkeypatch.setattr(tool, "POT", locale_dir / "comunidad.pot")
    problems = list(tool.problems())  # type: ignore[attr-defined]
    assert any("ca" in p and "'Quorum'" in p for p in problems)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("es_CL.UTF-8", "es_CL"),
        ("ca_ES.UTF-8", "ca_ES"),
        ("ca-es", "ca_ES"),
        ("en_US", "en_US"),
        ("es", "es"),
        ("C", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("fr_FR.UTF-8", "en"),
        ("", None),
        ("???", None),
        (None, None),
    ],
)
def test_normalize(tag: str | None, expected: str | None) -> None:
    assert i18n.normalize(tag) == expected


def test_resolution_order() -> None:
    env = {"COMUNIDAD_LOCALE": "ca", "LC_ALL": "es_CL.UTF-8", "LANG": "en_US.UTF-8"}
    assert i18n.resolve("es", env, "en") == "es"
    assert i18n.resolve(None, env, "en") == "ca"
    assert i18n.resolve(None, {"LC_ALL": "es_CL.UTF-8", "LANG": "ca_ES.UTF-8"}, "en") == "en"
    assert i18n.resolve(None, {"LC_ALL": "es_CL.UTF-8", "LANG": "ca_ES.UTF-8"}) == "es_CL"
    assert i18n.resolve(None, {"LC_MESSAGES": "ca_ES.UTF-8", "LANG": "es_ES.UTF-8"}) == "ca_ES"
    assert i18n.resolve(None, {"LANG": "C"}) == "en"
    assert i18n.resolve(None, {}) == "en"


def test_workspace_locale_is_used_when_nothing_else_says(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / "comunidad.toml").write_text('name = "x"\nlocale = "ca_ES"\n')
    (in_tmp / "sub").mkdir()
    monkeypatch.chdir(in_tmp / "sub")
    assert select_locale([]) == "ca_ES"
    assert select_locale(["--locale", "es"]) == "es"
    monkeypatch.setenv("COMUNIDAD_LOCALE", "en")
    assert select_locale([]) == "en"


def test_babel_formats_follow_the_locale() -> None:
    i18n.activate("es_CL")
    assert i18n.format_money(Decimal("1234567"), "CLP") == "$1.234.567"
    assert i18n.format_date(date(2026, 11, 23)) == "23 de noviembre de 2026"
    i18n.activate("ca")
    assert i18n.format_money(Decimal("1234.5"), "EUR") == "1.234,50\xa0€"
    assert i18n.format_date(date(2026, 3, 1)) == "1 de març del 2026"
    i18n.activate("en")
    assert i18n.format_number(1000) == "1,000"
    assert i18n.default_currency("es_CL") == "CLP"
    assert i18n.default_currency("ca") == "EUR"
    assert i18n.default_currency("en") == "USD"


def test_messages_are_translated() -> None:
    i18n.activate("es")
    assert i18n._("Quorum") == "Quórum"
    i18n.activate("ca")
    assert i18n._("Quorum") == "Quòrum"
    i18n.activate("en")
    assert i18n._("Quorum") == "Quorum"


def test_help_is_translated() -> None:
    for lang, word in (("es_CL.UTF-8", "Estatutos"), ("ca_ES.UTF-8", "Estatuts")):
        result = subprocess.run(
            [sys.executable, "-m", "comunidad_cli", "--help"],
            env=subprocess_env(LANG=lang),
            capture_output=True,
            text=True,
            check=True,
        )
        assert word in result.stdout


def test_the_wheel_ships_compiled_catalogs(tmp_path: Path) -> None:
    """Built as a user's pip would: the wheel carries es, en and ca .mo files."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("comunidad-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for lang in ("es", "en", "ca"):
        assert f"comunidad_cli/locale/{lang}/LC_MESSAGES/comunidad.mo" in names
    assert "comunidad_cli/templates/partnership.toml" in names


def test_a_counted_message_agrees_with_its_number_in_each_language() -> None:
    """`Msg.counted`: "1 seat" / "7 seats", by each language's plural rule."""
    from comunidad_cli.cli._common import render
    from comunidad_cli.core.governance.model import Seat
    from comunidad_cli.core.governance.seats import check_seat
    from tests.test_governance_core import make_bylaws

    def refusal(cap: int) -> Msg:
        bylaws = make_bylaws(seats={"resident": cap})
        held = [Seat(f"p{n}", "board", "resident", date(2024, 1, 1), None) for n in range(cap)]
        new = Seat("new", "board", "resident", date(2024, 6, 1), None)
        (problem,) = check_seat(bylaws, held, new)
        return problem.msg

    one, seven = refusal(1), refusal(7)
    assert one.render() == (
        '"board" has 1 seat for class "resident" and it is held on 2024-06-01: end that seat first'
    )
    assert seven.render().startswith('"board" has 7 seats for class "resident" and all are held')
    i18n.activate("es")
    assert render(one).startswith('"board" tiene 1 puesto para la clase "resident"')
    assert render(seven).startswith('"board" tiene 7 puestos para la clase "resident"')
    i18n.activate("ca")
    assert render(one).startswith('"board" té 1 plaça per a la classe "resident"')
    assert render(seven).startswith('"board" té 7 places per a la classe "resident"')
    i18n.activate("en")
    assert render(seven).startswith('"board" has 7 seats')
    with pytest.raises(ValueError, match="count"):
        Msg.counted(NP_("{n} seat", "{n} seats"), "n_missing", n=1)


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings, so `_("...")` there never reaches the
    catalogs and prints English to everyone (the summary's "no motions" did)."""
    import ast

    source = Path(__file__).resolve().parent.parent / "src" / "comunidad_cli"
    found = []
    for path in sorted(source.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in {"_", "N_", "ngettext", "NP_"}
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    found.append(f"{path.relative_to(source)}:{inner.lineno}")
    assert found == []
