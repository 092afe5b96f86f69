"""Candidate territories, their criteria values, and selections under a rule file.

A selection is history: each `territory select` records the rule as read, every value it
was given and the ranking with exact scores, under a new id; nothing earlier changes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.fractions import format_fraction
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.core.os_errors import os_reason
from comunidad_cli.core.plans import territory as core
from comunidad_cli.services.errors import ServiceError, typed_key, typed_text
from comunidad_cli.services.plans import Problems

COMMAND = "territory"


def _criterion_values(
    values: Sequence[tuple[str, str]], decimal_mark: str | None
) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for criterion, text in values:
        typed_key(criterion, "--value")
        if criterion in found:
            raise ServiceError.of(
                N_('--value: criterion "{criterion}" given twice'), criterion=criterion
            )
        value = core.parse_value(text, decimal_mark)
        if isinstance(value, Msg):
            raise ServiceError.of(
                N_("--value {criterion}: {problem}"), criterion=criterion, problem=value
            )
        found[criterion] = value
    return found


def add_territory(
    url: str,
    key: str,
    *,
    name: str,
    values: Sequence[tuple[str, str]] = (),
    decimal_mark: str | None = ".",
) -> None:
    """A new candidate territory with its values on the criteria (more by import)."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage import plans as store

    typed_key(key, "ID")
    typed_text(name, "--name")
    if not name.strip():
        raise ServiceError.of(N_("--name: the territory needs a name"), exit_code=2)
    parsed = _criterion_values(values, decimal_mark)
    now = clock.now()
    with writing_db(url) as db:
        if store.territory_by_key(db, key) is not None:
            raise ServiceError.of(
                N_('a territory "{key}" exists already: change its values with import territories'),
                key=key,
            )
        tid = store.add_territory(db, key=key, name=name, at=now)
        for criterion, value in parsed.items():
            store.add_value(db, territory_id=tid, criterion=criterion, value=value, at=now)
        audit.record(
            db,
            command=f"{COMMAND} add",
            action="create",
            entity="territory",
            entity_id=key,
            detail={"name": name, "values": {c: str(v) for c, v in parsed.items()}},
            at=now,
        )


@dataclass(frozen=True, slots=True)
class TerritoryView:
    key: str
    name: str
    values: dict[str, Decimal]


def list_territories(url: str) -> list[TerritoryView]:
    """Every candidate with its latest value on each criterion."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import plans as store

    with reading_db(url) as db:
        values = store.latest_values(db)
        return [
            TerritoryView(t.key, t.name, dict(sorted(values.get(t.id, {}).items())))
            for t in store.territories(db)
        ]


def read_rule(path: Path, shown: str) -> core.Rule:
    """The rule file, or every problem in it (each naming the file and the key)."""
    import tomllib

    try:
        data = path.read_bytes()
    except OSError as error:
        raise ServiceError.of(
            N_("cannot read {path}: {reason}"),
            exit_code=2,
            path=shown,
            reason=os_reason(error),
        ) from error
    try:
        document = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ServiceError.of(N_("{path}: not UTF-8: save the file as UTF-8"), path=shown) from None
    except tomllib.TOMLDecodeError as error:
        raise ServiceError.of(
            N_("{path}: not valid TOML: {detail}"), path=shown, detail=str(error)
        ) from None
    rule, problems = core.read_rule(document)
    if rule is None:
        raise Problems([Msg.of(N_("{path}: {problem}"), path=shown, problem=p) for p in problems])
    return rule


@dataclass(frozen=True, slots=True)
class Selection:
    key: str
    made_at: Any
    by: str
    rule: dict[str, Any]
    ranking: list[dict[str, Any]]


def _ranking_json(scored: Sequence[core.Scored]) -> list[dict[str, Any]]:
    return [
        {
            "rank": s.rank,
            "territory": s.key,
            "name": s.name,
            "score": format_fraction(s.score),
            "selected": s.selected,
            "tied_with": list(s.tied_with),
            "broken_by": s.broken_by,
            "criteria": {
                cid: {
                    "value": str(value),
                    "normalised": format_fraction(norm),
                    "weighted": format_fraction(weighted),
                }
                for cid, (value, norm, weighted) in s.parts.items()
            },
        }
        for s in scored
    ]


def select(
    url: str,
    rule_path: Path,
    *,
    shown: str | None = None,
    key: str | None = None,
    by: str | None = None,
) -> Selection:
    """Score every candidate under the rule, rank them, and record rule, inputs and result."""
    from comunidad_cli.core.importing.ids import make_id
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage import plans as store

    shown = shown if shown is not None else str(rule_path)
    rule = read_rule(rule_path, shown)
    if key is not None:
        typed_key(key, "--id")
    if by is not None:
        typed_text(by, "--by")
    now = clock.now()
    with writing_db(url) as db:
        values = store.latest_values(db)
        candidates = [
            core.Candidate(t.key, t.name, values.get(t.id, {})) for t in store.territories(db)
        ]
        scored = core.score(rule, candidates)
        refusals = [s for s in scored if isinstance(s, Msg)]
        if refusals:
            raise Problems(refusals)
        ranking = [s for s in scored if isinstance(s, core.Scored)]
        taken = store.Taken(db, "territory_selection")
        if key is not None:
            if key in taken:
                raise ServiceError.of(N_('a selection "{key}" exists already'), key=key)
            chosen = key
        else:
            chosen = make_id(
                "selection", clock.today().isoformat(), prefix="selection", taken=taken
            )
        actor = audit.actor_of(db, by) or ""
        inputs = {
            c.key: {"name": c.name, "values": {k: str(v) for k, v in sorted(c.values.items())}}
            for c in candidates
        }
        rule_json = {**rule.as_json(), "file": shown}
        result = _ranking_json(ranking)
        store.add_selection(
            db,
            key=chosen,
            rule=json.dumps(rule_json, ensure_ascii=False, sort_keys=True),
            inputs=json.dumps(inputs, ensure_ascii=False, sort_keys=True),
            result=json.dumps(result, ensure_ascii=False),
            at=now,
            by=actor,
        )
        audit.record(
            db,
            command=f"{COMMAND} select",
            action="create",
            entity="territory_selection",
            entity_id=chosen,
            detail={
                "rule": rule_json,
                "selected": [r["territory"] for r in result if r["selected"]],
            },
            at=now,
            actor=by,
        )
    return Selection(chosen, now, actor, rule_json, result)


def show(url: str, key: str | None = None) -> Selection:
    """A recorded selection (the latest when no id is given), as it was made."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import plans as store

    with reading_db(url) as db:
        found = store.selection(db, key)
    if found is None:
        if key is None:
            raise ServiceError.of(
                N_("no territory selection yet: run territory select --rule FILE")
            )
        raise ServiceError.of(N_('no territory selection "{key}"'), key=key)
    return Selection(
        found.key, found.made_at, found.by, json.loads(found.rule), json.loads(found.result)
    )
