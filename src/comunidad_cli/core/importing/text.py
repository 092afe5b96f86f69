"""The checks behind every text people type: no control characters, names on one line."""

from __future__ import annotations

import re

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg

# Refused in anything people type that is printed back (names, titles, reasons, labels):
# C0 and C1 control characters but tab, line feed and carriage return (whitespace, collapsed
# or kept as typed), NUL included; the bidi embeddings, overrides and isolates, which make a
# name display as other text ("Trojan Source"); lone surrogates (undecodable bytes from a
# command line). Other invisible format characters are part of writing and are kept: ZWJ in
# emoji, ZWNJ in Persian, LRM/RLM in Arabic and Hebrew, soft hyphens.
_REFUSED_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def text_problem(value: str) -> Msg | None:
    """Why `value` can't be recorded as typed text (a control character), or None: the one
    check behind every name, title and label, by command and by import."""
    found = _REFUSED_CHARACTER.search(value)
    if found is None:
        return None
    return Msg.of(
        N_(
            "character {position} is an invisible control character ({code}): remove it,"
            " the text is recorded and printed exactly as typed"
        ),
        position=found.start() + 1,
        code=f"U+{ord(found.group()):04X}",
    )


def check_text(value: str) -> str:
    """`value` as it is, or `Invalid` when it holds a control character."""
    problem = text_problem(value)
    if problem is not None:
        raise Invalid(problem)
    return value


def parse_text(value: str) -> str:
    return check_text(value)


_LINE_BREAK = re.compile("[\t\n\r]")


def one_line(value: str) -> str:
    """A name, title or label: `check_text`, and on one line. A tab or a line break in a name
    is refused, not turned into a space (a spreadsheet cell with a stray line break is a
    question for the person who typed it); runs of spaces count as one."""
    check_text(value)
    found = _LINE_BREAK.search(value)
    if found is not None:
        raise Invalid.of(
            N_(
                "character {position} is a tab or a line break ({code}): a name or title is"
                " written on one line"
            ),
            position=found.start() + 1,
            code=f"U+{ord(found.group()):04X}",
        )
    return " ".join(value.split())


def same_name(text: str) -> str:
    """What two names typed for one person share however they were typed: Unicode's
    composed form (a Mac types "Núria" decomposed), case and the spaces between words set
    aside. For finding a name typed twice, never for storing it: names stay as typed."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
