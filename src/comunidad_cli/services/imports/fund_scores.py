"""The `fund-scores` import kind: reviewers' points on a round's applications, one row per
(application, reviewer, criterion), `--round ROUND`.

Same engine and policy as every import (services/imports/engine.py): all or nothing, every
bad row listed with its number. Each row is judged as `fund score` judges one
(`core/funds/evaluation.py` `score_refusal`, on the row's `scored_on` day, else the
import's: a paper sheet scored inside the evaluation window may be typed in later; not in
the future), and none once an award is proposed for the round: an admissible
application of the round, a reviewer seated on the reviewers' body and not recused, a
criterion of the rubric, points on its scale. A row whose points are the ones standing is
unchanged (importing a file again writes nothing); other points are a new row, which
stands, the earlier kept as history.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import TYPE_CHECKING

from comunidad_cli.core.funds import evaluation as core
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.values import parse_date, parse_int
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
)

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

ENTITY = "fund_score"


def _columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("application", parse_key, required=True),
        Column("reviewer", parse_key, required=True, also=("rater",)),
        Column("criterion", parse_key, required=True),
        Column("points", parse_int, required=True, also=("score",)),
        Column("scored_on", parse_date),
    )


def _key(row: Row) -> Hashable | None:
    return (row["application"], row["reviewer"], row["criterion"])


def _plan(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.services.funds import evaluation as service
    from comunidad_cli.storage.funds.applications import applications
    from comunidad_cli.storage.funds.evaluation import add_scores, reviewers, scores

    if ctx.round is None:
        return Plan(
            [
                Problem(
                    None,
                    None,
                    Msg.of(N_("name the round the scores belong to: --round ROUND")),
                )
            ]
        )
    try:
        loaded = service.round_in_force(db, ctx.round)
    except ServiceError as refused:
        return Plan([Problem(None, None, refused.msg)])
    try:
        service.refuse_when_awarded(db, loaded)
    except ServiceError as refused:
        return Plan([Problem(None, None, refused.msg)])
    round_id = loaded.row.id
    found = {a.key: a for a in applications(db, round_id)}
    admissible = service.judged(db, round_id)
    body = service.reviewers_body(loaded, ctx.bylaws_dir, ctx.today)
    seats = service.body_seats(db, loaded.row.bylaws_id, body)
    people = reviewers(db, sorted({r["reviewer"] for r in rows}))
    recused = service.recusals_of(db, round_id, found.values(), people)
    standing = {(a, p, c): n for a, p, c, n in scores(db, round_id)}
    plan = Plan()
    new: list[tuple[int, int, str, int]] = []
    sheets: dict[tuple[str, str], dict[str, int]] = {}
    days: dict[tuple[str, str], set[date]] = {}
    for row in rows:
        app_key, reviewer, criterion, points = (
            row["application"],
            row["reviewer"],
            row["criterion"],
            row["points"],
        )
        application = found.get(app_key)
        if application is None:
            plan.problems.append(
                Problem(
                    row.number,
                    "application",
                    Msg.of(
                        N_('no application "{application}" in round {round}'),
                        application=app_key,
                        round=ctx.round,
                    ),
                )
            )
            continue
        day = row.get("scored_on") or ctx.today
        if day > ctx.today:
            plan.problems.append(
                Problem(
                    row.number,
                    "scored_on",
                    Msg.of(
                        N_("{option}: {day} is in the future (today is {today})"),
                        option="scored_on",
                        day=day,
                        today=ctx.today,
                    ),
                )
            )
            continue
        person = people.get(reviewer)
        if person is None:
            plan.problems.append(
                Problem(
                    row.number,
                    "reviewer",
                    Msg.of(
                        N_(
                            'no person "{key}": add them with "comunidad person add" or check'
                            ' "comunidad person list"'
                        ),
                        key=reviewer,
                    ),
                )
            )
            continue
        refusal = core.score_refusal(
            loaded.round,
            service.as_application(application, admissible),
            reviewer,
            criterion,
            points,
            body=body,
            seated=core.is_reviewer(seats, reviewer, body, day),
            recused=recused.get(app_key, {}).get(reviewer),
            day=day,
        )
        if refusal is not None:
            plan.problems.append(Problem(row.number, None, refusal))
            continue
        if standing.get((app_key, reviewer, criterion)) == points:
            plan.unchanged += 1
            continue
        plan.created += 1
        new.append((application.id, person[0], criterion, points))
        sheets.setdefault((app_key, reviewer), {})[criterion] = points
        days.setdefault((app_key, reviewer), set()).add(day)
    if plan.problems:
        return plan

    def write(db: Db) -> None:
        add_scores(db, [(a, p, c, n, ctx.at) for a, p, c, n in new])
        write_audit(
            db,
            ctx,
            ENTITY,
            [
                AuditEntry(
                    "create",
                    app,
                    {"reviewer": reviewer, "points": given, "on": _days(days[app, reviewer])},
                )
                for (app, reviewer), given in sheets.items()
            ],
        )

    plan.write = write
    return plan


def _days(found: set[date]) -> date | list[date]:
    """The day (or days) a reviewer's sheet was scored, as the audit row keeps it."""
    return next(iter(found)) if len(found) == 1 else sorted(found)


FUND_SCORES_IMPORT = ImportKind(
    name="fund-scores",
    entity=ENTITY,
    columns=_columns,
    natural_key=_key,
    key_columns="application, reviewer, criterion",
    plan=_plan,
)
