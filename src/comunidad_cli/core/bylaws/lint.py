"""Semantic checks over the by-laws model, in the beancount style.

Each check is a plain function `(bylaws, context) -> findings`; `CHECKS` lists them and
`check_document` runs shape validation and then every check, collecting all findings
instead of stopping at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from comunidad_cli.core.bylaws import spec
from comunidad_cli.core.bylaws.codes import CODES
from comunidad_cli.core.bylaws.describe import describe_rule
from comunidad_cli.core.bylaws.model import Body, Bylaws, Decision, Rule, build
from comunidad_cli.core.findings import Finding, KeyPath
from comunidad_cli.core.fractions import minimum_count
from comunidad_cli.core.messages import N_, Msg


@dataclass(frozen=True, slots=True)
class Context:
    """What checks may know beyond the file: today's date (from the one clock)."""

    today: date


Check = Callable[[Bylaws, Context], Iterable[Finding]]


def finding(
    code: str, path: KeyPath, text: str, *, at_value: bool = False, **params: Any
) -> Finding:
    """A finding with the code's default severity."""
    return Finding(code, CODES[code].severity, Msg.of(text, **params), path, at_value=at_value)


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


# --- thresholds and quorum ----------------------------------------------------------------


def check_thresholds(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """A threshold must lie in (0, 1], and "more than all" can never pass."""
    for rule in b.rules.values():
        t = rule.threshold
        if t is None:
            continue
        if t <= 0 or t > 1:
            yield finding(
                "BL301",
                ("rules", rule.id, "threshold"),
                N_('threshold {value} of rule "{rule}" must be more than 0 and at most 1'),
                at_value=True,
                value=str(t),
                rule=rule.id,
            )
        elif t == 1 and rule.strict:
            yield finding(
                "BL302",
                ("rules", rule.id, "strict"),
                N_(
                    'rule "{rule}" can never pass: nobody gets more than all the votes;'
                    " for unanimity set strict = false"
                ),
                rule=rule.id,
            )


def _voting_seats(b: Bylaws, body: Body) -> int | None:
    """Voting seats of the body, or None when a voting class sits without a seat limit."""
    voting = [c for c in body.class_ids if c in b.classes and b.classes[c].votes]
    if not body.seats or any(c not in body.seats for c in voting):
        return None
    return sum(body.seats[c] for c in voting)


def check_quorum(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """A quorum the body can actually reach."""
    for body in b.bodies.values():
        q = body.quorum
        path: KeyPath = ("bodies", body.id, "quorum")
        if q is None:
            yield finding(
                "BL307",
                ("bodies", body.id),
                N_(
                    'body "{body}" states no quorum (Robert\'s Rules then require a majority'
                    " of its members): state it explicitly"
                ),
                body=body.id,
            )
            continue
        if q.fraction is not None:
            if q.fraction <= 0 or q.fraction > 1 or (q.fraction == 1 and q.strict):
                yield finding(
                    "BL305",
                    (*path, "fraction"),
                    N_(
                        'quorum of body "{body}" must be more than 0 and reachable (at most all members)'
                    ),
                    at_value=True,
                    body=body.id,
                )
            if q.of == "seats" and not body.seats:
                yield finding(
                    "BL309",
                    (*path, "of"),
                    N_('quorum of body "{body}" counts seats, but the body defines no seats'),
                    at_value=True,
                    body=body.id,
                )
        voting_seats = _voting_seats(b, body)
        if (
            q.fraction is not None
            and 0 < q.fraction <= 1
            and q.of == "seats"
            and body.total_seats
            and voting_seats is not None
        ):
            needed = minimum_count(body.total_seats, q.fraction, strict=q.strict)
            if needed > voting_seats:
                yield finding(
                    "BL305",
                    (*path, "fraction"),
                    N_(
                        'quorum of body "{body}" needs {needed} voting members present, but'
                        " only {seats} of its seats vote"
                    ),
                    at_value=True,
                    body=body.id,
                    needed=needed,
                    seats=voting_seats,
                )
        if q.count is not None and voting_seats is not None and q.count > voting_seats:
            yield finding(
                "BL303",
                (*path, "count"),
                N_('quorum of {count} is more than the {seats} voting seats of body "{body}"'),
                at_value=True,
                count=q.count,
                seats=voting_seats,
                body=body.id,
            )
        for class_id, minimum in q.minimums.items():
            member_class = b.classes.get(class_id)
            if member_class is None or class_id not in body.class_ids:
                continue
            if not member_class.votes:
                yield finding(
                    "BL306",
                    (*path, "min", class_id),
                    N_(
                        'class "{cls}" does not vote, so its members never count toward the'
                        ' quorum of body "{body}"'
                    ),
                    cls=class_id,
                    body=body.id,
                )
            elif class_id in body.seats and minimum > body.seats[class_id]:
                yield finding(
                    "BL304",
                    (*path, "min", class_id),
                    N_(
                        'quorum of body "{body}" requires {minimum} members of class "{cls}",'
                        " but it has only {seats} seats for it"
                    ),
                    at_value=True,
                    body=body.id,
                    minimum=minimum,
                    cls=class_id,
                    seats=body.seats[class_id],
                )


# --- decisions ----------------------------------------------------------------------------

_BASE_RANK = {"cast": 0, "present": 1, "members": 2}


def at_least_as_hard(a: Rule, b: Rule) -> bool:
    """Whether every vote that passes rule `a` also passes rule `b`.

    yes/(yes+no) >= yes/present >= yes/members, so a rule over a larger base with a
    threshold at least as high is at least as hard; a smaller base can always pass with
    low attendance where a larger one fails. A chair's casting vote lets a tie pass, which
    matters only when `b` would not pass a tie (yes = no) by itself.
    """
    assert a.threshold is not None and b.threshold is not None
    if _BASE_RANK.get(a.base, 0) < _BASE_RANK.get(b.base, 0):
        return False
    if (a.threshold, a.strict) < (b.threshold, b.strict):
        return False
    b_passes_a_tie = b.tie == "chair" or (not b.strict and b.threshold <= Fraction(1, 2))
    return not (a.tie == "chair" and not b_passes_a_tie)


def _rule_of(b: Bylaws, decision: Decision | None) -> Rule | None:
    if decision is None or decision.rule is None:
        return None
    rule = b.rules.get(decision.rule)
    return rule if rule is not None and rule.threshold is not None else None


def check_amendment(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """Amending the by-laws must be at least as hard, and as well noticed, as ordinary business."""
    ordinary = b.decisions.get(b.ordinary_decision)
    amendment = b.decisions.get(b.amendment_decision)
    if amendment is None and not b.amendment_decision_explicit:
        yield finding(
            "BL403",
            ("decisions",),
            N_(
                'the by-laws do not say how they are amended: add a decision "{id}" or name'
                " one in amendment_decision"
            ),
            id=b.amendment_decision,
        )
    if ordinary is None and not b.ordinary_decision_explicit:
        yield finding(
            "BL404",
            ("decisions",),
            N_(
                'no decision kind for ordinary business: add a decision "{id}" or name one in ordinary_decision'
            ),
            id=b.ordinary_decision,
        )
    if amendment is None or ordinary is None or amendment is ordinary:
        return
    amend_rule, ordinary_rule = _rule_of(b, amendment), _rule_of(b, ordinary)
    if (
        amend_rule is not None
        and ordinary_rule is not None
        and not at_least_as_hard(amend_rule, ordinary_rule)
    ):
        yield finding(
            "BL401",
            ("decisions", amendment.id, "rule"),
            N_(
                'the by-laws are amended by rule "{amend}" ({amend_text}), which can pass'
                ' where rule "{ordinary}" ({ordinary_text}) for ordinary decisions fails'
            ),
            at_value=True,
            amend=amend_rule.id,
            amend_text=describe_rule(amend_rule),
            ordinary=ordinary_rule.id,
            ordinary_text=describe_rule(ordinary_rule),
        )
    amend_notice, ordinary_notice = b.notice_for(amendment), b.notice_for(ordinary)
    if ordinary_notice is not None and (amend_notice or 0) < ordinary_notice:
        has_own = amendment.notice_days is not None
        yield finding(
            "BL402",
            ("decisions", amendment.id, "notice_days") if has_own else ("decisions", amendment.id),
            N_(
                "amending the by-laws needs {amend} days' notice, less than the {ordinary} days"
                " ordinary decisions need"
            ),
            at_value=has_own,
            amend=amend_notice or 0,
            ordinary=ordinary_notice,
        )
    body = b.bodies.get(amendment.body or "")
    if body is not None and body.parent is not None:
        yield finding(
            "BL410",
            ("decisions", amendment.id, "body"),
            N_(
                'the by-laws are amended by "{body}", a committee of "{parent}": amendments'
                " usually belong to the full assembly"
            ),
            at_value=True,
            body=body.id,
            parent=body.parent,
        )


def check_decisions(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """Who may vote on each decision, with what notice, and who breaks ties."""
    for decision in b.decisions.values():
        path: KeyPath = ("decisions", decision.id)
        body = b.bodies.get(decision.body or "")
        rule = b.rules.get(decision.rule or "")
        if body is None:
            continue
        voting = [c for c in body.class_ids if c in b.classes and b.classes[c].votes]
        if body.class_ids and not voting and all(c in b.classes for c in body.class_ids):
            yield finding(
                "BL308",
                (*path, "body"),
                N_('decision "{decision}" is taken by body "{body}", where no class votes'),
                at_value=True,
                decision=decision.id,
                body=body.id,
            )
        if (
            decision.notice_days is not None
            and body.notice_days is not None
            and decision.notice_days < body.notice_days
        ):
            yield finding(
                "BL409",
                (*path, "notice_days"),
                N_(
                    'decision "{decision}" gives {days} days\' notice, less than the {body_days}'
                    ' days body "{body}" requires'
                ),
                at_value=True,
                decision=decision.id,
                days=decision.notice_days,
                body_days=body.notice_days,
                body=body.id,
            )
        if rule is not None and rule.tie == "chair" and body.chair is None:
            yield finding(
                "BL408",
                (*path, "rule"),
                N_(
                    'rule "{rule}" lets the chair break ties, but body "{body}" names no'
                    " chair: set bodies.{body}.chair to the presiding role"
                ),
                at_value=True,
                rule=rule.id,
                body=body.id,
            )
        if decision.awards:
            yield from _check_award(b, decision, body)


def _check_award(b: Bylaws, decision: Decision, body: Body) -> Iterator[Finding]:
    path: KeyPath = ("decisions", decision.id)
    if not decision.recusal:
        yield finding(
            "BL405",
            path,
            N_(
                'decision "{decision}" awards money but has no recusal: members with a'
                " conflict of interest could vote (set recusal = true)"
            ),
            decision=decision.id,
        )
    for class_id in body.class_ids:
        member_class = b.classes.get(class_id)
        if member_class is None or not member_class.votes or not member_class.has_funding_interest:
            continue
        if class_id in body.seats:
            where: KeyPath = ("bodies", body.id, "seats", class_id)
        else:
            where = ("bodies", body.id, "classes", body.classes.index(class_id))
        yield finding(
            "BL406",
            where,
            N_(
                'class "{cls}" ({kind}) votes on body "{body}", which awards money in decision'
                ' "{decision}": give it a non-voting seat there'
            ),
            at_value=True,
            cls=class_id,
            kind=member_class.kind or class_id,
            body=body.id,
            decision=decision.id,
        )


def check_conflict_resolution(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """Disputes need a stated path before they happen."""
    if b.conflict_resolution is None:
        yield finding(
            "BL407",
            (),
            N_("the by-laws say nothing on resolving conflicts: add [conflict_resolution] steps"),
        )
    elif not b.conflict_resolution:
        yield finding(
            "BL407",
            ("conflict_resolution", "steps"),
            N_("conflict resolution has no steps"),
        )


# --- roles, dates, proxies ----------------------------------------------------------------


def check_roles(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    for role in b.roles.values():
        if role.max_terms is not None and role.term_months is None:
            yield finding(
                "BL501",
                ("roles", role.id, "max_terms"),
                N_('role "{role}" limits terms but does not say how long a term is (term_months)'),
                role=role.id,
            )


def check_dates(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    for key, when in (("adopted", b.adopted), ("amended", b.amended)):
        if when is not None and when > ctx.today:
            yield finding(
                "BL502",
                (key,),
                N_("{key} date {date} is in the future"),
                at_value=True,
                key=key,
                date=when.isoformat(),
            )
    if b.adopted is not None and b.amended is not None and b.amended < b.adopted:
        yield finding(
            "BL504",
            ("amended",),
            N_("amended on {amended}, before the by-laws were adopted on {adopted}"),
            at_value=True,
            amended=b.amended.isoformat(),
            adopted=b.adopted.isoformat(),
        )


def check_proxies(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    if b.proxies_allowed and b.proxies_max_per_holder is None:
        yield finding(
            "BL503",
            ("proxies", "allowed"),
            N_("proxies are allowed with no limit per holder: set max_per_holder"),
        )


CHECKS: tuple[Check, ...] = (
    check_references,
    check_duplicate_ids,
    check_parent_cycles,
    check_body_classes,
    check_thresholds,
    check_quorum,
    check_amendment,
    check_decisions,
    check_conflict_resolution,
    check_roles,
    check_dates,
    check_proxies,
)


def check_document(data: Mapping[str, Any], ctx: Context) -> tuple[Bylaws | None, list[Finding]]:
    """Shape findings, then every semantic check; the model is None if the version is unknown."""
    findings = spec.check_shape(data)
    if any(f.code == "BL104" for f in findings):
        return None, findings
    model = build(data)
    for check in CHECKS:
        findings.extend(check(model, ctx))
    return model, findings
