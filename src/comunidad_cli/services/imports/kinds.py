"""What an import kind is: its columns, its natural key, its plan against the database.

A kind's `plan` judges the file's clean rows against the database and the rows before them,
returning every problem as data (`core.importing.Problem`) in `Plan.problems`, never raising
for a bad row; the engine (`engine.run_import`) writes only when no row has any problem.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core.importing.columns import Column, Problem, Row
from comunidad_cli.core.messages import N_, Msg

if TYPE_CHECKING:
    from comunidad_cli.storage.dbapi import Db


@dataclass(frozen=True, slots=True)
class ImportContext:
    """What a kind needs to know about the file and the run, besides its rows."""

    file: str
    kind: str
    command: str
    at: datetime
    today: date
    decimal_mark: str | None
    bylaws_dir: Path | None
    #: The workspace currency's decimals (CLP 0), for the example a refused amount is given.
    money_digits: int | None = None
    #: The competitive fund's round the rows belong to (`--round`), for the funds' kinds.
    round: str | None = None


@dataclass(slots=True)
class Plan:
    """What importing the rows would do, and every problem the database side found.

    `write` performs it (bulk statements on the connection, audit rows included); it is only
    called when the whole file is free of problems and this is not a dry run. It is given
    the transaction its plan was made on: the storage API's `storage.dbapi.Db`, on either
    path (careful or fast).
    """

    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    write: Callable[[Db], None] | None = None


#: The fast lane's plan: on the storage API's connection (`Db`), never SQLAlchemy's.
FastPlan = Callable[["Db", list[list[Any]], range | None, frozenset[str], ImportContext], Plan]


@dataclass(frozen=True, slots=True)
class ImportKind:
    """One `comunidad import KIND`.

    `columns` gives the columns for a run (money columns follow `ctx.decimal_mark`);
    `natural_key` is what rows are matched on, within the file (duplicates) and in the
    database; `key_columns` names it in messages; `plan` checks the clean rows against
    the database (and each other) and says what would change.
    """

    name: str
    entity: str
    columns: Callable[[ImportContext], tuple[Column, ...]]
    natural_key: Callable[[Row], Hashable | None]
    key_columns: str
    plan: Callable[[Db, list[Row], frozenset[str], ImportContext], Plan]
    #: The fast lane (see the module's docstring): the plan for clean rows given as columns of
    #: values in `columns` order, with their row numbers (None: not consecutive, a kind that
    #: needs them raises), raising `Irregular` at anything else. None: no fast lane.
    fast: FastPlan | None = None
    #: Whether its columns read amounts (money follows `ctx.decimal_mark`). A kind that does
    #: not spares `comunidad import` loading the locale's number symbols from Babel (about
    #: 20 ms) to learn a decimal mark it never uses.
    amounts: bool = True


@dataclass(frozen=True, slots=True)
class AuditEntry:
    action: str
    entity_id: str
    detail: Mapping[str, Any]


def write_audit(db: Db, ctx: ImportContext, entity: str, entries: Sequence[AuditEntry]) -> None:
    """One audit row per created or updated row, in one executemany on the caller's
    transaction."""
    if not entries:
        return
    from comunidad_cli.storage.audit import actor_of, encode_detail

    actor = actor_of(db)
    at = db.instant(ctx.at)
    db.insert_rows(
        "audit_event",
        ("at", "command", "action", "entity", "entity_id", "detail", "actor"),
        [
            (at, ctx.command, e.action, entity, e.entity_id, encode_detail(e.detail), actor)
            for e in entries
        ],
    )


def changed_columns(old: Any, new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The columns of `new` whose value differs from the stored row `old`, as [old, new]:
    empty for an unchanged row, else what an update writes and its audit row records."""
    return {f: [old[f], v] for f, v in new.items() if old[f] != v}


def stored(db: Db, value: Any) -> Any:
    """A plan's value as the schema stores it on `db`: an aware time through `db.instant`, a
    date through `db.day`, money a float on SQLite (as SQLAlchemy bound it); else as is."""
    if isinstance(value, datetime):
        return db.instant(value)
    if isinstance(value, date):
        return db.day(value)
    if isinstance(value, Decimal) and db.dialect == "sqlite":
        return float(value)
    return value


