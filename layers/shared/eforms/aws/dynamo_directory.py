"""The org directory in DynamoDB: one item per employee, keyed by employeeId."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from eforms.aws.clients import client
from eforms.core.identity.directory import Employee

_DATE_FIELDS = ("substitute_from", "substitute_to", "valid_from", "valid_to")
_ATTRS = {
    "employee_id": "employeeId",
    "name": "name",
    "email": "email",
    "manager_id": "managerId",
    "substitute_id": "substituteId",
    "substitute_from": "substituteFrom",
    "substitute_to": "substituteTo",
    "valid_from": "validFrom",
    "valid_to": "validTo",
    "language": "language",
    "team": "team",  # sparse key of the ByTeam index
    "personnummer_hash": "personnummerHash",  # sparse key of the ByPersonnummer index
}


def to_item(employee: Employee) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for field, attr in _ATTRS.items():
        value = getattr(employee, field)
        if value is not None and value != "":
            item[attr] = {"S": value.isoformat() if isinstance(value, date) else str(value)}
    return item


def from_item(item: dict[str, Any]) -> Employee:
    values: dict[str, Any] = {}
    for field, attr in _ATTRS.items():
        if attr in item:
            raw = item[attr]["S"]
            values[field] = date.fromisoformat(raw) if field in _DATE_FIELDS else raw
    return Employee(**values)


class DynamoDirectory:
    """Implements :class:`eforms.core.identity.directory.Directory`, with a per-instance read cache.

    The cache lives for one request (handlers build a new instance per request): a reporting line read
    twice while deciding access costs one read, but a change in the directory shows on the next request.
    """

    def __init__(self, table: str) -> None:
        self.table = table
        self._cache: dict[str, Employee | None] = {}

    def get(self, employee_id: str) -> Employee | None:
        if employee_id not in self._cache:
            response = client("dynamodb").get_item(TableName=self.table, Key={"employeeId": {"S": employee_id}})
            item = response.get("Item")
            self._cache[employee_id] = from_item(item) if item else None
        return self._cache[employee_id]

    def team(self, team: str) -> list[Employee]:
        """One Query on the sparse ByTeam index (a team is tens of people: one page)."""
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByTeam",
            KeyConditionExpression="team = :t",
            ExpressionAttributeValues={":t": {"S": team}},
        )
        return [from_item(item) for item in response.get("Items", [])]

    def by_personnummer(self, digest: str) -> Employee | None:
        """One Query on the sparse, keys-only ByPersonnummer index, then the row itself."""
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByPersonnummer",
            KeyConditionExpression="personnummerHash = :h",
            ExpressionAttributeValues={":h": {"S": digest}},
            Limit=1,
        )
        items = response.get("Items", [])
        return self.get(items[0]["employeeId"]["S"]) if items else None

    def put_all(self, employees: Iterable[Employee]) -> int:
        """Upsert rows in batches of 25 (the BatchWriteItem limit), retrying unprocessed items."""
        rows = [to_item(e) for e in employees]
        dynamodb = client("dynamodb")
        for start in range(0, len(rows), 25):
            requests = [{"PutRequest": {"Item": row}} for row in rows[start : start + 25]]
            pending: dict[str, Any] = {self.table: requests}
            for _ in range(8):
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
                if not pending:
                    break
            if pending:
                raise RuntimeError("DynamoDB kept throttling the directory import; run it again")
        return len(rows)

    def delete_missing(self, keep: set[str]) -> int:
        """Remove employees absent from a full export. Admin path only: it scans the table."""
        dynamodb = client("dynamodb")
        removed = 0
        paginator = dynamodb.get_paginator("scan")
        for page in paginator.paginate(TableName=self.table, ProjectionExpression="employeeId"):
            for item in page.get("Items", []):
                employee_id = item["employeeId"]["S"]
                if employee_id not in keep:
                    dynamodb.delete_item(TableName=self.table, Key={"employeeId": {"S": employee_id}})
                    removed += 1
        return removed
