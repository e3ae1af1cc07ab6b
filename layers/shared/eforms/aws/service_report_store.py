"""The monthly service reports' state in the ``StatisticsTable`` (docs/statistics.md §6): one item per
organisation and month, ``pk = REPORT#<organisationId>``, ``sk = <yyyy-mm>``.

``leaseUntil`` holds a report for the run making it, ``pdfKey`` says its PDF is kept, ``sentAt`` that it was
emailed. Every claim is conditional on ``sentAt`` being absent, so a report goes out once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eforms.aws.clients import client
from eforms.core.common.clock import iso

REPORT = "REPORT"


def _key(organisation: str, month: str) -> dict[str, Any]:
    return {"pk": {"S": f"{REPORT}#{organisation}"}, "sk": {"S": month}}


class DynamoReportStore:
    """Implements :class:`eforms.core.statistics.service_reports.ReportStore`."""

    def __init__(self, table: str) -> None:
        self.table = table

    def claim(self, organisation: str, month: str, *, now: datetime, until: datetime) -> bool:
        dynamodb = client("dynamodb")
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(organisation, month),
                UpdateExpression="SET leaseUntil = :until",
                ConditionExpression="attribute_not_exists(sentAt) AND "
                "(attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
                ExpressionAttributeValues={":until": {"S": iso(until)}, ":now": {"S": iso(now)}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def kept(self, organisation: str, month: str, key: str) -> None:
        client("dynamodb").update_item(
            TableName=self.table,
            Key=_key(organisation, month),
            UpdateExpression="SET pdfKey = :key",
            ExpressionAttributeValues={":key": {"S": key}},
        )

    def sent(self, organisation: str, month: str, *, at: datetime, recipients: int) -> None:
        client("dynamodb").update_item(
            TableName=self.table,
            Key=_key(organisation, month),
            UpdateExpression="SET sentAt = :at, recipients = :n REMOVE leaseUntil",
            ExpressionAttributeValues={":at": {"S": iso(at)}, ":n": {"N": str(recipients)}},
        )

    def release(self, organisation: str, month: str) -> None:
        client("dynamodb").update_item(
            TableName=self.table, Key=_key(organisation, month), UpdateExpression="REMOVE leaseUntil"
        )

    def months(self, organisation: str) -> list[str]:
        """One Query: at most a few dozen months."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "FilterExpression": "attribute_exists(pdfKey)",
            "ExpressionAttributeValues": {":pk": {"S": f"{REPORT}#{organisation}"}},
            "ProjectionExpression": "sk",
            "ScanIndexForward": False,
        }
        found: list[str] = []
        while True:
            reply = client("dynamodb").query(**kwargs)
            found += [item["sk"]["S"] for item in reply.get("Items", [])]
            if "LastEvaluatedKey" not in reply:
                return found
            kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]
