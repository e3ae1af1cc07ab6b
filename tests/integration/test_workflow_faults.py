"""The approval workflow when AWS fails (docs/resilience.md §3), through the real state machine in moto:
faults injected at the botocore layer, time simulated (the harness records the state machine's retry
intervals instead of sleeping them, and skips botocore's backoff), and the invariants checked — the case
consistent, every notice sent exactly once, the failure on record and visible."""

from __future__ import annotations

from typing import Any

import boto3

from devstack.mailbox import sent_emails
from eforms import wiring
from eforms.core.common.clock import stockholm_date
from ops.resume_case import resume
from tests.support.examples import examples
from tests.support.faults import reply_lost, throttled
from tests.support.flows import emails_for, link_path, payroll_digest, post_page, wait_for
from tests.support.samples import LEAVE
from tests.support.world import PAYROLL_MAILBOX, Api, World


def _history(api: Api, case_id: str) -> list[str]:
    return [h["action"] for h in api.call("GET", f"/cases/{case_id}").json()["history"]]


def _approval_emails(case_id: str) -> list[Any]:
    return [m for m in sent_emails() if m.case_id == case_id and m.kind == "approval-initial"]


def _approved_once_by_its_link(api: Api, world: World, case_id: str) -> None:
    """The one approval request sent is the live one: deciding by it reaches payroll, and nobody was asked
    or told twice."""
    [request] = _approval_emails(case_id)
    assert post_page(api, link_path(request), decision="approve").status == 200
    wait_for(api, case_id, "at_payroll")
    world.settle()
    assert len(_approval_emails(case_id)) == 1
    assert len(emails_for(case_id, "decision-approved")) == 1


def test_ses_throttled_while_asking_for_the_decision_is_retried_and_the_request_sent_once(
    api: Api, world: World
) -> None:
    waited = world.stepper.retry_waits
    with throttled("sesv2", "SendEmail", times=4) as refused:
        case_id = api.submit(LEAVE).json()["caseId"]
        world.run_workflows()
        assert len(_approval_emails(case_id)) == 1
    assert len(refused) == 4
    assert waited  # the step was retried by the state machine, on its own schedule
    assert _history(api, case_id).count("approval_requested") == 1  # a retry writes no new entry
    _approved_once_by_its_link(api, world, case_id)


def test_an_approval_request_whose_reply_was_lost_is_mailed_again_with_the_same_working_link(
    api: Api, world: World
) -> None:
    """SES sent the email, but its answer never came: the step cannot know, and the workflow retries it. The
    retry writes nothing and mails the same link (issue 26, item 8) — before, a second request with a new link
    went out and the first email's link answered 410."""
    with reply_lost("sesv2", "SendEmail") as lost:
        case_id = api.submit(LEAVE).json()["caseId"]
        world.run_workflows()
    assert lost == ["SendEmail"]
    first, again = _approval_emails(case_id)  # the one SES sent, and the retry's: nothing tells them apart
    assert link_path(first) == link_path(again)
    assert _history(api, case_id).count("approval_requested") == 1
    assert post_page(api, link_path(first), decision="approve").status == 200
    wait_for(api, case_id, "at_payroll")
    world.settle()
    assert len(_approval_emails(case_id)) == 2
    assert len(emails_for(case_id, "decision-approved")) == 1


def test_a_team_step_retried_after_an_outage_emails_each_member_once(api: Api, world: World) -> None:
    """A team's requests go out one by one: when SES fails halfway, the retry mails only those not yet
    mailed — the ledger of sends, not luck, keeps anyone from getting two."""
    world.update_employee("erik", team="specialist-support")  # a second member of the team
    data = examples("access-request", stockholm_date(wiring.now()))["valid"][0]
    filed = api.call("POST", "/cases", json_body={"formId": "access-request", "data": data})
    assert filed.status == 201, filed.text
    case_id = filed.json()["caseId"]
    world.run_workflows()
    [to_maria] = _approval_emails(case_id)
    with throttled("sesv2", "SendEmail", times=1, after=1) as refused:  # the first member's goes, then SES fails
        assert post_page(api, link_path(to_maria), decision="approve").status == 200
        world.run_workflows()
    assert refused == ["SendEmail"]
    team = [m for m in _approval_emails(case_id) if m.to != ["maria.lind@example.se"]]
    assert sorted(m.to[0] for m in team) == ["erik.oberg@example.se", "sara.ek@example.se"]
    assert _history(api, case_id).count("approval_requested") == 2  # the manager's step and the team's


def test_an_ses_outage_outlasting_every_retry_stalls_visibly_and_one_command_resumes_it(api: Api, world: World) -> None:
    waited = world.stepper.retry_waits
    with throttled("sesv2", "SendEmail", code="SendingPausedException") as refused:
        case_id = api.submit(LEAVE).json()["caseId"]
        world.run_workflows()
        assert "workflow_stalled" in _history(api, case_id)
    assert len(refused) == 11  # the first try and ten retries, one call each (boto does not retry a pause)
    assert _history(api, case_id).count("approval_requested") == 1  # not 11: the retries wrote nothing
    assert sum(waited) >= 20 * 60  # minutes of retrying, not milliseconds
    case = api.call("GET", f"/cases/{case_id}").json()
    stalled = case["history"][-1]
    assert (stalled["action"], stalled["details"]) == ("workflow_stalled", {"error": "Transient"})
    assert case["status"] == "awaiting_approval"  # consistent: as it was when the step failed
    sfn = boto3.client("stepfunctions")
    machine = world.refs["ApprovalStateMachine"]
    failed = sfn.list_executions(stateMachineArn=machine, statusFilter="FAILED")["executions"]
    assert [e["name"] for e in failed] == [case_id]  # what ApprovalExecutionsFailed alarms on
    assert _approval_emails(case_id) == []

    # SES sends again: ops resume the case with one command; the request goes out once, and it decides.
    resume(case_id, state_machine=machine)
    world.settle()
    assert len(_approval_emails(case_id)) == 1
    _approved_once_by_its_link(api, world, case_id)


def test_a_pdf_that_cannot_be_made_does_not_hold_back_the_approval_and_is_made_later(api: Api, world: World) -> None:
    """S3 failing at the PDF step: the case still reaches payroll, the employee is told of the approval at once
    (without the PDF), and the PDF is made on a later, hourly try — its link sent in a second email."""
    hour = world.stepper.hold_retries(3600)
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    with throttled("s3", "PutObject"):
        assert post_page(api, link_path(request), decision="approve").status == 200
        world.run_workflows()
        assert 3600 in world.stepper.retry_waits  # every quick try failed; the hourly one waits for its hour
        case = wait_for(api, case_id, "at_payroll")
        assert case["hasPdf"] is False
    handed = next(h for h in case["history"] if h["action"] == "handed_to_payroll")
    assert handed["details"].get("pdfPending") is True
    world.settle()
    [told] = emails_for(case_id, "decision-approved")  # the approval, at once, without the PDF
    assert f"/cases/{case_id}/pdf" not in told.text
    hour.release()  # an hour on, S3 answers again
    world.run_workflows()
    assert api.call("GET", f"/cases/{case_id}").json()["hasPdf"] is True
    world.settle()
    approved = emails_for(case_id, "decision-approved", count=2)
    assert len(approved) == 2  # told at the hand-off, then again with the PDF's link
    assert len([m for m in approved if f"/cases/{case_id}/pdf" in m.text]) == 1
    assert api.call("GET", f"/cases/{case_id}/pdf").status == 200
    assert payroll_digest(world, case_id).to == [PAYROLL_MAILBOX]  # listed once in payroll's next digest
