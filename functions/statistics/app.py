"""The follow-up figures' consumer: each case event (from the bus, through an SQS queue) counts its case.

The case is read and what it contributes now is counted, each contribution once (docs/statistics.md, §2):
a redelivered event adds nothing, a lost one is made good by the case's next. A record that fails (DynamoDB
down) is reported alone (``ReportBatchItemFailures``) and retried; after the queue's ``maxReceiveCount`` it
is dead-lettered (``StatisticsDeadLettered``), and ``python3 dev rebuild-statistics`` recounts from the
histories. An event of a case that no longer exists (erased, or past its retention) counts nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.core.statistics.counting import count
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.queued import with_case
from eforms.wiring import catalogue, default_organisation, statistics_store

tracer = build_tracer()
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _record(record: SQSRecord) -> None:
    counting = partial(
        count, catalogue=catalogue(), store=statistics_store(), default_organisation=default_organisation()
    )
    added = with_case(record, counting, failed="case not counted", gone="nothing to count")
    if added:
        metrics.add_metric(name="StatisticsCounted", unit=MetricUnit.Count, value=added)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    return dict(response)
