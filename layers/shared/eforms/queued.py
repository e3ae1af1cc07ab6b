"""Case events as the bus delivers them to a queue's consumer (the notifier, the statistics): one way to read
an SQS record into a case event, and to know a record's last try.

A record that is not a case event this service publishes is logged (its message id only) and raised, so the
queue retries it and then dead-letters it: never an email, never a count. A failure on a record's last
receive sends it to the dead-letter queue, so its consumer says so at ERROR rather than among the retries.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from eforms.core.cases.events import CaseEvent, from_envelope
from eforms.core.cases.model import Case
from eforms.observability import logger

T = TypeVar("T")

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


def with_case(record: SQSRecord, work: Callable[[Case], T], *, failed: str, gone: str) -> T | None:
    """``work`` on the case behind a queued case event, read as it stands now (the statistics, the archive).
    An event of a case that is gone (erased, or past its retention) does nothing (logged: ``gone``). A failure
    is logged as ``"<failed>: retried"`` or, on the record's last receive, ``"<failed>: dead-lettered"`` at
    ERROR, and raised so the queue retries the record alone."""
    from eforms.wiring import case_store

    event = case_event(record)
    case = case_store().get(event.case_id)
    if case is None:
        logger.warning(f"case event for a case that is gone: {gone}", extra={"caseId": event.case_id})
        return None
    with retried(record, failed):
        return work(case)


@contextmanager
def retried(record: SQSRecord, failed: str, **where: str) -> Iterator[None]:
    """A failure inside is logged as ``"<failed>: retried"`` or, on the record's last receive,
    ``"<failed>: dead-lettered"`` at ERROR (with ``where``: ids only), and raised so the queue retries the
    record alone; what was done is not done twice (each consumer's own conditions)."""
    try:
        yield
    except Exception as error:  # AWS failing: this record is retried
        last = last_receive(record)
        log = logger.error if last else logger.warning
        log(f"{failed}: " + ("dead-lettered" if last else "retried"), extra={**where, "error": type(error).__name__})
        raise
