"""Webhook delivery through the real handler, queues and template resources in moto, to a receiver on this
machine; and what happens when AWS or the receiver fails: nothing lost, nothing sent twice, failures seen."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from devstack.webhooks import Subscriber
from eforms.core.integrations.signing import key_of, verifies
from tests.support.faults import throttled
from tests.support.samples import LEAVE
from tests.support.world import World, aws_world


@dataclass
class Receiver:
    url: str = ""
    failing: int = 0  # answer 503 to this many requests first
    got: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = 503 if state.failing > 0 else 200
            state.failing -= 1
            state.got.append(({k.lower(): v for k, v in self.headers.items()}, body, status))
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, receiver: Receiver) -> Iterator[World]:
    archive = Subscriber(name="archive", events=["case.submitted"], url=receiver.url, signed=True)
    monkeypatch.setenv("WEBHOOK_RETRY_SECONDS", "0")  # a failed post is tried again at once here
    with aws_world(monkeypatch, subscribers=[archive]) as built:
        yield built


def _key(world: World) -> bytes:
    secret = world.client("secretsmanager").get_secret_value(SecretId=world.refs["WebhookArchiveSigningSecret"])
    return key_of(secret["SecretString"])


def test_a_submitted_case_reaches_the_subscriber_signed_once(world: World, receiver: Receiver) -> None:
    case_id = world.api.submit(LEAVE).json()["caseId"]
    world.deliver()
    [(headers, body, status)] = receiver.got
    event = json.loads(body)
    assert (event["detail-type"], event["detail"]["caseId"], status) == ("case.submitted", case_id, 200)
    ts = int(headers["webhook-timestamp"])
    assert verifies(_key(world), headers["webhook-id"], ts, body, headers["webhook-signature"], now=ts)
    world.deliver()
    assert len(receiver.got) == 1  # delivered, deleted, never again


def test_a_receiver_down_gets_the_event_when_it_is_back(
    world: World, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    receiver.failing = 3
    with caplog.at_level(logging.WARNING):
        world.api.submit(LEAVE)
        for _ in range(5):
            world.deliver()
            if any(status == 200 for *_, status in receiver.got):
                break
    assert [status for *_, status in receiver.got] == [503, 503, 503, 200]
    assert len({headers["webhook-id"] for headers, *_ in receiver.got}) == 1  # one event, tried four times
    failures = [r for r in caplog.records if r.getMessage() == "webhook not delivered"]
    assert len(failures) == 3  # ops see each failed attempt: subscriber, status, attempt; no payload
    assert world.dead_letters("WebhookArchiveDeadLetterQueue") == []


def test_a_receiver_that_never_answers_ends_in_its_dead_letter_queue(world: World, receiver: Receiver) -> None:
    receiver.failing = 100
    case_id = world.api.submit(LEAVE).json()["caseId"]
    for _ in range(20):
        world.deliver()
    [dead] = world.dead_letters("WebhookArchiveDeadLetterQueue")
    assert json.loads(dead["Body"])["detail"]["caseId"] == case_id  # kept whole, for a replay
    assert len(receiver.got) == 12  # the queue's attempts, no more
    assert world.dead_letters("NotificationDeadLetterQueue") == []  # other subscribers are not held up


def test_secrets_manager_throttled_delays_the_delivery_and_loses_nothing(
    world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBHOOK_RETRY_SECONDS", "1")  # backed off: not tried again within this outage
    world.api.submit(LEAVE)
    with throttled("secretsmanager", "GetSecretValue") as refused:
        world.deliver()
    assert refused  # the fault was met: the key could not be read, so nothing was sent unsigned
    assert receiver.got == []
    time.sleep(1.2)
    world.deliver()
    assert [status for *_, status in receiver.got] == [200]
