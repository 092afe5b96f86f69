"""The round's outputs as data: the award record (acta de adjudicación), the public
results and a letter per applicant, all read from one award proposal as it was recorded.

The proposal's `snapshot` is the record: ranks, exact scores, amounts, outcomes, the
reasons and each criterion's mean points are read from it, never recomputed, so a later
score cannot rewrite an acta or a letter. What the snapshot does not keep (each criterion's
mean points on proposals recorded before it kept them, the reviewers' names, the
admissibility reasons and the meeting that voted) is read beside it. Rendering lives in
`render/funds.py`; reviewers' names stay out of the public results there.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from comunidad_cli.core.funds.round import Round
from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.services.errors import ServiceError

#: The parameters of the award's reasons that hold numbers (amounts, scores): a snapshot
#: keeps them as text, and they are read back as numbers to be shown the locale's way.
_NUMBERS = frozenset({"amount", "total", "given", "asked", "left", "score", "budget", "minimum"})


def _param(name: str, value: Any) -> Any:
    if isinstance(value, dict) and "id" in value:
        return snapshot_message(value)
    if name in _NUMBERS and isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def snapshot_message(data: Mapping[str, Any]) -> Msg:
    """A message kept in a proposal's snapshot (`services/funds/awards.message_json`) back
    as a message, its amounts and scores as numbers again."""
    params = MappingProxyType({k: _param(k, v) for k, v in data.get("params", {}).items()})
    return Msg(str(data["id"]), params, data.get("plural"), data.get("count"))


def _totals(kept: Sequence[Any]) -> list[tuple[str, Fraction]]:
    """Each reviewer's total as a snapshot keeps it: a {"reviewer", "total"} object."""
    return [(str(item["reviewer"]), Fraction(str(item["total"]))) for item in kept]


def _criteria(kept: Mapping[str, Any], scored: Any) -> Mapping[str, Fraction]:
    """Each criterion's mean points as the proposal kept them; a proposal recorded before
    snapshots kept them is read from the scores (closed since the proposal)."""
    if "criteria" in kept:
        return MappingProxyType(
            {c: f for c, text in kept["criteria"].items() if (f := _fraction(text)) is not None}
        )
    return MappingProxyType({}) if scored is None else MappingProxyType(dict(scored.criteria))


