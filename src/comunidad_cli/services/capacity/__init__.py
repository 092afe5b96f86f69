"""Capacity assessments: instruments from disk, assessments in the database, their scores.

Instruments are looked up by id in the workspace's `instruments/` folder (beside `bylaws/`)
first, then among the instruments shipped in the package (`comunidad_cli/instruments`): a
workspace file with the id of a shipped one replaces it. An instrument with errors cannot
be used (`comunidad capacity check FILE` shows them at `file:line:col`).

Each assessment stores the SHA-256 of the instrument text it was answered with; scores are
always computed with the instrument as it is now (items it no longer has are ignored).
An assessment must answer every item of the instrument: a score 1-4, or N/A where the
instrument allows it. The scoring rules are in `comunidad_cli.core.capacity`.

By room: `instruments` (files on disk, checked and looked up), `answers` (answers and rater
as typed, checked against the instrument), `assessments` (the database: record, load, score
per organisation and across the network; for the summary `weakest_domains(source,
limit=3)`). Reads go through the storage API (`storage.capacity`, no SQLAlchemy);
recording an assessment imports SQLAlchemy inside its function.
"""
