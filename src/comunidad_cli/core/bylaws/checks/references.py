"""By-laws checks on references: every id mentioned is defined, ids are unique across kinds,
no body is its own ancestor, a body's classes and seats agree."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from comunidad_cli.core.bylaws.codes import finding
from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.findings import Finding, KeyPath
from comunidad_cli.core.messages import N_, Msg

if TYPE_CHECKING:
    from comunidad_cli.core.bylaws.lint import Context


# --- references ---------------------------------------------------------------------------

_UNKNOWN = {
    "bodies": ("BL201", N_('unknown body "{ref}"{hint}')),
    "classes": ("BL202", N_('unknown class "{ref}"{hint}')),
    "rules": ("BL203", N_('unknown rule "{ref}"{hint}')),
    "roles": ("BL204", N_('unknown role "{ref}"{hint}')),
    "decisions": ("BL205", N_('unknown decision "{ref}"{hint}')),
}


def _hint(ref: str, known: Iterable[str]) -> Msg:
    names = sorted(known)
    close = difflib.get_close_matches(ref, names, n=1, cutoff=0.6)
    if close:
        return Msg.of(N_('; did you mean "{suggestion}"?'), suggestion=close[0])
    if names:
        return Msg.of(N_("; defined: {known}"), known=", ".join(names))
    return Msg.of(N_("; none is defined"))


def _namespace(b: Bylaws, name: str) -> Mapping[str, object]:
    return {
        "bodies": b.bodies,
        "classes": b.classes,
        "rules": b.rules,
        "roles": b.roles,
        "decisions": b.decisions,
    }[name]


def _refs(b: Bylaws) -> Iterator[tuple[KeyPath, str, str]]:
    """Every reference in the file: (path of the value, namespace, referenced id)."""
    for body in b.bodies.values():
        if body.parent is not None:
            yield ("bodies", body.id, "parent"), "bodies", body.parent
        for index, class_id in enumerate(body.classes):
            yield ("bodies", body.id, "classes", index), "classes", class_id
        for class_id in body.seats:
            yield ("bodies", body.id, "seats", class_id), "classes", class_id
        if body.quorum is not None:
            for class_id in body.quorum.minimums:
                yield ("bodies", body.id, "quorum", "min", class_id), "classes", class_id
        if body.chair is not None:
            yield ("bodies", body.id, "chair"), "roles", body.chair
    for rule in b.rules.values():
        if rule.dual is not None:
            yield ("rules", rule.id, "dual", "class"), "classes", rule.dual.member_class
    for decision in b.decisions.values():
        if decision.body is not None:
            yield ("decisions", decision.id, "body"), "bodies", decision.body
        if decision.rule is not None:
            yield ("decisions", decision.id, "rule"), "rules", decision.rule
    for role in b.roles.values():
        if role.body is not None:
            yield ("roles", role.id, "body"), "bodies", role.body
        if role.elected_by is not None:
            yield ("roles", role.id, "elected_by"), "bodies", role.elected_by
    if b.ordinary_decision_explicit:
        yield ("ordinary_decision",), "decisions", b.ordinary_decision
    if b.amendment_decision_explicit:
        yield ("amendment_decision",), "decisions", b.amendment_decision


def check_references(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """Every id a file mentions must be defined in the same file."""
    for path, namespace, ref in _refs(b):
        known = _namespace(b, namespace)
        if ref not in known:
            code, text = _UNKNOWN[namespace]
            yield finding(code, path, text, at_value=True, ref=ref, hint=_hint(ref, known))


_NAMESPACE_NAMES = {
    "classes": N_("class"),
    "bodies": N_("body"),
    "rules": N_("rule"),
    "decisions": N_("decision"),
    "roles": N_("role"),
}


def check_duplicate_ids(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """An id used in two namespaces makes references and minutes ambiguous to readers."""
    first_seen: dict[str, str] = {}
    for namespace in _NAMESPACE_NAMES:
        for entry_id in _namespace(b, namespace):
            if entry_id in first_seen:
                yield finding(
                    "BL206",
                    (namespace, entry_id),
                    N_('id "{id}" names both a {first} and a {second}: use distinct ids'),
                    id=entry_id,
                    first=Msg.of(_NAMESPACE_NAMES[first_seen[entry_id]]),
                    second=Msg.of(_NAMESPACE_NAMES[namespace]),
                )
            else:
                first_seen[entry_id] = namespace


def check_parent_cycles(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """A committee can't be its own ancestor: report each cycle once, at its first body."""
    reported: set[frozenset[str]] = set()
    for start in b.bodies:
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in b.bodies and current not in chain:
            chain.append(current)
            current = b.bodies[current].parent
        if current is None or current not in chain:
            continue
        cycle = chain[chain.index(current) :]
        key = frozenset(cycle)
        if key in reported:
            continue
        reported.add(key)
        first = min(cycle)
        order = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
        yield finding(
            "BL207",
            ("bodies", first, "parent"),
            N_("bodies form a parent cycle: {cycle}"),
            at_value=True,
            cycle=" -> ".join(order),
        )


def check_body_classes(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """Seats and quorum minimums only for classes that sit on the body."""
    for body in b.bodies.values():
        if body.classes:
            for class_id in body.seats:
                if class_id in b.classes and class_id not in body.classes:
                    yield finding(
                        "BL208",
                        ("bodies", body.id, "seats", class_id),
                        N_(
                            'body "{body}" gives seats to class "{cls}", which is not in its classes'
                        ),
                        body=body.id,
                        cls=class_id,
                    )
        if body.quorum is not None:
            for class_id in body.quorum.minimums:
                if class_id in b.classes and class_id not in body.class_ids:
                    yield finding(
                        "BL209",
                        ("bodies", body.id, "quorum", "min", class_id),
                        N_(
                            'quorum of body "{body}" requires class "{cls}", which does not sit on it'
                        ),
                        body=body.id,
                        cls=class_id,
                    )
