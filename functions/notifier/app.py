"""The notifier: case events from the bus (through an SQS queue) become emails, each sent once.

EventBridge delivers every ``eforms.cases`` event to the notification queue; this function reads it in
batches and reports the records it could not handle (``ReportBatchItemFailures``), so only those are
retried. After the queue's ``maxReceiveCount`` a record moves to the dead-letter queue, where an alarm
fires and ``docs/operations.md`` says how to replay it. A malformed event or one naming an unknown
case is logged (ids only) and left to fail the same way: dead-lettered, never an email.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.core.notify.notifier import UnknownCase
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.queued import case_event, last_receive
from eforms.wiring import notifier

tracer = build_tracer()
# Every record failing is reported like a partial failure, not raised: the queue retries each the same way.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _record(record: SQSRecord) -> None:
    event = case_event(record)
    logger.append_keys(caseId=event.case_id, eventType=event.type)
    try:
        sent = notifier().handle(event)
    except UnknownCase:
        logger.error("case event for an unknown case", extra={"messageId": record.message_id})
        raise
    except Exception as error:
        if last_receive(record):  # the event goes to the dead-letter queue: ERROR, counted for the alarm
            _given_up(error)
        raise
    finally:
        logger.remove_keys(["caseId", "eventType"])
    if sent:
        from aws_lambda_powertools.metrics import MetricUnit

        metrics.add_metric(name="NotificationsSent", unit=MetricUnit.Count, value=len(sent))


def _given_up(error: Exception) -> None:
    """The last try of an event's emails failed: it goes to the dead-letter queue. Not a WARNING among
    retries but an ERROR, counted (``EmailsNotSent``), so the alarm fires and ops replay it."""
    from aws_lambda_powertools.metrics import MetricUnit

    logger.error("emails not sent: event dead-lettered", extra={"error": type(error).__name__})
    metrics.add_metric(name="EmailsNotSent", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    return dict(response)
