"""The follow-up aggregates in DynamoDB (docs/statistics.md, §3): counters per organisation, month and
dimension (``pk = <organisationId>``, ``sk = <yyyy-mm>#<dimension>``), and one claim per contribution
(``pk = CLAIM#<contribution id>``) that makes counting it idempotent."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from eforms.aws.clients import client
from eforms.core.common.clock import iso, parse_iso
from eforms.core.statistics.comments import Comment
from eforms.core.statistics.contributions import Contribution, Increment

CLAIM = "CLAIM"
COMMENTS = "COMMENTS"
_BATCH = 100  # BatchGetItem's limit


def row_key(increment: Increment) -> dict[str, Any]:
    return {"pk": {"S": increment.organisation or "-"}, "sk": {"S": f"{increment.month}#{increment.dimension}"}}


def claim_key(contribution_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"{CLAIM}#{contribution_id}"}, "sk": {"S": CLAIM}}


def comment_item(comment: Comment, expires_at: datetime) -> dict[str, Any]:
    """A comment's item: ``pk = COMMENTS#<organisation>``, ``sk = <month>#<caseId>``; gone with its case."""
    return {
        "pk": {"S": f"{COMMENTS}#{comment.organisation or '-'}"},
        "sk": {"S": f"{comment.month}#{comment.case_id}"},
        "reference": {"S": comment.reference},
        "formId": {"S": comment.form_id},
        "score": {"N": str(comment.score)},
        "comment": {"S": comment.text},
        "ratedAt": {"S": iso(comment.rated_at)},
        "expiresAt": {"N": str(int(expires_at.timestamp()))},
    }


def _comment(organisation: str, item: dict[str, Any]) -> Comment:
    month, _, case_id = item["sk"]["S"].partition("#")
    return Comment(
        organisation=organisation,
        month=month,
        case_id=case_id,
        reference=item["reference"]["S"],
        form_id=item["formId"]["S"],
        score=int(item["score"]["N"]),
        text=item["comment"]["S"],
        rated_at=parse_iso(item["ratedAt"]["S"]),
    )


class DynamoStatisticsStore:
    """Implements :class:`eforms.core.statistics.counting.StatisticsStore`, and reads rows for reports."""

    def __init__(self, table: str) -> None:
        self.table = table

    def claimed(self, contribution_ids: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(contribution_ids))
        found: set[str] = set()
        for first in range(0, len(wanted), _BATCH):
            request: dict[str, Any] = {
                self.table: {
                    "Keys": [claim_key(i) for i in wanted[first : first + _BATCH]],
                    "ProjectionExpression": "pk",
                }
            }
            while request:
                reply = client("dynamodb").batch_get_item(RequestItems=request)
                found |= {item["pk"]["S"].removeprefix(f"{CLAIM}#") for item in reply["Responses"].get(self.table, [])}
                request = reply.get("UnprocessedKeys") or {}
        return found

    def apply(self, contribution: Contribution, *, expires_at: datetime) -> bool:
        claim = {**claim_key(contribution.contribution_id), "expiresAt": {"N": str(int(expires_at.timestamp()))}}
        items: builtins.list[dict[str, Any]] = [
            {"Put": {"TableName": self.table, "Item": claim, "ConditionExpression": "attribute_not_exists(pk)"}}
        ]
        for increment in contribution.increments:
            names = {f"#c{n}": name for n, name in enumerate(increment.counters)}
            values = {f":c{n}": {"N": str(amount)} for n, amount in enumerate(increment.counters.values())}
            items.append(
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": row_key(increment),
                        "UpdateExpression": "ADD " + ", ".join(f"#c{n} :c{n}" for n in range(len(names))),
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values,
                    }
                }
            )
        dynamodb = client("dynamodb")
        try:
            dynamodb.transact_write_items(TransactItems=items)
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            reasons = cancelled.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False  # another delivery counted it first
            raise
        return True

    def keep_comment(self, comment: Comment, *, expires_at: datetime) -> None:
        client("dynamodb").put_item(TableName=self.table, Item=comment_item(comment, expires_at))

    def comments(self, organisation: str, first: str, last: str) -> list[Comment]:
        """One organisation's comments of the months ``first`` … ``last``, newest first: one Query (paged)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
            "ExpressionAttributeValues": {
                ":pk": {"S": f"{COMMENTS}#{organisation}"},
                ":first": {"S": f"{first}#"},
                ":last": {"S": f"{last}#~"},
            },
            "ScanIndexForward": False,
        }
        found: builtins.list[Comment] = []
        while True:
            reply = client("dynamodb").query(**kwargs)
            found += [_comment(organisation, item) for item in reply.get("Items", [])]
            if "LastEvaluatedKey" not in reply:
                return found
            kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]

    def rows(
        self, organisation: str, first: str = "0000-00", last: str = "9999-99"
    ) -> dict[tuple[str, str, str], dict[str, int]]:
        """One organisation's counter rows for the months ``first`` … ``last``: one Query (paged), whatever
        the number of forms and officers; never a case."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :o AND sk BETWEEN :first AND :last",
            "ExpressionAttributeValues": {
                ":o": {"S": organisation or "-"},
                ":first": {"S": f"{first}#"},
                ":last": {"S": f"{last}#~"},
            },
        }
        found: dict[tuple[str, str, str], dict[str, int]] = {}
        while True:
            reply = client("dynamodb").query(**kwargs)
            for item in reply.get("Items", []):
                month, _, dimension = item["sk"]["S"].partition("#")
                counters = {k: int(v["N"]) for k, v in item.items() if k not in ("pk", "sk") and "N" in v}
                found[(organisation, month, dimension)] = counters
            if "LastEvaluatedKey" not in reply:
                return found
            kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]
