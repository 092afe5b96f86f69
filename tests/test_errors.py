"""The refusal type (`comunidad_cli.errors.ServiceError`) is one class, raised by services and
storage alike: storage's refusals carry a message and an exit code without importing services."""

from __future__ import annotations

import pytest

from comunidad_cli.errors import ServiceError


def test_services_keep_the_public_name() -> None:
    from comunidad_cli.services import errors

    assert errors.ServiceError is ServiceError


def test_a_bad_actor_is_a_refusal_storage_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    from comunidad_cli.storage.audit import BadActor, current_actor

    monkeypatch.setenv("COMUNIDAD_ACTOR", "ana\x1b[2J")
    with pytest.raises(ServiceError) as raised:
        current_actor()
    assert isinstance(raised.value, BadActor) and isinstance(raised.value, ValueError)
    assert raised.value.exit_code == 1
    assert raised.value.msg.params["option"] == "COMUNIDAD_ACTOR"


def test_the_systems_reason_is_a_message_for_the_usual_errors() -> None:
    import errno

    from comunidad_cli.core.messages import Msg
    from comunidad_cli.core.os_errors import os_reason

    missing = os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    assert isinstance(missing, Msg) and missing.text == "there is no such file or folder"
    assert os_reason(OSError(errno.EIO, "Input/output error")) == "Input/output error"
    assert os_reason(ValueError("odd")) == "odd"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ca", "error: no es pot llegir absent.csv: no existeix aquest fitxer o carpeta\n"),
        ("es", "error: no se puede leer absent.csv: no existe ese archivo o carpeta\n"),
        ("en", "error: cannot read absent.csv: there is no such file or folder\n"),
    ],
)
def test_a_missing_file_is_explained_in_the_readers_language(
    in_tmp: object, locale: str, expected: str
) -> None:
    """A Catalan coordinator read "no es pot llegir noexisteix.csv: No such file or
    directory": the system's English reason inside a Catalan sentence."""
    from tests.helpers import run

    assert run("init", "w")[0] == 0
    code, _out, err = run("--locale", locale, "--workspace", "w", "import", "people", "absent.csv")
    assert (code, err) == (2, expected)
