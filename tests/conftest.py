"""Shared fixtures. Catalogs are compiled fresh at session start so edits to .po files are
tested without reinstalling the package."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _compile_catalogs() -> None:
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_catalogs(strict=False)


_compile_catalogs()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests start in English, outside any workspace, with no CI-specific variables."""
    for name in (
        "COMUNIDAD_LOCALE",
        "COMUNIDAD_WORKSPACE",
        "COMUNIDAD_DB",
        "COMUNIDAD_AS_OF",
        "GITHUB_ACTIONS",
        "LANGUAGE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    from comunidad_cli import i18n

    i18n.activate("en")
    yield
    i18n.activate("en")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty temporary folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running `comunidad` as a user would, in a subprocess."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COMUNIDAD_", "LC_", "GITHUB_"))
    }
    env.pop("LANGUAGE", None)
    env["LANG"] = "C.UTF-8"
    env.update(extra)
    return env


pytest_plugins = ["tests.governance"]
