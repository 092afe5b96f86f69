"""What a motion's close judges and keeps: the tally at an instant and its snapshot.

The snapshot keeps who was present, entitled, recused and voted, the rule applied and the
sha256 of the by-laws text in force, so the outcome can be re-derived after seats change
or the by-laws are amended. `motion close`, `motion close --all` and `motion show` of an
open motion (`services/motions.py`) all judge through `judge`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from comunidad_cli.core.bylaws.model import DualMajority
from comunidad_cli.core.fractions import format_fraction
from comunidad_cli.core.governance import model as core
from comunidad_cli.core.governance.quorum import voting_members
from comunidad_cli.core.governance.tally import DualTally, Tally, tally
from comunidad_cli.services import facts


def _dual_rule(dual: DualMajority) -> dict[str, Any]:
    """A rule's dual majority as the by-laws state it (schema 2)."""
    return {
        "class": dual.member_class,
        "threshold": format_fraction(dual.threshold) if dual.threshold is not None else None,
        "strict": dual.strict,
        "base": dual.base,
    }


def _dual_count(loaded: facts.MeetingFacts, dual: DualTally) -> dict[str, Any]:
    """The class's own count under a dual majority, with the class's name as typed."""
    member_class = loaded.bylaws.classes.get(dual.member_class)
    return {
        "class": dual.member_class,
        "class_name": member_class.name if member_class is not None else dual.member_class,
        "yes": dual.yes,
        "no": dual.no,
        "abstain": dual.abstain,
        "base": dual.base,
        "base_total": dual.base_total,
        "required": dual.required,
        "met": dual.met,
    }


def _snapshot(
    loaded: facts.MeetingFacts,
    motion_key: str,
    result: Tally,
    present: frozenset[str],
    recusals: dict[str, str],
    votes: tuple[core.Vote, ...],
    at: datetime,
    chair_vote: core.Choice | None,
    entitled: Mapping[str, str],
) -> dict[str, Any]:
    rule = result.rule
    name = loaded.names.get
    return {
        "motion": motion_key,
        "meeting": loaded.meeting.id,
        "at": at.isoformat(),
        "bylaws": {"id": loaded.bylaws.id, "sha256": loaded.bylaws_sha256},
        "decision": result.decision,
        "rule": {
            "id": rule.id,
            "threshold": format_fraction(rule.threshold) if rule.threshold is not None else None,
            "strict": rule.strict,
            "base": rule.base,
            "tie": rule.tie,
            **({} if rule.dual is None else {"dual": _dual_rule(rule.dual)}),
        },
        "outcome": result.outcome.value,
        "yes": result.yes,
        "no": result.no,
        "abstain": result.abstain,
        "base": result.base,
        "base_total": result.base_total,
        "required": result.required,
        "tie": result.tie,
        "decided_by_chair": result.decided_by_chair,
        "chair_vote": chair_vote.value if chair_vote else None,
        **({} if result.dual is None else {"dual": _dual_count(loaded, result.dual)}),
        "quorum": {
            "required": result.quorum.required,
            "present": result.quorum.present,
            "met": result.quorum.met,
            "voting_members": result.quorum.voting_members,
            "minimums": [
                {"class": m.member_class, "required": m.required, "present": m.present}
                for m in result.quorum.minimums
            ],
        },
        "present": [
            {"person": k, "name": name(k, k), "entitled": k in entitled} for k in sorted(present)
        ],
        "entitled": [
            {"person": k, "name": name(k, k), "class": c} for k, c in sorted(entitled.items())
        ],
        "recused": [
            {"person": k, "name": name(k, k), "reason": r} for k, r in sorted(recusals.items())
        ],
        "voters": [
            {
                "person": v.person,
                "name": name(v.person, v.person),
                "choice": v.choice.value,
                "at": v.at.isoformat(),
                "cast_by": v.cast_by,
            }
            for v in votes
        ],
    }


def judge(
    loaded: facts.MeetingFacts,
    motion: Any,
    present: frozenset[str],
    recusals: dict[str, str],
    votes: tuple[core.Vote, ...],
    when: datetime,
    casting: core.Choice | None,
    members: Mapping[str, str] | None = None,
) -> tuple[Tally, dict[str, Any]]:
    """Tally a motion at `when` and explain it: the outcome and its snapshot.

    `members`: the meeting's voting members, when the caller judges many of its motions.
    """
    if members is None:
        members = voting_members(
            loaded.bylaws, loaded.meeting.body, loaded.seats, loaded.meeting.day
        )
    result = tally(
        loaded.bylaws,
        motion.decision,
        loaded.seats,
        present,
        frozenset(recusals),
        votes,
        loaded.meeting.day,
        casting,
        members,
    )
    snapshot = _snapshot(
        loaded,
        motion.key,
        result,
        present,
        recusals,
        votes,
        when,
        casting,
        members,
    )
    snapshot["title"] = motion.title
    return result, snapshot


def tallied(result: Tally) -> dict[str, Any]:
    """What the audit row of a closed motion records: the outcome and the counts."""
    return {
        "outcome": result.outcome.value,
        "yes": result.yes,
        "no": result.no,
        "abstain": result.abstain,
    }


def encoded(snapshot: dict[str, Any]) -> str:
    """The snapshot as the motion row keeps it: JSON, text as typed, keys in order."""
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
