"""Keep the gettext catalogs in step with the source: extract, update, check.

    python tools/catalogs.py update   # re-extract comunidad.pot and merge it into es, en, ca
    python tools/catalogs.py check    # exit 1 if the .pot is stale or a catalog is incomplete

Messages are English source text; `_`, `ngettext` translate now, `N_` (and `NP_`, with its
plural) marks text that the core returns as data and the edge translates later.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "comunidad_cli"
LOCALE_DIR = SOURCE / "locale"
POT = LOCALE_DIR / "comunidad.pot"
LANGUAGES = ("es", "en", "ca")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "NP_": (1, 2)}
_FIELD = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*(?:[:!][^}]*)?\}")


def extract() -> object:
    """A Babel catalog of every message in the source tree."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="comunidad", domain="comunidad", fuzzy=False)
    methods = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCE, method_map=methods, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(
            message,
            None,
            [(f"src/comunidad_cli/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def read(path: Path, locale: str | None = None) -> object:
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain="comunidad")


def fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def problems() -> Iterator[str]:
    """Everything that makes the catalogs wrong, as readable lines."""
    extracted = extract()
    ids = {m.id for m in extracted if m.id}  # type: ignore[attr-defined]
    if not POT.exists():
        yield f"{POT}: missing; run python tools/catalogs.py update"
        return
    pot_ids = {m.id for m in read(POT) if m.id}  # type: ignore[attr-defined]
    if ids != pot_ids:
        yield f"{POT}: stale ({len(ids - pot_ids)} new, {len(pot_ids - ids)} gone); run python tools/catalogs.py update"
    for language in LANGUAGES:
        po_path = LOCALE_DIR / language / "LC_MESSAGES" / "comunidad.po"
        if not po_path.exists():
            yield f"{po_path}: missing"
            continue
        catalog = read(po_path, language)
        present = {m.id: m for m in catalog if m.id}  # type: ignore[attr-defined]
        for msgid in sorted(ids, key=str):
            message = present.get(msgid)
            label = msgid if isinstance(msgid, str) else msgid[0]
            if message is None:
                yield f"{po_path}: missing {label!r}"
                continue
            strings = (
                message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            )
            if message.fuzzy or not all(strings):
                yield f"{po_path}: untranslated or fuzzy {label!r}"
                continue
            sources = msgid if isinstance(msgid, tuple) else (msgid,)
            wanted = set().union(*(fields(s) for s in sources))
            for translated in strings:
                if fields(translated) - wanted or (
                    not isinstance(msgid, tuple) and fields(translated) != wanted
                ):
                    yield f"{po_path}: placeholders differ in {label!r}: {translated!r}"


def update() -> None:
    from babel.messages.pofile import write_po

    catalog = extract()
    with POT.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
    for language in LANGUAGES:
        po_path = LOCALE_DIR / language / "LC_MESSAGES" / "comunidad.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            existing = read(po_path, language)
            existing.update(read(POT), no_fuzzy_matching=True)  # type: ignore[attr-defined]
        else:
            from babel.messages.catalog import Catalog

            existing = Catalog(locale=language, domain="comunidad", project="comunidad")
            existing.update(read(POT), no_fuzzy_matching=True)
        with po_path.open("wb") as fh:
            write_po(fh, existing, width=100, sort_output=True, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        found = list(problems())
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
