"""The views of "cases" a caller can list, each served by one index (see docs/data-model.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eforms.core.cases import PAYROLL_QUEUE, CaseStore, Page, Status
from eforms.core.errors import BadRequest, Forbidden
from eforms.core.identity import MANAGER, Caller

SCOPES = ("mine", "filed", "team", "payroll")
MAX_LIMIT = 100


@dataclass(frozen=True)
class ListQuery:
    scope: str = "mine"
    status: str | None = None
    limit: int = 25
    cursor: dict[str, Any] | None = None


def parse_query(params: dict[str, str]) -> ListQuery:
    """Validate the query string of ``GET /cases``; ``BadRequest`` names the offending parameter."""
    unknown = set(params) - {"scope", "status", "limit", "nextToken"}
    if unknown:
        raise BadRequest("invalid_query", parameter=sorted(unknown)[0][:40])
    scope = params.get("scope", "mine")
    if scope not in SCOPES:
        raise BadRequest("invalid_query", parameter="scope")
    status = params.get("status")
    if status is not None and status not in {s.value for s in Status}:
        raise BadRequest("invalid_query", parameter="status")
    raw_limit = params.get("limit", "25")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadRequest("invalid_query", parameter="limit")
    return ListQuery(scope=scope, status=status, limit=int(raw_limit))


def partition_for(caller: Caller, scope: str) -> str:
    """The index partition a scope reads for this caller; ``Forbidden`` for a scope the caller lacks."""
    if scope in ("mine", "filed"):
        return caller.id
    if scope == "team":
        # Managers see the cases of the employees they managed at filing time. The role claim gates
        # the view; the index key is the caller's own id, so nobody can list another manager's team.
        if not caller.has_any((MANAGER,)):
            raise Forbidden()
        return caller.id
    if not caller.is_payroll:
        raise Forbidden()
    return PAYROLL_QUEUE


def list_cases(store: CaseStore, caller: Caller, query: ListQuery) -> Page:
    key = partition_for(caller, query.scope)
    return store.list(query.scope, key, status=query.status, limit=query.limit, cursor=query.cursor)
