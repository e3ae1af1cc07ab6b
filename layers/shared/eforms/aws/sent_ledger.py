"""Which notification emails were already sent: one item per email in the idempotency table.

A conditional put claims a send key exactly once, however many times an event is delivered. Items
expire through the table's TTL after ``KEEP_DAYS``; EventBridge and SQS redeliver within hours, and an
event replayed from the dead-letter queue weeks later is still recognised.
"""

from __future__ import annotations

import time

from eforms.aws.clients import client

KEEP_DAYS = 90


class DynamoSentLedger:
    def __init__(self, table: str) -> None:
        self.table = table

    def claim(self, key: str) -> bool:
        errors = client("dynamodb").exceptions
        try:
            client("dynamodb").put_item(
                TableName=self.table,
                Item={
                    "id": {"S": key},
                    "status": {"S": "SENT"},
                    "expiration": {"N": str(int(time.time()) + KEEP_DAYS * 86400)},
                },
                ConditionExpression="attribute_not_exists(id)",
            )
        except errors.ConditionalCheckFailedException:
            return False
        return True

    def release(self, key: str) -> None:
        client("dynamodb").delete_item(TableName=self.table, Key={"id": {"S": key}})
