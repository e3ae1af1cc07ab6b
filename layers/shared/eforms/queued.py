"""Case events as the bus delivers them to a queue's consumer (the notifier, the statistics): one way to read
an SQS record into a case event, and to know a record's last try.

A record that is not a case event this service publishes is logged (its message id only) and raised, so the
queue retries it and then dead-letters it: never an email, never a count. A failure on a record's last
receive sends it to the dead-letter queue, so its consumer says so at ERROR rather than among the retries.
"""

from __future__ import annotations

import json

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from eforms.core.cases.events import CaseEvent, from_envelope
from eforms.observability import logger

#: Every case-event queue's ``maxReceiveCount`` (template.yaml; a test keeps them equal).
LAST_RECEIVE = 5


def case_event(record: SQSRecord) -> CaseEvent:
    try:
        return from_envelope(json.loads(record.body))
    except ValueError:  # not JSON, or a MalformedEvent (a ValueError too)
        logger.error("malformed case event", extra={"messageId": record.message_id})
        raise


def last_receive(record: SQSRecord) -> bool:
    """Whether a failure now dead-letters the record."""
    return int(record.attributes.approximate_receive_count) >= LAST_RECEIVE
