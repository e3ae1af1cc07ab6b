"""Publishing case events to the service's EventBridge bus.

The case is already stored when its event is published, so a failure to publish must not fail the
request (the caller would retry a change that happened). Instead it is retried here, then logged with
the case id and counted in the ``EventsNotPublished`` metric, which has an alarm (template.yaml).
"""

from __future__ import annotations

import json

from eforms.aws.clients import client
from eforms.core.cases.events import SOURCE, CaseEvent
from eforms.observability import logger, metrics

_BATCH = 10  # PutEvents takes at most ten entries
_ATTEMPTS = 3


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
            logger.error("case event not published", extra={"caseId": event.case_id, "eventType": event.type})
        metrics.add_metric(name="EventsNotPublished", unit=MetricUnit.Count, value=len(pending))

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
