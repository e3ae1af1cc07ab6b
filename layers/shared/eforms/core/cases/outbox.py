"""The transactional outbox: what a stored change of a case must cause after it, read back from the store.

A change to a case and its history entries are one transaction (``CaseStore.save``), so the entries *are* the
outbox. The relay (``functions/outbox_relay``, fed by the table's stream) turns each newly stored entry into
what it announces — its event on the bus and, for an entry that ends a waiting workflow step, the
workflow's resumption — and the signed PDF's arrival into ``case.pdf_created``. Everything here is at least
once: a relayed record may come again, so the bus's consumers and the workflow ignore repeats
(docs/resilience.md §1–2).

Three rules keep the bus clean under faults (issue 26, item 9):

* **Publish once.** An entry's workflow resumption comes first and its event last: a record retried because
  Step Functions was down has not been published yet, so the retry publishes it once (before, every retry
  put the same event on the bus again). Only a relay that dies between PutEvents and its reply can repeat one.
* **A stable id.** Every event carries ``eventId`` (the case and the entry's place in its history); a repeat
  has the same id, and webhook deliveries send it as ``webhook-id``.
* **Per-case order.** When an entry cannot be relayed, its case is *held* from that entry on: if the stream
  gives up on it (hours later, to the dead-letter queue), the case's later entries are not announced ahead of
  it but parked — the replay (``python3 dev replay-outbox``) then announces the held case's entries from its
  history, in order, and releases it. Other cases flow on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
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
    sequence: int | None = None  # the entry's place in the case's history: its event's id
    organisation_id: str = ""  # the case's organisation ("" for a case from before organisations)

    def event(self) -> CaseEvent:
        return from_entry(
            self.entry,
            case_id=self.case_id,
            form_id=self.form_id,
            form_version=self.form_version,
            status=self.status,
            version=self.version,
            sequence=self.sequence,
            organisation_id=self.organisation_id,
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


class Holds(Protocol):
    """Cases whose announcements wait behind an entry that could not be relayed (kept in the idempotency
    table, expiring after two weeks)."""

    def held_from(self, case_id: str) -> int | None:
        """The place of the first entry of the case not relayed yet, if the case is held."""
        ...

    def hold(self, case_id: str, sequence: int) -> None:
        """Hold the case from ``sequence`` on (an earlier hold stays: it is further back)."""
        ...

    def release(self, case_id: str) -> None: ...


def relay(stored: StoredEntry, events: EventSink, workflow: Resumer, holds: Holds | None = None) -> bool:
    """Resume the workflow step one stored entry ends, then announce it. Raises if either cannot be done
    now, so the stream keeps the record and tries it again (nothing is lost, a repeat is harmless); the
    case is then held from this entry on. False: parked, behind an earlier entry of its case still held."""
    held = holds.held_from(stored.case_id) if holds is not None and stored.sequence is not None else None
    if held is not None and stored.sequence is not None and held < stored.sequence:
        # Only the announcement waits (the replay makes it, in order); the workflow is told now, as a decision
        # must never wait for ops. A failure here is retried from the stream like any other.
        resumption = stored.resumption()
        if resumption is not None:
            workflow.complete(*resumption)
        return False
    try:
        resumption = stored.resumption()
        if resumption is not None:
            workflow.complete(*resumption)
        events.publish([stored.event()])
    except Exception:
        if holds is not None and stored.sequence is not None and held is None:
            with contextlib.suppress(Exception):  # the stream keeps the record either way
                holds.hold(stored.case_id, stored.sequence)
        raise
    if held is not None and holds is not None:
        holds.release(stored.case_id)
    return True


def replay_held(
    case_id: str,
    read_entries: Callable[[], list[StoredEntry]],
    events: EventSink,
    workflow: Resumer,
    holds: Holds,
) -> int:
    """Announce a held case's entries from the one it is held at, in order, then release it; how many.

    An entry the live relay parked while this ran (after the read, before the release) is announced by a
    second read after the release; one the live relay announced itself after the release may so go out
    twice — with the same ``eventId``, which consumers deduplicate on."""
    start = holds.held_from(case_id)
    if start is None:
        return 0
    announced, last = 0, start - 1
    for _ in range(2):
        due = sorted(
            (e for e in read_entries() if e.sequence is not None and e.sequence > last), key=lambda e: e.sequence or 0
        )
        for stored in due:
            resumption = stored.resumption()
            if resumption is not None:
                workflow.complete(*resumption)
            events.publish([stored.event()])
            last = stored.sequence if stored.sequence is not None else last
        announced += len(due)
        holds.release(case_id)
    return announced
