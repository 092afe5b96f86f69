"""A semantic diff of two versions of by-laws: what an amendment changes, in words.

Not a text diff: reordering keys or editing comments changes nothing here, while a quorum
going from "more than 1/2 of voting members" to "at least 2/3" is one change, described
with the same phrases as `bylaws show` uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from comunidad_cli.core.bylaws.describe import describe_quorum, describe_rule
from comunidad_cli.core.bylaws.model import Body, Bylaws, Decision, MemberClass, Role, Rule
from comunidad_cli.core.messages import N_, NP_, Msg


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    """One change: what (`subject`), where (`path`), and the before/after in words."""

    kind: ChangeKind
    path: str
    subject: Msg
    old: Msg | None = None
    new: Msg | None = None


def _plain(value: object) -> Msg:
    return Msg.of("{value}", value=value)


def _yes_no(value: bool) -> Msg:
    return Msg.of(N_("yes")) if value else Msg.of(N_("no"))


def _days(value: int | None) -> Msg:
    if value is None:
        return Msg.of(N_("not stated"))
    return Msg.counted(NP_("{days} day", "{days} days"), "days", days=value)


def _optional(value: object) -> Msg:
    return Msg.of(N_("none")) if value in (None, "", ()) else _plain(value)


def _seats(body: Body) -> Msg:
    if body.seats:
        return _plain(", ".join(f"{c} {n}" for c, n in body.seats.items()))
    return _plain(", ".join(body.class_ids))


T = TypeVar("T")


def _compare(
    namespace: str,
    noun: str,
    old: Mapping[str, T],
    new: Mapping[str, T],
    name_of: Callable[[T], str],
    fields: list[tuple[str, str, Callable[[T], Msg]]],
) -> Iterator[Change]:
    for entry_id in sorted(old.keys() - new.keys()):
        yield Change(
            ChangeKind.REMOVED,
            f"{namespace}.{entry_id}",
            Msg.of(noun, name=name_of(old[entry_id])),
        )
    for entry_id in sorted(new.keys() - old.keys()):
        yield Change(
            ChangeKind.ADDED, f"{namespace}.{entry_id}", Msg.of(noun, name=name_of(new[entry_id]))
        )
    for entry_id in sorted(old.keys() & new.keys()):
        before, after = old[entry_id], new[entry_id]
        for key, subject, describe in fields:
            old_text, new_text = describe(before), describe(after)
            if old_text != new_text:
                yield Change(
                    ChangeKind.CHANGED,
                    f"{namespace}.{entry_id}.{key}",
                    Msg.of(subject, name=name_of(after)),
                    old_text,
                    new_text,
                )


def diff(old: Bylaws, new: Bylaws) -> list[Change]:
    """Every change in substance from `old` to `new`, in a stable order."""
    changes: list[Change] = []
    for key, subject, before, after in (
        ("name", N_("name of the by-laws"), _plain(old.name), _plain(new.name)),
        ("adopted", N_("adoption date"), _optional(old.adopted), _optional(new.adopted)),
        ("amended", N_("date of last amendment"), _optional(old.amended), _optional(new.amended)),
    ):
        if before != after:
            changes.append(Change(ChangeKind.CHANGED, key, Msg.of(subject), before, after))

    class_fields: list[tuple[str, str, Callable[[MemberClass], Msg]]] = [
        ("name", N_('name of class "{name}"'), lambda c: _plain(c.name)),
        ("votes", N_('vote of class "{name}"'), lambda c: _yes_no(c.votes)),
        ("kind", N_('kind of class "{name}"'), lambda c: _optional(c.kind)),
    ]
    changes += _compare(
        "classes", N_('class "{name}"'), old.classes, new.classes, lambda c: c.name, class_fields
    )

    def quorum_old(b: Body) -> Msg:
        return describe_quorum(b.quorum, old)

    def quorum_new(b: Body) -> Msg:
        return describe_quorum(b.quorum, new)

    body_fields: list[tuple[str, str, Callable[[Body], Msg]]] = [
        ("name", N_('name of body "{name}"'), lambda b: _plain(b.name)),
        ("parent", N_('parent of "{name}"'), lambda b: _optional(b.parent)),
        ("seats", N_('seats of "{name}"'), _seats),
        ("notice_days", N_('notice for meetings of "{name}"'), lambda b: _days(b.notice_days)),
        ("chair", N_('chair of "{name}"'), lambda b: _optional(b.chair)),
    ]
    changes += _compare(
        "bodies", N_('body "{name}"'), old.bodies, new.bodies, lambda b: b.name, body_fields
    )
    for body_id in sorted(old.bodies.keys() & new.bodies.keys()):
        before_q, after_q = quorum_old(old.bodies[body_id]), quorum_new(new.bodies[body_id])
        if before_q != after_q:
            changes.append(
                Change(
                    ChangeKind.CHANGED,
                    f"bodies.{body_id}.quorum",
                    Msg.of(N_('quorum of "{name}"'), name=new.bodies[body_id].name),
                    before_q,
                    after_q,
                )
            )

    rule_fields: list[tuple[str, str, Callable[[Rule], Msg]]] = [
        ("threshold", N_('rule "{name}"'), describe_rule),
    ]
    changes += _compare(
        "rules", N_('rule "{name}"'), old.rules, new.rules, lambda r: r.id, rule_fields
    )

    def rule_of(bylaws: Bylaws) -> Callable[[Decision], Msg]:
        def describe(d: Decision) -> Msg:
            rule = bylaws.rules.get(d.rule or "")
            if rule is None:
                return _optional(d.rule)
            return Msg.of("{rule} ({text})", rule=rule.id, text=describe_rule(rule))

        return describe

    def notice_of(bylaws: Bylaws) -> Callable[[Decision], Msg]:
        return lambda d: _days(bylaws.notice_for(d))

    decision_fields: list[tuple[str, str, Callable[[Decision], Msg]]] = [
        ("body", N_('body that decides "{name}"'), lambda d: _optional(d.body)),
        ("recusal", N_('recusal in "{name}"'), lambda d: _yes_no(d.recusal)),
        ("awards", N_('"{name}" awards money'), lambda d: _yes_no(d.awards)),
        ("plan", N_('"{name}" adopts the improvement plan'), lambda d: _yes_no(d.plan)),
    ]
    changes += _compare(
        "decisions",
        N_('decision "{name}"'),
        old.decisions,
        new.decisions,
        lambda d: d.name or d.id,
        decision_fields,
    )
    for decision_id in sorted(old.decisions.keys() & new.decisions.keys()):
        before_d, after_d = old.decisions[decision_id], new.decisions[decision_id]
        name = after_d.name or after_d.id
        for key, subject, old_describe, new_describe in (
            ("rule", N_('rule for "{name}"'), rule_of(old), rule_of(new)),
            ("notice_days", N_('notice for "{name}"'), notice_of(old), notice_of(new)),
        ):
            before_text, after_text = old_describe(before_d), new_describe(after_d)
            if before_text != after_text:
                changes.append(
                    Change(
                        ChangeKind.CHANGED,
                        f"decisions.{decision_id}.{key}",
                        Msg.of(subject, name=name),
                        before_text,
                        after_text,
                    )
                )

    role_fields: list[tuple[str, str, Callable[[Role], Msg]]] = [
        ("name", N_('name of role "{name}"'), lambda r: _plain(r.name)),
        ("body", N_('body of role "{name}"'), lambda r: _optional(r.body)),
        ("elected_by", N_('who elects "{name}"'), lambda r: _optional(r.elected_by)),
        ("holders", N_('holders of "{name}"'), lambda r: _plain(r.holders)),
        ("term_months", N_('term of "{name}" (months)'), lambda r: _optional(r.term_months)),
        ("max_terms", N_('term limit of "{name}"'), lambda r: _optional(r.max_terms)),
        ("duties", N_('duties of "{name}"'), lambda r: _optional("; ".join(r.duties))),
    ]
    changes += _compare(
        "roles", N_('role "{name}"'), old.roles, new.roles, lambda r: r.name, role_fields
    )

    for key, subject, before, after in (
        (
            "proxies.allowed",
            N_("proxies allowed"),
            _yes_no(old.proxies_allowed),
            _yes_no(new.proxies_allowed),
        ),
        (
            "proxies.max_per_holder",
            N_("proxies one member may hold"),
            _optional(old.proxies_max_per_holder),
            _optional(new.proxies_max_per_holder),
        ),
        (
            "conflict_of_interest.counts_for_quorum",
            N_("recused members count for quorum"),
            _yes_no(old.recused_count_for_quorum),
            _yes_no(new.recused_count_for_quorum),
        ),
        (
            "conflict_resolution.steps",
            N_("conflict resolution steps"),
            _optional(" → ".join(old.conflict_resolution or ())),
            _optional(" → ".join(new.conflict_resolution or ())),
        ),
    ):
        if before != after:
            changes.append(Change(ChangeKind.CHANGED, key, Msg.of(subject), before, after))
    return changes
