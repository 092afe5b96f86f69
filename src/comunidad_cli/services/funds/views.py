"""Reading a round (its stored text in force) and what it and its applications look like now
(`fund list|show|applications`): one `reading_db` transaction each, every application's
state from its latest decision. No SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli import clock
from comunidad_cli.core.funds.admissibility import (
    reasons_json,
    reasons_of,
)
from comunidad_cli.core.funds.round import Dates, Round
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.funds.round_files import round_of_text
from comunidad_cli.services.grants.common import Refused, _refused
from comunidad_cli.storage.dbapi import Db
from comunidad_cli.storage.funds.rounds import RoundRow

if TYPE_CHECKING:
    from comunidad_cli.core.funds.stage import Stage

STATES = ("pending", "admitted", "refused", "withdrawn")


# --- reading a round -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    row: RoundRow
    round: Round
    text_id: int


def load_round(db: Db, key: str) -> Loaded:
    from comunidad_cli.storage.funds.rounds import latest_text, round_by_key

    row = round_by_key(db, key.strip())
    if row is None:
        from comunidad_cli.services.funds.suggest import no_round

        close = no_round(db, key)
        if close is not None:
            raise Refused([close])
        raise _refused(
            N_('no round "{round}" is open: open it with "comunidad fund open FILE"'),
            round=key,
        )
    text = latest_text(db, row.id)
    assert text is not None
    return Loaded(row, round_of_text(text.content, row.key), text.id)


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplicationView:
    key: str
    round: str
    organisation: str
    organisation_name: str
    project: str
    amount: Decimal
    own: Decimal
    priority: str | None
    submitted_at: datetime
    lines: Mapping[str, Decimal]
    currency: str
    state: str = "pending"
    reasons: tuple[Msg, ...] = ()
    decided_at: datetime | None = None
    decided_by: str | None = None
    #: The standing decision was taken on an appeal.
    on_appeal: bool = False
    #: An appeal is filed and not yet decided.
    appeal_pending: bool = False

    def as_json(self) -> dict[str, Any]:
        from comunidad_cli.services.grants.common import in_currency

        return {
            "id": self.key,
            "round": self.round,
            "organisation": self.organisation,
            "organisation_name": self.organisation_name,
            "project": self.project,
            "amount": in_currency(self.amount, self.currency),
            "own_contribution": in_currency(self.own, self.currency),
            "priority": self.priority,
            "submitted_at": self.submitted_at.astimezone(clock.zone()).isoformat(),
            "lines": {c: in_currency(a, self.currency) for c, a in self.lines.items()},
            "state": self.state,
            "reasons": reasons_json(self.reasons),
            "decided_at": None
            if self.decided_at is None
            else self.decided_at.astimezone(clock.zone()).isoformat(),
            "decided_by": self.decided_by,
            "on_appeal": self.on_appeal,
            "appeal_pending": self.appeal_pending,
        }


@dataclass(frozen=True, slots=True)
class RoundView:
    key: str
    name: Mapping[str, str]
    body: str
    bylaws: str
    currency: str
    budget: Decimal
    dates: Dates
    grant: str | None
    opened_at: datetime
    texts: int
    counts: Mapping[str, int]
    on_appeal: int = 0
    appeals_pending: int = 0
    applications: tuple[ApplicationView, ...] = field(default=())
    #: Where the round stands and the next command (`fund show`; None in `fund list`).
    stage: Stage | None = None
    #: When the text in force was loaded, and whether the round's file in the workspace's
    #: fondos/ still says the same ("same", "differs"; None: no such file, or not asked).
    loaded_at: datetime | None = None
    file_state: str | None = None
    #: The rules in force a coordinator checks first (`fund show`).
    min_score: Fraction | None = None
    award_mode: str | None = None

    def as_json(self) -> dict[str, Any]:
        from comunidad_cli.services.grants.common import in_currency

        found: dict[str, Any] = {
            "id": self.key,
            "name": dict(self.name),
            "body": self.body,
            "bylaws": self.bylaws,
            "currency": self.currency,
            "budget": in_currency(self.budget, self.currency),
            "dates": {name: getattr(self.dates, name).isoformat() for name in self.dates.__slots__},
            "grant": self.grant,
            "opened_at": self.opened_at.astimezone(clock.zone()).isoformat(),
            "texts": self.texts,
            "applications": {**self.counts, "total": sum(self.counts.values())},
            "on_appeal": self.on_appeal,
            "appeals_pending": self.appeals_pending,
        }
        if self.stage is not None:
            found["stage"] = {"code": self.stage.code, **self.stage.counts}
        if self.loaded_at is not None:
            from comunidad_cli.core.funds.evaluation import exact

            found["in_force"] = {
                "loaded_at": self.loaded_at.astimezone(clock.zone()).isoformat(),
                "min_score": None if self.min_score is None else exact(self.min_score),
                "award_mode": self.award_mode,
                "file": self.file_state,
            }
        return found


def _state(decision: Any) -> str:
    """One of `STATES` for an application's standing decision (None: not judged yet)."""
    from comunidad_cli.core.funds.admissibility import is_withdrawal

    if decision is None:
        return "pending"
    if is_withdrawal(decision.reasons):
        return "withdrawn"
    return "admitted" if decision.admissible else "refused"


