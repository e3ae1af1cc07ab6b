"""The monthly service reports' run (EventBridge Scheduler, hourly): on the first working day of a month,
each organisation's report for the month before is made, kept and emailed, once (docs/statistics.md §6).

Its own function, with the PDF layer, so no API function's cold start pays for reportlab. A report that
could not be sent is logged, counted (``ServiceReportsNotSent``) and raised, so the function's errors alarm
sees it; the next run, an hour on, sends it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import service_reports
from eforms_pdf.sealing import SealNotVerified
from eforms_pdf.service_report import sealed_report

tracer = build_tracer()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        sent = service_reports(sealed_report).send_due()
    except Exception as error:  # SES, S3 or DynamoDB failing: the lease was released, the next run sends it
        logger.error("service report not sent", extra={"error": type(error).__name__})
        metrics.add_metric(name="ServiceReportsNotSent", unit=MetricUnit.Count, value=1)
        if isinstance(error, SealNotVerified):  # nothing was kept or sent: the seal is ops' to mend
            metrics.add_metric(name="SealsNotVerified", unit=MetricUnit.Count, value=1)
        raise
    if sent:
        logger.info("service reports sent", extra={"reports": sent})
    return {"sent": sent}
