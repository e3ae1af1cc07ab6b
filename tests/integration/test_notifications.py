"""Case events on the EventBridge bus and the emails the notifier makes of them, through real AWS parts
(moto): the bus, its rule, the notification queue with its redrive to the dead-letter queue, SES."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from devstack.mailbox import sent_emails
from eforms.core.common.clock import parse_iso, stockholm_date, utc_now
from tests.support.faults import throttled
from tests.support.flows import (
    emails_for,
    link_path,
    next_digest_time,
    payroll_digest,
    post_page,
    run_desk_scheduler,
    wait_for,
)
from tests.support.samples import CERTIFICATE, LEAVE, SUPPORT
from tests.support.world import BASE_URL, PAYROLL_MAILBOX, Api, World


def _spy(world: World) -> str:
    """Subscribe a queue to the bus the way another system would; returns its URL."""
    sqs, events = world.client("sqs"), world.client("events")
    url = sqs.create_queue(QueueName="spy")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = world.refs["CaseEventBus"]
    events.put_rule(Name="spy", EventBusName=bus, EventPattern=json.dumps({"source": ["eforms.cases"]}))
    events.put_targets(Rule="spy", EventBusName=bus, Targets=[{"Id": "spy", "Arn": arn}])
    return str(url)


def _spied(world: World, url: str) -> list[dict[str, Any]]:
    sqs = world.client("sqs")
    found: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        found += [json.loads(m["Body"]) for m in messages]
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return found


def _approve(api: Api, case_id: str) -> None:
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="approve", message="Trevlig ledighet!").status == 200


def test_a_receipt_only_for_those_who_ask_for_one(api: Api) -> None:
    """The case is in "my cases" the moment it is filed; the emailed receipt is opt-in (docs/cost.md)."""
    unasked = api.submit(CERTIFICATE, form="certificate-request", receipt=False).json()["caseId"]
    asked = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    wait_for(api, asked, "at_payroll")
    wait_for(api, unasked, "at_payroll")
    assert len(emails_for(asked, "receipt")) == 1
    assert [m for m in sent_emails() if m.case_id == unasked and m.kind == "receipt"] == []
    reply = api.call("POST", "/cases", json_body={"formId": "leave-application", "data": LEAVE, "emailReceipt": "ja"})
    assert reply.codes == [("/emailReceipt", "wrong_type")]


def test_the_approve_path_ends_with_pdf_email_payroll_item_and_an_event_per_step(world: World, api: Api) -> None:
    """The issue's "done when"."""
    spy = _spy(world)
    case_id = api.submit(LEAVE).json()["caseId"]
    _approve(api, case_id)
    case = wait_for(api, case_id, "at_payroll")

    [receipt] = emails_for(case_id, "receipt")
    assert receipt.to == ["anna.andersson@example.se"]
    assert receipt.language == "sv"
    [approved] = emails_for(case_id, "decision-approved")
    assert approved.to == ["anna.andersson@example.se"]
    assert f"{BASE_URL}/cases/{case_id}/pdf" in approved.text
    assert f'href="{BASE_URL}/cases/{case_id}/pdf"' in approved.html
    assert "Maria Lind" in approved.text
    # Whose case and which period, never more: a personnummer or the answers stay behind the link.
    assert approved.subject.startswith("Ledighetsansökan: beviljat – Anna Andersson, 20")
    assert emails_for(case_id, "payroll-handoff", count=0) == []  # no email of its own: the next digest
    digest = payroll_digest(world, case_id)
    assert digest.to == [PAYROLL_MAILBOX]
    assert "Ett nytt ärende har kommit till Lönecentrum" in digest.text  # not "1 nya ärenden"
    assert case["payroll"]["dueDate"] in digest.text
    assert case["payroll"]["payPeriod"] in digest.text

    assert case["hasPdf"] is True
    assert case["payroll"]["sla"] in ("on_time", "due_today")
    assert date.fromisoformat(case["payroll"]["dueDate"]) > stockholm_date(parse_iso(case["createdAt"]))

    events = [e for e in _spied(world, spy) if e["detail"]["caseId"] == case_id]
    assert [e["detail-type"] for e in events] == [
        "case.submitted",
        "case.approval_requested",
        "case.approved",
        "case.pdf_created",
        "case.handed_to_payroll",
    ]
    handed = events[-1]["detail"]
    assert handed["details"] == {"dueDate": case["payroll"]["dueDate"], "payPeriod": case["payroll"]["payPeriod"]}
    assert events[3]["detail"]["details"] == {"fingerprint": case["fingerprint"]}
    # No personal data on the bus: no names, no messages, no answers.
    raw = json.dumps(events, ensure_ascii=False)
    for personal in ("Anna", "Maria", "Trevlig", "semester", "@"):
        assert personal not in raw, personal


def test_every_event_matches_the_documented_detail_schema(world: World, api: Api) -> None:
    from tests.support.events_schema import validate_event

    spy = _spy(world)
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    post_page(api, link_path(request), decision="return", message="Fel datum.", fields="/period")
    wait_for(api, case_id, "returned")
    for event in _spied(world, spy):
        validate_event(event)


