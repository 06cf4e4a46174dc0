"""ServiceError: a modelled error, raised where it arises and encoded from the model."""

from __future__ import annotations

import pytest

from pytest_connect_stub import model
from pytest_connect_stub.errors import ServiceError
from pytest_connect_stub.idempotency import IdempotencyStore


def test_a_modelled_error_takes_the_models_status_and_message_member() -> None:
    for code, shape in model.error_shapes().items():
        error = ServiceError(code, "went wrong")
        assert error.status == shape.status
        member = "message" if "message" in shape.members else "Message"
        assert error.body() == {member: "went wrong"}


def test_a_reason_fills_the_reason_member() -> None:
    reason = {"AttachedFileInvalidRequestExceptionReason": "INVALID_FILE_SIZE"}
    error = ServiceError("InvalidRequestException", "bad", reason)
    assert error.body()["Reason"] == reason
    assert error.status == 400


def test_a_code_the_model_lacks_gives_its_own_status() -> None:
    error = ServiceError("NotImplemented", "not stubbed", status=501)
    assert (error.status, error.body()) == (501, {"Message": "not stubbed"})
    assert ServiceError("NoSuchCode", "x").status == 400


def test_a_token_replays_its_answer_and_refuses_other_parameters() -> None:
    store = IdempotencyStore(ttl=60)
    params = {"InstanceId": "inst-1", "ClientToken": "t-1", "ContactDataRequestList": []}
    assert store.replay_or_raise(params) is None
    store.remember("t-1", "inst-1", b'{"ContactDataRequestList": []}', b'{"ok": 1}')
    assert store.replay_or_raise(params) == b'{"ok": 1}'
    with pytest.raises(ServiceError, match="ClientToken 't-1' was already used") as raised:
        store.replay_or_raise({**params, "InstanceId": "inst-2"})
    assert raised.value.code == "IdempotencyException"
    store.advance(60)
    assert store.replay_or_raise({**params, "InstanceId": "inst-2"}) is None
