"""Keys (the natural keys rows are matched on) and the ids generated from names, so `org add`
and `import orgs` agree on them."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Container, Iterator, Sequence

from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.messages import N_, Msg

# --- keys and slugs -----------------------------------------------------------------------

KEY_MAX = 64
# Generated ids: short enough to read aloud, type and copy from an 80-column list.
ID_MAX = 32
_KEY = re.compile(r"[a-z][a-z0-9_-]*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
    # Catalan's geminate "l·l" is one word ("col·lectius" -> "collectius", "Marcel·lí" ->
    # "marcelli"), written with a middle dot, the old "ŀ" or the hyphenation point.
    | {"\u00b7": "", "\u0140": "l", "\u2027": ""}
)


def key_problem(value: str) -> Msg | None:
    """Why `value` is not a valid key, or None when it is."""
    if not value:
        return Msg.of(N_("a key cannot be empty"))
    if len(value) > KEY_MAX:
        return Msg.of(
            N_('key "{key}" is too long ({length} characters; at most {max})'),
            key=value,
            length=len(value),
            max=KEY_MAX,
        )
    if _KEY.fullmatch(value) is None:
        return Msg.of(
            N_(
                'key "{key}" is not valid: use lower-case letters, digits, "-" and "_",'
                " starting with a letter (e.g. maria-jose)"
            ),
            key=value,
        )
    return None


def parse_key(value: str) -> str:
    problem = key_problem(value)
    if problem is not None:
        raise Invalid(problem)
    return value


def slugify(name: str, *, prefix: str, limit: int = ID_MAX) -> str:
    """A key from a name, ASCII-folded: "María José Núñez" -> "maria-jose-nunez".

    A slug that would not start with a letter gets `prefix` ("org", "person") in front; a
    name with no usable letters at all becomes `prefix` alone. Cut at a word boundary to at
    most `limit` characters, so an id stays short enough to read, type and copy.
    """
    return make_id(name, prefix=prefix, limit=limit)


def _words(part: str) -> list[str]:
    """The words of one part of an id: a key as it is (split at "-"), a name ASCII-folded."""
    if key_problem(part) is None:
        return part.split("-")
    return [w for w in _ascii_slug(part).split("-") if w]


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_SLUG.sub("-", ascii_only.lower()).strip("-")


# Little words an id cut short should not end on ("junta-de" reads better as "junta").
_DANGLING = frozenset(
    {"a", "al", "and", "d", "de", "del", "el", "els", "en", "for", "i", "l", "la", "las"}
    | {"les", "lo", "los", "of", "per", "the", "to", "y"}
)


def _cut(words: list[str], budget: int) -> str:
    """As many whole words as fit in `budget` characters; a first word too long is cut."""
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > budget:
            break
        kept.append(word)
    if not kept and words:
        return words[0][: max(budget, 1)]
    if len(kept) < len(words):
        while len(kept) > 1 and kept[-1] in _DANGLING:
            kept.pop()
    return "-".join(kept)


def _fit(parts: Sequence[list[str]], limit: int) -> str:
    """The parts joined by "-" in at most `limit` characters, each with a fair share: a part
    that fits its share (a date, a meeting) stays whole and leaves the rest to the others;
    the longer ones are cut in order, so the last (what tells ids apart: the partner, the
    title) gets what the parts before it leave."""
    joined = "-".join("-".join(w) for w in parts if w)
    if len(joined) <= limit:
        return joined
    present = ["-".join(w) for w in parts if w]
    budget = limit - (len(present) - 1)
    shares: dict[int, str] = {}
    while len(shares) < len(present):
        waiting = [i for i in range(len(present)) if i not in shares]
        share = budget // len(waiting)
        fitting = [i for i in waiting if len(present[i]) <= share]
        index = min(fitting, key=lambda i: len(present[i])) if fitting else waiting[0]
        shares[index] = _cut(present[index].split("-"), share)
        budget -= len(shares[index])
    return "-".join(shares[i] for i in range(len(present)) if shares[i])[:limit].rstrip("-")


def earlier_id(text: str, *, prefix: str) -> str:
    """The id versions before `make_id` generated from `text` (one slug cut at 60 characters,
    not at a word): an import without ids looks it up too, so re-importing a file that an
    earlier version wrote finds its rows instead of adding them twice."""
    slug = _ascii_slug(text)
    slug = slug if slug[:1].isalpha() else f"{prefix}-{slug}".rstrip("-")
    return slug[: KEY_MAX - 4].rstrip("-")


# How versions before Catalan's "l·l" was one word read its middle dot: a word break.
_DOT_AS_BREAK = str.maketrans({"\u00b7": "-", "\u0140": "l-", "\u2027": "-"})


def earlier_ids(*parts: str, prefix: str) -> tuple[str, ...]:
    """The ids earlier versions generated from `parts`, newest first: `make_id`'s with a
    middle dot as a word break ("marcel-li", before "marcelli"), then the one slug cut at 60
    characters of the versions before `make_id` (`earlier_id`, both ways). An import without
    ids looks each up, so re-importing a file finds its rows instead of adding them twice."""
    dotted = tuple(part.translate(_DOT_AS_BREAK) for part in parts)
    found = [make_id(*dotted, prefix=prefix)] if dotted != parts else []
    found += [earlier_id("-".join(parts), prefix=prefix)]
    found += [earlier_id("-".join(dotted), prefix=prefix)]
    return tuple(dict.fromkeys(found))


def _suffixes(base: str) -> Iterator[str]:
    """-2, -3, ...; after a base whose last word is a number (a date, "Fondo 2"), -b, -c, ...
    so an id never reads like "-2-2"."""
    if base.rsplit("-", 1)[-1].isdigit():
        yield from (f"-{letter}" for letter in "bcdefghijklmnopqrstuvwxyz")
        start = 27
    else:
        start = 2
    yield from (f"-{number}" for number in itertools.count(start))


def make_id(
    *parts: str, prefix: str, taken: Container[str] = (), limit: int = ID_MAX, whole: int = 0
) -> str:
    """THE maker of generated ids (people, organisations, grants, subcontracts, payments,
    meetings, motions, deliverables, resources): a readable slug of `parts` (names are
    ASCII-folded, keys kept as they are) joined by "-", at most `limit` characters cut at word
    boundaries, made unique against `taken` with the shortest suffix needed ("-2", or "-b"
    after a number). The first `whole` parts are never cut: a motion's id starts with its
    meeting's whole id, so it always says which meeting (and day) it belongs to, and the
    title gets what is left (at least a word). Pure: `taken` may be any container, e.g. one
    that asks the database.
    """
    words = [_words(part) for part in parts]
    if not words or not words[0] or not words[0][0][:1].isalpha():
        words[0:0] = [[prefix]]
        whole = whole + 1 if whole else 0
    base = _fit_keeping(words, whole, limit, prefix)
    if base not in taken:
        return base
    for suffix in _suffixes(base):
        candidate = _fit_keeping(words, whole, limit - len(suffix), prefix) + suffix
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: the suffixes never run out")


_WORD_MAX = 16  # a first word up to this long is kept whole after the whole parts


def _fit_keeping(parts: Sequence[list[str]], whole: int, limit: int, prefix: str) -> str:
    """`_fit`, with the first `whole` parts kept as they are. What follows them gets what is
    left, but at least its first word whole ("adjudicacion", not "adjudica"); when nothing
    usable follows (a title of punctuation), `prefix`, so that a motion's id is never its
    meeting's id."""
    if not whole:
        return _fit(parts, limit)
    head = "-".join("-".join(w) for w in parts[:whole] if w)
    rest = [w for w in parts[whole:] if w] or [[prefix]]
    first = min(len(rest[0][0]), _WORD_MAX)
    return f"{head}-{_fit(rest, max(limit - len(head) - 1, first))}"
