"""The pay-run files' maker: each message (``{"organisation", "payPeriod"}``, sent by the pay-run routes)
cuts that batch: claims what is pending for the period or earlier, seals it, and keeps its PAXml file
(docs/records.md §5).

Every step is conditional on the one before, so a message delivered twice, or two at once, makes one batch
and one file. A failure (DynamoDB or S3 down) is reported for its record alone and retried where it stopped;
after the queue's ``maxReceiveCount`` it is dead-lettered (``PayRunsDeadLettered``, alarmed), and asking for
the period's file again sends it back.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.core.common.periods import is_period
from eforms.core.payroll.pay_runs import READY, cut
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.queued import retried
from eforms.wiring import now, organisations, pay_run_files, pay_run_store

tracer = build_tracer()
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _record(record: SQSRecord) -> None:
    asked = json.loads(record.body)
    registry = organisations()
    organisation = registry.get(str(asked.get("organisation"))) if registry else None
    period = asked.get("payPeriod")
    if organisation is None or not is_period(period):  # never sent by this stack: dead-lettered, seen by ops
        logger.error("pay run for no organisation or period", extra={"messageId": record.message_id})
        raise ValueError("not a pay run of this stack")
    where = {"organisation": organisation.organisation_id, "payPeriod": period}
    with retried(record, "pay run not cut", **where):  # from where it stopped: nothing is claimed twice
        batch = cut(pay_run_store(), pay_run_files(), organisation, period, now)
    if batch is not None and batch.state == READY and batch.file is not None:
        logger.info("pay run ready", extra={**where, "cases": batch.file.cases, "bytes": batch.file.size})
        metrics.add_metric(name="PayRunTransactions", unit=MetricUnit.Count, value=batch.file.transactions)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    return dict(response)
