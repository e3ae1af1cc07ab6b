"""The listings and the desk's queue over the case indexes: each page complete, from one index partition.

No request path scans: a listing reads the partition its filters narrow most (``_listing_plan``,
``_desk_plan``), the other filters thin it, and a page is read on until complete (docs/data-model.md,
bench/listings.py prints the requests per page).
"""

from __future__ import annotations

import builtins
import dataclasses
from datetime import date, timedelta
from typing import Any

from eforms.aws.case_items import CASE_SK, assignee_key, case_pk, payroll_of, s_attr, summary_of
from eforms.aws.clients import client
from eforms.core.cases.model import (
    CaseSummary,
    DeskQuery,
    Filters,
    Page,
)
from eforms.core.common.clock import iso
from eforms.core.common.errors import BadRequest

#: listing scope → (index name, partition attribute)
SCOPE_INDEX = {
    "mine": ("BySubject", "subjectId"),
    "filed": ("ByFiler", "filedById"),
    "team": ("ByManager", "managerId"),
    "payroll": ("ByQueue", "queue"),
}
#: A filter thins what a read returns: read in chunks this large (~400 KB of summaries, well under a Query's
#: 1 MB), at most this many times, to fill a page. The listing plans keep filtered partitions small enough
#: for one or two chunks (bench/listings.py prints the requests per page).
_FILL_CHUNK = 1000
_FILL_ROUNDS = 10
_TICK = timedelta(microseconds=1)  # BETWEEN is inclusive; a period's end is exclusive


