"""`comunidad meeting ...` and `comunidad motion ...`: running a meeting from the terminal.

One module per command group, each registered lazily by cli/app.py (`LAZY`): `meeting`
(the group and its commands), `minutes` (the group's `minutes` and `correct`, added to
`meeting_app`; the module LAZY names for `meeting`), `motion`; `common` holds what they share.
"""
