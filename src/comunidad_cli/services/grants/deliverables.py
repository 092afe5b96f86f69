"""Deliverables and reports: schedules, submissions, and the list with overdue flags.

Each writing function is one transaction (`writing_db`) with its audit rows; a refusal raises
`Refused` before anything is written. They read and write through `storage.grants` on a
plain DB-API connection: no SQLAlchemy.
"""

from __future__ import annotations

from datetime import date

from comunidad_cli import clock
from comunidad_cli.core.grants.deliverables import UNITS, schedule_problem
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.grants.common import (
    DELIVERABLE_ENTITY,
    SUBMISSION_ENTITY,
    Refused,
    _check,
    _choice,
    _new_key,
    _not_future,
    _reading,
    _refused,
    _subcontract_row,
    _text,
)
from comunidad_cli.services.grants.records import DeliverableView, _deliverables


def add_deliverable(
    url: str,
    *,
    subcontract: str,
    title: str,
    first_due: date,
    every: int | None = None,
    unit: str | None = None,
    until: date | None = None,
    holds_payments: bool = False,
    key: str | None = None,
    today: date | None = None,
    command: str = "deliverable add",
) -> DeliverableView:
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import grants as stored
    from comunidad_cli.storage.audit import record

    clean_title = _text(title, "--title")
    chosen_unit = _choice(unit, UNITS, "--unit") if unit is not None else None
    now = clock.now()
    with writing_db(url) as db:
        sub = _subcontract_row(db, subcontract)
        _check([schedule_problem(first_due, every, chosen_unit, until, sub["start"])])
        chosen = _new_key(db, "deliverable", key, (sub["key"], clean_title), "deliverable")
        if key is None:  # the same command run twice owes one report, not two
            from comunidad_cli.core.importing.text import same_name

            typed = same_name(clean_title)
            there = next(
                (
                    k
                    for k, t in stored.deliverables_due(db, sub["id"], first_due)
                    if same_name(t) == typed
                ),
                None,
            )
            if there is not None:
                raise _refused(
                    N_(
                        '{subcontract} already owes "{title}" first due on {due} ({key}): to add'
                        " another one, give it its own id with --id (for example {suggested})"
                    ),
                    subcontract=sub["key"],
                    title=clean_title,
                    due=first_due,
                    key=there,
                    suggested=chosen,
                )
        values = {
            "title": clean_title,
            "first_due": first_due,
            "every": every,
            "unit": chosen_unit,
            "until": until,
            "holds_payments": holds_payments,
        }
        stored.add_deliverable(
            db,
            key=chosen,
            subcontract_id=sub["id"],
            title=clean_title,
            first_due=first_due,
            every=every,
            unit=chosen_unit,
            until=until,
            holds_payments=holds_payments,
        )
        record(
            db,
            command=command,
            action="create",
            entity=DELIVERABLE_ENTITY,
            entity_id=chosen,
            detail={"subcontract": sub["key"], **values},
            at=now,
        )
        day = today if today is not None else clock.today()
        return next(d for d in _deliverables(db, [sub["id"]], day)[sub["id"]] if d.key == chosen)


def submit_deliverable(
    url: str,
    key: str,
    *,
    due: date,
    on: date,
    today: date,
    command: str = "deliverable submit",
) -> DeliverableView:
    """Record the occurrence due on `due` as submitted on `on`."""
    from comunidad_cli.services.session import writing_db
    from comunidad_cli.storage import grants as stored
    from comunidad_cli.storage.audit import record

    _not_future(on, today, "--on")
    now = clock.now()
    with writing_db(url) as db:
        row = stored.deliverable_ref(db, key.strip())
        if row is None:
            from comunidad_cli.services.suggest import no_such

            fallback = Msg.of(
                N_('no deliverable with id "{key}": see "comunidad deliverable list"'), key=key
            )
            raise Refused([no_such(db, "deliverable", key, fallback)])
        deliverable_id, sub_id = row
        view = next(d for d in _deliverables(db, [sub_id], today)[sub_id] if d.key == key.strip())
        found = next((o for o in view.occurrences if o.due == due), None)
        if found is None:
            upcoming = [o.due.isoformat() for o in view.occurrences[:6]]
            raise _refused(
                N_('"{title}" is not due on {due}; its due dates are {dues}'),
                title=view.title,
                due=due,
                dues=", ".join(upcoming) + (" ..." if len(view.occurrences) > 6 else ""),
            )
        if found.submitted_on is not None:
            raise _refused(
                N_('"{title}" due {due} was already submitted on {on}'),
                title=view.title,
                due=due,
                on=found.submitted_on,
            )
        stored.add_submission(db, deliverable_id=deliverable_id, due=due, submitted_on=on)
        record(
            db,
            command=command,
            action="create",
            entity=SUBMISSION_ENTITY,
            entity_id=key.strip(),
            detail={"due": due, "submitted_on": on},
            at=now,
        )
        return next(d for d in _deliverables(db, [sub_id], today)[sub_id] if d.key == key.strip())


def list_deliverables(
    url: str,
    subcontract: str | None = None,
    *,
    overdue_only: bool = False,
    today: date,
    as_of: bool = False,
) -> list[DeliverableView]:
    with _reading(url) as db:
        ids = [_subcontract_row(db, subcontract)["id"]] if subcontract is not None else None
        found = [d for views in _deliverables(db, ids, today, as_of).values() for d in views]
    if overdue_only:
        found = [d for d in found if d.overdue]
    return sorted(found, key=lambda d: (d.subcontract, d.first_due, d.key))
