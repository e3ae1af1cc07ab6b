"""Signed PDFs: produced by the workflow, stored privately, read back, and downloadable by the entitled."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from eforms.core.documents.fingerprint import fingerprint
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import CERTIFICATE, LEAVE
from tests.support.world import Api, World


def _pdf_text(api: Api, case_id: str, as_: str = "anna") -> tuple[str, dict[str, Any]]:
    reply = api.call("GET", f"/cases/{case_id}/pdf", as_=as_)
    assert reply.status == 200, reply.text
    link = reply.json()
    response = requests.get(link["url"], timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), link


def _approved(api: Api, data: dict[str, Any] | None = None, *, as_: str = "anna") -> str:
    case_id = api.submit(data or LEAVE, as_=as_).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="approve", message="Trevlig ledighet!").status == 200
    case = wait_for(api, case_id, "at_payroll", as_=as_)
    assert case["hasPdf"] is True
    return str(case_id)


def test_an_approved_case_has_a_pdf_with_its_data_decision_and_fingerprint(world: World, api: Api) -> None:
    case_id = _approved(api)
    text, link = _pdf_text(api, case_id)
    case = api.call("GET", f"/cases/{case_id}").json()
    assert link["fingerprint"] == case["fingerprint"]
    flat = text.replace("\n", "")
    assert case["fingerprint"] in flat
    for expected in (
        "Ledighetsansökan",
        case_id,
        "Anna Andersson",
        "Typ av ledighet",
        "Semester",
        "2026-12-21",
        "Beviljad",
        "Maria Lind",
        "Chef",
        "Trevlig ledighet!",
    ):
        assert expected in text, expected
    assert "semester " not in text  # the choice's title, not its code
    assert "(anna)" not in text  # people by name, not by the service's ids (issue 29)
    assert "(maria)" not in text
    from eforms import wiring

    stored = wiring.case_store().get(case_id)
    assert stored is not None
    assert fingerprint(stored) == case["fingerprint"]  # recomputable from the stored case
    assert case["payroll"]["sla"] in ("on_time", "due_today")
    assert case["payroll"]["payPeriod"] >= "2026-11"


def test_object_keys_carry_no_personal_data(world: World, api: Api) -> None:
    case_id = _approved(api)
    s3 = world.client("s3")
    [item] = s3.list_objects_v2(Bucket=world.refs["CaseDocumentsBucket"])["Contents"]
    assert item["Key"].startswith(f"cases/{case_id}/")
    head = s3.head_object(Bucket=world.refs["CaseDocumentsBucket"], Key=item["Key"])
    assert head["ServerSideEncryption"] == "aws:kms"
    tags = s3.get_object_tagging(Bucket=world.refs["CaseDocumentsBucket"], Key=item["Key"])["TagSet"]
    assert tags == [{"Key": "retentionYears", "Value": "2"}]


@pytest.mark.parametrize(
    ("persona", "status"), [("anna", 200), ("maria", 200), ("pia", 200), ("erik", 404), ("sven", 404), ("ada", 404)]
)
def test_who_may_download(api: Api, persona: str, status: int) -> None:
    case_id = _approved(api)
    assert api.call("GET", f"/cases/{case_id}/pdf", as_=persona).status == status


def test_a_certificate_has_a_pdf_too(api: Api) -> None:
    case_id = api.submit(CERTIFICATE, form="certificate-request").json()["caseId"]
    case = wait_for(api, case_id, "at_payroll")
    assert case["hasPdf"]
    text, _ = _pdf_text(api, case_id, as_="pia")
    assert "Intyg" in text
    assert "direkt till Lönecentrum" in text


def test_no_pdf_before_a_decision(api: Api) -> None:
    case_id = api.submit(LEAVE).json()["caseId"]
    wait_for(api, case_id, "awaiting_approval")
    reply = api.call("GET", f"/cases/{case_id}/pdf")
    assert (reply.status, reply.json()["code"]) == (404, "pdf_not_available")


def test_every_script_and_emoji_render(world: World, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    world.update_employee("anna", name="Áslat Ŋuolja-Łukasiewicz Đorđević Москва 🌍")
    # The personas outlive the test (the token's name is Anna's for every later test on this worker).
    monkeypatch.setattr(api.personas["anna"], "name", "Áslat Ŋuolja-Łukasiewicz Đorđević Москва 🌍")
    comment = "Hälsningar ÆØÅ æøå 👋🏽 " + "x" * 1900
    case_id = _approved(api, {**LEAVE, "comment": comment})
    text, _ = _pdf_text(api, case_id)
    for word in ("Áslat", "Ŋuolja-Łukasiewicz", "Đorđević", "Москва", "ÆØÅ"):
        assert word in text, word
