"""The outbox relay: the cases table's stream becomes case events on the bus, and resumes the workflow.

A change to a case is stored with its history entries in one transaction; this function, fed by the table's
DynamoDB stream (an event source mapping in template.yaml), announces each new entry on the bus and tells
the workflow step an entry ends, and announces ``case.pdf_created`` when a case's signed PDF is recorded
(docs/resilience.md §1–2).

Records are relayed in order. The first that cannot be relayed (the bus or Step Functions failing) is
reported with ``ReportBatchItemFailures`` and the rest of the batch waits behind it: Lambda retries from that
record, bisecting, for up to six hours, then sends the shard's position to the outbox dead-letter queue, whose
alarm says so (``python3 dev replay-outbox`` repairs it). Its case is held meanwhile, so none of the case's
later entries is announced before it (``core/cases/outbox``). Each event goes on the bus once, with a stable
``eventId``; a workflow step resumed twice ignores the second.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.aws.outbox import relay_record
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import event_sink, outbox_holds, workflow_engine

tracer = build_tracer()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    for record in event.get("Records", []):
        sequence = record.get("dynamodb", {}).get("SequenceNumber", "")
        try:
            relay_record(record, event_sink(), workflow_engine(), outbox_holds())
        except Exception as error:  # every failure waits in the stream and is tried again: nothing is lost
            logger.warning("outbox record not relayed yet", extra={"sequence": sequence, "error": type(error).__name__})
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}
