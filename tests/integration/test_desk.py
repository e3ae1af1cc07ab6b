"""The payroll desk through the real handlers and moto: queue, claims, messages, completion, registration,
four-eyes, closing and withdrawal — and every refusal a person could run into."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devstack import lambdas
from devstack.template import load
from eforms import wiring
from tests.support.flows import emails_for, submit_and_get_link, wait_for
from tests.support.samples import CERTIFICATE, LEAVE, SUPPORT
from tests.support.world import Api, Reply, World


def _at_payroll(api: Api, data: dict[str, Any] | None = None, form: str = "payroll-support") -> dict[str, Any]:
    case_id = api.submit(data or SUPPORT, form=form).json()["caseId"]
    return wait_for(api, case_id, "at_payroll")


def _do(api: Api, case: dict[str, Any], action: str, as_: str, **body: Any) -> Reply:
    return api.call(
        "POST", f"/cases/{case['caseId']}/{action}", as_=as_, json_body={"version": case["version"], **body}
    )


def _execution_status(world: World, case_id: str) -> str:
    """The status of the case's workflow execution once everything due has run."""
    world.settle()
    sfn = world.client("stepfunctions")
    [machine] = sfn.list_state_machines()["stateMachines"]
    executions = sfn.list_executions(stateMachineArn=machine["stateMachineArn"])["executions"]
    return str(next(e["status"] for e in executions if e["name"] == case_id))


def _queue(api: Api, query: str = "", as_: str = "pia") -> list[dict[str, Any]]:
    reply = api.call("GET", "/desk/cases", as_=as_, query=query)
    assert reply.status == 200, reply.text
    items: list[dict[str, Any]] = reply.json()["items"]
    return items


def test_support_case_walk_from_queue_to_four_eyes(api: Api) -> None:
    """anna files → pia claims and asks → anna answers → pia registers → per checks → completed."""
    case = _at_payroll(api)
    [row] = [r for r in _queue(api) if r["caseId"] == case["caseId"]]
    assert row["payroll"]["sla"] in ("on_time", "due_today")
    assert row["payroll"]["assignee"] is None

    claimed = _do(api, case, "claim", "pia")
    assert claimed.status == 200, claimed.text
    case = claimed.json()
    assert case["payroll"]["assignee"] == {"id": "pia", "name": "Pia Nilsson"}
    assert [r["caseId"] for r in _queue(api, "assignee=me")] == [case["caseId"]]
    assert _queue(api, "assignee=me", as_="per") == []

    asked = api.call(
        "POST", f"/cases/{case['caseId']}/messages", as_="pia", json_body={"text": "Vilket år gäller det?"}
    )
    assert asked.status == 201, asked.text
    thread = api.call("GET", f"/cases/{case['caseId']}/messages", as_="anna").json()
    assert [(m["side"], m["text"], m["unread"]) for m in thread["items"]] == [
        ("payroll", "Vilket år gäller det?", True)
    ]
    api.call("POST", f"/cases/{case['caseId']}/messages/read", as_="anna", json_body={})
    assert api.call("GET", f"/cases/{case['caseId']}/messages", as_="anna").json()["items"][0]["unread"] is False
    case = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    assert (case["payroll"]["waiting"], case["payroll"]["sla"]) == ("sender", "met")  # a message is feedback

    answered = api.call("POST", f"/cases/{case['caseId']}/messages", as_="anna", json_body={"text": "2027."})
    assert answered.status == 201
    assert [r["payroll"]["waiting"] for r in _queue(api) if r["caseId"] == case["caseId"]] == ["payroll"]

    case = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    registered = _do(api, case, "registration", "pia", reference="HR-2027-0042", payPeriod="2026-12", note="Jämkning")
    assert registered.status == 200, registered.text
    case = registered.json()
    assert case["status"] == "registered"
    refused = _do(api, case, "registration/check", "pia", outcome="approve")
    assert (refused.status, refused.json()["code"]) == (403, "four_eyes_same_officer")
    checked = _do(api, case, "registration/check", "per", outcome="approve")
    assert checked.status == 200, checked.text
    final = api.call("GET", f"/cases/{case['caseId']}", as_="anna").json()
    assert final["status"] == "completed"
    actions = [h["action"] for h in final["history"]]
    assert actions[actions.index("handed_to_payroll") :] == [
        "handed_to_payroll",
        "claimed",
        "message_from_payroll",
        "message_from_sender",
        "registered",
        "registration_approved",
    ]
    assert case["caseId"] not in [r["caseId"] for r in _queue(api)]  # finished work leaves the queue
    assert case["caseId"] in [r["caseId"] for r in _queue(api, "status=completed")]


