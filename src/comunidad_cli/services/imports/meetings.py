"""The import kinds of a meeting's record: meetings, attendance, motions, recusals, votes.

A meeting held on paper (or in another tool) is loaded in order — meetings, attendance,
motions, recusals, votes — and every row is judged by the rules the interactive commands
apply (`meeting new`, `meeting attend` / `leave`, `motion new`, `motion recuse`, `motion
vote`), with the same messages. Fast: each kind loads what it needs for all the meetings
of the file with a handful of queries, builds per meeting what the engine would recompute
for every row (`core.governance.bulk`: presence as sorted intervals, the seats entitled on
the meeting's date, proxies), judges each row in O(1) or one bisection with plain Python,
and writes with one executemany per table in the import's single transaction. Votes and
attendance also take the import engine's fast lane (clean files, whole columns): a motion's
run of votes taken at one time is judged with set operations; both lanes share the judging
code (`_VoteBook`, `_judge_attendance`) and tests compare what they write.

This module holds the `meetings` and `motions` kinds; `attendance` and `votes` (with
`recusals`) have their own modules, and what they share is in `meeting_store`.

Natural keys: a meeting's id; attendance (meeting, person, at, event); a motion's id;
recusals and votes (motion, person). A row identical to the stored one is unchanged. A
meeting or motion with other values is updated while nothing hangs on what changes; a vote
or a recusal with other values is refused, as `motion vote` refuses a second vote.

Audit: one row per meeting, motion or recusal; attendance and votes, which come by the
hundred thousand, get one audit row per meeting (attendance) or motion (votes) listing the
rows recorded, plus the import's summary row.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.bylaws.model import Bylaws, Decision
from comunidad_cli.core.governance.business import decision_refusal, early_refusal
from comunidad_cli.core.governance.frozen import notice_refusal
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.text import parse_text
from comunidad_cli.core.importing.values import choice, parse_date
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    Upserts,
    bylaws_problem,
    changed_columns,
    insert_dicts,
    update_dicts,
    write_audit,
)
from comunidad_cli.services.imports.meeting_store import (
    Meetings,
    StoredMeeting,
    _closed,
    _needs_workspace,
    _outside,
    _zone,
    instant,
    load_motions,
    memo,
    parse_reference,
    select_in,
)
from comunidad_cli.services.suggest import no_meeting

if TYPE_CHECKING:
    from comunidad_cli.services.bylaws import FileResult
    from comunidad_cli.storage.dbapi import Db

# --- meetings -------------------------------------------------------------------------------

MEETING_KINDS = ("regular", "special")


def _meeting_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key, required=True),
        Column("bylaws", parse_key),
        Column("body", parse_key, required=True),
        Column("at", instant(_zone()), required=True),
        Column("kind", choice(*MEETING_KINDS)),
        Column("notice_sent", parse_date),
        Column("title", parse_text),
    )


class _BylawsFiles:
    """The workspace's by-laws files by id (None: the only one), each checked once."""

    def __init__(self, ctx: ImportContext) -> None:
        assert ctx.bylaws_dir is not None
        self.folder: Path = ctx.bylaws_dir
        self.today = ctx.today
        self.found: dict[str | None, FileResult | Msg] = {}

    def get(self, bylaws_id: str | None) -> FileResult | Msg:
        if bylaws_id not in self.found:
            from comunidad_cli.services.bylaws import in_workspace

            try:
                self.found[bylaws_id] = in_workspace(self.folder, bylaws_id, self.today)
            except ServiceError as error:
                self.found[bylaws_id] = bylaws_problem(self.folder, bylaws_id, error.msg)
        return self.found[bylaws_id]


