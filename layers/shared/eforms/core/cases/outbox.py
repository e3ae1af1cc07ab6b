"""The transactional outbox: what a stored change of a case must cause after it, read back from the store.

A change to a case and its history entries are one transaction (``CaseStore.save``), so the entries *are* the
outbox. The relay (``functions/outbox_relay``, fed by the table's stream) turns each newly stored entry into
what it announces — its event on the bus and, for an entry that ends a waiting workflow step, the
workflow's resumption — and the signed PDF's arrival into ``case.pdf_created``. Everything here is at least
once: a relayed record may come again, so the bus's consumers and the workflow ignore repeats
(docs/resilience.md §1–2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from eforms.core.cases.events import CaseEvent, EventSink, from_entry
from eforms.core.cases.model import HistoryEntry

#: The history actions that end a waiting workflow step, and what the step is told. The entry carries the
#: step's callback token (``resumes``), so the relay can tell the workflow if the request that stored the
#: entry could not.
WORKFLOW_OUTCOMES = {
    "approved": "approved",
    "step_approved": "approved",
    "rejected": "rejected",
    "returned": "returned",
    "resubmitted": "resubmitted",
    "withdrawn": "withdrawn",
    "approver_appointed": "appointed",
}


@dataclass(frozen=True)
class StoredEntry:
    """A history entry as the store kept it, with the case's identity and state written beside it."""

    entry: HistoryEntry
    case_id: str
    form_id: str
    form_version: int
    status: str
    version: int
    resumes: str | None = None  # the workflow step's callback token this entry ends, if it ends one

    def event(self) -> CaseEvent:
        return from_entry(
            self.entry,
            case_id=self.case_id,
            form_id=self.form_id,
            form_version=self.form_version,
            status=self.status,
            version=self.version,
        )

    def resumption(self) -> tuple[str, dict[str, Any]] | None:
        """(token, output) to tell the workflow, when this entry ends a waiting step."""
        outcome = WORKFLOW_OUTCOMES.get(self.entry.action)
        if outcome is None or not self.resumes:
            return None
        return self.resumes, {"outcome": outcome}


class Resumer(Protocol):
    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        """Tell a waiting step; False (not an error) when the step no longer waits."""
        ...


def relay(stored: StoredEntry, events: EventSink, workflow: Resumer) -> None:
    """Announce one stored entry and resume the workflow step it ends. Raises if either cannot be done now,
    so the stream keeps the record and tries it again (nothing is lost, a repeat is harmless)."""
    events.publish([stored.event()])
    resumption = stored.resumption()
    if resumption is not None:
        workflow.complete(*resumption)
