"""Cases in DynamoDB, item by item: how a case, its history, messages and links become items and back.

Layout and the access pattern each index serves are documented in ``docs/data-model.md``. In short:

* ``pk=CASE#<id>, sk=CASE`` — the case; ``sk=HIST#<time>#<n>`` — its history, append-only;
  ``MSG#…`` its messages, ``READ#…`` read markers, all in the case's partition.
* GSIs ``BySubject``, ``ByFiler``, ``ByManager``, ``ByQueue`` (partition = a person or queue, sort =
  ``createdAt``) serve the listings; the sparse ones only hold items that have the attribute.

This module only encodes and decodes; :mod:`eforms.aws.case_store` writes and reads cases,
:mod:`eforms.aws.case_queries` serves the listings and the desk's queue.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

from eforms.core.approval.links import DecisionLink
from eforms.core.cases.lifecycle import AT_DESK
from eforms.core.cases.model import (
    PAYROLL_QUEUE,
    Attachment,
    Case,
    CaseSummary,
    Channel,
    Correction,
    HistoryEntry,
    Message,
    Person,
    Status,
)
from eforms.core.cases.outbox import WORKFLOW_OUTCOMES, StoredEntry
from eforms.core.common.clock import iso, parse_iso
from eforms.core.desk.service_levels import Certificate, PayrollItem, Registration
from eforms.core.forms import routes

CASE_SK = "CASE"
LINK_SK = "LINK"
#: Link items outlive their validity so that an expired link can still say "expired", then TTL removes them.
LINK_GRACE_SECONDS = 90 * 24 * 3600


def s_attr(value: str) -> dict[str, str]:
    return {"S": value}


def n_attr(value: int) -> dict[str, str]:
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
        keys["managerSubject"] = s_attr(f"{manager_id}#{subject_id}")
    if queue:
        keys["queueForm"] = s_attr(f"{queue}#{form_id}")
        keys["queueStatus"] = s_attr(f"{queue}#{status}")
    return keys


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


def case_item(case: Case) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": s_attr(case_pk(case.case_id)),
        "sk": s_attr(CASE_SK),
        "caseId": s_attr(case.case_id),
        "formId": s_attr(case.form_id),
        "formVersion": n_attr(case.form_version),
        "route": s_attr(routes.dumps(case.route)),
        "status": s_attr(case.status.value),
        "applicantId": s_attr(case.applicant.id),
        "applicantName": s_attr(case.applicant.name),
        "subjectId": s_attr(case.subject.id),
        "subjectName": s_attr(case.subject.name),
        "data": s_attr(json.dumps(case.data, ensure_ascii=False, separators=(",", ":"))),
        "language": s_attr(case.language),
        "createdAt": s_attr(iso(case.created_at)),
        "updatedAt": s_attr(iso(case.updated_at)),
        "version": n_attr(case.version),
        "expiresAt": n_attr(int(case.expires_at.timestamp())),
    }
    texts = {
        "caseNumber": case.case_number,
        "filedById": case.applicant.id if case.filed_on_behalf else None,
        "managerId": case.manager_id,
        "queue": case.queue,
        "organisationId": case.organisation_id,
        "team": case.team if case.organisation_id else None,  # a centre with teams: the one serving it
        "linkHash": case.link_hash,
        "taskToken": case.task_token,
        "fingerprint": case.fingerprint,
        "pdfKey": case.pdf_key,
        "chainHead": case.chain_head,
    }
    item.update({name: s_attr(value) for name, value in texts.items() if value})
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
        item["step"] = n_attr(case.step)
    if case.approver:
        item["approverId"] = s_attr(case.approver.id)  # sparse: the ByApprover index lists pending decisions
        item["approverName"] = s_attr(case.approver.name)
    if case.correction:
        correction = {
            "fields": list(case.correction.fields),
            "message": case.correction.message,
            "by": {"id": case.correction.requested_by.id, "name": case.correction.requested_by.name},
        }
        item["correction"] = s_attr(json.dumps(correction, ensure_ascii=False))
    if case.payroll:
        item.update(_desk_attributes(case))
    item.update(_contact(case))
    item.update(_documents(case))
    return item


def _contact(case: Case) -> dict[str, Any]:
    """How the applicant is emailed: where (a BankID applicant's own address) and whether a receipt was asked."""
    contact: dict[str, Any] = {}
    if case.contact_email:
        contact["contactEmail"] = s_attr(case.contact_email)
    if case.receipt_requested:
        contact["receiptRequested"] = {"BOOL": True}
    return contact


def _documents(case: Case) -> dict[str, Any]:
    """The case's files: attachments filed with it, and administrators its signed PDF was sent to."""
    item: dict[str, Any] = {}
    if case.attachments:
        item["attachments"] = s_attr(
            json.dumps([dataclasses.asdict(a) for a in case.attachments], ensure_ascii=False, separators=(",", ":"))
        )
    if case.administrators:
        item["administrators"] = {"SS": sorted(set(case.administrators))}
    return item


def link_item(link: DecisionLink) -> dict[str, Any]:
    valid_until = int(link.valid_until.timestamp())
    return {
        "pk": s_attr(f"LINK#{link.link_hash}"),
        "sk": s_attr(LINK_SK),
        "caseId": s_attr(link.case_id),
        "approverId": s_attr(link.approver_id),
        "caseVersion": n_attr(link.case_version),
        "validUntil": n_attr(valid_until),
        "expiresAt": n_attr(valid_until + LINK_GRACE_SECONDS),
    }


def history_item(
    case: Case, entry: HistoryEntry, sequence: int, resumes: str | None = None, chain: str | None = None
) -> dict[str, Any]:
    """An entry, with the case's identity and state as written with it: the outbox relay builds the entry's
    event from this item alone. ``resumes``: the workflow token of the step the entry ends (backend only);
    ``chain``: the entry's hash in the case's chain (docs/records.md §2)."""
    item = {
        "pk": s_attr(case_pk(case.case_id)),
        "sk": s_attr(f"HIST#{iso(entry.at)}#{sequence:04d}"),
        "at": s_attr(iso(entry.at)),
        "actorId": s_attr(entry.actor.id),
        "actorName": s_attr(entry.actor.name),
        "role": s_attr(entry.role),
        "action": s_attr(entry.action),
        "channel": s_attr(entry.channel.value),
        "details": s_attr(json.dumps(entry.details, ensure_ascii=False, separators=(",", ":"))),
        "expiresAt": n_attr(int(case.expires_at.timestamp())),
        "caseId": s_attr(case.case_id),
        "formId": s_attr(case.form_id),
        "formVersion": n_attr(case.form_version),
        "status": s_attr(case.status.value),
        "caseVersion": n_attr(case.version),
    }
    if resumes and entry.action in WORKFLOW_OUTCOMES:
        item["resumes"] = s_attr(resumes)
    if case.organisation_id:
        item["organisationId"] = s_attr(case.organisation_id)
    if chain:
        item["chain"] = s_attr(chain)
    return item


def stored_entry(item: dict[str, Any]) -> StoredEntry | None:
    """A history item read back from the stream, as the outbox relays it; None for any other item."""
    if not item.get("sk", {}).get("S", "").startswith("HIST#"):
        return None
    return StoredEntry(
        entry=history_of(item),
        case_id=item["caseId"]["S"],
        form_id=item["formId"]["S"],
        form_version=int(item["formVersion"]["N"]),
        status=item["status"]["S"],
        version=int(item["caseVersion"]["N"]),
        resumes=item.get("resumes", {}).get("S"),
        sequence=int(item["sk"]["S"].rsplit("#", 1)[1]),
        organisation_id=item.get("organisationId", {}).get("S", ""),
    )


def signed_case(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Case | None:
    """The case, when a stream record shows its signed PDF stored (``pdfKey`` appeared or changed)."""
    if not new or new.get("sk", {}).get("S") != CASE_SK or "pdfKey" not in new:
        return None
    if old and old.get("pdfKey") == new["pdfKey"]:
        return None
    return case_of(new, [], [], {})


def summary_of(item: dict[str, Any]) -> CaseSummary:
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
        payroll=payroll_of(item),
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
            **({"transactions": list(registration.transactions)} if registration.transactions else {}),
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
        "approved": True if payroll.approved else None,
    }
    return json.dumps({k: v for k, v in document.items() if v is not None}, ensure_ascii=False)


def _certificate(raw: dict[str, Any]) -> Certificate:
    """An uploaded certificate; one stored before uploads were previewed was delivered when uploaded."""
    at = parse_iso(raw["at"])
    delivered = parse_iso(raw["deliveredAt"]) if "deliveredAt" in raw else None if raw.get("pending") else at
    return Certificate(raw["key"], raw["sha256"], raw["size"], at, delivered)


def payroll_of(item: dict[str, Any]) -> PayrollItem | None:
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
            tuple(registration.get("transactions", ())),
        )
        if registration
        else None,
        certificate=_certificate(certificate) if certificate else None,
        waiting=raw.get("waiting"),
        messages=int(raw.get("messages", 0)),
        country=raw.get("country", "se"),
        approved=raw.get("approved") is True,
    )


