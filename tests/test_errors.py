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
