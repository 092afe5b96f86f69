"""Upgrade a schema-1 by-laws text to schema 2 by editing the one value that changes.

A text edit, not a TOML round-trip: the `schema = 1` line becomes `schema = 2` and every
other byte (comments, blank lines, key order, quoting) stays as the people who wrote it
left it. Schema 2 only adds keys (`rules.X.dual`), so a schema-1 document means the same
under schema 2; `upgrade_text` checks that by parsing both texts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from comunidad_cli.core.messages import N_, Msg

# The top-level `schema` key, before any [table] header, with its value 1.
_SCHEMA_LINE = re.compile(r"^([ \t]*schema[ \t]*=[ \t]*)1([ \t]*(?:#.*)?)$", re.MULTILINE)
_FIRST_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Upgraded:
    """The upgraded text, or why there is none (`problem`), or `already` at schema 2."""

    text: str | None
    problem: Msg | None = None
    already: bool = False


def upgrade_text(text: str) -> Upgraded:
    """The schema-2 text of a schema-1 by-laws text, edited in place."""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Upgraded(None, Msg.of(N_("not valid TOML: {reason}"), reason=str(error)))
    version = before.get("schema")
    if version == 2 and not isinstance(version, bool):
        return Upgraded(None, already=True)
    if version != 1 or isinstance(version, bool):
        return Upgraded(
            None,
            Msg.of(
                N_("only schema 1 upgrades to schema 2; this file says schema = {found}"),
                found=repr(version),
            ),
        )
    header = _FIRST_TABLE.search(text)
    head = text[: header.start()] if header else text
    match = _SCHEMA_LINE.search(head)
    if match is None:
        return Upgraded(
            None,
            Msg.of(N_('cannot find the line "schema = 1" to change: change it to 2 by hand')),
        )
    upgraded = text[: match.start()] + match.group(1) + "2" + match.group(2) + text[match.end() :]
    after = tomllib.loads(upgraded)
    if {**after, "schema": 1} != before:  # pragma: no cover - the regex changes one value
        return Upgraded(None, Msg.of(N_('cannot change "schema = 1" safely: change it by hand')))
    return Upgraded(upgraded)