def test_a_returned_registration_goes_back_to_the_registering_officer(api: Api) -> None:
    case = _at_payroll(api)
    case = _do(api, case, "registration", "per", reference="X1", payPeriod="2026-12").json()
    returned = _do(api, case, "registration/check", "pia", outcome="return", note="Fel period.")
    assert returned.status == 200
    case = returned.json()
    assert case["status"] == "at_payroll"
    assert case["history"][-1]["details"] == {"registeredBy": "per", "note": "Fel period."}
    case = _do(api, case, "registration", "per", reference="X2", payPeriod="2027-01").json()
    assert _do(api, case, "registration/check", "per", outcome="approve").status == 403  # still not per
    assert _do(api, case, "registration/check", "pia", outcome="approve").json()["status"] == "completed"


def test_completion_pauses_the_clock_and_the_answer_corrects_only_the_reopened_fields(api: Api) -> None:
    case = _at_payroll(api)
    asked = _do(api, case, "completion-request", "pia", message="Ange löneperiod.", fields=["/payPeriod"])
    assert asked.status == 200, asked.text
    case = asked.json()
    assert (case["status"], case["payroll"]["sla"]) == ("awaiting_completion", "paused")
    assert case["correction"]["fields"] == ["/payPeriod"]
    locked = _do(api, case, "completion", "anna", data={**SUPPORT, "heading": "Annat"})
    assert ("/data/heading", "field_locked") in locked.codes
    done = _do(api, case, "completion", "anna", data={**SUPPORT, "payPeriod": "2026-11"}, message="Här.")
    assert done.status == 200, done.text
    case = done.json()
    assert (case["status"], case["correction"], case["data"]["payPeriod"]) == ("at_payroll", None, "2026-11")
    assert case["payroll"]["sla"] == "met"  # the request was feedback within the day
    assert case["history"][-1]["details"] == {"changedFields": ["/payPeriod"]}
    thread = api.call("GET", f"/cases/{case['caseId']}/messages", as_="pia").json()["items"]
    assert [(m["side"], m["text"]) for m in thread] == [("payroll", "Ange löneperiod."), ("sender", "Här.")]


def test_closing_outcomes_fit_the_form(api: Api) -> None:
    case = _at_payroll(api)
    wrong = _do(api, case, "closure", "pia", outcome="delivered")
    assert ("/outcome", "outcome_not_for_form") in wrong.codes
    needs_message = _do(api, case, "closure", "pia", outcome="dismissed")
    assert ("/message", "required") in needs_message.codes
    resolved = _do(api, case, "closure", "pia", outcome="resolved", message="Jämkningen är inlagd.")
    assert resolved.json()["status"] == "completed"
    certificate = _at_payroll(api, CERTIFICATE, form="certificate-request")
    missing = _do(api, certificate, "closure", "pia", outcome="delivered")
    assert (missing.status, missing.json()["code"]) == (409, "certificate_missing")  # digital: upload first
    address = {"name": "Anna Andersson", "street": "Storgatan 1", "postalCode": "111 22", "city": "Stockholm"}
    by_post = _at_payroll(api, {**CERTIFICATE, "delivery": "post", "postalAddress": address}, "certificate-request")
    assert _do(api, by_post, "closure", "pia", outcome="delivered").json()["status"] == "completed"


