"""The desk when AWS fails (faults injected at the botocore layer): nothing half-written, nothing lost,
nothing sent twice, an honest answer (503, Retry-After) and the failure visible to ops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devstack import lambdas
from devstack.template import load
from eforms import wiring
from eforms.aws.clients import client
from tests.support.faults import throttled
from tests.support.flows import emails_for, wait_for
from tests.support.samples import CERTIFICATE, SUPPORT
from tests.support.world import Api, World

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _at_payroll(api: Api, data: dict[str, Any] = SUPPORT, form: str = "payroll-support") -> dict[str, Any]:
    return wait_for(api, api.submit(data, form=form).json()["caseId"], "at_payroll")


def test_an_injected_fault_keeps_the_call_from_reaching_moto(world: World) -> None:
    """The harness itself: a refused write must not have happened (moto's own before-send runs after ours)."""
    table = world.refs["CasesTable"]
    key = {"pk": {"S": "FAULT"}, "sk": {"S": "PROBE"}}
    with throttled("dynamodb", "TransactWriteItems") as refused, pytest.raises(Exception, match="Throttling"):
        client("dynamodb").transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": key}}])
    assert len(refused) > 1  # botocore retried, and every attempt was refused
    assert "Item" not in client("dynamodb").get_item(TableName=table, Key=key)


def test_a_message_while_dynamodb_throttles_is_503_stores_nothing_and_sends_once_on_retry(
    api: Api, world: World, service_logs: Any
) -> None:
    case = _at_payroll(api)
    body = {"text": "Vilken månad gäller det?"}
    with throttled("dynamodb", "TransactWriteItems") as refused:
        reply = api.call("POST", f"/cases/{case['caseId']}/messages", as_="pia", json_body=body)
    assert refused  # the fault really stood between the handler and the table
    assert (reply.status, reply.json()["code"], reply.headers["retry-after"]) == (503, "service_unavailable", "5")
    after = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    assert after["version"] == case["version"]  # no history entry, no version bump
    assert api.call("GET", f"/cases/{case['caseId']}/messages", as_="pia").json()["items"] == []
    world.settle()
    assert '"aws unavailable"' in service_logs.getvalue()  # visible to ops (and the 5xx-free API alarm)
    assert "Vilken månad" not in service_logs.getvalue()  # the message body is never logged

    retried = api.call("POST", f"/cases/{case['caseId']}/messages", as_="pia", json_body=body)
    assert retried.status == 201
    assert len(emails_for(case["caseId"], "message-waiting")) == 1  # the person is told once


def test_a_registration_while_dynamodb_throttles_is_503_not_a_false_conflict(api: Api) -> None:
    case = _at_payroll(api)
    body = {"version": case["version"], "reference": "R1", "payPeriod": "2026-12"}
    with throttled("dynamodb", "TransactWriteItems"):
        reply = api.call("POST", f"/cases/{case['caseId']}/registration", as_="pia", json_body=body)
    assert reply.status == 503  # not 409 "the case changed": it did not
    assert api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()["status"] == "at_payroll"
    assert api.call("POST", f"/cases/{case['caseId']}/registration", as_="pia", json_body=body).status == 200


def test_a_certificate_upload_while_s3_is_unavailable_delivers_nothing(api: Api, world: World) -> None:
    case = _at_payroll(api, CERTIFICATE, "certificate-request")
    path, headers = f"/cases/{case['caseId']}/certificate", {"content-type": "application/pdf"}
    with throttled("s3", "PutObject"):
        reply = api.call("PUT", path, as_="pia", body=PDF, headers=headers, query=f"version={case['version']}")
    assert reply.status == 503
    after = api.call("GET", f"/cases/{case['caseId']}", as_="anna").json()
    assert (after["status"], after["payroll"]["certificate"]) == ("at_payroll", None)  # not told it is ready
    world.settle()
    assert not [m for m in emails_for(case["caseId"], "receipt") if m.kind == "certificate-ready"]
    done = api.call("PUT", path, as_="pia", body=PDF, headers=headers, query=f"version={case['version']}").json()
    assert done["payroll"]["certificate"]["size"] == len(PDF)
    body = {"version": done["version"], "outcome": "delivered"}
    sent = api.call("POST", f"/cases/{case['caseId']}/closure", as_="pia", json_body=body)
    assert sent.json()["status"] == "completed"
    assert len(emails_for(case["caseId"], "certificate-ready")) == 1


def test_an_assignment_made_while_the_bus_is_down_is_announced_once_it_is_back(
    api: Api, world: World, service_logs: Any
) -> None:
    """The outbox: the change is stored with its history entry; the relay cannot put the event on the bus,
    keeps the stream record (logged, counted) and relays it when EventBridge answers again — one email."""
    case = _at_payroll(api)
    world.settle()
    body = {"version": case["version"], "assigneeId": "per"}
    with throttled("events", "PutEvents"):
        reply = api.call("POST", f"/cases/{case['caseId']}/claim", as_="pia", json_body=body)
        assert reply.status == 200  # the assignment stands: failing the request would invite a second one
        world.settle()  # the relay tries, and leaves the record in the stream
    assert '"case event not published yet"' in service_logs.getvalue()  # with the case id, and counted
    assert [m for m in emails_for(case["caseId"], "receipt") if m.kind == "case-assigned"] == []
    world.settle()  # EventBridge is back: the same record, relayed now
    world.settle()
    assert len(emails_for(case["caseId"], "case-assigned")) == 1


def test_the_service_level_check_fails_visibly_and_the_next_run_marks_the_breach_once(api: Api) -> None:
    case = _at_payroll(api)
    scheduler = load().function("DeskSchedulerFunction")
    wiring.use_clock(lambda: datetime.now(UTC) + timedelta(days=10))
    with throttled("dynamodb", "Query"), pytest.raises(Exception, match="Throttling"):
        lambdas.invoke(scheduler, {})  # Lambda's Errors metric and the dashboard show it; nothing marked
    history = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()["history"]
    assert "sla_breached" not in [h["action"] for h in history]
    assert lambdas.invoke(scheduler, {})["breaches"] == 1
    assert lambdas.invoke(scheduler, {})["breaches"] == 0
