"""``python3 dev verify-case`` through the real store (docs/records.md §2): a case walked through approval
holds; an entry edited in the table is named; a chain rewritten in the table still breaks at the head."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from eforms.core.cases import chain
from ops.verify_case import main, verify
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import LEAVE
from tests.support.world import Api, World


def _approved(api: Api) -> str:
    case_id: str = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="approve").status == 200
    assert wait_for(api, case_id, "at_payroll")["hasPdf"]
    return case_id


def _history_items(world: World, case_id: str) -> list[dict[str, Any]]:
    items = [i for i in world.table_items("CasesTable") if i["pk"]["S"] == f"CASE#{case_id}"]
    return sorted((i for i in items if i["sk"]["S"].startswith("HIST#")), key=lambda i: i["sk"]["S"][-4:])


def test_a_case_walked_through_approval_holds_and_every_entry_carries_its_link(api: Api, world: World) -> None:
    case_id = _approved(api)
    found = verify(case_id, cases_table=world.refs["CasesTable"], bucket=world.refs["CaseDocumentsBucket"])
    assert found is not None
    assert found.holds, found.lines
    entries = _history_items(world, case_id)
    assert len(entries) >= 4
    assert all(len(i["chain"]["S"]) == 64 for i in entries)
    [case_item] = [
        i for i in world.table_items("CasesTable") if i["pk"]["S"] == f"CASE#{case_id}" and i["sk"]["S"] == "CASE"
    ]
    assert case_item["chainHead"]["S"] == entries[-1]["chain"]["S"]


def test_an_entry_edited_in_the_table_is_named(api: Api, world: World, capsys: pytest.CaptureFixture[str]) -> None:
    case_id = _approved(api)
    entries = _history_items(world, case_id)
    approved = next(n for n, i in enumerate(entries) if i["action"]["S"] == "approved")
    boto3.client("dynamodb").update_item(
        TableName=world.refs["CasesTable"],
        Key={"pk": entries[approved]["pk"], "sk": entries[approved]["sk"]},
        UpdateExpression="SET details = :d",
        ExpressionAttributeValues={":d": {"S": json.dumps({"message": "Beviljas, och 10 dagar till"})}},
    )
    assert main([case_id, "--cases-table", world.refs["CasesTable"]]) == 1
    said = capsys.readouterr().out
    assert f"FAIL  history entry {approved + 1} of {len(entries)}" in said
    assert "approved by maria" in said
    assert "Anna" not in said
    assert "Beviljas" not in said


def test_a_chain_rewritten_in_the_table_still_breaks_at_the_head(api: Api, world: World) -> None:
    """Whoever rewrites an entry and recomputes every hash after it in the table must also move the head;
    one who does not is found, and the head is what the sealed PDF and the locked record keep."""
    case_id = _approved(api)
    entries = _history_items(world, case_id)
    dynamodb = boto3.client("dynamodb")
    first = entries[0]
    dynamodb.update_item(
        TableName=world.refs["CasesTable"],
        Key={"pk": first["pk"], "sk": first["sk"]},
        UpdateExpression="SET actorName = :n",
        ExpressionAttributeValues={":n": {"S": "Someone Else"}},
    )
    from eforms.aws.case_store import DynamoCaseStore

    forged = DynamoCaseStore(world.refs["CasesTable"]).get(case_id)
    assert forged is not None
    for item, link in zip(entries, chain.hashes(forged), strict=True):
        dynamodb.update_item(
            TableName=world.refs["CasesTable"],
            Key={"pk": item["pk"], "sk": item["sk"]},
            UpdateExpression="SET chain = :c",
            ExpressionAttributeValues={":c": {"S": link}},
        )
    found = verify(case_id, cases_table=world.refs["CasesTable"])
    assert found is not None
    assert not found.holds
    assert any("head is not its last entry" in line for line in found.lines), found.lines
