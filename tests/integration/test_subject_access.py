"""`python3 dev subject-access`: a GDPR access request answered from the real tables and bucket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eforms import wiring
from ops import subject_access
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import CERTIFICATE, LEAVE, support_for
from tests.support.world import Api, World


def test_the_export_holds_every_case_about_or_filed_by_the_person_with_its_pdf(
    world: World, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    leave = api.submit(LEAVE).json()["caseId"]
    post_page(api, link_path(emails_for(leave, "approval-initial")[0]), decision="approve", message="", lang="sv")
    wait_for(api, leave, "at_payroll")
    certificate = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    for_anna = api.submit(support_for("anna"), form="payroll-support", as_="maria").json()["caseId"]
    others = api.submit(LEAVE, as_="erik").json()["caseId"]  # erik's own: not anna's business
    at_payroll = wait_for(api, certificate, "at_payroll")
    api.call("POST", f"/cases/{certificate}/messages", as_="pia", json_body={"text": "Vilken period?"})
    issued = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    delivered = api.call(
        "PUT",
        f"/cases/{certificate}/certificate",
        as_="pia",
        body=issued,
        headers={"content-type": "application/pdf"},
        query=f"version={at_payroll['version'] + 1}",
    )
    assert delivered.status == 200, delivered.text
    sent = api.call(
        "POST",
        f"/cases/{certificate}/closure",
        as_="pia",
        json_body={"version": delivered.json()["version"], "outcome": "delivered"},
    )
    assert sent.status == 200, sent.text

    # An operator's shell has none of the functions' environment, only credentials and the stack's outputs.
    for name in ("CASES_TABLE", "DIRECTORY_TABLE", "DOCUMENTS_BUCKET", "EFORMS_SCHEMA_DIR"):
        monkeypatch.delenv(name)
    wiring.reset()  # nor the settings this process cached while the handlers ran
    refs = world.refs
    names = ["--cases-table", refs["CasesTable"], "--directory-table", refs["DirectoryTable"]]
    assert subject_access.main(["anna", str(tmp_path / "anna"), *names, "--bucket", refs["CaseDocumentsBucket"]]) == 0
    assert "Exported 3 cases" in capsys.readouterr().out

    document = json.loads((tmp_path / "anna" / "subject-access.json").read_text(encoding="utf-8"))
    assert document["directoryEntry"]["email"] == "anna.andersson@example.se"
    cases = {case["caseId"]: case for case in document["cases"]}
    assert set(cases) == {leave, certificate, for_anna}
    assert others not in cases
    assert [h["action"] for h in cases[leave]["history"]][-2:] == ["approved", "handed_to_payroll"]
    assert cases[leave]["data"] == LEAVE
    pdf = tmp_path / "anna" / cases[leave]["pdfFile"]
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [m["text"] for m in cases[certificate]["messages"]] == ["Vilken period?"]
    assert (tmp_path / "anna" / cases[certificate]["certificateFile"]).read_bytes() == issued

    # The manager who filed on anna's behalf gets that case in her own export too; erik gets his own.
    for person, expected in (("maria", {for_anna}), ("erik", {others})):
        out = tmp_path / person
        assert subject_access.main([person, str(out), *names, "--bucket", refs["CaseDocumentsBucket"]]) == 0
        exported = json.loads((out / "subject-access.json").read_text(encoding="utf-8"))
        assert {case["caseId"] for case in exported["cases"]} == expected, person


def test_half_the_aws_names_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        subject_access.main(["anna", str(tmp_path), "--cases-table", "t"])
    assert refused.value.code == 2


def test_someone_who_signed_in_with_bankid_is_found_by_personnummer(
    api: Api, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outsider has no employee id to give: the request names their personnummer, hashed as at sign-in."""
    from tests.integration.test_bankid import KIM, KIM_CLAIMS

    body = {"formId": "certificate-request", "data": {**CERTIFICATE, "personnummer": KIM}}
    case_id = api.call("POST", "/bankid/cases", as_=KIM_CLAIMS, json_body=body).json()["caseId"]
    refs = world.refs
    names = ["--cases-table", refs["CasesTable"], "--directory-table", refs["DirectoryTable"]]
    names += ["--bucket", refs["CaseDocumentsBucket"], "--personnummer-key", refs["PersonnummerKey"]]
    assert subject_access.main([KIM, str(tmp_path / "kim"), "--personnummer", *names]) == 0
    exported = json.loads((tmp_path / "kim" / "subject-access.json").read_text(encoding="utf-8"))
    assert [case["caseId"] for case in exported["cases"]] == [case_id]
    assert exported["directoryEntry"] is None
