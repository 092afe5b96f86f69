"""Grant administration, the pure part: budgets, amendments, payments, deliverables.

One module per domain: `values` (amounts, periods, categories), `budget`, `payments`,
`subcontracts` (status), `deliverables`, `spend` (time elapsed and the spending pace) and
`attention` (the flags).

No I/O, no database: services load rows, call these functions and persist. Money is
`Decimal` to the cent; amounts with more decimals are refused, never rounded. Problems are
returned as `Msg` data (English source text marked with `N_`), translated at the edge.

The rules, where the issue leaves a choice:

- **Budget position.** A subcontract's budget per category is its original line plus the
  deltas of every amendment *in force*: an amendment that does not need the funder's
  approval is in force when recorded; one that needs it, only once approved. The obligated
  amount is the sum of the lines. Spent is the sum of the payments that count; balance is
  budget minus spent, per line and in total.
- **Payments that count**: `submitted`, `approved` and `paid` (an invoice submitted is
  money claimed against the line, so it is reserved); `declined` does not count.
- **Money moved by an amendment** between lines is the smaller of the sum of its positive
  deltas and the sum of its negative deltas (in absolute value): what left one line and
  arrived in another. The rest is new (or returned) money, which changes the obligated
  amount and is checked against the grant instead.
- **Budget revision needing the funder's approval** (2 CFR 200.308 style, cumulative so a
  large move cannot be split into small ones): the money moved by this amendment plus every
  amendment since the last one the funder approved, compared with `threshold` x the
  obligated amount as of that approval (or the original budget). More than that is
  flagged; exactly at the threshold is not.
- **Decimals as typed**: an amount typed with more decimals than its currency has (CLP 0,
  EUR and USD 2) is refused (`precision_problem`, with the currency's digits from the edge),
  even when the extra ones are zeros: "650,000" pesos may mean 650.000, and "3,480" euros
  3.480, so the message asks instead of guessing.
- **Payment checks**: each line names an existing category, once; amounts are in cents and
  not zero; a negative amount is a repayment. A line is refused if it would overdraw its
  balance (allowed at exactly the balance, refused one cent over) or if a repayment would
  make its spent negative; the same for the subcontract's total.
- **Status**: draft -> active -> closing -> closed, forward only. Leaving draft requires a
  risk assessment on file. Payments only on active or closing subcontracts.
- **Deliverables**: once, or every N weeks or months from the first due date until `until`
  (default: the subcontract's end). The k-th date is computed from the first one, not from
  the previous one, with month-end clamping: Jan 31 + 1 month = Feb 28 (29 in leap years),
  + 2 months = Mar 31. An occurrence is *overdue* when its due date is before `today` and
  it was not submitted; *very late* when overdue by more than 14 days.
- **Payment holds**: a deliverable with `holds_payments` blocks approving or paying while
  one of its occurrences is overdue on the day considered (submitted after that day counts
  as not submitted then).
- **Overdraw risk**: a line (or the total) whose spent share of its budget exceeds the
  share of the subcontract's period elapsed by more than one tenth: spend-down's pace
  "ahead", one rule (`spend.pace_of`).
"""
