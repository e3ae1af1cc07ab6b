"""The approval workflow's "render PDF" step: the sealed PDF of an approved (or direct-to-payroll) case.

Its own function, with reportlab and the fonts in their own layer, so the PDF library's import never
touches an API function's cold start.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.aws.availability import transient_failures
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms_pdf.documents import produce
from eforms_pdf.sealing import SealNotVerified

tracer = build_tracer()


@logger.inject_lambda_context(clear_state=True)  # keys appended for one case never leak into the next
@tracer.capture_lambda_handler
@metrics.log_metrics  # flushes EventsNotPublished, if any
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    case_id = event.get("caseId")
    if not isinstance(case_id, str):
        raise ValueError("the workflow must pass caseId")
    try:
        with transient_failures(logger, "pdf failed for now", caseId=case_id):  # retried, then made later
            result = produce(case_id)
    except SealNotVerified as problem:  # nothing was published: ops is told, the workflow retries
        logger.error("pdf seal not verified", extra={"caseId": case_id, "why": str(problem)})
        metrics.add_metric(name="SealsNotVerified", unit=MetricUnit.Count, value=1)
        raise
    logger.info("case pdf", extra={"caseId": case_id, "pdfCreated": result["created"]})
    return result
