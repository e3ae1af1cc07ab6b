"""``python3 dev erase-case CASE_ID --reason TEXT``: erase a case that should never have existed (GDPR art. 17).

Cases are payroll and employment records with a legal retention period, so erasure before it ends is
refused under art. 17(3)(b) and TTL and the S3 lifecycle delete them when it does (docs/operations.md,
"Answer a GDPR request"). A case filed by mistake, about the wrong person, is different: this erases
everything the service holds of it —

* its workflow (a running execution is stopped first, so nothing writes the case again);
* every item of its partition (the case, its history, messages, read markers) and every decision link that
  names it (operator tool: found by a scan, which no request path may do);
* every version of its signed PDF and certificate (``cases/<caseId>/``) and of each attached file;
* the comment its sender wrote with a rating, kept for the centre's managers (the counters it added stay:
  they name nobody);
* its confirmed pay transactions while they still wait for a pay-run file (docs/records.md §5). Once a file
  holds them they were handed to the payroll system: the receipt names the file's period, to correct there.

A closed case's write-once record (docs/records.md §3) is not erased — Object Lock in compliance mode allows
no one to — and need not be: it is kept because the law says so (art. 17(3)(b)). The receipt names it and
until when it is locked; it expires then.

It prints a receipt — what was erased, when, and why — for the request's file; the receipt names no person.
Point-in-time backups age out after 35 days; idempotency records (24 hours) and logs hold ids only.

Works against the running local stack by default and against AWS with ``--cases-table``, ``--bucket`` and
``--state-machine`` (the stack's outputs; credentials from the usual AWS environment).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from devstack.stack import local_stack_refs


def _delete_versions(s3: Any, bucket: str, prefix: str) -> int:
    """Every version and delete marker under ``prefix`` (the bucket is versioned)."""
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        for start in range(0, len(doomed), 1000):
            s3.delete_objects(Bucket=bucket, Delete={"Objects": doomed[start : start + 1000], "Quiet": True})
        deleted += len(doomed)
    return deleted


def _items(dynamodb: Any, table: str, case_id: str) -> list[dict[str, Any]]:
    """The case's partition, and the decision links that name it (elsewhere in the table)."""
    keys: list[dict[str, Any]] = []
    for page in dynamodb.get_paginator("query").paginate(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}},
        ProjectionExpression="pk, sk",
        ConsistentRead=True,
    ):
        keys += page["Items"]
    for page in dynamodb.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression="begins_with(pk, :link) AND caseId = :case",
        ExpressionAttributeValues={":link": {"S": "LINK#"}, ":case": {"S": case_id}},
        ProjectionExpression="pk, sk",
    ):
        keys += page["Items"]
    return keys


def _locked_record(s3: Any, records_bucket: str, case: Any) -> dict[str, Any] | None:
    """The case's write-once record, if one was kept: its objects and until when they are locked. It is not
    erased: the law that makes the organisation keep it exempts it (GDPR art. 17(3)(b); docs/records.md §3)."""
    from eforms.core.documents.records import prefix

    if not records_bucket:
        return None
    found = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=records_bucket, Prefix=prefix(case))
        for item in page.get("Contents", [])
    ]
    if not found:
        return None
    until = s3.head_object(Bucket=records_bucket, Key=found[0]).get("ObjectLockRetainUntilDate")
    return {"objects": len(found), "lockedUntil": until.isoformat() if until else None}


def _pay_run(table: str, case: Any) -> dict[str, Any]:
    """What the case left for its organisation's pay-run files (docs/records.md §5), for the receipt: its
    pending transactions are erased if still pending (conditionally: a cut may take them at the same moment),
    so a mistaken case never reaches the payroll system; a file that already holds them is named, not changed
    (payroll imported it, and the batch is its record)."""
    from eforms.aws.pay_run_store import DynamoPayRunStore

    registration = case.payroll.registration if case.payroll else None
    if registration is None or not registration.transactions:
        return {}
    store = DynamoPayRunStore(table)
    organisation = case.organisation_id or _default_organisation()
    if store.withdraw(organisation, case.case_id, registration.pay_period):
        return {"payRunPending": "erased: its transactions never reach the payroll system"}
    found = store.handed_over(organisation, case.case_id, registration.pay_period)
    if found is None:
        return {}
    return {
        "payRunFile": {
            "payPeriod": found[1],
            "why": "already handed to the payroll system in this pay-run file: correct it there",
        }
    }


