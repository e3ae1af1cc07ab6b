"""What waits for a signed-in person's decision: cases asked of them, and of the team they belong to."""

from __future__ import annotations

from datetime import date

from eforms.core.cases.model import CaseStore, CaseSummary
from eforms.core.forms.routes import TEAM_PREFIX
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory, current


def pending_approvals(
    caller: Caller, *, store: CaseStore, directory: Directory, today: date, limit: int
) -> list[CaseSummary]:
    """The caller's own pending decisions and their team's, oldest first (each read by its index key).

    Served by two index reads, no case read per row: a team member who already approved an earlier step
    of a listed case still sees it, and is refused (403 ``not_the_approver``) if they try to decide it.
    """
    if not caller.is_employee_sign_in:
        return []  # a BankID sign-in never decides
    items = store.pending_for(caller.id, limit=limit)
    row = current(directory, caller.id, today)
    if row is not None and row.team:
        items += store.pending_for(f"{TEAM_PREFIX}{row.team}", limit=limit)
    return sorted(items, key=lambda s: s.updated_at)[:limit]
