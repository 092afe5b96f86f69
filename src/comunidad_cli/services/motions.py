"""Motions: put to a meeting, voted, recused from, closed with a snapshot that explains them.

At close the engine judges quorum at that instant and applies the rule exactly
(`services/motion_snapshot.py`: the tally and the snapshot kept on the motion, so the
outcome can be re-derived after seats change or the by-laws are amended).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core.governance import model as core
from comunidad_cli.core.governance.business import decision_refusal, early_refusal
from comunidad_cli.core.governance.frozen import notice_refusal, notice_unrecorded
from comunidad_cli.core.governance.quorum import voting_members
from comunidad_cli.core.governance.recusal import check_recusal
from comunidad_cli.core.governance.votes import check_vote
from comunidad_cli.core.importing.ids import make_id
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services import facts
from comunidad_cli.services.errors import ServiceError, typed_key, typed_text
from comunidad_cli.services.meetings import Created
from comunidad_cli.storage.dbapi import Db

COMMAND = "motion"


def new_motion(
    url: str,
    meeting_key: str,
    *,
    decision: str,
    title: str,
    at: datetime | str | None = None,
    key: str | None = None,
) -> Created:
    """Put a motion of decision kind `decision` (from the by-laws) to the meeting.

    Refused in a closed meeting, and when the by-laws want more notice for this business
    than the meeting's notice gave; warns when the meeting's notice was not recorded.
    """
    from comunidad_cli.services.session import writing_db

    typed_text(title, "--title")
    if key is not None:
        typed_key(key, "--id")
    now = clock.now()
    with writing_db(url) as db:
        chosen, _, warnings = open_motion(
            db, meeting_key, decision=decision, title=title, at=at, key=key, now=now
        )
    return Created(chosen, warnings)


def open_motion(
    db: Db,
    meeting_key: str,
    *,
    decision: str,
    title: str,
    at: datetime | str | None,
    key: str | None,
    now: datetime,
    command: str = f"{COMMAND} new",
) -> tuple[str, int, tuple[Msg, ...]]:
    """`new_motion` inside the caller's writing transaction (a fund's award proposal and
    `plan propose` open their motion in the same one as their own record): the same
    checks, the motion row and its audit row; the motion's key, row id and warnings."""
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.directory import Taken
    from comunidad_cli.storage.governance import add_motion

    meeting = facts.meeting_row(db, meeting_key)
    loaded = facts.meeting_facts(db, meeting)
    facts.still_open(loaded.meeting)
    when = facts.resolve_time(at, loaded.meeting, now)
    refusal = decision_refusal(loaded.bylaws, decision, meeting.body)
    if refusal is not None:
        raise ServiceError(refusal)
    found = loaded.bylaws.decisions[decision]
    late = notice_refusal(loaded.bylaws, found, loaded.meeting, meeting.notice_sent)
    if late is not None:
        raise ServiceError(late)
    unrecorded = notice_unrecorded(loaded.bylaws, found, loaded.meeting, meeting.notice_sent)
    facts.within_meeting(loaded.meeting, when)
    early = early_refusal(loaded.meeting, when)
    if early is not None:
        raise ServiceError(early)
    taken = Taken(db, "motion")
    if key is not None:
        chosen = key
        if chosen in taken:
            raise ServiceError.of(N_('a motion "{key}" exists already'), key=key)
    else:
        chosen = make_id(meeting.key, title, prefix="motion", taken=taken, whole=1)
    motion_id = add_motion(
        db, key=chosen, meeting_id=meeting.id, decision=decision, title=title, opened_at=when
    )
    audit.record(
        db,
        command=command,
        action="create",
        entity="motion",
        entity_id=chosen,
        detail={"meeting": meeting_key, "decision": decision, "title": title, "at": when},
        at=now,
    )
    return chosen, motion_id, (unrecorded,) if unrecorded is not None else ()


