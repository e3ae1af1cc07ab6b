"""A closed case's record, kept write-once for its retention (docs/records.md §3): through the real workflow,
desk, outbox, bus, queue and archive function, into a bucket with S3 Object Lock in compliance mode."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

import pytest
from botocore.exceptions import ClientError

from devstack import lambdas
from devstack.template import load
from eforms.aws.case_store import DynamoCaseStore
from eforms.core.cases import chain
from eforms.core.cases.model import Case
from tests.support.faults import throttled
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import Api, World


def _do(api: Api, case: dict[str, Any], action: str, as_: str, **body: Any) -> dict[str, Any]:
    reply = api.call(
        "POST", f"/cases/{case['caseId']}/{action}", as_=as_, json_body={"version": case["version"], **body}
    )
    assert reply.status == 200, reply.text
    found: dict[str, Any] = reply.json()
    return found


def _completed(api: Api, world: World) -> Case:
    """A payroll support case: to payroll, claimed, registered and checked by a second officer."""
    case = wait_for(api, api.submit(SUPPORT, form="payroll-support").json()["caseId"], "at_payroll")
    case = _do(api, case, "claim", "pia")
    case = _do(api, case, "registration", "pia", reference="HR-2027-0042", payPeriod="2026-12")
    case = _do(api, case, "registration/check", "per", outcome="approve")
    assert case["status"] == "completed"
    world.settle()
    stored = DynamoCaseStore(world.refs["CasesTable"]).get(case["caseId"])
    assert stored is not None
    return stored


def _kept(world: World, case: Case) -> dict[str, dict[str, Any]]:
    """Every object version under the case's record, by key (each key once: nothing was written twice)."""
    s3 = world.client("s3")
    prefix = f"records/{case.organisation_id or 'default'}/{case.case_id}/"
    versions = s3.list_object_versions(Bucket=world.refs["RecordsBucket"], Prefix=prefix).get("Versions", [])
    assert len({v["Key"] for v in versions}) == len(versions), "an object was written twice"
    return {
        v["Key"].removeprefix(prefix): s3.head_object(Bucket=world.refs["RecordsBucket"], Key=v["Key"]) | {"v": v}
        for v in versions
    }


def test_a_completed_case_is_kept_locked_until_its_retention_ends(api: Api, world: World) -> None:
    case = _completed(api, world)
    kept = _kept(world, case)
    assert set(kept) == {"record.json", "case.pdf"}
    for key, head in kept.items():
        assert head["ObjectLockMode"] == "COMPLIANCE"
        tags = world.client("s3").get_object_tagging(Bucket=world.refs["RecordsBucket"], Key=head["v"]["Key"])
        assert tags["TagSet"] == [{"Key": "retentionYears", "Value": "2"}], key  # the lifecycle's, after the lock
        assert head["ObjectLockRetainUntilDate"].astimezone(UTC) == case.expires_at.replace(microsecond=0)
    s3, bucket = world.client("s3"), world.refs["RecordsBucket"]
    key = f"records/{case.organisation_id or 'default'}/{case.case_id}/record.json"
    record = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert record["format"] == "eforms-case-record/1"
    assert (record["caseId"], record["status"], record["formId"]) == (case.case_id, "completed", "payroll-support")
    # The locked record anchors the history: its head is the case's chain as it closed.
    assert record["chainHead"] in chain.hashes(case)
    assert [h["action"] for h in record["history"]][-1] == "registration_approved"
    pdf = s3.get_object(Bucket=bucket, Key=key.replace("record.json", "case.pdf"))["Body"].read()
    documents = world.client("s3").get_object(Bucket=world.refs["CaseDocumentsBucket"], Key=case.pdf_key)["Body"].read()
    assert pdf == documents
    from ops.verify_case import verify

    found = verify(case.case_id, cases_table=world.refs["CasesTable"], records_bucket=bucket)
    assert found is not None
    assert any(line.startswith("ok    record: locked until") for line in found.lines), found.lines
    # Nobody deletes a locked version. (Shortening a compliance lock is refused by S3 too; moto does not
    # enforce that part, so it is not asserted here: ../shared/EMULATOR-NOTES.md, docs/records.md §3.)
    version = kept["record.json"]["v"]["VersionId"]
    with pytest.raises(ClientError) as refused:
        s3.delete_object(Bucket=bucket, Key=key, VersionId=version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_a_rejected_case_is_kept_without_a_pdf_and_a_redelivered_event_writes_nothing(api: Api, world: World) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="reject", message="Semesterstopp i december.").status == 200
    wait_for(api, case_id, "rejected")
    world.settle()
    case = DynamoCaseStore(world.refs["CasesTable"]).get(case_id)
    assert case is not None
    assert set(_kept(world, case)) == {"record.json"}
    detail = {
        "caseId": case_id,
        "formId": case.form_id,
        "formVersion": 1,
        "status": "rejected",
        "caseVersion": 9,
        "at": "2026-12-07T10:00:00.000000Z",
        "actor": {"id": "maria", "role": "approver"},
        "details": {},
    }
    body = {"source": "eforms.cases", "detail-type": "case.rejected", "detail": detail}
    message = {"messageId": "again", "body": json.dumps(body), "receiptHandle": "x", "md5OfBody": ""}
    again = {"Records": [{**message, "attributes": {"ApproximateReceiveCount": "2"}, "eventSource": "aws:sqs"}]}
    assert lambdas.invoke(load().function("ArchiveFunction"), again) == {"batchItemFailures": []}
    assert set(_kept(world, case)) == {"record.json"}  # still one version of each


