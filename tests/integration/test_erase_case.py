"""GDPR erasure of a case that should never have existed (``python3 dev erase-case``): everything of it goes
— items, links, every file version, its running workflow — and nothing of any other case."""

from __future__ import annotations

import json
from typing import Any

import boto3

from ops.erase_case import erase
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import LEAVE
from tests.support.world import Api, World


def _erase(world: World, case_id: str) -> dict[str, Any]:
    return erase(
        case_id,
        reason="DSR-2026-117: filed about the wrong person",
        cases_table=world.refs["CasesTable"],
        bucket=world.refs["CaseDocumentsBucket"],
        state_machine=world.refs["ApprovalStateMachine"],
    )


def test_a_mistaken_case_is_erased_whole_and_nothing_else(api: Api, world: World) -> None:
    mistaken = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(mistaken, "approval-initial")
    assert post_page(api, link_path(request), decision="approve").status == 200
    assert wait_for(api, mistaken, "at_payroll")["hasPdf"]
    other = api.submit(LEAVE, as_="erik").json()["caseId"]
    wait_for(api, other, "awaiting_approval", as_="erik")

    receipt = _erase(world, mistaken)
    assert receipt["items"] >= 6  # the case, its history entries and its decision link
    assert receipt["fileVersions"] >= 1  # the signed PDF
    assert "Anna" not in json.dumps(receipt)  # the receipt names no person

    assert api.call("GET", f"/cases/{mistaken}").status == 404
    assert api.call("GET", f"/cases/{mistaken}", as_="pia").status == 404
    left = [i for i in world.table_items("CasesTable") if mistaken in json.dumps(i)]
    assert left == []
    versions = boto3.client("s3").list_object_versions(Bucket=world.refs["CaseDocumentsBucket"], Prefix="cases/")
    assert not [v for v in versions.get("Versions", []) if mistaken in v["Key"]]
    assert api.call("GET", f"/cases/{other}", as_="erik").status == 200  # untouched


def test_erasing_a_case_still_in_its_workflow_stops_the_workflow_first(api: Api, world: World) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    wait_for(api, case_id, "awaiting_approval")
    receipt = _erase(world, case_id)
    assert receipt["executionsStopped"] == 1  # (moto marks it stopped only when its waiting step wakes)
    assert api.call("GET", f"/cases/{case_id}").status == 404
    assert [i for i in world.table_items("CasesTable") if case_id in json.dumps(i)] == []
