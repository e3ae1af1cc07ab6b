"""Attachments when AWS fails (faults injected at the botocore layer): the upload's check and the submission
that uses it answer 503 with Retry-After, lose no file, attach nothing half-way, and work when retried."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eforms import wiring
from tests.support import new_form, uploads
from tests.support.faults import throttled
from tests.support.flows import emails_for
from tests.support.uploads import PDF
from tests.support.world import Api, World

KIND = "course-description"


@pytest.fixture(autouse=True)
def published(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(new_form.publish(tmp_path)))
    wiring.reset()


def _posted(api: Api) -> str:
    """An upload whose file is in quarantine, not yet checked."""
    started = uploads.start(api, new_form.FORM_ID, KIND).json()
    assert uploads.post_file(started["upload"], PDF).status_code == 204
    return str(started["uploadId"])


def _keys(world: World) -> set[str]:
    listed = world.client("s3").list_objects_v2(Bucket=world.refs["CaseDocumentsBucket"])
    return {o["Key"] for o in listed.get("Contents", [])}


def _unavailable(reply: Any) -> None:
    assert (reply.status, reply.json()["code"], reply.headers["retry-after"]) == (503, "service_unavailable", "5")


@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("s3", "GetObject"),  # reading the file to check it
        ("s3", "CopyObject"),  # out of quarantine
        ("dynamodb", "PutItem"),  # recording the verdict, after the copy
        ("s3", "DeleteObject"),  # clearing quarantine, after the verdict is recorded
    ],
)
def test_a_check_that_fails_at_any_step_keeps_the_file_and_succeeds_when_retried(
    api: Api, world: World, service_logs: Any, service: str, operation: str
) -> None:
    upload_id = _posted(api)
    with throttled(service, operation) as refused:
        reply = api.call("POST", f"/uploads/{upload_id}/check")
    assert refused
    _unavailable(reply)
    world.settle()
    assert '"aws unavailable"' in service_logs.getvalue()  # visible to ops

    retried = api.call("POST", f"/uploads/{upload_id}/check")
    assert (retried.status, retried.json()["state"]) == (200, "clean"), retried.text
    # The file is out of quarantine exactly once, whichever step failed; a quarantine copy a failed delete
    # left behind is the lifecycle rule's (one day), never a second attachment.
    assert f"attachments/{upload_id}" in _keys(world)
    submitted = api.call(
        "POST",
        "/cases",
        json_body={"formId": new_form.FORM_ID, "data": new_form.SHORT, "attachments": [upload_id]},
    )
    assert submitted.status == 201, submitted.text


@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("s3", "PutObjectTagging"),  # the file stops being a draft (before the case is written)
        ("dynamodb", "TransactWriteItems"),  # the case, its upload records used up
    ],
)
def test_a_submission_that_fails_creates_nothing_and_keeps_the_uploads_for_the_retry(
    api: Api, world: World, service: str, operation: str
) -> None:
    upload_id = uploads.attach(api, new_form.FORM_ID, KIND, PDF)
    body = {"formId": new_form.FORM_ID, "data": new_form.SHORT, "attachments": [upload_id], "emailReceipt": True}
    cases_before = api.call("GET", "/cases").json()["items"]
    with throttled(service, operation) as refused:
        reply = api.call("POST", "/cases", json_body=body)
    assert refused
    _unavailable(reply)
    assert api.call("GET", "/cases").json()["items"] == cases_before  # no case, not even half of one
    assert api.call("GET", f"/uploads/{upload_id}").json()["state"] == "clean"  # still the employee's to use

    retried = api.call("POST", "/cases", json_body=body)
    assert retried.status == 201, retried.text
    case = retried.json()
    assert [a["id"] for a in case["attachments"]] == [upload_id]
    assert len(emails_for(case["caseId"], "receipt")) == 1  # told once, for the one case
