"""Who may see a case. Anyone else is told the case does not exist (404), never that it is forbidden.

The employee the case concerns and whoever filed it may see it; so may the manager recorded when it was
filed, the subject's current manager and that manager's acting substitute (reporting lines change),
whoever is asked to decide or has decided it (a substitute, a manager further up after escalation, or a
member of the team a route step asks),
and an administrator a manager sent the signed PDF to. Payroll officers see cases once they have reached their
team's queue (the team that serves the case's organisation), and a case that waited for that team to appoint
its approver. Nobody else of another organisation is any of these parties: every person id carries its
organisation (:mod:`eforms.core.organisations.people`). Someone signed in with BankID sees the
cases they filed or that concern them, nothing else.
"""

from __future__ import annotations

from datetime import date

from eforms.core.approval import approvers
from eforms.core.cases.ids import is_case_id
from eforms.core.cases.model import Case, CaseStore
from eforms.core.common.errors import NotFound
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory, manages


def can_view(caller: Caller, case: Case, directory: Directory, today: date) -> bool:
    if not caller.is_employee_sign_in:
        return caller.id in (case.applicant.id, case.subject.id)  # BankID: one's own cases, nothing more
    if caller.id in (case.applicant.id, case.subject.id, case.manager_id):
        return True
    if any(entry.role == "approver" and entry.actor.id == caller.id for entry in case.history):
        return True
    if caller.id in case.administrators:
        return True
    if caller.works(case.queue) or (
        caller.works(case.team) and any(e.action == "approver_missing" for e in case.history)
    ):
        return True
    # Only now is the directory read: most reads are by the case's own parties.
    if case.approver is not None and approvers.may_decide(directory, caller, case, today):
        return True  # the one asked, or a member of the team asked
    subject = directory.get(case.subject.id)
    return subject is not None and manages(directory, caller.id, subject, today)


def visible_case(store: CaseStore, directory: Directory, caller: Caller, case_id: str, today: date) -> Case:
    """The case, read once, if the caller may see it; otherwise 404 exactly as for a case that does not exist.

    Every route that names a case calls this first, before it parses a body: an outsider learns nothing
    from the difference between a bad body and a missing case.
    """
    case = store.get(case_id) if is_case_id(case_id) else None
    if case is None or not can_view(caller, case, directory, today):
        raise NotFound("case_not_found")
    return case
