"""AWS failing under the case numbers, derived decision links and the reads behind listings and searches: each
call refused at botocore's before-send, and nothing lost, nothing half-written, the failure answered as "try again"
(503) or retried by the workflow."""

from __future__ import annotations

from typing import Any

from tests.support.faults import throttled
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import Api, World


def _cases(world: World) -> list[dict[str, Any]]:
    return [i for i in world.table_items("CasesTable") if i["pk"]["S"].startswith("CASE#") and i["sk"]["S"] == "CASE"]


def test_a_case_number_that_cannot_be_taken_stores_no_case_and_the_retry_files_it(api: Api, world: World) -> None:
    with throttled("dynamodb", "UpdateItem") as refused:
        reply = api.submit(SUPPORT, form="payroll-support")
    assert refused
    assert (reply.status, reply.json()["code"]) == (503, "service_unavailable")
    assert _cases(world) == []
    again = api.submit(SUPPORT, form="payroll-support")
    assert again.status == 201
    assert again.json()["caseNumber"].endswith("-000001")  # the refused call took no number


def test_a_decision_link_the_key_cannot_make_yet_is_made_on_the_workflows_retry(api: Api, world: World) -> None:
    with throttled("kms", "GenerateMac", times=3) as refused:
        case_id = api.submit(LEAVE).json()["caseId"]
        world.run_workflows()
    assert refused
    [request] = emails_for(case_id, "approval-initial")  # once, with a working link
    history = [h["action"] for h in api.call("GET", f"/cases/{case_id}").json()["history"]]
    assert history.count("approval_requested") == 1
    assert post_page(api, link_path(request), decision="approve").status == 200
    wait_for(api, case_id, "at_payroll")


def test_listings_and_searches_answer_503_while_their_reads_fail(api: Api) -> None:
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    with throttled("dynamodb", "BatchGetItem"):
        for who, path, query in (
            ("anna", "/cases", ""),
            ("pia", "/desk/cases", ""),
            ("pia", "/people", "q=anna"),
        ):
            reply = api.call("GET", path, as_=who, query=query)
            assert (reply.status, reply.json()["code"]) == (503, "service_unavailable"), path
    assert api.call("GET", "/desk/cases", as_="pia").status == 200  # and fine once DynamoDB answers