class CaseQueries:
    """The read side of :class:`eforms.aws.case_store.DynamoCaseStore`.

    Listings, the desk's queue, pending decisions.
    """

    table: str

    def pending_for(
        self, approver_id: str, *, limit: int, after: dict[str, str] | None = None
    ) -> builtins.list[CaseSummary]:
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "ByApprover",
            "KeyConditionExpression": "approverId = :a",
            "ExpressionAttributeValues": {":a": s_attr(approver_id)},
            "ScanIndexForward": True,
            "Limit": limit,
        }
        if after is not None:  # the key of the last case shown, in this approver's own partition
            kwargs["ExclusiveStartKey"] = {
                "pk": s_attr(case_pk(after["caseId"])),
                "sk": s_attr(CASE_SK),
                "approverId": s_attr(approver_id),
                "createdAt": s_attr(after["createdAt"]),
            }
        response = client("dynamodb").query(**kwargs)
        return [summary_of(i) for i in response.get("Items", [])]

    def list(self, scope: str, key: str, *, filters: Filters, limit: int, cursor: dict[str, Any] | None) -> Page:
        """One page of a listing, read from the index partition the filters narrow most (``_listing_plan``);
        the period is a key condition where the index sorts by filing time, every other filter a
        FilterExpression on that partition."""
        plan = _listing_plan(scope, key, filters)
        names = {"#k": plan.attribute}
        values: dict[str, Any] = {":k": s_attr(plan.key)}
        condition, clauses = "#k = :k", []
        if filters.since or filters.until:
            values[":since"] = s_attr(iso(filters.since) if filters.since else "0")
            values[":until"] = s_attr(iso(filters.until - _TICK) if filters.until else "9")
            if plan.sort == "createdAt":  # the period is the index's sort key: it costs only what it reads
                condition += " AND createdAt BETWEEN :since AND :until"
            else:
                clauses.append("createdAt BETWEEN :since AND :until")
        wanted = {"status": filters.status, "subjectId": filters.subject_id, "formId": filters.form_id, **plan.also}
        equal, filter_names, filter_values = _equalities(wanted, plan.served)
        clauses += equal
        names.update(filter_names)
        values.update(filter_values)
        if filters.signed is not None:
            clauses.append("attribute_exists(pdfKey)" if filters.signed else "attribute_not_exists(pdfKey)")
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": plan.index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,  # newest first
        }
        if clauses:
            kwargs["FilterExpression"] = " AND ".join(clauses)
        start = _checked_cursor(cursor, plan.attribute, plan.key, plan.sort)
        page = self._page(kwargs, limit, start, (plan.attribute, plan.sort))
        return self._completed(page, with_payroll=scope == "payroll")

    def _completed(self, page: Page, *, with_payroll: bool) -> Page:
        """The rows with their case numbers and, in the payroll queue, their payroll block (as the desk's rows
        have it): the listing indexes project neither, so a page's are one BatchGetItem, none for no rows."""
        projection = "caseId, caseNumber" + (", payroll" if with_payroll else "")
        found = self._case_attributes([s.case_id for s in page.items], projection)
        items = [
            dataclasses.replace(
                s,
                payroll=payroll_of(found[s.case_id]) if with_payroll and s.case_id in found else s.payroll,
                case_number=found.get(s.case_id, {}).get("caseNumber", {}).get("S", s.case_number),
            )
            for s in page.items
        ]
        return Page(items=items, cursor=page.cursor)

    def numbered(self, summaries: builtins.list[CaseSummary]) -> builtins.list[CaseSummary]:
        """The rows with their case numbers, which no listing index projects (the numbers came after the
        indexes; docs/data-model.md): one BatchGetItem for the rows that lack one, none if none does."""
        missing = [s.case_id for s in summaries if s.case_number is None]
        found = self._case_attributes(missing, "caseId, caseNumber")
        return [
            dataclasses.replace(s, case_number=found[s.case_id]["caseNumber"]["S"])
            if s.case_id in found and "caseNumber" in found[s.case_id]
            else s
            for s in summaries
        ]

    def _case_attributes(self, case_ids: builtins.list[str], projection: str) -> dict[str, dict[str, Any]]:
        """A few attributes of each case item (at most 100: a page), by case id; one BatchGetItem."""
        if not case_ids:
            return {}
        keys = [{"pk": s_attr(case_pk(case_id)), "sk": s_attr(CASE_SK)} for case_id in dict.fromkeys(case_ids)]
        request: dict[str, Any] = {self.table: {"Keys": keys, "ProjectionExpression": projection}}
        found: dict[str, dict[str, Any]] = {}
        for _ in range(_FILL_ROUNDS):
            reply = client("dynamodb").batch_get_item(RequestItems=request)
            found.update({item["caseId"]["S"]: item for item in reply.get("Responses", {}).get(self.table, [])})
            request = reply.get("UnprocessedKeys") or {}
            if not request:
                break
        return found

    def desk_queue(self, query: DeskQuery) -> Page:
        """One index partition chosen by the most selective filter (``_desk_plan``); the others narrow it."""
        plan = _desk_plan(query)
        wanted = {
            "subjectId": query.subject_id,
            "assigneeId": assignee_key(query.team, query.assignee_id) if query.assignee_id else None,
            "status": query.status.value if query.status else None,
            "formId": query.form_id,
            **plan.also,
        }
        clauses, names, values = _equalities(wanted, plan.served)
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": plan.index,
            "KeyConditionExpression": "#k = :k",
            "ExpressionAttributeNames": {"#k": plan.attribute, **names},
            "ExpressionAttributeValues": {":k": s_attr(plan.key), **values},
            # Soonest due first; one person's cases (few) newest first.
            "ScanIndexForward": plan.sort == "deskDue",
        }
        if clauses:
            kwargs["FilterExpression"] = " AND ".join(clauses)
        start = _checked_cursor(query.cursor, plan.attribute, plan.key, plan.sort)
        return self._page(kwargs, query.limit, start, (plan.attribute, plan.sort))

    def overdue(self, team: str, before: date, *, limit: int) -> builtins.list[CaseSummary]:
        """A team's cases whose service-level clock runs and whose due date is before ``before``
        (ByDeadline: only such cases are in it, so this reads nothing else)."""
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByDeadline",
            KeyConditionExpression="slaClock = :q AND deskDue < :before",
            ExpressionAttributeValues={":q": s_attr(team), ":before": s_attr(before.isoformat())},
            Limit=limit,
        )
        return [summary_of(i) for i in response.get("Items", [])]

    def _page(
        self, kwargs: dict[str, Any], limit: int, start: dict[str, Any] | None, index_key: tuple[str, str]
    ) -> Page:
        """One complete page: read on until ``limit`` items matched or the partition ends.

        Without a filter every item read is returned, so a read of ``limit`` items is the page. With one,
        reads come in larger chunks and the page is cut at ``limit``; the cursor then points at the last
        item returned (its index key), not at where the read stopped, so nothing is skipped.
        """
        filtered = "FilterExpression" in kwargs
        items: list[dict[str, Any]] = []
        for _ in range(_FILL_ROUNDS):
            if start:
                kwargs["ExclusiveStartKey"] = start
            kwargs["Limit"] = max(_FILL_CHUNK, limit) if filtered else limit - len(items)
            response = client("dynamodb").query(**kwargs)
            items += response.get("Items", [])
            start = response.get("LastEvaluatedKey")
            if len(items) >= limit:
                if len(items) > limit or start:
                    items = items[:limit]
                    start = _key_of(items[-1], index_key)
                break
            if not start:
                break
        return Page(items=[summary_of(i) for i in items], cursor=_plain(start) if start else None)


@dataclasses.dataclass(frozen=True)
class _Plan:
    """Which index partition serves a listing or the desk's queue: ``index`` keyed by ``attribute = key``, by ``sort``;
    ``served`` names the filters that key already applies, ``also`` the conditions a partition wider than
    the caller's scope adds (one person's cases, of those: only the payroll queue's)."""

    index: str
    attribute: str
    key: str
    sort: str = "createdAt"
    served: frozenset[str] = frozenset()
    also: dict[str, str] = dataclasses.field(default_factory=dict)