def _fraction(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


@dataclass(frozen=True, slots=True)
class Line:
    """One application in the award, with what the outputs say of it."""

    application: str
    organisation: str
    organisation_name: str
    project: str
    priority: str | None
    #: the standing admissibility: True, False, or None when never judged
    admissible: bool | None
    admissibility_reasons: tuple[Msg, ...]
    on_appeal: bool
    rank: int | None
    score: Fraction | None
    asked: Decimal
    given: Decimal
    outcome: str
    reason: Msg | None
    tie: Msg | None
    #: the mean points of the counted reviewers per criterion (who gave what stays out)
    criteria: Mapping[str, Fraction]
    #: each counted reviewer's weighted total (person key, total): the acta only
    totals: tuple[tuple[str, Fraction], ...]
    #: the reviewers recused from it (person key, why: as typed, or a message)
    recused: tuple[tuple[str, Msg | str], ...]


@dataclass(frozen=True, slots=True)
class Note:
    """A consensus note, on the workspace's clocks."""

    application: str
    criterion: str | None
    text: str
    noted_at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class Outputs:
    """An award proposal of a round, read for its acta, results and letters."""

    round: Round
    award: str
    proposed_at: datetime
    mode: str
    seed: str | None
    budget: Decimal
    given: Decimal
    stands: bool
    motion: str | None
    motion_outcome: str | None
    meeting: str | None
    lines: tuple[Line, ...]
    #: person key -> name, for the reviewers who scored or were recused
    people: Mapping[str, str]
    #: award keys of the round's other proposals, oldest first
    others: tuple[str, ...] = ()
    #: the reviewers' consensus notes made up to the proposal, oldest first
    notes: tuple[Note, ...] = ()
    #: the name of the round's body in its by-laws (who writes the letters), when readable
    body_name: str | None = None
    #: the by-laws' own name (whose body it is: every board has a "Plenari"), else their id
    bylaws_name: str | None = None

    @property
    def reviewers(self) -> tuple[str, ...]:
        """Every reviewer counted on an application or recused from one, in key order."""
        found = {r for line in self.lines for r, _ in line.totals}
        found |= {r for line in self.lines for r, _ in line.recused}
        return tuple(sorted(found))


def _chosen(rows: Sequence[Any], round_key: str, award_key: str | None) -> Any:
    """The proposal asked for; else the latest that stands; else the latest."""
    if not rows:
        raise ServiceError.of(
            N_(
                'no award has been proposed in round {round}: propose one with "comunidad fund'
                ' award {round} --propose --meeting MEETING"'
            ),
            round=round_key,
        )
    if award_key is not None:
        found = next((r for r in rows if r.key == award_key), None)
        if found is None:
            raise ServiceError.of(
                N_('round {round} has no award "{award}": its proposals are {awards}'),
                round=round_key,
                award=award_key,
                awards=", ".join(r.key for r in rows),
            )
        return found
    standing = [r for r in rows if r.outcome == "adopted"]
    return standing[-1] if standing else rows[-1]


def round_outputs(
    url: str,
    round_key: str,
    award_key: str | None = None,
    *,
    standing_only: bool = False,
    bylaws_folder: Path | None = None,
) -> Outputs:
    """A proposal of the round read for its outputs (a reading transaction): `award_key`,
    else the one that stands, else the latest. `standing_only` refuses one whose motion is
    not adopted (the public results and the letters tell only what was decided)."""
    from comunidad_cli.core.funds.admissibility import reasons_of
    from comunidad_cli.services.facts import aware, on_clocks
    from comunidad_cli.services.funds.evaluation import evaluate_in, round_in_force
    from comunidad_cli.services.funds.round_files import round_of_text
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.directory import names
    from comunidad_cli.storage.funds.admissibility import decisions
    from comunidad_cli.storage.funds.applications import applications
    from comunidad_cli.storage.funds.awards import awards
    from comunidad_cli.storage.funds.evaluation import notes
    from comunidad_cli.storage.funds.rounds import text_by_id
    from comunidad_cli.storage.governance import meeting_by_id, motion_by_key

    with reading_db(url) as db:
        loaded = round_in_force(db, round_key)
        rows = awards(db, loaded.row.id)
        chosen = _chosen(rows, round_key, award_key)
        stands = chosen.outcome == "adopted"
        if standing_only and not stands:
            raise ServiceError(_not_standing(round_key, chosen.key, chosen.motion))
        text = text_by_id(db, chosen.round_text_id)
        model = round_of_text(text.content, round_key)
        snapshot = json.loads(chosen.snapshot)
        apps = {a.key: a for a in applications(db, loaded.row.id)}
        judged = decisions(db, loaded.row.id)
        # only each criterion's mean points and the recusals are read from it (the ranking
        # is the snapshot's): the recorded seed, or any, so that no seed is drawn
        evaluated = evaluate_in(db, round_key, chosen.seed or "-", bylaws_folder)
        sheet = evaluated.evaluation.sheet.by_application()
        meeting = None
        if chosen.motion is not None:
            motion = motion_by_key(db, chosen.motion)
            found = None if motion is None else meeting_by_id(db, motion.meeting_id)
            meeting = None if found is None else found.key
        lines = []
        for kept in snapshot["lines"]:
            app = apps[kept["application"]]
            decision = judged.get(app.id)
            scored = sheet.get(app.key)
            lines.append(
                Line(
                    application=app.key,
                    organisation=app.organisation,
                    organisation_name=app.organisation_name,
                    project=app.project,
                    priority=app.priority,
                    admissible=None if decision is None else decision.admissible,
                    admissibility_reasons=() if decision is None else reasons_of(decision.reasons),
                    on_appeal=decision is not None and decision.appeal_id is not None,
                    rank=kept["rank"],
                    score=_fraction(kept["score"]),
                    asked=Decimal(kept["asked"]),
                    given=Decimal(kept["given"]),
                    outcome=kept["outcome"],
                    reason=None if kept["reason"] is None else snapshot_message(kept["reason"]),
                    tie=None if kept["tie"] is None else snapshot_message(kept["tie"]),
                    criteria=_criteria(kept, scored),
                    totals=tuple(_totals(kept["totals"])),
                    recused=tuple(sorted(evaluated.recused.get(app.key, {}).items())),
                )
            )
        people = {r for line in lines for r, _ in line.totals}
        people |= {r for line in lines for r, _ in line.recused}
        kept_notes = tuple(
            Note(n.application, n.criterion, n.text, on_clocks(n.noted_at), n.by)
            for n in notes(db, loaded.row.id)
            if aware(n.noted_at) <= aware(chosen.proposed_at)
        )
        body_name, bylaws_name = _names(bylaws_folder, loaded.row.bylaws_id, model.body)
        return Outputs(
            round=model,
            award=chosen.key,
            proposed_at=on_clocks(chosen.proposed_at),
            mode=chosen.mode,
            seed=chosen.seed,
            budget=Decimal(snapshot["budget"]),
            given=Decimal(snapshot["given"]),
            stands=stands,
            motion=chosen.motion,
            motion_outcome=chosen.outcome,
            meeting=meeting,
            lines=tuple(lines),
            people=MappingProxyType(names(db, sorted(people)) if people else {}),
            others=tuple(r.key for r in rows if r.key != chosen.key),
            notes=kept_notes,
            body_name=body_name,
            bylaws_name=bylaws_name,
        )


def _names(folder: Path | None, bylaws_id: str, body: str) -> tuple[str | None, str]:
    """The round's body as its by-laws name it (None when they cannot be read) and the
    by-laws' own name (their id when they cannot be read): who writes the letters."""
    from comunidad_cli import clock
    from comunidad_cli.core.bylaws.model import Bylaws
    from comunidad_cli.services.funds.evaluation import bylaws_of

    bylaws = bylaws_of(folder, bylaws_id, clock.today())
    if not isinstance(bylaws, Bylaws):
        return None, bylaws_id
    found = bylaws.bodies.get(body)
    return (None if found is None else found.name), (bylaws.name or bylaws_id)


def _not_standing(round_key: str, award: str, motion: str | None) -> Msg:
    return Msg.of(
        N_(
            "no award stands in round {round}: proposal {award} waits for its motion {motion}"
            " to be adopted; the results and the letters tell only what was decided (the acta"
            ' shows the proposal: "comunidad fund acta {round}")'
        ),
        round=round_key,
        award=award,
        motion=motion or "-",
    )


def existing(paths: Sequence[Path]) -> list[Path]:
    """The files among `paths` that already exist (refused unless replaced on purpose)."""
    return [p for p in paths if p.exists()]


def write_files(files: Sequence[tuple[Path, str]], *, force: bool) -> None:
    """Write every file atomically (a temporary beside it, then a rename), refusing, before
    writing any, when one exists and `force` is off: the refusal lists them all."""
    there = existing([p for p, _ in files])
    if there and not force:
        raise ServiceError(
            Msg.counted(
                NP_(
                    "{count} file exists already ({files}): nothing written; --force replaces it",
                    "{count} files exist already ({files}): nothing written; --force replaces them",
                ),
                "count",
                count=len(there),
                files=", ".join(str(p) for p in there),
            )
        )
    for path, text in files:
        temporary = path.with_name(f".{path.name}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8", newline="")
            os.replace(temporary, path)
        except OSError as problem:
            from comunidad_cli.core.os_errors import os_reason

            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise ServiceError.of(
                N_("cannot write {path}: {reason}"),
                path=str(path),
                reason=os_reason(problem),
            ) from None