def insert_dicts(db: Db, table: str, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (dicts sharing their keys, values as the plan holds them: `stored`
    converts) in one `Db.insert_rows`."""
    if not rows:
        return
    columns = tuple(rows[0])
    db.insert_rows(table, columns, [tuple(stored(db, r[c]) for c in columns) for r in rows])


def update_dicts(db: Db, table: str, rows: list[dict[str, Any]]) -> None:
    """UPDATE table SET ... WHERE id = :_id, one executemany (the rows share their keys;
    values converted by `stored`)."""
    if not rows:
        return
    sets = ", ".join(f'"{name}" = :{name}' for name in rows[0] if name != "_id")
    db.execute_many(
        f"UPDATE {table} SET {sets} WHERE id = :_id",
        [{k: stored(db, v) for k, v in r.items()} for r in rows],
    )


def write_rows(
    table: str,
    entity: str,
    ctx: ImportContext,
    creates: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    audit: Sequence[AuditEntry],
    after: Callable[[Db], None] | None = None,
) -> Callable[[Db], None]:
    """A plan's `write` for a kind that creates and updates rows of one table: one
    executemany each (values converted as `stored` says), then `after` (rows of other
    tables), then the audit rows."""

    def write(db: Db) -> None:
        insert_dicts(db, table, creates)
        update_dicts(db, table, updates)
        if after is not None:
            after(db)
        write_audit(db, ctx, entity, audit)

    return write


@dataclass(slots=True)
class Upserts:
    """What a plan creates and updates in one table, and the audit entries that say so: the
    bookkeeping every kind that matches rows on a natural key shares, written once.

    A row found in the file and not in the database is `create`d; one found in both is
    compared (`changed`: an unchanged row is counted as such) and, when it differs,
    `update`d; `done` sets the plan's counts and its `write` (`write_rows`)."""

    ctx: ImportContext
    plan: Plan = field(default_factory=Plan)
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)

    def at(self, number: int) -> dict[str, Any]:
        """Where an audit entry's row stands: the file and the row's number."""
        return {"file": self.ctx.file, "row": number}

    def create(self, key: str, row: dict[str, Any], detail: Mapping[str, Any]) -> None:
        """A new row, its audit entry saying `detail`."""
        self.creates.append(row)
        self.audit.append(AuditEntry("create", key, detail))

    def changed(self, before: Any, values: Mapping[str, Any]) -> dict[str, list[Any]]:
        """What `values` change in the stored row `before` (`changed_columns`); nothing
        for an unchanged row, which is counted as unchanged."""
        changed = changed_columns(before, values)
        if not changed:
            self.plan.unchanged += 1
        return changed

    def update(
        self,
        key: str,
        row_id: int,
        values: Mapping[str, Any],
        changed: Mapping[str, list[Any]],
        detail: Mapping[str, Any],
    ) -> None:
        """`values` written over the row `row_id`, its audit entry saying `detail` and what
        `changed`."""
        self.updates.append({"_id": row_id, **values})
        self.audit.append(AuditEntry("update", key, {**detail, "changed": changed}))

    def done(self, table: str, entity: str, after: Callable[[Db], None] | None = None) -> Plan:
        """The plan: its counts, and the `write` of `write_rows` (then `after`)."""
        self.plan.created, self.plan.updated = len(self.creates), len(self.updates)
        self.plan.write = write_rows(
            table, entity, self.ctx, self.creates, self.updates, self.audit, after
        )
        return self.plan


# --- checks the kinds share -------------------------------------------------------------------


def bylaws_problem(folder: Path, bylaws_id: str | None, refusal: Msg) -> Msg:
    """Why rows naming `bylaws_id` (None: the column left empty) cannot be checked: with
    several by-laws files and none named, ask for the column; otherwise the lookup's own
    refusal. A problem for the rows, as data: the kinds report it under each row."""
    files = len(list(folder.glob("*.toml")))
    if bylaws_id is None and files > 1:
        return Msg.of(
            N_(
                'the workspace has {count} by-laws files: fill in the "bylaws"'
                " column with the id of one"
            ),
            count=files,
        )
    return refusal


#: A row naming an organisation the directory does not have.
NO_ORG = N_(
    'no organisation with id "{key}": import the organisations first,'
    ' or add it with "comunidad org add"'
)


def no_org(db: Db, key: str) -> Msg:
    """Why a row naming the organisation `key` is refused when there is none: the one meant
    when one is close (`services/suggest.py`), else how to add it."""
    from comunidad_cli.services.suggest import no_such

    return no_such(db, "organisation", key, Msg.of(NO_ORG, key=key))
