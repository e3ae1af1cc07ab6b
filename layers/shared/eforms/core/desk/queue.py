"""Payroll's work queue: which cases, in which order, narrowed how (``GET /desk/cases``).

Every filter is served by an index key (docs/desk.md), so a page is one read and always complete, however
long the queue. The order is the due date, soonest first: the work that breaks a promise first is on top.
"""

from __future__ import annotations

from eforms.core.approval.pending import awaiting_appointment
from eforms.core.cases.model import CaseStore, DeskQuery, Page, Status
from eforms.core.common.errors import BadRequest, NotFound
from eforms.core.desk.services import payroll_only
from eforms.core.identity.caller import Caller

_PARAMETERS = {"status", "formId", "assignee", "employee", "limit", "nextToken", "q", "team", "organisation"}
#: ``awaiting_approval`` lists the cases waiting for the desk to appoint their approver (``appointing``).
_DESK_STATUSES = {s.value for s in Status} - {
    "submitted",
    "returned",
    "approved",
    "rejected",
    "expired",
}
MAX_LIMIT = 100


def parse_queue(caller: Caller, params: dict[str, str]) -> DeskQuery:
    """The query string of ``GET /desk/cases``; ``assignee=me`` is the caller. ``BadRequest`` names the
    parameter that is wrong."""
    unknown = set(params) - _PARAMETERS
    if unknown:
        raise BadRequest("invalid_query", parameter=sorted(unknown)[0][:40])
    status = params.get("status")
    if status is not None and status not in _DESK_STATUSES:
        raise BadRequest("invalid_query", parameter="status")
    raw_limit = params.get("limit", "25")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadRequest("invalid_query", parameter="limit")
    for name in ("formId", "assignee", "employee", "q", "team", "organisation"):
        if name in params and not 0 < len(params[name]) <= 128:
            raise BadRequest("invalid_query", parameter=name)
    if "q" in params and {"employee", "status"} & set(params):
        raise BadRequest("invalid_query", parameter="q")  # a search names its case or person itself
    assignee = params.get("assignee")
    if status == Status.AWAITING_APPROVAL.value:
        narrowing = sorted({"formId", "assignee", "employee", "organisation"} & set(params))
        if narrowing:  # nobody at the desk has these yet: they are listed by when they began to wait
            raise BadRequest("invalid_query", parameter=narrowing[0])
    return DeskQuery(
        team=params.get("team") or next(iter(caller.queues), ""),
        organisation_id=params.get("organisation"),
        status=Status(status) if status else None,
        form_id=params.get("formId"),
        assignee_id=caller.id if assignee == "me" else assignee,
        subject_id=params.get("employee"),
        limit=int(raw_limit),
    )


def work_queue(store: CaseStore, caller: Caller, query: DeskQuery) -> Page:
    """The queue of one of the officer's teams; anyone else has no queue, and nobody another team's (404, as
    for a route they cannot see)."""
    payroll_only(caller)
    if not caller.works(query.team):
        raise NotFound("team_not_found")
    if query.status == Status.AWAITING_APPROVAL:
        return awaiting_appointment(store, query.team, limit=query.limit, cursor=query.cursor)
    page = store.desk_queue(query)
    return Page(store.numbered(page.items), page.cursor)  # the desk's first column is the case number
