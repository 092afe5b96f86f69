"""Why the system could not read or write a file, in the reader's words.

The operating system says "No such file or directory" in English whatever the locale, and
that reason went into every "cannot read FILE: ..." refusal. The usual reasons are messages
here, translated at the edge like any other; a rarer one keeps the system's own words.
"""

from __future__ import annotations

import errno

from comunidad_cli.core.messages import N_, Msg

_REASONS = {
    errno.ENOENT: N_("there is no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.ENOSPC: N_("there is no space left on the disk"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EEXIST: N_("it exists already"),
}


def os_reason(error: BaseException) -> Msg | str:
    """The reason of `error` (an `OSError` for files): a translatable message for the usual
    ones, else the system's words (`strerror`), else the error's text."""
    number = getattr(error, "errno", None)
    if number in _REASONS:
        return Msg.of(_REASONS[number])
    return getattr(error, "strerror", None) or str(error)