def test_the_employee_withdraws_before_registration_and_the_approval_workflow_ends(api: Api, world: World) -> None:
    case_id, link = submit_and_get_link(api)
    case = wait_for(api, case_id, "awaiting_approval")
    withdrawn = _do(api, case, "withdrawal", "anna", message="Planerna ändrades.")
    assert withdrawn.status == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert api.call("GET", link, as_=None).status == 410  # the manager's link is dead
    assert _execution_status(world, case_id) == "SUCCEEDED"  # told, the workflow ends at Closed

    support = _at_payroll(api)
    support = _do(api, support, "registration", "pia", reference="R1", payPeriod="2026-12").json()
    late = _do(api, support, "withdrawal", "anna")
    assert (late.status, late.json()["code"], late.json()["params"]) == (
        409,
        "action_not_allowed",
        {"status": "registered"},
    )


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("claim", {}),
        ("completion-request", {"message": "x"}),
        ("registration", {"reference": "R", "payPeriod": "2026-12"}),
        ("registration/check", {"outcome": "approve"}),
        ("closure", {"outcome": "resolved", "message": "x"}),
    ],
)
def test_payroll_actions_are_404_for_everyone_else_whatever_the_body(api: Api, action: str, body: Any) -> None:
    case = _at_payroll(api)
    for persona in ("anna", "maria", "erik"):
        for payload in ({"version": case["version"], **body}, {"junk": True}):
            reply = api.call("POST", f"/cases/{case['caseId']}/{action}", as_=persona, json_body=payload)
            assert (reply.status, reply.json()["code"]) == (404, "case_not_found"), (persona, reply.text)


def test_the_queue_and_messages_are_payrolls_and_the_senders_only(api: Api) -> None:
    case = _at_payroll(api)
    assert api.call("GET", "/desk/cases", as_="anna").status == 404
    assert api.call("GET", "/desk/officers", as_="maria").status == 404
    assert api.call("GET", f"/cases/{case['caseId']}/messages", as_="erik").status == 404
    assert api.call("POST", f"/cases/{case['caseId']}/messages", as_="erik", body="not json").status == 404
    officers = api.call("GET", "/desk/officers", as_="pia").json()["items"]
    assert officers == [{"id": "per", "name": "Per Dahl"}, {"id": "pia", "name": "Pia Nilsson"}]


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "required"), ("   ", "required"), ("x" * 4001, "too_long"), ("hej\x00då", "control_characters")],
)
def test_bad_messages_are_422_and_store_nothing(api: Api, text: str, code: str) -> None:
    case = _at_payroll(api)
    reply = api.call("POST", f"/cases/{case['caseId']}/messages", as_="anna", json_body={"text": text})
    assert reply.status == 422
    assert reply.codes == [("/text", code)]
    assert api.call("GET", f"/cases/{case['caseId']}/messages", as_="anna").json()["items"] == []
    assert api.call("GET", f"/cases/{case['caseId']}", as_="anna").json()["version"] == case["version"]


def test_stale_versions_wrong_states_and_bad_assignees(api: Api) -> None:
    case = _at_payroll(api)
    assert _do(api, case, "claim", "pia").status == 200
    stale = _do(api, case, "claim", "per")
    assert (stale.status, stale.json()["code"]) == (409, "case_changed")
    fresh = api.call("GET", f"/cases/{case['caseId']}", as_="per").json()
    not_officer = _do(api, fresh, "claim", "per", assigneeId="anna")
    assert ("/assigneeId", "not_a_payroll_officer") in not_officer.codes
    assigned = _do(api, fresh, "claim", "per", assigneeId="pia")
    assert assigned.json()["history"][-1]["details"] == {"assigneeId": "pia", "previousAssigneeId": "pia"}
    assert assigned.json()["history"][-1]["action"] == "assigned"
    wrong = _do(api, assigned.json(), "registration/check", "per", outcome="approve")
    assert (wrong.status, wrong.json()["params"]) == (409, {"status": "at_payroll"})
    leave = wait_for(api, submit_and_get_link(api, LEAVE)[0], "awaiting_approval")
    early = _do(api, leave, "claim", "pia")
    assert early.status == 404  # payroll cannot see a case before it reaches payroll


