"""Import contracts between the layers (docs/architecture.md, "Layers").

The core stays pure (no storage, services, CLI, rendering, Rich, Typer, SQLAlchemy or
clock), storage knows nothing of services or the CLI, services nothing of the CLI, the CLI
reaches the data only through services, and rendering reads no storage. The imports are read with `ast` from every
module of `src/comunidad_cli`, including imports inside functions (where the heavy ones
live, to keep start-up light) and `importlib.import_module("...")` with a literal name, so
a contract cannot be dodged by importing late.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = "comunidad_cli"

# layer (a package prefix) -> the imports it may not make (package prefixes)
CONTRACTS: dict[str, tuple[str, ...]] = {
    f"{PACKAGE}.core": (
        f"{PACKAGE}.storage",
        f"{PACKAGE}.services",
        f"{PACKAGE}.cli",
        f"{PACKAGE}.render",
        f"{PACKAGE}.clock",
        "rich",
        "typer",
        "sqlalchemy",
        "sqlmodel",
    ),
    f"{PACKAGE}.storage": (f"{PACKAGE}.services", f"{PACKAGE}.cli"),
    f"{PACKAGE}.services": (f"{PACKAGE}.cli",),
    f"{PACKAGE}.cli": (f"{PACKAGE}.storage",),
    f"{PACKAGE}.render": (f"{PACKAGE}.storage", f"{PACKAGE}.cli"),
}


@dataclass(frozen=True)
class Violation:
    """One forbidden import: where it is, what it imports, which contract it breaks."""

    path: str
    line: int
    module: str
    imported: str
    layer: str
    forbidden: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.module} imports {self.imported}"
            f" ({self.layer} may not import {self.forbidden})"
        )


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _module_name(path: Path, source_root: Path) -> str:
    parts = list(path.relative_to(source_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module name the code imports, with its line; `from a import b` yields a and a.b."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                # a package's own __init__ is level 1 of itself; a module's, of its package
                keep = len(base) - node.level + (1 if is_package else 0)
                base = base[:keep]
                parent = ".".join([*base, node.module] if node.module else base)
            else:
                parent = node.module or ""
            found.append((node.lineno, parent))
            found += [(node.lineno, f"{parent}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def layer_violations(source_root: Path) -> list[Violation]:
    """The forbidden imports of every module under `source_root/comunidad_cli`."""
    violations: list[Violation] = []
    for path in sorted((source_root / PACKAGE).rglob("*.py")):
        module = _module_name(path, source_root)
        rules = [
            (layer, forbidden)
            for layer, forbidden_list in CONTRACTS.items()
            if _within(module, layer)
            for forbidden in forbidden_list
        ]
        if not rules:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        seen: set[tuple[int, str]] = set()
        for line, imported in _imported_names(tree, module, path.name == "__init__.py"):
            for layer, forbidden in rules:
                if _within(imported, forbidden) and (line, forbidden) not in seen:
                    seen.add((line, forbidden))
                    relative = path.relative_to(source_root.parent).as_posix()
                    violations.append(Violation(relative, line, module, imported, layer, forbidden))
    return violations


def test_every_layer_keeps_its_import_contract() -> None:
    violations = layer_violations(ROOT / "src")
    assert not violations, "forbidden imports:\n" + "\n".join(map(str, violations))


def test_the_checker_reads_every_module_of_every_layer() -> None:
    """A checker that found no modules would pass whatever the code did."""
    modules = {_module_name(p, ROOT / "src") for p in (ROOT / "src" / PACKAGE).rglob("*.py")}
    for layer in CONTRACTS:
        assert any(_within(m, layer) for m in modules), layer


def _write(root: Path, relative: str, text: str) -> None:
    path = root / "src" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checker_finds_each_kind_of_forbidden_import(tmp_path: Path) -> None:
    """A synthetic tree breaking every contract once, in each way an import can be written."""
    for package in ("", "core", "storage", "services", "cli", "render"):
        _write(tmp_path, f"{PACKAGE}/{package}/__init__.py".replace("//", "/"), "")
    _write(
        tmp_path,
        f"{PACKAGE}/core/pure.py",
        "from __future__ import annotations\n"
        "import json\n"
        "from comunidad_cli.core import messages\n"
        "from comunidad_cli import i18n\n",
    )
    _write(
        tmp_path,
        f"{PACKAGE}/core/impure.py",
        "import rich.table\n"
        "from comunidad_cli import clock\n"
        "\n"
        "def later() -> None:\n"
        "    from ..storage.tables import table_of\n"
        "    import sqlalchemy\n",
    )
    _write(tmp_path, f"{PACKAGE}/core/__init__.py", "from . import impure\nimport typer\n")
    _write(
        tmp_path, f"{PACKAGE}/storage/engine.py", "from comunidad_cli.services.errors import E\n"
    )
    _write(tmp_path, f"{PACKAGE}/services/x.py", "import comunidad_cli.cli._common as common\n")
    _write(
        tmp_path,
        f"{PACKAGE}/cli/cmd.py",
        "import importlib\n"
        "from comunidad_cli.services import meetings\n"
        "def run() -> None:\n"
        "    importlib.import_module('comunidad_cli.storage.engine')\n",
    )
    _write(
        tmp_path,
        f"{PACKAGE}/render/page.py",
        "import rich\nfrom comunidad_cli.services import minutes\nfrom comunidad_cli import storage\n",
    )

    found = sorted(map(str, layer_violations(tmp_path / "src")))

    assert found == [
        "src/comunidad_cli/cli/cmd.py:4: comunidad_cli.cli.cmd imports comunidad_cli.storage.engine"
        " (comunidad_cli.cli may not import comunidad_cli.storage)",
        "src/comunidad_cli/core/__init__.py:2: comunidad_cli.core imports typer"
        " (comunidad_cli.core may not import typer)",
        "src/comunidad_cli/core/impure.py:1: comunidad_cli.core.impure imports rich.table"
        " (comunidad_cli.core may not import rich)",
        "src/comunidad_cli/core/impure.py:2: comunidad_cli.core.impure imports"
        " comunidad_cli.clock (comunidad_cli.core may not import comunidad_cli.clock)",
        "src/comunidad_cli/core/impure.py:5: comunidad_cli.core.impure imports"
        " comunidad_cli.storage.tables (comunidad_cli.core may not import comunidad_cli.storage)",
        "src/comunidad_cli/core/impure.py:6: comunidad_cli.core.impure imports sqlalchemy"
        " (comunidad_cli.core may not import sqlalchemy)",
        "src/comunidad_cli/render/page.py:3: comunidad_cli.render.page imports"
        " comunidad_cli.storage (comunidad_cli.render may not import comunidad_cli.storage)",
        "src/comunidad_cli/services/x.py:1: comunidad_cli.services.x imports"
        " comunidad_cli.cli._common (comunidad_cli.services may not import comunidad_cli.cli)",
        "src/comunidad_cli/storage/engine.py:1: comunidad_cli.storage.engine imports"
        " comunidad_cli.services.errors (comunidad_cli.storage may not import"
        " comunidad_cli.services)",
    ]
