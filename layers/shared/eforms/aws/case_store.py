"""The case store: every write of a case is one conditional transaction with its history entries.

Creation is conditional on the id being new, updates on the ``version`` the writer read (optimistic
locking). A case is read with one strongly consistent Query on its partition (case, history, messages,
read markers together). The listings are :class:`eforms.aws.case_queries.CaseQueries`.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
from datetime import UTC, datetime
from typing import Any

from eforms.aws.case_items import (
    CASE_SK,
    LINK_SK,
    case_item,
    case_of,
    case_pk,
    history_item,
    history_of,
    link_item,
    message_item,
    message_of,
    n_attr,
    s_attr,
    stored_entry,
)
from eforms.aws.case_queries import CaseQueries
from eforms.aws.clients import client
from eforms.aws.draft_store import draft_delete
from eforms.aws.dynamo_uploads import upload_key
from eforms.aws.pay_run_store import pending_writes
from eforms.core.approval.links import DecisionLink
from eforms.core.cases import chain
from eforms.core.cases.model import (
    Case,
    HistoryEntry,
    Message,
)
from eforms.core.cases.outbox import StoredEntry
from eforms.core.common.clock import iso, parse_iso
from eforms.core.common.errors import Conflict
from eforms.core.payroll.pay_runs import Pending


class DynamoCaseStore(CaseQueries):
    """Implements :class:`eforms.core.cases.model.CaseStore`."""

    def __init__(self, table: str) -> None:
        self.table = table

    def create(self, case: Case, *, draft: tuple[str, int] | None = None) -> None:
        links = chain.hashes(case)  # the history chained from the case's opening (docs/records.md §2)
        case = dataclasses.replace(case, chain_head=links[-1] if links else None)
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
                    "Item": history_item(case, entry, n, chain=links[n]),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for n, entry in enumerate(case.history)
        ]
        if case.case_number:
            # The number's pointer, in the case's own transaction: a number names one case, ever.
            pointer = {
                "pk": s_attr(f"NUMBER#{case.case_number}"),
                "sk": s_attr(CASE_SK),
                "caseId": s_attr(case.case_id),
            }
            pointer["expiresAt"] = n_attr(int(case.expires_at.timestamp()))
            puts.append(
                {"Put": {"TableName": self.table, "Item": pointer, "ConditionExpression": "attribute_not_exists(pk)"}}
            )
        puts += [
            {
                "Delete": {
                    "TableName": self.table,
                    "Key": upload_key(attachment.attachment_id),
                    "ConditionExpression": "ownerId = :owner AND #state = :clean",
                    "ExpressionAttributeNames": {"#state": "state"},
                    "ExpressionAttributeValues": {":owner": s_attr(case.applicant.id), ":clean": s_attr("clean")},
                }
            }
            for attachment in case.attachments
        ]
        if draft is not None:
            puts.append(draft_delete(self.table, case.applicant.id, *draft))
        dynamodb = client("dynamodb")
        try:
            dynamodb.transact_write_items(TransactItems=puts)
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            raise _lost_race_or(cancelled) from cancelled

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
        new_message: Message | None = None,
        pay_run: Pending | None = None,
    ) -> None:
        first = len(case.history) - len(new_history)
        # The whole history chained again from the opening (a few dozen small hashes): the new entries' links
        # never depend on a head the caller may hold stale, and the version condition below keeps two writers
        # from extending the same head.
        links = chain.hashes(case)
        case = dataclasses.replace(case, chain_head=links[-1] if links else None)
        condition: dict[str, Any] = {
            "ConditionExpression": "version = :expected AND attribute_not_exists(taskToken)",
            "ExpressionAttributeValues": {":expected": n_attr(expected_version)},
        }
        if expected_token is not None:
            condition["ConditionExpression"] = "version = :expected AND taskToken = :token"
            condition["ExpressionAttributeValues"][":token"] = s_attr(expected_token)
        items: list[dict[str, Any]] = [{"Put": {"TableName": self.table, "Item": case_item(case), **condition}}]
        items += [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": history_item(case, entry, first + n, resumes=expected_token, chain=links[first + n]),
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
        if new_message:
            items.append(
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": message_item(case, new_message, len(case.messages) - 1),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
        if pay_run is not None:  # handed to payroll with the approval that confirms it, or not at all
            items += pending_writes(self.table, pay_run)
        if use_link:
            moment = now or datetime.now(UTC)
            items.append(
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": {"pk": s_attr(f"LINK#{use_link}"), "sk": s_attr(LINK_SK)},
                        "UpdateExpression": "SET usedAt = :now",
                        "ConditionExpression": (
                            "attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :epoch"
                        ),
                        "ExpressionAttributeValues": {
                            ":now": s_attr(iso(moment)),
                            ":epoch": n_attr(int(moment.timestamp())),
                        },
                    }
                }
            )
        dynamodb = client("dynamodb")
        try:
            dynamodb.transact_write_items(TransactItems=items)
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            raise _lost_race_or(cancelled) from cancelled

    def get_link(self, link_hash: str) -> DecisionLink | None:
        response = client("dynamodb").get_item(
            TableName=self.table, Key={"pk": s_attr(f"LINK#{link_hash}"), "sk": s_attr(LINK_SK)}, ConsistentRead=True
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

    def get(self, case_id: str) -> Case | None:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": s_attr(case_pk(case_id))},
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
        # In the order they were appended (the sequence ends the key): two writers' clocks may disagree by a
        # moment, and the chain runs in the order the entries were written.
        entries = sorted(
            (i for i in items if i["sk"]["S"].startswith("HIST#")), key=lambda i: int(i["sk"]["S"].rsplit("#", 1)[1])
        )
        history = [history_of(i) for i in entries]
        messages = [message_of(i) for i in items if i["sk"]["S"].startswith("MSG#")]
        read_up_to = {
            i["sk"]["S"][len("READ#") :]: parse_iso(i["at"]["S"]) for i in items if i["sk"]["S"].startswith("READ#")
        }
        return case_of(case_items[0], history, messages, read_up_to)

    def by_number(self, case_number: str) -> Case | None:
        pointer = client("dynamodb").get_item(
            TableName=self.table,
            Key={"pk": s_attr(f"NUMBER#{case_number}"), "sk": s_attr(CASE_SK)},
            ConsistentRead=True,
        )
        found = pointer.get("Item")
        return self.get(found["caseId"]["S"]) if found else None

    def next(self, year: int) -> int:
        """The year's next case number: one atomic increment of the year's counter item."""
        answer = client("dynamodb").update_item(
            TableName=self.table,
            Key={"pk": s_attr(f"SEQ#{year:04d}"), "sk": s_attr("SEQ")},
            UpdateExpression="ADD #n :one",
            ExpressionAttributeNames={"#n": "number"},
            ExpressionAttributeValues={":one": n_attr(1)},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["number"]["N"])

    def stored_entries(self, case_id: str) -> builtins.list[StoredEntry]:
        """The case's history items as the outbox relays them — each with the state and version stored beside
        it and its place in the history (its event's id) — oldest first: what a replay announces."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :hist)",
            "ExpressionAttributeValues": {":pk": s_attr(case_pk(case_id)), ":hist": s_attr("HIST#")},
            "ConsistentRead": True,
        }
        found: builtins.list[StoredEntry] = []
        while True:
            response = client("dynamodb").query(**kwargs)
            found += [entry for item in response.get("Items", []) if (entry := stored_entry(item)) is not None]
            if "LastEvaluatedKey" not in response:
                return sorted(found, key=lambda entry: entry.sequence or 0)
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def mark_read(self, case_id: str, reader_id: str, up_to: datetime) -> None:
        """Only ever forward: a reader's marker never moves back to an older message."""
        dynamodb = client("dynamodb")
        with contextlib.suppress(dynamodb.exceptions.ConditionalCheckFailedException):  # read as far already
            dynamodb.put_item(
                TableName=self.table,
                Item={"pk": s_attr(case_pk(case_id)), "sk": s_attr(f"READ#{reader_id}"), "at": s_attr(iso(up_to))},
                ConditionExpression="attribute_not_exists(pk) OR #at < :at",
                ExpressionAttributeNames={"#at": "at"},
                ExpressionAttributeValues={":at": s_attr(iso(up_to))},
            )


#: Cancellation reasons that say DynamoDB could not do the work now, not that a condition failed.
_UNAVAILABLE = {"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded", "InternalServerError"}


def _lost_race_or(cancelled: Exception) -> Exception:
    """A cancelled transaction is a lost race (``Conflict``: someone else wrote first) unless DynamoDB says
    it was throttled or failing: then it is the error itself, answered as "try again" (503), never as a 409
    that would tell a person the case changed when it did not."""
    reasons = getattr(cancelled, "response", {}).get("CancellationReasons", [])
    if any(reason.get("Code") in _UNAVAILABLE for reason in reasons):
        return cancelled
    return Conflict()
