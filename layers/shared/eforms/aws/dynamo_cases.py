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

import builtins
import contextlib
import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eforms.aws.clients import client
from eforms.aws.dynamo_uploads import upload_key
from eforms.core.approval.links import DecisionLink
from eforms.core.cases.lifecycle import AT_DESK
from eforms.core.cases.model import (
    PAYROLL_QUEUE,
    Attachment,
    Case,
    CaseSummary,
    Channel,
    Correction,
    DeskQuery,
    Filters,
    HistoryEntry,
    Message,
    Page,
    Person,
    Status,
)
from eforms.core.cases.outbox import WORKFLOW_OUTCOMES, StoredEntry
from eforms.core.common.clock import iso, parse_iso
from eforms.core.common.errors import BadRequest, Conflict
from eforms.core.desk.service_levels import Certificate, PayrollItem, Registration
from eforms.core.forms import routes

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
#: A filter thins what a read returns: read in chunks this large (~400 KB of summaries, well under a Query's
#: 1 MB), at most this many times, to fill a page. The listing plans keep filtered partitions small enough
#: for one or two chunks (bench/listings.py prints the requests per page).
_FILL_CHUNK = 1000
_FILL_ROUNDS = 10
_TICK = timedelta(microseconds=1)  # BETWEEN is inclusive; a period's end is exclusive


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def listing_keys(
    *, manager_id: str | None, subject_id: str, queue: str | None, form_id: str, status: str
) -> dict[str, Any]:
    """The keys that narrow a big listing partition (docs/data-model.md, 6a and 8a): one employee's cases in
    a manager's team (ByManagerSubject), the payroll queue by form and by status (ByQueueForm,
    ByQueueStatus). Written with every case change; ``dev backfill-listing-keys`` writes them on cases stored
    before these indexes existed."""
    keys: dict[str, Any] = {}
    if manager_id:
        keys["managerSubject"] = _s(f"{manager_id}#{subject_id}")
    if queue:
        keys["queueForm"] = _s(f"{queue}#{form_id}")
        keys["queueStatus"] = _s(f"{queue}#{status}")
    return keys


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


def case_item(case: Case) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": _s(case_pk(case.case_id)),
        "sk": _s(CASE_SK),
        "caseId": _s(case.case_id),
        "formId": _s(case.form_id),
        "formVersion": _n(case.form_version),
        "route": _s(routes.dumps(case.route)),
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
    if case.case_number:
        item["caseNumber"] = _s(case.case_number)
    if case.filed_on_behalf:
        item["filedById"] = _s(case.applicant.id)
    if case.manager_id:
        item["managerId"] = _s(case.manager_id)
    if case.queue:
        item["queue"] = _s(case.queue)
    item.update(
        listing_keys(
            manager_id=case.manager_id,
            subject_id=case.subject.id,
            queue=case.queue,
            form_id=case.form_id,
            status=case.status.value,
        )
    )
    if case.step is not None:
        item["step"] = _n(case.step)
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
        item.update(_desk_attributes(case))
    if case.fingerprint:
        item["fingerprint"] = _s(case.fingerprint)
    if case.pdf_key:
        item["pdfKey"] = _s(case.pdf_key)
    item.update(_contact(case))
    item.update(_documents(case))
    return item


def _contact(case: Case) -> dict[str, Any]:
    """How the applicant is emailed: where (a BankID applicant's own address) and whether a receipt was asked."""
    contact: dict[str, Any] = {}
    if case.contact_email:
        contact["contactEmail"] = _s(case.contact_email)
    if case.receipt_requested:
        contact["receiptRequested"] = {"BOOL": True}
    return contact


def _documents(case: Case) -> dict[str, Any]:
    """The case's files: attachments filed with it, and administrators its signed PDF was sent to."""
    item: dict[str, Any] = {}
    if case.attachments:
        item["attachments"] = _s(
            json.dumps([dataclasses.asdict(a) for a in case.attachments], ensure_ascii=False, separators=(",", ":"))
        )
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


