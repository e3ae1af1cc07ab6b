"""One record of the cases table's stream, relayed: the outbox relay function and the replay tool share it."""

from __future__ import annotations

from typing import Any

from eforms.aws.case_items import signed_case, stored_entry
from eforms.core.cases.events import EventSink, pdf_created
from eforms.core.cases.outbox import Holds, Resumer, StoredEntry, relay


def entry_of(record: dict[str, Any]) -> StoredEntry | None:
    """The history entry a stream record inserted, if it is one."""
    new = record.get("dynamodb", {}).get("NewImage")
    return stored_entry(new) if record.get("eventName") == "INSERT" and new else None


def relay_record(record: dict[str, Any], events: EventSink, workflow: Resumer, holds: Holds | None = None) -> None:
    """A new history item: the workflow step it ends, and its event (unless its case is held behind an
    earlier entry); a case item whose signed PDF was just recorded: ``case.pdf_created``; anything else:
    nothing. Raises when the bus or the workflow fails."""
    change = record.get("dynamodb", {})
    new, old = change.get("NewImage"), change.get("OldImage")
    stored = entry_of(record)
    if stored is not None:
        relay(stored, events, workflow, holds)
        return
    if record.get("eventName") in ("INSERT", "MODIFY"):
        signed = signed_case(old, new)
        if signed is not None:
            events.publish([pdf_created(signed)])
