"""The `recusals` and `votes` import kinds: what hangs on a motion, judged as `motion recuse`
and `motion vote` judge it, with the same messages.

Natural key (motion, person). A vote or a recusal with other values than the stored one is
refused, as `motion vote` refuses a second vote. Votes take the import engine's fast lane:
a motion's run of votes taken at one time is judged with set operations; both lanes share
the judging code (`_VoteBook`) and tests compare what they write. The audit log gets one row
per recusal, and one per motion listing the votes recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import compress, groupby, repeat
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.governance import model as core
from comunidad_cli.core.governance.bulk import VoteJudge
from comunidad_cli.core.governance.frozen import closed_refusal
from comunidad_cli.core.governance.recusal import check_recusal
from comunidad_cli.core.importing.columnar import Irregular
from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.text import parse_text
from comunidad_cli.core.importing.values import choice
from comunidad_cli.core.messages import Msg
from comunidad_cli.services.imports.kinds import (
    AuditEntry,
    ImportContext,
    ImportKind,
    Plan,
    write_audit,
    write_rows,
)
from comunidad_cli.services.imports.meeting_store import (
    Meetings,
    StoredMotion,
    Writer,
    _aware,
    _outside,
    _zone,
    instant,
    load_motions,
    memo,
    parse_reference,
    people_ids,
    select_in,
)
from comunidad_cli.services.suggest import no_motion, no_person

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db

# --- recusals and votes: what hangs on a motion -----------------------------------------------


@dataclass(slots=True)
class MotionFacts:
    """The motions a file names, their meetings, and who recused from and voted on them."""

    meetings: Meetings
    motions: dict[str, StoredMotion]
    recusals: dict[int, dict[str, tuple[str, datetime]]] = field(default_factory=dict)
    votes: dict[int, dict[str, tuple[str, datetime, str | None]]] = field(default_factory=dict)


def motion_facts(conn: Db, keys: Iterable[str], zone: tzinfo) -> MotionFacts:
    meetings = Meetings(conn, zone)
    motions = load_motions(conn, keys, zone)
    meetings.load_ids(m.meeting_id for m in motions.values())
    ids = [m.id for m in motions.values()]
    recusals: dict[int, dict[str, tuple[str, datetime]]] = defaultdict(dict)
    for mid, person, reason, at in select_in(
        conn,
        "SELECT r.motion_id, p.key, r.reason, r.at FROM recusal r"
        " JOIN person p ON p.id = r.person_id WHERE r.motion_id IN :values",
        ids,
    ):
        recusals[mid][person] = (reason, _aware(at, zone))
    votes: dict[int, dict[str, tuple[str, datetime, str | None]]] = defaultdict(dict)
    times: dict[Any, datetime] = {}
    for mid, person, chosen, at, by in select_in(
        conn,
        "SELECT v.motion_id, p.key, v.choice, v.at, b.key FROM vote v"
        " JOIN person p ON p.id = v.person_id LEFT JOIN person b ON b.id = v.cast_by_id"
        " WHERE v.motion_id IN :values",
        ids,
    ):
        when = times.get(at)
        if when is None:
            when = times[at] = _aware(at, zone)
        votes[mid][person] = (chosen, when, by)
    return MotionFacts(meetings, motions, recusals, votes)


def _recusal_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("motion", memo(parse_reference), required=True),
        Column("person", memo(parse_key), required=True),
        Column("reason", parse_text, required=True),
        Column("at", instant(_zone()), required=True),
    )


def _motion_person_key(row: Row) -> Hashable:
    values = row.values
    return (values["motion"], values["person"])


def _plan_recusals(conn: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    plan = Plan()
    loaded = motion_facts(conn, (r["motion"] for r in rows), _zone())
    people = people_ids(conn)
    inserts: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    for row in rows:
        motion = loaded.motions.get(row["motion"])
        person: str = row["person"]
        if motion is None:
            plan.problems.append(Problem(row.number, "motion", no_motion(conn, row["motion"])))
            continue
        if person not in people:
            plan.problems.append(Problem(row.number, "person", no_person(conn, person)))
            continue
        reason: str = row["reason"]
        at: datetime = row["at"]
        recused = loaded.recusals.get(motion.id, {})
        if recused.get(person) == (reason, at):
            plan.unchanged += 1
            continue
        meeting = loaded.meetings.by_id[motion.meeting_id]
        column: str | None = None
        refusal = check_recusal(
            meeting.core,
            motion.core,
            person,
            seats=loaded.meetings.seats(meeting),
            recused=recused,
            voted=loaded.votes.get(motion.id, {}),
        )
        if refusal is None:
            refusal, column = _outside(meeting.core, at), "at"
        if refusal is not None:
            plan.problems.append(Problem(row.number, column, refusal))
            continue
        recused[person] = (reason, at)
        loaded.recusals[motion.id] = recused
        inserts.append(
            {"motion_id": motion.id, "person_id": people[person], "reason": reason, "at": at}
        )
        audit.append(
            AuditEntry(
                "create",
                motion.key,
                {"file": ctx.file, "row": row.number, "person": person, "reason": reason, "at": at},
            )
        )
    plan.created = len(inserts)
    plan.write = write_rows("recusal", "recusal", ctx, inserts, [], audit)
    return plan


RECUSALS_IMPORT = ImportKind(
    name="recusals",
    entity="recusal",
    columns=_recusal_columns,
    natural_key=_motion_person_key,
    key_columns="motion, person",
    plan=_plan_recusals,
    amounts=False,
)


# --- votes ----------------------------------------------------------------------------------

CHOICES = tuple(c.value for c in core.Choice)


def _vote_columns(ctx: ImportContext) -> tuple[Column, ...]:
    return (
        Column("motion", memo(parse_reference), required=True),
        Column("person", memo(parse_key), required=True),
        Column("choice", memo(choice(*CHOICES)), required=True),
        Column("at", instant(_zone()), required=True),
        Column("by", memo(parse_key)),
    )


@dataclass(slots=True)
class _Ballot:
    """What judging one motion's votes needs, looked up once per motion, not per row."""

    motion: StoredMotion
    judge: VoteJudge
    recused: Collection[str]
    voted: set[str]
    stored: dict[str, tuple[str, datetime, str | None]]
    #: Open, and put at `opened`: `VoteJudge.windows` applies from then on.
    open: bool
    opened: datetime
    cast: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    proxies: dict[str, str] = field(default_factory=dict)
    #: Who this file repeats a stored vote of, unchanged (a second such row is a duplicate).
    same: set[str] = field(default_factory=set)
    #: Why no vote may be added: the meeting is closed (`facts.still_open`).
    frozen: Msg | None = None


