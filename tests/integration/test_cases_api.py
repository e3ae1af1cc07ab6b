"""GET /cases/{caseId} and GET /cases: who sees what, listings, pagination and tampered tokens."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.support.flows import wait_for
from tests.support.samples import CERTIFICATE, LEAVE, support_for
from tests.support.world import Api, World


def _ids(reply_json: dict[str, object]) -> list[str]:
    return [item["caseId"] for item in reply_json["items"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anna", 200),  # the employee
        ("maria", 200),  # her manager
        ("erik", 404),  # a colleague
        ("sven", 404),  # another manager (Maria's substitute, but only in July)
        ("lars", 404),  # the manager's manager
        ("pia", 404),  # payroll: a leave application reaches payroll only when approved
        ("ada", 404),  # an administrator not named on the case
    ],
)
def test_who_may_read_a_leave_application(api: Api, persona: str, status: int) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    reply = api.call("GET", f"/cases/{case_id}", as_=persona)
    assert reply.status == status
    if status == 404:
        assert reply.json()["code"] == "case_not_found"


def test_a_hidden_case_and_a_missing_case_look_the_same(api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    hidden = api.call("GET", f"/cases/{case_id}", as_="erik")
    missing = api.call("GET", "/cases/01ZZZZZZZZZZZZZZZZZZZZZZZZ", as_="erik")
    malformed = api.call("GET", "/cases/..%2F..%2Fsecret", as_="erik")
    assert hidden.status == missing.status == malformed.status == 404
    assert hidden.json() == missing.json() == malformed.json()


def test_payroll_reads_cases_in_its_queue(api: Api) -> None:
    case_id = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    assert api.call("GET", f"/cases/{case_id}", as_="pia").status == 200
    assert api.call("GET", f"/cases/{case_id}", as_="erik").status == 404


def test_a_substitute_reads_the_team_case_while_acting(api: Api, world: World) -> None:
    world.appoint_substitute("maria", "sven", days=1)
    case_id = api.submit(LEAVE).json()["caseId"]
    assert api.call("GET", f"/cases/{case_id}", as_="sven").status == 200


def test_listings_by_scope(api: Api) -> None:
    leave = api.submit(LEAVE).json()["caseId"]
    certificate = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    erik = api.submit(LEAVE, as_="erik").json()["caseId"]
    on_behalf = api.submit(support_for("anna"), form="payroll-support", as_="maria").json()["caseId"]

    assert _ids(api.call("GET", "/cases").json()) == [on_behalf, certificate, leave]  # newest first
    assert _ids(api.call("GET", "/cases", as_="erik").json()) == [erik]
    assert _ids(api.call("GET", "/cases", query="scope=filed", as_="maria").json()) == [on_behalf]
    assert set(_ids(api.call("GET", "/cases", query="scope=team", as_="maria").json())) == {
        leave,
        certificate,
        erik,
        on_behalf,
    }
    assert set(_ids(api.call("GET", "/cases", query="scope=payroll", as_="pia").json())) == {certificate, on_behalf}
    assert _ids(api.call("GET", "/cases", query="scope=team", as_="sven").json()) == []


def test_listing_summaries_carry_no_form_data(api: Api) -> None:
    api.submit(CERTIFICATE, form="certificate-request")
    [item] = api.call("GET", "/cases").json()["items"]
    assert "data" not in item
    assert "19121212" not in json.dumps(item)
    assert item["formTitle"] == "Intyg"


def test_status_filter(api: Api) -> None:
    api.submit(LEAVE)
    assert len(api.call("GET", "/cases", query="status=submitted").json()["items"]) == 1
    assert api.call("GET", "/cases", query="status=approved").json() == {"items": [], "nextToken": None}


def test_pagination_walks_every_case_once(api: Api) -> None:
    created = [api.submit(LEAVE).json()["caseId"] for _ in range(5)]
    seen: list[str] = []
    token = None
    for _ in range(10):
        query = "limit=2" + (f"&nextToken={token}" if token else "")
        page = api.call("GET", "/cases", query=query).json()
        seen += _ids(page)
        token = page["nextToken"]
        if token is None:
            break
    assert seen == list(reversed(created))


def _token(cursor: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode().rstrip("=")


def test_a_page_token_cannot_open_someone_elses_listing(api: Api) -> None:
    api.submit(LEAVE)
    api.submit(LEAVE)
    token = api.call("GET", "/cases", query="limit=1").json()["nextToken"]
    assert token
    # Erik replays Anna's token, then forges one for Anna's partition.
    stolen = api.call("GET", "/cases", query=f"limit=1&nextToken={token}", as_="erik")
    assert (stolen.status, stolen.json()["code"]) == (400, "invalid_page_token")
    cursor = json.loads(base64.urlsafe_b64decode(token + "=="))
    forged = api.call("GET", "/cases", query=f"nextToken={_token({**cursor, 'subjectId': 'anna'})}", as_="erik")
    assert forged.status == 400


@pytest.mark.parametrize(
    ("query", "persona", "status", "code"),
    [
        ("nextToken=%%%", "anna", 400, "invalid_page_token"),
        ("nextToken=bm90LWpzb24", "anna", 400, "invalid_page_token"),
        ("nextToken=" + "A" * 3000, "anna", 400, "invalid_query"),  # over the 2 KiB parameter limit
        ("nextToken=WzEsMiwzXQ", "anna", 400, "invalid_page_token"),
        ("scope=everything", "anna", 400, "invalid_query"),
        ("limit=1000", "anna", 400, "invalid_query"),
        ("status=deleted", "anna", 400, "invalid_query"),
        ("owner=erik", "anna", 400, "invalid_query"),
        ("scope=team", "anna", 403, "forbidden"),
        ("scope=payroll", "maria", 403, "forbidden"),
    ],
)
def test_bad_listing_requests(api: Api, query: str, persona: str, status: int, code: str) -> None:
    reply = api.call("GET", "/cases", query=query, as_=persona)
    assert (reply.status, reply.json()["code"]) == (status, code)


@pytest.mark.parametrize("action", ["decision", "resubmission", "pdf/recipients"])
def test_an_outsider_learns_nothing_from_a_bad_body_on_a_case_action(api: Api, action: str) -> None:
    """Who may see the case is checked before the body is parsed: the same 404 for an existing case and a
    missing one, whatever the body."""
    case_id = api.submit(LEAVE).json()["caseId"]
    missing = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    for body in ('{"decision": 7, "extra": true}', "not json", '{"data": []}'):
        existing = api.call("POST", f"/cases/{case_id}/{action}", as_="erik", body=body)
        absent = api.call("POST", f"/cases/{missing}/{action}", as_="erik", body=body)
        assert (existing.status, existing.json()["code"]) == (404, "case_not_found")
        assert (absent.status, absent.json()["code"]) == (404, "case_not_found")


def test_the_payroll_listing_filters_by_key(api: Api) -> None:
    """scope=payroll narrows by a key for each filter (one person, one form, one status): each answers
    exactly the queue's cases that match, newest first."""
    certificate = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    support = api.submit(support_for("anna"), form="payroll-support", as_="maria").json()["caseId"]
    eriks = api.submit(CERTIFICATE, form="certificate-request", as_="erik").json()["caseId"]
    api.submit(LEAVE)  # never reaches payroll unapproved: in no payroll listing

    def payroll(query: str) -> list[str]:
        reply = api.call("GET", "/cases", query=f"scope=payroll&{query}", as_="pia")
        assert reply.status == 200, reply.text
        return _ids(reply.json())

    assert payroll("formId=certificate-request") == [eriks, certificate]
    assert payroll("employee=anna") == [support, certificate]
    assert payroll("employee=anna&formId=payroll-support") == [support]
    status = api.call("GET", f"/cases/{certificate}", as_="pia").json()["status"]
    assert certificate in payroll(f"status={status}")
    assert payroll("status=awaiting_approval") == []


