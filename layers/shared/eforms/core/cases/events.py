"""Case events: one per transition, published to the EventBridge bus for any system to subscribe to.

They are not published by the code that changes a case: each history entry is stored in the same
transaction as the change, and the outbox relay turns the table's stream into events (``core/cases/outbox``,
docs/resilience.md), so a stored change always gets its event, at least once.

The detail carries ids and codes only — never names, emails, form answers or free text — so the bus and
whatever listens to it hold no personal data. Consumers that need more read the case through the API.
The schema is documented in docs/events.md.

Every event has a stable ``eventId``: the case and the history entry's place in it (``<caseId>-0003``), or
the signed document for ``case.pdf_created``. The same entry announced again — a relay retry, a replay —
carries the same id, which webhook deliveries send as their ``webhook-id``: a subscriber deduplicates on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from eforms.core.cases.lifecycle import TABLE
from eforms.core.cases.model import Case, HistoryEntry
from eforms.core.common.clock import iso, parse_iso

SOURCE = "eforms.cases"
#: Every event type: one per action of the lifecycle table, and the PDF renderer's bookkeeping event.
TYPES = (*(f"case.{action}" for action in TABLE), "case.pdf_created")


@dataclass(frozen=True)
class CaseEvent:
    type: str
    case_id: str
    form_id: str
    form_version: int
    status: str
    version: int
    at: datetime
    actor_id: str
    actor_role: str
    details: dict[str, Any] = field(default_factory=dict)
    #: Stable across every announcement of the same entry (see the module's docstring); empty only for an
    #: event from before ids were given.
    event_id: str = ""
    #: The customer organisation of the case (docs/organisations.md): rules and subscribers match on it.
    #: Empty only for a case from before organisations.
    organisation_id: str = ""

    def detail(self) -> dict[str, Any]:
        return {
            **({"eventId": self.event_id} if self.event_id else {}),
            **({"organisationId": self.organisation_id} if self.organisation_id else {}),
            "caseId": self.case_id,
            "formId": self.form_id,
            "formVersion": self.form_version,
            "status": self.status,
            "caseVersion": self.version,
            "at": iso(self.at),
            "actor": {"id": self.actor_id, "role": self.actor_role},
            "details": self.details,
        }


#: History details that may travel on the bus: ids, codes, dates. Messages and answers stay in the case.
_SAFE_DETAILS = (
    "approverId",
    "step",
    "reason",
    "fields",
    "changedFields",
    "dueDate",
    "payPeriod",
    "fingerprint",
    "onBehalfOf",
    "administratorId",
    "assigneeId",
    "previousAssigneeId",
    "registeredBy",
    "pdfPending",
    "error",
)


class MalformedEvent(ValueError):
    """An event on the queue that is not a case event this service publishes. Never retried into an email."""


def entry_event_id(case_id: str, sequence: int) -> str:
    """The id of the event announcing the history entry at ``sequence`` (its place in the case's history)."""
    return f"{case_id}-{sequence:04d}"


def _about(
    case: Case, kind: str, *, at: datetime, actor_id: str, role: str, details: dict[str, Any], event_id: str
) -> CaseEvent:
    """An event of ``kind`` carrying the case's identity and state as they are now."""
    return CaseEvent(
        type=kind,
        case_id=case.case_id,
        form_id=case.form_id,
        form_version=case.form_version,
        status=case.status.value,
        version=case.version,
        at=at,
        actor_id=actor_id,
        actor_role=role,
        details=details,
        event_id=event_id,
        organisation_id=case.organisation_id,
    )


def from_history(case: Case, sequence: int | None = None) -> CaseEvent:
    """The event announcing one of the case's history entries (its latest by default): ``case.<action>``,
    with the case's identity and state as they are now."""
    place = len(case.history) - 1 if sequence is None else sequence
    return from_entry(
        case.history[place],
        case_id=case.case_id,
        form_id=case.form_id,
        form_version=case.form_version,
        status=case.status.value,
        version=case.version,
        sequence=place,
        organisation_id=case.organisation_id,
    )


def from_entry(
    entry: HistoryEntry,
    *,
    case_id: str,
    form_id: str,
    form_version: int,
    status: str,
    version: int,
    sequence: int | None = None,
    organisation_id: str = "",
) -> CaseEvent:
    """The event announcing one history entry, with the case's identity and state as stored beside it."""
    return CaseEvent(
        type=f"case.{entry.action}",
        case_id=case_id,
        form_id=form_id,
        form_version=form_version,
        status=status,
        version=version,
        at=entry.at,
        actor_id=entry.actor.id,
        actor_role=entry.role,
        details={k: v for k, v in entry.details.items() if k in _SAFE_DETAILS},
        event_id=entry_event_id(case_id, sequence) if sequence is not None else "",
        organisation_id=organisation_id,
    )


def pdf_created(case: Case) -> CaseEvent:
    """Storing the signed PDF is bookkeeping, not a history entry, but other systems want to know.

    ``at`` is the time of the case state the PDF signs, so publishing it twice yields the same event.
    """
    details = {"fingerprint": case.fingerprint} if case.fingerprint else {}
    document = (case.fingerprint or case.pdf_key or iso(case.updated_at))[:16]
    return _about(
        case,
        "case.pdf_created",
        at=case.updated_at,
        actor_id="system",
        role="system",
        details=details,
        event_id=f"{case.case_id}-pdf-{document}",
    )


def from_envelope(envelope: Any) -> CaseEvent:
    """The case event inside an EventBridge envelope (as a rule delivers it to SQS), or ``MalformedEvent``."""
    if not isinstance(envelope, dict) or envelope.get("source") != SOURCE:
        raise MalformedEvent("not an eforms case event")
    kind, detail = envelope.get("detail-type"), envelope.get("detail")
    if kind not in TYPES or not isinstance(detail, dict):
        raise MalformedEvent("unknown event type or no detail")
    actor = detail.get("actor")
    try:
        if not isinstance(actor, dict):
            raise TypeError("actor")
        details = detail.get("details", {})
        if not isinstance(details, dict):
            raise TypeError("details")
        return CaseEvent(
            type=kind,
            case_id=_text(detail["caseId"]),
            form_id=_text(detail["formId"]),
            form_version=_number(detail["formVersion"]),
            status=_text(detail["status"]),
            version=_number(detail["caseVersion"]),
            at=parse_iso(_text(detail["at"])),
            actor_id=_text(actor["id"]),
            actor_role=_text(actor["role"]),
            details=details,
            event_id=_text(detail["eventId"]) if "eventId" in detail else "",
            organisation_id=_text(detail["organisationId"]) if "organisationId" in detail else "",
        )
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedEvent(f"bad detail: {type(error).__name__}") from None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise TypeError("expected a short string")
    return value


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise TypeError("expected a positive integer")
    return value


class EventSink(Protocol):
    def publish(self, events: list[CaseEvent]) -> None:
        """Publish every event, or raise: the outbox relay keeps what it could not publish and tries again."""
        ...
