"""What business a meeting may take: the rules `motion new` and the `motions` import share.

A motion is of a decision kind the by-laws define, decided by the body the meeting is of,
and put once the meeting has started. (A closed meeting and short notice are judged in
`frozen.py`; a time outside the meeting, by `frozen.outside_meeting`.)
"""

from __future__ import annotations

from datetime import datetime

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.model import Meeting
from comunidad_cli.core.messages import N_, Msg


def decision_refusal(bylaws: Bylaws, decision: str, body: str) -> Msg | None:
    """Why a motion of kind `decision` may not be put to a meeting of `body`, or None."""
    found = bylaws.decisions.get(decision)
    if found is None:
        return Msg.of(
            N_('no decision kind "{decision}" in the by-laws: the kinds are {known}'),
            decision=decision,
            known=", ".join(bylaws.decisions),
        )
    if found.body != body:
        return Msg.of(
            N_(
                '"{decision}" is decided by body "{body}", not by "{meeting_body}" which this meeting is of'
            ),
            decision=decision,
            body=found.body,
            meeting_body=body,
        )
    return None


def early_refusal(meeting: Meeting, at: datetime) -> Msg | None:
    """Why a motion put at `at` is refused for coming before `meeting` started, or None."""
    if at < meeting.opened_at:
        return Msg.of(N_("{at} is before the meeting started"), at=at)
    return None
