"""Cases held by the outbox relay (:class:`eforms.core.cases.outbox.Holds`): one item per held case in the
idempotency table, ``outbox-hold#<caseId>`` with the place of the first entry not relayed yet. A hold
expires after two weeks, so a case nobody repaired flows again rather than stay silent for ever."""

from __future__ import annotations

import contextlib
import time

from eforms.aws.clients import client

KEEP_SECONDS = 14 * 86400


class DynamoHolds:
    def __init__(self, table: str) -> None:
        self.table = table

    @staticmethod
    def _key(case_id: str) -> dict[str, dict[str, str]]:
        return {"id": {"S": f"outbox-hold#{case_id}"}}

    def held_from(self, case_id: str) -> int | None:
        item = client("dynamodb").get_item(TableName=self.table, Key=self._key(case_id), ConsistentRead=True)
        found = item.get("Item")
        if not found or int(found.get("expiration", {}).get("N", "0")) < time.time():
            return None
        return int(found["sequence"]["N"])

    def hold(self, case_id: str, sequence: int) -> None:
        dynamodb = client("dynamodb")
        with contextlib.suppress(dynamodb.exceptions.ConditionalCheckFailedException):  # held further back
            dynamodb.put_item(
                TableName=self.table,
                Item={
                    **self._key(case_id),
                    "status": {"S": "HELD"},
                    "sequence": {"N": str(sequence)},
                    "expiration": {"N": str(int(time.time()) + KEEP_SECONDS)},
                },
                ConditionExpression="attribute_not_exists(id)",
            )

    def release(self, case_id: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key=self._key(case_id))
