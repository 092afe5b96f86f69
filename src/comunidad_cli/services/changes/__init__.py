"""Systems change: tag a motion, a subcontract, a funded project, a learning activity or a
network commitment with Best Start's conditions and qualities, remove a tag (its row stays,
with when and by whom), show a record's tags and their history, list what is tagged, and the
report by condition and quality over a period.

One `writing_db` transaction and audit row per writing command, `reading_db` for the rest;
the choices and the report's arithmetic are in `comunidad_cli.core.changes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError, typed_period

if TYPE_CHECKING:
    from comunidad_cli.core.changes import Figures
    from comunidad_cli.core.choices import Choices
    from comunidad_cli.storage.dbapi import Db

TAG = "change_tag"


def _chosen(value: str | Msg, option: str) -> str:
    if isinstance(value, Msg):
        raise ServiceError(
            Msg.of(N_("{option}: {problem}"), option=option, problem=value), exit_code=2
        )
    return value


def parse_kind(typed: str) -> str:
    """The kind of record typed (in any language); a usage error with the list if none."""
    from comunidad_cli.core.changes import parse_kind as parse

    return _chosen(parse(typed), "KIND")


def _values(typed: Sequence[str], dimension: str) -> tuple[str, ...]:
    from comunidad_cli.core.changes import parse_values

    found = parse_values(typed, dimension)
    if isinstance(found, Msg):
        _chosen(found, f"--{dimension}")
    assert not isinstance(found, Msg)
    return found


def _wanted(conditions: Sequence[str], qualities: Sequence[str]) -> list[tuple[str, str]]:
    from comunidad_cli.core.changes import CONDITION, QUALITY

    wanted = [(CONDITION, v) for v in _values(conditions, CONDITION)]
    wanted += [(QUALITY, v) for v in _values(qualities, QUALITY)]
    if not wanted:
        raise ServiceError.of(N_("give at least one --condition or --quality"), exit_code=2)
    return wanted


def _by(value: str) -> str:
    from comunidad_cli.core.importing.invalid import Invalid
    from comunidad_cli.core.importing.text import one_line

    try:
        text = one_line(value)
    except Invalid as invalid:
        raise ServiceError(
            Msg.of(N_("{option}: {problem}"), option="--by", problem=invalid.msg)
        ) from None
    if not text:
        raise ServiceError(Msg.of(N_("{option} cannot be empty"), option="--by"))
    return text


def _subject(db: Db, kind: str, key: str) -> tuple[int, str]:
    from comunidad_cli.core.changes import not_found
    from comunidad_cli.storage.changes import subject

    found = subject(db, kind, key)
    if found is None:
        from comunidad_cli.services.suggest import no_such

        raise ServiceError(no_such(db, kind, key, not_found(kind, key)))
    return found


def _audit(db: Db, command: str, action: str, kind: str, key: str, detail: dict[str, Any],
           at: datetime) -> None:  # fmt: skip
    """The audit row of a tag's write: the entity is the tag, its id the record's kind:key."""
    from comunidad_cli.services.entries import audit

    audit(db, command, action, TAG, f"{kind}:{key}", detail, at)


def _listed(values: Sequence[tuple[str, str]]) -> Choices:
    """The values as a message parameter, shown in the reader's words."""
    from comunidad_cli.core.choices import Choices

    return Choices(tuple(v for _, v in values))


def _kind_word(kind: str) -> Choices:
    from comunidad_cli.core.choices import Choices

    return Choices((kind,))


def _tag_detail(wanted: Sequence[tuple[str, str]], who: str) -> dict[str, Any]:
    """What a tag or untag's audit row says: the conditions and qualities, and by whom."""
    by_dimension = {d: [v for dim, v in wanted if dim == d] for d in ("condition", "quality")}
    return {**by_dimension, "by": who}


def tag(
    url: str,
    kind: str,
    key: str,
    *,
    conditions: Sequence[str],
    qualities: Sequence[str],
    by: str,
    at: datetime,
) -> list[tuple[str, str]]:
    """Tag one record with conditions and qualities; one already in force is refused, and
    then nothing is written. Returns the (dimension, value) pairs added."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import changes

    chosen_kind = parse_kind(kind)
    wanted = _wanted(conditions, qualities)
    who = _by(by)
    with writing_db(url) as db:
        subject_id, _ = _subject(db, chosen_kind, key)
        held = {(t.dimension, t.value) for t in changes.tags(db, chosen_kind, subject_id)}
        again = [w for w in wanted if w in held]
        if again:
            raise ServiceError.of(
                N_('{kind} "{key}" is already tagged {values}: nothing was written'),
                kind=_kind_word(chosen_kind),
                key=key,
                values=_listed(again),
            )
        for dimension, value in wanted:
            changes.add_tag(
                db,
                kind=chosen_kind,
                subject_id=subject_id,
                dimension=dimension,
                value=value,
                at=at,
                by=who,
            )
        _audit(
            db,
            "change tag",
            "create",
            chosen_kind,
            key,
            _tag_detail(wanted, who),
            at,
        )
    return wanted


def untag(
    url: str,
    kind: str,
    key: str,
    *,
    conditions: Sequence[str],
    qualities: Sequence[str],
    by: str,
    at: datetime,
) -> list[tuple[str, str]]:
    """Remove tags in force from one record: each keeps its row, with when and by whom it
    was removed. A tag not in force is refused, and then nothing is written."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import changes

    chosen_kind = parse_kind(kind)
    wanted = _wanted(conditions, qualities)
    who = _by(by)
    with writing_db(url) as db:
        subject_id, _ = _subject(db, chosen_kind, key)
        held = {(t.dimension, t.value): t.id for t in changes.tags(db, chosen_kind, subject_id)}
        missing = [w for w in wanted if w not in held]
        if missing:
            raise ServiceError.of(
                N_('{kind} "{key}" is not tagged {values}: see "comunidad change tags"'),
                kind=_kind_word(chosen_kind),
                key=key,
                values=_listed(missing),
            )
        for pair in wanted:
            changes.remove_tag(db, held[pair], at=at, by=who)
        _audit(
            db,
            "change untag",
            "update",
            chosen_kind,
            key,
            _tag_detail(wanted, who),
            at,
        )
    return wanted


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagView:
    """One tag of a record, in force or removed."""

    dimension: str
    value: str
    tagged_at: datetime
    by: str
    removed_at: datetime | None
    removed_by: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "value": self.value,
            "tagged_at": self.tagged_at.isoformat(),
            "by": self.by,
            "removed_at": None if self.removed_at is None else self.removed_at.isoformat(),
            "removed_by": self.removed_by,
        }