def cast_vote(
    url: str,
    motion_key: str,
    person_key: str,
    choice: str,
    *,
    at: datetime | str | None = None,
    by: str | None = None,
) -> core.Vote:
    """Record one vote, or refuse it with the engine's reason (nothing is written then);
    the vote recorded, for the command to say what it wrote."""
    from comunidad_cli.core.choices import parse as parse_word
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage.audit import record
    from comunidad_cli.storage.governance import record_vote

    found = parse_word(choice, (c.value for c in core.Choice))
    if isinstance(found, Msg):
        raise ServiceError.of(N_("a vote: {problem}"), exit_code=2, problem=found)
    chosen = core.Choice(found)
    now = clock.now()
    with writing_db(url) as db:
        motion = facts.motion_row(db, motion_key)
        meeting = facts.meeting_row_by_id(db, motion.meeting_id)
        loaded = facts.meeting_facts(db, meeting)
        facts.still_open(loaded.meeting)
        when = facts.resolve_time(at, loaded.meeting, now)
        core_motion, _, recusals, votes = facts.motion_facts(db, motion)
        pid = facts.person_id(db, person_key)
        holder_id = facts.person_id(db, by) if by is not None and by != person_key else None
        vote = core.Vote(person_key, chosen, when, by)
        refusal = check_vote(
            loaded.bylaws,
            meeting=loaded.meeting,
            motion=core_motion,
            vote=vote,
            seats=loaded.seats,
            attendance=loaded.attendance,
            recused=recusals,  # with each recusal's reason, said when a vote is refused
            votes_so_far=votes,
            proxies=loaded.proxies,
        )
        if refusal is not None:
            raise ServiceError(refusal)
        record_vote(
            db,
            motion_id=motion.id,
            person_id=pid,
            choice=chosen.value,
            at=when,
            cast_by_id=holder_id,
        )
        record(
            db,
            command=f"{COMMAND} vote",
            action="create",
            entity="vote",
            entity_id=motion_key,
            detail={"person": person_key, "choice": chosen.value, "at": when, "cast_by": by},
            at=now,
        )
    return vote


def recuse(
    url: str, motion_key: str, person_key: str, reason: str, at: datetime | str | None = None
) -> None:
    """A member steps aside from this motion for a declared conflict of interest."""
    from comunidad_cli.services.session import writing_db

    if not reason.strip():
        raise ServiceError.of(N_("say why the member recuses (--reason)"), exit_code=2)
    typed_text(reason, "--reason")
    now = clock.now()
    with writing_db(url) as db:
        recuse_in(db, motion_key, person_key, reason, at, now)


def recuse_in(
    db: Db,
    motion_key: str,
    person_key: str,
    reason: str,
    at: datetime | str | None,
    now: datetime,
    command: str = f"{COMMAND} recuse",
) -> None:
    """`recuse` inside the caller's transaction (a fund's award proposal recuses the
    people with a conflict on its motion in the same one)."""
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.governance import add_recusal

    motion = facts.motion_row(db, motion_key)
    meeting = facts.meeting_row_by_id(db, motion.meeting_id)
    loaded = facts.meeting_facts(db, meeting)
    when = facts.resolve_time(at, loaded.meeting, now)
    core_motion, recused, _, votes = facts.motion_facts(db, motion)
    pid = facts.person_id(db, person_key)
    refusal = check_recusal(
        loaded.meeting,
        core_motion,
        person_key,
        seats=loaded.seats,
        recused=recused,
        voted={v.person for v in votes},
    )
    if refusal is not None:
        raise ServiceError(refusal)
    add_recusal(db, motion_id=motion.id, person_id=pid, reason=reason.strip(), at=when)
    audit.record(
        db,
        command=command,
        action="create",
        entity="recusal",
        entity_id=motion_key,
        detail={"person": person_key, "reason": reason.strip(), "at": when},
        at=now,
    )


