"""Who approves a case: the subject's manager, their acting substitute, or further up the line.

Rules (seed 000 and the approval issue):

* The employee's manager decides; while the manager has an appointed substitute (ersättare) whose
  period covers today, the substitute decides instead.
* With no usable manager (none recorded, or their row no longer valid), the manager's manager decides.
* The approver is never the person who filed the case nor the person it concerns: a manager who files a
  support case on behalf of an employee, or a manager applying for their own leave, cannot approve it;
  the decision goes one level up.
* Escalation asks the next person up from whoever was asked last.

The result says who and why, so the case history can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from eforms.core.identity.directory import Directory, Employee, current

MAX_CHAIN = 12  # a reporting chain longer than this is a loop in the directory data


@dataclass(frozen=True)
class Approver:
    employee: Employee
    reason: str  # manager | substitute | next-manager | escalation


class NoApprover(Exception):
    """Nobody in the reporting line may decide (missing rows, or a loop in the directory)."""


def resolve(
    directory: Directory, subject_id: str, *, excluded: set[str], today: date, above: str | None = None
) -> Approver:
    """The approver for a case about ``subject_id``, skipping anyone in ``excluded``.

    With ``above`` (escalation), start from that person's manager instead of the subject's.
    """
    origin = directory.get(above if above else subject_id)
    if origin is None:
        raise NoApprover()
    manager_id = origin.manager_id
    first = above is None
    seen: set[str] = set()
    for _ in range(MAX_CHAIN):
        if not manager_id or manager_id in seen:
            raise NoApprover()
        seen.add(manager_id)
        manager = directory.get(manager_id)
        if manager is None:
            raise NoApprover()
        if manager.is_valid_on(today):
            substitute = current(directory, manager.substitute_on(today), today)
            if substitute is not None and substitute.employee_id not in excluded:
                return Approver(substitute, "escalation" if above else "substitute")
            if manager.employee_id not in excluded:
                return Approver(manager, "escalation" if above else ("manager" if first else "next-manager"))
        # Excluded, or no longer in post: the decision goes one level up.
        first = False
        manager_id = manager.manager_id
    raise NoApprover()
