"""Finishing a case at the desk, and the sender withdrawing it.

Payroll closes with an outcome: ``resolved`` (a question answered — forms completed by an answer),
``delivered`` (a certificate issued — the uploaded PDF first, when the form requires one for this case's
data) or ``dismissed`` (not payroll's matter, with a message saying where to turn). The filer may withdraw
a case until payroll has registered it; withdrawing one that waits for a manager ends the approval too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from eforms.core.approval.engine import tell
from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case
from eforms.core.common.bodies import Body
from eforms.core.common.errors import FieldError, ValidationFailed
from eforms.core.desk.messages import MAX_TEXT, appended, written
from eforms.core.desk.services import DeskAction, DeskServices, filer_only, payroll_gate
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.identity.caller import Caller

OUTCOMES = {"resolved": "resolved", "delivered": "certificate_delivered", "dismissed": "dismissed"}
_ACTION_NAMES = {"resolved": "resolve", "delivered": "send_certificate", "dismissed": "dismiss"}


def fits(outcome: str, form: FormDefinition) -> bool:
    """Whether ``outcome`` may finish a case of ``form``: the one table of how forms finish
    (``actions.FINISHED_BY``; dismissing fits every form)."""
    return actions.fits(form, OUTCOMES[outcome]) is None


def document_required(form: FormDefinition, data: dict[str, Any]) -> bool:
    """Whether this case's certificate must be uploaded before delivery (the form's condition, as data)."""
    condition = form.desk.document_required_when
    if condition is None:
        return False
    import jsonschema  # here: only certificate deliveries pay for it, not every desk request's cold start

    return bool(jsonschema.Draft202012Validator(condition).is_valid(data))


@dataclass(frozen=True)
class Close:
    """``{"version", "outcome", "message"?}`` — the message is required to resolve or dismiss."""

    version: int
    outcome: str
    message: str


def parse_close(body: Any) -> Close:
    request = Body(body, {"version", "outcome", "message"})
    version = request.version()
    outcome = request.choice("outcome", tuple(OUTCOMES))
    text = request.text("message", required=outcome in ("resolved", "dismissed"), limit=MAX_TEXT)
    request.done()
    return Close(version, outcome, text)


def close(desk: DeskServices, caller: Caller, case: Case, command: Close) -> Case:
    form = desk.form(case)
    if not fits(command.outcome, form):
        raise ValidationFailed([FieldError("/outcome", "outcome_not_for_form", {"completion": form.desk.completion})])
    action = OUTCOMES[command.outcome]
    actions.require(desk.context(caller, case), _ACTION_NAMES[command.outcome])
    certificate = case.payroll.certificate if case.payroll else None
    message = written(desk, caller, "payroll", command.message) if command.message else None
    sent = action == "certificate_delivered" and certificate is not None
    now = desk.clock()

    def update(current: Case) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if message is not None:
            fields.update(appended(current, message, waiting=None), correction=None)  # nobody's turn: it is over
        if sent and current.payroll is not None and current.payroll.certificate is not None:
            delivered = dataclasses.replace(current.payroll.certificate, delivered_at=now)
            fields["payroll"] = dataclasses.replace(current.payroll, certificate=delivered)
        return fields

    # The document sent is the one the officer saw: its hash is on the record of the delivery.
    details = {"sha256": certificate.sha256} if sent and certificate else None
    return desk.change(
        case,
        action,
        caller,
        Role.PAYROLL,
        version=command.version,
        details=details,
        update=update,
        new_message=message,
    )


@dataclass(frozen=True)
class Withdraw:
    """``{"version", "message"?}`` from the filer."""

    version: int
    message: str


def parse_withdraw(body: Any) -> Withdraw:
    request = Body(body, {"version", "message"})
    command = Withdraw(request.version(), request.text("message", limit=MAX_TEXT))
    request.done()
    return command


def withdraw(desk: DeskServices, caller: Caller, case: Case, command: Withdraw) -> Case:
    """A waiting approval workflow is told and ends."""
    actions.require(desk.context(caller, case), "withdraw")
    token = case.task_token
    withdrawn = desk.change(
        case,
        "withdrawn",
        caller,
        Role.APPLICANT,
        version=command.version,
        details={"message": command.message} if command.message else {},
        update=lambda _: {"approver": None, "link_hash": None, "task_token": None, "correction": None},
    )
    if token and desk.engine is not None:
        tell(desk.engine, token, {"outcome": "withdrawn"})  # Decided/Corrected: anything else ends the workflow
    return withdrawn


CLOSE = DeskAction(payroll_gate, parse_close, close)
WITHDRAW = DeskAction(filer_only, parse_withdraw, withdraw)
