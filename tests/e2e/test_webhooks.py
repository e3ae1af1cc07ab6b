"""Webhooks as data, on a laptop: subscribers declared in a file receive case events from the local stack.

The receiver here is what a municipality's case-management or archive system would run. It verifies each
signature the way docs/webhooks.md tells a receiver to, written from that page, not with our signing code:
HMAC-SHA256 over ``{webhook-id}.{webhook-timestamp}.{body}``, base64, in ``webhook-signature: v1,<sig>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.e2e.conftest import Http, running_stack
from tests.support.examples import examples
from tests.support.receiver import Received, Receiver, receiving


def verified(key: str, request: Received, *, tolerance: int = 300) -> bool:
    """A receiver's check of a signed webhook, from docs/webhooks.md."""
    message_id, timestamp = request.headers["webhook-id"], request.headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    signed = f"{message_id}.{timestamp}.".encode() + request.body
    expected = "v1," + base64.b64encode(hmac.new(key.encode(), signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, given) for given in request.headers["webhook-signature"].split())


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with receiving() as state:
        state.fail_first["/flaky"] = 2
        yield state


@pytest.fixture(scope="module")
def subscribed(receiver: Receiver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Http]:
    declared = tmp_path_factory.mktemp("webhooks") / "webhooks.yaml"
    declared.write_text(
        f"""
subscribers:
  - name: archive
    events: [case.submitted, case.approved]
    url: {receiver.url}/signed
    signed: true
    auth: {{type: api_key, header: X-Api-Key, secret: eforms/webhooks/archive}}
  - name: flaky
    events: [case.submitted]
    url: {receiver.url}/flaky
    signed: true
  - name: case-management
    events: [case.submitted]
    url: {receiver.url}/unsigned
    auth: {{type: api_key, header: X-Api-Key, secret: eforms/webhooks/case-management}}
"""
    )
    with running_stack("--empty", "--webhooks", str(declared)) as http:
        secrets = _secrets(http)
        # As an operator would, before deploying: the receivers' API keys, in Secrets Manager, never in the file.
        for name in ("archive", "case-management"):
            secrets.create_secret(Name=f"eforms/webhooks/{name}", SecretString=json.dumps({"apiKey": f"key-{name}"}))
        yield http


def _secrets(http: Http) -> Any:
    """Secrets Manager of the stack's emulated AWS."""
    return http.client("secretsmanager")


def _signing_key(http: Http, subscriber: str) -> str:
    secrets = _secrets(http)
    key: str = secrets.get_secret_value(SecretId=f"local-Webhook{subscriber}SigningSecret")["SecretString"]
    return key


def _until(found: Any, timeout: float = 40) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.3)
    raise AssertionError("the receiver never got what it waited for")


def test_declared_subscribers_receive_signed_case_events(subscribed: Http, receiver: Receiver) -> None:
    token = subscribed.token("anna")
    data = examples("leave-application", date.today())["valid"][0]
    status, case = subscribed.json(
        "POST", "/cases", token=token, payload={"formId": "leave-application", "formVersion": 1, "data": data}
    )
    assert status == 201, case

    def for_this_case(path: str) -> list[Received]:
        return [r for r in receiver.at(path) if json.loads(r.body)["detail"]["caseId"] == case["caseId"]]

    # Signed, with the subscriber's API key too: the envelope of docs/events.md, signed with the stack's key.
    [signed] = _until(lambda: for_this_case("/signed"))
    event = json.loads(signed.body)
    assert (event["source"], event["detail-type"]) == ("eforms.cases", "case.submitted")
    assert signed.headers["x-api-key"] == "key-archive"
    assert signed.headers["webhook-id"] == event["detail"]["eventId"] == f"{case['caseId']}-0000"  # stable: dedup on it
    assert verified(_signing_key(subscribed, "Archive"), signed)
    assert not verified(_signing_key(subscribed, "Flaky"), signed)  # each subscriber has its own key
    tampered = Received(signed.path, signed.headers, signed.body.replace(b"case.submitted", b"case.approved"), 0)
    assert not verified(_signing_key(subscribed, "Archive"), tampered)
    assert "Andersson" not in signed.body.decode()  # ids and codes (the employee id), no name, no email
    assert "@" not in signed.body.decode()

    # A receiver that failed twice gets the event a third time, once accepted, and never again.
    flaky = _until(lambda: [r for r in for_this_case("/flaky") if r.answered == 204])
    assert [r.answered for r in for_this_case("/flaky")] == [503, 503, 204]
    assert len({r.headers["webhook-id"] for r in for_this_case("/flaky")}) == 1  # the same event each time
    assert verified(_signing_key(subscribed, "Flaky"), flaky[0])

    # Unsigned: an EventBridge API destination, with its connection's API key and no signature.
    [unsigned] = _until(lambda: for_this_case("/unsigned"))
    assert unsigned.headers["x-api-key"] == "key-case-management"
    assert "webhook-signature" not in unsigned.headers
    assert unsigned.headers["webhook-id"] == f"{case['caseId']}-0000"  # the same stable id, as a header parameter
    assert json.loads(unsigned.body)["detail-type"] == "case.submitted"
    time.sleep(2)
    assert len(for_this_case("/signed")) == 1  # nothing sent twice
    assert len(for_this_case("/unsigned")) == 1
