"""Capacity instruments and the scoring of capacity assessments: pure, no I/O.

An *instrument* is a TOML file (schema 1) listing domains of organisational capacity, each
with items a rater scores on a 1-4 scale, every text in Spanish, English and Catalan:

```toml
schema = 1
id = "capacidad-organizacional"
name = { es = "...", en = "...", ca = "..." }
na = true                       # N/A allowed on every item (default false)

[scale.1]                       # exactly the levels 1, 2, 3 and 4
label = { es = "Inicial", en = "Emerging", ca = "Inicial" }
description = { es = "...", en = "...", ca = "..." }
# [scale.2] ... [scale.4]

[domains.governance]            # domains, in the order they are shown
name = { es = "Gobernanza", en = "Governance", ca = "Governança" }
[domains.governance.items.board-roles]      # item ids are unique in the whole instrument
text = { es = "...", en = "...", ca = "..." }
na = false                      # this item must be scored (overrides the instrument's na)
```

`check_instrument` returns the model and every finding as data (codes CI1xx, located at
`file:line:col` by the service); the model is None when there is any error. A missing
translation is a warning (the text falls back to another language when shown).

Scoring rules (exact: `Fraction`s, rounded only when shown, by the edge, with `rounded`):

- **Domain score** of one assessment: the mean of the domain's answered items. N/A and
  unanswered items are not answers: they are left out of the mean, and the domain gets a
  score only when at least half of *all* its items are answered (2 of 4 scores, 1 of 4 does
  not; 3 of 5 scores, 2 of 5 does not). Otherwise the domain has no score (None).
- **Rounds**: an organisation's assessments with one instrument, sorted by date, fall into
  rounds: a round starts with the earliest assessment not yet in a round and takes every
  assessment dated within `ROUND_DAYS` (30) days after it. Raters of one round assess
  within a month of each other; the next assessment after that opens the next round.
- **Several raters**: within a round, each rater's latest assessment counts (raters are
  told apart ignoring case and repeated spaces). A domain's round score is the mean of the
  raters' domain scores (raters without a score for it left out, each rater weighing the
  same); the *spread* is the highest minus the lowest rater score, when at least two raters
  scored it (None otherwise).
- **Latest** (`capacity show`): the latest round. **Compare**: the latest round against
  the round before it, domain by domain (change = latest - previous; None when either has
  no score).
- **Weakest domains**: the lowest scores first, ties broken by the instrument's domain
  order; domains without a score are left out.
- **Network**: each organisation's latest round; a domain's network score is the mean of
  the organisations' scores for it (organisations without one left out, each weighing the
  same), with the spread between organisations; weakest domains across the network by it.
"""
