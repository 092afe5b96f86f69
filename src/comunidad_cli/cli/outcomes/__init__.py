"""`comunidad outcome ...`: the indicators file, written and checked the way `bylaws new`
and `bylaws check` write and check by-laws (the same formats, flags and exit codes; silent
when clean), and the aggregated counts behind them shown with rates, disparities and the
privacy rules they were shown under."""
