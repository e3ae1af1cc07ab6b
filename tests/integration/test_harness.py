"""The test harness itself (docs/testing.md): one world per session put back between tests, the workflow run
only when a test settles it, timers only when it advances the clock, transactions all-or-nothing. Every other
integration test leans on these; if one of them broke, those tests would pass or fail for the wrong reason."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from devstack import lambdas
from devstack.mailbox import sent_emails
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import Api, World

#: The test template's reminder (tests/support/world.py).
REMINDER_AFTER = 600


def _status(api: Api, case_id: str) -> str:
    return str(api.call("GET", f"/cases/{case_id}").json()["status"])


def test_nothing_runs_until_the_test_settles_the_world(world: World, api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    assert sent_emails() == []  # no workflow step and no notifier ran in the background
    assert world.stepper.waiting() == 1  # the execution is started, not run
    assert _status(api, case_id) == "submitted"
    world.run_workflows()
    assert _status(api, case_id) == "awaiting_approval"
    assert [m.kind for m in sent_emails()] == ["approval-initial"]  # the workflow's own email, not the notifier's
    world.settle()
    assert sorted(m.kind for m in sent_emails()) == ["approval-initial", "receipt"]
    assert world.settle() == 0  # settled: nothing left to move


def test_a_timer_fires_when_the_clock_reaches_it_and_not_a_second_before(world: World, api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    world.settle()
    world.advance(REMINDER_AFTER - 1)
    assert [m.kind for m in sent_emails() if m.case_id == case_id].count("approval-reminder") == 0
    world.advance(1)
    assert [m.kind for m in sent_emails() if m.case_id == case_id].count("approval-reminder") == 1


def test_a_reset_puts_the_world_back_as_it_was_built(world: World, api: Api) -> None:
    """What the ``world`` fixture does before every test: a case, an email, a queued message, a stored object, a
    changed directory row, a waiting execution, a moved clock and a warm container's module state are gone."""
    api.submit(LEAVE)
    world.settle()
    world.advance(30)
    world.update_employee("anna", name="Anna Ändrad")
    world.client("sqs").send_message(QueueUrl=world.refs["NotificationDeadLetterQueue"], MessageBody="{}")
    world.client("s3").put_object(Bucket=world.refs["CaseDocumentsBucket"], Key="left/behind", Body=b"x")
    lambdas.load_handler(world.template.function("CasesFunction")).left_behind = True  # type: ignore[attr-defined]
    assert world.table_items("CasesTable")
    assert sent_emails()
    assert world.stepper.waiting() == 1

    world.reset()

    assert world.table_items("CasesTable") == []
    assert sent_emails() == []
    assert world.dead_letters() == []
    assert (world.stepper.waiting(), world.stepper.elapsed) == (0, 0)
    assert world.client("s3").list_objects_v2(Bucket=world.refs["CaseDocumentsBucket"])["KeyCount"] == 0
    names = {i["employeeId"]["S"]: i["name"]["S"] for i in world.table_items("DirectoryTable") if "name" in i}
    assert names["anna"] == "Anna Andersson"  # the seeded directory, as loaded
    assert not hasattr(lambdas.load_handler(world.template.function("CasesFunction")), "left_behind")
    sfn = boto3.client("stepfunctions")
    assert sfn.list_executions(stateMachineArn=world.refs["ApprovalStateMachine"])["executions"] == []
    assert api.submit(LEAVE).status == 201  # the same application again: nothing of the first is left


def test_a_cancelled_transaction_leaves_no_write_and_no_stream_record(world: World) -> None:
    dynamodb, table = world.client("dynamodb"), world.refs["CasesTable"]
    item: dict[str, Any] = {"pk": {"S": "harness"}, "sk": {"S": "a"}, "v": {"N": "1"}}
    other: dict[str, Any] = {**item, "sk": {"S": "c"}}
    dynamodb.put_item(TableName=table, Item=item)
    dynamodb.put_item(TableName=table, Item=other)
    stream_before = _stream_records(world)
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as cancelled:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {**item, "sk": {"S": "b"}}}},  # would be new
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"pk": item["pk"], "sk": item["sk"]},
                        "UpdateExpression": "SET v = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": {"pk": other["pk"], "sk": other["sk"]},
                        "ConditionExpression": "v = :nine",
                        "ExpressionAttributeValues": {":nine": {"N": "9"}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
            ]
        )
    reasons = cancelled.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "None", "ConditionalCheckFailed"]
    assert reasons[2]["Item"] == other  # ReturnValuesOnConditionCheckFailure
    stored = sorted(world.table_items("CasesTable"), key=lambda i: i["sk"]["S"])
    assert stored == [item, other]  # neither the put nor the update stands
    assert _stream_records(world) == stream_before


def _stream_records(world: World) -> int:
    from devstack import streams

    client = streams.client()
    arn = world.refs["CasesTable.StreamArn"]
    [shard] = client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = client.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
    return len(client.get_records(ShardIterator=iterator["ShardIterator"])["Records"])


def test_the_local_stack_forgets_what_aws_would_have_forgotten(
    world: World, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python3 dev run`` trims the emulation every half minute (bench/soak.py found it growing without end):
    delivered stream records, sent mail beyond the mailbox's newest, finished executions beyond the newest."""
    from devstack import moto_state

    monkeypatch.setattr(moto_state, "MAILBOX_KEEPS", 3)
    monkeypatch.setattr(moto_state, "FINISHED_EXECUTIONS_KEPT", 1)
    for _ in range(4):
        case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    world.settle()  # four workflows ended (support goes straight to payroll), receipts and the rest sent
    assert len(sent_emails()) > 3
    poller = world.stream_poller
    assert poller is not None
    records_before = _stream_records(world)

    dropped = moto_state.trim(poller.handled())

    assert [m.case_id for m in sent_emails()][-1] == case_id  # the newest kept, in order
    assert len(sent_emails()) == 3
    assert dropped["stream records"] == records_before  # every record was delivered, so every one goes
    from moto.dynamodb.models.dynamo_type import Item

    assert Item.instances_tracked == []  # type: ignore[attr-defined]  # moto's record of every item it ever made (query copies too)
    assert dropped["model instances"] > 0
    assert _stream_records(world) == 0
    sfn = boto3.client("stepfunctions")
    kept = sfn.list_executions(stateMachineArn=world.refs["ApprovalStateMachine"])["executions"]
    assert [e["name"] for e in kept] == [case_id]
    # The stream goes on where it was: a new change is relayed once, to the case it belongs to.
    api.submit(SUPPORT, form="payroll-support")
    assert world.settle() > 0
    assert _stream_records(world) > 0
    assert world.stream_poller is poller  # the same reader went on from its position
