"""Every PDF the product makes carries the centre's seal (docs/records.md §1): the case PDF and the monthly
service report verify as PAdES seals in pyHanko's validator and in poppler's pdfsig, one changed byte fails
both, and a seal that does not verify publishes nothing and tells ops."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest

from devstack import seal as local_seal
from eforms import wiring
from eforms.aws.case_store import DynamoCaseStore
from eforms.core.cases import chain
from eforms_pdf import sealing
from ops.verify_case import configured_seal_chain, verify
from tests.integration.test_service_reports import FIRST_WORKING_DAY, _november, _reports, _run
from tests.support.faults import throttled
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.samples import LEAVE
from tests.support.seals import one_byte_changed, verdicts
from tests.support.world import Api, World


def _approved(api: Api) -> str:
    case_id: str = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="approve").status == 200
    return case_id


def _stored_pdf(world: World, case_id: str) -> bytes:
    case = DynamoCaseStore(world.refs["CasesTable"]).get(case_id)
    assert case is not None
    assert case.pdf_key
    body: bytes = (
        boto3.client("s3").get_object(Bucket=world.refs["CaseDocumentsBucket"], Key=case.pdf_key)["Body"].read()
    )
    return body


def test_a_case_pdf_is_sealed_over_the_whole_file_and_one_changed_byte_breaks_the_seal(api: Api, world: World) -> None:
    case_id = _approved(api)
    assert wait_for(api, case_id, "at_payroll")["hasPdf"]
    pdf = _stored_pdf(world, case_id)
    configured = configured_seal_chain(world.refs["SealCertificateChain"])
    sealed = verdicts(pdf, configured)
    assert sealed.both_hold, sealed
    assert sealed.pyhanko.whole_file
    # The seal holds the history's head as it stood when the PDF was made: one of the case's chain hashes.
    case = DynamoCaseStore(world.refs["CasesTable"]).get(case_id)
    assert case is not None
    assert sealed.pyhanko.head in chain.hashes(case)
    changed = verdicts(one_byte_changed(pdf), configured)
    assert changed.both_refuse, changed
    found = verify(
        case_id, cases_table=world.refs["CasesTable"], bucket=world.refs["CaseDocumentsBucket"], seal_chain=configured
    )
    assert found is not None
    assert found.holds, found.lines
    assert any("pdf: sealed" in line for line in found.lines), found.lines


def test_the_monthly_service_report_is_sealed(api: Api, world: World) -> None:
    _november(api, world)
    wiring.use_clock(lambda: FIRST_WORKING_DAY)
    assert _run()["sent"]
    configured = configured_seal_chain(world.refs["SealCertificateChain"])
    for email in (m for m in _reports() if "november" in m.subject):
        (_, _, pdf), *_ = email.attachments
        assert verdicts(pdf, configured).both_hold, email.to
        assert verdicts(one_byte_changed(pdf), configured).both_refuse


def test_a_seal_that_does_not_verify_publishes_nothing_and_is_counted(
    api: Api, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """A chain for another key (a mistaken certificate in the parameter): the seal the key makes does not
    verify against it, so no PDF is stored or recorded, and ``SealsNotVerified`` alarms."""
    kms, ssm = boto3.client("kms"), boto3.client("ssm")
    stranger = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    local_seal.provide(kms, ssm, stranger, world.refs["SealCertificateChain"])
    sealing.forget_identity()
    try:
        case_id = _approved(api)
        found = wait_for(api, case_id, "at_payroll")  # payroll gets the case; its PDF waits (RenderPdfLater)
        assert not found["hasPdf"]
        listed = boto3.client("s3").list_objects_v2(
            Bucket=world.refs["CaseDocumentsBucket"], Prefix=f"cases/{case_id}/"
        )
        assert listed.get("KeyCount", 0) == 0
        printed = capsys.readouterr().out.splitlines()
        counted = [json.loads(line) for line in printed if '"SealsNotVerified"' in line and "_aws" in line]
        assert counted
        assert all(c["SealsNotVerified"] == [1.0] for c in counted)
    finally:
        local_seal.provide(kms, ssm, world.refs["SealKey"], world.refs["SealCertificateChain"])
        sealing.forget_identity()


def test_the_local_chain_is_a_seal_certificate_for_the_stacks_key_and_its_ca(world: World) -> None:
    certificates = sealing.parse_chain(configured_seal_chain(world.refs["SealCertificateChain"]))
    assert len(certificates) == 2
    leaf, root = certificates
    assert leaf.issuer == root.subject
    assert root.ca
    assert set(leaf.key_usage_value.native) == {"digital_signature", "non_repudiation"}
    public = boto3.client("kms").get_public_key(KeyId=world.refs["SealKey"])["PublicKey"]
    assert leaf.public_key.dump() == public
    assert leaf.not_valid_after > datetime.now(UTC)


def test_kms_failing_to_seal_holds_back_no_approval_and_the_pdf_is_sealed_later(api: Api, world: World) -> None:
    """KMS refusing ``Sign`` at the PDF step: the case reaches payroll without its PDF (nothing unsealed is
    published) and the later, hourly try seals and publishes it."""
    hour = world.stepper.hold_retries(3600)
    case_id = api.submit(LEAVE).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    with throttled("kms", "Sign") as refused:
        assert post_page(api, link_path(request), decision="approve").status == 200
        world.run_workflows()
        case = wait_for(api, case_id, "at_payroll")
        assert case["hasPdf"] is False
    assert refused
    hour.release()
    world.run_workflows()
    assert api.call("GET", f"/cases/{case_id}").json()["hasPdf"] is True
    assert verdicts(_stored_pdf(world, case_id), configured_seal_chain(world.refs["SealCertificateChain"])).both_hold
