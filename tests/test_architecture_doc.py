"""docs/architecture.md names real modules: every path in backticks exists, and every name
listed in parentheses after a path, `core/x.py` (`function`, `CONSTANT`), is defined there.
A module moved or a function renamed without its line in the design document fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOC = ROOT / "docs" / "architecture.md"
SOURCE = ROOT / "src" / "comunidad_cli"
_ROOTS = {"src", "tests", "tools", "docs", "benchmarks", "bylaws", "examples", ".ci"}
_ROOTS |= {p.name for p in SOURCE.iterdir() if p.is_dir() and not p.name.startswith("_")}
_TOKEN = re.compile(r"`([^`\s]+)`")
_NAMED = re.compile(r"`([^`\s]+)` \(((?:`[\w.]+`(?:, )?)+)\)")


def is_path(token: str) -> bool:
    return token.endswith(".py") or ("/" in token and token.split("/")[0] in _ROOTS)


def resolve(token: str, repo: Path = ROOT) -> Path | None:
    """The file or folder a path in the document names: from the repository's root, else
    from `src/comunidad_cli/`."""
    for base in (repo, repo / "src" / "comunidad_cli"):
        if (base / token).exists():
            return base / token
    return None


def defined_names(path: Path) -> set[str]:
    """Top-level functions, classes and assignments (and a class's methods and fields, as
    Class.name and name) of a module, or of every module in a package."""
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    names: set[str] = set()
    for file in files:
        for node in ast.parse(file.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    names |= {n for m in _assigned(item) for n in (m, f"{node.name}.{m}")}
            else:
                names |= set(_assigned(node))
    return names


def _assigned(node: ast.stmt) -> list[str]:
    """The names a statement defines: a function, or an assignment to plain names."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def problems(text: str, repo: Path = ROOT) -> list[str]:
    """Each path of `text` that does not exist and each name not defined where it is said to be."""
    found: list[str] = []
    sources: dict[str, list[Path]] = {}
    for token in dict.fromkeys(t for t in _TOKEN.findall(text) if is_path(t)):
        path = resolve(token, repo)
        if path is None:
            found.append(f"{token}: no such file or folder")
        else:
            sources[token] = [path]
    for token, names in _NAMED.findall(text):
        if token not in sources or sources[token][0].suffix not in (".py", ""):
            continue
        known = set().union(*(defined_names(p) for p in sources[token]))
        for name in re.findall(r"`([\w.]+)`", names):
            if name not in known:
                found.append(f"{token}: {name} is not defined there")
    return found


def test_every_path_and_name_in_the_architecture_document_exists() -> None:
    found = problems(DOC.read_text(encoding="utf-8"))
    assert not found, "docs/architecture.md:\n" + "\n".join(found)


def test_the_document_names_the_layers_and_the_contract_test() -> None:
    text = DOC.read_text(encoding="utf-8")
    for folder in ("`core/`", "`storage/`", "`services/`", "`cli/`", "`render/`"):
        assert folder in text
    assert "`tests/test_layers.py`" in text
    assert len([t for t in _TOKEN.findall(text) if is_path(t)]) > 50  # the checker sees them


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`core/fractions.py` (`minimum_count`)", []),
        ("`core/fractions.py` (`minimum_count`, `maximum_count`)", ["maximum_count"]),
        ("`core/governance/tallies.py`", ["core/governance/tallies.py: no such file or folder"]),
        ("`tests/nothing_here.py` and `1/2` and `comunidad.toml`", ["tests/nothing_here.py"]),
        ("`core/governance/` (`judge_quorum`, `QuorumResult.met`)", []),
        ("`storage/locks.py` (`LOCK_TIMEOUT_S`)", []),
        ("`core/grants/` (`check_payment`)", []),
    ],
)
def test_the_checker_finds_what_rotted(text: str, expected: list[str]) -> None:
    found = problems(text)
    assert len(found) == len(expected), found
    for problem, part in zip(found, expected, strict=True):
        assert part in problem
