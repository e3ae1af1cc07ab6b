"""Appointing who decides a route step that nobody in the step's own place may decide.

A case whose step has no approver (no manager recorded, everyone in the line excluded, an empty team, and
no fallback team that can decide) waits on the desk's list (``GET /desk/cases?status=awaiting_approval``)
instead of ending. A payroll officer appoints a current employee who may decide it — not its filer, not
whom it concerns, not whoever already approved a step of this round — and the workflow asks that person
with an emailed link, exactly as it asks a manager (docs/workflow.md, "When nobody may decide").
"""

from __future__ import annotations

from typing import Any

from eforms.core.approval import approvers
from eforms.core.approval.engine import Engine, tell
from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Person
from eforms.core.common.bodies import Body
from eforms.core.common.clock import stockholm_date
from eforms.core.desk.services import DeskServices, payroll_only
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import current


def appoint(desk: DeskServices, engine: Engine, caller: Caller, case: Case, body: Any) -> Case:
    """``{"version", "employeeId"}``: the employee who decides the waiting step."""
    payroll_only(caller)
    request = Body(body, {"version", "employeeId"})
    version = request.version()
    employee_id = request.optional_id("employeeId")
    if employee_id is None and "employeeId" not in request.raw:
        request.fail("/employeeId", "required")
    row = current(desk.directory, employee_id, stockholm_date(desk.clock())) if employee_id else None
    if employee_id is not None and (row is None or row.employee_id in approvers.excluded_for(case)):
        request.fail("/employeeId", "not_an_eligible_approver")
    request.done()
    actions.require(desk.context(caller, case), "appoint_approver")
    assert row is not None
    assert case.step is not None
    token = case.task_token
    changed = desk.change(
        case,
        "approver_appointed",
        caller,
        Role.PAYROLL,
        version=version,
        details={"step": case.step, "approverId": row.employee_id, "approverName": row.name},
        update=lambda _now: {"approver": Person(row.employee_id, row.name), "task_token": None},
    )
    if token:
        # If the workflow cannot be told now, the outbox relay tells it from the stored entry.
        tell(engine, token, {"outcome": "appointed"})
    return changed
