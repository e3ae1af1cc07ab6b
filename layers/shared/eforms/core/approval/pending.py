"""What waits for a signed-in person's decision: cases asked of them, and of the team they belong to.

Two index partitions (ByApprover: the caller's id, and ``team:<their team>``), merged oldest first and paged
with one cursor that remembers how far each was read: every page costs one read of each, however long the
lists grow, and nothing is skipped or shown twice.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from eforms.core.approval.approvers import appointment_wanted
from eforms.core.cases.model import CaseStore, CaseSummary, Page
from eforms.core.common.clock import iso
from eforms.core.common.errors import BadRequest
from eforms.core.forms.routes import TEAM_PREFIX
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory, current

_CASE_ID = re.compile(r"^[0-9A-Z]{26}$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def _position(summary: CaseSummary) -> dict[str, str]:
    return {"createdAt": iso(summary.created_at), "caseId": summary.case_id}


def _checked(cursor: dict[str, Any] | None, sources: dict[str, str]) -> dict[str, Any]:
    """A client's cursor: for each of the caller's sources, the position after which to read on (or
    ``"end"``). Positions only: the partitions are always the caller's own, so a cursor cannot reach
    anyone else's list."""
    if cursor is None:
        return {}
    if set(cursor) - set(sources):
        raise BadRequest("invalid_page_token")
    for value in cursor.values():
        if value == "end":
            continue
        if (
            not isinstance(value, dict)
            or set(value) != {"createdAt", "caseId"}
            or not _INSTANT.match(str(value["createdAt"]))
            or not _CASE_ID.match(str(value["caseId"]))
        ):
            raise BadRequest("invalid_page_token")
    return cursor


def pending_approvals(
    caller: Caller,
    *,
    store: CaseStore,
    directory: Directory,
    today: date,
    limit: int,
    cursor: dict[str, Any] | None = None,
) -> Page:
    """One page of the caller's own pending decisions and their team's, oldest first.

    No case is read per row: a team member who already approved an earlier step of a listed case still
    sees it, and is refused (403 ``not_the_approver``) if they try to decide it.
    """
    if not caller.is_employee_sign_in:
        return Page([], None)  # a BankID sign-in never decides
    sources = {"own": caller.id}
    row = current(directory, caller.id, today)
    if row is not None and row.team:
        sources["team"] = f"{TEAM_PREFIX}{row.team}"
    return merged_page(store, sources, limit=limit, cursor=cursor)


def awaiting_appointment(store: CaseStore, team: str, *, limit: int, cursor: dict[str, Any] | None = None) -> Page:
    """The cases waiting for a payroll team to appoint whoever decides them, oldest first."""
    return merged_page(store, {"desk": appointment_wanted(team)}, limit=limit, cursor=cursor)


def merged_page(store: CaseStore, sources: dict[str, str], *, limit: int, cursor: dict[str, Any] | None) -> Page:
    """One page over ByApprover partitions (``sources``: cursor name → approver key), oldest first."""
    position = _checked(cursor, sources)
    read: dict[str, list[CaseSummary]] = {}
    more: set[str] = set()
    for name, approver in sources.items():
        after = position.get(name)
        if after == "end":
            continue
        found = store.pending_for(approver, limit=limit + 1, after=after)  # one more: is there a next page?
        read[name], exhausted = found[:limit], len(found) <= limit
        if not exhausted:
            more.add(name)
    merged = sorted(
        ((summary, name) for name, items in read.items() for summary in items),
        key=lambda pair: (pair[0].created_at, pair[0].case_id),
    )
    page = merged[:limit]
    next_position: dict[str, Any] = {}
    for name in sources:
        taken = [summary for summary, source in page if source == name]
        left = len(read.get(name, [])) > len(taken) or name in more
        if not left:
            next_position[name] = "end"
        elif taken:
            next_position[name] = _position(taken[-1])
        elif name in position:
            next_position[name] = position[name]
    ended = all(value == "end" for value in next_position.values())
    return Page(store.numbered([summary for summary, _ in page]), None if ended else next_position)