def test_an_english_speaker_is_told_in_english(world: World, api: Api) -> None:
    case_id = api.submit(LEAVE, as_="aslak").json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    post_page(api, link_path(request), decision="return", message="Check the dates.", fields="/period")
    [receipt] = emails_for(case_id, "receipt")
    [returned] = emails_for(case_id, "decision-returned")
    assert receipt.language == returned.language == "en"
    assert returned.subject.startswith("Leave application: needs correction – Áslat Niillas, 20")
    assert "Check the dates." in returned.text
    assert "Period" in returned.text  # the open field, by its English title


def test_a_certificate_tells_the_employee_and_payroll_but_sends_no_approval(world: World, api: Api) -> None:
    case_id = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    emails_for(case_id, "receipt")
    kinds = sorted(m.kind for m in sent_emails() if m.case_id == case_id)
    assert kinds == ["receipt"]  # payroll hears of it in the next digest
    assert payroll_digest(world, case_id).to == [PAYROLL_MAILBOX]


def test_a_redelivered_event_sends_nothing(world: World, api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    emails_for(case_id, "receipt")
    envelope = {
        "version": "0",
        "id": "redelivered",
        "detail-type": "case.submitted",
        "source": "eforms.cases",
        "time": "2026-11-23T08:00:00Z",
        "region": "eu-north-1",
        "resources": [],
        "detail": _submitted_detail(api, case_id),
    }
    sqs = world.client("sqs")
    for _ in range(2):  # SQS delivers at least once; EventBridge may publish twice
        sqs.send_message(QueueUrl=world.refs["NotificationQueue"], MessageBody=json.dumps(envelope))
    assert world.settle() >= 2  # both handled successfully: nothing to retry
    assert len([m for m in sent_emails() if m.kind == "receipt"]) == 1
    assert world.dead_letters() == []


def _submitted_detail(api: Api, case_id: str) -> dict[str, Any]:
    case = api.call("GET", f"/cases/{case_id}").json()
    entry = case["history"][0]
    return {
        "caseId": case_id,
        "formId": case["formId"],
        "formVersion": case["formVersion"],
        "status": "submitted",
        "caseVersion": 1,
        "at": entry["at"],
        "actor": {"id": "anna", "role": "applicant"},
        "details": {},
    }


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"source": "someone.else", "detail-type": "case.submitted", "detail": {}}),
        json.dumps({"source": "eforms.cases", "detail-type": "case.deleted", "detail": {}}),
        json.dumps({"source": "eforms.cases", "detail-type": "case.submitted", "detail": {"caseId": 1}}),
        json.dumps(
            {
                "source": "eforms.cases",
                "detail-type": "case.submitted",
                "detail": {
                    "caseId": "01JD0Q4F6Z2M3N4P5Q6R7S8T9V",  # no such case
                    "formId": "leave-application",
                    "formVersion": 1,
                    "status": "submitted",
                    "caseVersion": 1,
                    "at": "2026-11-23T08:00:00.000000Z",
                    "actor": {"id": "anna", "role": "applicant"},
                    "details": {},
                },
            }
        ),
    ],
    ids=["not-json", "other-source", "unknown-type", "bad-detail", "unknown-case"],
)
def test_a_bad_event_is_retried_then_dead_lettered_and_sends_nothing(world: World, body: str) -> None:
    sqs = world.client("sqs")
    sqs.send_message(QueueUrl=world.refs["NotificationQueue"], MessageBody=body)
    assert world.settle() == 0
    [dead] = world.dead_letters()
    assert dead["Body"] == body  # kept whole, for inspection and replay
    assert sent_emails() == []


