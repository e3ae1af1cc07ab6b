"""Appointing who decides a route step that nobody in the step's own place may decide.

A case whose step has no approver (no manager recorded, everyone in the line excluded, an empty team, and
no fallback team that can decide) waits on the desk's list (``GET /desk/cases?status=awaiting_approval``)
instead of ending. A payroll officer appoints a current employee who may decide it — not its filer, not
whom it concerns, not whoever already approved a step of this round — and the workflow asks that person
with an emailed link, exactly as it asks a manager (docs/workflow.md, "When nobody may decide").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eforms.core.approval import approvers
from eforms.core.approval.engine import tell
from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Person
from eforms.core.common.bodies import Body
from eforms.core.common.clock import stockholm_date
from eforms.core.common.errors import FieldError, ValidationFailed
from eforms.core.desk.services import DeskAction, DeskServices, payroll_gate
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import current
from eforms.core.organisations import people


@dataclass(frozen=True)
class Appoint:
    """``{"version", "employeeId"}``: the employee who decides the waiting step."""

    version: int
    employee_id: str


def parse_appoint(body: Any) -> Appoint:
    request = Body(body, {"version", "employeeId"})
    version = request.version()
    employee_id = request.optional_id("employeeId")
    if employee_id is None and "employeeId" not in request.raw:
        request.fail("/employeeId", "required")
    request.done()
    return Appoint(version, employee_id or "")


def appoint(desk: DeskServices, caller: Caller, case: Case, command: Appoint) -> Case:
    actions.require(desk.context(caller, case), "appoint_approver")  # 409 when nothing waits, first
    row = current(desk.directory, command.employee_id, stockholm_date(desk.clock()))
    # Someone of the case's own organisation: a route never crosses organisations.
    foreign = people.organisation_of(command.employee_id) != people.organisation_of(case.subject.id)
    if row is None or foreign or row.employee_id in approvers.excluded_for(case):
        raise ValidationFailed([FieldError("/employeeId", "not_an_eligible_approver")])
    assert case.step is not None
    token = case.task_token
    changed = desk.change(
        case,
        "approver_appointed",
        caller,
        Role.PAYROLL,
        version=command.version,
        details={"step": case.step, "approverId": row.employee_id, "approverName": row.name},
        update=lambda _now: {"approver": Person(row.employee_id, row.name), "task_token": None},
    )
    if token and desk.engine is not None:
        # If the workflow cannot be told now, the outbox relay tells it from the stored entry.
        tell(desk.engine, token, {"outcome": "appointed"})
    return changed


APPOINT = DeskAction(payroll_gate, parse_appoint, appoint)