def views_of(db: Db, loaded: Loaded) -> list[ApplicationView]:
    from comunidad_cli.storage.funds import admissibility as stored
    from comunidad_cli.storage.funds.applications import application_lines, applications

    rows = applications(db, loaded.row.id)
    lines = application_lines(db, loaded.row.id)
    decided = stored.decisions(db, loaded.row.id)
    appealed = stored.round_appeals(db, loaded.row.id)
    views: list[ApplicationView] = []
    for a in rows:
        decision = decided.get(a.id)
        pending_appeal = bool(appealed.get(a.id)) and (
            decision is None or decision.appeal_id != appealed[a.id][-1]
        )
        views.append(
            ApplicationView(
                a.key,
                loaded.row.key,
                a.organisation,
                a.organisation_name,
                a.project,
                a.amount,
                a.own_contribution,
                a.priority,
                a.submitted_at,
                lines.get(a.id, {}),
                loaded.round.currency,
                _state(decision),
                () if decision is None else reasons_of(decision.reasons),
                None if decision is None else decision.decided_at,
                None if decision is None else decision.by,
                decision is not None and decision.appeal_id is not None,
                pending_appeal,
            )
        )
    return views


def _round_view(
    db: Db,
    loaded: Loaded,
    with_applications: bool,
    with_stage: bool = False,
    folder: Path | None = None,
) -> RoundView:
    """A round's view; with its stage when asked (`folder`: the by-laws folder, where the
    default reviewers' body is read from)."""
    views = views_of(db, loaded)
    counts = {state: sum(1 for v in views if v.state == state) for state in STATES}
    texts = int(
        db.value("SELECT COUNT(*) FROM fund_round_text WHERE round_id = :r", {"r": loaded.row.id})
    )
    r = loaded.round
    return RoundView(
        r.id,
        r.name,
        r.body,
        loaded.row.bylaws_id,
        r.currency,
        r.budget,
        r.dates,
        loaded.row.grant,
        loaded.row.opened_at,
        texts,
        counts,
        sum(1 for v in views if v.on_appeal),
        sum(1 for v in views if v.appeal_pending),
        tuple(views) if with_applications else (),
        _stage(db, loaded, views, folder) if with_stage else None,
    )


def _stage(db: Db, loaded: Loaded, views: list[ApplicationView], folder: Path | None) -> Stage:
    from comunidad_cli.services.funds.stage import round_stage

    return round_stage(db, loaded, views, folder, clock.today())


def list_rounds(url: str) -> list[RoundView]:
    """Every round opened, the latest first, with its applications counted by state."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.funds.rounds import rounds

    with reading_db(url) as db:
        return [_round_view(db, load_round(db, row.key), False) for row in rounds(db)]


def show_round(
    url: str, key: str, folder: Path | None = None, file: Path | None = None
) -> RoundView:
    """`fund show`: the round, its applications counted, and its stage today; with `file`
    (the workspace's fondos/ROUND.toml), whether it still says what the text in force says:
    an edit to the file changes nothing until `fund open` loads it, and only while
    applications are open."""
    import dataclasses
    import hashlib

    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.funds.rounds import text_by_id

    with reading_db(url) as db:
        loaded = load_round(db, key)
        view = _round_view(db, loaded, False, True, folder)
        in_force = text_by_id(db, loaded.text_id)
    state = None
    if file is not None and file.is_file():
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        state = "same" if digest == in_force.sha256 else "differs"
    return dataclasses.replace(
        view,
        loaded_at=in_force.loaded_at,
        file_state=state,
        min_score=loaded.round.min_score,
        award_mode=loaded.round.award_mode,
    )


def list_applications(url: str, key: str) -> list[ApplicationView]:
    """A round's applications in the order they were submitted, with their standing
    admissibility."""
    from comunidad_cli.services.session import reading_db

    with reading_db(url) as db:
        return views_of(db, load_round(db, key))