def test_approvals_come_in_pages_with_a_token(api: Api) -> None:
    created = [api.submit(LEAVE).json()["caseId"] for _ in range(3)]
    for case_id in created:
        wait_for(api, case_id, "awaiting_approval")
    first = api.call("GET", "/approvals", query="limit=2", as_="maria").json()
    second = api.call("GET", "/approvals", query=f"limit=2&nextToken={first['nextToken']}", as_="maria").json()
    assert second["nextToken"] is None
    assert _ids(first) + _ids(second) == created  # oldest first, each once


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "invalid_query"),
        ("limit=101", "invalid_query"),
        ("owner=erik", "invalid_query"),
        ("nextToken=%%%", "invalid_page_token"),
        ("nextToken=" + _token({"own": {"createdAt": "x", "caseId": "y"}}), "invalid_page_token"),
        ("nextToken=" + _token({"anna": "end"}), "invalid_page_token"),
    ],
)
def test_bad_approvals_requests(api: Api, query: str, code: str) -> None:
    reply = api.call("GET", "/approvals", query=query, as_="maria")
    assert (reply.status, reply.json()["code"]) == (400, code)


def test_cases_stored_before_the_listing_keys_get_them_from_the_backfill(api: Api, world: World) -> None:
    """A case last changed before ByManagerSubject/ByQueueForm/ByQueueStatus existed is in none of those
    listings until the operator's backfill writes its keys; a second run has nothing to do."""
    from ops.backfill_listing_keys import backfill

    certificate = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    wait_for(api, certificate, "at_payroll")  # the workflow's last change has written its keys
    table = world.refs["CasesTable"]
    world.client("dynamodb").update_item(
        TableName=table,
        Key={"pk": {"S": f"CASE#{certificate}"}, "sk": {"S": "CASE"}},
        UpdateExpression="REMOVE managerSubject, queueForm, queueStatus",
    )
    searches = [
        ("pia", "scope=payroll&formId=certificate-request"),
        ("pia", "scope=payroll&status=at_payroll"),
        ("maria", "scope=team&employee=anna"),
    ]
    for persona, query in searches:
        assert _ids(api.call("GET", "/cases", query=query, as_=persona).json()) == [], query
    assert backfill(table) == (1, 0)
    for persona, query in searches:
        assert _ids(api.call("GET", "/cases", query=query, as_=persona).json()) == [certificate], query
    assert backfill(table) == (0, 0)


def test_the_case_page_reads_the_sums_the_server_computed_not_the_senders(api: Api) -> None:
    """A time report's hours per activity come with the case, as the PDF and the approver's email show them;
    a sender's own (wrong) sums are refused at the door, and a form without sums has none."""
    rows = [
        {"date": "2026-11-02", "activity": "PROJ1", "from": "08:00", "to": "16:30"},
        {"date": "2026-11-03", "activity": "ADM", "hours": 2},
    ]
    filed = api.submit({"period": "2026-11", "rows": rows}, form="time-report", receipt=False)
    assert filed.status == 201, filed.text
    case = api.call("GET", f"/cases/{filed.json()['caseId']}").json()
    assert case["computed"] == [{"field": "/totals", "label": "Summa per aktivitet", "value": "PROJ1: 8,5 h, ADM: 2 h"}]
    assert "totals" not in case["data"]  # what was filed stays as filed
    wrong = api.submit({"period": "2026-11", "rows": rows, "totals": {"PROJ1": 9}}, form="time-report")
    assert wrong.status == 422
    leave = api.call("GET", f"/cases/{api.submit(LEAVE, receipt=False).json()['caseId']}").json()
    assert leave["computed"] == []
