"""`comunidad import KIND FILE`: all or nothing, every bad row listed, safe to run again.

- `engine`: the runner (`run_import`), one transaction a file, and the fast lane;
- `readers`: CSV, JSON and NDJSON into numbered records;
- `kinds`: what a kind is (`ImportKind`, `Plan`, `ImportContext`) and checks kinds share;
- `registry`: the one table of kinds, which the command and its `--help` read;
- a module per domain defining its kinds: `directory` (orgs, people, members), `meetings`
  (meetings, motions), `attendance`, `votes` (recusals, votes), `capacity` (assessments),
  `resources`, `grants` (grants, subcontracts), `budget` (budget-lines), `payments`,
  `deliverables` (deliverables, submissions); `meeting_store` and `grant_store` hold what
  the kinds of a domain share.

Adding a kind: define its `ImportKind` in its domain's module, with a `plan` that returns
every problem as data (`Plan.problems`), and add one line to `registry.KINDS`.
"""