def test_concurrent_claims_and_checks_exactly_one_wins(api: Api) -> None:
    case = _at_payroll(api)
    results: list[int] = []

    def claim(who: str) -> None:
        results.append(_do(api, case, "claim", who).status)

    threads = [threading.Thread(target=claim, args=(who,)) for who in ("pia", "per")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]

    case = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    case = _do(api, case, "registration", "pia", reference="R9", payPeriod="2026-12").json()
    outcomes: list[int] = []

    def check(outcome: str) -> None:
        outcomes.append(_do(api, case, "registration/check", "per", outcome=outcome, note="n").status)

    threads = [threading.Thread(target=check, args=(o,)) for o in ("approve", "return")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [200, 409]


def test_emails_announce_desk_steps_without_their_content(api: Api) -> None:
    case = _at_payroll(api)
    secret = "Din skattetabell är 33"
    api.call("POST", f"/cases/{case['caseId']}/messages", as_="pia", json_body={"text": secret})
    [to_anna] = emails_for(case["caseId"], "message-waiting")
    assert to_anna.to == ["anna.andersson@example.se"]
    assert secret not in to_anna.text
    assert secret not in to_anna.html
    assert f"/cases/{case['caseId']}" in to_anna.text
    case = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    _do(api, case, "claim", "pia")
    api.call("POST", f"/cases/{case['caseId']}/messages", as_="anna", json_body={"text": "Tack"})
    to_pia = emails_for(case["caseId"], "message-waiting", count=2)[-1]
    assert to_pia.to == ["pia.nilsson@example.se"]  # the officer who has the case, not the team mailbox
    case = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    _do(api, case, "closure", "pia", outcome="resolved", message="Klart.")
    [done] = emails_for(case["caseId"], "case-completed")
    assert done.to == ["anna.andersson@example.se"]


PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _upload(
    api: Api, case: dict[str, Any], data: bytes, *, as_: str = "pia", content_type: str = "application/pdf"
) -> Reply:
    return api.call(
        "PUT",
        f"/cases/{case['caseId']}/certificate",
        as_=as_,
        body=data,
        headers={"content-type": content_type},
        query=f"version={case['version']}",
    )


def test_certificate_walk_ends_with_the_employee_downloading_it(api: Api, world: World) -> None:
    """Upload, then a preview naming the recipient, then send (issue 26, item 4): an upload sends nothing."""
    case = _at_payroll(api, CERTIFICATE, form="certificate-request")
    assert case["payroll"]["dueDate"] > case["payroll"]["receivedAt"][:10]  # five working days
    wrong_file = PDF.replace(b"Catalog", b"Catalog /Lang (sv)")  # say, another person's document
    uploaded = _upload(api, case, wrong_file)
    assert uploaded.status == 200, uploaded.text
    kept = uploaded.json()
    assert (kept["status"], kept["payroll"]["certificate"]["deliveredAt"]) == ("at_payroll", None)
    assert kept["payroll"]["certificate"]["recipients"] == [{"id": "anna", "name": "Anna Andersson"}]
    assert kept["payroll"]["sla"] == "on_time"  # nothing delivered yet: the promise is not kept by an upload
    assert emails_for(case["caseId"], "certificate-ready", count=0) == []
    # Payroll opens it to check; the employee cannot see it yet.
    assert api.call("GET", f"/cases/{case['caseId']}/certificate", as_="pia").status == 200
    assert api.call("GET", f"/cases/{case['caseId']}/certificate", as_="anna").status == 404
    # The officer sees it is the wrong file and uploads the right one, which replaces it.
    replaced = _upload(api, kept, PDF).json()
    assert replaced["payroll"]["certificate"]["size"] == len(PDF)
    # The wrong file is gone, every version of it: only the one that will be sent is kept.
    versions = world.client("s3").list_object_versions(
        Bucket=world.refs["CaseDocumentsBucket"], Prefix=f"cases/{case['caseId']}/certificate-"
    )
    assert [v["Key"] for v in versions.get("Versions", [])] == [
        f"cases/{case['caseId']}/certificate-{replaced['payroll']['certificate']['sha256']}.pdf"
    ]
    assert [h["action"] for h in replaced["history"][-2:]] == ["certificate_uploaded", "certificate_uploaded"]
    sha = replaced["payroll"]["certificate"]["sha256"]

    sent = _do(api, replaced, "closure", "pia", outcome="delivered").json()
    assert (sent["status"], sent["payroll"]["sla"]) == ("completed", "met")
    assert sent["payroll"]["certificate"]["deliveredAt"] is not None
    assert sent["history"][-1]["action"] == "certificate_delivered"
    assert sent["history"][-1]["details"] == {"sha256": sha}  # the document sent is on the record
    [ready] = emails_for(case["caseId"], "certificate-ready")
    assert ready.to == ["anna.andersson@example.se"]
    link = api.call("GET", f"/cases/{case['caseId']}/certificate", as_="anna")
    assert link.status == 200
    assert link.json()["sha256"] == sha
    key = f"cases/{case['caseId']}/certificate-{sha}.pdf"
    stored = world.client("s3").get_object(Bucket=world.refs["CaseDocumentsBucket"], Key=key)["Body"].read()
    assert stored == PDF
    assert api.call("GET", f"/cases/{case['caseId']}/certificate", as_="erik").status == 404
    assert _upload(api, sent, PDF).status == 409  # sent is sent


def test_a_digital_certificate_is_never_completed_without_its_document(api: Api) -> None:
    """The walk: registered and four-eyes checked, it ended "klart" with nothing to download (issue 26,
    item 3). A certificate request finishes only by delivering it, on every path."""
    case = _at_payroll(api, CERTIFICATE, form="certificate-request")
    registered = api.call(
        "POST",
        f"/cases/{case['caseId']}/registration",
        as_="pia",
        json_body={"version": case["version"], "reference": "LR-1", "payPeriod": "2026-12"},
    )
    assert (registered.status, registered.json()["code"]) == (409, "action_not_for_form")
    resolved = api.call(
        "POST",
        f"/cases/{case['caseId']}/closure",
        as_="pia",
        json_body={"version": case["version"], "outcome": "resolved", "message": "Klart."},
    )
    assert resolved.status == 422
    missing = api.call(
        "POST",
        f"/cases/{case['caseId']}/closure",
        as_="pia",
        json_body={"version": case["version"], "outcome": "delivered"},
    )
    assert (missing.status, missing.json()["code"]) == (409, "certificate_missing")
    after = api.call("GET", f"/cases/{case['caseId']}", as_="anna").json()
    assert (after["status"], after["version"]) == ("at_payroll", case["version"])


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"<html><body>not a pdf</body></html>", "application/pdf", 422),
        (b"%PDF-1.4 but cut off", "application/pdf", 422),
        (PDF, "text/html", 415),
        (b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024) + b"\n%%EOF", "application/pdf", 413),
    ],
)
def test_a_bad_certificate_upload_stores_nothing(
    api: Api, world: World, data: bytes, content_type: str, status: int
) -> None:
    case = _at_payroll(api, CERTIFICATE, form="certificate-request")
    reply = _upload(api, case, data, content_type=content_type)
    assert reply.status == status, reply.text
    after = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    assert (after["status"], after["version"], after["payroll"]["certificate"]) == ("at_payroll", case["version"], None)
    listed = world.client("s3").list_objects_v2(
        Bucket=world.refs["CaseDocumentsBucket"], Prefix=f"cases/{case['caseId']}/certificate-"
    )
    assert listed.get("KeyCount", 0) == 0