def close_motion(
    url: str, motion_key: str, *, at: datetime | str | None = None, chair_vote: str | None = None
) -> dict[str, Any]:
    """Judge the motion at `at` and freeze the outcome with its explanation."""
    from comunidad_cli.services.motion_snapshot import encoded, judge, tallied
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import audit
    from comunidad_cli.storage.governance import close_motions

    casting = None
    if chair_vote is not None:
        from comunidad_cli.core.choices import parse as parse_word

        found = parse_word(chair_vote, ("yes", "no"))
        if isinstance(found, Msg):
            raise ServiceError.of(N_("the chair's casting vote is yes or no"), exit_code=2)
        casting = core.Choice(found)
    now = clock.now()
    with writing_db(url) as db:
        motion = facts.motion_row(db, motion_key)
        meeting = facts.meeting_row_by_id(db, motion.meeting_id)
        loaded = facts.meeting_facts(db, meeting)
        when = facts.resolve_time(at, loaded.meeting, now)
        core_motion, _recused, recusals, votes = facts.motion_facts(db, motion)
        if core_motion.closed:
            raise ServiceError.of(N_("motion {motion} is already closed"), motion=motion_key)
        facts.within_meeting(loaded.meeting, when)
        if when < core_motion.opened_at:
            raise ServiceError.of(N_("{at} is before the motion was put"), at=when)
        present = core.present_at(loaded.attendance, when)
        result, snapshot = judge(loaded, motion, present, recusals, votes, when, casting)
        close_motions(db, [(motion.id, when, result.outcome.value, encoded(snapshot))])
        audit.record(
            db,
            command=f"{COMMAND} close",
            action="update",
            entity="motion",
            entity_id=motion_key,
            detail=tallied(result),
            at=now,
        )
    return snapshot


def list_motions(
    url: str, meeting_key: str | None = None, *, open_only: bool = False
) -> list[dict[str, Any]]:
    """Every motion (of one meeting; only the open ones), in the order they were put."""
    from comunidad_cli.services.session import reading_db
    from comunidad_cli.storage.governance import motion_list

    with reading_db(url) as db:
        meeting_id = None if meeting_key is None else facts.meeting_row(db, meeting_key).id
        rows = motion_list(db, meeting_id, open_only=open_only)
    zone = facts.local_zone()
    return [
        {
            "key": m.key,
            "meeting": meeting,
            "decision": m.decision,
            "title": m.title,
            "opened_at": m.opened_at.astimezone(zone).isoformat(),
            "closed_at": m.closed_at.astimezone(zone).isoformat() if m.closed_at else None,
            "outcome": m.outcome,
        }
        for m, meeting in rows
    ]


def show_motion(url: str, motion_key: str) -> dict[str, Any]:
    """A closed motion's frozen snapshot, or an open motion's provisional count now."""
    from comunidad_cli.services.motion_snapshot import judge
    from comunidad_cli.services.session import reading_db

    with reading_db(url) as db:
        motion = facts.motion_row(db, motion_key)
        if motion.snapshot is not None:
            snapshot: dict[str, Any] = json.loads(motion.snapshot)
            snapshot.update({"title": motion.title, "closed": True})
            return snapshot
        meeting = facts.meeting_row_by_id(db, motion.meeting_id)
        loaded = facts.meeting_facts(db, meeting)
        core_motion, _recused, recusals, votes = facts.motion_facts(db, motion)
        now = facts.on_clocks(clock.now())
        if now.date() == loaded.meeting.day:  # a live meeting: as things stand now
            when = min(now, loaded.meeting.ended_at or now)
        else:  # recorded afterwards: as things stood at the last vote
            when = max([core_motion.opened_at, *(v.at for v in votes)])
        present = core.present_at(loaded.attendance, when)
        result, snapshot = judge(loaded, motion, present, recusals, votes, when, None)
        snapshot.update(
            {
                "closed": False,
                "outcome": None,
                "provisional_outcome": result.outcome.value,
            }
        )
        return snapshot


#: The audit row's columns, in the order `close_all` gives them.
_AUDIT_COLUMNS = ("at", "command", "action", "entity", "entity_id", "detail", "actor")

#: Motions closed by `close_all` written at a time (each snapshot lists every member).
CLOSE_BATCH = 500