def erase(
    case_id: str,
    *,
    reason: str,
    cases_table: str,
    bucket: str,
    state_machine: str,
    statistics_table: str = "",
    records_bucket: str = "",
) -> dict[str, Any]:
    """Erase the case; returns the receipt. Refuses a case id the table does not hold."""
    import boto3

    from eforms.aws.case_store import DynamoCaseStore
    from eforms.aws.statistics_store import comment_item
    from eforms.core.statistics.comments import comment_of

    case = DynamoCaseStore(cases_table).get(case_id)
    if case is None:
        raise SystemExit(f"no case {case_id}")
    sfn, dynamodb, s3 = boto3.client("stepfunctions"), boto3.client("dynamodb"), boto3.client("s3")
    stopped = 0
    running = sfn.list_executions(stateMachineArn=state_machine, statusFilter="RUNNING")
    for execution in running["executions"]:
        if execution["name"] == case_id or execution["name"].startswith(f"{case_id}-r"):
            sfn.stop_execution(executionArn=execution["executionArn"], cause="case erased (GDPR art. 17)")
            stopped += 1
    locked = _locked_record(s3, records_bucket, case)  # before anything is deleted: the receipt must say it
    keys = _items(dynamodb, cases_table, case_id)
    if case.case_number:  # the number's pointer (the number itself is never given to another case)
        keys.append({"pk": {"S": f"NUMBER#{case.case_number}"}, "sk": {"S": "CASE"}})
    pay_run = _pay_run(cases_table, case)
    for key in keys:
        dynamodb.delete_item(TableName=cases_table, Key=key)
    comment = comment_of(case, _default_organisation())
    if comment is not None and statistics_table:
        item = comment_item(comment, case.expires_at)
        dynamodb.delete_item(TableName=statistics_table, Key={"pk": item["pk"], "sk": item["sk"]})
    files = _delete_versions(s3, bucket, f"cases/{case_id}/")
    for attachment in case.attachments:
        files += _delete_versions(s3, bucket, attachment.key)
    receipt = {
        "caseId": case_id,
        "formId": case.form_id,
        "erasedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "reason": reason,
        "items": len(keys) + (1 if comment is not None and statistics_table else 0),
        "fileVersions": files,
        "executionsStopped": stopped,
    }
    receipt.update(pay_run)
    if locked is not None:
        receipt["lockedRecord"] = {
            **locked,
            "why": "kept write-once for the record's legal retention (GDPR art. 17(3)(b)); it expires then",
        }
    return receipt


def _default_organisation() -> str:
    from devstack.template import ROOT
    from eforms.core.organisations.registry import Registry

    registry = Registry.read(ROOT / "organisations")
    return registry.default if registry else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev erase-case", description=__doc__.split("\n\n")[0])
    parser.add_argument("case_id")
    parser.add_argument("--reason", required=True, help="why (e.g. the request's reference); kept in the receipt")
    parser.add_argument("--cases-table")
    parser.add_argument("--bucket", help="the CaseDocumentsBucket")
    parser.add_argument("--state-machine", help="the approval state machine's ARN")
    parser.add_argument("--statistics-table", help="the StatisticsTable (a rating's comment)")
    parser.add_argument("--records-bucket", help="the RecordsBucket (a closed case's locked record, reported)")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not args.cases_table else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass the stack's names")
    receipt = erase(
        args.case_id,
        reason=args.reason,
        cases_table=args.cases_table or refs["CasesTable"],
        bucket=args.bucket or refs["CaseDocumentsBucket"],
        state_machine=args.state_machine or refs["ApprovalStateMachine"],
        statistics_table=args.statistics_table or refs.get("StatisticsTable", ""),
        records_bucket=args.records_bucket or refs.get("RecordsBucket", ""),
    )
    print(json.dumps(receipt, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
