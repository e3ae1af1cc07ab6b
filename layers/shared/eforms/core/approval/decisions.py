"""A manager's decision on a case: approve, reject with a reason, or return named fields for correction.

The same rules apply whichever way the decision arrives — the emailed link's page or the signed-in API —
and every problem with a decision request is reported at once, with pointers into the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from eforms.core.cases import lifecycle
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Channel, Correction, HistoryEntry, Person
from eforms.core.common.errors import Conflict, FieldError, ValidationFailed
from eforms.core.common.input_safety import text_errors
from eforms.core.forms import routes
from eforms.core.forms.catalogue import FormDefinition

Outcome = Literal["approve", "reject", "return"]
OUTCOMES: tuple[Outcome, ...] = ("approve", "reject", "return")
MAX_MESSAGE = 2000
#: What the decision is called in the history and what the workflow is told.
RESULT = {"approve": "approved", "reject": "rejected", "return": "returned"}


@dataclass(frozen=True)
class DecisionRequest:
    outcome: Outcome
    message: str = ""
    fields: tuple[str, ...] = ()
    version: int | None = None  # the case version the decider saw (API); links carry their own


def parse_decision(body: Any, form: FormDefinition, *, require_version: bool = False) -> DecisionRequest:
    """Check a decision request: ``{"decision", "message"?, "fields"?, "version"?}``."""
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "wrong_type", {"expected": "object"})])
    errors = [
        FieldError(f"/{k}", "unknown_field") for k in body if k not in {"decision", "message", "fields", "version"}
    ]
    outcome = body.get("decision")
    if outcome not in OUTCOMES:
        errors.append(
            FieldError("/decision", "required" if outcome is None else "invalid_choice", {"allowed": list(OUTCOMES)})
        )
    message = body.get("message", "")
    if not isinstance(message, str):
        errors.append(FieldError("/message", "wrong_type", {"expected": "string"}))
        message = ""
    message = message.strip()
    errors += text_errors(message, "/message")
    if len(message) > MAX_MESSAGE:
        errors.append(FieldError("/message", "too_long", {"limit": MAX_MESSAGE}))
    if outcome in ("reject", "return") and not message:
        errors.append(FieldError("/message", "message_required"))
    fields, field_errors = _fields(body.get("fields", []), outcome, form)
    errors += field_errors
    version = body.get("version")
    if version is None and require_version:
        errors.append(FieldError("/version", "required"))
    elif version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        errors.append(FieldError("/version", "wrong_type", {"expected": "integer"}))
    if errors:
        raise ValidationFailed(sorted(errors, key=lambda e: (e.pointer, e.code)))
    return DecisionRequest(outcome, message, tuple(dict.fromkeys(fields)), version)  # type: ignore[arg-type]


def _fields(fields: Any, outcome: Any, form: FormDefinition) -> tuple[list[str], list[FieldError]]:
    """The fields to reopen: required to return a case, refused otherwise, and only correctable ones."""
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return [], [FieldError("/fields", "wrong_type", {"expected": "array of strings"})]
    if outcome != "return":
        return fields, [FieldError("/fields", "not_allowed")] if fields else []
    errors = [] if fields else [FieldError("/fields", "fields_required")]
    return fields, errors + reopen_errors(fields, form)


def reopen_errors(fields: list[str], form: FormDefinition) -> list[FieldError]:
    """Fields may be reopened for correction only where the form allows it (``correctableFields``) — by a
    manager returning a case, or by payroll asking the sender to complete it."""
    allowed = list(form.correctable_fields)
    return [
        FieldError(f"/fields/{index}", "field_not_correctable", {"allowed": allowed})
        for index, pointer in enumerate(fields)
        if pointer not in form.correctable_fields
    ]


def decide(
    case: Case, request: DecisionRequest, *, actor: Person, channel: Channel, now: datetime
) -> tuple[Case, HistoryEntry]:
    """The case after the decision, and the history entry recording it (not yet stored).

    Approving a step with another applicable step after it is ``step_approved``; the last is ``approved``.
    """
    lifecycle.check(case, RESULT[request.outcome])
    if request.version is not None and request.version != case.version:
        raise Conflict("case_changed")
    step = case.step if case.step is not None else routes.next_step(case.route, case.data)
    details: dict[str, Any] = {} if step is None else {"step": step}
    if request.message:
        details["message"] = request.message
    correction = None
    if request.outcome == "return":
        correction = Correction(request.fields, request.message, actor)
        details["fields"] = list(request.fields)
    action = RESULT[request.outcome]
    if action == "approved" and step is not None and routes.next_step(case.route, case.data, after=step) is not None:
        action = "step_approved"  # the route goes on: the next step's approver is asked
    return lifecycle.transition(
        case,
        action,
        actor=actor,
        role=Role.APPROVER,
        channel=channel,
        now=now,
        details=details,
        approver=None,
        link_hash=None,
        correction=correction,
    )
