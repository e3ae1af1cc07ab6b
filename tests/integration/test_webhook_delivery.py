"""Webhook delivery through the real handler, queues and template resources in moto, to a receiver on this
machine; and what happens when AWS or the receiver fails: nothing lost, nothing sent twice, failures seen."""

from __future__ import annotations

import json
import logging

import pytest

from devstack.webhooks import Subscriber
from eforms.core.integrations.signing import key_of, verifies
from tests.support.faults import throttled
from tests.support.receiver import Receiver
from tests.support.samples import LEAVE
from tests.support.world import World, Worlds

HOOK = "/hooks"
SUNDSVIK = "/sundsvik"


@pytest.fixture
def world(worlds: Worlds, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> World:
    """The session's world with two subscribers more, at this module's receiver: the archive system, and
    Sundsvik's own records system, which receives Sundsvik's cases only."""
    archive = Subscriber(name="archive", events=["case.submitted"], url=f"{receiver.url}{HOOK}", signed=True)
    sundsvik = Subscriber(
        name="sundsvik-records",
        events=["case.submitted"],
        url=f"{receiver.url}{SUNDSVIK}",
        signed=True,
        organisations=["sundsvik"],
    )
    monkeypatch.setenv("WEBHOOK_RETRY_SECONDS", "0")  # a failed post is tried again at once here
    return worlds.get(subscribers=[archive, sundsvik])


def _key(world: World) -> bytes:
    secret = world.client("secretsmanager").get_secret_value(SecretId=world.refs["WebhookArchiveSigningSecret"])
    return key_of(secret["SecretString"])


def test_a_submitted_case_reaches_the_subscriber_signed_once(world: World, receiver: Receiver) -> None:
    case_id = world.api.submit(LEAVE).json()["caseId"]
    world.settle()
    [got] = receiver.requests
    event = json.loads(got.body)
    assert (event["detail-type"], event["detail"]["caseId"], got.answered) == ("case.submitted", case_id, 204)
    ts = int(got.headers["webhook-timestamp"])
    assert verifies(_key(world), got.headers["webhook-id"], ts, got.body, got.headers["webhook-signature"], now=ts)
    world.settle()
    assert len(receiver.requests) == 1  # delivered, deleted, never again


def test_a_subscriber_limited_to_an_organisation_receives_its_cases_only(world: World, receiver: Receiver) -> None:
    """A municipality's records system (``organisations: [sundsvik]`` in webhooks.yaml) gets Sundsvik's case,
    not the centre's nor Norrby's; every event names its organisation."""
    ids = {who: world.api.submit(LEAVE, as_=who).json()["caseId"] for who in ("anna", "lena", "nils")}
    world.settle()
    got = {(r.path, json.loads(r.body)["detail"]["caseId"]) for r in receiver.requests}
    assert (SUNDSVIK, ids["lena"]) in got
    assert {case for path, case in got if path == SUNDSVIK} == {ids["lena"]}
    assert {case for path, case in got if path == HOOK} == set(ids.values())
    organisations = {json.loads(r.body)["detail"]["organisationId"] for r in receiver.requests if r.path == HOOK}
    assert organisations == {"lonecentrum", "sundsvik", "norrby"}


def test_a_receiver_down_gets_the_event_when_it_is_back(
    world: World, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    receiver.fail_first[HOOK] = 3
    with caplog.at_level(logging.WARNING):
        world.api.submit(LEAVE)
        for _ in range(5):
            world.settle()
            if any(r.answered == 204 for r in receiver.requests):
                break
    assert [r.answered for r in receiver.requests] == [503, 503, 503, 204]
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1  # one event, tried four times
    failures = [r for r in caplog.records if r.getMessage() == "webhook not delivered"]
    assert len(failures) == 3  # ops see each failed attempt: subscriber, status, attempt; no payload
    assert world.dead_letters("WebhookArchiveDeadLetterQueue") == []


def test_a_receiver_that_never_answers_ends_in_its_dead_letter_queue(world: World, receiver: Receiver) -> None:
    receiver.fail_first[HOOK] = 100
    case_id = world.api.submit(LEAVE).json()["caseId"]
    for _ in range(20):
        world.settle()
    [dead] = world.dead_letters("WebhookArchiveDeadLetterQueue")
    assert json.loads(dead["Body"])["detail"]["caseId"] == case_id  # kept whole, for a replay
    assert len(receiver.requests) == 12  # the queue's attempts, no more
    assert world.dead_letters("NotificationDeadLetterQueue") == []  # other subscribers are not held up


def test_secrets_manager_throttled_delays_the_delivery_and_loses_nothing(
    world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBHOOK_RETRY_SECONDS", "1")  # backed off: not tried again within this outage
    world.api.submit(LEAVE)
    with throttled("secretsmanager", "GetSecretValue") as refused:
        world.settle()
    assert refused  # the fault was met: the key could not be read, so nothing was sent unsigned
    assert receiver.requests == []
    world.advance(2)  # past the backoff
    assert [r.answered for r in receiver.requests] == [204]


def test_a_backoff_sqs_refuses_still_brings_the_event_back_once(
    world: World, receiver: Receiver, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delay before the next try could not be set: the message comes back after the queue's own timeout
    (here at once), is delivered once, and the log says the backoff was missed."""
    monkeypatch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, context: 0)
    receiver.fail_first[HOOK] = 1
    world.api.submit(LEAVE)
    with throttled("sqs", "ChangeMessageVisibility") as refused, caplog.at_level(logging.WARNING):
        world.settle()
    assert refused
    assert [r.answered for r in receiver.requests] == [503, 204]
    assert any(r.getMessage() == "webhook backoff not set" for r in caplog.records)
    world.settle()
    assert len(receiver.requests) == 2  # delivered once, then deleted
    assert world.dead_letters("WebhookArchiveDeadLetterQueue") == []


def test_a_malformed_record_is_never_posted_and_ends_dead_lettered(
    world: World, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    world.client("sqs").send_message(QueueUrl=world.refs["WebhookArchiveQueue"], MessageBody='{"not": "an event"}')
    with caplog.at_level(logging.ERROR):
        world.settle()
    assert receiver.requests == []
    [dead] = world.dead_letters("WebhookArchiveDeadLetterQueue")
    assert dead["Body"] == '{"not": "an event"}'
    assert any(r.getMessage() == "malformed webhook event" for r in caplog.records)
