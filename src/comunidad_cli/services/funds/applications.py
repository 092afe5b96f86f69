"""Opening a round, legal personality and applications to it: load, call the core
(`core/funds/admissibility.py`), persist; reading a round and what it and its applications
look like are `services/funds/views.py`, admissibility and appeals
`services/funds/admissibility.py`. Every writing function is one
`writing_db` transaction with its audit row; a refusal (`Refused`, amounts in the round's
currency) is raised before anything is written. No SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.funds.admissibility import (
    window_problem,
)
from comunidad_cli.core.funds.round import Round
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.funds.round_files import round_of_text
from comunidad_cli.services.funds.views import ApplicationView, load_round, views_of
from comunidad_cli.services.grants.common import Refused, _refused
from comunidad_cli.storage.dbapi import Db

ROUND_ENTITY = "fund_round"
APPLICATION_ENTITY = "fund_application"
ADMISSIBILITY_ENTITY = "fund_admissibility"
APPEAL_ENTITY = "fund_appeal"
LEGAL_ENTITY = "legal_personality"
#: An application's admissibility: not yet judged, admitted, refused.


def _local_day(at: datetime) -> date:
    return at.astimezone(clock.zone()).date()


def _by(by: str | None, option: str = "--by") -> str:
    """Who decides, as typed (`--by`), else who runs the command."""
    from comunidad_cli.services.errors import typed_text
    from comunidad_cli.storage.audit import current_actor

    if by is not None and by.strip():
        return typed_text(by.strip(), option)
    return current_actor() or ""


# --- opening a round -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opened:
    key: str
    #: "opened", "updated" (a new text), "unchanged" (the same file again)
    outcome: str
    grant: str | None
    #: The improvement plan in force on the call's day whose needs `serves` names (None:
    #: no plan of the body was in force then, and `serves` was not checked against one).
    plan: str | None = None


def open_round(
    url: str,
    path: Path,
    bylaws_folder: Path,
    *,
    bylaws: str | None = None,
    grant: str | None = None,
    by: str | None = None,
) -> Opened:
    """Open the round of a checked file under the workspace's by-laws (its body must be
    one of theirs), or load a changed text of it while applications are still open."""
    from comunidad_cli.services.bylaws import in_workspace, load_valid
    from comunidad_cli.services.funds.round_files import check_file
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds import admissibility as stored
    from comunidad_cli.storage.funds import rounds
    from comunidad_cli.storage.grants import grant as grant_by_key

    checked = check_file(path)
    if checked.round is None or any(f.severity == "error" for f in checked.findings):
        raise _refused(N_('{path} has errors: run "comunidad fund check {path}"'), path=str(path))
    round_ = checked.round
    content = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    today = clock.today()
    if bylaws is not None and Path(bylaws).is_file():
        loaded = load_valid(Path(bylaws), today)
    else:
        loaded = in_workspace(bylaws_folder, bylaws, today)
    model = loaded.model
    assert model is not None
    if round_.body not in model.bodies:
        raise _refused(
            N_('no body "{body}" in the by-laws "{bylaws}": the bodies are {known}'),
            body=round_.body,
            bylaws=model.id,
            known=", ".join(model.bodies),
        )
    now = clock.now()
    actor = _by(by)
    with writing_db(url) as db:
        grant_row = None
        if grant is not None:
            grant_row = grant_by_key(db, grant.strip())
            if grant_row is None:
                from comunidad_cli.services.suggest import no_such

                fallback = Msg.of(
                    N_('no grant with id "{key}": see "comunidad grant list"'), key=grant
                )
                raise Refused([no_such(db, "grant", grant, fallback)])
            if grant_row["currency"] != round_.currency:
                raise _refused(
                    N_(
                        "the grant {grant} is in {grant_currency} and the round in {round_currency}:"
                        " its awards must be paid in the round's currency"
                    ),
                    grant=grant_row["key"],
                    grant_currency=grant_row["currency"],
                    round_currency=round_.currency,
                )
        plan = _plan_served(db, round_, model.id)
        existing = rounds.round_by_key(db, round_.id)
        detail: dict[str, Any] = {"file": str(path), "sha256": checked.sha256, "by": actor}
        if existing is None:
            rid = rounds.add_round(
                db,
                key=round_.id,
                bylaws_id=model.id,
                body=round_.body,
                grant_id=None if grant_row is None else grant_row["id"],
                opened_at=now,
            )
            rounds.add_text(db, round_id=rid, sha256=checked.sha256, content=content, loaded_at=now)
            audit.record(
                db,
                command="fund open",
                action="create",
                entity=ROUND_ENTITY,
                entity_id=round_.id,
                detail={**detail, "body": round_.body, "bylaws": model.id, "grant": grant},
                at=now,
                actor=by,
            )
            return Opened(round_.id, "opened", grant, plan)
        latest = rounds.latest_text(db, existing.id)
        assert latest is not None
        changes: dict[str, Any] = {}
        if grant_row is not None and existing.grant_id != grant_row["id"]:
            if existing.grant_id is not None:
                raise _refused(
                    N_("the round {round} is tied to the grant {grant} already"),
                    round=existing.key,
                    grant=existing.grant,
                )
            stored.set_round_grant(db, existing.id, grant_row["id"])
            changes["grant"] = grant_row["key"]
        outcome = "unchanged"
        if latest.sha256 != checked.sha256:
            in_force = round_of_text(latest.content, existing.key)
            close = in_force.dates.applications_close
            if today > close:
                raise _refused(
                    N_(
                        "applications to {round} closed on {close}: its rules can no longer"
                        " change under the applicants"
                    ),
                    round=existing.key,
                    close=close,
                )
            if round_.body != existing.body:
                raise _refused(
                    N_('the round {round} belongs to the body "{body}": its body cannot change'),
                    round=existing.key,
                    body=existing.body,
                )
            rounds.add_text(
                db, round_id=existing.id, sha256=checked.sha256, content=content, loaded_at=now
            )
            changes["sha256"] = [latest.sha256, checked.sha256]
            outcome = "updated"
        if changes:
            audit.record(
                db,
                command="fund open",
                action="update",
                entity=ROUND_ENTITY,
                entity_id=existing.key,
                detail={**detail, "changed": changes},
                at=now,
                actor=by,
            )
            if outcome == "unchanged":
                outcome = "updated"
        return Opened(existing.key, outcome, existing.grant or (grant_row or {}).get("key"), plan)


def _plan_served(db: Any, round_: Round, bylaws_id: str) -> str | None:
    """The improvement plan of the round's body in force on the call's day, after checking
    that every priority the round serves is one of its needs; None when none was in force."""
    from comunidad_cli.services.plans.versions import needs_in_force_db

    needs = needs_in_force_db(db, round_.body, round_.dates.call, bylaws_id=bylaws_id)
    if not needs:
        return None
    known = [n.id for n in needs]
    unknown = [s for s in round_.serves if s not in known]
    if unknown:
        raise _refused(
            N_(
                "the round serves {unknown}, which the plan {plan} in force on {day} does not"
                " name: its needs are {needs}"
            ),
            unknown=", ".join(unknown),
            plan=needs[0].plan,
            day=round_.dates.call,
            needs=", ".join(known),
        )
    return needs[0].plan


# --- legal personality -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegalView:
    organisation: str
    number: str | None
    valid_from: date | None
    valid_until: date | None
    recorded_at: datetime
    by: str

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "valid_from": None if self.valid_from is None else self.valid_from.isoformat(),
            "valid_until": None if self.valid_until is None else self.valid_until.isoformat(),
            "recorded_at": self.recorded_at.astimezone(clock.zone()).isoformat(),
            "by": self.by,
        }


def record_legal(
    url: str,
    org: str,
    *,
    number: str,
    valid_until: date,
    valid_from: date | None = None,
    by: str | None = None,
) -> LegalView:
    """Record an organisation's legal personality: a new record beside the earlier ones."""
    from comunidad_cli.services.directory import _org_row
    from comunidad_cli.services.errors import typed_text
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds.applications import add_legal_personality

    number = typed_text(number.strip(), "--number")
    if not number:
        raise _refused(N_("--number: this cannot be empty"))
    if valid_from is not None and valid_from > valid_until:
        raise _refused(
            N_("--valid-from ({start}) is after --valid-until ({until})"),
            start=valid_from,
            until=valid_until,
        )
    actor = _by(by)
    now = clock.now()
    with writing_db(url) as db:
        row = _org_row(db, org.strip())
        add_legal_personality(
            db,
            organisation_id=row["id"],
            number=number,
            valid_from=valid_from,
            valid_until=valid_until,
            recorded_at=now,
            by=actor,
        )
        audit.record(
            db,
            command="org legal",
            action="create",
            entity=LEGAL_ENTITY,
            entity_id=row["key"],
            detail={"number": number, "valid_from": valid_from, "valid_until": valid_until},
            at=now,
            actor=by,
        )
    return LegalView(row["key"], number, valid_from, valid_until, now, actor)


