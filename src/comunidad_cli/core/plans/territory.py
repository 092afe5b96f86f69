"""Territory selection: a rule (criteria, exact weights, direction, normalisation) and the
exact scores and ranking of candidate territories under it.

The rule is a small TOML file a coordinator writes once (`examples/plans/territorios.toml`):

    select = 2                      # how many territories are chosen (optional)
    [criteria.vulnerabilidad]
    name = "Vulnerabilidad social"  # optional, shown as typed
    weight = "1/2"                  # exact: "1/2", "3/10" or "0.3", never a bare float
    direction = "higher"            # higher (more is better for being chosen) | lower
    normalise = "minmax"            # minmax (default) | max

Normalised values, per criterion over the candidates, are exact fractions in [0, 1]:
`minmax` (v - min) / (max - min) ("lower": (max - v) / (max - min); every candidate 1 when all
are equal, as the criterion tells no one apart); `max` v / max ("lower": min / v; values must
be positive). The score is the sum of weight x normalised value. Ranking: higher score first;
a tie is broken by the rule's criteria in the order written (the higher weighted
contribution first), then by the territory's id (alphabetical). Every tie and what broke
it is part of the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from comunidad_cli.core.fractions import format_fraction, parse_fraction
from comunidad_cli.core.messages import N_, Msg

DIRECTIONS = ("higher", "lower")
NORMALISATIONS = ("minmax", "max")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DECIMAL_WEIGHT = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    name: str | None
    weight: Fraction
    direction: str
    normalise: str


@dataclass(frozen=True, slots=True)
class Rule:
    criteria: tuple[Criterion, ...]
    select: int | None

    def as_json(self) -> dict[str, Any]:
        """The rule as it is recorded with a selection (weights as exact fractions)."""
        return {
            "select": self.select,
            "criteria": [
                {
                    "id": c.id,
                    "name": c.name,
                    "weight": format_fraction(c.weight),
                    "direction": c.direction,
                    "normalise": c.normalise,
                }
                for c in self.criteria
            ],
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    name: str
    values: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class Scored:
    key: str
    name: str
    rank: int
    score: Fraction
    #: criterion id -> (value, normalised value, weighted contribution)
    parts: Mapping[str, tuple[Decimal, Fraction, Fraction]]
    selected: bool
    #: Territories with the same score, and what put this one where it is: a criterion's
    #: id, or "id" (alphabetical order); None when its score is its own.
    tied_with: tuple[str, ...] = ()
    broken_by: str | None = None


def _weight(value: object) -> Fraction | None:
    if not isinstance(value, str):
        return None
    found = parse_fraction(value)
    if found is not None:
        return found
    if _DECIMAL_WEIGHT.match(value):
        return Fraction(Decimal(value.strip()))
    return None


def read_rule(data: Mapping[str, Any]) -> tuple[Rule | None, list[Msg]]:
    """The rule in a parsed TOML document, or every problem with it (key path first)."""
    problems: list[Msg] = []

    def problem(key: str, text: str, **params: Any) -> None:
        problems.append(Msg.of(N_("{key}: {problem}"), key=key, problem=Msg.of(text, **params)))

    for key in data:
        if key not in ("select", "criteria"):
            problem(key, N_("unknown key: the rule has select and [criteria.ID] tables"))
    select = data.get("select")
    if select is not None and (isinstance(select, bool) or not isinstance(select, int)):
        problem("select", N_("a whole number of territories, such as 2"))
        select = None
    elif isinstance(select, int) and select < 1:
        problem("select", N_("at least 1"))
        select = None
    tables = data.get("criteria")
    if not isinstance(tables, Mapping) or not tables:
        problem("criteria", N_("no criteria: add a [criteria.ID] table with weight and direction"))
        return None, problems
    criteria: list[Criterion] = []
    for cid, table in tables.items():
        where = f"criteria.{cid}"
        if not _ID.match(str(cid)):
            problem(where, N_("an id is lowercase letters, digits, _ and -"))
            continue
        if not isinstance(table, Mapping):
            problem(where, N_("a table with weight and direction"))
            continue
        for key in table:
            if key not in ("name", "weight", "direction", "normalise"):
                problem(
                    f"{where}.{key}",
                    N_("unknown key: a criterion has name, weight, direction and normalise"),
                )
        raw = table.get("weight")
        weight = _weight(raw)
        if raw is None:
            problem(f"{where}.weight", N_('missing: write the weight as a string, such as "1/2"'))
        elif weight is None:
            problem(
                f"{where}.weight",
                N_('write the weight as an exact string, such as "1/2" or "0.3", not {value}'),
                value=str(raw),
            )
        direction = table.get("direction")
        if direction not in DIRECTIONS:
            problem(
                f"{where}.direction",
                N_("say which way is better for being chosen: higher or lower"),
            )
        normalise = table.get("normalise", "minmax")
        if normalise not in NORMALISATIONS:
            problem(f"{where}.normalise", N_("choose minmax or max"))
        name = table.get("name")
        if name is not None and not isinstance(name, str):
            problem(f"{where}.name", N_("a text"))
            name = None
        if weight is not None and direction in DIRECTIONS and normalise in NORMALISATIONS:
            criteria.append(Criterion(str(cid), name, weight, str(direction), str(normalise)))
    if not problems:
        total = sum((c.weight for c in criteria), Fraction(0))
        if total != 1:
            problem(
                "criteria",
                N_("the weights add up to {total}, not exactly 1"),
                total=format_fraction(total),
            )
    if problems:
        return None, problems
    return Rule(tuple(criteria), select if isinstance(select, int) else None), []


def _normalised(criterion: Criterion, values: Sequence[Decimal]) -> list[Fraction] | Msg:
    exact = [Fraction(v) for v in values]
    low, high = min(exact), max(exact)
    if criterion.normalise == "minmax":
        if high == low:
            return [Fraction(1)] * len(exact)
        if criterion.direction == "higher":
            return [(v - low) / (high - low) for v in exact]
        return [(high - v) / (high - low) for v in exact]
    if criterion.direction == "higher":
        if low < 0 or high <= 0:
            return Msg.of(
                N_(
                    'criterion "{criterion}": normalise = "max" needs values of 0 or more and'
                    " one above 0"
                ),
                criterion=criterion.id,
            )
        return [v / high for v in exact]
    if low <= 0:
        return Msg.of(
            N_(
                'criterion "{criterion}": normalise = "max" with direction "lower" needs values'
                " above 0"
            ),
            criterion=criterion.id,
        )
    return [low / v for v in exact]


def missing_values(rule: Rule, candidates: Sequence[Candidate]) -> list[Msg]:
    """Each candidate without a value on a criterion of the rule (never taken as zero)."""
    return [
        Msg.of(
            N_('territory "{territory}" has no value for criterion "{criterion}"'),
            territory=c.key,
            criterion=criterion.id,
        )
        for c in candidates
        for criterion in rule.criteria
        if criterion.id not in c.values
    ]


def score(rule: Rule, candidates: Sequence[Candidate]) -> list[Scored] | list[Msg]:
    """The ranking of `candidates` under `rule` (best first), or why it cannot be made."""
    if not candidates:
        return [Msg.of(N_("no candidate territories: add them with territory add or import"))]
    missing = missing_values(rule, candidates)
    if missing:
        return missing
    parts: dict[str, dict[str, tuple[Decimal, Fraction, Fraction]]] = {
        c.key: {} for c in candidates
    }
    problems: list[Msg] = []
    for criterion in rule.criteria:
        values = [c.values[criterion.id] for c in candidates]
        found = _normalised(criterion, values)
        if isinstance(found, Msg):
            problems.append(found)
            continue
        for candidate, value, norm in zip(candidates, values, found, strict=True):
            parts[candidate.key][criterion.id] = (value, norm, criterion.weight * norm)
    if problems:
        return problems
    totals = {c.key: sum((p[2] for p in parts[c.key].values()), Fraction(0)) for c in candidates}

    def order(c: Candidate) -> tuple[Any, ...]:
        return (
            -totals[c.key],
            *(-parts[c.key][criterion.id][2] for criterion in rule.criteria),
            c.key,
        )

    ranked = sorted(candidates, key=order)
    result: list[Scored] = []
    for position, c in enumerate(ranked, start=1):
        tied = tuple(o.key for o in ranked if o.key != c.key and totals[o.key] == totals[c.key])
        broken_by = _broken_by(rule, parts, c.key, tied) if tied else None
        result.append(
            Scored(
                key=c.key,
                name=c.name,
                rank=position,
                score=totals[c.key],
                parts=parts[c.key],
                selected=rule.select is not None and position <= rule.select,
                tied_with=tied,
                broken_by=broken_by,
            )
        )
    return result


def _broken_by(
    rule: Rule,
    parts: Mapping[str, Mapping[str, tuple[Decimal, Fraction, Fraction]]],
    key: str,
    tied: Sequence[str],
) -> str:
    """The first rung of the chain that tells `key` apart from every territory tied with
    it: a criterion's id, or "id" when only the alphabetical order does."""
    others = set(tied)
    for criterion in rule.criteria:
        mine = parts[key][criterion.id][2]
        others = {o for o in others if parts[o][criterion.id][2] == mine}
        if not others:
            return criterion.id
    return "id"


def parse_value(text: str, decimal_mark: str | None) -> Decimal | Msg:
    """A criterion's value as typed: digits with the locale's decimal mark (`decimal_mark`
    None: a JSON number, "." only); the other mark is refused, never guessed."""
    value = text.strip()
    mark = decimal_mark or "."
    other = "," if mark == "." else "."
    pattern = re.compile(r"-?\d+(?:" + re.escape(mark) + r"\d+)?")
    if pattern.fullmatch(value):
        try:
            return Decimal(value.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern lets numbers through only
            pass
    if re.fullmatch(r"-?\d+(?:" + re.escape(other) + r"\d+)?", value):
        return Msg.of(
            N_('"{value}" is written with the other decimal mark: write {example}'),
            value=value,
            example=value.replace(other, mark),
        )
    return Msg.of(
        N_('"{value}" is not a number: write it as {example}'),
        value=value,
        example=f"12{mark}5",
    )
