"""By-laws checks on decisions: the amendment decision at least as hard as any other, each
decision's body and rule fit, awards, the plan's decision and the conflict-of-interest
resolution."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING

from comunidad_cli.core.bylaws.codes import finding
from comunidad_cli.core.bylaws.describe import describe_rule
from comunidad_cli.core.bylaws.model import Body, Bylaws, Decision, Rule
from comunidad_cli.core.findings import Finding, KeyPath
from comunidad_cli.core.messages import N_, NP_, Msg

if TYPE_CHECKING:
    from comunidad_cli.core.bylaws.lint import Context


# --- decisions ----------------------------------------------------------------------------

_BASE_RANK = {"cast": 0, "present": 1, "members": 2}


def _days(n: int) -> Msg:
    """ "1 day", "3 days": a number of days inside a counted message about another number."""
    return Msg.counted(NP_("{days} day", "{days} days"), "days", days=n)


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
            NP_(
                "amending the by-laws needs {amend} day's notice, less than the {ordinary}"
                " ordinary decisions need",
                "amending the by-laws needs {amend} days' notice, less than the {ordinary}"
                " ordinary decisions need",
            ),
            at_value=has_own,
            count="amend",
            amend=amend_notice or 0,
            ordinary=_days(ordinary_notice),
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
                NP_(
                    'decision "{decision}" gives {days} day\'s notice, less than the {body_days}'
                    ' body "{body}" requires',
                    'decision "{decision}" gives {days} days\' notice, less than the {body_days}'
                    ' body "{body}" requires',
                ),
                at_value=True,
                count="days",
                decision=decision.id,
                days=decision.notice_days,
                body_days=_days(body.notice_days),
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


def check_plan(b: Bylaws, ctx: Context) -> Iterator[Finding]:
    """The decision that adopts a body's improvement plan (`plan = true`) must be one, so
    that `plan propose` never has to guess, and must need a quorum."""
    seen: dict[str, str] = {}
    for decision in b.decisions.values():
        if not decision.plan:
            continue
        path: KeyPath = ("decisions", decision.id, "plan")
        if decision.procedural:
            yield finding(
                "BL412",
                path,
                N_(
                    'decision "{decision}" adopts the improvement plan but is procedural:'
                    " a plan would be adopted without quorum (remove procedural = true)"
                ),
                at_value=True,
                decision=decision.id,
            )
        if decision.body is None:
            continue
        first = seen.setdefault(decision.body, decision.id)
        if first != decision.id:
            yield finding(
                "BL411",
                path,
                N_(
                    'decisions "{first}" and "{decision}" both adopt the improvement plan of'
                    ' body "{body}": keep plan = true on one'
                ),
                at_value=True,
                first=first,
                decision=decision.id,
                body=decision.body,
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