def _plan_meetings(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    from comunidad_cli.storage import governance

    plan = Plan()
    if ctx.bylaws_dir is None:
        return _needs_workspace(plan)
    zone = _zone()
    files = _BylawsFiles(ctx)
    stored = Meetings(db, zone).load_keys(r["id"] for r in rows)
    busy = {
        mid
        for (mid,) in select_in(
            db,
            "SELECT meeting_id FROM attendance WHERE meeting_id IN :values"
            " UNION SELECT meeting_id FROM motion WHERE meeting_id IN :values"
            " UNION SELECT meeting_id FROM proxy WHERE meeting_id IN :values",
            [m.id for m in stored.values()],
        )
    }
    with_motions = {
        mid
        for (mid,) in select_in(
            db,
            "SELECT DISTINCT meeting_id FROM motion WHERE meeting_id IN :values",
            [m.id for m in stored.values()],
        )
    }
    versions: dict[str, int] = {}  # sha256 -> stored version id
    new_versions: dict[str, FileResult] = {}
    optional = [c for c in ("kind", "notice_sent", "title") if c in present]
    creates: list[tuple[dict[str, Any], str]] = []  # values, by-laws sha256
    updates: list[tuple[dict[str, Any], str | None]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        loaded = files.get(row.get("bylaws"))
        if isinstance(loaded, Msg):
            plan.problems.append(Problem(row.number, "bylaws", loaded))
            continue
        bylaws = loaded.model
        assert bylaws is not None
        body: str = row["body"]
        if body not in bylaws.bodies:
            plan.problems.append(
                Problem(
                    row.number,
                    "body",
                    Msg.of(
                        N_('no body "{body}" in the by-laws "{bylaws}": the bodies are {known}'),
                        body=body,
                        bylaws=bylaws.id,
                        known=", ".join(bylaws.bodies),
                    ),
                )
            )
            continue
        at: datetime = row["at"]
        sent: date | None = row.get("notice_sent")
        if sent is not None and sent > at.date():
            plan.problems.append(
                Problem(
                    row.number,
                    "notice_sent",
                    Msg.of(N_("the notice date {sent} is after the meeting"), sent=sent),
                )
            )
            continue
        if loaded.sha256 not in versions and loaded.sha256 not in new_versions:
            found = governance.bylaws_version_id(db, loaded.sha256)
            if found is None:
                new_versions[loaded.sha256] = loaded
            else:
                versions[loaded.sha256] = found
        values: dict[str, Any] = {
            "bylaws_id": bylaws.id,
            "body": body,
            "scheduled_at": at,
            **{name: row.get(name) for name in optional},
        }
        if "kind" in values:
            values["kind"] = values["kind"] or "regular"
        key: str = row["id"]
        old = stored.get(key)
        if old is None:
            creates.append(
                (
                    {"key": key, "kind": "regular", "notice_sent": None, "title": None, **values},
                    loaded.sha256,
                )
            )
            audit.append(
                AuditEntry(
                    "create",
                    key,
                    {"file": ctx.file, "row": row.number, "bylaws": loaded.sha256, **values},
                )
            )
            continue
        before: dict[str, Any] = {
            "bylaws_id": old.bylaws_id,
            "body": old.body,
            "scheduled_at": old.core.opened_at,
            "kind": old.kind,
            "notice_sent": old.notice_sent,
            "title": old.title,
        }
        changed = changed_columns(before, values)
        if not changed:
            plan.unchanged += 1
            continue
        if old.core.ended_at is not None:  # a closed meeting is changed by a correction only
            plan.problems.append(Problem(row.number, None, _closed(old.core)))
            continue
        if "notice_sent" in changed and old.id in with_motions:
            plan.problems.append(
                Problem(
                    row.number,
                    "notice_sent",
                    Msg.of(
                        N_(
                            "meeting {meeting} already has motions, put under its notice:"
                            " its notice date can no longer change"
                        ),
                        meeting=key,
                    ),
                )
            )
            continue
        fixed = {"bylaws_id", "body", "scheduled_at"} & changed.keys()
        if fixed and (old.id in busy or old.core.ended_at is not None):
            plan.problems.append(
                Problem(
                    row.number,
                    None,
                    Msg.of(
                        N_(
                            "meeting {meeting} already has attendance, proxies or motions:"
                            " its by-laws, body and time can no longer change"
                        ),
                        meeting=key,
                    ),
                )
            )
            continue
        updates.append(
            (
                {"_id": old.id, **{f: values[f] for f in changed}},
                loaded.sha256 if "bylaws_id" in changed else None,
            )
        )
        audit.append(
            AuditEntry("update", key, {"file": ctx.file, "row": row.number, "changed": changed})
        )
    plan.created, plan.updated = len(creates), len(updates)

    def write(db: Db) -> None:
        for sha, result in new_versions.items():
            content = Path(result.path).read_text(encoding="utf-8-sig")
            assert result.model is not None
            versions[sha] = governance.add_bylaws_version(
                db, bylaws_id=result.model.id, sha256=sha, content=content, at=ctx.at
            )
        insert_dicts(
            db,
            "meeting",
            [{**made, "bylaws_version_id": versions[sha]} for made, sha in creates],
        )
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for changes, new_sha in updates:
            if new_sha is not None:
                changes = {**changes, "bylaws_version_id": versions[new_sha]}
            by_columns[tuple(sorted(changes))].append(changes)
        for group in by_columns.values():
            update_dicts(db, "meeting", group)
        write_audit(db, ctx, "meeting", audit)

    plan.write = write
    return plan


MEETINGS_IMPORT = ImportKind(
    name="meetings",
    entity="meeting",
    columns=_meeting_columns,
    natural_key=lambda row: row["id"],
    key_columns="id",
    plan=_plan_meetings,
    amounts=False,
)


# --- motions --------------------------------------------------------------------------------


def _motion_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("id", parse_key, required=True),
        Column("meeting", memo(parse_reference), required=True),
        Column("decision", memo(parse_key), required=True),
        Column("title", parse_text, required=True),
        Column("at", instant(_zone()), required=True),
    )


def _closed_or_late(
    meeting: StoredMeeting, bylaws: Bylaws, decision: Decision
) -> tuple[str, Msg] | None:
    """`motion new`'s refusals of a motion put to a closed meeting or on too short notice,
    with the column to blame."""
    if meeting.core.ended_at is not None:
        return "meeting", _closed(meeting.core)
    late = notice_refusal(bylaws, decision, meeting.core, meeting.notice_sent)
    return ("decision", late) if late is not None else None


def _plan_motions(db: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    upserts = Upserts(ctx)
    plan = upserts.plan
    zone = _zone()
    meetings = Meetings(db, zone)
    by_key = meetings.load_keys(r["meeting"] for r in rows)
    stored = load_motions(db, (r["id"] for r in rows), zone)
    meetings.load_ids(m.meeting_id for m in stored.values())
    busy = {
        mid
        for (mid,) in select_in(
            db,
            "SELECT motion_id FROM vote WHERE motion_id IN :values"
            " UNION SELECT motion_id FROM recusal WHERE motion_id IN :values",
            [m.id for m in stored.values()],
        )
    }
    for row in rows:
        meeting = by_key.get(row["meeting"])
        if meeting is None:
            plan.problems.append(Problem(row.number, "meeting", no_meeting(db, row["meeting"])))
            continue
        bylaws = meetings.bylaws(meeting)
        decision_id: str = row["decision"]
        decision = bylaws.decisions.get(decision_id)
        problems: list[Problem] = []
        wrong = decision_refusal(bylaws, decision_id, meeting.body)
        if wrong is not None:
            problems.append(Problem(row.number, "decision", wrong))
        at: datetime = row["at"]
        outside = _outside(meeting.core, at)
        if outside is None:
            outside = early_refusal(meeting.core, at)
        if outside is not None:
            problems.append(Problem(row.number, "at", outside))
        if problems:
            plan.problems.extend(problems)
            continue
        key: str = row["id"]
        values = {
            "meeting_id": meeting.id,
            "decision": decision_id,
            "title": row["title"],
            "opened_at": at,
        }
        shown = {"meeting": meeting.key, "decision": decision_id, "title": row["title"], "at": at}
        old = stored.get(key)
        if old is None:
            assert decision is not None
            late = _closed_or_late(meeting, bylaws, decision)
            if late is not None:
                plan.problems.append(Problem(row.number, late[0], late[1]))
                continue
            upserts.create(key, {"key": key, **values}, {**upserts.at(row.number), **shown})
            continue
        before = {
            "meeting": meetings.by_id[old.meeting_id].key,
            "decision": old.decision,
            "title": old.title,
            "at": old.core.opened_at,
        }
        changed = upserts.changed(before, shown)
        if not changed:
            continue
        refusal: Msg | None = None
        if old.core.closed:
            refusal = Msg.of(
                N_("motion {motion} is closed: its record can no longer change"), motion=key
            )
        elif old.id in busy and changed.keys() - {"title"}:
            refusal = Msg.of(
                N_(
                    "motion {motion} already has votes or recusals: its meeting, decision and"
                    " time can no longer change"
                ),
                motion=key,
            )
        column: str | None = None
        if refusal is None and (
            meeting.core.ended_at is not None or changed.keys() & {"meeting", "decision"}
        ):
            assert decision is not None
            late = _closed_or_late(meeting, bylaws, decision)
            if late is not None:
                column, refusal = late
        if refusal is not None:
            plan.problems.append(Problem(row.number, column, refusal))
            continue
        upserts.update(key, old.id, values, changed, upserts.at(row.number))
    return upserts.done("motion", "motion")


MOTIONS_IMPORT = ImportKind(
    name="motions",
    entity="motion",
    columns=_motion_columns,
    natural_key=lambda row: row["id"],
    key_columns="id",
    plan=_plan_motions,
    amounts=False,
)
