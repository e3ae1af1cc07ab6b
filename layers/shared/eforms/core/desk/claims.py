"""Claiming a case, or assigning it to a colleague in payroll. The owner shows on the queue; every change
of owner is in the history."""

from __future__ import annotations

import dataclasses
from typing import Any

from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Person
from eforms.core.common.bodies import Body
from eforms.core.common.clock import stockholm_date
from eforms.core.common.errors import Conflict
from eforms.core.desk.services import DeskServices, payroll_only
from eforms.core.identity.caller import PAYROLL, Caller
from eforms.core.identity.directory import current


def claim(desk: DeskServices, caller: Caller, case: Case, body: Any) -> Case:
    """``{"version", "assigneeId"?}``: without an assignee, the caller takes the case."""
    payroll_only(caller)
    request = Body(body, {"version", "assigneeId"})
    version = request.version()
    assignee_id = request.optional_id("assigneeId")
    assignee = Person(caller.id, caller.name)
    if assignee_id is not None and assignee_id != caller.id:
        row = current(desk.directory, assignee_id, stockholm_date(desk.clock()))
        if row is None or row.team != PAYROLL:
            request.fail("/assigneeId", "not_a_payroll_officer")
        else:
            assignee = Person(row.employee_id, row.name)
    request.done()
    if version != case.version:
        raise Conflict("case_changed")  # a stale view first: what the caller saw is not the case any more
    actions.require(desk.context(caller, case), "claim" if assignee.id == caller.id else "assign")
    assert case.payroll is not None  # every case at the desk was received by payroll
    previous = case.payroll.assignee
    details = {"assigneeId": assignee.id, **({"previousAssigneeId": previous.id} if previous else {})}
    return desk.change(
        case,
        "claimed" if assignee.id == caller.id else "assigned",
        caller,
        Role.PAYROLL,
        version=version,
        details=details,
        update=lambda now: {"payroll": dataclasses.replace(now.payroll, assignee=assignee)} if now.payroll else {},
    )
