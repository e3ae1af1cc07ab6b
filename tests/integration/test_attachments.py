"""Attachments end to end: announced through the API, posted straight to S3 with a presigned POST, checked
out of quarantine, attached at submission, downloaded by exactly those who may see the case — and every bad
input refused with a clear 4xx, nothing attached."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from eforms import wiring
from tests.support import new_form, uploads
from tests.support.flows import emails_for, link_path, post_page
from tests.support.uploads import EICAR, PDF, PNG
from tests.support.world import Api, World

KIND = "course-description"


@pytest.fixture(autouse=True)
def published(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(new_form.publish(tmp_path)))
    wiring.reset()


def _submit(api: Api, attachments: list[str], *, as_: str = "anna") -> Any:
    body = {"formId": new_form.FORM_ID, "data": new_form.SHORT, "attachments": attachments}
    return api.call("POST", "/cases", as_=as_, json_body=body)


def _object_tags(world: World, key: str) -> dict[str, str]:
    tags = world.client("s3").get_object_tagging(Bucket=world.refs["CaseDocumentsBucket"], Key=key)["TagSet"]
    return {t["Key"]: t["Value"] for t in tags}


def test_the_form_declares_its_kinds_and_the_presigned_post_fixes_key_type_and_size(api: Api) -> None:
    [declared] = api.call("GET", f"/forms/{new_form.FORM_ID}").json()["attachments"]
    assert declared == {
        "kind": KIND,
        "title": "Kursbeskrivning",
        "required": True,
        "maxCount": 2,
        "maxBytes": 1024 * 1024,
        "types": ["application/pdf", "image/png"],
    }
    started = uploads.start(api, new_form.FORM_ID, KIND)
    assert started.status == 201
    body = started.json()
    assert body["state"] == "pending"
    policy = json.loads(base64.b64decode(body["upload"]["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"key": f"quarantine/{body['uploadId']}"} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1, 1024 * 1024] in conditions
    # Checking before the browser has posted anything: nothing to check yet.
    early = api.call("POST", f"/uploads/{body['uploadId']}/check")
    assert (early.status, early.json()["code"]) == (409, "file_not_uploaded")


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        ({"kind": "passport"}, "/kind", "invalid_choice"),
        ({"contentType": "application/x-msdownload"}, "/contentType", "file_type_not_allowed"),
        ({"size": 1024 * 1024 + 1}, "/size", "file_too_large"),
        ({"size": 0}, "/size", "file_empty"),
        ({"name": "../../etc/passwd"}, "/name", "unsafe_file_name"),
        ({"name": "C:\\Users\\anna\\kurs.pdf"}, "/name", "unsafe_file_name"),
        ({"name": "kurs\u202egpj.pdf"}, "/name", "control_characters"),
        ({"name": "x" * 201}, "/name", "too_long"),
        ({"formId": "no-such-form"}, "/formId", "unknown_form"),
        ({"bytes": "JVBERi0="}, "/bytes", "unknown_field"),  # the API never carries the file
    ],
)
def test_a_bad_announcement_is_a_422_naming_the_field(
    api: Api, change: dict[str, Any], pointer: str, code: str
) -> None:
    body = {"formId": new_form.FORM_ID, "kind": KIND, "name": "kurs.pdf", "contentType": "application/pdf", "size": 100}
    refused = api.call("POST", "/uploads", json_body={**body, **change})
    assert refused.status == 422, refused.text
    assert (pointer, code) in refused.codes


@pytest.mark.parametrize(
    ("content", "content_type", "code"),
    [
        (EICAR, "application/pdf", "file_infected"),
        (b"%PDF-1.4 " + EICAR, "application/pdf", "file_infected"),  # inside a real-looking PDF
        (PNG, "application/pdf", "file_type_mismatch"),  # a PNG named .pdf
        (b"MZ\x90\x00" + b"\x00" * 60, "image/png", "file_type_mismatch"),  # a program posing as an image
        (b"%PDF-" + b"0" * (1024 * 1024), "application/pdf", "file_too_large"),  # larger than announced allows
    ],
)
def test_a_file_that_fails_the_check_is_deleted_and_refused(
    api: Api, world: World, content: bytes, content_type: str, code: str
) -> None:
    body = uploads.start(
        api, new_form.FORM_ID, KIND, content_type=content_type, size=min(len(content), 1024 * 1024)
    ).json()
    assert uploads.post_file(body["upload"], content).status_code == 204
    refused = api.call("POST", f"/uploads/{body['uploadId']}/check")
    assert refused.status == 422, refused.text
    assert refused.codes == [("/file", code)]
    listed = world.client("s3").list_objects_v2(Bucket=world.refs["CaseDocumentsBucket"]).get("Contents", [])
    assert body["uploadId"] not in " ".join(o["Key"] for o in listed)  # deleted, not kept anywhere
    assert api.call("POST", f"/uploads/{body['uploadId']}/check").codes == [("/file", code)]  # and stays refused
    # A refused upload cannot join a case.
    assert _submit(api, [body["uploadId"]]).codes == [("/attachments/0", "file_rejected")]


def test_a_clean_file_joins_the_case_and_exactly_those_who_may_see_the_case_download_it(api: Api, world: World) -> None:
    upload_id = uploads.attach(api, new_form.FORM_ID, KIND, PDF, name="Kursplan vt 2027.pdf")
    checked = api.call("GET", f"/uploads/{upload_id}").json()
    assert (checked["state"], checked["size"], checked["sha256"]) == (
        "clean",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )
    assert _object_tags(world, f"attachments/{upload_id}") == {"retentionYears": "2", "state": "draft"}
    # Someone else's upload is nobody's: not shown, not usable.
    assert api.call("GET", f"/uploads/{upload_id}", as_="erik").status == 404
    assert api.call("POST", f"/uploads/{upload_id}/check", as_="erik").status == 404
    stolen = _submit(api, [upload_id], as_="erik")
    assert stolen.codes == [("/attachments/0", "upload_not_found")]

    submitted = _submit(api, [upload_id])
    assert submitted.status == 201, submitted.text
    case = submitted.json()
    [attachment] = case["attachments"]
    assert attachment == {
        "id": upload_id,
        "kind": KIND,
        "kindTitle": "Kursbeskrivning",
        "name": "Kursplan vt 2027.pdf",
        "contentType": "application/pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    # No longer a draft: kept as long as the case.
    assert _object_tags(world, f"attachments/{upload_id}") == {"retentionYears": "2"}
    # Used up: the same upload cannot join a second case.
    assert _submit(api, [upload_id]).codes == [("/attachments/0", "upload_not_found")]

    path = f"/cases/{case['caseId']}/attachments/{upload_id}"
    for who in ("anna", "maria"):  # the employee, and her manager who decides
        link = api.call("GET", path, as_=who)
        assert link.status == 200, (who, link.text)
        downloaded = requests.get(link.json()["url"], timeout=10)
        assert downloaded.content == PDF
        assert "Kursplan%20vt%202027.pdf" in link.json()["url"]  # downloads under its own name
    assert api.call("GET", path, as_="erik").status == 404  # a colleague sees nothing
    assert api.call("GET", f"/cases/{case['caseId']}/attachments/up_{'x' * 22}").status == 404


def test_required_missing_unchecked_and_too_many_are_refused_and_nothing_is_stored(api: Api, world: World) -> None:
    before = len(world.table_items("CasesTable"))
    assert _submit(api, []).codes == [("/attachments", "attachment_required")]
    pending = uploads.start(api, new_form.FORM_ID, KIND).json()["uploadId"]
    assert _submit(api, [pending]).codes == [("/attachments/0", "upload_not_checked")]
    three = [uploads.attach(api, new_form.FORM_ID, KIND) for _ in range(3)]
    assert _submit(api, three).codes == [("/attachments", "too_many_files")]
    assert _submit(api, [three[0], three[0]]).codes == [("/attachments", "duplicate_items")]
    assert _submit(api, ["../../etc"]).codes == [("/attachments/0", "upload_not_found")]
    cases = [i for i in world.table_items("CasesTable") if i["sk"]["S"] == "CASE"]
    assert cases == []
    assert len(world.table_items("CasesTable")) == before + 4  # only the four upload records


def test_the_emailed_decision_page_lists_the_files_and_downloads_them_while_the_link_is_open(api: Api) -> None:
    """A manager deciding from the email needs no sign-in to read what the employee attached."""
    upload_id = uploads.attach(api, new_form.FORM_ID, KIND, PDF, name="Kursplan <vt> 2027.pdf")
    case_id = _submit(api, [upload_id]).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    link = link_path(request)
    page = api.call("GET", link, as_=None)
    assert "Kursplan &lt;vt&gt; 2027.pdf" in page.text  # escaped, never markup
    assert hashlib.sha256(PDF).hexdigest() in page.text
    download = f"{link}/attachments/{upload_id}"
    assert f'href="{link.rsplit("/", 1)[1]}/attachments/{upload_id}"' in page.text  # relative to the page

    redirected = api.call("GET", download, as_=None)
    assert redirected.status == 302
    assert redirected.headers["referrer-policy"] == "no-referrer"  # S3 never sees the token
    assert requests.get(redirected.headers["location"], timeout=10).content == PDF
    # Nothing else is reachable through the link: another id, or another case's file.
    assert api.call("GET", f"{link}/attachments/up_{'x' * 22}", as_=None).status == 404
    tampered = link[:-1] + ("A" if link[-1] != "A" else "B")
    assert api.call("GET", f"{tampered}/attachments/{upload_id}", as_=None).status == 404

    assert post_page(api, link, decision="approve", lang="sv").status == 200
    assert api.call("GET", download, as_=None).status == 410  # a used link opens nothing any more
