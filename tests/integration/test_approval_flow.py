"""The approval workflow end to end: real handlers, the real ASL under moto's Step Functions interpreter,
emails read back from moto's SES."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import pytest

from devstack.mailbox import sent_emails
from eforms import wiring
from tests.support.flows import FORM, emails_for, link_path, post_page, submit_and_get_link, wait_for
from tests.support.samples import CERTIFICATE, LEAVE, support_for
from tests.support.world import Api, World, settle


def test_return_for_correction_then_approve_walk(world: World, api: Api) -> None:
    """The issue's "done when": submit → email → GET (no change) → return dates → resubmit → new link → approve."""
    case_id, first_link = submit_and_get_link(api)
    [request] = emails_for(case_id, "approval-initial")
    assert request.to == ["maria.lind@example.se"]
    assert request.subject.startswith("Ledighetsansökan väntar på ditt beslut – Anna Andersson, 20")
    waiting = wait_for(api, case_id, "awaiting_approval")
    assert waiting["approver"] == {"id": "maria", "name": "Maria Lind"}

    page = api.call("GET", first_link, as_=None)
    assert page.status == 200
    assert "Ledighetsansökan från Anna Andersson" in page.text
    assert "Semester" in page.text  # the choice's title, not its code
    assert page.headers["referrer-policy"] == "no-referrer"
    for _ in range(3):  # mail scanners follow links: GET changes nothing
        api.call("GET", first_link, as_=None)
    assert api.call("GET", f"/cases/{case_id}").json()["version"] == waiting["version"]

    returned = post_page(
        api, first_link, decision="return", fields="/period", message="Perioden krockar med jouren.", lang="sv"
    )
    assert returned.status == 200
    assert "skickad tillbaka" in returned.text
    case = wait_for(api, case_id, "returned")
    assert case["correction"] == {
        "fields": ["/period"],
        "message": "Perioden krockar med jouren.",
        "requestedBy": {"id": "maria", "name": "Maria Lind"},
    }
    [notice] = emails_for(case_id, "decision-returned")
    assert notice.to == ["anna.andersson@example.se"]
    assert "Period" in notice.text
    assert "Perioden krockar med jouren." in notice.text

    new_dates = {**LEAVE, "period": {"from": "2027-01-04", "to": "2027-01-08"}}
    resubmitted = api.call(
        "POST", f"/cases/{case_id}/resubmission", json_body={"data": new_dates, "version": case["version"]}
    )
    assert resubmitted.status == 200
    second = emails_for(case_id, "approval-initial", count=2)[-1]
    second_link = link_path(second)
    assert second_link != first_link
    assert api.call("GET", first_link, as_=None).status == 410  # every earlier link is dead

    approved = post_page(api, second_link, decision="approve", message="", lang="sv")
    assert approved.status == 200
    final = wait_for(api, case_id, "at_payroll")
    assert final["data"]["period"] == {"from": "2027-01-04", "to": "2027-01-08"}
    steps = [(h["action"], h["actor"]["id"], h["channel"]) for h in final["history"]]
    assert steps == [
        ("submitted", "anna", "api"),
        ("approval_requested", "system", "workflow"),
        ("returned", "maria", "email-link"),
        ("resubmitted", "anna", "api"),
        ("approval_requested", "system", "workflow"),
        ("approved", "maria", "email-link"),
        ("handed_to_payroll", "system", "workflow"),
    ]
    assert final["history"][1]["details"] == {
        "approverId": "maria",
        "approverName": "Maria Lind",
        "reason": "manager",
        "step": 0,
    }
    emails_for(case_id, "decision-approved")
    assert api.call("GET", f"/cases/{case_id}", as_="pia").status == 200  # payroll now sees it


def test_reject_needs_a_reason_and_tells_the_employee(api: Api) -> None:
    case_id, link = submit_and_get_link(api)
    missing = post_page(api, link, decision="reject", message="  ", lang="en")
    assert missing.status == 422
    assert "Write a message to the employee." in missing.text
    assert 'role="alert"' in missing.text
    rejected = post_page(api, link, decision="reject", message="Semesterstopp i december.", lang="sv")
    assert rejected.status == 200
    case = wait_for(api, case_id, "rejected")
    assert case["history"][-1]["details"] == {"step": 0, "message": "Semesterstopp i december."}
    [notice] = emails_for(case_id, "decision-rejected")
    assert notice.subject.startswith("Ledighetsansökan: avslaget – Anna Andersson, 20")
    assert "Semesterstopp i december." in notice.text


