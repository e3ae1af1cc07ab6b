"""The security and operations properties template.yaml promises, checked on every resource.

cfn-lint checks that the template is valid; these check that it is the template we meant: nothing
readable without the stack's key, no permission on "*" that could be scoped, no log kept forever, no
asynchronous path without a place for its failures, no alarm that tells nobody.
"""

from __future__ import annotations

from typing import Any

import pytest

from devstack.template import load

TEMPLATE = load()
RESOURCES = TEMPLATE.resources
FUNCTIONS = TEMPLATE.of_type("AWS::Serverless::Function")
STACK_KEY = {"Ref": "CaseDataKey"}
STACK_KEY_ARN = {"Fn::GetAtt": ["CaseDataKey", "Arn"]}

#: Actions AWS does not scope to a resource: "*" is the only resource these accept.
UNSCOPABLE = {
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
}


def _statements(policies: list[Any]) -> list[dict[str, Any]]:
    return [s for policy in policies if isinstance(policy, dict) and "Statement" in policy for s in policy["Statement"]]


def test_tables_queues_topic_and_document_bucket_are_encrypted_with_the_stack_key() -> None:
    for logical_id, table in TEMPLATE.of_type("AWS::DynamoDB::Table").items():
        sse = table["Properties"]["SSESpecification"]
        assert (sse["SSEType"], sse["KMSMasterKeyId"]) == ("KMS", STACK_KEY), logical_id
    for logical_id, queue in TEMPLATE.of_type("AWS::SQS::Queue").items():
        assert queue["Properties"]["KmsMasterKeyId"] == STACK_KEY, logical_id
    for logical_id, topic in TEMPLATE.of_type("AWS::SNS::Topic").items():
        assert topic["Properties"]["KmsMasterKeyId"] == STACK_KEY, logical_id
    [rule] = RESOURCES["CaseDocumentsBucket"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": STACK_KEY_ARN}
    assert RESOURCES["CaseDataKey"]["Properties"]["EnableKeyRotation"] is True


def test_the_case_table_has_point_in_time_recovery_and_ttl_retention() -> None:
    props = RESOURCES["CasesTable"]["Properties"]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert RESOURCES["CasesTable"]["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize("bucket", sorted(TEMPLATE.of_type("AWS::S3::Bucket")))
def test_buckets_block_public_access_are_versioned_expire_old_versions_and_refuse_plain_http(bucket: str) -> None:
    props = RESOURCES[bucket]["Properties"]
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert any("NoncurrentVersionExpiration" in rule for rule in props["LifecycleConfiguration"]["Rules"])
    policies = [
        r["Properties"]["PolicyDocument"]["Statement"]
        for r in TEMPLATE.of_type("AWS::S3::BucketPolicy").values()
        if r["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statements in policies
        for s in statements
    ), bucket


def test_every_function_and_the_workflow_log_to_an_encrypted_group_with_retention() -> None:
    groups = TEMPLATE.of_type("AWS::Logs::LogGroup")
    for group in groups.values():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert group["Properties"]["KmsKeyId"] == STACK_KEY_ARN
    names = {str(g["Properties"]["LogGroupName"]["Fn::Sub"]) for g in groups.values()}
    assert {f"/aws/lambda/${{{fn}}}" for fn in FUNCTIONS} <= names
    logging = RESOURCES["ApprovalStateMachine"]["Properties"]["Logging"]
    assert logging["IncludeExecutionData"] is False  # execution data may hold form contents


def test_functions_and_the_workflow_are_traced() -> None:
    """Every workflow execution is traced with its steps; API requests only when ops ask for it (docs/cost.md)."""
    assert TEMPLATE.document["Globals"]["Function"]["Tracing"] == {"Ref": "FunctionTracing"}
    tracing = TEMPLATE.document["Parameters"]["FunctionTracing"]
    assert tracing["Default"] == "PassThrough"
    assert tracing["AllowedValues"] == ["PassThrough", "Active"]
    assert all("Tracing" not in f["Properties"] for f in FUNCTIONS.values())
    assert RESOURCES["ApprovalStateMachine"]["Properties"]["Tracing"] == {"Enabled": True}


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def test_no_permission_on_everything_that_aws_lets_us_scope() -> None:
    """No wildcard action anywhere a function or the workflow holds, and "*" as the resource only for the
    documented allow-list of actions AWS does not scope (UNSCOPABLE)."""
    holders = {**FUNCTIONS, "ApprovalStateMachine": RESOURCES["ApprovalStateMachine"]}
    for logical_id, resource in holders.items():
        for statement in _statements(resource["Properties"].get("Policies", [])):
            actions = _actions(statement)
            if statement["Resource"] == "*":
                assert set(actions) <= UNSCOPABLE, (logical_id, statement.get("Sid"))
            assert not any("*" in a for a in actions), (logical_id, statement.get("Sid"))


#: SAM's DynamoDB policy templates grant Scan (Read), BatchWriteItem and DeleteItem (Write, Crud).
_BROAD_TEMPLATES = {"DynamoDBCrudPolicy", "DynamoDBReadPolicy", "DynamoDBWritePolicy"}


def test_functions_get_exact_dynamodb_actions_never_scan_and_delete_only_what_they_must() -> None:
    for logical_id, function in FUNCTIONS.items():
        policies = function["Properties"].get("Policies", [])
        templates = {name for policy in policies if isinstance(policy, dict) for name in policy if name != "Statement"}
        assert not templates & _BROAD_TEMPLATES, (logical_id, templates & _BROAD_TEMPLATES)
        for statement in _statements(policies):
            actions = set(_actions(statement))
            assert "dynamodb:Scan" not in actions, logical_id
            if "dynamodb:DeleteItem" in actions:
                # Only the idempotency records, the uploads a submission uses up, or drafts (their owner's
                # discard, and the submission that finishes one).
                resource = statement["Resource"]
                idempotency = resource == {"Fn::GetAtt": ["IdempotencyTable", "Arn"]}
                leading = statement.get("Condition", {}).get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys")
                allowed = (["UPLOAD#*"], ["DRAFT#*"], ["PAYRUN#*"])
                assert idempotency or leading in allowed, (logical_id, statement.get("Sid"))


def test_policy_templates_name_this_stacks_own_resources() -> None:
    for logical_id, function in FUNCTIONS.items():
        for policy in function["Properties"].get("Policies", []):
            if isinstance(policy, str):
                pytest.fail(f"{logical_id} has the managed policy {policy}; use a scoped template")
            if "Statement" in policy:
                continue
            ((name, arguments),) = policy.items()
            for value in arguments.values():
                assert isinstance(value, dict), (logical_id, name)
                target = value.get("Ref") or str(value.get("Fn::Sub"))
                assert target in RESOURCES or "${Stage}" in target, (logical_id, name, target)


def test_email_is_sent_only_as_the_service() -> None:
    senders = [
        (logical_id, s)
        for logical_id, function in FUNCTIONS.items()
        for s in _statements(function["Properties"].get("Policies", []))
        if any(a.startswith("ses:") for a in _actions(s))
    ]
    assert {logical_id for logical_id, _ in senders} == {
        "WorkflowFunction",
        "NotifierFunction",
        "DeskSchedulerFunction",  # the payroll mailbox's digest
        "ServiceReportsFunction",  # the monthly service reports (docs/statistics.md §6)
    }
    for _, statement in senders:
        assert set(statement["Action"]) == {"ses:SendEmail", "ses:SendRawEmail"}
        assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderAddress"}}}


def test_every_asynchronous_path_ends_in_a_dead_letter_queue() -> None:
    dead_letter_queues = {"NotificationDeadLetterQueue", "WorkflowFailureQueue"}
    # EventBridge rule targets: a DLQ for undeliverable events, unless the target is itself a DLQ.
    for logical_id, rule in TEMPLATE.of_type("AWS::Events::Rule").items():
        for target in rule["Properties"]["Targets"]:
            target_queue = target["Arn"]["Fn::GetAtt"][0]
            assert "DeadLetterConfig" in target or target_queue in dead_letter_queues, logical_id
    # SQS event sources: the queue redrives to a DLQ after a bounded number of receives.
    for function in FUNCTIONS.values():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                queue = RESOURCES[event["Properties"]["Queue"]["Fn::GetAtt"][0]]
                assert queue["Properties"]["RedrivePolicy"]["maxReceiveCount"] <= 10
                assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # Failed, timed-out and aborted executions of the approval workflow.
    pattern = RESOURCES["WorkflowFailuresToQueue"]["Properties"]["EventPattern"]
    assert set(pattern["detail"]["status"]) == {"FAILED", "TIMED_OUT", "ABORTED"}
    assert pattern["detail"]["stateMachineArn"] == [{"Ref": "ApprovalStateMachine"}]


def test_every_alarm_notifies_the_alarm_topic() -> None:
    alarms = TEMPLATE.of_type("AWS::CloudWatch::Alarm")
    for logical_id, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}], logical_id
    metrics = {a["Properties"].get("MetricName") for a in alarms.values()}
    assert {"5xx", "ApproximateNumberOfMessagesVisible", "ApprovalsOverdue", "EventsNotPublished"} <= metrics
    assert any("Throttles" in str(a["Properties"].get("Metrics")) for a in alarms.values())
    # Every function's errors are alarmed (docs/resilience.md §5), and SES's reputation before it pauses.
    alarmed = {str(m) for a in alarms.values() for m in a["Properties"].get("Metrics", []) if "Errors" in str(m)}
    for logical_id in FUNCTIONS:
        assert any(f"'Ref': '{logical_id}'" in m for m in alarmed), logical_id
    assert {"Reputation.BounceRate", "Reputation.ComplaintRate"} <= metrics
    assert TEMPLATE.of_type("AWS::CloudWatch::Dashboard")


def test_the_public_route_is_throttled_and_its_function_capped() -> None:
    api = RESOURCES["HttpApi"]["Properties"]
    default_rate = api["DefaultRouteSettings"]["ThrottlingRateLimit"]
    public = [e["Properties"] for e in FUNCTIONS["DecisionPageFunction"]["Properties"]["Events"].values()]
    assert {p["Auth"]["Authorizer"] for p in public} == {"NONE"}
    assert all(0 < p["RouteSettings"]["ThrottlingRateLimit"] < default_rate for p in public)
    concurrency = RESOURCES["DecisionPageFunction"]["Properties"]["ReservedConcurrentExecutions"]
    assert concurrency["Fn::If"][0] == "LimitDecisionPage"
    notifier_source = FUNCTIONS["NotifierFunction"]["Properties"]["Events"]["CaseEvents"]["Properties"]
    assert notifier_source["ScalingConfig"]["MaximumConcurrency"] >= 2  # the lowest value SQS sources accept


def test_the_unauthenticated_decision_page_gets_only_what_deciding_needs() -> None:
    actions = {
        action
        for statement in _statements(FUNCTIONS["DecisionPageFunction"]["Properties"]["Policies"])
        for action in _actions(statement)
    }
    assert actions == {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
        "states:SendTaskSuccess",
        "states:SendTaskFailure",
        "s3:GetObject",
    }
