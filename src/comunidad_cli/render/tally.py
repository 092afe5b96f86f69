"""A motion's tally explained in words: the one explanation `motion close`, `motion show`
and the minutes (text, Markdown, HTML) give, from the closed motion's snapshot (the stored
form of `core.governance.tally.Tally`) or an open motion's provisional count.

The terminal and the minutes word the same facts in their own register (a line each on the
terminal, bullets in a document), so `explain_tally` takes the form and chooses the wording;
the facts, their order of judgement and the outcome's name are decided here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, ngettext, translated

_OUTCOME_LABELS = {
    "adopted": lambda: _("ADOPTED"),
    "rejected": lambda: _("REJECTED"),
    "no_quorum": lambda: _("NOT DECIDED: no quorum"),
}


_OUTCOME_NAMES = {
    "adopted": N_("adopted"),
    "rejected": N_("rejected"),
    "no_quorum": N_("no quorum"),
    "open": N_("open"),
}


def outcome_name(outcome: str | None) -> str:
    """A motion's outcome in a list, translated: "adopted", "rejected", "no quorum", or
    "open" while it has none (None); an unknown value as it is."""
    key = outcome or "open"
    return translated(_OUTCOME_NAMES.get(key, key))


def outcome_label(outcome: str) -> str:
    """ "ADOPTED", "REJECTED", "NOT DECIDED: no quorum" (an unknown value as it is)."""
    label = _OUTCOME_LABELS.get(outcome)
    return label() if label is not None else outcome


@dataclass(frozen=True, slots=True)
class TallyExplained:
    """The lines that explain a tally; callers lay them out (quorum before or after votes)."""

    votes: str
    quorum: str
    chair: str | None
    recusals: tuple[str, ...]
    #: The class's own count under a dual majority (by-laws schema 2), else None.
    dual: str | None = None


def _dual_line(dual: Mapping[str, Any]) -> str:
    """ "Majority among Residents: yes 2, no 3 (base cast: 5; 3 yes needed): not met." """
    return ngettext(
        "Majority among {member_class}: yes {yes}, no {no}, abstain {abstain}"
        " (base {base}: {total}; {required} yes needed): {state}.",
        "Majority among {member_class}: yes {yes}, no {no}, abstain {abstain}"
        " (base {base}: {total}; {required} yes needed): {state}.",
        dual["required"],
    ).format(
        member_class=dual["class_name"],
        yes=dual["yes"],
        no=dual["no"],
        abstain=dual["abstain"],
        base=translated(dual["base"]),
        total=dual["base_total"],
        required=dual["required"],
        state=_("met") if dual["met"] else _("not met"),
    )


def explain_tally(
    result: Mapping[str, Any], form: Literal["terminal", "document"]
) -> TallyExplained:
    """The counts against the rule's base, the quorum at the vote, a tie decided by the
    chair and each recusal with its reason, worded for the terminal or a document."""
    counts = {
        "yes": result["yes"],
        "no": result["no"],
        "abstain": result["abstain"],
        "base": translated(result["base"]),
        "total": result["base_total"],
        "required": result["required"],
    }
    quorum = result["quorum"]
    state = _("met") if quorum["met"] else _("not met")
    chair = (
        _("A tie, decided by the chair's casting vote.") if result.get("decided_by_chair") else None
    )
    if form == "terminal":
        votes = ngettext(
            "Yes {yes}, no {no}, abstain {abstain}; base {base}: {total}; {required} yes needed.",
            "Yes {yes}, no {no}, abstain {abstain}; base {base}: {total}; {required} yes needed.",
            counts["required"],
        ).format(**counts)
        quorum_line = ngettext(
            "Quorum: {present} present, {required} needed: {state}.",
            "Quorum: {present} present, {required} needed: {state}.",
            quorum["present"],
        ).format(present=quorum["present"], required=quorum["required"], state=state)
        recusals = tuple(
            _("  {name} recused: {reason}").format(name=r["name"], reason=r["reason"])
            for r in result["recused"]
        )
    else:
        votes = ngettext(
            "Votes: yes {yes}, no {no}, abstain {abstain}"
            " (base {base}: {total}; {required} yes needed).",
            "Votes: yes {yes}, no {no}, abstain {abstain}"
            " (base {base}: {total}; {required} yes needed).",
            counts["required"],
        ).format(**counts)
        quorum_line = ngettext(
            "Quorum at the vote: {present} present, {required} needed: {state}.",
            "Quorum at the vote: {present} present, {required} needed: {state}.",
            quorum["present"],
        ).format(present=quorum["present"], required=quorum["required"], state=state)
        recusals = tuple(
            _("{name} recused: {reason}").format(name=r["name"], reason=r["reason"])
            for r in result["recused"]
        )
    dual = result.get("dual")
    return TallyExplained(
        votes, quorum_line, chair, recusals, _dual_line(dual) if dual is not None else None
    )