def legal_of(db: Db, organisation_id: int, key: str) -> tuple[LegalView, ...]:
    """Every record of an organisation's legal personality, oldest first (for `org show`)."""
    from comunidad_cli.storage.funds.admissibility import legal_records

    return tuple(
        LegalView(key, r.number, r.valid_from, r.valid_until, r.recorded_at, r.by)
        for r in legal_records(db, [organisation_id]).get(organisation_id, [])
    )


# --- applying --------------------------------------------------------------------------------


def line_problems(lines: Sequence[tuple[str, Decimal]]) -> list[Msg]:
    """Budget lines: each category once, each amount above zero."""
    from comunidad_cli.core.grants.values import repeated_problem

    seen: set[str] = set()
    found: list[Msg] = []
    for category, amount in lines:
        repeated = repeated_problem(category, seen)
        if repeated is not None:
            found.append(repeated)
        if amount <= 0:
            found.append(
                Msg.of(
                    N_("the line {category} must be more than zero, not {amount}"),
                    category=category,
                    amount=amount,
                )
            )
    return found


def amount_problems(
    amount: Decimal,
    own: Decimal,
    lines: Sequence[tuple[str, Decimal]],
    currency: str,
    decimal_mark: str | None,
    labels: tuple[str, str, str] = ("--amount", "--own", "--line"),
) -> list[Msg]:
    """Amounts typed with more decimals than the currency's, an amount not above zero, a
    negative own contribution, bad lines: each labelled with its option or column."""
    from comunidad_cli.core.grants.values import precision_problem
    from comunidad_cli.services.grants.common import currency_digits

    digits = currency_digits(currency)
    found: list[Msg] = []

    def labelled(label: str, problem: Msg | None) -> None:
        if problem is not None:
            found.append(Msg.of(N_("{option}: {problem}"), option=label, problem=problem))

    labelled(labels[0], precision_problem(amount, digits, currency, decimal_mark))
    labelled(labels[1], precision_problem(own, digits, currency, decimal_mark))
    for category, line in lines:
        labelled(f"{labels[2]} {category}", precision_problem(line, digits, currency, decimal_mark))
    if found:
        return found
    if amount <= 0:
        labelled(
            labels[0], Msg.of(N_("the amount must be more than zero, not {amount}"), amount=amount)
        )
    if own < 0:
        labelled(labels[1], Msg.of(N_("the own contribution cannot be negative ({own})"), own=own))
    for problem in line_problems(lines):
        labelled(labels[2], problem)
    return found