def _ballot(loaded: MotionFacts, motion: StoredMotion) -> _Ballot:
    judge = loaded.meetings.judge(motion.meeting_id)
    stored = loaded.votes.get(motion.id, {})
    recused = frozenset(loaded.recusals.get(motion.id, ()))
    frozen = closed_refusal(loaded.meetings.by_id[motion.meeting_id].core)
    return _Ballot(
        motion,
        judge,
        recused,
        set(stored),
        stored,
        motion.core.closed_at is None and frozen is None,
        motion.core.opened_at,
        frozen=frozen,
    )


def _plan_votes(conn: Db, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
    book = _VoteBook(conn, {r.values["motion"] for r in rows}, ctx, careful=True)
    for row in rows:
        values = row.values
        ballot = book.ballot(values["motion"], row.number)
        if ballot is not None:
            book.one(
                ballot,
                values["person"],
                values["choice"],
                values["at"],
                values.get("by"),
                row.number,
            )
    return book.plan()


def _fast_votes(
    conn: Db,
    columns: list[list[Any]],
    rows: range | None,
    present: frozenset[str],
    ctx: ImportContext,
) -> Plan:
    """The votes of a clean file, a motion's run of rows at a time.

    A file lists a motion's votes together, often all taken at one time: such a run is
    judged with a few set operations (`_VoteBook.run`) and its rows made in C; any other
    run goes row by row.
    """
    motions, persons, choices, times, holders = columns
    book = _VoteBook(conn, set(motions), ctx, careful=False)
    one = book.one
    start = 0
    for motion_key, run in groupby(motions):
        end = start + len(list(run))
        ballot = book.ballot(motion_key, 0)
        assert ballot is not None  # not careful: a missing motion raised
        people, chosen, at = persons[start:end], choices[start:end], times[start:end]
        by = holders[start:end]
        if not (
            by.count(None) == len(by)
            and len(set(at)) == 1
            and book.run(ballot, people, chosen, at[0])
        ):
            for person, choice_, when, holder in zip(people, chosen, at, by, strict=True):
                one(ballot, person, choice_, when, holder, 0)
        start = end
    return book.plan()


class _VoteBook:
    """The votes of one import, judged as `motion vote` would judge them one after another.

    Careful: every problem is collected with its row. Otherwise (the fast lane, rows 0)
    the first problem, or a row repeated in the file, raises `Irregular` instead.
    """

    def __init__(
        self, conn: Db, motion_keys: set[str], ctx: ImportContext, *, careful: bool
    ) -> None:
        self.ctx = ctx
        self.careful = careful
        self.problems: list[Problem] = []
        self.loaded = motion_facts(conn, motion_keys, _zone())
        self.people = people_ids(conn)
        self.conn = conn
        self.writer = Writer(conn)
        self.inserts: list[tuple[Any, ...]] = []
        self.ballots: dict[str, _Ballot] = {}
        self.unchanged = 0
        #: Per meeting: member -> (lo, hi, person id), `VoteJudge.windows` with the ids.
        self._windows: dict[int, dict[str, tuple[datetime, datetime, int]]] = {}
        #: Per meeting: when every window is open (latest lo, earliest hi), and their ids.
        self._everyone: dict[int, tuple[datetime, datetime, dict[str, int]]] = {}
        #: Per meeting and time: who may vote in person then -> their person id.
        self._eligible: dict[tuple[int, datetime], dict[str, int]] = {}

    def refuse(self, row: int, column: str | None, msg: Msg) -> None:
        if not self.careful:
            raise Irregular
        self.problems.append(Problem(row, column, msg))

    def ballot(self, motion_key: str, row: int) -> _Ballot | None:
        """The motion's ballot (None, and the problem, for a motion that does not exist)."""
        found = self.ballots.get(motion_key)
        if found is None:
            motion = self.loaded.motions.get(motion_key)
            if motion is None:
                self.refuse(row, "motion", no_motion(self.conn, motion_key))
                return None
            found = self.ballots[motion_key] = _ballot(self.loaded, motion)
        return found

    def windows(self, ballot: _Ballot) -> dict[str, tuple[datetime, datetime, int]]:
        meeting_id = ballot.motion.meeting_id
        found = self._windows.get(meeting_id)
        if found is None:
            people = self.people
            found = self._windows[meeting_id] = {
                p: (lo, hi, people[p])
                for p, (lo, hi) in ballot.judge.windows().items()
                if p in people
            }
        return found

    def run(self, ballot: _Ballot, persons: list[str], choices: list[str], at: datetime) -> bool:
        """Record `persons`' votes (`choices`), all in person at `at`, if each is accepted at a
        glance (a window holds `at`, no repeats, none voted or recused): True; else False,
        nothing recorded, and the rows are to be judged one by one."""
        if not ballot.open or at < ballot.opened:
            return False
        meeting_id = ballot.motion.meeting_id
        everyone = self._everyone.get(meeting_id)
        if everyone is None:
            windows = self.windows(ballot)
            everyone = self._everyone[meeting_id] = (
                max((lo for lo, _, _ in windows.values()), default=ballot.opened),
                min((hi for _, hi, _ in windows.values()), default=ballot.opened),
                {p: pid for p, (_, _, pid) in windows.items()},
            )
        if everyone[0] <= at < everyone[1]:  # the usual case: everyone's window is open
            eligible = everyone[2]
        else:
            key = (meeting_id, at)
            found = self._eligible.get(key)
            if found is None:
                found = self._eligible[key] = {
                    p: pid for p, (lo, hi, pid) in self.windows(ballot).items() if lo <= at < hi
                }
            eligible = found
        unique = set(persons)
        if (
            len(unique) != len(persons)
            or not unique <= eligible.keys()
            or not unique.isdisjoint(ballot.voted)
            or not unique.isdisjoint(ballot.recused)
        ):
            return False
        ballot.voted |= unique
        self.inserts.extend(
            zip(
                repeat(ballot.motion.id),
                map(eligible.__getitem__, persons),
                choices,
                repeat(self.writer.time(at)),
                repeat(None),
            )
        )
        for chosen in dict.fromkeys(choices):  # in the order of their first vote, as `one`
            ballot.cast[chosen].extend(compress(persons, map(chosen.__eq__, choices)))
        return True

    def one(
        self,
        ballot: _Ballot,
        person: str,
        chosen: str,
        at: datetime,
        given_by: str | None,
        row: int,
    ) -> None:
        """Judge and record one vote."""
        voted = ballot.voted
        if given_by is None and ballot.open and ballot.opened <= at:
            # The common case, a member present voting in person in time: a few comparisons.
            window = self.windows(ballot).get(person)
            if (
                window is not None
                and window[0] <= at < window[1]
                and person not in voted
                and person not in ballot.recused
            ):
                voted.add(person)
                self.inserts.append(
                    (ballot.motion.id, window[2], chosen, self.writer.time(at), None)
                )
                ballot.cast[chosen].append(person)
                return
        people = self.people
        person_id = people.get(person)
        if person_id is None:
            self.refuse(row, "person", no_person(self.conn, person))
            return
        by, holder_id = given_by, None
        if by is not None:
            if by == person:
                by = None  # cast in person: stored without a holder
            else:
                holder_id = people.get(by)
                if holder_id is None:
                    self.refuse(row, "by", no_person(self.conn, by))
                    return
        if ballot.stored:
            old = ballot.stored.get(person)
            if old is not None and old == (chosen, at, by):
                if not self.careful:  # the careful path has had its duplicates removed already
                    if person in ballot.same:
                        raise Irregular  # the same row twice: the careful path says so
                    ballot.same.add(person)
                self.unchanged += 1
                return
        if ballot.frozen is not None:
            self.refuse(row, None, ballot.frozen)
            return
        # Anything else gets `check_vote`'s exact answer (which may still accept it).
        refusal = ballot.judge.check(
            ballot.motion.core, person, at, given_by, ballot.recused, voted
        )
        if refusal is not None:
            self.refuse(row, None, refusal)
            return
        if by is not None:
            ballot.proxies[person] = by
        voted.add(person)
        self.inserts.append((ballot.motion.id, person_id, chosen, self.writer.time(at), holder_id))
        ballot.cast[chosen].append(person)

    def plan(self) -> Plan:
        plan = Plan(self.problems, created=len(self.inserts), unchanged=self.unchanged)
        writer, inserts, ctx, ballots = self.writer, self.inserts, self.ctx, self.ballots

        def write(conn: Db) -> None:
            writer.insert(
                conn, "vote", ("motion_id", "person_id", "choice", "at", "cast_by_id"), inserts
            )
            write_audit(
                conn,
                ctx,
                "vote",
                [
                    AuditEntry(
                        "create",
                        ballot.motion.key,
                        {"file": ctx.file, **ballot.cast, "cast_by": ballot.proxies},
                    )
                    for ballot in ballots.values()
                    if ballot.cast
                ],
            )

        plan.write = write
        return plan


VOTES_IMPORT = ImportKind(
    name="votes",
    entity="vote",
    columns=_vote_columns,
    natural_key=_motion_person_key,
    key_columns="motion, person",
    plan=_plan_votes,
    fast=_fast_votes,
    amounts=False,
)
