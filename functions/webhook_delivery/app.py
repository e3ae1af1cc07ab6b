"""Signed webhooks: case events from a subscriber's queue, POSTed to its endpoint with a signature.

EventBridge delivers to API destinations itself, but it cannot sign a payload; subscribers that want signed
events get theirs through a queue and this function (docs/webhooks.md). Each record is one event for one
subscriber (the queue it came from says which). A delivery the endpoint did not answer with 2xx is reported
as failed (``ReportBatchItemFailures``) and hidden for a growing delay (30 s doubling to an hour), so a
receiver that is down is not hammered; after the queue's last attempt the event moves to the subscriber's
dead-letter queue and its alarm fires. Logs name the subscriber, the event id and the status, nothing else.
"""

from __future__ import annotations

import os
import time
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from eforms.aws.availability import aws_code
from eforms.aws.clients import client
from eforms.aws.secrets import CachedSecrets
from eforms.core.integrations.webhooks import (
    Deliverer,
    MalformedEvent,
    UnknownQueue,
    delivered,
    retry_delay,
    targets,
)
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.outbound.http import TokenRefused, UrllibHttp

tracer = build_tracer()
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
# Kept for the container's life: secrets for five minutes, OAuth tokens until near their expiry.
secrets, http = CachedSecrets(), UrllibHttp()


def deliverer() -> Deliverer:
    """The subscribers as the function's environment names them now (a few hundred bytes of JSON to read)."""
    return Deliverer(targets(os.environ.get("WEBHOOK_TARGETS", "{}")), secrets, http)


class NotDelivered(Exception):
    """The subscriber did not accept the event this time; the queue tries again later."""


def _hide_until_retry(record: SQSRecord, attempt: int) -> None:
    """Back off: the message reappears after :func:`retry_delay`, not after the queue's fixed timeout."""
    *_, account, name = record.event_source_arn.split(":")
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
    delay = retry_delay(attempt, base=int(os.environ.get("WEBHOOK_RETRY_SECONDS", "30")))
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=record.receipt_handle, VisibilityTimeout=delay)


def _record(record: SQSRecord) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    attempt = int(record.attributes.approximate_receive_count)
    subscribers = deliverer()
    try:
        target, status = subscribers.deliver(record.event_source_arn, record.body, now=int(time.time()))
        subscriber = target.name
    except UnknownQueue:
        logger.error("webhook event from a queue no subscriber reads", extra={"queue": record.event_source_arn})
        raise
    except MalformedEvent:  # never deliverable: retried to the dead-letter queue, whose alarm tells ops
        logger.error("malformed webhook event", extra={"messageId": record.message_id})
        raise
    except (TokenRefused, ClientError) as error:  # no token, or no key to sign with: try again later
        subscriber, status = subscribers.targets[record.event_source_arn].name, 0
        logger.warning("webhook not sent", extra={"subscriber": subscriber, "error": type(error).__name__})
    extra = {"subscriber": subscriber, "messageId": record.message_id, "status": status, "attempt": attempt}
    if delivered(status):
        logger.info("webhook delivered", extra=extra)
        metrics.add_metric(name="WebhooksDelivered", unit=MetricUnit.Count, value=1)
        return
    logger.warning("webhook not delivered", extra=extra)
    metrics.add_metric(name="WebhooksFailed", unit=MetricUnit.Count, value=1)
    try:
        _hide_until_retry(record, attempt)
    except (ClientError, BotoCoreError) as error:  # the queue's own visibility timeout brings it back instead
        code = aws_code(error) or type(error).__name__
        logger.warning("webhook backoff not set", extra={"subscriber": subscriber, "error": code})
    raise NotDelivered(f"{subscriber} answered {status}")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    return dict(response)
