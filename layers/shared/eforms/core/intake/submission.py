"""Submitting a case: the envelope, the form's rules, who the case concerns, and the stored result.

Everything is checked before anything is written, and every problem is reported at once (a person
fixing a form wants the whole list, not one error per round trip). Pointers in errors point into the
request body, so a form's field ``/period/to`` is reported as ``/data/period/to``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from eforms.core.approval import approvers
from eforms.core.cases import lifecycle
from eforms.core.cases.events import EventSink, from_history
from eforms.core.cases.ids import new_case_id
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import PAYROLL_QUEUE, Case, CaseStore, Channel, Person
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import FieldError, NotFound, ValidationFailed
from eforms.core.common.input_safety import text_errors
from eforms.core.forms import routes, validation
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.identity.caller import ADMINISTRATOR, Caller
from eforms.core.identity.directory import Directory, current, manages

_ENVELOPE_FIELDS = {"formId", "formVersion", "data"}
_DAYS_PER_YEAR = 366  # generous: retention is a minimum, never cut a day short in a leap year


class WorkflowStarter(Protocol):
    def start(self, case_id: str) -> None:
        """Start the case's workflow; starting the same case twice must be harmless."""
        ...


@dataclass(frozen=True)
class SubmitRequest:
    form_id: str
    form_version: int | None
    data: dict[str, Any]


def parse_submit_request(body: Any) -> SubmitRequest:
    """Check the request envelope ``{"formId", "formVersion"?, "data"}``; every problem as a FieldError."""
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "wrong_type", {"expected": "object"})])
    errors = [FieldError(f"/{key}", "unknown_field") for key in body if key not in _ENVELOPE_FIELDS]
    form_id, version, data = body.get("formId"), body.get("formVersion"), body.get("data")
    if form_id is None:
        errors.append(FieldError("/formId", "required"))
    elif not isinstance(form_id, str):
        errors.append(FieldError("/formId", "wrong_type", {"expected": "string"}))
    if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 1):
        errors.append(FieldError("/formVersion", "wrong_type", {"expected": "integer ≥ 1"}))
    if data is None:
        errors.append(FieldError("/data", "required"))
    elif not isinstance(data, dict):
        errors.append(FieldError("/data", "wrong_type", {"expected": "object"}))
    if errors or not isinstance(form_id, str) or not isinstance(data, dict):
        raise ValidationFailed(sorted(errors, key=lambda e: e.pointer))
    return SubmitRequest(form_id=form_id, form_version=version, data=data)


def resolve_form(catalogue: Catalogue, request: SubmitRequest) -> FormDefinition:
    """The form version the request names; unknown ones are field errors on the envelope."""
    try:
        return catalogue.get(request.form_id, request.form_version)
    except NotFound as missing:
        pointer = "/formId" if missing.code == "unknown_form" else "/formVersion"
        raise ValidationFailed([FieldError(pointer, missing.code, missing.params)]) from None


def _pointer_get(document: Any, pointer: str) -> Any:
    node = document
    for part in [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _subject(
    form: FormDefinition, data: dict[str, Any], caller: Caller, directory: Directory, today: Any
) -> tuple[Person, list[FieldError]]:
    """Whom the case concerns: the caller, or (on-behalf forms) an employee the caller may act for."""
    me = Person(caller.id, caller.name)
    rule = form.on_behalf
    if rule is None or _pointer_get(data, rule.flag) is not True:
        return me, []
    pointer = "/data" + rule.employee_id
    if not caller.has_any(rule.roles):
        return me, [FieldError("/data" + rule.flag, "on_behalf_not_permitted")]
    employee_id = _pointer_get(data, rule.employee_id)
    if employee_id == caller.id:
        return me, [FieldError("/data" + rule.flag, "on_behalf_self")]
    employee = current(directory, employee_id if isinstance(employee_id, str) else None, today)
    if employee is None:
        return me, [FieldError(pointer, "unknown_employee")]
    # Administrators file for anyone in the organisation; managers only for their own employees.
    if not caller.has_any((ADMINISTRATOR,)) and not manages(directory, caller.id, employee, today):
        return me, [FieldError(pointer, "not_your_employee")]
    return Person(employee.employee_id, employee.name), []


def submit(
    request: SubmitRequest,
    *,
    caller: Caller,
    language: str,
    catalogue: Catalogue,
    directory: Directory,
    store: CaseStore,
    clock: Clock,
    workflow: WorkflowStarter | None = None,
    events: EventSink | None = None,
) -> Case:
    """Validate ``request`` completely and store it as a new case, or raise ``ValidationFailed``."""
    form = resolve_form(catalogue, request)
    now: datetime = clock()
    today = stockholm_date(now)
    errors = text_errors(request.data, "/data")
    if not errors:
        errors = validation.validate(form, request.data, today=today, base="/data")
    if errors:
        raise ValidationFailed(errors)
    subject, errors = _subject(form, request.data, caller, directory, today)
    subject_row = current(directory, subject.id, today)
    manager_id = subject_row.manager_id if subject_row else None
    # Refuse now what the workflow could not route: a step that applies and that nobody may decide.
    step = routes.next_step(form.route, request.data)
    while step is not None and not errors:
        try:
            approvers.for_step(directory, form.route[step], subject.id, excluded={caller.id, subject.id}, today=today)
        except approvers.NoApprover:
            errors.append(FieldError("", "approver_unavailable"))
        step = routes.next_step(form.route, request.data, after=step)
    if errors:
        raise ValidationFailed(errors)

    applicant = Person(caller.id, caller.name)
    status, first = lifecycle.opening(
        "submitted",
        actor=applicant,
        role=Role.APPLICANT,
        channel=Channel.API,
        now=now,
        details={"onBehalfOf": subject.id} if subject.id != applicant.id else {},
    )
    case = Case(
        case_id=new_case_id(int(now.timestamp() * 1000)),
        form_id=form.form_id,
        form_version=form.version,
        route=form.route,
        status=status,
        applicant=applicant,
        subject=subject,
        manager_id=manager_id,
        queue=None if routes.needs_approval(form.route, request.data) else PAYROLL_QUEUE,
        data=request.data,
        language=language,
        created_at=now,
        updated_at=now,
        # Whole seconds: the store keeps it as an epoch-seconds TTL, and the view must not change on reload.
        expires_at=(now + timedelta(days=_DAYS_PER_YEAR * form.retention_years)).replace(microsecond=0),
        history=[first],
    )
    if workflow is not None:
        # Start first, store second. If the start fails nothing is stored and the caller may retry; if
        # the store fails, the workflow's first step finds no case, retries briefly and ends quietly.
        workflow.start(case.case_id)
    store.create(case)
    if events is not None:
        events.publish([from_history(case)])  # the notifier sends the receipt
    return case
