"""Grant administration: grants, subcontracts, amendments, risk, payments, deliverables.

One module per domain: `grants` (grants, subcontracts, risk, status), `budget` (what is
obligated, amendments, revisions), `payments`, `deliverables`, `positions` (where each
subcontract and grant stands, for reports), over `records` (reading the record in a few
queries) and `common` (refusals, plain values, lookups). The rules themselves are in
`comunidad_cli.core.grants`.

Each writing function is one transaction (`writing_db`) with its audit rows; a refusal
raises `Refused` (a `ServiceError` carrying every problem found and the currency to show
amounts in) before anything is written. The data is reached through `storage.grants` over a
`storage.dbapi.Db` (`writing_db` / `reading_db`, or `as_db` on the Session of an import's
careful path): no command of these modules imports SQLAlchemy.
"""
