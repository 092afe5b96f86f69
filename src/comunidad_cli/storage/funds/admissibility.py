"""Admissibility decisions and appeals of a round's applications, every record of an
organisation's legal personality, the subcontracts an organisation held, and the few writes
opening a round and changing an application need beside `rounds` and `applications`."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from comunidad_cli.storage.dbapi import Db, in_list, read_day, read_instant
from comunidad_cli.storage.funds.applications import LegalPersonalityRow
from comunidad_cli.storage.grants import _money


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A judgement of an application (the latest one per application stands)."""

    id: int
    application_id: int
    admissible: bool
    reasons: list[dict[str, Any]]
    appeal_id: int | None
    decided_at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class AppealRow:
    id: int
    application_id: int
    filed_on: date
    text: str
    recorded_at: datetime
    by: str


def decisions(db: Db, round_id: int) -> dict[int, DecisionRow]:
    """The standing decision of each judged application of a round (the latest by
    decided_at, then id), by application id."""
    found: dict[int, DecisionRow] = {}
    for i, aid, admissible, reasons, appeal, decided, by in db.rows(
        'SELECT d.id, d.application_id, d.admissible, d.reasons, d.appeal_id, d.decided_at, d."by"'
        " FROM fund_admissibility d JOIN fund_application a ON d.application_id = a.id"
        " WHERE a.round_id = :r ORDER BY d.decided_at, d.id",
        {"r": round_id},
    ):
        at = read_instant(decided)
        assert at is not None
        found[int(aid)] = DecisionRow(
            int(i),
            int(aid),
            bool(admissible),
            json.loads(reasons),
            None if appeal is None else int(appeal),
            at,
            by,
        )
    return found


def add_decisions(db: Db, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert decisions: dicts of application_id, admissible, reasons (JSON-ready list),
    appeal_id, decided_at, by."""
    db.execute_many(
        "INSERT INTO fund_admissibility (application_id, admissible, reasons, appeal_id,"
        ' decided_at, "by") VALUES (:a, :ok, :reasons, :appeal, :at, :by)',
        [
            {
                "a": r["application_id"],
                "ok": bool(r["admissible"]),
                "reasons": json.dumps(r["reasons"], ensure_ascii=False, sort_keys=True),
                "appeal": r["appeal_id"],
                "at": db.instant(r["decided_at"]),
                "by": r["by"],
            }
            for r in rows
        ],
    )


def appeals(db: Db, application_id: int) -> list[AppealRow]:
    """An application's appeals, the first filed first."""
    found: list[AppealRow] = []
    for i, aid, filed, text, recorded, by in db.rows(
        'SELECT id, application_id, filed_on, text, recorded_at, "by" FROM fund_appeal'
        " WHERE application_id = :a ORDER BY recorded_at, id",
        {"a": application_id},
    ):
        day, at = read_day(filed), read_instant(recorded)
        assert day is not None and at is not None
        found.append(AppealRow(int(i), int(aid), day, text, at, by))
    return found


def round_appeals(db: Db, round_id: int) -> dict[int, list[int]]:
    """The appeal ids of each application of a round that has any."""
    found: dict[int, list[int]] = {}
    for i, aid in db.rows(
        "SELECT p.id, p.application_id FROM fund_appeal p JOIN fund_application a"
        " ON p.application_id = a.id WHERE a.round_id = :r ORDER BY p.recorded_at, p.id",
        {"r": round_id},
    ):
        found.setdefault(int(aid), []).append(int(i))
    return found


def add_appeal(
    db: Db, *, application_id: int, filed_on: date, text: str, recorded_at: datetime, by: str
) -> int:
    return db.insert(
        "fund_appeal",
        {
            "application_id": application_id,
            "filed_on": db.day(filed_on),
            "text": text,
            "recorded_at": db.instant(recorded_at),
            "by": by,
        },
    )


def legal_records(
    db: Db, organisation_ids: Collection[int] | None = None
) -> dict[int, list[LegalPersonalityRow]]:
    """Every record of the organisations' legal personality, oldest recorded first."""
    where = ""
    params: dict[str, Any] = {}
    if organisation_ids is not None:
        if not organisation_ids:
            return {}
        marks, params = in_list("o", list(organisation_ids))
        where = f" WHERE organisation_id IN ({marks})"
    found: dict[int, list[LegalPersonalityRow]] = {}
    for oid, number, start, until, recorded, by in db.rows(
        'SELECT organisation_id, number, valid_from, valid_until, recorded_at, "by"'
        f" FROM legal_personality{where} ORDER BY recorded_at, id",
        params,
    ):
        at = read_instant(recorded)
        assert at is not None
        found.setdefault(int(oid), []).append(
            LegalPersonalityRow(int(oid), number, read_day(start), read_day(until), at, by)
        )
    return found


def partner_subcontracts(db: Db, organisation_ids: Collection[int]) -> dict[int, list[int]]:
    """The subcontracts each organisation holds (as partner), by organisation id."""
    if not organisation_ids:
        return {}
    marks, params = in_list("o", list(organisation_ids))
    found: dict[int, list[int]] = {}
    for sid, oid in db.rows(
        f"SELECT id, partner_id FROM subcontract WHERE partner_id IN ({marks}) ORDER BY id",
        params,
    ):
        found.setdefault(int(oid), []).append(int(sid))
    return found


def set_round_grant(db: Db, round_id: int, grant_id: int) -> None:
    """Tie a round opened without a grant to one."""
    db.update("fund_round", round_id, {"grant_id": grant_id})


def update_application(
    db: Db,
    application_id: int,
    *,
    values: Mapping[str, Any],
    lines: Mapping[str, Decimal] | None,
) -> None:
    """Change an application's values (money and instants converted here) and, when
    `lines` is given, replace its budget lines."""
    stored: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            stored[name] = _money(db, value)
        elif isinstance(value, datetime):
            stored[name] = db.instant(value)
        else:
            stored[name] = value
    if stored:
        db.update("fund_application", application_id, stored)
    if lines is not None:
        db.execute(
            "DELETE FROM fund_application_line WHERE application_id = :a", {"a": application_id}
        )
        db.execute_many(
            "INSERT INTO fund_application_line (application_id, category, amount)"
            " VALUES (:a, :c, :m)",
            [{"a": application_id, "c": c, "m": _money(db, m)} for c, m in lines.items()],
        )
