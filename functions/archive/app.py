"""The write-once records' writer: each case event of a case at its end (through an SQS queue) keeps what of
its record is not kept yet, locked for its retention (docs/records.md §3).

A record that fails (S3 or DynamoDB down) is reported alone (``ReportBatchItemFailures``) and retried; after
the queue's ``maxReceiveCount`` it is dead-lettered (``ArchiveDeadLettered``, alarmed), and the case's next
event, or a replay of the dead letters, writes it. Nothing is written twice: each object once, by its key.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.core.cases.model import Case
from eforms.core.documents.records import archive
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.queued import with_case
from eforms.wiring import catalogue, record_store

tracer = build_tracer()
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _keep(case: Case) -> list[str]:
    return archive(case, record_store(), catalogue().get(case.form_id, case.form_version).retention_years)


def _record(record: SQSRecord) -> None:
    written = with_case(record, _keep, failed="record not kept", gone="nothing to keep")
    if written:
        logger.info("record kept", extra={"objects": len(written)})
        metrics.add_metric(name="RecordObjectsKept", unit=MetricUnit.Count, value=len(written))


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    return dict(response)
