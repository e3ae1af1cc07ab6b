"""What happens next, as the server tells it (issue 29, docs/self-service.md §3): who decides, by when payroll
answers, which pay the case reaches; statuses that say the outcome; the "Att göra" marker."""

from __future__ import annotations

from typing import Any

from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import Api


def _listed(api: Api, case_id: str, as_: str = "anna") -> dict[str, Any]:
    [row] = [c for c in api.call("GET", "/cases", as_=as_).json()["items"] if c["caseId"] == case_id]
    found: dict[str, Any] = row
    return found


def test_right_after_filing_the_receipt_names_who_decides_and_which_pay_it_reaches(api: Api) -> None:
    created = api.submit(LEAVE)
    assert created.status == 201
    case = api.call("GET", f"/cases/{created.json()['caseId']}").json()  # before the workflow has asked anyone
    assert case["caseNumber"]
    nxt = case["next"]
    assert (nxt["waitingOn"], nxt["who"], nxt["answerBy"]) == ("approver", "Maria Lind", None)
    assert nxt["workingDays"] == 1  # the leave form's promise, counted once payroll has it
    assert nxt["payPeriod"] >= LEAVE["period"]["from"][:7]  # never a pay before the month the leave is in
    assert nxt["sendBy"] is not None
    asked = wait_for(api, case["caseId"], "awaiting_approval")
    assert (asked["next"]["waitingOn"], asked["next"]["who"]) == ("approver", "Maria Lind")
    assert (asked["approved"], asked["awaitsYou"]) == (False, False)


def test_approved_reads_as_approved_at_payroll_with_payrolls_due_date(api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="approve").status == 200
    case = wait_for(api, case_id, "at_payroll")
    assert case["approved"] is True
    assert _listed(api, case_id)["approved"] is True  # the list says it too, from the index alone
    assert case["next"] == {
        "waitingOn": "payroll",
        "who": None,
        "answerBy": case["payroll"]["dueDate"],
        "workingDays": None,
        "payPeriod": case["payroll"]["payPeriod"],
        "sendBy": case["next"]["sendBy"],
    }


def test_a_question_straight_to_payroll_is_not_approved_just_at_payroll(api: Api) -> None:
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    case = wait_for(api, case_id, "at_payroll")
    assert case["approved"] is False
    assert case["next"]["waitingOn"] == "payroll"
    assert _listed(api, case_id)["approved"] is False


def test_a_correction_waits_on_the_sender_and_says_so_to_them_alone(api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    returned = post_page(api, link_path(request), decision="return", fields="/period", message="Fel vecka.")
    assert returned.status == 200
    mine = wait_for(api, case_id, "returned")
    assert (mine["awaitsYou"], mine["next"]["waitingOn"]) == (True, "you")
    assert _listed(api, case_id)["awaitsYou"] is True
    managers = api.call("GET", f"/cases/{case_id}", as_="maria").json()
    assert (managers["awaitsYou"], managers["next"]["waitingOn"]) == (False, "sender")


def test_a_rejected_case_waits_on_nobody(api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="reject", message="Inte nu.").status == 200
    case = wait_for(api, case_id, "rejected")
    assert case["next"]["waitingOn"] == "nobody"
    assert (case["approved"], case["awaitsYou"]) == (False, False)