def test_a_failed_send_is_retried_and_sent_once(world: World, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from eforms.aws.mail import SesMailer

    calls = {"n": 0}
    original = SesMailer.send

    def flaky(self: SesMailer, email: Any) -> None:
        calls["n"] += 1
        if email.kind == "receipt" and calls["n"] == 1:
            raise ConnectionError("SES throttled")
        original(self, email)

    monkeypatch.setattr(SesMailer, "send", flaky)
    case_id = api.submit(LEAVE).json()["caseId"]
    emails_for(case_id, "receipt")
    world.settle()
    assert len([m for m in sent_emails() if m.case_id == case_id and m.kind == "receipt"]) == 1
    assert world.dead_letters() == []


# ---------------------------------------------------------------------------------------------------------
# Sending the PDF to an administrator, and finding the team's signed cases


def _approved(api: Api, data: dict[str, Any] | None = None, *, as_: str = "anna") -> str:
    case_id = str(api.submit(data or LEAVE, as_=as_).json()["caseId"])
    _approve(api, case_id)
    wait_for(api, case_id, "at_payroll", as_=as_)
    return case_id


def test_a_manager_sends_the_pdf_to_an_administrator_who_may_then_download_it(api: Api) -> None:
    case_id = _approved(api)
    assert api.call("GET", f"/cases/{case_id}/pdf", as_="ada").status == 404
    reply = api.call("POST", f"/cases/{case_id}/pdf/recipients", as_="maria", json_body={"administratorId": "ada"})
    assert reply.status == 200, reply.text
    assert reply.json()["history"][-1]["action"] == "pdf_shared"
    [email] = emails_for(case_id, "pdf-shared")
    assert email.to == ["asa.admin@example.se"]
    assert f"{BASE_URL}/cases/{case_id}/pdf" in email.text
    assert api.call("GET", f"/cases/{case_id}/pdf", as_="ada").status == 200
    assert api.call("GET", f"/cases/{case_id}", as_="ada").status == 200


@pytest.mark.parametrize(
    ("persona", "body", "status", "code"),
    [
        ("anna", {"administratorId": "ada"}, 403, "forbidden"),  # the employee may see it, not send it on
        ("erik", {"administratorId": "ada"}, 404, "case_not_found"),
        ("maria", {"administratorId": "nobody"}, 422, "validation_failed"),
        ("maria", {"administratorId": ""}, 422, "validation_failed"),
        ("maria", {"administratorId": "ada", "cc": "x@y.se"}, 422, "validation_failed"),
        ("maria", ["ada"], 422, "validation_failed"),
    ],
)
def test_bad_shares_change_nothing(api: Api, persona: str, body: Any, status: int, code: str) -> None:
    case_id = _approved(api)
    before = api.call("GET", f"/cases/{case_id}").json()
    reply = api.call("POST", f"/cases/{case_id}/pdf/recipients", as_=persona, json_body=body)
    assert (reply.status, reply.json()["code"]) == (status, code)
    assert api.call("GET", f"/cases/{case_id}").json() == before


def test_no_pdf_no_share(api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    wait_for(api, case_id, "awaiting_approval")
    reply = api.call("POST", f"/cases/{case_id}/pdf/recipients", as_="maria", json_body={"administratorId": "ada"})
    assert (reply.status, reply.json()["code"]) == (409, "pdf_not_available")


def test_a_manager_searches_the_teams_signed_cases(api: Api) -> None:
    signed = _approved(api)
    _approved(api, as_="erik")
    pending = api.submit(LEAVE).json()["caseId"]
    wait_for(api, pending, "awaiting_approval")
    today = stockholm_date(utc_now()).isoformat()  # the search is in the users' calendar, not UTC

    def search(query: str) -> list[str]:
        reply = api.call("GET", "/cases", as_="maria", query=query)
        assert reply.status == 200, reply.text
        return [c["caseId"] for c in reply.json()["items"]]

    assert search(f"scope=team&signed=true&employee=anna&formId=leave-application&from={today}&to={today}") == [signed]
    assert pending in search("scope=team&employee=anna&signed=false")
    assert search("scope=team&signed=true&from=2020-01-01&to=2020-12-31") == []
    assert search("scope=team&formId=certificate-request") == []
    assert api.call("GET", "/cases", as_="anna", query="scope=team&signed=true").status == 403


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-02-02&to=2026-02-01", "to"),
        ("signed=yes", "signed"),
    ],
)
def test_bad_search_parameters_are_named(api: Api, query: str, parameter: str) -> None:
    reply = api.call("GET", "/cases", as_="maria", query=f"scope=team&{query}")
    assert (reply.status, reply.json()["code"]) == (400, "invalid_query")
    assert f"parameter {parameter}." in reply.json()["title"]


def test_a_digest_ses_refused_goes_out_with_the_next_run_once(world: World, api: Api) -> None:
    """SES failing at digest time: the run fails visibly (its error alarm), the slot is released, and the next
    run, 15 minutes on, sends it; a third run sends nothing."""
    first = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    second = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    wait_for(api, first, "at_payroll")
    wait_for(api, second, "at_payroll")
    world.settle()
    at = next_digest_time()
    with throttled("sesv2", "SendEmail", code="SendingPausedException"), pytest.raises(Exception, match="Sending"):
        run_desk_scheduler(world, at)
    assert [m for m in sent_emails() if m.kind == "payroll-digest"] == []
    assert run_desk_scheduler(world, at + timedelta(minutes=15))["digests"] == 1
    [digest] = [m for m in sent_emails() if m.kind == "payroll-digest"]
    assert first in digest.text
    assert second in digest.text
    assert digest.subject == "Nya ärenden hos Lönecentrum: 2"
    assert run_desk_scheduler(world, at + timedelta(minutes=30))["digests"] == 0


def test_a_hand_off_dynamodb_refused_to_collect_is_collected_once_on_the_retry(world: World, api: Api) -> None:
    """DynamoDB throttling the digest slot's update: the notifier's record fails, its ledger claim is released,
    the queue's retry collects the case, and the digest lists it once."""
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    with throttled("dynamodb", "UpdateItem", times=3) as refused:  # one call, botocore's three attempts
        world.settle()
    assert len(refused) == 3
    world.settle()
    digest = payroll_digest(world, case_id)
    case_number = api.call("GET", f"/cases/{case_id}", as_="pia").json()["caseNumber"]
    assert (digest.text.count(case_number), digest.text.count(case_id)) == (1, 1)  # its line and its link, once
