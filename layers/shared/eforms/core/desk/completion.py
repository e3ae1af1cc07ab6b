"""Komplettering: payroll sends the case back to the sender for what is missing, and the sender answers.

The request carries a message and, where the form allows, named fields to correct — the same mechanism as
a manager's return (only those fields may change; the whole form is validated again). The service-level
clock pauses while the case waits for the sender and resumes on their answer (the lifecycle table says so).
Both the request and the answer's message join the case's message thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eforms.core.approval.decisions import reopen_errors
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Correction
from eforms.core.common.bodies import Body
from eforms.core.common.errors import Conflict, FieldError, ValidationFailed
from eforms.core.desk import service_levels
from eforms.core.desk.messages import MAX_TEXT, appended, written
from eforms.core.desk.services import DeskAction, DeskServices, filer_only, payroll_gate
from eforms.core.forms import pay_month
from eforms.core.identity.caller import Caller


@dataclass(frozen=True)
class CompletionRequest:
    """``{"version", "message", "fields"?}`` from a payroll officer: what is missing, and the fields to reopen."""

    version: int
    message: str
    fields: tuple[str, ...]


def parse_request(body: Any) -> CompletionRequest:
    request = Body(body, {"version", "message", "fields"})
    version = request.version()
    text = request.text("message", required=True, limit=MAX_TEXT)
    fields = request.value("fields") or []
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        request.fail("/fields", "wrong_type", expected="array of strings")
        fields = []
    request.done()
    return CompletionRequest(version, text, tuple(dict.fromkeys(fields)))


def request_completion(desk: DeskServices, caller: Caller, case: Case, command: CompletionRequest) -> Case:
    errors = reopen_errors(list(command.fields), desk.form(case))  # which fields this form lets reopen
    if errors:
        raise ValidationFailed(errors)
    message = written(desk, caller, "payroll", command.message, kind="completion_request")
    correction = Correction(command.fields, command.message, message.author)
    return desk.change(
        case,
        "completion_requested",
        caller,
        Role.PAYROLL,
        version=command.version,
        details={"fields": list(correction.fields)},
        update=lambda now: {**appended(now, message, waiting="sender"), "correction": correction},
        new_message=message,
    )


REQUEST = DeskAction(payroll_gate, parse_request, request_completion)


@dataclass(frozen=True)
class CompletionAnswer:
    """``{"version", "message"?, "data"?}`` from the filer: an answer, and the reopened fields corrected."""

    version: int
    message: str
    data: dict[str, Any] | None


def parse_answer(body: Any) -> CompletionAnswer:
    request = Body(body, {"version", "message", "data"})
    version = request.version()
    text = request.text("message", limit=MAX_TEXT)
    data = request.value("data")
    if data is not None and not isinstance(data, dict):
        request.fail("/data", "wrong_type", expected="object")
        data = None
    request.done()
    return CompletionAnswer(version, text, data)


def provide_completion(desk: DeskServices, caller: Caller, case: Case, command: CompletionAnswer) -> Case:
    text, data, version = command.message, command.data, command.version
    if case.correction is not None and case.correction.fields and data is None:
        raise ValidationFailed([FieldError("/data", "required")])  # the reopened fields must come back
    if data is None and not text:
        raise ValidationFailed([FieldError("/message", "required")])
    if case.correction is None:
        raise Conflict("action_not_allowed", status=case.status.value)
    changed: list[str] = []
    if isinstance(data, dict):
        # Imported here: validating a form pulls in jsonschema, which the desk's other requests never need.
        from eforms.core.approval.resubmission import corrected_data

        changed = corrected_data(case, data, form=desk.form(case), now=desk.clock())
    message = written(desk, caller, "sender", text, kind="completion_answer") if text else None

    def update(now: Case) -> dict[str, Any]:
        fields: dict[str, Any] = {"correction": None}
        if isinstance(data, dict):
            fields["data"] = data
            if now.payroll is not None:  # a corrected date may move the pay the case reaches
                form = desk.form(case)
                concerned = pay_month.concerned_month(form.pay_month_from, data)
                fields["payroll"] = service_levels.repriced(now.payroll, desk.calendar(case), concerned)
        if message is not None:
            fields.update(appended(now, message, waiting="payroll"))
        return fields

    return desk.change(
        case,
        "completion_provided",
        caller,
        Role.APPLICANT,
        version=version,
        details={"changedFields": changed},
        update=update,
        new_message=message,
    )


ANSWER = DeskAction(filer_only, parse_answer, provide_completion)
