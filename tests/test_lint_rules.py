"""Every by-laws lint code from BL101 to BL504, as a table of small mutations.

Each row starts from one valid document (BASE), applies a small change, and says where the
finding must point. Each code also has a near miss: the edge case that must NOT trigger it.
A new code in `codes.CODES` without a row here fails `test_every_code_has_a_failing_case`.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from comunidad_cli.core.bylaws import spec
from comunidad_cli.core.bylaws.codes import CODES
from comunidad_cli.core.bylaws.lint import Context, check_document
from comunidad_cli.core.findings import Finding
from comunidad_cli.core.fractions import meets, minimum_count

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 23)
CTX = Context(today=TODAY)

# A small, valid partnership: an open assembly and a seated board that awards money.
BASE: Mapping[str, Any] = {
    "schema": 1,
    "id": "base",
    "name": "Base Community Partnership",
    "adopted": date(2020, 1, 1),
    "classes": {
        "resident": {"name": "Residents", "votes": True, "kind": "resident"},
        "agency": {"name": "Agencies", "votes": True, "kind": "agency"},
        "funder": {"name": "Funder liaison", "votes": False, "kind": "funder"},
    },
    "bodies": {
        "assembly": {
            "name": "Assembly",
            "classes": ["resident", "agency", "funder"],
            "notice_days": 7,
            "quorum": {"fraction": "1/2", "strict": True, "min": {"resident": 2}},
        },
        "board": {
            "name": "Board",
            "parent": "assembly",
            "seats": {"resident": 5, "agency": 3, "funder": 1},  # 8 voting seats
            "notice_days": 5,
            "quorum": {"count": 5},
            "chair": "chair",
        },
    },
    "rules": {
        "majority": {"threshold": "1/2", "strict": True},
        "two_thirds": {"threshold": "2/3"},
    },
    "decisions": {
        "ordinary": {"body": "assembly", "rule": "majority"},
        "amend_bylaws": {"body": "assembly", "rule": "two_thirds", "notice_days": 14},
        "award_grant": {"body": "board", "rule": "majority", "recusal": True},
    },
    "roles": {
        "chair": {
            "name": "Chair",
            "body": "board",
            "elected_by": "assembly",
            "term_months": 24,
            "max_terms": 2,
        },
    },
    "proxies": {"allowed": False},
    "conflict_resolution": {"steps": ["Direct conversation", "Mediation by the chair"]},
}

DELETE = object()
"""A mutation value that removes the key."""

Mutation = Mapping[str, Any]


def mutate(changes: Mutation) -> dict[str, Any]:
    """A deep copy of BASE with `changes` applied: {"dotted.path": value or DELETE}."""
    doc: dict[str, Any] = copy.deepcopy(dict(BASE))
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        table = doc
        for key in parents:
            table = table.setdefault(key, {})
        if value is DELETE:
            del table[last]
        else:
            table[last] = copy.deepcopy(value)
    return doc


def findings_of(doc: Mapping[str, Any]) -> list[Finding]:
    return check_document(doc, CTX)[1]


def describe(findings: list[Finding]) -> str:
    return "\n".join(f"{f.code} {f.path} {f.message.render()}" for f in findings) or "(none)"


# (mutation, expected path of the finding); ids start with the code.
FAILING: list[Any] = [
    # --- shape ---
    pytest.param("BL101", {"name": DELETE}, (), id="BL101"),
    pytest.param(
        "BL101", {"classes.agency.votes": DELETE}, ("classes", "agency"), id="BL101-nested"
    ),
    pytest.param(
        "BL102",
        {"bodies.board.quorom": {"count": 5}},
        ("bodies", "board", "quorom"),
        id="BL102",
    ),
    pytest.param(
        "BL103", {"bodies.board.notice_days": 5.0}, ("bodies", "board", "notice_days"), id="BL103"
    ),
    pytest.param(
        "BL103",
        {"bodies.board.notice_days": True},
        ("bodies", "board", "notice_days"),
        id="BL103-bool",
    ),
    pytest.param(
        "BL103", {"decisions.ordinary": "majority"}, ("decisions", "ordinary"), id="BL103-entry"
    ),
    pytest.param("BL104", {"schema": 3}, ("schema",), id="BL104"),
    pytest.param(
        "BL112",
        {"rules.majority.dual": {"class": "resident", "threshold": "1/2"}},
        ("rules", "majority", "dual"),
        id="BL112-dual-in-schema-1",
    ),
    pytest.param(
        "BL202",
        {"schema": 2, "rules.majority.dual": {"class": "residents", "threshold": "1/2"}},
        ("rules", "majority", "dual", "class"),
        id="BL202-dual",
    ),
    pytest.param(
        "BL310",
        {
            "schema": 2,
            "classes.neighbour": {"name": "Neighbours", "votes": True},
            "rules.majority.dual": {"class": "neighbour", "threshold": "1/2", "strict": True},
        },
        ("rules", "majority", "dual", "class"),
        id="BL310",
    ),
    pytest.param(
        "BL311",
        {"schema": 2, "rules.majority.dual": {"class": "funder", "threshold": "1/2"}},
        ("rules", "majority", "dual", "class"),
        id="BL311",
    ),
    pytest.param(
        "BL301",
        {"schema": 2, "rules.majority.dual": {"class": "resident", "threshold": "3/2"}},
        ("rules", "majority", "dual", "threshold"),
        id="BL301-dual",
    ),
    pytest.param(
        "BL105", {"rules.majority.threshold": 0.5}, ("rules", "majority", "threshold"), id="BL105"
    ),
    pytest.param(
        "BL105",
        {"rules.majority.threshold": "50%"},
        ("rules", "majority", "threshold"),
        id="BL105-percent",
    ),
    pytest.param(
        "BL105",
        {"rules.majority.threshold": "1/0"},
        ("rules", "majority", "threshold"),
        id="BL105-zero-denominator",
    ),
    pytest.param(
        "BL106", {"rules.majority.base": "votes"}, ("rules", "majority", "base"), id="BL106"
    ),
    pytest.param(
        "BL106", {"classes.funder.kind": "sponsor"}, ("classes", "funder", "kind"), id="BL106-kind"
    ),
    pytest.param("BL107", {"id": "Best Start"}, ("id",), id="BL107"),
    pytest.param(
        "BL107",
        {"bodies.board.seats": {"resident": 5, "Agency": 3}},
        ("bodies", "board", "seats", "Agency"),
        id="BL107-key",
    ),
    pytest.param(
        "BL108", {"bodies.board.notice_days": 0}, ("bodies", "board", "notice_days"), id="BL108"
    ),
    pytest.param(
        "BL108",
        {"bodies.board.seats.resident": 0},
        ("bodies", "board", "seats", "resident"),
        id="BL108-seats",
    ),
    pytest.param(
        "BL109",
        {"bodies.board.quorum": {"count": 5, "fraction": "1/2"}},
        ("bodies", "board", "quorum"),
        id="BL109",
    ),
    pytest.param(
        "BL109",
        {"bodies.board.quorum": {"strict": True}},
        ("bodies", "board", "quorum"),
        id="BL109-none",
    ),
    pytest.param("BL110", {"bodies.board.seats": DELETE}, ("bodies", "board"), id="BL110"),
    pytest.param(
        "BL111", {"classes.resident.name": "  "}, ("classes", "resident", "name"), id="BL111"
    ),
    pytest.param(
        "BL111", {"bodies.assembly.classes": []}, ("bodies", "assembly", "classes"), id="BL111-list"
    ),
    # --- references ---
    pytest.param(
        "BL201",
        {"decisions.ordinary.body": "asembly"},
        ("decisions", "ordinary", "body"),
        id="BL201",
    ),
    pytest.param(
        "BL201",
        {"bodies.board.parent": "council"},
        ("bodies", "board", "parent"),
        id="BL201-parent",
    ),
    pytest.param(
        "BL202",
        {"bodies.board.seats": {"resident": 5, "agencies": 3}},
        ("bodies", "board", "seats", "agencies"),
        id="BL202",
    ),
    pytest.param(
        "BL202",
        {"bodies.assembly.classes": ["resident", "agencies"]},
        ("bodies", "assembly", "classes", 1),
        id="BL202-list",
    ),
    pytest.param(
        "BL203",
        {"decisions.ordinary.rule": "simple_majority"},
        ("decisions", "ordinary", "rule"),
        id="BL203",
    ),
    pytest.param(
        "BL204", {"bodies.board.chair": "president"}, ("bodies", "board", "chair"), id="BL204"
    ),
    pytest.param("BL205", {"ordinary_decision": "ordinario"}, ("ordinary_decision",), id="BL205"),
    pytest.param(
        "BL205", {"amendment_decision": "amend"}, ("amendment_decision",), id="BL205-amendment"
    ),
    pytest.param(
        "BL206",
        {"roles.board": {"name": "Board member", "body": "board"}},
        ("roles", "board"),
        id="BL206",
    ),
    pytest.param(
        "BL207", {"bodies.assembly.parent": "board"}, ("bodies", "assembly", "parent"), id="BL207"
    ),
    pytest.param(
        "BL207", {"bodies.board.parent": "board"}, ("bodies", "board", "parent"), id="BL207-self"
    ),
    pytest.param(
        "BL208",
        {"bodies.board.classes": ["resident", "agency"]},
        ("bodies", "board", "seats", "funder"),
        id="BL208",
    ),
    pytest.param(
        "BL209",
        {
            "classes.business": {"name": "Businesses", "votes": True},
            "bodies.board.quorum.min": {"business": 1},
        },
        ("bodies", "board", "quorum", "min", "business"),
        id="BL209",
    ),
    # --- quorum and thresholds ---
    pytest.param(
        "BL301",
        {"rules.two_thirds.threshold": "3/2"},
        ("rules", "two_thirds", "threshold"),
        id="BL301",
    ),
    pytest.param(
        "BL301",
        {"rules.two_thirds.threshold": "0"},
        ("rules", "two_thirds", "threshold"),
        id="BL301-zero",
    ),
    pytest.param(
        "BL302",
        {"rules.two_thirds": {"threshold": "1", "strict": True}},
        ("rules", "two_thirds", "strict"),
        id="BL302",
    ),
    pytest.param(
        "BL303",
        {"bodies.board.quorum.count": 9},
        ("bodies", "board", "quorum", "count"),
        id="BL303",
    ),
    pytest.param(
        "BL304",
        {"bodies.board.quorum.min": {"resident": 6}},
        ("bodies", "board", "quorum", "min", "resident"),
        id="BL304",
    ),
    pytest.param(
        "BL305",
        {"bodies.assembly.quorum": {"fraction": "1", "strict": True}},
        ("bodies", "assembly", "quorum", "fraction"),
        id="BL305",
    ),
    pytest.param(
        "BL305",
        {"bodies.assembly.quorum": {"fraction": "0"}},
        ("bodies", "assembly", "quorum", "fraction"),
        id="BL305-zero",
    ),
    pytest.param(
        "BL305",
        {"bodies.assembly.quorum": {"fraction": "3/2"}},
        ("bodies", "assembly", "quorum", "fraction"),
        id="BL305-above-one",
    ),
    pytest.param(
        "BL306",
        {"bodies.board.quorum.min": {"funder": 1}},
        ("bodies", "board", "quorum", "min", "funder"),
        id="BL306",
    ),
    pytest.param("BL307", {"bodies.board.quorum": DELETE}, ("bodies", "board"), id="BL307"),
    pytest.param(
        "BL308",
        {"bodies.board.seats": {"funder": 1}, "bodies.board.quorum.count": 1},
        ("decisions", "award_grant", "body"),
        id="BL308",
    ),
    pytest.param(
        "BL309",
        {"bodies.assembly.quorum": {"fraction": "1/2", "of": "seats"}},
        ("bodies", "assembly", "quorum", "of"),
        id="BL309",
    ),
    # --- decisions, amendment, conflicts ---
    pytest.param(
        "BL401",
        {"rules.half": {"threshold": "1/2"}, "decisions.amend_bylaws.rule": "half"},
        ("decisions", "amend_bylaws", "rule"),
        id="BL401",
    ),
    pytest.param(
        "BL402",
        {"decisions.amend_bylaws.notice_days": 6},
        ("decisions", "amend_bylaws", "notice_days"),
        id="BL402",
    ),
    pytest.param(
        "BL402",
        {
            "decisions.amend_bylaws.notice_days": DELETE,
            "bodies.assembly.notice_days": DELETE,
            "decisions.ordinary.notice_days": 7,
        },
        ("decisions", "amend_bylaws"),
        id="BL402-no-notice",
    ),
    pytest.param("BL403", {"decisions.amend_bylaws": DELETE}, ("decisions",), id="BL403"),
    pytest.param("BL404", {"decisions.ordinary": DELETE}, ("decisions",), id="BL404"),
    pytest.param(
        "BL405", {"decisions.award_grant.recusal": False}, ("decisions", "award_grant"), id="BL405"
    ),
    pytest.param(
        "BL405",
        {"decisions.adjudicar": {"body": "board", "rule": "majority", "awards": True}},
        ("decisions", "adjudicar"),
        id="BL405-explicit-awards",
    ),
    pytest.param(
        "BL406",
        {"classes.funder.votes": True},
        ("bodies", "board", "seats", "funder"),
        id="BL406",
    ),
    pytest.param(
        "BL406",
        {"classes.funder.votes": True, "decisions.award_grant.body": "assembly"},
        ("bodies", "assembly", "classes", 2),
        id="BL406-classes",
    ),
    pytest.param(
        "BL406",
        {
            "classes.contractor": {"name": "Lead agency", "votes": True, "kind": "contractor"},
            "bodies.board.seats.contractor": 1,
        },
        ("bodies", "board", "seats", "contractor"),
        id="BL406-contractor",
    ),
    pytest.param("BL407", {"conflict_resolution": DELETE}, (), id="BL407"),
    pytest.param(
        "BL407",
        {"conflict_resolution.steps": []},
        ("conflict_resolution", "steps"),
        id="BL407-empty",
    ),
    pytest.param(
        "BL408", {"rules.majority.tie": "chair"}, ("decisions", "ordinary", "rule"), id="BL408"
    ),
    pytest.param(
        "BL409",
        {"decisions.ordinary.notice_days": 3},
        ("decisions", "ordinary", "notice_days"),
        id="BL409",
    ),
    pytest.param(
        "BL410",
        {"decisions.amend_bylaws.body": "board"},
        ("decisions", "amend_bylaws", "body"),
        id="BL410",
    ),
    pytest.param(
        "BL411",
        {
            "decisions.ordinary.plan": True,
            "decisions.plan": {"body": "assembly", "rule": "majority", "plan": True},
        },
        ("decisions", "plan", "plan"),
        id="BL411",
    ),
    pytest.param(
        "BL412",
        {"decisions.ordinary.plan": True, "decisions.ordinary.procedural": True},
        ("decisions", "ordinary", "plan"),
        id="BL412",
    ),
    # --- roles, dates, proxies ---
    pytest.param(
        "BL501", {"roles.chair.term_months": DELETE}, ("roles", "chair", "max_terms"), id="BL501"
    ),
    pytest.param("BL502", {"adopted": date(2026, 11, 24)}, ("adopted",), id="BL502"),
    pytest.param("BL503", {"proxies": {"allowed": True}}, ("proxies", "allowed"), id="BL503"),
    pytest.param("BL504", {"amended": date(2019, 12, 31)}, ("amended",), id="BL504"),
]

# The near miss: the edge that must NOT give the code.
PASSING: list[Any] = [
    pytest.param(
        "BL101", {"adopted": DELETE, "roles": DELETE, "proxies": DELETE}, id="BL101-optional-keys"
    ),
    pytest.param("BL102", {"bodies.board.description": "Meets monthly"}, id="BL102-known-key"),
    pytest.param("BL103", {"bodies.board.notice_days": 5}, id="BL103-integer"),
    pytest.param("BL104", {"schema": "1"}, id="BL104-string-is-a-type-error"),
    pytest.param("BL105", {"rules.majority.threshold": " 2 / 4 "}, id="BL105-unreduced-spaced"),
    pytest.param(
        "BL106",
        {"rules.majority.base": "members", "classes.funder.kind": "contractor"},
        id="BL106-allowed",
    ),
    pytest.param("BL107", {"id": "bsmla-2024_v2"}, id="BL107-digits-dash-underscore"),
    pytest.param(
        "BL108", {"bodies.board.notice_days": 1, "bodies.board.seats.funder": 1}, id="BL108-minimum"
    ),
    pytest.param("BL109", {"bodies.board.quorum": {"fraction": "1/2"}}, id="BL109-fraction-only"),
    pytest.param(
        "BL110",
        {"bodies.board.seats": DELETE, "bodies.board.classes": ["resident", "agency"]},
        id="BL110-classes-only",
    ),
    pytest.param("BL111", {"classes.resident.name": "R"}, id="BL111-one-char"),
    pytest.param("BL201", {"decisions.ordinary.body": "board"}, id="BL201-other-body"),
    pytest.param("BL202", {"bodies.assembly.quorum.min": {"agency": 1}}, id="BL202-defined"),
    pytest.param(
        "BL112",
        {"schema": 2, "rules.majority.dual": {"class": "resident", "threshold": "1/2"}},
        id="BL112-schema-2",
    ),
    pytest.param(
        "BL310",
        {"schema": 2, "rules.majority.dual": {"class": "resident", "threshold": "1/2"}},
        id="BL310-sits-everywhere",
    ),
    pytest.param(
        "BL311",
        {"schema": 2, "rules.majority.dual": {"class": "agency", "threshold": "1/2"}},
        id="BL311-votes",
    ),
    pytest.param("BL203", {"decisions.ordinary.rule": "two_thirds"}, id="BL203-defined"),
    pytest.param("BL204", {"bodies.board.chair": "chair"}, id="BL204-defined"),
    pytest.param(
        "BL205",
        {"ordinary_decision": "ordinary", "amendment_decision": "amend_bylaws"},
        id="BL205-explicit",
    ),
    pytest.param(
        "BL206",
        {"roles.board_member": {"name": "Board member", "body": "board"}},
        id="BL206-distinct",
    ),
    pytest.param(
        "BL207",
        {
            "bodies.committee": {
                "name": "Committee",
                "parent": "board",
                "seats": {"resident": 3},
                "quorum": {"count": 2},
            }
        },
        id="BL207-three-levels",
    ),
    pytest.param(
        "BL208", {"bodies.board.classes": ["resident", "agency", "funder"]}, id="BL208-listed"
    ),
    pytest.param("BL209", {"bodies.board.quorum.min": {"agency": 1}}, id="BL209-seated"),
    pytest.param("BL301", {"rules.two_thirds.threshold": "1"}, id="BL301-unanimity"),
    pytest.param(
        "BL302", {"rules.two_thirds": {"threshold": "1", "strict": False}}, id="BL302-at-least-all"
    ),
    pytest.param("BL303", {"bodies.board.quorum.count": 8}, id="BL303-equal-voting-seats"),
    pytest.param("BL304", {"bodies.board.quorum.min": {"resident": 5}}, id="BL304-equal-seats"),
    pytest.param(
        "BL305", {"bodies.assembly.quorum": {"fraction": "1", "strict": False}}, id="BL305-all"
    ),
    pytest.param("BL306", {"bodies.board.quorum.min": {"agency": 3}}, id="BL306-voting-class"),
    pytest.param("BL307", {"bodies.board.quorum": {"count": 1}}, id="BL307-count-one"),
    pytest.param(
        "BL308",
        {"bodies.board.seats": {"funder": 1, "agency": 1}, "bodies.board.quorum.count": 1},
        id="BL308-one-voting-class",
    ),
    pytest.param(
        "BL309", {"bodies.board.quorum": {"fraction": "1/2", "of": "seats"}}, id="BL309-has-seats"
    ),
    pytest.param("BL401", {"decisions.amend_bylaws.rule": "majority"}, id="BL401-equal"),
    pytest.param("BL402", {"decisions.amend_bylaws.notice_days": 7}, id="BL402-equal"),
    pytest.param(
        "BL403",
        {
            "decisions.amend_bylaws": DELETE,
            "decisions.reforma": {"body": "assembly", "rule": "two_thirds", "notice_days": 14},
            "amendment_decision": "reforma",
        },
        id="BL403-named",
    ),
    pytest.param(
        "BL404",
        {
            "decisions.ordinary": DELETE,
            "decisions.ordinaria": {"body": "assembly", "rule": "majority"},
            "ordinary_decision": "ordinaria",
        },
        id="BL404-named",
    ),
    pytest.param(
        "BL405",
        {"decisions.award_grant.recusal": False, "decisions.award_grant.awards": False},
        id="BL405-not-awarding",
    ),
    pytest.param(
        "BL406",
        {"classes.funder.votes": True, "bodies.board.seats": {"resident": 5, "agency": 3}},
        id="BL406-funder-votes-elsewhere",
    ),
    pytest.param("BL407", {"conflict_resolution.steps": ["Mediation"]}, id="BL407-one-step"),
    pytest.param(
        "BL408",
        {
            "rules.majority.tie": "chair",
            "roles.moderator": {"name": "Moderator", "body": "assembly"},
            "bodies.assembly.chair": "moderator",
        },
        id="BL408-body-has-chair",
    ),
    pytest.param("BL409", {"decisions.ordinary.notice_days": 7}, id="BL409-equal"),
    pytest.param(
        "BL410",
        {
            "bodies.congress": {
                "name": "Congress",
                "classes": ["resident", "agency"],
                "notice_days": 30,
                "quorum": {"fraction": "1/2"},
            },
            "decisions.amend_bylaws.body": "congress",
        },
        id="BL410-top-level-body",
    ),
    pytest.param(
        "BL411",
        {
            "decisions.ordinary.plan": True,
            "decisions.plan": {"body": "board", "rule": "majority", "plan": True},
        },
        id="BL411-one-per-body",
    ),
    pytest.param("BL412", {"decisions.ordinary.plan": True}, id="BL412-needs-quorum"),
    pytest.param("BL501", {"roles.chair.max_terms": DELETE}, id="BL501-term-without-limit"),
    pytest.param("BL502", {"adopted": TODAY}, id="BL502-today"),
    pytest.param("BL503", {"proxies": {"allowed": True, "max_per_holder": 1}}, id="BL503-limited"),
    pytest.param("BL504", {"amended": date(2020, 1, 1)}, id="BL504-same-day"),
]

LINT_CODES = sorted(c for c in CODES if "BL101" <= c <= "BL599")


def _codes_in(table: list[Any]) -> set[str]:
    return {p.values[0] for p in table}


def test_base_document_has_no_findings() -> None:
    assert findings_of(BASE) == [], describe(findings_of(BASE))


def test_every_code_has_a_failing_case() -> None:
    assert set(LINT_CODES) - _codes_in(FAILING) == set()


def test_every_code_has_a_passing_case() -> None:
    assert set(LINT_CODES) - _codes_in(PASSING) == set()


def test_tables_name_only_known_codes() -> None:
    assert _codes_in(FAILING) | _codes_in(PASSING) <= set(LINT_CODES)


@pytest.mark.parametrize(("code", "changes", "path"), FAILING)
def test_mutation_gives_code_at_path(code: str, changes: Mutation, path: tuple[Any, ...]) -> None:
    found = findings_of(mutate(changes))
    hits = [f for f in found if f.code == code]
    assert hits, f"{code} expected at {path}; got:\n{describe(found)}"
    assert path in [f.path for f in hits], describe(hits)
    for f in hits:
        assert f.severity == CODES[code].severity
        assert f.message.render()  # every message renders with its own parameters


@pytest.mark.parametrize(("code", "changes"), PASSING)
def test_near_miss_does_not_give_code(code: str, changes: Mutation) -> None:
    found = findings_of(mutate(changes))
    assert [f for f in found if f.code == code] == [], describe(found)


def test_unsupported_schema_stops_before_the_model() -> None:
    model, found = check_document(mutate({"schema": 3, "rules.majority.threshold": 0.5}), CTX)
    assert model is None
    assert [f.code for f in found] == ["BL104"]


def test_parent_cycle_is_reported_once() -> None:
    found = findings_of(mutate({"bodies.assembly.parent": "board"}))
    assert [f.code for f in found if f.code == "BL207"] == ["BL207"]


def test_award_by_id_prefix_defaults_to_awarding() -> None:
    """award_*, adjudicar_*, otorgar_*, atorgar_* award money unless they say otherwise."""
    model, _ = check_document(
        mutate(
            {
                "decisions.adjudicar_fondos": {"body": "board", "rule": "majority"},
                "decisions.atorgar_ajuts": {"body": "board", "rule": "majority", "awards": False},
                "decisions.approve_minutes": {"body": "board", "rule": "majority"},
            }
        ),
        CTX,
    )
    assert model is not None
    assert model.decisions["award_grant"].awards
    assert model.decisions["adjudicar_fondos"].awards
    assert not model.decisions["atorgar_ajuts"].awards
    assert not model.decisions["approve_minutes"].awards


def test_a_spanish_awarding_decision_without_recusal_is_flagged() -> None:
    found = findings_of(
        mutate({"decisions.adjudicar_fondos": {"body": "board", "rule": "majority"}})
    )
    assert [f.path for f in found if f.code == "BL405"] == [("decisions", "adjudicar_fondos")]


def _rule(threshold: str, strict: bool = False, base: str = "cast", tie: str = "fails") -> Any:
    from comunidad_cli.core.bylaws.model import Rule

    return Rule("r", Fraction(threshold), strict, base, tie)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # same base: compare the thresholds exactly
        (_rule("2/3"), _rule("1/2", strict=True), True),
        (_rule("1/2", strict=True), _rule("1/2", strict=True), True),
        (_rule("1/2"), _rule("1/2", strict=True), False),
        # a smaller base can pass with low attendance where a larger one fails
        (_rule("3/5"), _rule("1/2", strict=True, base="members"), False),
        (_rule("2/3", base="present"), _rule("1/2", strict=True, base="members"), False),
        # a larger base with a threshold at least as high is at least as hard
        (_rule("1/2", strict=True, base="members"), _rule("1/2", strict=True), True),
        # a larger base with a lower threshold is not comparable: not at least as hard
        (_rule("1/2", strict=True, base="members"), _rule("2/3"), False),
        # a chair's casting vote passes ties that the other rule fails
        (_rule("1/2", strict=True, tie="chair"), _rule("1/2", strict=True), False),
        (_rule("1/2", strict=True, tie="chair"), _rule("1/2"), True),
    ],
)
def test_at_least_as_hard(a: Any, b: Any, expected: bool) -> None:
    from comunidad_cli.core.bylaws.checks.decisions import at_least_as_hard

    assert at_least_as_hard(a, b) is expected


@given(
    members=st.integers(1, 12),
    data=st.data(),
    a=st.tuples(
        st.sampled_from(["1/3", "1/2", "3/5", "2/3", "3/4", "1"]),
        st.booleans(),
        st.sampled_from(["cast", "present", "members"]),
    ),
    b=st.tuples(
        st.sampled_from(["1/3", "1/2", "3/5", "2/3", "3/4", "1"]),
        st.booleans(),
        st.sampled_from(["cast", "present", "members"]),
    ),
)
def test_at_least_as_hard_is_never_wrong_when_it_says_yes(
    members: int, data: st.DataObject, a: tuple[str, bool, str], b: tuple[str, bool, str]
) -> None:
    """If rule a is judged at least as hard as b, no vote passes a and fails b."""
    from comunidad_cli.core.bylaws.checks.decisions import at_least_as_hard

    rule_a, rule_b = _rule(a[0], a[1], a[2]), _rule(b[0], b[1], b[2])
    if not at_least_as_hard(rule_a, rule_b):
        return
    present = data.draw(st.integers(1, members))
    yes = data.draw(st.integers(0, present))
    no = data.draw(st.integers(0, present - yes))

    def passes(rule: Any) -> bool:
        total = {"cast": yes + no, "present": present, "members": members}[rule.base]
        return total > 0 and meets(yes, total, rule.threshold, strict=rule.strict)

    assert not (passes(rule_a) and not passes(rule_b))


def test_quorum_of_seats_must_be_reachable_by_voting_seats() -> None:
    found = findings_of(
        mutate(
            {
                "bodies.board.quorum": {"fraction": "1/2", "of": "seats"},
                "bodies.board.seats": {"resident": 2, "agency": 1, "funder": 5},
            }
        )
    )
    assert [f.code for f in found if f.code == "BL305"] == ["BL305"]


def test_quorum_count_is_not_judged_against_seats_when_a_voting_class_has_no_seat_limit() -> None:
    found = findings_of(
        mutate(
            {
                "bodies.board.classes": ["resident", "agency", "funder"],
                "bodies.board.seats": {"resident": 3, "funder": 1},
                "bodies.board.quorum": {"count": 4},
            }
        )
    )
    assert "BL303" not in {f.code for f in found}


def test_a_role_on_the_body_is_not_its_chair() -> None:
    """Only bodies.X.chair names who breaks ties; a secretary on the body does not."""
    found = findings_of(
        mutate(
            {
                "rules.majority.tie": "chair",
                "roles.secretary": {"name": "Secretary", "body": "assembly"},
            }
        )
    )
    assert [f.code for f in found if f.code == "BL408"] == ["BL408"]


def test_amended_in_the_future_is_flagged() -> None:
    found = findings_of(mutate({"amended": date(2027, 1, 1)}))
    assert [f.path for f in found if f.code == "BL502"] == [("amended",)]


# --- exact fractions ----------------------------------------------------------------------

HALF, TWO_THIRDS = Fraction(1, 2), Fraction(2, 3)


@pytest.mark.parametrize(
    ("yes", "no", "threshold", "strict", "passes"),
    [
        pytest.param(9, 8, HALF, True, True, id="9-8-majority"),
        pytest.param(8, 8, HALF, True, False, id="8-8-tie-fails"),
        pytest.param(8, 8, HALF, False, True, id="8-8-at-least-half"),
        pytest.param(24, 12, TWO_THIRDS, False, True, id="24-12-two-thirds"),
        pytest.param(22, 12, TWO_THIRDS, False, False, id="22-12-short"),
        pytest.param(23, 11, TWO_THIRDS, False, True, id="23-11-two-thirds"),
        pytest.param(24, 12, TWO_THIRDS, True, False, id="24-12-not-more-than"),
        pytest.param(0, 0, HALF, True, False, id="empty-strict"),
    ],
)
def test_meets_votes_cast(
    yes: int, no: int, threshold: Fraction, strict: bool, passes: bool
) -> None:
    assert meets(yes, yes + no, threshold, strict=strict) is passes


def test_nine_of_seventeen_is_more_than_half() -> None:
    assert meets(9, 17, HALF, strict=True)
    assert not meets(8, 17, HALF, strict=True)
    assert minimum_count(17, HALF, strict=True) == 9
    assert minimum_count(16, HALF, strict=True) == 9  # "50% + 1" would be right only here
    assert minimum_count(36, TWO_THIRDS, strict=False) == 24
    assert minimum_count(34, TWO_THIRDS, strict=False) == 23
    assert minimum_count(0, HALF, strict=False) == 0


thresholds = st.fractions(min_value=0, max_value=2, max_denominator=1000)


@given(
    total=st.integers(min_value=1, max_value=10**9),
    data=st.data(),
    threshold=thresholds,
    strict=st.booleans(),
)
def test_meets_is_exact_fraction_comparison(
    total: int, data: st.DataObject, threshold: Fraction, strict: bool
) -> None:
    count = data.draw(st.integers(min_value=0, max_value=total))
    exact = Fraction(count, total)
    assert meets(count, total, threshold, strict=strict) is (
        exact > threshold if strict else exact >= threshold
    )


@given(total=st.integers(min_value=0, max_value=10**9), threshold=thresholds, strict=st.booleans())
def test_minimum_count_is_the_least_count_that_meets(
    total: int, threshold: Fraction, strict: bool
) -> None:
    least = minimum_count(total, threshold, strict=strict)
    assert least >= 0
    assert meets(least, total, threshold, strict=strict)
    if least > 0:
        assert not meets(least - 1, total, threshold, strict=strict)


# --- shipped by-laws and templates --------------------------------------------------------

SHIPPED = sorted((ROOT / "bylaws").glob("*.toml")) + sorted(
    (ROOT / "src" / "comunidad_cli" / "templates").glob("*.toml")
)
EXPECTED_SHIPPED = {
    "bylaws/best-start-partnership.toml",
    "bylaws/directorio-local.toml",
    "bylaws/xarxa-infancia-sants.toml",
    "src/comunidad_cli/templates/partnership.toml",
    "src/comunidad_cli/templates/directorio.toml",
    "src/comunidad_cli/templates/xarxa.toml",
}


def as_json(value: Any) -> Any:
    """TOML values as JSON would carry them: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = spec.json_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_shipped_files_are_all_there() -> None:
    assert {p.relative_to(ROOT).as_posix() for p in SHIPPED} >= EXPECTED_SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_file_is_clean(path: Path, validator: jsonschema.Draft7Validator) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = findings_of(data)
    assert found == [], describe(found)
    validator.validate(as_json(data))