@dataclass(frozen=True, slots=True)
class SubjectTags:
    kind: str
    key: str
    description: str
    tags: list[TagView]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.key,
            "description": self.description,
            "tags": [t.as_json() for t in self.tags],
        }


def tags_of(url: str, kind: str, key: str) -> SubjectTags:
    """A record's tags, those removed included, in the order they were given."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import changes

    chosen_kind = parse_kind(kind)
    with reading_db(url) as db:
        subject_id, description = _subject(db, chosen_kind, key)
        rows = changes.tags(db, chosen_kind, subject_id, current=False)
    return SubjectTags(
        chosen_kind,
        key,
        description,
        [
            TagView(t.dimension, t.value, t.tagged_at, t.by, t.removed_at, t.removed_by)
            for t in rows
        ],
    )


@dataclass(frozen=True, slots=True)
class Tagged:
    """A record with its conditions and qualities in force."""

    kind: str
    key: str
    description: str
    conditions: tuple[str, ...]
    qualities: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.key,
            "description": self.description,
            "conditions": list(self.conditions),
            "qualities": list(self.qualities),
        }


def list_tagged(
    url: str, *, kind: str | None, condition: str | None, quality: str | None
) -> list[Tagged]:
    """The records with tags in force (of one kind, under one condition and/or quality), by
    kind then id; each with all its conditions and qualities, in their fixed order."""
    from comunidad_cli.core.changes import CONDITION, CONDITIONS, KINDS, QUALITIES, QUALITY
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import changes

    chosen_kind = None if kind is None else parse_kind(kind)
    chosen_condition = None if condition is None else _values([condition], CONDITION)[0]
    chosen_quality = None if quality is None else _values([quality], QUALITY)[0]
    held: dict[tuple[str, int], set[str]] = {}
    with reading_db(url) as db:
        for t in changes.tags(db, chosen_kind):
            held.setdefault((t.kind, t.subject), set()).add(t.value)
        named = {
            k: changes.subjects(db, k, [s for kk, s in held if kk == k])
            for k in KINDS
            if any(kk == k for kk, _ in held)
        }
    found: list[Tagged] = []
    for (k, subject_id), values in held.items():
        if chosen_condition is not None and chosen_condition not in values:
            continue
        if chosen_quality is not None and chosen_quality not in values:
            continue
        key, description = named[k].get(subject_id, (str(subject_id), ""))
        found.append(
            Tagged(
                k,
                key,
                description,
                tuple(v for v in CONDITIONS if v in values),
                tuple(v for v in QUALITIES if v in values),
            )
        )
    return sorted(found, key=lambda t: (KINDS.index(t.kind), t.key))


@dataclass(frozen=True, slots=True)
class ChangeReport:
    start: date
    end: date
    condition: str | None
    rows: list[Figures]


def report(url: str, *, start: date, end: date, condition: str | None, today: date) -> ChangeReport:
    """The figures by condition and quality from `start` to `end` (both days included), over
    the tags in force; overdue commitments as on the period's last day (today if earlier)."""
    from comunidad_cli import clock
    from comunidad_cli.core import changes as core
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage import changes, networks

    typed_period(start, end)
    chosen = None if condition is None else _values([condition], core.CONDITION)[0]
    zone = clock.zone()
    with reading_db(url) as db:
        tags = [core.Tag(t.kind, t.subject, t.dimension, t.value) for t in changes.tags(db)]

        def ids(kind: str) -> list[int]:
            return sorted({t.subject for t in tags if t.kind == kind})

        projects = changes.project_subcontracts(db, ids("project"))
        contracts = changes.contracts(db, ids("subcontract") + list(projects.values()), start, end)
        wanted = set(ids("commitment"))
        records = core.Records(
            motions={
                i: core.Motion(outcome, None if at is None else at.astimezone(zone).date())
                for i, (outcome, at) in changes.motions(db, ids("motion")).items()
            },
            contracts={i: core.Contract(*c) for i, c in contracts.items()},
            projects=projects,
            activities={
                i: core.Activity(*a) for i, a in changes.activities(db, ids("activity")).items()
            },
            commitments={
                c.id: core.Commitment(
                    c.taken_on,
                    c.due,
                    None if c.status is None or c.closed_on is None else (c.status, c.closed_on),
                )
                for c in (networks.commitments(db) if wanted else [])
                if c.id in wanted
            },
        )
    rows = core.report(tags, records, start, end, min(end, today), chosen)
    return ChangeReport(start, end, chosen, rows)
