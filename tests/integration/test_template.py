"""template.yaml is the one source of truth: the API document, the handlers and moto all agree with it."""

from __future__ import annotations

from devstack import lambdas
from devstack.template import ROOT, load
from tests.support.openapi import spec
from tests.support.world import World


def _template_routes() -> set[tuple[str, str]]:
    return {(route.method, route.path) for fn in load().functions() for route in fn.routes}


def test_every_route_is_documented_and_every_documented_route_exists() -> None:
    """The BankID sign-in's routes are documented once, as the routes they repeat under /bankid."""
    documented = {(method.upper(), path) for path, ops in spec()["paths"].items() for method in ops}
    routes = _template_routes()
    assert documented == {(method, path) for method, path in routes if not path.startswith("/bankid/")}
    assert {(method, path.removeprefix("/bankid")) for method, path in routes} == documented


def test_the_bankid_routes_and_only_they_take_the_brokers_tokens() -> None:
    for function in load().functions():
        for route in function.routes:
            expected = "BankIdAuthorizer" if route.path.startswith("/bankid/") else route.authorizer
            assert route.authorizer == expected, route.route_key
            assert route.authorizer != "BankIdAuthorizer" or route.path.startswith("/bankid/"), route.route_key


def test_every_function_handler_exists_and_imports() -> None:
    for function in load().functions():
        assert (function.code_uri / "app.py").exists(), function.logical_id
        assert callable(lambdas.load_handler(function))
        assert function.code_uri.is_relative_to(ROOT / "functions")


def test_tables_in_moto_are_the_templates_tables(world: World) -> None:
    dynamodb = world.client("dynamodb")
    for logical_id, resource in load().of_type("AWS::DynamoDB::Table").items():
        described = dynamodb.describe_table(TableName=world.refs[logical_id])["Table"]
        props = resource["Properties"]
        assert described["KeySchema"] == props["KeySchema"]
        assert {i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])} == {
            i["IndexName"] for i in props.get("GlobalSecondaryIndexes", [])
        }
        if "TimeToLiveSpecification" in props:
            ttl = dynamodb.describe_time_to_live(TableName=world.refs[logical_id])["TimeToLiveDescription"]
            assert ttl["AttributeName"] == props["TimeToLiveSpecification"]["AttributeName"]


def test_functions_get_their_table_names_from_the_template(world: World) -> None:
    import os

    assert os.environ["CASES_TABLE"] == world.refs["CasesTable"]
    assert os.environ["DIRECTORY_TABLE"] == world.refs["DirectoryTable"]
    assert os.environ["IDEMPOTENCY_TABLE"] == world.refs["IdempotencyTable"]


def test_a_failed_execution_lands_in_the_workflow_failure_queue(world: World) -> None:
    """The rule's pattern, run by moto's EventBridge, catches what Step Functions emits on failure."""
    import json

    arn = world.refs["ApprovalStateMachine"]
    detail = {"executionArn": f"{arn}:x".replace(":stateMachine:", ":execution:"), "stateMachineArn": arn}
    entries = [
        {"Source": "aws.states", "DetailType": "Step Functions Execution Status Change", "Detail": json.dumps(d)}
        for d in (
            {**detail, "status": "FAILED"},
            {**detail, "status": "SUCCEEDED"},  # not a failure: not queued
            {**detail, "status": "TIMED_OUT", "stateMachineArn": arn + "-other"},  # another workflow's
        )
    ]
    assert world.client("events").put_events(Entries=entries)["FailedEntryCount"] == 0
    sqs = world.client("sqs")
    messages = sqs.receive_message(QueueUrl=world.refs["WorkflowFailureQueue"], MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["detail"]["status"] for m in messages] == ["FAILED"]
