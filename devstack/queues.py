"""Delivering SQS messages to the functions that consume them, as Lambda's event source mapping does.

moto keeps the queues (EventBridge rules deliver into them, redrive moves messages to the dead-letter
queue after ``maxReceiveCount`` receives); it does not run the consumers. :func:`drain` does: it reads
each queue that ``template.yaml`` wires to a function (an ``SQS`` event), invokes the handler with the
event Lambda would send, and deletes what the handler did not report as failed. A failed message stays
and, after ``redelivery_seconds``, is received again: retries and dead-lettering work as on AWS.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from devstack.lambdas import invoke
from devstack.resources import REGION
from devstack.template import FunctionSpec, Template, resolve


@dataclass(frozen=True)
class QueueSource:
    function: FunctionSpec
    queue_url: str
    queue_arn: str
    batch_size: int


def queue_url(arn: str, refs: dict[str, str]) -> str:
    """The URL of the template's queue with this ARN (a mapping names queues by ARN)."""
    return refs[next(k.removesuffix(".Arn") for k, v in refs.items() if k.endswith(".Arn") and v == arn)]


def sources(template: Template, refs: dict[str, str]) -> list[QueueSource]:
    found = []
    for logical_id, resource in template.of_type("AWS::Serverless::Function").items():
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] != "SQS":
                continue
            arn = str(resolve(event["Properties"]["Queue"], refs))
            batch = int(event["Properties"].get("BatchSize", 10))
            found.append(QueueSource(template.function(logical_id), queue_url(arn, refs), arn, batch))
    return found


def _lambda_event(messages: list[dict[str, Any]], arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(m["Body"].encode()).hexdigest(),  # noqa: S324 - SQS's own checksum
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


_lock = threading.Lock()


def drain(sqs: Any, queue_sources: list[QueueSource], *, redelivery_seconds: int = 0) -> int:
    """Deliver every message now in the queues; returns how many were handled successfully.

    With ``redelivery_seconds=0`` a failing message is received again at once, so one call retries it
    until the queue's redrive policy moves it to the dead-letter queue.
    """
    handled = 0
    with _lock:  # one poller at a time, as one event source mapping per queue
        for source in queue_sources:
            while True:
                messages = sqs.receive_message(
                    QueueUrl=source.queue_url,
                    MaxNumberOfMessages=source.batch_size,
                    VisibilityTimeout=redelivery_seconds,
                    AttributeNames=["All"],
                ).get("Messages", [])
                if not messages:
                    break
                try:
                    result = invoke(source.function, _lambda_event(messages, source.queue_arn)) or {}
                    failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
                except Exception:  # a function error returns the whole batch to the queue, as on AWS
                    failed = {m["MessageId"] for m in messages}
                done = [m for m in messages if m["MessageId"] not in failed]
                for message in done:
                    sqs.delete_message(QueueUrl=source.queue_url, ReceiptHandle=message["ReceiptHandle"])
                handled += len(done)
                if failed and redelivery_seconds:
                    break  # the failures come back later; do not spin on them
    return handled
