"""Hatchling build hook: compile the gettext catalogs (.po -> .mo) into the package.

The .po files are the source of truth and are committed; .mo files are build products, so
both the wheel and `pip install -e .` carry compiled catalogs without committing binaries.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

try:  # hatchling is present at build time only; tests import compile_catalogs directly.
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # pragma: no cover
    BuildHookInterface = object  # type: ignore[assignment,misc]

LOCALE_DIR = Path(__file__).parent / "src" / "comunidad_cli" / "locale"
DOMAIN = "comunidad"


def compile_catalogs(locale_dir: Path = LOCALE_DIR, *, strict: bool = True) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/comunidad.po; refuse fuzzy or untranslated entries.

    `strict=False` (the test suite's session start) compiles what there is, so that the
    catalog-completeness test, not an import error, reports the gap.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name, domain=DOMAIN)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        if missing and strict:
            raise SystemExit(
                f"{po_path}: {len(missing)} untranslated or fuzzy entries, e.g. {missing[0]!r}"
            )
        mo_path = po_path.with_suffix(".mo")
        # Written aside, then renamed: test workers compile at start while others read.
        partial = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
        with partial.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(partial, mo_path)
        written.append(mo_path)
    return written


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        compile_catalogs(Path(self.root) / "src" / "comunidad_cli" / "locale")