def test_an_english_speaking_approver_gets_english(world: World, api: Api) -> None:
    world.update_employee("maria", language="en")
    case_id, _ = submit_and_get_link(api)
    [request] = emails_for(case_id, "approval-initial")
    assert request.language == "en"
    assert request.subject.startswith("Leave application awaits your decision – ")


def test_a_certificate_goes_straight_to_payroll(api: Api) -> None:
    case_id = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    case = wait_for(api, case_id, "at_payroll")
    assert [h["action"] for h in case["history"]] == ["submitted", "handed_to_payroll"]
    assert [m for m in sent_emails() if m.case_id == case_id and m.kind.startswith("approval")] == []


def test_the_substitute_decides_while_acting(world: World, api: Api) -> None:
    world.appoint_substitute("maria", "sven")
    case_id, _ = submit_and_get_link(api)
    [request] = emails_for(case_id, "approval-initial")
    assert request.to == ["sven.berg@example.se"]
    case = wait_for(api, case_id, "awaiting_approval")
    assert case["history"][1]["details"]["reason"] == "substitute"
    assert [c["caseId"] for c in api.call("GET", "/approvals", as_="sven").json()["items"]] == [case_id]
    assert api.call("GET", "/approvals", as_="maria").json()["items"] == []


def test_a_manager_filing_on_behalf_does_not_approve_it(world: World, api: Api) -> None:
    """A leave application filed by Maria for herself goes to her manager, not to Maria."""
    case_id, _ = submit_and_get_link(api, as_="maria")
    [request] = emails_for(case_id, "approval-initial")
    assert request.to == ["lars.holm@example.se"]
    assert wait_for(api, case_id, "awaiting_approval", as_="maria")["approver"]["id"] == "lars"


def test_on_behalf_support_cases_go_to_payroll_with_both_parties_recorded(api: Api) -> None:
    case_id = api.submit(support_for("anna"), form="payroll-support", as_="maria").json()["caseId"]
    case = wait_for(api, case_id, "at_payroll", as_="maria")
    assert (case["applicant"]["id"], case["subject"]["id"]) == ("maria", "anna")


