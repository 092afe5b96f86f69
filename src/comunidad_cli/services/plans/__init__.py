"""Territory selection and the local improvement plan: load, call `core/plans/`, persist,
one transaction per command (`services/session.py`).

`territory.py`: candidates, their values and selections; `plan.py`: plan versions, needs,
proposals through the motion service; `versions.py`: the versions' statuses and
`needs_in_force` for the competitive funds; `views.py`: `plan show` and `plan list`;
`imports.py`: the `territories` and `needs` import kinds.
"""

from __future__ import annotations

from collections.abc import Sequence

from comunidad_cli.core.messages import Msg
from comunidad_cli.errors import ServiceError


class Problems(ServiceError):
    """A refusal with several reasons (a rule file's problems): `msg` is the first, the CLI
    prints every one of `problems`."""

    def __init__(self, problems: Sequence[Msg], *, exit_code: int = 1) -> None:
        super().__init__(problems[0], exit_code=exit_code)
        self.problems = tuple(problems)
