"""Every sample event in events/ is accepted by the function it is for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devstack import lambdas
from devstack.template import ROOT, load
from eforms.core.cases.model import CaseNotFound
from tests.support.world import World

HTTP_EVENTS = sorted(p for p in (ROOT / "events").glob("*.json") if "routeKey" in json.loads(p.read_text()))
#: Statuses where the sample names a case or link that does not exist in a fresh world.
EXPECTED = {
    "cases-get.json": 404,
    "cases-submit.json": 201,
    "cases-submit-bankid.json": 201,
    "cases-decide.json": 404,
    "cases-resubmit.json": 404,
    "decision-page-get.json": 404,
    "decision-page-post.json": 404,
    "decision-page-attachment.json": 404,
    "cases-pdf.json": 404,
    "cases-share-pdf.json": 404,
    "cases-rate.json": 404,
    "desk-claim.json": 404,
    "desk-certificate-upload.json": 404,
    "cases-certificate.json": 404,
    "desk-completion-request.json": 404,
    "desk-completion.json": 404,
    "desk-registration.json": 404,
    "desk-registration-check.json": 404,
    "desk-closure.json": 404,
    "desk-withdrawal.json": 404,
    "desk-approver.json": 404,
    "desk-messages-list.json": 404,
    "desk-messages-post.json": 404,
    "desk-messages-read.json": 404,
    "uploads-start.json": 201,
    "uploads-get.json": 404,
    "uploads-check.json": 404,
    "drafts-save.json": 201,
    "drafts-get.json": 404,
    "drafts-save-again.json": 404,
    "drafts-discard.json": 404,
    "cases-attachment.json": 404,
    "reports-service-report.json": 404,  # no report was made in the empty stack
    "rating-page-get.json": 404,  # no such case
    "rating-page-post.json": 404,
    "pay-runs-ask.json": 409,  # nothing is pending in the empty stack
    "pay-runs-get.json": 404,  # no batch was opened
}


def test_every_route_has_a_sample_event() -> None:
    """The BankID sign-in's copies of routes (``/bankid/…``) are their routes again: one sample shows them."""
    routes = {route.route_key for fn in load().functions() for route in fn.routes}
    samples = {json.loads(p.read_text())["routeKey"] for p in HTTP_EVENTS}
    assert samples - routes == set()
    assert {r for r in routes if "/bankid/" not in r} <= samples
    assert {r.replace("/bankid/", "/") for r in routes} <= samples | {r for r in routes if "/bankid/" not in r}
    assert any("/bankid/" in s for s in samples)


@pytest.mark.parametrize("path", HTTP_EVENTS, ids=lambda p: p.name)
def test_sample_event_runs_against_its_function(world: World, path: Path) -> None:
    event = json.loads(path.read_text(encoding="utf-8"))
    [function] = [f for f in load().functions() if event["routeKey"] in {r.route_key for r in f.routes}]
    result = lambdas.invoke(function, event)
    assert result["statusCode"] == EXPECTED.get(path.name, 200), result["body"]


def test_the_workflow_sample_reaches_the_workflow_function(world: World) -> None:
    event = json.loads((ROOT / "events" / "workflow-request-approval.json").read_text())
    with pytest.raises(CaseNotFound):  # the state machine retries this, then ends the execution
        lambdas.invoke(load().function("WorkflowFunction"), event)


def test_the_pdf_sample_reaches_the_pdf_function(world: World) -> None:
    event = json.loads((ROOT / "events" / "render-pdf.json").read_text())
    with pytest.raises(CaseNotFound):  # the state machine retries, then hands the case to payroll anyway
        lambdas.invoke(load().function("RenderPdfFunction"), event)


def test_the_notifier_sample_reaches_the_notifier(world: World) -> None:
    event = json.loads((ROOT / "events" / "notifier-case-submitted.json").read_text())
    result = lambdas.invoke(load().function("NotifierFunction"), event)
    # The sample's case does not exist here: the record is reported failed (retried, then dead-lettered).
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}


def test_the_sign_in_sample_gets_its_organisation_stamped(world: World) -> None:
    event = json.loads((ROOT / "events" / "organisation-claim.json").read_text())
    answered = lambdas.invoke(load().function("OrganisationClaimFunction"), event)
    stamped = answered["response"]["claimsAndScopeOverrideDetails"]
    expected = {"org": "sundsvik", "employee_id": "E1001", "roles": []}
    assert stamped["idTokenGeneration"]["claimsToAddOrOverride"] == expected
    assert stamped["accessTokenGeneration"]["claimsToAddOrOverride"] == expected


def test_the_statistics_sample_counts_nothing_of_a_case_that_is_gone(world: World) -> None:
    event = json.loads((ROOT / "events" / "statistics-case-submitted.json").read_text())
    assert lambdas.invoke(load().function("StatisticsFunction"), event) == {"batchItemFailures": []}
    assert world.table_items("StatisticsTable") == []


def test_the_archive_sample_keeps_nothing_of_a_case_that_is_gone(world: World) -> None:
    event = json.loads((ROOT / "events" / "archive-case-rejected.json").read_text())
    assert lambdas.invoke(load().function("ArchiveFunction"), event) == {"batchItemFailures": []}
    assert world.client("s3").list_objects_v2(Bucket=world.refs["RecordsBucket"]).get("KeyCount", 0) == 0


def test_the_pay_run_sample_cuts_nothing_where_no_batch_was_opened(world: World) -> None:
    event = json.loads((ROOT / "events" / "pay-run-files-asked.json").read_text())
    assert lambdas.invoke(load().function("PayRunFilesFunction"), event) == {"batchItemFailures": []}
    assert world.client("s3").list_objects_v2(Bucket=world.refs["CaseDocumentsBucket"]).get("KeyCount", 0) == 0


def test_the_outbox_sample_puts_its_event_on_the_bus(world: World) -> None:
    event = json.loads((ROOT / "events" / "outbox-relay-history-insert.json").read_text())
    assert lambdas.invoke(load().function("OutboxRelayFunction"), event) == {"batchItemFailures": []}


def test_every_function_has_a_sample_and_the_index_lists_every_sample() -> None:
    """events/README.md is what `sam local invoke FUNCTION -e events/FILE` users read: it must be whole."""
    rows = [
        [cell.strip(" `") for cell in line.strip("|").split("|")]
        for line in (ROOT / "events" / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    ]
    listed = {row[0]: row[1] for row in rows}
    assert set(listed) == {p.name for p in (ROOT / "events").glob("*.json")}
    assert set(listed.values()) == {spec.logical_id for spec in load().functions()}


def test_the_scheduler_sample_runs_the_service_level_check(world: World) -> None:
    event = json.loads((ROOT / "events" / "desk-scheduler.json").read_text())
    assert lambdas.invoke(load().function("DeskSchedulerFunction"), event)["breaches"] == 0


def test_the_service_reports_sample_runs_the_monthly_reports(world: World) -> None:
    event = json.loads((ROOT / "events" / "service-reports.json").read_text())
    assert "sent" in lambdas.invoke(load().function("ServiceReportsFunction"), event)
