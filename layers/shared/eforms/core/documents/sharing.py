"""A manager sends a case's signed PDF to an administrator (for example HR, for the personnel file).

The administrator is named by their directory id, never by a free-typed address: the address comes
from the directory, and naming them on the case is what lets them download the PDF later (see
:mod:`eforms.core.cases.access`). The email itself is sent by the notifier when it sees ``case.pdf_shared``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eforms.core.cases import lifecycle
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Channel, HistoryEntry, Person
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, FieldError, Forbidden, ValidationFailed
from eforms.core.identity.caller import MANAGER, Caller
from eforms.core.identity.directory import Directory, current, manages

_MAX_ID = 128


def parse_share(body: Any) -> str:
    """The administrator id from ``{"administratorId": "..."}``; every problem as a field error."""
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "wrong_type", {"expected": "object"})])
    unknown = sorted(set(body) - {"administratorId"})
    if unknown:
        raise ValidationFailed([FieldError(f"/{name[:40]}", "unknown_field") for name in unknown])
    value = body.get("administratorId")
    if not isinstance(value, str) or not 0 < len(value) <= _MAX_ID:
        raise ValidationFailed(
            [
                FieldError(
                    "/administratorId",
                    "required" if value is None else "wrong_type",
                    {} if value is None else {"expected": "string"},
                )
            ]
        )
    return value


def may_share(caller: Caller, case: Case, directory: Directory, today: date) -> bool:
    """The manager who decided, or a manager of the employee the case concerns."""
    if any(e.role == "approver" and e.actor.id == caller.id for e in case.history):
        return True
    subject = directory.get(case.subject.id)
    return caller.has_any((MANAGER,)) and subject is not None and manages(directory, caller.id, subject, today)


def share_pdf(
    caller: Caller, case: Case, administrator_id: str, *, directory: Directory, writer: CaseWriter, clock: Clock
) -> Case:
    """Name ``administrator_id`` on ``case`` (one the caller may see: ``access.visible_case``)."""
    if not may_share(caller, case, directory, stockholm_date(clock())):
        raise Forbidden()
    if case.pdf_key is None:
        raise Conflict("pdf_not_available")
    administrator = current(directory, administrator_id, stockholm_date(clock()))
    if administrator is None or not administrator.email:
        raise ValidationFailed([FieldError("/administratorId", "unknown_employee")])

    def plan(current_case: Case) -> tuple[Case, HistoryEntry]:
        return lifecycle.transition(
            current_case,
            "pdf_shared",
            actor=Person(caller.id, caller.name),
            role=Role.MANAGER,
            channel=Channel.API,
            now=clock(),
            details={"administratorId": administrator.employee_id},
            administrators=tuple(sorted({*current_case.administrators, administrator.employee_id})),
        )

    # Naming one more recipient commutes with anything else that happened meanwhile: retry on a fresh read.
    return writer.apply(case, plan, retry=True).after