def test_signed_in_manager_decides_through_the_api(api: Api) -> None:
    case_id, link = submit_and_get_link(api)
    case = wait_for(api, case_id, "awaiting_approval")
    [pending] = api.call("GET", "/approvals", as_="maria").json()["items"]
    assert pending["caseId"] == case_id
    assert (
        api.call(
            "POST",
            f"/cases/{case_id}/decision",
            as_="erik",
            json_body={"decision": "approve", "version": case["version"]},
        ).status
        == 404
    )
    own = api.call(
        "POST", f"/cases/{case_id}/decision", as_="anna", json_body={"decision": "approve", "version": case["version"]}
    )
    assert (own.status, own.json()["code"]) == (403, "not_the_approver")  # nobody approves their own case
    stale = api.call(
        "POST",
        f"/cases/{case_id}/decision",
        as_="maria",
        json_body={"decision": "approve", "version": case["version"] - 1},
    )
    assert (stale.status, stale.json()["code"]) == (409, "case_changed")
    decided = api.call(
        "POST", f"/cases/{case_id}/decision", as_="maria", json_body={"decision": "approve", "version": case["version"]}
    )
    assert decided.status == 200
    assert decided.json()["history"][-1]["channel"] == "api"
    wait_for(api, case_id, "at_payroll")
    assert api.call("GET", link, as_=None).status == 410  # the emailed link died with the decision
    again = api.call(
        "POST",
        f"/cases/{case_id}/decision",
        as_="maria",
        json_body={"decision": "reject", "message": "x", "version": case["version"] + 1},
    )
    assert (again.status, again.json()["code"]) == (409, "case_not_awaiting_decision")  # the case moved on


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"decision": "return", "message": "Fel", "fields": ["/leaveType", "/salary"], "version": 0},
            [("/fields/1", "field_not_correctable")],
        ),
        ({"decision": "return", "message": "Fel", "fields": [], "version": 0}, [("/fields", "fields_required")]),
        ({"decision": "reject", "version": 0}, [("/message", "message_required")]),
        ({"decision": "approve", "message": "x" * 2001, "version": 0}, [("/message", "too_long")]),
        ({"decision": "maybe", "version": 0}, [("/decision", "invalid_choice")]),
        ({"decision": "approve"}, [("/version", "required")]),
        ({"decision": "approve", "version": 0, "fields": ["/period"]}, [("/fields", "not_allowed")]),
        ({"decision": "approve", "version": 0, "approverId": "lars"}, [("/approverId", "unknown_field")]),
    ],
)
def test_bad_decisions_change_nothing(api: Api, body: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    case_id, _ = submit_and_get_link(api)
    case = wait_for(api, case_id, "awaiting_approval")
    if body.get("version") == 0:
        body = {**body, "version": case["version"]}
    reply = api.call("POST", f"/cases/{case_id}/decision", as_="maria", json_body=body)
    assert (reply.status, reply.codes) == (422, expected)
    assert api.call("GET", f"/cases/{case_id}").json() == case


def test_bad_links(world: World, api: Api) -> None:
    case_id, link = submit_and_get_link(api)
    token = link.rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for path, status in [
        (f"/decisions/{tampered}", 404),
        (f"/decisions/{token[:-3]}", 404),  # truncated
        (f"/decisions/{token}xyz", 404),  # padded
        ("/decisions/%3Cscript%3E", 404),
    ]:
        reply = api.call("GET", path, as_=None)
        assert reply.status == status, path
        assert "Länken är ogiltig" in reply.text
        assert post_page(api, path, decision="approve").status == status
    assert post_page(api, link, decision="approve").status == 200
    used = api.call("GET", link, as_=None)
    assert (used.status, "redan använts" in used.text) == (410, True)
    assert post_page(api, link, decision="reject", message="igen").status == 410
    wait_for(api, case_id, "at_payroll")


def test_an_expired_link_says_so(world: World, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id, link = submit_and_get_link(api)
    wait_for(api, case_id, "awaiting_approval")
    later = wiring.now() + timedelta(days=15)
    wiring.use_clock(lambda: later)  # the one clock seam: every service reads it
    expired = api.call("GET", link, as_=None, headers={"accept-language": "en"})
    assert (expired.status, "This link has expired" in expired.text) == (410, True)
    assert post_page(api, link, decision="approve").status == 410
    assert api.call("GET", f"/cases/{case_id}").json()["status"] == "awaiting_approval"


def test_a_malformed_page_post_is_a_page_not_a_crash(api: Api) -> None:
    _, link = submit_and_get_link(api)
    assert (
        api.call(
            "POST", link, as_=None, body='{"decision":"approve"}', headers={"content-type": "application/json"}
        ).status
        == 415
    )
    assert api.call("POST", link, as_=None, body="decision=approve&" + "x=1&" * 60, headers=FORM).status == 400
    assert api.call("POST", link, as_=None, body="m=" + "x" * 70_000, headers=FORM).status == 413


def test_resubmission_may_change_only_the_reopened_fields(api: Api) -> None:
    case_id, link = submit_and_get_link(api)
    post_page(api, link, decision="return", fields=["/period"], message="Ändra datumen.")
    case = wait_for(api, case_id, "returned")
    touched = {**LEAVE, "period": {"from": "2027-01-04", "to": "2027-01-08"}, "extentPercent": 50, "comment": "ny"}
    reply = api.call("POST", f"/cases/{case_id}/resubmission", json_body={"data": touched, "version": case["version"]})
    assert (reply.status, reply.codes) == (
        422,
        [("/data/comment", "field_locked"), ("/data/extentPercent", "field_locked")],
    )
    bad_dates = {**LEAVE, "period": {"from": "2027-01-08", "to": "2027-01-04"}}
    reply = api.call(
        "POST", f"/cases/{case_id}/resubmission", json_body={"data": bad_dates, "version": case["version"]}
    )
    assert reply.codes == [("/data/period/to", "date_order")]  # validated again as a whole
    assert (
        api.call("POST", f"/cases/{case_id}/resubmission", as_="erik", json_body={"data": LEAVE, "version": 1}).status
        == 404
    )
    maria = api.call(
        "POST", f"/cases/{case_id}/resubmission", as_="maria", json_body={"data": LEAVE, "version": case["version"]}
    )
    assert maria.status == 404  # the manager sees the case but is not its applicant: not even a hint
    stale = api.call(
        "POST", f"/cases/{case_id}/resubmission", json_body={"data": LEAVE, "version": case["version"] - 1}
    )
    assert (stale.status, stale.json()["code"]) == (409, "case_changed")
    assert api.call("GET", f"/cases/{case_id}").json() == case  # none of it changed anything


def test_resubmitting_a_case_that_was_not_returned_is_a_conflict(api: Api) -> None:
    case_id, _ = submit_and_get_link(api)
    case = wait_for(api, case_id, "awaiting_approval")
    reply = api.call("POST", f"/cases/{case_id}/resubmission", json_body={"data": LEAVE, "version": case["version"]})
    assert (reply.status, reply.json()["code"]) == (409, "case_not_returned")


def test_two_decisions_at_once_exactly_one_wins(api: Api) -> None:
    """Double click, two tabs, link and API: whatever arrives together, one decision takes effect."""
    case_id, link = submit_and_get_link(api)
    case = wait_for(api, case_id, "awaiting_approval")
    barrier = threading.Barrier(4)
    results: list[int] = []

    def by_link(decision: str, message: str) -> None:
        barrier.wait()
        results.append(post_page(api, link, decision=decision, message=message).status)

    def by_api() -> None:
        barrier.wait()
        results.append(
            api.call(
                "POST",
                f"/cases/{case_id}/decision",
                as_="maria",
                json_body={"decision": "reject", "message": "Nej", "version": case["version"]},
            ).status
        )

    threads = [
        threading.Thread(target=by_link, args=("approve", "")),
        threading.Thread(target=by_link, args=("approve", "")),
        threading.Thread(target=by_link, args=("reject", "Nej")),
        threading.Thread(target=by_api),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count(200) == 1, results
    assert all(status in (200, 409, 410) for status in results), results
    settle()
    final = api.call("GET", f"/cases/{case_id}").json()
    decisions = [h for h in final["history"] if h["action"] in ("approved", "rejected")]
    assert len(decisions) == 1
    emails_for(case_id, f"decision-{decisions[0]['action']}")
    settle()
    emails = [m for m in sent_emails() if m.case_id == case_id and m.kind.startswith("decision")]
    assert len(emails) == 1  # one decision, one email


#: The test template's timers (tests/support/world.py): remind after 600 s, escalate 600 s later, expire 600 s later.
TIMER_STEP = 600


def test_reminder_then_escalation_then_expiry(world: World, api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    world.advance(TIMER_STEP - 1)
    assert not [m for m in sent_emails() if m.kind == "approval-reminder"]  # not a second early
    world.advance(1)
    [reminder] = emails_for(case_id, "approval-reminder")
    assert reminder.to == ["maria.lind@example.se"]
    world.advance(TIMER_STEP)
    [escalation] = emails_for(case_id, "approval-escalation")
    assert escalation.to == ["lars.holm@example.se"]  # Maria's manager
    world.advance(TIMER_STEP)
    case = wait_for(api, case_id, "expired")
    actions = [h["action"] for h in case["history"]]
    assert actions == ["submitted", "approval_requested", "reminder_sent", "escalated", "expired"]
    assert case["history"][3]["details"]["reason"] == "escalation"
    [notice] = emails_for(case_id, "expired")
    assert notice.to == ["anna.andersson@example.se"]
    initial = link_path(emails_for(case_id, "approval-initial")[0])
    assert api.call("GET", initial, as_=None).status == 410
    # The escalation and the expiry each count one overdue approval for the ApprovalsOverdue alarm (EMF).
    overdue = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and '"ApprovalsOverdue"' in line
    ]
    assert [(m["service"], m["ApprovalsOverdue"]) for m in overdue] == [("eforms", [1.0]), ("eforms", [1.0])]
    assert overdue[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "EForms"  # what the alarm watches


def test_escalated_approver_can_decide_and_the_reminded_link_is_dead(world: World, api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    world.advance(TIMER_STEP)
    [reminder] = emails_for(case_id, "approval-reminder")
    world.advance(TIMER_STEP)
    [escalation] = emails_for(case_id, "approval-escalation")
    wait_for(api, case_id, "awaiting_approval")
    superseded = api.call("GET", link_path(reminder), as_=None)
    assert (superseded.status, "ersatts" in superseded.text) == (410, True)
    assert post_page(api, link_path(escalation), decision="approve").status == 200
    case = wait_for(api, case_id, "at_payroll")
    assert case["history"][-2]["actor"]["id"] == "lars"