def history_item(case: Case, entry: HistoryEntry, sequence: int, resumes: str | None = None) -> dict[str, Any]:
    """An entry, with the case's identity and state as written with it: the outbox relay builds the entry's
    event from this item alone. ``resumes``: the workflow token of the step the entry ends (backend only)."""
    item = {
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
        "caseId": _s(case.case_id),
        "formId": _s(case.form_id),
        "formVersion": _n(case.form_version),
        "status": _s(case.status.value),
        "caseVersion": _n(case.version),
    }
    if resumes and entry.action in WORKFLOW_OUTCOMES:
        item["resumes"] = _s(resumes)
    return item


def stored_entry(item: dict[str, Any]) -> StoredEntry | None:
    """A history item read back from the stream, as the outbox relays it; None for any other item."""
    if not item.get("sk", {}).get("S", "").startswith("HIST#"):
        return None
    return StoredEntry(
        entry=_history(item),
        case_id=item["caseId"]["S"],
        form_id=item["formId"]["S"],
        form_version=int(item["formVersion"]["N"]),
        status=item["status"]["S"],
        version=int(item["caseVersion"]["N"]),
        resumes=item.get("resumes", {}).get("S"),
        sequence=int(item["sk"]["S"].rsplit("#", 1)[1]),
    )


def signed_case(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Case | None:
    """The case, when a stream record shows its signed PDF stored (``pdfKey`` appeared or changed)."""
    if not new or new.get("sk", {}).get("S") != CASE_SK or "pdfKey" not in new:
        return None
    if old and old.get("pdfKey") == new["pdfKey"]:
        return None
    return _case(new, [], [], {})


def _summary(item: dict[str, Any]) -> CaseSummary:
    return CaseSummary(
        case_id=item["caseId"]["S"],
        form_id=item["formId"]["S"],
        form_version=int(item["formVersion"]["N"]),
        route=routes.loads(item["route"]["S"]),
        status=Status(item["status"]["S"]),
        applicant=Person(item["applicantId"]["S"], item["applicantName"]["S"]),
        subject=Person(item["subjectId"]["S"], item["subjectName"]["S"]),
        created_at=parse_iso(item["createdAt"]["S"]),
        updated_at=parse_iso(item["updatedAt"]["S"]),
        signed="pdfKey" in item,
        payroll=_payroll(item),
        case_number=item.get("caseNumber", {}).get("S"),
    )


def _correction(item: dict[str, Any]) -> Correction | None:
    if "correction" not in item:
        return None
    raw = json.loads(item["correction"]["S"])
    return Correction(tuple(raw["fields"]), raw["message"], Person(raw["by"]["id"], raw["by"]["name"]))


def _person_json(person: Person | None) -> dict[str, str] | None:
    return {"id": person.id, "name": person.name} if person else None


def _person_of(raw: Any) -> Person | None:
    return Person(raw["id"], raw["name"]) if raw else None


def _when(raw: str | None) -> datetime | None:
    return parse_iso(raw) if raw else None


def payroll_json(payroll: PayrollItem) -> str:
    registration, certificate = payroll.registration, payroll.certificate
    document = {
        "receivedAt": iso(payroll.received_at),
        "dueDate": payroll.due_date.isoformat(),
        "payPeriod": payroll.pay_period,
        "respondedAt": iso(payroll.responded_at) if payroll.responded_at else None,
        "pausedAt": iso(payroll.paused_at) if payroll.paused_at else None,
        "breachedAt": iso(payroll.breached_at) if payroll.breached_at else None,
        "assignee": _person_json(payroll.assignee),
        "registration": {
            "reference": registration.reference,
            "payPeriod": registration.pay_period,
            "note": registration.note,
            "by": _person_json(registration.by),
            "at": iso(registration.at),
        }
        if registration
        else None,
        "certificate": {
            "key": certificate.key,
            "sha256": certificate.sha256,
            "size": certificate.size,
            "at": iso(certificate.at),
            **({"deliveredAt": iso(certificate.delivered_at)} if certificate.delivered_at else {"pending": True}),
        }
        if certificate
        else None,
        "waiting": payroll.waiting,
        "messages": payroll.messages,
        "country": payroll.country if payroll.country != "se" else None,  # Swedish unless said (older items)
    }
    return json.dumps({k: v for k, v in document.items() if v is not None}, ensure_ascii=False)


def _certificate(raw: dict[str, Any]) -> Certificate:
    """An uploaded certificate; one stored before uploads were previewed was delivered when uploaded."""
    at = parse_iso(raw["at"])
    delivered = parse_iso(raw["deliveredAt"]) if "deliveredAt" in raw else None if raw.get("pending") else at
    return Certificate(raw["key"], raw["sha256"], raw["size"], at, delivered)


def _payroll(item: dict[str, Any]) -> PayrollItem | None:
    if "payroll" not in item:
        return None
    raw = json.loads(item["payroll"]["S"])
    registration, certificate = raw.get("registration"), raw.get("certificate")
    return PayrollItem(
        received_at=parse_iso(raw["receivedAt"]),
        due_date=date.fromisoformat(raw["dueDate"]),
        pay_period=raw["payPeriod"],
        responded_at=_when(raw.get("respondedAt")),
        paused_at=_when(raw.get("pausedAt")),
        breached_at=_when(raw.get("breachedAt")),
        assignee=_person_of(raw.get("assignee")),
        registration=Registration(
            registration["reference"],
            registration["payPeriod"],
            registration["note"],
            Person(registration["by"]["id"], registration["by"]["name"]),
            parse_iso(registration["at"]),
        )
        if registration
        else None,
        certificate=_certificate(certificate) if certificate else None,
        waiting=raw.get("waiting"),
        messages=int(raw.get("messages", 0)),
        country=raw.get("country", "se"),
    )


def _desk_attributes(case: Case) -> dict[str, Any]:
    """The payroll item and the sparse keys that serve the desk's queue (docs/desk.md, "Data model")."""
    assert case.payroll is not None
    attributes: dict[str, Any] = {
        "payroll": _s(payroll_json(case.payroll)),
        "deskDue": _s(f"{case.payroll.due_date.isoformat()}#{case.case_id}"),
        "deskStatus": _s(f"{PAYROLL_QUEUE}#{case.status.value}"),
    }
    if case.status in AT_DESK:
        attributes["deskOpen"] = _s(PAYROLL_QUEUE)
        attributes["deskForm"] = _s(f"{PAYROLL_QUEUE}#{case.form_id}")
        if case.payroll.assignee:
            attributes["assigneeId"] = _s(case.payroll.assignee.id)
        if case.payroll.clock_runs:
            attributes["slaClock"] = _s(PAYROLL_QUEUE)
    return attributes


def message_item(case: Case, message: Message, sequence: int) -> dict[str, Any]:
    return {
        "pk": _s(case_pk(case.case_id)),
        "sk": _s(f"MSG#{iso(message.at)}#{sequence:04d}"),
        "at": _s(iso(message.at)),
        "authorId": _s(message.author.id),
        "authorName": _s(message.author.name),
        "side": _s(message.side),
        "text": _s(message.text),
        "expiresAt": _n(int(case.expires_at.timestamp())),
        **({"kind": _s(message.kind)} if message.kind != "message" else {}),
    }


def _message(item: dict[str, Any]) -> Message:
    return Message(
        at=parse_iso(item["at"]["S"]),
        author=Person(item["authorId"]["S"], item["authorName"]["S"]),
        side=item["side"]["S"],
        text=item["text"]["S"],
        kind=item.get("kind", {}).get("S", "message"),
    )


def _case(
    item: dict[str, Any], history: list[HistoryEntry], messages: list[Message], read_up_to: dict[str, datetime]
) -> Case:
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
        step=int(item["step"]["N"]) if "step" in item else None,
        link_hash=item.get("linkHash", {}).get("S"),
        task_token=item.get("taskToken", {}).get("S"),
        correction=_correction(item),
        payroll=summary.payroll,
        fingerprint=item.get("fingerprint", {}).get("S"),
        contact_email=item.get("contactEmail", {}).get("S"),
        receipt_requested=item.get("receiptRequested", {}).get("BOOL", False),
        pdf_key=item.get("pdfKey", {}).get("S"),
        administrators=tuple(sorted(item.get("administrators", {}).get("SS", []))),
        attachments=tuple(Attachment(**a) for a in json.loads(item["attachments"]["S"]))
        if "attachments" in item
        else (),
        messages=messages,
        read_up_to=read_up_to,
        case_number=summary.case_number,
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
        if case.case_number:
            # The number's pointer, in the case's own transaction: a number names one case, ever.
            pointer = {"pk": _s(f"NUMBER#{case.case_number}"), "sk": _s(CASE_SK), "caseId": _s(case.case_id)}
            pointer["expiresAt"] = _n(int(case.expires_at.timestamp()))
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
                    "ExpressionAttributeValues": {":owner": _s(case.applicant.id), ":clean": _s("clean")},
                }
            }
            for attachment in case.attachments
        ]
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
                    "Item": history_item(case, entry, first + n, resumes=expected_token),
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
            raise _lost_race_or(cancelled) from cancelled

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

    def pending_for(
        self, approver_id: str, *, limit: int, after: dict[str, str] | None = None
    ) -> builtins.list[CaseSummary]:
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "ByApprover",
            "KeyConditionExpression": "approverId = :a",
            "ExpressionAttributeValues": {":a": _s(approver_id)},
            "ScanIndexForward": True,
            "Limit": limit,
        }
        if after is not None:  # the key of the last case shown, in this approver's own partition
            kwargs["ExclusiveStartKey"] = {
                "pk": _s(case_pk(after["caseId"])),
                "sk": _s(CASE_SK),
                "approverId": _s(approver_id),
                "createdAt": _s(after["createdAt"]),
            }
        response = client("dynamodb").query(**kwargs)
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
        messages = [_message(i) for i in items if i["sk"]["S"].startswith("MSG#")]
        read_up_to = {
            i["sk"]["S"][len("READ#") :]: parse_iso(i["at"]["S"]) for i in items if i["sk"]["S"].startswith("READ#")
        }
        return _case(case_items[0], history, messages, read_up_to)

    def by_number(self, case_number: str) -> Case | None:
        pointer = client("dynamodb").get_item(
            TableName=self.table, Key={"pk": _s(f"NUMBER#{case_number}"), "sk": _s(CASE_SK)}, ConsistentRead=True
        )
        found = pointer.get("Item")
        return self.get(found["caseId"]["S"]) if found else None

    def next(self, year: int) -> int:
        """The year's next case number: one atomic increment of the year's counter item."""
        answer = client("dynamodb").update_item(
            TableName=self.table,
            Key={"pk": _s(f"SEQ#{year:04d}"), "sk": _s("SEQ")},
            UpdateExpression="ADD #n :one",
            ExpressionAttributeNames={"#n": "number"},
            ExpressionAttributeValues={":one": _n(1)},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["number"]["N"])

    def stored_entries(self, case_id: str) -> builtins.list[StoredEntry]:
        """The case's history items as the outbox relays them — each with the state and version stored beside
        it and its place in the history (its event's id) — oldest first: what a replay announces."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :hist)",
            "ExpressionAttributeValues": {":pk": _s(case_pk(case_id)), ":hist": _s("HIST#")},
            "ConsistentRead": True,
        }
        found: builtins.list[StoredEntry] = []
        while True:
            response = client("dynamodb").query(**kwargs)
            found += [entry for item in response.get("Items", []) if (entry := stored_entry(item)) is not None]
            if "LastEvaluatedKey" not in response:
                return sorted(found, key=lambda entry: entry.sequence or 0)
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def list(self, scope: str, key: str, *, filters: Filters, limit: int, cursor: dict[str, Any] | None) -> Page:
        """One page of a listing, read from the index partition the filters narrow most (``_listing_plan``);
        the period is a key condition where the index sorts by filing time, every other filter a
        FilterExpression on that partition."""
        plan = _listing_plan(scope, key, filters)
        names = {"#k": plan.attribute}
        values: dict[str, Any] = {":k": _s(plan.key)}
        condition, clauses = "#k = :k", []
        if filters.since or filters.until:
            values[":since"] = _s(iso(filters.since) if filters.since else "0")
            values[":until"] = _s(iso(filters.until - _TICK) if filters.until else "9")
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
        return self._with_payroll(page) if scope == "payroll" else page

    def _with_payroll(self, page: Page) -> Page:
        """The payroll queue's rows with their payroll block (and number), as the desk's rows have it: the
        queue's indexes project the summary only, so the page's blocks are one BatchGetItem."""
        found = self._case_attributes([s.case_id for s in page.items], "caseId, payroll, caseNumber")
        items = [
            dataclasses.replace(
                s,
                payroll=_payroll(found[s.case_id]) if s.case_id in found else s.payroll,
                case_number=found.get(s.case_id, {}).get("caseNumber", {}).get("S"),
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
        keys = [{"pk": _s(case_pk(case_id)), "sk": _s(CASE_SK)} for case_id in dict.fromkeys(case_ids)]
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
            "assigneeId": query.assignee_id,
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
            "ExpressionAttributeValues": {":k": _s(plan.key), **values},
            # Soonest due first; one person's cases (few) newest first.
            "ScanIndexForward": plan.sort == "deskDue",
        }
        if clauses:
            kwargs["FilterExpression"] = " AND ".join(clauses)
        start = _checked_cursor(query.cursor, plan.attribute, plan.key, plan.sort)
        return self._page(kwargs, query.limit, start, (plan.attribute, plan.sort))

    def overdue(self, before: date, *, limit: int) -> builtins.list[CaseSummary]:
        """Cases whose service-level clock runs and whose due date is before ``before`` (ByDeadline: only
        such cases are in it, so this reads nothing else)."""
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByDeadline",
            KeyConditionExpression="slaClock = :q AND deskDue < :before",
            ExpressionAttributeValues={":q": _s(PAYROLL_QUEUE), ":before": _s(before.isoformat())},
            Limit=limit,
        )
        return [_summary(i) for i in response.get("Items", [])]

    def mark_read(self, case_id: str, reader_id: str, up_to: datetime) -> None:
        """Only ever forward: a reader's marker never moves back to an older message."""
        dynamodb = client("dynamodb")
        with contextlib.suppress(dynamodb.exceptions.ConditionalCheckFailedException):  # read as far already
            dynamodb.put_item(
                TableName=self.table,
                Item={"pk": _s(case_pk(case_id)), "sk": _s(f"READ#{reader_id}"), "at": _s(iso(up_to))},
                ConditionExpression="attribute_not_exists(pk) OR #at < :at",
                ExpressionAttributeNames={"#at": "at"},
                ExpressionAttributeValues={":at": _s(iso(up_to))},
            )

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
        return Page(items=[_summary(i) for i in items], cursor=_plain(start) if start else None)


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
    """The desk's work queue by the most selective filter: each filter is a key (docs/desk.md)."""
    if query.subject_id:  # one person's cases, of those only the ones that reached payroll
        served = frozenset({"subjectId"})
        return _Plan("BySubject", "subjectId", query.subject_id, served=served, also={"queue": PAYROLL_QUEUE})
    if query.assignee_id:
        return _Plan("ByAssignee", "assigneeId", query.assignee_id, "deskDue", frozenset({"assigneeId"}))
    if query.status:
        status_key = f"{PAYROLL_QUEUE}#{query.status.value}"
        return _Plan("ByDeskStatus", "deskStatus", status_key, "deskDue", frozenset({"status"}))
    if query.form_id:
        return _Plan("ByDeskForm", "deskForm", f"{PAYROLL_QUEUE}#{query.form_id}", "deskDue", frozenset({"formId"}))
    return _Plan("ByDesk", "deskOpen", PAYROLL_QUEUE, "deskDue")


def _equalities(
    wanted: dict[str, str | None], served: frozenset[str]
) -> tuple[builtins.list[str], dict[str, str], dict[str, Any]]:
    """FilterExpression clauses (with their names and values) for ``attribute = value`` on each wanted filter
    the partition's key does not already apply."""
    pairs = [(name, value) for name, value in wanted.items() if value and name not in served]
    clauses = [f"#f{n} = :f{n}" for n in range(len(pairs))]
    names = {f"#f{n}": name for n, (name, _) in enumerate(pairs)}
    values = {f":f{n}": _s(value) for n, (_, value) in enumerate(pairs)}
    return clauses, names, values


def _key_of(item: dict[str, Any], index_key: tuple[str, str]) -> dict[str, Any]:
    """The ExclusiveStartKey that resumes an index read just after ``item``: the table's and the index's keys."""
    return {name: item[name] for name in ("pk", "sk", *index_key)}


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
    return {name: _s(value) for name, value in cursor.items()}
