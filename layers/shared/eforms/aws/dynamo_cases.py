"""Cases in DynamoDB: one item per case plus one item per history entry, in the case's partition.

Layout and the access pattern each index serves are documented in ``docs/data-model.md``. In short:

* ``pk=CASE#<id>, sk=CASE`` — the case; ``sk=HIST#<time>#<n>`` — its history, append-only.
  Reading a case is one strongly consistent Query on its partition (case + history together).
* GSIs ``BySubject``, ``ByFiler``, ``ByManager``, ``ByQueue`` (partition = a person or queue, sort =
  ``createdAt``) serve the listings; the sparse ones only hold items that have the attribute.

No request path scans. Every write of a case is conditional: creation on the id being new, updates on
the ``version`` the writer read (optimistic locking), inside one transaction with its history entries.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eforms.aws.clients import client
from eforms.core.approval.links import DecisionLink
from eforms.core.cases.model import Case, CaseSummary, Channel, Correction, Filters, HistoryEntry, Page, Person, Status
from eforms.core.common.clock import iso, parse_iso
from eforms.core.common.errors import BadRequest, Conflict
from eforms.core.desk.service_levels import PayrollItem

CASE_SK = "CASE"
LINK_SK = "LINK"
#: Link items outlive their validity so that an expired link can still say "expired", then TTL removes them.
LINK_GRACE_SECONDS = 90 * 24 * 3600
#: listing scope → (index name, partition attribute)
SCOPE_INDEX = {
    "mine": ("BySubject", "subjectId"),
    "filed": ("ByFiler", "filedById"),
    "team": ("ByManager", "managerId"),
    "payroll": ("ByQueue", "queue"),
}
_FILL_ROUNDS = 5  # a status filter may thin a page; read on at most this many times to fill it
_TICK = timedelta(microseconds=1)  # BETWEEN is inclusive; a period's end is exclusive


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


def case_item(case: Case) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": _s(case_pk(case.case_id)),
        "sk": _s(CASE_SK),
        "caseId": _s(case.case_id),
        "formId": _s(case.form_id),
        "formVersion": _n(case.form_version),
        "route": _s(case.route),
        "status": _s(case.status.value),
        "applicantId": _s(case.applicant.id),
        "applicantName": _s(case.applicant.name),
        "subjectId": _s(case.subject.id),
        "subjectName": _s(case.subject.name),
        "data": _s(json.dumps(case.data, ensure_ascii=False, separators=(",", ":"))),
        "language": _s(case.language),
        "createdAt": _s(iso(case.created_at)),
        "updatedAt": _s(iso(case.updated_at)),
        "version": _n(case.version),
        "expiresAt": _n(int(case.expires_at.timestamp())),
    }
    if case.filed_on_behalf:
        item["filedById"] = _s(case.applicant.id)
    if case.manager_id:
        item["managerId"] = _s(case.manager_id)
    if case.queue:
        item["queue"] = _s(case.queue)
    if case.approver:
        item["approverId"] = _s(case.approver.id)  # sparse: the ByApprover index lists pending decisions
        item["approverName"] = _s(case.approver.name)
    if case.link_hash:
        item["linkHash"] = _s(case.link_hash)
    if case.task_token:
        item["taskToken"] = _s(case.task_token)
    if case.correction:
        correction = {
            "fields": list(case.correction.fields),
            "message": case.correction.message,
            "by": {"id": case.correction.requested_by.id, "name": case.correction.requested_by.name},
        }
        item["correction"] = _s(json.dumps(correction, ensure_ascii=False))
    if case.payroll:
        handoff = {
            "status": case.payroll.status,
            "receivedAt": iso(case.payroll.received_at),
            "dueDate": case.payroll.due_date.isoformat(),
            "payPeriod": case.payroll.pay_period,
        }
        item["payroll"] = _s(json.dumps(handoff))
    if case.fingerprint:
        item["fingerprint"] = _s(case.fingerprint)
    if case.pdf_key:
        item["pdfKey"] = _s(case.pdf_key)
    if case.administrators:
        item["administrators"] = {"SS": sorted(set(case.administrators))}
    return item


def link_item(link: DecisionLink) -> dict[str, Any]:
    valid_until = int(link.valid_until.timestamp())
    return {
        "pk": _s(f"LINK#{link.link_hash}"),
        "sk": _s(LINK_SK),
        "caseId": _s(link.case_id),
        "approverId": _s(link.approver_id),
        "caseVersion": _n(link.case_version),
        "validUntil": _n(valid_until),
        "expiresAt": _n(valid_until + LINK_GRACE_SECONDS),
    }


def history_item(case: Case, entry: HistoryEntry, sequence: int) -> dict[str, Any]:
    return {
        "pk": _s(case_pk(case.case_id)),
        "sk": _s(f"HIST#{iso(entry.at)}#{sequence:04d}"),
        "at": _s(iso(entry.at)),
        "actorId": _s(entry.actor.id),
        "actorName": _s(entry.actor.name),
        "role": _s(entry.role),
        "action": _s(entry.action),
        "channel": _s(entry.channel.value),
        "details": _s(json.dumps(entry.details, ensure_ascii=False, separators=(",", ":"))),
        "expiresAt": _n(int(case.expires_at.timestamp())),
    }


def _summary(item: dict[str, Any]) -> CaseSummary:
    return CaseSummary(
        case_id=item["caseId"]["S"],
        form_id=item["formId"]["S"],
        form_version=int(item["formVersion"]["N"]),
        route=item["route"]["S"],
        status=Status(item["status"]["S"]),
        applicant=Person(item["applicantId"]["S"], item["applicantName"]["S"]),
        subject=Person(item["subjectId"]["S"], item["subjectName"]["S"]),
        created_at=parse_iso(item["createdAt"]["S"]),
        updated_at=parse_iso(item["updatedAt"]["S"]),
        signed="pdfKey" in item,
    )


def _correction(item: dict[str, Any]) -> Correction | None:
    if "correction" not in item:
        return None
    raw = json.loads(item["correction"]["S"])
    return Correction(tuple(raw["fields"]), raw["message"], Person(raw["by"]["id"], raw["by"]["name"]))


def _payroll(item: dict[str, Any]) -> PayrollItem | None:
    if "payroll" not in item:
        return None
    raw = json.loads(item["payroll"]["S"])
    return PayrollItem(
        raw["status"], parse_iso(raw["receivedAt"]), date.fromisoformat(raw["dueDate"]), raw["payPeriod"]
    )


def _case(item: dict[str, Any], history: list[HistoryEntry]) -> Case:
    summary = _summary(item)
    return Case(
        case_id=summary.case_id,
        form_id=summary.form_id,
        form_version=summary.form_version,
        route=summary.route,
        status=summary.status,
        applicant=summary.applicant,
        subject=summary.subject,
        manager_id=item.get("managerId", {}).get("S"),
        queue=item.get("queue", {}).get("S"),
        data=json.loads(item["data"]["S"]),
        language=item["language"]["S"],
        created_at=summary.created_at,
        updated_at=summary.updated_at,
        expires_at=datetime.fromtimestamp(int(item["expiresAt"]["N"]), UTC),
        version=int(item["version"]["N"]),
        history=history,
        approver=Person(item["approverId"]["S"], item["approverName"]["S"]) if "approverId" in item else None,
        link_hash=item.get("linkHash", {}).get("S"),
        task_token=item.get("taskToken", {}).get("S"),
        correction=_correction(item),
        payroll=_payroll(item),
        fingerprint=item.get("fingerprint", {}).get("S"),
        pdf_key=item.get("pdfKey", {}).get("S"),
        administrators=tuple(sorted(item.get("administrators", {}).get("SS", []))),
    )


def _history(item: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(
        at=parse_iso(item["at"]["S"]),
        actor=Person(item["actorId"]["S"], item["actorName"]["S"]),
        role=item["role"]["S"],
        action=item["action"]["S"],
        channel=Channel(item["channel"]["S"]),
        details=json.loads(item["details"]["S"]),
    )


class DynamoCaseStore:
    """Implements :class:`eforms.core.cases.model.CaseStore`."""

    def __init__(self, table: str) -> None:
        self.table = table

    def create(self, case: Case) -> None:
        puts: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": case_item(case),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        ]
        puts += [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": history_item(case, entry, n),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for n, entry in enumerate(case.history)
        ]
        dynamodb = client("dynamodb")
        try:
            dynamodb.transact_write_items(TransactItems=puts)
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            raise Conflict() from cancelled

    def save(
        self,
        case: Case,
        *,
        expected_version: int,
        new_history: list[HistoryEntry],
        expected_token: str | None = None,
        new_link: DecisionLink | None = None,
        use_link: str | None = None,
        now: datetime | None = None,
    ) -> None:
        first = len(case.history) - len(new_history)
        condition: dict[str, Any] = {
            "ConditionExpression": "version = :expected AND attribute_not_exists(taskToken)",
            "ExpressionAttributeValues": {":expected": _n(expected_version)},
        }
        if expected_token is not None:
            condition["ConditionExpression"] = "version = :expected AND taskToken = :token"
            condition["ExpressionAttributeValues"][":token"] = _s(expected_token)
        items: list[dict[str, Any]] = [{"Put": {"TableName": self.table, "Item": case_item(case), **condition}}]
        items += [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": history_item(case, entry, first + n),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for n, entry in enumerate(new_history)
        ]
        if new_link:
            items.append(
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": link_item(new_link),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
        if use_link:
            moment = now or datetime.now(UTC)
            items.append(
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": {"pk": _s(f"LINK#{use_link}"), "sk": _s(LINK_SK)},
                        "UpdateExpression": "SET usedAt = :now",
                        "ConditionExpression": (
                            "attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :epoch"
                        ),
                        "ExpressionAttributeValues": {":now": _s(iso(moment)), ":epoch": _n(int(moment.timestamp()))},
                    }
                }
            )
        dynamodb = client("dynamodb")
        try:
            dynamodb.transact_write_items(TransactItems=items)
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            raise Conflict() from cancelled

    def get_link(self, link_hash: str) -> DecisionLink | None:
        response = client("dynamodb").get_item(
            TableName=self.table, Key={"pk": _s(f"LINK#{link_hash}"), "sk": _s(LINK_SK)}, ConsistentRead=True
        )
        item = response.get("Item")
        if not item:
            return None
        return DecisionLink(
            link_hash=link_hash,
            case_id=item["caseId"]["S"],
            approver_id=item["approverId"]["S"],
            case_version=int(item["caseVersion"]["N"]),
            valid_until=datetime.fromtimestamp(int(item["validUntil"]["N"]), UTC),
            used_at=parse_iso(item["usedAt"]["S"]) if "usedAt" in item else None,
        )

    def pending_for(self, approver_id: str, *, limit: int) -> list[CaseSummary]:
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByApprover",
            KeyConditionExpression="approverId = :a",
            ExpressionAttributeValues={":a": _s(approver_id)},
            ScanIndexForward=True,
            Limit=limit,
        )
        return [_summary(i) for i in response.get("Items", [])]

    def get(self, case_id: str) -> Case | None:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": _s(case_pk(case_id))},
            "ConsistentRead": True,
        }
        while True:
            response = client("dynamodb").query(**kwargs)
            items += response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        case_items = [i for i in items if i["sk"]["S"] == CASE_SK]
        if not case_items:
            return None
        history = [_history(i) for i in items if i["sk"]["S"].startswith("HIST#")]
        return _case(case_items[0], history)

    def list(self, scope: str, key: str, *, filters: Filters, limit: int, cursor: dict[str, Any] | None) -> Page:
        index, attribute = SCOPE_INDEX[scope]
        names = {"#k": attribute}
        values: dict[str, Any] = {":k": _s(key)}
        condition = "#k = :k"
        # The filing period is the index's sort key: a key condition, so it costs only what it reads.
        if filters.since or filters.until:
            condition += " AND createdAt BETWEEN :since AND :until"
            values[":since"] = _s(iso(filters.since) if filters.since else "0")
            values[":until"] = _s(iso(filters.until - _TICK) if filters.until else "9")
        clauses = []
        for placeholder, name, wanted in (
            ("s", "status", filters.status),
            ("e", "subjectId", filters.subject_id),
            ("f", "formId", filters.form_id),
        ):
            if wanted is not None:
                clauses.append(f"#{placeholder} = :{placeholder}")
                names[f"#{placeholder}"] = name
                values[f":{placeholder}"] = _s(wanted)
        if filters.signed is not None:
            clauses.append("attribute_exists(pdfKey)" if filters.signed else "attribute_not_exists(pdfKey)")
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
        }
        if clauses:
            kwargs["FilterExpression"] = " AND ".join(clauses)
        start = _checked_cursor(cursor, attribute, key)
        items: list[dict[str, Any]] = []
        for _ in range(_FILL_ROUNDS):
            if start:
                kwargs["ExclusiveStartKey"] = start
            kwargs["Limit"] = limit - len(items)
            response = client("dynamodb").query(**kwargs)
            items += response.get("Items", [])
            start = response.get("LastEvaluatedKey")
            if not start or len(items) >= limit:
                break
        return Page(items=[_summary(i) for i in items], cursor=_plain(start) if start else None)


def _plain(key: dict[str, Any]) -> dict[str, str]:
    return {name: value["S"] for name, value in key.items()}


def _checked_cursor(cursor: dict[str, Any] | None, attribute: str, key: str) -> dict[str, Any] | None:
    """Rebuild ExclusiveStartKey from a client's cursor, refusing anything this query did not produce.

    A cursor names a position in one index partition. One crafted to point into another partition
    (someone else's cases) or with a wrong shape is rejected here, before DynamoDB sees it.
    """
    if cursor is None:
        return None
    expected = {"pk", "sk", "createdAt", attribute}
    if (
        not isinstance(cursor, dict)
        or set(cursor) != expected
        or not all(isinstance(v, str) and 0 < len(v) <= 256 for v in cursor.values())
        or cursor[attribute] != key
        or not cursor["pk"].startswith("CASE#")
        or cursor["sk"] != CASE_SK
    ):
        raise BadRequest("invalid_page_token")
    return {name: _s(value) for name, value in cursor.items()}