def test_s3_failing_loses_no_record_and_the_retry_keeps_each_object_once(api: Api, world: World) -> None:
    with throttled("s3", "PutObject", times=4, carrying="record.json") as refused:
        case = _completed(api, world)
    assert refused
    world.settle()
    assert set(_kept(world, case)) == {"record.json", "case.pdf"}


def test_erasing_a_closed_case_erases_the_working_copy_and_names_the_locked_record(api: Api, world: World) -> None:
    """GDPR erasure and write-once storage, reconciled (docs/records.md §3): the record the law makes the
    organisation keep stays locked, and the receipt says so and until when."""
    from ops.erase_case import erase

    case = _completed(api, world)
    receipt = erase(
        case.case_id,
        reason="DSR-2026-118",
        cases_table=world.refs["CasesTable"],
        bucket=world.refs["CaseDocumentsBucket"],
        state_machine=world.refs["ApprovalStateMachine"],
        records_bucket=world.refs["RecordsBucket"],
    )
    assert api.call("GET", f"/cases/{case.case_id}").status == 404
    assert receipt["lockedRecord"]["objects"] == 2
    assert receipt["lockedRecord"]["lockedUntil"].startswith(case.expires_at.date().isoformat())
    assert set(_kept(world, case)) == {"record.json", "case.pdf"}


def test_two_deliveries_at_once_write_one_locked_version(world: World) -> None:
    """Both found the object missing; the write is conditional (If-None-Match), so the second keeps nothing."""
    from datetime import datetime, timedelta

    from eforms.aws.record_store import S3RecordStore

    store = S3RecordStore(world.refs["RecordsBucket"], world.refs["CaseDocumentsBucket"])
    until = datetime.now(UTC) + timedelta(days=730)
    key = "records/sundsvik/01JEFORMSRACE000000000000/record.json"
    assert store.keep(key, b'{"first": true}', "application/json", until, 2) is True
    assert store.keep(key, b'{"second": true}', "application/json", until, 2) is False
    versions = world.client("s3").list_object_versions(Bucket=world.refs["RecordsBucket"], Prefix=key)["Versions"]
    assert len(versions) == 1
    body = world.client("s3").get_object(Bucket=world.refs["RecordsBucket"], Key=key)["Body"].read()
    assert body == b'{"first": true}'
