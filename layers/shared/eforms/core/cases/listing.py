"""The views of "cases" a caller can list, each served by one index (see docs/data-model.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from eforms.core.cases.model import CaseStore, Filters, Page, Status
from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.errors import BadRequest, Forbidden
from eforms.core.identity.caller import MANAGER, Caller

SCOPES = ("mine", "filed", "team", "payroll")
MAX_LIMIT = 100
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class ListQuery:
    scope: str = "mine"
    filters: Filters = field(default_factory=Filters)
    limit: int = 25
    cursor: dict[str, Any] | None = None
    team: str | None = None  # payroll: which of the officer's teams' queues (the first by default)


_PARAMETERS = {"scope", "status", "limit", "nextToken", "employee", "formId", "from", "to", "signed", "q", "team"}
_MAX_ID = 128


def _day(params: dict[str, str], name: str) -> date | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    """Midnight in Stockholm: a period in the search is in the users' calendar, not UTC."""
    return datetime.combine(day, datetime.min.time(), tzinfo=STOCKHOLM)


def parse_limit(params: dict[str, str], *, allowed: frozenset[str] | None = None) -> int:
    """The page size a listing asks for (``limit``, 1–100, default 25); with ``allowed``, also refuses any
    parameter not in it. ``BadRequest`` names the offending parameter."""
    if allowed is not None and set(params) - allowed:
        raise BadRequest("invalid_query", parameter=sorted(set(params) - allowed)[0][:40])
    raw = params.get("limit", str(DEFAULT_LIMIT))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest("invalid_query", parameter="limit")
    return int(raw)


def parse_query(params: dict[str, str]) -> ListQuery:
    """Validate the query string of ``GET /cases``; ``BadRequest`` names the offending parameter.

    Besides scope and status, a listing narrows by ``employee`` (whom the case concerns), ``formId``,
    the filing period ``from``/``to`` (dates, inclusive) and ``signed`` (true: a signed PDF exists) —
    what a manager searching the team's decided cases needs.
    """
    unknown = set(params) - _PARAMETERS
    if unknown:
        raise BadRequest("invalid_query", parameter=sorted(unknown)[0][:40])
    scope = params.get("scope", "mine")
    if scope not in SCOPES:
        raise BadRequest("invalid_query", parameter="scope")
    status = params.get("status")
    if status is not None and status not in {s.value for s in Status}:
        raise BadRequest("invalid_query", parameter="status")
    for name in ("employee", "formId", "q", "team"):
        if name in params and not 0 < len(params[name]) <= _MAX_ID:
            raise BadRequest("invalid_query", parameter=name)
    if "team" in params and scope != "payroll":
        raise BadRequest("invalid_query", parameter="team")
    if "q" in params and ("employee" in params or scope not in ("team", "payroll")):
        raise BadRequest("invalid_query", parameter="q")  # a search of one's team, or payroll's
    since, until = _day(params, "from"), _day(params, "to")
    for name, value in (("from", since), ("to", until)):
        if name in params and value is None:
            raise BadRequest("invalid_query", parameter=name)
    if since and until and until < since:
        raise BadRequest("invalid_query", parameter="to")
    signed = params.get("signed")
    if signed not in (None, "true", "false"):
        raise BadRequest("invalid_query", parameter="signed")
    filters = Filters(
        status=status,
        subject_id=params.get("employee"),
        form_id=params.get("formId"),
        since=_start_of(since) if since else None,
        until=_start_of(until + timedelta(days=1)) if until else None,
        signed=None if signed is None else signed == "true",
    )
    return ListQuery(scope=scope, filters=filters, limit=parse_limit(params), team=params.get("team"))


def partition_for(caller: Caller, scope: str, team: str | None = None) -> str:
    """The index partition a scope reads for this caller; ``Forbidden`` for a scope the caller lacks, or a
    team's queue that is not theirs."""
    if scope in ("mine", "filed"):
        return caller.id
    if scope == "team":
        # Managers see the cases of the employees they managed at filing time. The role claim gates
        # the view; the index key is the caller's own id, so nobody can list another manager's team.
        if not caller.has_any((MANAGER,)):
            raise Forbidden()
        return caller.id
    queue = team or next(iter(caller.queues), None)
    if not caller.works(queue):
        raise Forbidden()
    assert queue is not None
    return queue


def list_cases(store: CaseStore, caller: Caller, query: ListQuery) -> Page:
    """One page of a listing, each row with its case number (the store reads the numbers with the page)."""
    key = partition_for(caller, query.scope, query.team)
    return store.list(query.scope, key, filters=query.filters, limit=query.limit, cursor=query.cursor)
