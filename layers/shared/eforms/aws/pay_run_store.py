"""Pay runs in the cases table: each organisation's pending cases, its batches and their lines in one
partition, ``PAYRUN#<organisation>`` (docs/records.md §5). Implements
:class:`eforms.core.payroll.pay_runs.PayRunStore`.

Sort keys order everything the way it is read: ``PENDING#<period>#<caseId>`` (a cut reads its period and
every earlier one with one key range), ``BATCH#<period>`` (newest first by reading backwards),
``LINE#<period>#<caseId>`` (a batch's file, in key order).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from eforms.aws.case_items import n_attr, s_attr
from eforms.aws.clients import client
from eforms.core.cases.model import Person
from eforms.core.common.clock import iso, parse_iso
from eforms.core.common.errors import BadRequest
from eforms.core.common.periods import is_period
from eforms.core.payroll.paxml import FileHeader
from eforms.core.payroll.pay_runs import CUTTING, READY, SEALED, Batch, FileFacts, Pending, Waiting, kept_until

#: Claims per transaction: each is a delete and a put, beside the check that the batch still takes them and the
#: count of what waits (DynamoDB's limit is 100 items).
CLAIMS_PER_TRANSACTION = 49
#: The sort key of an organisation's count of pending cases per period.
WAITING = "WAITING"
_UNAVAILABLE = {"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded", "InternalServerError"}
_CONFLICT_ATTEMPTS = 4


class PayRunBusy(Exception):
    """Claims kept meeting another writer on the same items: the message is tried again later."""


def pay_run_pk(organisation: str) -> str:
    return f"PAYRUN#{organisation}"


def pending_writes(table: str, pending: Pending) -> list[dict[str, Any]]:
    """The pending item and its count, as two writes of the transaction that approves the registration."""
    put = {
        "Put": {
            "TableName": table,
            "Item": _item(pending, f"PENDING#{pending.pay_period}#{pending.case_id}"),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }
    return [put, _counted(table, pending.organisation, Counter({pending.pay_period: 1}))]


def _counted(table: str, organisation: str, change: Counter[str]) -> dict[str, Any]:
    """The organisation's count of pending cases per period (``WAITING``), moved by ``change``: written in the
    same transactions as the pending items themselves, so it is never more or less than what is pending, and
    what waits is one read, not a read of every pending item."""
    periods = sorted(change)
    return {
        "Update": {
            "TableName": table,
            "Key": {"pk": s_attr(pay_run_pk(organisation)), "sk": s_attr(WAITING)},
            "UpdateExpression": "ADD " + ", ".join(f"#p{n} :n{n}" for n in range(len(periods))),
            "ExpressionAttributeNames": {f"#p{n}": period for n, period in enumerate(periods)},
            "ExpressionAttributeValues": {f":n{n}": n_attr(change[period]) for n, period in enumerate(periods)},
        }
    }


def _item(pending: Pending, sk: str) -> dict[str, Any]:
    item = {
        "pk": s_attr(pay_run_pk(pending.organisation)),
        "sk": s_attr(sk),
        "payPeriod": s_attr(pending.pay_period),
        "caseId": s_attr(pending.case_id),
        "caseNumber": s_attr(pending.case_number),
        "employee": s_attr(pending.employee),
        # As JSON text: the numbers stay the numbers the officer confirmed (no Decimal round trip), and the
        # file made from them is the same every time.
        "transactions": s_attr(json.dumps(list(pending.transactions), ensure_ascii=False, sort_keys=True)),
    }
    if sk.startswith("LINE#"):  # a batch's line is kept as long as its file; a pending item until it is taken
        item["expiresAt"] = _expires(sk.split("#")[1])
    return item


def _expires(period: str) -> dict[str, str]:
    until = kept_until(period)
    return n_attr(int(datetime(until.year, until.month, until.day, tzinfo=UTC).timestamp()))


def _pending(organisation: str, item: dict[str, Any]) -> Pending:
    return Pending(
        organisation,
        item["payPeriod"]["S"],
        item["caseId"]["S"],
        item["caseNumber"]["S"],
        item["employee"]["S"],
        tuple(json.loads(item["transactions"]["S"])),
    )


class DynamoPayRunStore:
    def __init__(self, table: str) -> None:
        self.table = table

    def _key(self, organisation: str, sk: str) -> dict[str, Any]:
        return {"pk": s_attr(pay_run_pk(organisation)), "sk": s_attr(sk)}

    def batch(self, organisation: str, period: str) -> Batch | None:
        item = (
            client("dynamodb")
            .get_item(TableName=self.table, Key=self._key(organisation, f"BATCH#{period}"), ConsistentRead=True)
            .get("Item")
        )
        return _batch(organisation, item) if item else None

    def batches(
        self, organisation: str, *, limit: int, cursor: dict[str, Any] | None
    ) -> tuple[list[Batch], dict[str, Any] | None]:
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :batch)",
            "ExpressionAttributeValues": {":pk": s_attr(pay_run_pk(organisation)), ":batch": s_attr("BATCH#")},
            "ScanIndexForward": False,
            "Limit": limit,
            "ConsistentRead": True,
        }
        if cursor is not None:
            period = cursor.get("period")
            if not is_period(period):  # only ever a place in this partition
                raise BadRequest("invalid_page_token")
            kwargs["ExclusiveStartKey"] = self._key(organisation, f"BATCH#{period}")
        response = client("dynamodb").query(**kwargs)
        found = [_batch(organisation, item) for item in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        return found, ({"period": last["sk"]["S"][len("BATCH#") :]} if last else None)

    def open(self, batch: Batch) -> bool:
        dynamodb = client("dynamodb")
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item={
                    **self._key(batch.organisation, f"BATCH#{batch.pay_period}"),
                    "payPeriod": s_attr(batch.pay_period),
                    "state": s_attr(CUTTING),
                    "requestedById": s_attr(batch.requested_by.id),
                    "requestedByName": s_attr(batch.requested_by.name),
                    "requestedAt": s_attr(iso(batch.requested_at)),
                    "expiresAt": _expires(batch.pay_period),
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def waiting(self, organisation: str) -> Waiting:
        """One read: the organisation's count per period (see :func:`_counted`)."""
        item = (
            client("dynamodb")
            .get_item(TableName=self.table, Key=self._key(organisation, WAITING), ConsistentRead=True)
            .get("Item", {})
        )
        counts = {name: int(value["N"]) for name, value in item.items() if is_period(name) and "N" in value}
        return Waiting(sum(counts.values()), tuple(sorted(p for p, n in counts.items() if n > 0)))

    def pending(self, organisation: str, up_to: str) -> Iterator[list[Pending]]:
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
            "ExpressionAttributeValues": {
                ":pk": s_attr(pay_run_pk(organisation)),
                ":first": s_attr("PENDING#"),
                ":last": s_attr(f"PENDING#{up_to}#~"),  # "~" sorts after every case id
            },
            "ConsistentRead": True,
        }
        while True:
            response = client("dynamodb").query(**kwargs)
            items = response.get("Items", [])
            if items:
                yield [_pending(organisation, i) for i in items]
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def claim(self, organisation: str, period: str, taken: list[Pending]) -> bool:
        for start in range(0, len(taken), CLAIMS_PER_TRANSACTION):
            chunk = taken[start : start + CLAIMS_PER_TRANSACTION]
            outcome = self._claim(organisation, period, chunk)
            if outcome == "sealed":
                return False
            if outcome == "raced":  # another cut took one of them: one at a time, skipping what it took
                for one in chunk:
                    if self._claim(organisation, period, [one]) == "sealed":
                        return False
        return True

    def _claim(self, organisation: str, period: str, chunk: list[Pending]) -> str:
        """One chunk's transaction: ``claimed``, ``sealed`` (the batch takes no more) or ``raced`` (another cut
        took one of them). Two writers on one item at once (``TransactionConflict``) is tried again here, after
        a short wait; DynamoDB failing, or a cancellation that is neither, is raised: the message is retried."""
        for attempt in range(_CONFLICT_ATTEMPTS):
            outcome = self._transact(organisation, period, chunk)
            if outcome != "conflict":
                return outcome
            time.sleep(0.05 * 2**attempt)
        raise PayRunBusy(f"{len(chunk)} claims kept meeting another writer")

    def _transact(self, organisation: str, period: str, chunk: list[Pending]) -> str:
        items: list[dict[str, Any]] = [
            {
                "ConditionCheck": {
                    "TableName": self.table,
                    "Key": self._key(organisation, f"BATCH#{period}"),
                    "ConditionExpression": "#state = :cutting",
                    "ExpressionAttributeNames": {"#state": "state"},
                    "ExpressionAttributeValues": {":cutting": s_attr(CUTTING)},
                }
            }
        ]
        taken = Counter(pending.pay_period for pending in chunk)
        items.append(_counted(self.table, organisation, Counter({period: -n for period, n in taken.items()})))
        for pending in chunk:
            items.append(
                {
                    "Delete": {
                        "TableName": self.table,
                        "Key": self._key(organisation, f"PENDING#{pending.pay_period}#{pending.case_id}"),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                }
            )
            items.append(
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": _item(pending, f"LINE#{period}#{pending.case_id}"),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
        dynamodb = client("dynamodb")
        try:
            dynamodb.transact_write_items(TransactItems=items)
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            codes = [r.get("Code") for r in cancelled.response.get("CancellationReasons", [])]
            if any(code in _UNAVAILABLE for code in codes):
                raise  # DynamoDB could not do it now: the message is tried again
            if "TransactionConflict" in codes:
                return "conflict"
            if codes and codes[0] == "ConditionalCheckFailed":
                return "sealed"
            if "ConditionalCheckFailed" in codes:  # a pending item another cut took (the count has no condition)
                return "raced"
            raise  # not a race this cut knows: retried, then dead-lettered (alarmed), never skipped silently
        return "claimed"

    def seal(self, organisation: str, period: str, header: FileHeader) -> None:
        values = {"cutAt": s_attr(iso(header.cut_at)), "company": s_attr(header.company)}
        if header.organisation_number:
            values["organisationNumber"] = s_attr(header.organisation_number)
        self._advance(organisation, period, CUTTING, SEALED, values)

    def finish(self, organisation: str, period: str, facts: FileFacts) -> None:
        self._advance(
            organisation,
            period,
            SEALED,
            READY,
            {
                "fileKey": s_attr(facts.key),
                "sha256": s_attr(facts.sha256),
                "bytes": n_attr(facts.size),
                "cases": n_attr(facts.cases),
                "transactions": n_attr(facts.transactions),
                **({"fileVersion": s_attr(facts.version)} if facts.version else {}),
            },
        )

    def _advance(self, organisation: str, period: str, before: str, after: str, values: dict[str, Any]) -> None:
        """One state forward, conditional on the one before: a second run finds it done and does nothing."""
        names = {f"#{name}": name for name in values}
        dynamodb = client("dynamodb")
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=self._key(organisation, f"BATCH#{period}"),
                UpdateExpression="SET #state = :after, " + ", ".join(f"#{n} = :{n}" for n in values),
                ConditionExpression="#state = :before",
                ExpressionAttributeNames={"#state": "state", **names},
                ExpressionAttributeValues={
                    ":before": s_attr(before),
                    ":after": s_attr(after),
                    **{f":{n}": v for n, v in values.items()},
                },
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return

    def withdraw(self, organisation: str, case_id: str, pay_period: str) -> bool:
        """Delete a case's pending item if it is still pending (``dev erase-case``), and its count; False when
        a batch took it first, or there was none."""
        dynamodb = client("dynamodb")
        delete = {
            "Delete": {
                "TableName": self.table,
                "Key": self._key(organisation, f"PENDING#{pay_period}#{case_id}"),
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
        try:
            dynamodb.transact_write_items(
                TransactItems=[delete, _counted(self.table, organisation, Counter({pay_period: -1}))]
            )
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            codes = [r.get("Code") for r in cancelled.response.get("CancellationReasons", [])]
            if codes and codes[0] == "ConditionalCheckFailed":
                return False
            raise
        return True

    def handed_over(self, organisation: str, case_id: str, pay_period: str) -> tuple[str, str] | None:
        """One GetItem for the pending item; else the batches from the registration's period on (one Query)
        and their lines of this case (one BatchGetItem): a line is in a batch of its period or a later one."""
        dynamodb = client("dynamodb")
        if dynamodb.get_item(
            TableName=self.table,
            Key=self._key(organisation, f"PENDING#{pay_period}#{case_id}"),
            ProjectionExpression="sk",
            ConsistentRead=True,
        ).get("Item"):
            return "pending", pay_period
        later = dynamodb.query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": s_attr(pay_run_pk(organisation)),
                ":first": s_attr(f"BATCH#{pay_period}"),
                ":last": s_attr("BATCH#~"),
            },
            ProjectionExpression="sk",
            Limit=100,  # eight years of monthly batches: a case registered before that is long handed over
        )
        periods = [item["sk"]["S"][len("BATCH#") :] for item in later.get("Items", [])]
        if not periods:
            return None
        keys = [self._key(organisation, f"LINE#{period}#{case_id}") for period in periods]
        found = dynamodb.batch_get_item(
            RequestItems={self.table: {"Keys": keys, "ProjectionExpression": "sk", "ConsistentRead": True}}
        )
        held = sorted(item["sk"]["S"].split("#")[1] for item in found.get("Responses", {}).get(self.table, []))
        return ("file", held[0]) if held else None

    def lines(self, organisation: str, period: str) -> list[Pending]:
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :line)",
            "ExpressionAttributeValues": {
                ":pk": s_attr(pay_run_pk(organisation)),
                ":line": s_attr(f"LINE#{period}#"),
            },
            "ConsistentRead": True,
        }
        found: list[Pending] = []
        while True:
            response = client("dynamodb").query(**kwargs)
            found += [_pending(organisation, item) for item in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return found
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _batch(organisation: str, item: dict[str, Any]) -> Batch:
    facts = None
    if "fileKey" in item:
        facts = FileFacts(
            item["fileKey"]["S"],
            item["sha256"]["S"],
            int(item["bytes"]["N"]),
            int(item["cases"]["N"]),
            int(item["transactions"]["N"]),
            item.get("fileVersion", {}).get("S", ""),
        )
    return Batch(
        organisation,
        item["payPeriod"]["S"],
        item["state"]["S"],
        Person(item["requestedById"]["S"], item["requestedByName"]["S"]),
        parse_iso(item["requestedAt"]["S"]),
        _header(item),
        facts,
    )


def _header(item: dict[str, Any]) -> FileHeader | None:
    if "cutAt" not in item:
        return None
    number = item.get("organisationNumber", {}).get("S", "")
    return FileHeader(item["company"]["S"], number, parse_iso(item["cutAt"]["S"]))
