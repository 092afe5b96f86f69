"""Plain-language descriptions of rules and quorums, as translatable messages.

Shared by `bylaws show`, `bylaws diff` and lint messages, so that a rule reads the same
everywhere: "more than 1/2 of votes cast", "at least 2/3 of voting members".
"""

from __future__ import annotations

from comunidad_cli.core.bylaws.model import Bylaws, Quorum, Rule
from comunidad_cli.core.messages import N_, NP_, Msg

_RULE_TEXT = {
    (True, "cast"): N_("more than {fraction} of votes cast"),
    (False, "cast"): N_("at least {fraction} of votes cast"),
    (True, "present"): N_("more than {fraction} of voting members present"),
    (False, "present"): N_("at least {fraction} of voting members present"),
    (True, "members"): N_("more than {fraction} of all voting members"),
    (False, "members"): N_("at least {fraction} of all voting members"),
}

_QUORUM_FRACTION_TEXT = {
    (True, "voting_members"): N_("more than {fraction} of voting members"),
    (False, "voting_members"): N_("at least {fraction} of voting members"),
    (True, "seats"): N_("more than {fraction} of seats"),
    (False, "seats"): N_("at least {fraction} of seats"),
}


def describe_rule(rule: Rule) -> Msg:
    """ "more than 1/2 of votes cast; the chair breaks ties" """
    if rule.threshold is None:
        return Msg.of(N_("(no valid threshold)"))
    text = _RULE_TEXT.get((rule.strict, rule.base), _RULE_TEXT[(rule.strict, "cast")])
    core = Msg.of(text, fraction=rule.threshold)  # a Fraction: the edge spells it
    if rule.tie == "chair":
        core = Msg.of(N_("{rule}; the chair breaks ties"), rule=core)
    dual = rule.dual
    if dual is None:
        return core
    if dual.threshold is None:
        return Msg.of(
            N_("{rule}; and (no valid threshold) among class {member_class}"),
            rule=core,
            member_class=dual.member_class,
        )
    among = Msg.of(
        _RULE_TEXT.get((dual.strict, dual.base), _RULE_TEXT[(dual.strict, "cast")]),
        fraction=dual.threshold,
    )
    return Msg.of(
        N_('{rule}; and also, among class "{member_class}", {dual}'),
        rule=core,
        dual=among,
        member_class=dual.member_class,
    )


def describe_quorum(quorum: Quorum | None, bylaws: Bylaws | None = None) -> Msg:
    """ "at least 1/2 of voting members, including at least 3 Residents" """
    if quorum is None:
        return Msg.of(N_("no quorum stated (a majority of members, by Robert's Rules)"))
    if quorum.count is not None:
        core = Msg.counted(
            NP_("{count} voting member", "{count} voting members"), "count", count=quorum.count
        )
    elif quorum.fraction is not None:
        text = _QUORUM_FRACTION_TEXT.get(
            (quorum.strict, quorum.of), _QUORUM_FRACTION_TEXT[(quorum.strict, "voting_members")]
        )
        core = Msg.of(text, fraction=quorum.fraction)
    else:
        core = Msg.of(N_("(no valid quorum)"))
    if not quorum.minimums:
        return core
    parts = []
    for class_id, minimum in quorum.minimums.items():
        name = class_id
        if bylaws is not None and class_id in bylaws.classes:
            name = bylaws.classes[class_id].name
        parts.append(f"{minimum} {name}")
    return Msg.of(
        N_("{quorum}, including at least {minimums}"), quorum=core, minimums=", ".join(parts)
    )
