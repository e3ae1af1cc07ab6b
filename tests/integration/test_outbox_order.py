"""What a webhook subscriber sees when the outbox relay meets faults (issue 26, item 9): each event once, with a
stable id it can deduplicate on, and a case's events in the order they happened — through a dead-letter and
its replay. The subscriber is a receiver on this machine, fed by the real relay, bus rules and delivery."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from devstack import streams
from devstack.webhooks import Subscriber
from ops.replay_outbox import replay_case, replay_dead_letters
from tests.support.faults import throttled
from tests.support.flows import wait_for
from tests.support.receiver import Receiver
from tests.support.samples import LEAVE
from tests.support.world import World, Worlds

HOOK = "/hooks/history"
EVENTS = ["case.submitted", "case.approval_requested", "case.approved", "case.handed_to_payroll"]


@pytest.fixture
def world(worlds: Worlds, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> World:
    """The session's world with a subscriber to a case's whole approval history."""
    history = Subscriber(name="history", events=EVENTS, url=f"{receiver.url}{HOOK}", signed=True)
    monkeypatch.setenv("WEBHOOK_RETRY_SECONDS", "0")
    return worlds.get(subscribers=[history])


def _received(receiver: Receiver, case_id: str) -> list[tuple[str, int, str]]:
    """(type, case version, webhook-id) of each delivery about the case, in the order they arrived."""
    found = []
    for request in receiver.at(HOOK):
        event: dict[str, Any] = json.loads(request.body)
        if event["detail"]["caseId"] == case_id:
            found.append((event["detail-type"], event["detail"]["caseVersion"], request.headers["webhook-id"]))
    return found


def _held_case(world: World) -> str:
    """A case filed while EventBridge refused everything for longer than the stream retries: its first
    entry dead-lettered, the case held behind it."""
    impatient = [dataclasses.replace(s, max_attempts=2) for s in streams.sources(world.template, world.refs)]
    world.stream_poller = streams.StreamPoller(impatient)
    with throttled("events", "PutEvents"):
        held = str(world.api.submit(LEAVE).json()["caseId"])
        world.settle()
        world.settle()
    return held


def test_each_event_carries_a_stable_id_that_a_replay_repeats(world: World, receiver: Receiver) -> None:
    case_id = world.api.submit(LEAVE).json()["caseId"]
    world.settle()
    first = _received(receiver, case_id)
    assert first == [
        ("case.submitted", 1, f"{case_id}-0000"),
        ("case.approval_requested", 2, f"{case_id}-0001"),
    ]
    # Announced again from the table (past the stream's day): the same ids, each with its own version.
    replay_case(case_id, cases_table=world.refs["CasesTable"], bus=world.refs["CaseEventBus"])
    world.settle()
    assert _received(receiver, case_id)[2:] == first


def test_a_decision_relayed_while_step_functions_is_down_is_published_once(world: World, receiver: Receiver) -> None:
    """The walk saw case.approved four times while Step Functions was down for three polls: every retry of
    the record published it again. Now the workflow is told first and the event published after."""
    case_id = world.api.submit(LEAVE).json()["caseId"]
    waiting = wait_for(world.api, case_id, "awaiting_approval", as_="maria")
    body = {"decision": "approve", "version": waiting["version"]}
    with throttled("stepfunctions", "SendTaskSuccess") as refused:
        assert world.api.call("POST", f"/cases/{case_id}/decision", as_="maria", json_body=body).status == 200
        for _ in range(3):  # three polls of the stream while Step Functions refuses
            world.settle()
    assert len(refused) >= 3
    world.settle()
    wait_for(world.api, case_id, "at_payroll")
    world.settle()
    types = [kind for kind, _, _ in _received(receiver, case_id)]
    assert types == ["case.submitted", "case.approval_requested", "case.approved", "case.handed_to_payroll"]


def test_a_case_keeps_its_order_through_a_dead_letter_and_the_replay(world: World, receiver: Receiver) -> None:
    """The walk saw case.submitted@v1 arrive after handed_to_payroll@v4: once the stream gave up on a record,
    the case's later entries went out before it. Now the case is held behind it, other cases flow on, and
    the replay announces the held case's entries in order."""
    held = _held_case(world)
    assert _received(receiver, held) == []
    # Another case flows on meanwhile; the held one's later entry (the approval request) waits behind.
    other = world.api.submit(LEAVE, as_="erik").json()["caseId"]
    world.settle()
    assert [kind for kind, _, _ in _received(receiver, other)] == ["case.submitted", "case.approval_requested"]
    assert _received(receiver, held) == []

    relayed, left = replay_dead_letters(
        world.refs["OutboxDeadLetterQueue"],
        bus=world.refs["CaseEventBus"],
        state_machine=world.refs["ApprovalStateMachine"],
        cases_table=world.refs["CasesTable"],
        idempotency_table=world.refs["IdempotencyTable"],
    )
    assert (relayed, left) == (2, 0)
    world.settle()
    assert _received(receiver, held) == [
        ("case.submitted", 1, f"{held}-0000"),
        ("case.approval_requested", 2, f"{held}-0001"),
    ]
    # Released: what the case does next is announced as it happens.
    waiting = wait_for(world.api, held, "awaiting_approval", as_="maria")
    body = {"decision": "approve", "version": waiting["version"]}
    assert world.api.call("POST", f"/cases/{held}/decision", as_="maria", json_body=body).status == 200
    world.settle()
    wait_for(world.api, held, "at_payroll")
    world.settle()
    assert [version for _, version, _ in _received(receiver, held)] == sorted(
        version for _, version, _ in _received(receiver, held)
    )
    assert [kind for kind, _, _ in _received(receiver, held)][2:] == ["case.approved", "case.handed_to_payroll"]


def test_past_the_streams_day_one_case_is_replayed_from_its_history_and_released(
    world: World, receiver: Receiver
) -> None:
    """The dead letter names stream records, which the stream keeps a day; after that, `replay-outbox --case`
    announces the held case from the table, in order, releases it and tells its workflow."""
    held = _held_case(world)
    count = replay_case(
        held,
        cases_table=world.refs["CasesTable"],
        bus=world.refs["CaseEventBus"],
        idempotency_table=world.refs["IdempotencyTable"],
        state_machine=world.refs["ApprovalStateMachine"],
    )
    assert count == 2
    world.settle()
    assert [kind for kind, _, _ in _received(receiver, held)] == ["case.submitted", "case.approval_requested"]
    waiting = wait_for(world.api, held, "awaiting_approval", as_="maria")
    body = {"decision": "approve", "version": waiting["version"]}
    assert world.api.call("POST", f"/cases/{held}/decision", as_="maria", json_body=body).status == 200
    world.settle()
    assert [kind for kind, _, _ in _received(receiver, held)][2:3] == ["case.approved"]  # released: live again
