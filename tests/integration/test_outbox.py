"""The transactional outbox (docs/resilience.md §1–2), through the real handlers, the real state machine and
the cases table's stream as moto keeps it: what is stored is announced, and a decision resumes its workflow,
even when EventBridge or Step Functions fail at the moment of the change."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from devstack import streams
from devstack.mailbox import sent_emails
from ops.replay_outbox import replay_case, replay_dead_letters
from tests.support.faults import throttled
from tests.support.flows import emails_for, wait_for
from tests.support.samples import CERTIFICATE, LEAVE
from tests.support.world import Api, World


def test_a_decision_saved_while_step_functions_is_down_stands_and_the_workflow_resumes_from_the_outbox(
    api: Api, world: World, service_logs: Any
) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    case = wait_for(api, case_id, "awaiting_approval", as_="maria")
    body = {"decision": "approve", "version": case["version"]}
    with throttled("stepfunctions", "SendTaskSuccess") as refused:
        reply = api.call("POST", f"/cases/{case_id}/decision", as_="maria", json_body=body)
    assert refused  # the API did try to tell the workflow, and could not
    assert reply.status == 200, reply.text  # the decision stands: no 500, and a retry would only get 409
    assert reply.json()["status"] == "approved"
    assert '"workflow not told yet"' in service_logs.getvalue()
    # Not the reminder timer: the relay reads the decision from the stream and tells the workflow now.
    world.settle()
    wait_for(api, case_id, "at_payroll")
    world.settle()
    [approved] = [m for m in emails_for(case_id, "decision-approved") if m.kind == "decision-approved"]
    assert approved.to == ["anna.andersson@example.se"]
    again = api.call("POST", f"/cases/{case_id}/decision", as_="maria", json_body=body)
    assert again.status == 409  # decided once


def test_every_stored_change_is_announced_once_even_when_the_bus_fails_at_first(api: Api, world: World) -> None:
    """Submitted while EventBridge throttles: the case is stored; its receipt waits in the stream and is
    sent once the bus answers — exactly one."""
    with throttled("events", "PutEvents"):
        case_id = api.submit(LEAVE).json()["caseId"]
        world.settle()
        assert [m for m in sent_emails() if m.case_id == case_id and m.kind == "receipt"] == []  # not yet
    world.settle()
    world.settle()
    assert len(emails_for(case_id, "receipt")) == 1


def test_what_the_relay_gave_up_on_is_dead_lettered_and_replayed_by_one_command(api: Api, world: World) -> None:
    """EventBridge down longer than the mapping retries: the record's position goes to the outbox DLQ (the
    alarm's queue); after recovery `python3 dev replay-outbox` relays it from the stream — one receipt."""
    impatient = [dataclasses.replace(s, max_attempts=2) for s in streams.sources(world.template, world.refs)]
    world.stream_poller = streams.StreamPoller(impatient)
    with throttled("events", "PutEvents"):
        case_id = api.submit(LEAVE).json()["caseId"]
        world.settle()
        world.settle()
    sqs = world.client("sqs")
    queue = world.refs["OutboxDeadLetterQueue"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
    given_up = int(attributes["Attributes"]["ApproximateNumberOfMessages"])
    assert given_up == 1  # submitted; the approval request stored meanwhile waits behind it (the case is held)
    world.settle()  # the mapping has moved on: nothing comes back by itself
    assert [m for m in sent_emails() if m.case_id == case_id and m.kind == "receipt"] == []

    tables = {"cases_table": world.refs["CasesTable"], "idempotency_table": world.refs["IdempotencyTable"]}
    relayed, left = replay_dead_letters(
        queue, bus=world.refs["CaseEventBus"], state_machine=world.refs["ApprovalStateMachine"], **tables
    )
    assert (relayed, left) == (2, 0)  # the held case's entries, in order: submitted, approval_requested
    assert len(emails_for(case_id, "receipt")) == 1
    assert replay_dead_letters(queue, bus=world.refs["CaseEventBus"], state_machine="x", **tables) == (0, 0)
    # Past the stream's day: the case's history announced again from the table; nobody emailed twice.
    assert replay_case(case_id, cases_table=world.refs["CasesTable"], bus=world.refs["CaseEventBus"]) >= 1
    world.settle()
    assert len(emails_for(case_id, "receipt")) == 1


def test_ses_failing_in_the_notifier_is_logged_dead_lettered_and_sent_once_on_replay(
    api: Api, world: World, service_logs: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with throttled("sesv2", "SendEmail"):
        case_id = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
        world.settle()  # every receive fails; after five the event is in the dead-letter queue
    logs = service_logs.getvalue()
    failures = [json.loads(line) for line in logs.splitlines() if '"email not sent"' in line]
    assert failures, "the notifier must say at WARNING which case and kind failed"
    assert {(f["level"], f["caseId"], f["error"]) for f in failures} == {
        ("WARNING", case_id, "TooManyRequestsException")
    }
    assert "@example.se" not in "".join(line for line in logs.splitlines() if '"email not sent"' in line)
    # The last try is not one more WARNING: an ERROR and a count, which the EmailsNotSent alarm watches.
    given_up = [json.loads(line) for line in logs.splitlines() if '"emails not sent: event dead-lettered"' in line]
    assert [(g["level"], g["caseId"]) for g in given_up] == [("ERROR", case_id)]
    printed = capsys.readouterr().out.splitlines()
    counted = [json.loads(line) for line in printed if '"EmailsNotSent"' in line and "_aws" in line]
    assert [c["EmailsNotSent"] for c in counted] == [[1.0]]
    dead = world.dead_letters()
    assert dead  # the NotificationsDeadLettered alarm's queue
    sqs = world.client("sqs")
    for message in dead:  # the runbook's replay: back to the queue they came from
        sqs.send_message(QueueUrl=world.refs["NotificationQueue"], MessageBody=message["Body"])
        sqs.delete_message(QueueUrl=world.refs["NotificationDeadLetterQueue"], ReceiptHandle=message["ReceiptHandle"])
    world.settle()
    world.settle()
    assert len(emails_for(case_id, "receipt")) == 1