def entry_problems(
    round_: Round,
    amount: Decimal,
    priority: str | None,
    lines: Sequence[tuple[str, Decimal]],
    amounts_refused: bool,
    labels: tuple[str, str] = ("--priority", "--line"),
) -> list[Msg]:
    """What is refused as typed rather than left to admissibility: a priority the round
    does not serve (with a did-you-mean) and budget lines that do not add up to the amount
    asked (unless the amounts themselves were refused)."""
    from comunidad_cli.core.funds.admissibility import lines_problem, priority_problem

    found: list[Msg] = []
    problem = None if priority is None else priority_problem(round_, priority)
    if problem is not None:
        found.append(Msg.of(N_("{option}: {problem}"), option=labels[0], problem=problem))
    problem = None if amounts_refused else lines_problem(amount, dict(lines))
    if problem is not None:
        found.append(Msg.of(N_("{option}: {problem}"), option=labels[1], problem=problem))
    return found


def apply(
    url: str,
    round_key: str,
    *,
    org: str,
    project: str,
    amount: Decimal,
    own: Decimal = Decimal(0),
    priority: str | None = None,
    lines: Sequence[tuple[str, Decimal]] = (),
    at: datetime | None = None,
    key: str | None = None,
    decimal_mark: str | None = None,
) -> ApplicationView:
    """Record an organisation's application, submitted at `at` (default now), refused
    outside the round's window; admissibility judges it later."""
    from comunidad_cli.services.directory import _org_row
    from comunidad_cli.services.grants.common import _new_key, _text
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.funds.applications import add_application

    title = _text(project, "--project")
    now = clock.now()
    submitted = at if at is not None else now
    with writing_db(url) as db:
        loaded = load_round(db, round_key)
        currency = loaded.round.currency
        problems = amount_problems(amount, own, lines, currency, decimal_mark)
        problems += entry_problems(loaded.round, amount, priority, lines, bool(problems))
        window = window_problem(loaded.round, _local_day(submitted))
        if window is not None:
            problems.insert(0, window)
        if problems:
            raise Refused(problems, currency=currency)
        organisation = _org_row(db, org.strip())
        chosen = _new_key(db, "fund_application", key, (organisation["key"], title), "application")
        add_application(
            db,
            key=chosen,
            round_id=loaded.row.id,
            organisation_id=organisation["id"],
            project=title,
            amount=amount,
            own_contribution=own,
            priority=priority,
            submitted_at=submitted,
            lines=dict(lines),
        )
        audit.record(
            db,
            command="fund apply",
            action="create",
            entity=APPLICATION_ENTITY,
            entity_id=chosen,
            detail={
                "round": loaded.row.key,
                "org": organisation["key"],
                "project": title,
                "amount": amount,
                "own": own,
                "priority": priority,
                "lines": dict(lines),
                "submitted_at": submitted,
            },
            at=now,
        )
        return next(v for v in views_of(db, loaded) if v.key == chosen)