def close_all(
    url: str, meeting_key: str | None = None, at: datetime | str | None = None
) -> dict[str, Any]:
    """Close every open motion, of one meeting or of all, in one transaction.

    Each motion is judged as `close_motion` judges it, at `at` when given ("HH:MM" is on
    each meeting's day), else at the time of its last vote (its opening when it has none):
    a meeting recorded afterwards is decided as things stood when the vote was taken. Each
    meeting's facts are loaded once, and all the votes and recusals of its open motions
    with one query each. Returns the counts by outcome and, per motion, what was decided.
    """
    from dataclasses import replace

    from comunidad_cli.core.governance.bulk import Room
    from comunidad_cli.core.governance.quorum import active_seats
    from comunidad_cli.services.motion_snapshot import encoded, judge, tallied
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import governance as stored
    from comunidad_cli.storage.audit import actor_of, encode_detail

    now = clock.now()
    zone = facts.local_zone()
    counts = {outcome.value: 0 for outcome in core.Outcome}
    choices = {choice.value: choice for choice in core.Choice}
    decided: list[dict[str, Any]] = []
    updates: list[tuple[int, datetime, str, str]] = []
    audit_rows: list[tuple[Any, ...]] = []
    with writing_db(url) as db:
        stamp = db.instant(now)
        actor = actor_of(db)

        def flush() -> None:
            """Write the motions decided so far (snapshots are large: a batch at a time)."""
            if updates:
                stored.close_motions(db, updates)
                db.insert_rows("audit_event", _AUDIT_COLUMNS, audit_rows)
                updates.clear()
                audit_rows.clear()

        chosen_meeting = None
        if meeting_key is not None:
            chosen_meeting = facts.meeting_row(db, meeting_key).id
        by_meeting: dict[int, list[stored.MotionRow]] = {}
        for row in stored.open_motion_rows(db, chosen_meeting):
            by_meeting.setdefault(row.meeting_id, []).append(row)
        meeting_rows = {mid: facts.meeting_row_by_id(db, mid) for mid in by_meeting}
        for meeting_id in sorted(by_meeting, key=lambda m: (meeting_rows[m].scheduled_at, m)):
            meeting = meeting_rows[meeting_id]
            loaded = facts.meeting_facts(db, meeting)
            # The seats held on the meeting's day are all the rules look at: judging with
            # those alone gives the same answers, without filtering the history per motion.
            loaded = replace(
                loaded,
                seats=tuple(active_seats(loaded.seats, loaded.meeting.body, loaded.meeting.day)),
            )
            room = Room(loaded.attendance)
            members = voting_members(
                loaded.bylaws, loaded.meeting.body, loaded.seats, loaded.meeting.day
            )
            times: dict[datetime, datetime] = {}

            def local(value: datetime, times: dict[datetime, datetime] = times) -> datetime:
                found = times.get(value)
                if found is None:
                    found = times[value] = facts.on_clocks(value, zone)
                return found

            votes: dict[int, list[core.Vote]] = {}
            for motion_id, person, chosen, when, by in stored.open_votes(db, meeting_id):
                votes.setdefault(motion_id, []).append(
                    core.Vote(person, choices[chosen], local(when), by)
                )
            recusals: dict[int, dict[str, str]] = {}
            for motion_id, person, reason in stored.open_recusals(db, meeting_id):
                recusals.setdefault(motion_id, {})[person] = reason
            chosen_time = facts.resolve_time(at, loaded.meeting, now) if at is not None else None
            for motion in by_meeting[meeting_id]:
                opened = local(motion.opened_at)
                cast = tuple(votes.get(motion.id, ()))
                if chosen_time is None:
                    when = max([opened, *(v.at for v in cast)])
                else:
                    when = chosen_time
                    facts.within_meeting(loaded.meeting, when)
                    if when < opened:
                        raise ServiceError.of(
                            N_("{at} is before motion {motion} was put"),
                            at=when,
                            motion=motion.key,
                        )
                declared = recusals.get(motion.id, {})
                present = room.present_at(when)
                result, snapshot = judge(
                    loaded, motion, present, declared, cast, when, None, members
                )
                outcome = result.outcome.value
                counts[outcome] += 1
                updates.append((motion.id, when, outcome, encoded(snapshot)))
                counted = tallied(result)
                audit_rows.append(
                    (
                        stamp,
                        f"{COMMAND} close",
                        "update",
                        "motion",
                        motion.key,
                        encode_detail(counted),
                        actor,
                    )
                )
                decided.append(
                    {
                        "motion": motion.key,
                        "meeting": meeting.key,
                        "title": motion.title,
                        "at": when.isoformat(),
                        **counted,
                    }
                )
            if len(updates) >= CLOSE_BATCH:
                flush()
        flush()
    return {"closed": len(decided), **counts, "motions": decided}
