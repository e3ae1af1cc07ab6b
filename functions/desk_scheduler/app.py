"""The payroll desk's scheduled check (EventBridge Scheduler, every 15 minutes): mark every case whose
service level is broken, and count them in the ``SlaBreaches`` metric the template's alarm watches."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.core.desk.breaches import mark_breaches
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import case_store, now, writer

tracer = build_tracer()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    marked = mark_breaches(case_store(), writer(), now)
    metrics.add_metric(name="SlaBreaches", unit=MetricUnit.Count, value=marked)
    logger.info("service levels checked", extra={"breaches": marked})
    return {"breaches": marked}