def _listing_plan(scope: str, key: str, filters: Filters) -> _Plan:
    """The partition a listing reads, chosen so that each page is complete in one or two requests at
    100,000 cases (docs/data-model.md, bench/listings.py): a person's own listings are small partitions
    whatever the filter; a team is one manager's partition, narrowed by a key to one employee (a department
    can hold thousands of cases); the payroll queue, which holds every case that ever reached payroll, is
    narrowed by a key for each of its filters."""
    index, attribute = SCOPE_INDEX[scope]
    if scope == "team" and filters.subject_id:
        pair = f"{key}#{filters.subject_id}"
        return _Plan("ByManagerSubject", "managerSubject", pair, served=frozenset({"subjectId"}))
    if scope == "payroll":
        if filters.subject_id:  # one person's cases, of those the queue's
            return _Plan(
                "BySubject", "subjectId", filters.subject_id, served=frozenset({"subjectId"}), also={"queue": key}
            )
        if filters.form_id:
            return _Plan("ByQueueForm", "queueForm", f"{key}#{filters.form_id}", served=frozenset({"formId"}))
        if filters.status:
            return _Plan("ByQueueStatus", "queueStatus", f"{key}#{filters.status}", served=frozenset({"status"}))
    return _Plan(index, attribute, key)


def _desk_plan(query: DeskQuery) -> _Plan:
    """A team's work queue by the most selective filter: each filter is a key (docs/desk.md), the team in
    every key. One customer's cases are a partition of their own (``ByDeskOrg``), the other filters thin it.
    An assignee's cases are theirs in any team: of those, the team's."""
    team = query.team
    if query.subject_id:  # one person's cases, of those only the ones that reached this team
        served = frozenset({"subjectId"})
        return _Plan("BySubject", "subjectId", query.subject_id, served=served, also={"queue": team})
    if query.organisation_id:
        key = f"{team}#{query.organisation_id}"
        return _Plan("ByDeskOrg", "deskOrg", key, "deskDue")
    if query.assignee_id:
        key = assignee_key(team, query.assignee_id)
        return _Plan("ByAssignee", "assigneeId", key, "deskDue", frozenset({"assigneeId"}))
    if query.status:
        return _Plan("ByDeskStatus", "deskStatus", f"{team}#{query.status.value}", "deskDue", frozenset({"status"}))
    if query.form_id:
        return _Plan("ByDeskForm", "deskForm", f"{team}#{query.form_id}", "deskDue", frozenset({"formId"}))
    return _Plan("ByDesk", "deskOpen", team, "deskDue")


def _equalities(
    wanted: dict[str, str | None], served: frozenset[str]
) -> tuple[builtins.list[str], dict[str, str], dict[str, Any]]:
    """FilterExpression clauses (with their names and values) for ``attribute = value`` on each wanted filter
    the partition's key does not already apply."""
    pairs = [(name, value) for name, value in wanted.items() if value and name not in served]
    clauses = [f"#f{n} = :f{n}" for n in range(len(pairs))]
    names = {f"#f{n}": name for n, (name, _) in enumerate(pairs)}
    values = {f":f{n}": s_attr(value) for n, (_, value) in enumerate(pairs)}
    return clauses, names, values


def _key_of(item: dict[str, Any], index_key: tuple[str, str]) -> dict[str, Any]:
    """The ExclusiveStartKey that resumes an index read just after ``item``: the table's and the index's keys."""
    return {name: item[name] for name in ("pk", "sk", *index_key)}


def _plain(key: dict[str, Any]) -> dict[str, str]:
    return {name: value["S"] for name, value in key.items()}


def _checked_cursor(cursor: dict[str, Any] | None, attribute: str, key: str, sort: str) -> dict[str, Any] | None:
    """Rebuild ExclusiveStartKey from a client's cursor, refusing anything this query did not produce.

    A cursor names a position in one index partition. One crafted to point into another partition
    (someone else's cases) or with a wrong shape is rejected here, before DynamoDB sees it.
    """
    if cursor is None:
        return None
    expected = {"pk", "sk", sort, attribute}
    if (
        not isinstance(cursor, dict)
        or set(cursor) != expected
        or not all(isinstance(v, str) and 0 < len(v) <= 256 for v in cursor.values())
        or cursor[attribute] != key
        or not cursor["pk"].startswith("CASE#")
        or cursor["sk"] != CASE_SK
    ):
        raise BadRequest("invalid_page_token")
    return {name: s_attr(value) for name, value in cursor.items()}
