"""Form versions over time: publishing v2 while v1 cases are in flight.

A case stays on the version it was filed on — its correction is checked against v1 and its route is the one
snapshotted at submission — while new cases take v2, or v1 only during the grace period v2 declares."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from eforms import wiring
from tests.support import new_form, uploads
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.world import Api, World

KIND = "course-description"


def _v2(previous_accepted_until: str | None = None) -> dict[str, Any]:
    """Study leave v2: a new required field (the course provider), and only the manager decides."""
    document = copy.deepcopy(new_form.DOCUMENT)
    document["x-eform"]["version"] = 2
    document["x-eform"]["route"] = [{"approver": "manager"}, {"approver": "payroll"}]
    if previous_accepted_until:
        document["x-eform"]["previousAcceptedUntil"] = previous_accepted_until
    document["required"] = [*document["required"], "provider"]
    document["properties"]["provider"] = {
        "title": "Utbildningsanordnare",
        "x-en": {"title": "Course provider"},
        "type": "string",
        "minLength": 2,
        "maxLength": 200,
    }
    return document


@pytest.fixture
def catalogue(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    root = new_form.publish(tmp_path)
    monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(root))
    wiring.reset()
    return root


def _publish_v2(root: Path, previous_accepted_until: str | None = None) -> None:
    path = root / new_form.FORM_ID / "v2.json"
    path.write_text(json.dumps(_v2(previous_accepted_until), ensure_ascii=False), encoding="utf-8")
    wiring.reset()  # a new deployment: the functions load the catalogue afresh


def _file(api: Api, data: dict[str, Any], version: int | None = None) -> Any:
    upload = uploads.start(api, new_form.FORM_ID, KIND) if version is None else _start(api, version)
    started = upload.json()
    assert upload.status == 201, upload.text
    assert uploads.post_file(started["upload"], uploads.PDF).status_code == 204
    assert api.call("POST", f"/uploads/{started['uploadId']}/check").status == 200
    body: dict[str, Any] = {"formId": new_form.FORM_ID, "data": data, "attachments": [started["uploadId"]]}
    if version is not None:
        body["formVersion"] = version
    return api.call("POST", "/cases", json_body=body)


def _start(api: Api, version: int) -> Any:
    body = {
        "formId": new_form.FORM_ID,
        "formVersion": version,
        "kind": KIND,
        "name": "kurs.pdf",
        "contentType": "application/pdf",
        "size": len(uploads.PDF),
    }
    return api.call("POST", "/uploads", json_body=body)


def test_a_v1_case_returned_after_v2_is_published_is_corrected_and_decided_on_v1(api: Api, catalogue: Path) -> None:
    filed = _file(api, new_form.SHORT)
    assert (filed.status, filed.json()["formVersion"]) == (201, 1)
    case_id = filed.json()["caseId"]
    [to_maria] = emails_for(case_id, "approval-initial")
    post_page(api, link_path(to_maria), decision="return", fields=["/period"], message="Fel vecka.", lang="sv")
    returned = wait_for(api, case_id, "returned")

    _publish_v2(catalogue)
    assert api.call("GET", f"/forms/{new_form.FORM_ID}").json()["version"] == 2
    # The employee's case page still reads the form her case was filed on.
    assert api.call("GET", f"/forms/{new_form.FORM_ID}", query="version=1").json()["version"] == 1

    # The correction is checked against v1: v2's new required field is not asked of her.
    corrected = {**new_form.SHORT, "period": {"from": "2027-02-08", "to": "2027-02-12"}}
    resubmitted = api.call(
        "POST", f"/cases/{case_id}/resubmission", json_body={"data": corrected, "version": returned["version"]}
    )
    assert resubmitted.status == 200, resubmitted.text
    assert resubmitted.json()["formVersion"] == 1
    # ...and v1's route, snapshotted at submission, still runs: manager, then the team v2 no longer has.
    [*_, again] = emails_for(case_id, "approval-initial", count=2)
    assert post_page(api, link_path(again), decision="approve", lang="sv").status == 200
    [*_, to_team] = emails_for(case_id, "approval-initial", count=3)
    assert to_team.to == ["sara.ek@example.se"]
    assert wait_for(api, case_id, "awaiting_approval", as_="sara")["formVersion"] == 1


def test_new_cases_take_v2_and_v1_is_refused_once_v2_gives_no_grace(api: Api, catalogue: Path) -> None:
    _publish_v2(catalogue)
    without_provider = _file(api, new_form.SHORT)
    assert without_provider.codes == [("/data/provider", "required")]  # filed on v2 unless asked otherwise
    filed = _file(api, {**new_form.SHORT, "provider": "Arbetsrättsakademin"})
    assert (filed.status, filed.json()["formVersion"]) == (201, 2)
    assert [s["approver"] for s in filed.json()["route"]] == ["manager", "payroll"]

    # An old browser tab still holding v1: a clear 422 on the envelope, for the upload and the case alike.
    started = _start(api, 1)
    assert started.codes == [("/formVersion", "form_version_retired")]
    assert "version 2" in started.json()["errors"][0]["message"]
    body = {"formId": new_form.FORM_ID, "formVersion": 1, "data": new_form.SHORT, "attachments": []}
    assert api.call("POST", "/cases", json_body=body).codes == [("/formVersion", "form_version_retired")]


@pytest.mark.parametrize(("until", "accepted"), [("2099-12-31", True), ("2000-01-01", False)])
def test_v1_is_accepted_only_during_the_grace_period_v2_declares(
    api: Api, catalogue: Path, until: str, accepted: bool
) -> None:
    _publish_v2(catalogue, until)
    started = _start(api, 1)
    if not accepted:
        assert started.codes == [("/formVersion", "form_version_retired")]
        return
    filed = _file(api, new_form.SHORT, version=1)
    assert (filed.status, filed.json()["formVersion"]) == (201, 1), filed.text
