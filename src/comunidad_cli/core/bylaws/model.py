"""The immutable, typed by-laws model, built from a parsed TOML document.

`build` is tolerant: shape problems are reported by `spec.check_shape`, so here a value of
the wrong type is treated as absent and the semantic checks still run on the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.fractions import parse_fraction

FUNDING_INTEREST_KINDS = frozenset({"funder", "contractor"})
# Decision ids that award money unless `awards` says otherwise: award_*, adjudicar_*,
# otorgar_* (es), atorgar_* (ca).
AWARD_PREFIXES = ("award", "adjudic", "otorg", "atorg")
DEFAULT_ORDINARY = "ordinary"
DEFAULT_AMENDMENT = "amend_bylaws"


@dataclass(frozen=True, slots=True)
class Quorum:
    fraction: Fraction | None
    count: int | None
    strict: bool
    of: str  # voting_members | seats
    minimums: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class MemberClass:
    id: str
    name: str
    votes: bool
    kind: str | None

    @property
    def has_funding_interest(self) -> bool:
        """Funders and contractors stand to gain from awards (by kind, or by id)."""
        return (self.kind or self.id) in FUNDING_INTEREST_KINDS


@dataclass(frozen=True, slots=True)
class Body:
    id: str
    name: str
    parent: str | None
    classes: tuple[str, ...]
    seats: Mapping[str, int]
    notice_days: int | None
    quorum: Quorum | None
    chair: str | None

    @property
    def class_ids(self) -> tuple[str, ...]:
        """Classes on the body: those listed, then those given seats."""
        return self.classes + tuple(c for c in self.seats if c not in self.classes)

    @property
    def total_seats(self) -> int | None:
        return sum(self.seats.values()) if self.seats else None


@dataclass(frozen=True, slots=True)
class DualMajority:
    """A second majority a motion needs among one class (schema 2, power sharing).

    Judged on the class's own counts, like a rule: `cast` is the class's yes / (yes + no);
    `present` is the class's yes / its voting members present and not recused (plus those
    whose vote a proxy cast). `threshold` and `strict` read as a rule's do.
    """

    member_class: str
    threshold: Fraction | None
    strict: bool
    base: str  # cast | present


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    threshold: Fraction | None
    strict: bool
    base: str  # cast | present | members
    tie: str  # fails | chair
    #: A dual majority among a named class (schema 2), or None.
    dual: DualMajority | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    name: str | None
    body: str | None
    rule: str | None
    notice_days: int | None
    recusal: bool
    awards: bool
    procedural: bool = False
    #: The decision adopts (and amends) its body's local improvement plan (`plan = true`).
    plan: bool = False


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    body: str | None
    elected_by: str | None
    holders: int
    term_months: int | None
    max_terms: int | None
    duties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Bylaws:
    id: str
    name: str
    adopted: date | None
    amended: date | None
    description: str | None
    classes: Mapping[str, MemberClass]
    bodies: Mapping[str, Body]
    rules: Mapping[str, Rule]
    decisions: Mapping[str, Decision]
    roles: Mapping[str, Role]
    proxies_allowed: bool
    proxies_max_per_holder: int | None
    recused_count_for_quorum: bool
    conflict_resolution: tuple[str, ...] | None
    ordinary_decision: str
    amendment_decision: str
    ordinary_decision_explicit: bool
    amendment_decision_explicit: bool

    def notice_for(self, decision: Decision) -> int | None:
        """Notice a decision needs: its own, else its body's."""
        if decision.notice_days is not None:
            return decision.notice_days
        body = self.bodies.get(decision.body or "")
        return body.notice_days if body else None


# --- tolerant accessors -----------------------------------------------------------------


def _str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key)
    return value if isinstance(value, bool) else default


def _date(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    return value if isinstance(value, date) and not isinstance(value, datetime) else None


def _fraction(data: Mapping[str, Any], key: str) -> Fraction | None:
    value = data.get(key)
    return parse_fraction(value) if isinstance(value, str) else None


def _strs(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str))


