"""One record of the cases table's stream, relayed: the outbox relay function and the replay tool share it."""

from __future__ import annotations

from typing import Any

from eforms.aws.dynamo_cases import signed_case, stored_entry
from eforms.core.cases.events import EventSink, pdf_created
from eforms.core.cases.outbox import Resumer, relay


def relay_record(record: dict[str, Any], events: EventSink, workflow: Resumer) -> None:
    """A new history item: its event, and the workflow step it ends; a case item whose signed PDF was just
    recorded: ``case.pdf_created``; anything else: nothing. Raises when the bus or the workflow fails."""
    change = record.get("dynamodb", {})
    new, old = change.get("NewImage"), change.get("OldImage")
    if record.get("eventName") == "INSERT" and new:
        stored = stored_entry(new)
        if stored is not None:
            relay(stored, events, workflow)
            return
    if record.get("eventName") in ("INSERT", "MODIFY"):
        signed = signed_case(old, new)
        if signed is not None:
            events.publish([pdf_created(signed)])
