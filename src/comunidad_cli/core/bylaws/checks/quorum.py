"""By-laws checks on vote thresholds and quorum: fractions that can be met, quorum that the
seats can reach."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from comunidad_cli.core.bylaws.codes import finding
from comunidad_cli.core.bylaws.model import Body, Bylaws
from comunidad_cli.core.findings import Finding, KeyPath
from comunidad_cli.core.fractions import minimum_count
from comunidad_cli.core.messages import N_, NP_, Msg

if TYPE_CHECKING:
    from comunidad_cli.core.bylaws.lint import Context


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


def check_dual(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """A dual majority's threshold lies in (0, 1], and its class sits and votes on every
    body whose decisions use the rule (else the motion could never pass)."""
    for rule in b.rules.values():
        dual = rule.dual
        if dual is None:
            continue
        path: KeyPath = ("rules", rule.id, "dual")
        t = dual.threshold
        if t is not None and (t <= 0 or t > 1 or (t == 1 and dual.strict)):
            yield finding(
                "BL301",
                (*path, "threshold"),
                N_('threshold {value} of rule "{rule}" must be more than 0 and at most 1'),
                at_value=True,
                value=str(t),
                rule=rule.id,
            )
        member_class = b.classes.get(dual.member_class)
        if member_class is None:
            continue  # BL202 says so
        if not member_class.votes:
            yield finding(
                "BL311",
                (*path, "class"),
                N_(
                    'rule "{rule}" needs a majority among class "{member_class}", which does not'
                    " vote: the motion could never pass"
                ),
                at_value=True,
                rule=rule.id,
                member_class=dual.member_class,
            )
            continue
        for decision in b.decisions.values():
            body = b.bodies.get(decision.body or "")
            if decision.rule != rule.id or body is None:
                continue
            if dual.member_class not in body.class_ids:
                yield finding(
                    "BL310",
                    (*path, "class"),
                    N_(
                        'rule "{rule}" needs a majority among class "{member_class}", which'
                        ' does not sit on body "{body}" (decision "{decision}")'
                    ),
                    at_value=True,
                    rule=rule.id,
                    member_class=dual.member_class,
                    body=body.id,
                    decision=decision.id,
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
                    NP_(
                        'quorum of body "{body}" needs {needed} voting member present, but {seats}',
                        'quorum of body "{body}" needs {needed} voting members present, but'
                        " {seats}",
                    ),
                    at_value=True,
                    count="needed",
                    body=body.id,
                    needed=needed,
                    seats=Msg.counted(
                        NP_("only {count} of its seats votes", "only {count} of its seats vote"),
                        "count",
                        count=voting_seats,
                    ),
                )
        if q.count is not None and voting_seats is not None and q.count > voting_seats:
            yield finding(
                "BL303",
                (*path, "count"),
                NP_(
                    'quorum of {quorum} is more than the {seats} voting seat of body "{body}"',
                    'quorum of {quorum} is more than the {seats} voting seats of body "{body}"',
                ),
                at_value=True,
                count="seats",
                quorum=q.count,
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
                    NP_(
                        'quorum of body "{body}" requires {minimum} member of class "{cls}",'
                        " but it has only {seats} for it",
                        'quorum of body "{body}" requires {minimum} members of class "{cls}",'
                        " but it has only {seats} for it",
                    ),
                    at_value=True,
                    count="minimum",
                    body=body.id,
                    minimum=minimum,
                    cls=class_id,
                    seats=Msg.counted(
                        NP_("{count} seat", "{count} seats"), "count", count=body.seats[class_id]
                    ),
                )