def _counts(data: Mapping[str, Any], key: str) -> Mapping[str, int]:
    value = data.get(key)
    if not isinstance(value, dict):
        return MappingProxyType({})
    return MappingProxyType(
        {k: v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)}
    )


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _tables(data: Mapping[str, Any], key: str) -> dict[str, Mapping[str, Any]]:
    return {k: v for k, v in _table(data, key).items() if isinstance(v, dict)}


def _quorum(data: Mapping[str, Any]) -> Quorum | None:
    if not isinstance(data.get("quorum"), dict):
        return None
    q = _table(data, "quorum")
    return Quorum(
        fraction=_fraction(q, "fraction"),
        count=_int(q, "count"),
        strict=_bool(q, "strict", False),
        of=_str(q, "of") or "voting_members",
        minimums=_counts(q, "min"),
    )


def _dual(data: Mapping[str, Any]) -> DualMajority | None:
    if not isinstance(data.get("dual"), dict):
        return None
    d = _table(data, "dual")
    member_class = _str(d, "class")
    if member_class is None:
        return None
    return DualMajority(
        member_class=member_class,
        threshold=_fraction(d, "threshold"),
        strict=_bool(d, "strict", False),
        base=_str(d, "base") or "cast",
    )


def build(data: Mapping[str, Any]) -> Bylaws:
    """The model of a parsed by-laws document; never raises on a wrongly shaped one."""
    classes = {
        cid: MemberClass(cid, _str(c, "name") or cid, _bool(c, "votes", True), _str(c, "kind"))
        for cid, c in _tables(data, "classes").items()
    }
    bodies = {
        bid: Body(
            id=bid,
            name=_str(b, "name") or bid,
            parent=_str(b, "parent"),
            classes=_strs(b, "classes"),
            seats=_counts(b, "seats"),
            notice_days=_int(b, "notice_days"),
            quorum=_quorum(b),
            chair=_str(b, "chair"),
        )
        for bid, b in _tables(data, "bodies").items()
    }
    rules = {
        rid: Rule(
            id=rid,
            threshold=_fraction(r, "threshold"),
            strict=_bool(r, "strict", False),
            base=_str(r, "base") or "cast",
            tie=_str(r, "tie") or "fails",
            dual=_dual(r),
        )
        for rid, r in _tables(data, "rules").items()
    }
    decisions = {
        did: Decision(
            id=did,
            name=_str(d, "name"),
            body=_str(d, "body"),
            rule=_str(d, "rule"),
            notice_days=_int(d, "notice_days"),
            recusal=_bool(d, "recusal", False),
            awards=_bool(d, "awards", did.startswith(AWARD_PREFIXES)),
            procedural=_bool(d, "procedural", False),
            plan=_bool(d, "plan", False),
        )
        for did, d in _tables(data, "decisions").items()
    }
    roles = {
        rid: Role(
            id=rid,
            name=_str(r, "name") or rid,
            body=_str(r, "body"),
            elected_by=_str(r, "elected_by"),
            holders=_int(r, "holders") or 1,
            term_months=_int(r, "term_months"),
            max_terms=_int(r, "max_terms"),
            duties=_strs(r, "duties"),
        )
        for rid, r in _tables(data, "roles").items()
    }
    proxies = _table(data, "proxies")
    resolution = data.get("conflict_resolution")
    return Bylaws(
        id=_str(data, "id") or "",
        name=_str(data, "name") or "",
        adopted=_date(data, "adopted"),
        amended=_date(data, "amended"),
        description=_str(data, "description"),
        classes=MappingProxyType(classes),
        bodies=MappingProxyType(bodies),
        rules=MappingProxyType(rules),
        decisions=MappingProxyType(decisions),
        roles=MappingProxyType(roles),
        proxies_allowed=_bool(proxies, "allowed", False),
        proxies_max_per_holder=_int(proxies, "max_per_holder"),
        recused_count_for_quorum=_bool(
            _table(data, "conflict_of_interest"), "counts_for_quorum", True
        ),
        conflict_resolution=_strs(resolution, "steps") if isinstance(resolution, dict) else None,
        ordinary_decision=_str(data, "ordinary_decision") or DEFAULT_ORDINARY,
        amendment_decision=_str(data, "amendment_decision") or DEFAULT_AMENDMENT,
        ordinary_decision_explicit="ordinary_decision" in data,
        amendment_decision_explicit="amendment_decision" in data,
    )
