"""The payroll digests' slots, one item each in the idempotency table (``digest#2026-11-24T07:00``).

``caseIds`` is a string set, so adding a case twice keeps it once; ``sentAt`` marks the slot sent, and every
change is conditional on it, so a slot sent cannot grow and cannot be sent again. Items expire through the
table's TTL like the send ledger's.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from eforms.aws.clients import client

KEEP_DAYS = 90


class DynamoDigestStore:
    def __init__(self, table: str) -> None:
        self.table = table

    def _update(self, slot: str, expression: str, condition: str, values: dict[str, Any]) -> bool:
        """One conditional update of a slot's item; False when its condition does not hold."""
        dynamodb = client("dynamodb")
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key={"id": {"S": slot}},
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def add(self, slot: str, case_id: str) -> bool:
        expires = {"N": str(int(time.time()) + KEEP_DAYS * 86400)}
        return self._update(
            slot,
            "ADD caseIds :case SET expiration = if_not_exists(expiration, :expires)",
            "attribute_not_exists(sentAt)",
            {":case": {"SS": [case_id]}, ":expires": expires},
        )

    def pending(self, slots: list[str]) -> dict[str, list[str]]:
        if not slots:
            return {}
        reply = client("dynamodb").batch_get_item(
            RequestItems={self.table: {"Keys": [{"id": {"S": slot}} for slot in slots], "ConsistentRead": True}}
        )
        items = reply.get("Responses", {}).get(self.table, [])
        # Unprocessed keys (throttling) are simply not pending this run: the next run, 15 minutes on, asks again.
        return {
            item["id"]["S"]: sorted(item["caseIds"]["SS"])
            for item in items
            if "sentAt" not in item and "caseIds" in item
        }

    def claim(self, slot: str) -> bool:
        return self._update(
            slot,
            "SET sentAt = :now",
            "attribute_exists(caseIds) AND attribute_not_exists(sentAt)",
            {":now": {"S": datetime.now(UTC).isoformat()}},
        )

    def release(self, slot: str) -> None:
        client("dynamodb").update_item(TableName=self.table, Key={"id": {"S": slot}}, UpdateExpression="REMOVE sentAt")
