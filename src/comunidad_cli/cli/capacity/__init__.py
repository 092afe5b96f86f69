"""`comunidad capacity ...`: capacity instruments, assessments and their scores.

`capacity_app` (`group.py`) is registered lazily by cli/app.py as `capacity`; its commands
live by concern: `instruments.py` (instruments, check), `assess.py` (assess), `scores.py`
(show, compare, network), with their shared options and helpers in `common.py`. Scores are
exact fractions until here, where they are rounded to two decimals (half up) to be shown;
`--json` prints them both rounded ("2.67") and exact ("8/3").
"""
