"""Publishing case events to the service's EventBridge bus: only the outbox relay does (docs/resilience.md).

The change is already stored when its event is published; what cannot be put on the bus after a few tries is
raised, so the relay leaves the stream record for Lambda to retry (and, after hours, dead-letter): the
event is delayed, never lost. Each failure is logged with the case id and counted (``EventsNotPublished``).
"""

from __future__ import annotations

import json

from eforms.aws.clients import client
from eforms.core.cases.events import SOURCE, CaseEvent
from eforms.observability import logger, metrics

_BATCH = 10  # PutEvents takes at most ten entries
_ATTEMPTS = 2  # entries PutEvents refused; a failed call is already retried by botocore, then by the stream


class EventsNotPublished(Exception):
    """Some events did not reach the bus after the retries here; the stream record is to be tried again."""


class EventBridgeSink:
    def __init__(self, bus_name: str) -> None:
        self.bus_name = bus_name

    def publish(self, events: list[CaseEvent]) -> None:
        for start in range(0, len(events), _BATCH):
            self._put(events[start : start + _BATCH])

    def _put(self, batch: list[CaseEvent]) -> None:
        pending = batch
        for _ in range(_ATTEMPTS):
            failed = self._try(pending)
            if not failed:
                return
            pending = failed
        from aws_lambda_powertools.metrics import MetricUnit

        for event in pending:
            logger.warning("case event not published yet", extra={"caseId": event.case_id, "eventType": event.type})
        metrics.add_metric(name="EventsNotPublished", unit=MetricUnit.Count, value=len(pending))
        raise EventsNotPublished(len(pending))

    def _try(self, pending: list[CaseEvent]) -> list[CaseEvent]:
        """One PutEvents call; returns the events that did not get onto the bus."""
        entries = [
            {
                "Source": SOURCE,
                "DetailType": event.type,
                "Detail": json.dumps(event.detail(), ensure_ascii=False),
                "EventBusName": self.bus_name,
                "Resources": [],
            }
            for event in pending
        ]
        try:
            response = client("events").put_events(Entries=entries)
        except Exception as error:  # any failure is retried, then reported
            logger.warning("put_events failed", extra={"error": type(error).__name__})
            return pending
        return [e for e, r in zip(pending, response.get("Entries", []), strict=False) if "ErrorCode" in r]