def test_base_document_validates_against_json_schema(validator: jsonschema.Draft7Validator) -> None:
    validator.validate(as_json(BASE))


@pytest.mark.parametrize(
    ("code", "changes"),
    [
        pytest.param("BL101", {"name": DELETE}, id="missing-name"),
        pytest.param("BL102", {"bodies.board.quorom": {"count": 5}}, id="unknown-key"),
        pytest.param("BL103", {"classes.resident.votes": "yes"}, id="wrong-type"),
        pytest.param("BL104", {"schema": 3}, id="schema-3"),
        pytest.param("BL105", {"rules.majority.threshold": 0.5}, id="float-fraction"),
        pytest.param("BL106", {"rules.majority.tie": "coin"}, id="enum"),
        pytest.param("BL107", {"id": "Best Start"}, id="bad-id"),
        pytest.param("BL108", {"bodies.board.seats.resident": 0}, id="zero-seats"),
        pytest.param(
            "BL109", {"bodies.board.quorum": {"count": 5, "fraction": "1/2"}}, id="two-quorums"
        ),
        pytest.param("BL110", {"bodies.board.seats": DELETE}, id="body-without-members"),
        pytest.param("BL111", {"bodies.assembly.classes": []}, id="empty-classes"),
        pytest.param("BL103", {"adopted": "June 2011"}, id="bad-date"),
    ],
)
def test_broken_documents_are_rejected_by_json_schema_too(
    code: str, changes: Mutation, validator: jsonschema.Draft7Validator
) -> None:
    doc = mutate(changes)
    assert code in {f.code for f in findings_of(doc)}
    assert not validator.is_valid(as_json(doc))
