"""Claiming a case, or assigning it to a colleague in payroll. The owner shows on the queue; every change
of owner is in the history."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Person
from eforms.core.common.bodies import Body
from eforms.core.common.clock import stockholm_date
from eforms.core.common.errors import Conflict, FieldError, ValidationFailed
from eforms.core.desk.services import DeskAction, DeskServices, payroll_gate
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import current


@dataclass(frozen=True)
class Claim:
    """``{"version", "assigneeId"?}``: without an assignee, the caller takes the case."""

    version: int
    assignee_id: str | None


def parse_claim(body: Any) -> Claim:
    request = Body(body, {"version", "assigneeId"})
    command = Claim(request.version(), request.optional_id("assigneeId"))
    request.done()
    return command


def claim(desk: DeskServices, caller: Caller, case: Case, command: Claim) -> Case:
    assignee = Person(caller.id, caller.name)
    if command.assignee_id is not None and command.assignee_id != caller.id:
        row = current(desk.directory, command.assignee_id, stockholm_date(desk.clock()))
        if row is None or row.team != case.team:  # an officer of the team that serves the case
            raise ValidationFailed([FieldError("/assigneeId", "not_a_payroll_officer")])
        assignee = Person(row.employee_id, row.name)
    if command.version != case.version:
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
        version=command.version,
        details=details,
        update=lambda now: {"payroll": dataclasses.replace(now.payroll, assignee=assignee)} if now.payroll else {},
    )


CLAIM = DeskAction(payroll_gate, parse_claim, claim)
