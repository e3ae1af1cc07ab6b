"""The desk shows the pay transactions a case gives, the registering officer confirms them and the second
officer sees what was confirmed (docs/records.md §4), through the real handlers."""

from __future__ import annotations

from typing import Any

from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import LEAVE
from tests.support.world import Api


def _at_payroll(api: Api) -> dict[str, Any]:
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="approve").status == 200
    wait_for(api, case_id, "at_payroll")
    case: dict[str, Any] = api.call("GET", f"/cases/{case_id}", as_="pia").json()
    return case


def _register(api: Api, case: dict[str, Any], **body: Any) -> Any:
    claimed = api.call("POST", f"/cases/{case['caseId']}/claim", as_="pia", json_body={"version": case["version"]})
    version = claimed.json()["version"] if claimed.status == 200 else case["version"]
    base = {"version": version, "reference": "HR-2027-0042", "payPeriod": "2026-12"}
    return api.call("POST", f"/cases/{case['caseId']}/registration", as_="pia", json_body={**base, **body})


def test_payroll_sees_the_transactions_the_answers_give_and_the_employee_does_not(api: Api) -> None:
    case = _at_payroll(api)
    [leave] = case["transactions"]
    assert leave["item"] == LEAVE_ITEM
    assert (leave["kind"], leave["code"]) == ("time", "SEM")  # the organisation's code for vacation
    assert (leave["from"], leave["to"], leave["extent"]) == (LEAVE["period"]["from"], LEAVE["period"]["to"], 100)
    assert "transactions" not in api.call("GET", f"/cases/{case['caseId']}", as_="anna").json()


LEAVE_ITEM = "leave.vacation"


def test_registration_confirms_the_transactions_and_refuses_what_payroll_cannot_import(api: Api) -> None:
    case = _at_payroll(api)
    offered = case["transactions"]
    missing = _register(api, case)
    assert missing.status == 422
    assert [e["pointer"] for e in missing.json()["errors"]] == ["/transactions"]
    case = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    bad = [{**offered[0], "extent": "full", "from": "2027-02-01"}]
    refused = _register(api, case, transactions=bad)
    assert refused.status == 422
    assert sorted(e["pointer"] for e in refused.json()["errors"]) == ["/transactions/0/extent", "/transactions/0/from"]
    assert {e["code"] for e in refused.json()["errors"]} == {"not_a_number", "after_pay_period"}
    case = api.call("GET", f"/cases/{case['caseId']}", as_="pia").json()
    assert case["status"] == "at_payroll"  # nothing was registered
    corrected = [{**offered[0], "extent": 50}]
    registered = _register(api, case, transactions=corrected)
    assert registered.status == 200, registered.text
    checker = api.call("GET", f"/cases/{case['caseId']}", as_="per").json()
    assert checker["transactions"] == corrected  # the second officer checks what was confirmed
    entry = [h for h in checker["history"] if h["action"] == "registered"][-1]
    assert entry["details"]["transactions"] == 1
    assert entry["details"]["corrected"] == ["/transactions/0/extent"]