def _desk_attributes(case: Case) -> dict[str, Any]:
    """The payroll item and the sparse keys that serve the desk's queue (docs/desk.md, "Data model")."""
    assert case.payroll is not None
    attributes: dict[str, Any] = {
        "payroll": s_attr(payroll_json(case.payroll)),
        "deskDue": s_attr(f"{case.payroll.due_date.isoformat()}#{case.case_id}"),
        "deskStatus": s_attr(f"{case.team}#{case.status.value}"),
    }
    if case.status in AT_DESK:
        attributes["deskOpen"] = s_attr(case.team)
        attributes["deskForm"] = s_attr(f"{case.team}#{case.form_id}")
        if case.organisation_id:
            attributes["deskOrg"] = s_attr(f"{case.team}#{case.organisation_id}")
        if case.payroll.assignee:
            attributes["assigneeId"] = s_attr(assignee_key(case.team, case.payroll.assignee.id))
        if case.payroll.clock_runs:
            attributes["slaClock"] = s_attr(case.team)
    return attributes


def assignee_key(team: str, assignee_id: str) -> str:
    """An officer's cases in one team's queue (``ByAssignee``): the team first, so a list of one's own cases
    never shows a case of a team one has left."""
    return f"{team}#{assignee_id}"


def message_item(case: Case, message: Message, sequence: int) -> dict[str, Any]:
    return {
        "pk": s_attr(case_pk(case.case_id)),
        "sk": s_attr(f"MSG#{iso(message.at)}#{sequence:04d}"),
        "at": s_attr(iso(message.at)),
        "authorId": s_attr(message.author.id),
        "authorName": s_attr(message.author.name),
        "side": s_attr(message.side),
        "text": s_attr(message.text),
        "expiresAt": n_attr(int(case.expires_at.timestamp())),
        **({"kind": s_attr(message.kind)} if message.kind != "message" else {}),
    }


def message_of(item: dict[str, Any]) -> Message:
    return Message(
        at=parse_iso(item["at"]["S"]),
        author=Person(item["authorId"]["S"], item["authorName"]["S"]),
        side=item["side"]["S"],
        text=item["text"]["S"],
        kind=item.get("kind", {}).get("S", "message"),
    )


def case_of(
    item: dict[str, Any], history: list[HistoryEntry], messages: list[Message], read_up_to: dict[str, datetime]
) -> Case:
    summary = summary_of(item)
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
        chain_head=item.get("chainHead", {}).get("S"),
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
        organisation_id=item.get("organisationId", {}).get("S", ""),
        team=item.get("team", {}).get("S", PAYROLL_QUEUE),
    )


def history_of(item: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(
        at=parse_iso(item["at"]["S"]),
        actor=Person(item["actorId"]["S"], item["actorName"]["S"]),
        role=item["role"]["S"],
        action=item["action"]["S"],
        channel=Channel(item["channel"]["S"]),
        details=json.loads(item["details"]["S"]),
        chain=item.get("chain", {}).get("S"),
    )
