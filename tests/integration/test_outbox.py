"""The transactional outbox (docs/resilience.md §1–2), through the real handlers, the real state machine and
the cases table's stream as moto keeps it: what is stored is announced, and a decision resumes its workflow,
even when EventBridge or Step Functions fail at the moment of the change."""

from __future__ import annotations

from typing import Any

from devstack.mailbox import sent_emails
from tests.support.faults import throttled
from tests.support.flows import emails_for, wait_for
from tests.support.samples import LEAVE
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
    world.deliver()
    wait_for(api, case_id, "at_payroll")
    world.deliver()
    [approved] = [m for m in emails_for(case_id, "decision-approved") if m.kind == "decision-approved"]
    assert approved.to == ["anna.andersson@example.se"]
    again = api.call("POST", f"/cases/{case_id}/decision", as_="maria", json_body=body)
    assert again.status == 409  # decided once


def test_every_stored_change_is_announced_once_even_when_the_bus_fails_at_first(api: Api, world: World) -> None:
    """Submitted while EventBridge throttles: the case is stored; its receipt waits in the stream and is
    sent once the bus answers — exactly one."""
    with throttled("events", "PutEvents"):
        case_id = api.submit(LEAVE).json()["caseId"]
        world.deliver()
        assert [m for m in sent_emails() if m.case_id == case_id and m.kind == "receipt"] == []  # not yet
    world.deliver()
    world.deliver()
    assert len(emails_for(case_id, "receipt")) == 1