def test_only_payroll_uploads_certificates(api: Api) -> None:
    case = _at_payroll(api, CERTIFICATE, form="certificate-request")
    assert _upload(api, case, PDF, as_="anna").status == 404
    assert _upload(api, case, b"junk", as_="erik").status == 404
    support = _at_payroll(api)
    wrong = _upload(api, support, PDF)
    assert (wrong.status, wrong.json()["code"]) == (409, "action_not_for_form")


def test_the_scheduled_check_marks_a_breach_once_and_counts_it(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    late = _at_payroll(api)
    answered = _at_payroll(api)
    api.call("POST", f"/cases/{answered['caseId']}/messages", as_="pia", json_body={"text": "Vi tittar på det."})
    scheduler = load().function("DeskSchedulerFunction")
    assert lambdas.invoke(scheduler, {})["breaches"] == 0  # nothing is late yet
    wiring.use_clock(lambda: datetime.now(UTC) + timedelta(days=10))
    capsys.readouterr()
    assert lambdas.invoke(scheduler, {})["breaches"] == 1  # only the unanswered one
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"SlaBreaches"' in line]
    assert [m["SlaBreaches"] for m in metrics] == [[1.0]]
    assert lambdas.invoke(scheduler, {})["breaches"] == 0  # marked once, never again
    case = api.call("GET", f"/cases/{late['caseId']}", as_="pia").json()
    assert case["history"][-1]["action"] == "sla_breached"
    assert case["payroll"]["sla"] == "overdue"
    assert api.call("GET", f"/cases/{answered['caseId']}", as_="pia").json()["payroll"]["sla"] == "met"


def test_many_writers_at_once_lose_no_committed_history(api: Api) -> None:
    """Eight messages posted at once (each retried on a lost race): every one committed is kept with its
    history entry. moto applies a transaction item by item and restored a stale copy on failure, which once
    lost a committed entry under such a race; the stack serialises its writes (devstack/moto_atomic.py)."""
    case = _at_payroll(api)
    statuses: list[int] = []

    def post(index: int) -> None:
        who = "pia" if index % 2 else "anna"
        reply = api.call("POST", f"/cases/{case['caseId']}/messages", as_=who, json_body={"text": f"Nr {index}"})
        statuses.append(reply.status)

    threads = [threading.Thread(target=post, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] * 8
    after = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    posted = [h for h in after["history"] if h["action"].startswith("message_from_")]
    assert len(posted) == 8
    thread = api.call("GET", f"/cases/{case['caseId']}/messages", as_="pia").json()["items"]
    assert sorted(m["text"] for m in thread) == sorted(f"Nr {i}" for i in range(8))


def test_the_case_says_what_each_caller_may_do_now_in_the_order_of_the_work(api: Api) -> None:
    """Issue 26, item 12: the server says which actions are open to this caller on this case now — the
    lifecycle table with the four-eyes, filer and form rules — and the routes refuse exactly the others."""

    def actions(case_id: str, who: str) -> list[str]:
        return list(api.call("GET", f"/cases/{case_id}", as_=who).json()["actions"])

    case = _at_payroll(api)
    case_id = case["caseId"]
    assert actions(case_id, "pia") == [
        "claim",
        "assign",
        "request_completion",
        "register",
        "resolve",
        "dismiss",
        "message",
    ]
    assert actions(case_id, "anna") == ["message", "withdraw"]
    case = _do(api, case, "claim", "pia").json()
    assert "claim" not in actions(case_id, "pia")  # hers already: no "Ta ärendet" to click
    assert _do(api, case, "claim", "pia").json()["code"] == "already_yours"
    case = _do(api, case, "registration", "pia", reference="R1", payPeriod="2026-12").json()
    # Four-eyes: the one who registered may not check; the other officer may.
    assert actions(case_id, "pia") == ["assign", "message"]
    assert actions(case_id, "per") == ["claim", "assign", "approve_registration", "return_registration", "message"]
    assert actions(case_id, "anna") == ["message"]  # registered: no longer hers to withdraw

    certificate = _at_payroll(api, CERTIFICATE, form="certificate-request")
    expected = ["claim", "assign", "request_completion", "upload_certificate", "dismiss", "message"]
    assert actions(certificate["caseId"], "pia") == expected  # no register, no resolve, nothing to send yet
    uploaded = _upload(api, certificate, PDF).json()
    assert "send_certificate" in actions(uploaded["caseId"], "pia")
