"""A closed case as a record kept write-once for its retention (docs/records.md §3).

When a case reaches an end (:data:`eforms.core.cases.lifecycle.FINAL`), its record is written to a bucket
with S3 Object Lock in compliance mode, each object locked until the case's retention ends: nobody, the
account's root included, can change or delete it before then. The record is:

* ``record.json`` — the case as it closed: its facts, its answers, its whole history with each entry's chain
  hash and the head (:mod:`eforms.core.cases.chain`), so the locked record anchors the history;
* ``case.pdf`` — the sealed PDF as published, once there is one (a PDF made after the case closed is
  added when it is);
* ``documents/<n>-<sha256>`` — the files filed with the case and the certificate delivered, as stored.

Each object is written once: a redelivered event finds it there and writes nothing; one that was missing
(the PDF made later, an S3 failure last time) is written then. Nothing here talks to AWS: the store is a port.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from eforms.core.cases import chain, lifecycle
from eforms.core.cases.model import Case
from eforms.core.common.clock import iso

#: What the record's format is called in it, so a reader years later knows how to read it.
FORMAT = "eforms-case-record/1"


def ended_at(case: Case) -> datetime:
    """When the case reached its end: the last entry whose action led to a final status."""
    ends = [
        entry.at
        for entry in case.history
        if (rule := lifecycle.TABLE.get(entry.action)) is not None and rule.target in lifecycle.FINAL
    ]
    return ends[-1] if ends else case.updated_at


def prefix(case: Case) -> str:
    """Where the case's record lives: by organisation, then case."""
    return f"records/{case.organisation_id or 'default'}/{case.case_id}/"


def record_of(case: Case) -> dict[str, Any]:
    """The case as it closed, as plain data: what ``record.json`` holds."""
    links = chain.hashes(case)
    return {
        "format": FORMAT,
        "caseId": case.case_id,
        "caseNumber": case.case_number,
        "organisationId": case.organisation_id,
        "formId": case.form_id,
        "formVersion": case.form_version,
        "status": case.status.value,
        "applicant": {"id": case.applicant.id, "name": case.applicant.name},
        "subject": {"id": case.subject.id, "name": case.subject.name},
        "createdAt": iso(case.created_at),
        "endedAt": iso(ended_at(case)),
        "retainUntil": iso(case.expires_at),
        "data": case.data,
        "fingerprint": case.fingerprint,
        "pdfKey": case.pdf_key,
        "attachments": [{"name": a.name, "kind": a.kind, "size": a.size, "sha256": a.sha256} for a in case.attachments],
        "history": [{**chain.facts(entry), "chain": link} for entry, link in zip(case.history, links, strict=True)],
        "chainOpening": chain.opening(case),
        "chainHead": links[-1] if links else None,
    }


def encoded(record: dict[str, Any]) -> bytes:
    """The record's bytes: sorted keys, UTF-8, indented for a person who opens it."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")


class RecordStore(Protocol):
    """Write-once objects (S3 Object Lock, compliance mode, when deployed)."""

    def has(self, key: str) -> bool: ...

    def keep(self, key: str, body: bytes, content_type: str, retain_until: datetime, retention_years: int) -> bool:
        """Write ``body`` locked until ``retain_until``, tagged with its form's retention (the lifecycle's),
        unless ``key`` is already there (then False: a concurrent delivery kept it)."""
        ...

    def keep_copy(self, key: str, source_key: str, retain_until: datetime, retention_years: int) -> bool:
        """Lock a copy of ``source_key`` from the case documents."""
        ...


@dataclass(frozen=True)
class Document:
    """A file of the case as the documents bucket holds it."""

    key: str
    sha256: str


def documents_of(case: Case) -> list[Document]:
    """The files filed with the case, and the certificate payroll delivered (if any), in order."""
    found = [Document(a.key, a.sha256) for a in case.attachments]
    certificate = case.payroll.certificate if case.payroll else None
    if certificate is not None and certificate.delivered_at is not None:  # one uploaded, never sent: not a record
        found.append(Document(certificate.key, certificate.sha256))
    return found


def archive(case: Case, store: RecordStore, retention_years: int) -> list[str]:
    """Write what of ``case``'s record is not written yet; the keys written. A case not at its end: none.
    ``retention_years``: its form's (the tag the bucket's lifecycle expires it by, once its lock ends)."""
    if case.status not in lifecycle.FINAL:
        return []
    at, until, written = prefix(case), case.expires_at, []
    record = at + "record.json"
    if not store.has(record) and store.keep(
        record, encoded(record_of(case)), "application/json", until, retention_years
    ):
        written.append(record)
    copies = [(at + "case.pdf", case.pdf_key)] if case.pdf_key else []
    copies += [(f"{at}documents/{n}-{d.sha256}", d.key) for n, d in enumerate(documents_of(case), start=1)]
    for key, source in copies:
        if not store.has(key) and store.keep_copy(key, source, until, retention_years):
            written.append(key)
    return written
